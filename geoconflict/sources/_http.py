"""Bounded HTTP for the event APIs: retries with backoff, Retry-After, a total time bound, a size cap.

One :class:`Http` serves one fetch or sync. Every attempt has its own timeout, and
all of them together (waits included) stay within ``max_time`` seconds. A 429 or a
5xx is retried after the server's ``Retry-After`` when it gives one, else after an
exponential backoff with jitter; a dropped connection is retried the same way. Any
other status is handed back to the caller, who knows what a 401 or a 403 means for
its API.

Secrets (passwords, tokens) are registered with the client, which removes them from
every message it raises: an error message may quote a server's words, and a server
(or a test) may echo what it was sent.

Examples
--------
>>> http = Http(max_time=5, secrets=["hunter2"])
>>> http.redact("login failed for hunter2")
'login failed for ***'
>>> retry_after_seconds("7"), retry_after_seconds(None), retry_after_seconds("soon")
(7.0, None, None)
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

from ..settings import API_MAX_RESPONSE_BYTES, API_RETRIES, API_TOTAL_TIME_S, NETWORK_TIMEOUT_S

__all__ = ["AccessDenied", "AuthError", "Http", "Response", "SourceError", "retry_after_seconds"]

log = logging.getLogger("geoconflict.sources")

_USER_AGENT = "geoconflict/0.1 (event sync)"
#: statuses worth another attempt: rate limits and server-side failures
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CHUNK = 1 << 20


class SourceError(OSError):
    """An event API could not give what was asked: unreachable, refusing, or answering nonsense."""


class AuthError(SourceError):
    """The credentials are missing or were rejected."""


class AccessDenied(SourceError):
    """The credentials are good, but the account may not read the data."""


@dataclass
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str

    def json(self):
        """The body as JSON, or a :class:`SourceError` saying it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError as exc:
            raise SourceError(f"{_where(self.url)} answered HTTP {self.status} with a body that is not JSON") from exc


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _where(url: str) -> str:
    """Host and path of a URL: never its query (filters only, but short messages read better)."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.netloc}{parts.path}"


class Http:
    """Requests within a time bound, retried on 429/5xx and on dropped connections.

    Parameters
    ----------
    timeout : float
        Seconds one attempt may take.
    retries : int
        Further attempts after a retryable failure.
    max_time : float
        Seconds all requests of this client may take together, waits included.
    max_bytes : int
        Largest response body accepted.
    secrets : iterable of str
        Values never to appear in a message (more can be added with :meth:`add_secret`).
    backoff : float
        First backoff wait, seconds; doubled each attempt (with jitter), capped at 60 s.
    """

    def __init__(
        self,
        *,
        timeout: float = NETWORK_TIMEOUT_S,
        retries: int = API_RETRIES,
        max_time: float = API_TOTAL_TIME_S,
        max_bytes: int = API_MAX_RESPONSE_BYTES,
        secrets: Iterable[str] = (),
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.timeout = float(timeout)
        self.retries = int(retries)
        self.max_bytes = int(max_bytes)
        self.backoff = float(backoff)
        self._sleep = sleep
        self._deadline = time.monotonic() + float(max_time)
        self._secrets: set[str] = {s for s in secrets if s}
        self.requests = 0  # attempts made, for reports and tests

    def add_secret(self, value: str | None) -> None:
        if value:
            self._secrets.add(str(value))

    def redact(self, text: str) -> str:
        """``text`` with every registered secret replaced by ``***`` (longest first)."""
        for s in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(s, "***")
        return text

    def remaining(self) -> float:
        return self._deadline - time.monotonic()

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        what: str = "request",
    ) -> Response:
        """One request, retried as the class says; any final status is returned, network failures raised."""
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(params, safe='|:,')}"
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        attempt = 0
        while True:
            self._check_time(url, what, 0.0)
            try:
                resp = self._once(method, url, headers or {}, body)
            except SourceError:
                raise
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                if attempt >= self.retries:
                    raise SourceError(self.redact(f"{what}: cannot reach {_where(url)} ({exc})")) from None
                wait = self._backoff(attempt)
                log.info("%s: %s failed (%s); retry in %.1f s", what, _where(url), type(exc).__name__, wait)
            else:
                if resp.status not in RETRY_STATUSES or attempt >= self.retries:
                    return resp
                wait = retry_after_seconds(resp.headers.get("Retry-After"))
                wait = self._backoff(attempt) if wait is None else wait
                log.info("%s: HTTP %d from %s; retry in %.1f s", what, resp.status, _where(url), wait)
            self._check_time(url, what, wait)
            self._sleep(wait)
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        return min(60.0, self.backoff * 2**attempt) * (0.5 + random.random() / 2)

    def _check_time(self, url: str, what: str, wait: float) -> None:
        if wait >= self.remaining():
            raise SourceError(
                f"{what}: stopped at {_where(url)}: the time bound would pass "
                f"(a wait of {wait:.0f} s, {max(0.0, self.remaining()):.0f} s left); run it again later "
                "(a sync resumes where it stopped) or allow more time"
            )

    def _once(self, method: str, url: str, headers: Mapping[str, str], body: bytes | None) -> Response:
        self.requests += 1
        req = urllib.request.Request(url, data=body, method=method)
        req.add_header("User-Agent", _USER_AGENT)
        req.add_header("Accept", "application/json")
        if body is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        for k, v in headers.items():
            req.add_header(k, v)
        timeout = max(0.1, min(self.timeout, self.remaining()))
        try:
            resp = urllib.request.urlopen(req, timeout=timeout)
        except urllib.error.HTTPError as exc:  # a status: the caller decides what it means
            with exc:
                return Response(exc.code, dict(exc.headers or {}), self._read(exc, url), url)
        with resp:
            return Response(resp.status, dict(resp.headers), self._read(resp, url), url)

    def _read(self, fh, url: str) -> bytes:
        """The body, at most ``max_bytes`` (a larger answer is an error, never a truncated table)."""
        parts, size = [], 0
        for block in iter(lambda: fh.read(_CHUNK), b""):
            size += len(block)
            if size > self.max_bytes:
                raise SourceError(f"{_where(url)} sent more than {self.max_bytes:,} bytes: ask for smaller pages")
            parts.append(block)
        return b"".join(parts)
