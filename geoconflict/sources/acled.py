"""ACLED's API: myACLED OAuth, paged reads of ``/api/acled/read``, deletions from ``/api/deleted/read``.

Authentication follows ACLED's documentation: a password grant at ``/oauth/token``
(client id ``acled``) returns an access token (valid 24 h) and a refresh token; a
token about to expire is refreshed, and one the server rejects mid-sync (401) is
refreshed once and the request repeated. Tokens live in memory only. A token does not
guarantee data access: a 403 is raised as :class:`AccessDenied` with what to do.

Data are read in pages (``page`` from 1, ``limit`` rows, 5,000 by default) until a
page comes back short. Filters: ``country`` (names, ``|`` joined), ``iso`` (numeric
ISO 3166), ``event_date`` with ``event_date_where`` (``BETWEEN`` for a range),
``event_type`` and, for incremental updates, ``timestamp`` with ``timestamp_where``.
Events at sea are coded by ACLED to the body of water (``country`` "Red Sea"): ask
for it by that name.

Examples
--------
>>> q = ACLEDQuery(country=("Armenia",), since="2020-09-27", until="2020-11-10")
>>> q.params()
{'country': 'Armenia', 'event_date': '2020-09-27|2020-11-10', 'event_date_where': 'BETWEEN'}
>>> ACLEDQuery(iso=(51,), since="2020-09-27").params()
{'iso': '51', 'event_date': '2020-09-27', 'event_date_where': '>='}
>>> ACLEDClient(username="me@example.org", password="hunter2")  # credentials never print
ACLEDClient(base_url='https://acleddata.com', username='***', password='***')
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..settings import (
    ACLED_PASSWORD_ENV,
    ACLED_TOKEN_ENV,
    ACLED_URL_ENV,
    ACLED_USERNAME_ENV,
    API_RETRIES,
    API_TOTAL_TIME_S,
    NETWORK_TIMEOUT_S,
)
from ._http import AccessDenied, AuthError, Http, Response, SourceError
from ._rows import Secret, all_rows, as_tuple, iso_date, to_incidents

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

__all__ = ["DEFAULT_ACLED_URL", "PAGE_LIMIT", "ACLEDClient", "ACLEDQuery", "fetch_acled"]

DEFAULT_ACLED_URL = "https://acleddata.com"
CLIENT_ID = "acled"
#: ACLED's default and usual page size
PAGE_LIMIT = 5000
#: refresh a token this many seconds before it expires, so it never lapses mid-request
_EXPIRY_MARGIN_S = 120.0
#: columns read_incidents leaves out that a synced table keeps
#: the columns that make read_incidents read a table as ACLED's (for a query with no rows)
COLUMNS = ("event_id_cnty", "event_date", "geo_precision", "country", "latitude", "longitude", "fatalities")
NUMERIC = ("timestamp", "iso")
KEEP = ("timestamp", "iso", "region", "disorder_type", "civilian_targeting", "tags", "inter1", "inter2")

_NO_ACCESS = (
    "your myACLED account is signed in but has no access to ACLED data through the API. "
    "Check at acleddata.com that the terms of use are accepted, the profile is complete and API "
    "access is granted to the account (ACLED grants it per account type)"
)


@dataclass(frozen=True)
class ACLEDQuery:
    """What to ask ACLED for; the same filters name the same query in the store."""

    country: tuple[str, ...] = ()
    iso: tuple[int, ...] = ()
    since: str | None = None
    until: str | None = None
    event_type: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "country", tuple(str(c) for c in as_tuple(self.country)))
        object.__setattr__(self, "iso", tuple(int(c) for c in as_tuple(self.iso)))
        object.__setattr__(self, "event_type", tuple(str(c) for c in as_tuple(self.event_type)))
        object.__setattr__(self, "since", iso_date(self.since))
        object.__setattr__(self, "until", iso_date(self.until))

    def params(self) -> dict[str, str]:
        """The API's filter parameters for this query."""
        p: dict[str, str] = {}
        if self.country:
            p["country"] = "|".join(self.country)
        if self.iso:
            p["iso"] = "|".join(str(i) for i in self.iso)
        if self.since and self.until:
            p["event_date"], p["event_date_where"] = f"{self.since}|{self.until}", "BETWEEN"
        elif self.since or self.until:
            p["event_date"], p["event_date_where"] = self.since or self.until, ">=" if self.since else "<="
        if self.event_type:
            p["event_type"] = "|".join(self.event_type)
        return p

    def key(self) -> str:
        """A stable name for the query (the store's key)."""
        return "acled?" + json.dumps(self.params(), sort_keys=True, separators=(",", ":"))


@dataclass
class _Token:
    access: Secret
    refresh: Secret | None
    expires_at: float  # time.monotonic()


@dataclass
class ACLEDClient:
    """A signed-in ACLED API session (credentials from arguments, else ``$ACLED_USERNAME``/``$ACLED_PASSWORD``
    or ``$ACLED_ACCESS_TOKEN``)."""

    username: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    base_url: str | None = None
    timeout: float = NETWORK_TIMEOUT_S
    retries: int = API_RETRIES
    max_time: float = API_TOTAL_TIME_S
    http: Http | None = field(default=None, repr=False)

    def __post_init__(self):
        self.base_url = (self.base_url or os.environ.get(ACLED_URL_ENV) or DEFAULT_ACLED_URL).rstrip("/")
        user = self.username or os.environ.get(ACLED_USERNAME_ENV)
        password = self.password or os.environ.get(ACLED_PASSWORD_ENV)
        token = self.token or os.environ.get(ACLED_TOKEN_ENV)
        # the plain values leave the dataclass fields at once: only Secrets are kept
        self.username = self.password = self.token = None
        self._user = Secret(user) if user else None
        self._password = Secret(password) if password else None
        self.http = self.http or Http(timeout=self.timeout, retries=self.retries, max_time=self.max_time)
        for s in (self._user, self._password, Secret(token) if token else None):
            self.http.add_secret(s.value if s else None)
        self._token = _Token(Secret(token), None, float("inf")) if token else None
        if self._token is None and not (self._user and self._password):
            raise AuthError(
                f"ACLED needs a myACLED account: set ${ACLED_USERNAME_ENV} and ${ACLED_PASSWORD_ENV} "
                f"(or ${ACLED_TOKEN_ENV}), or pass username= and password="
            )

    def __repr__(self) -> str:
        creds = "username='***', password='***'" if self._user else "token='***'"
        return f"ACLEDClient(base_url={self.base_url!r}, {creds})"

    # ------------------------------------------------------------------ tokens
    def _grant(self, form: dict[str, str], what: str) -> None:
        resp = self.http.request("POST", f"{self.base_url}/oauth/token", data=form, what=what)
        if resp.status != 200:
            raise AuthError(self.http.redact(f"ACLED refused the sign-in ({what}): {_server_says(resp)}"))
        body = resp.json()
        access, refresh = body.get("access_token"), body.get("refresh_token")
        if not access:
            raise AuthError("ACLED's token answer has no access_token")
        for s in (access, refresh):
            self.http.add_secret(s)
        ttl = float(body.get("expires_in") or 86400)
        self._token = _Token(Secret(access), Secret(refresh) if refresh else None, time.monotonic() + ttl)

    def _sign_in(self) -> None:
        if not (self._user and self._password):
            raise AuthError(
                f"the ACLED access token was rejected or expired; set ${ACLED_USERNAME_ENV}/${ACLED_PASSWORD_ENV}"
            )
        form = {"username": self._user.value, "password": self._password.value}
        self._grant(
            {**form, "grant_type": "password", "client_id": CLIENT_ID, "scope": "authenticated"}, "password grant"
        )

    def _refresh(self) -> None:
        """A new access token from the refresh token; a fresh password grant when that is refused."""
        tok = self._token
        if tok is not None and tok.refresh:
            try:
                form = {"grant_type": "refresh_token", "refresh_token": tok.refresh.value, "client_id": CLIENT_ID}
                self._grant(form, "token refresh")
                return
            except AuthError:
                pass  # a refresh token expires too (14 days): sign in again below
        self._sign_in()

    def _auth_header(self) -> dict[str, str]:
        if self._token is None:
            self._sign_in()
        elif time.monotonic() > self._token.expires_at - _EXPIRY_MARGIN_S:
            self._refresh()
        return {"Authorization": f"Bearer {self._token.access.value}"}

    # ------------------------------------------------------------------ reads
    def get(self, endpoint: str, params: dict[str, object]) -> dict:
        """One JSON page of ``/api/<endpoint>/read``, signed in; a 401 is refreshed and repeated once."""
        url = f"{self.base_url}/api/{endpoint}/read"
        params = {"_format": "json", **params}
        resp = self.http.request("GET", url, params=params, headers=self._auth_header(), what=f"ACLED {endpoint}")
        if resp.status == 401:  # expired or revoked mid-sync
            self._refresh()
            resp = self.http.request("GET", url, params=params, headers=self._auth_header(), what=f"ACLED {endpoint}")
        return self._payload(resp)

    def _payload(self, resp: Response) -> dict:
        if resp.status == 401:
            raise AuthError(self.http.redact(f"ACLED rejected the token twice: {_server_says(resp)}"))
        if resp.status == 403:
            raise AccessDenied(self.http.redact(f"{_NO_ACCESS} (ACLED said: {_server_says(resp)})"))
        if resp.status != 200:
            raise SourceError(self.http.redact(f"ACLED answered HTTP {resp.status}: {_server_says(resp)}"))
        body = resp.json()
        if not isinstance(body, dict) or body.get("success") is False or not isinstance(body.get("data", []), list):
            status = body.get("status") if isinstance(body, dict) else None
            err = AccessDenied if status == 403 else SourceError
            raise err(self.http.redact(f"ACLED answered without data: {_server_says(resp)}"))
        return body

    def pages(
        self, query: ACLEDQuery, *, start_page: int = 1, limit: int = PAGE_LIMIT, extra: dict | None = None
    ) -> Iterator[tuple[int, list[dict], int | None]]:
        """(page number, rows, total or None) for every page from ``start_page`` to the first short one."""
        params = {**query.params(), **(extra or {}), "limit": int(limit)}
        page = int(start_page)
        while True:
            ask = {**params, "page": page, **({"with_total": "true"} if page == start_page else {})}
            body = self.get("acled", ask)
            rows = body.get("data") or []
            total = body.get("total_count")
            yield page, rows, int(total) if total is not None else None
            if len(rows) < limit:
                return
            page += 1

    def deleted_since(self, timestamp: float, *, limit: int = PAGE_LIMIT) -> list[str]:
        """The ``event_id_cnty`` of every event deleted at or after ``timestamp`` (Unix seconds)."""
        ids: list[str] = []
        page = 1
        while True:
            params = {
                "deleted_timestamp": int(timestamp),
                "deleted_timestamp_where": ">=",
                "limit": limit,
                "page": page,
            }
            rows = self.get("deleted", params).get("data") or []
            ids += [str(r["event_id_cnty"]) for r in rows if r.get("event_id_cnty")]
            if len(rows) < limit:
                return ids
            page += 1


def _server_says(resp: Response) -> str:
    """A server's own short explanation of a refusal, from its JSON or its first line."""
    try:
        body = json.loads(resp.body)
    except ValueError:
        text = resp.body.decode("utf-8", "replace").strip().splitlines()
        return f"HTTP {resp.status} {text[0][:200] if text else ''}".strip()
    if isinstance(body, dict):
        for k in ("error_description", "message", "error", "messages"):
            v = body.get(k)
            if isinstance(v, list) and v:
                v = v[0].get("message", v[0]) if isinstance(v[0], dict) else v[0]
            if v:
                return f"HTTP {resp.status} {str(v)[:300]}"
    return f"HTTP {resp.status}"


def fetch_acled(
    country=None,
    *,
    since=None,
    until=None,
    iso=None,
    event_type=None,
    username: str | None = None,
    password: str | None = None,
    token: str | None = None,
    base_url: str | None = None,
    limit: int = PAGE_LIMIT,
    timeout: float = NETWORK_TIMEOUT_S,
    retries: int = API_RETRIES,
    max_time: float = API_TOTAL_TIME_S,
    progress: Callable[[int, int | None], None] | None = None,
    warn: bool = True,
) -> geopandas.GeoDataFrame:
    """ACLED events from the API, every page, as incidents (validated by ``read_incidents``).

    Parameters
    ----------
    country : str or list of str, optional
        Country names as ACLED spells them ("Armenia"; a sea: "Red Sea").
    since, until : date or ``YYYY-MM-DD``, optional
        The event-date range (inclusive).
    iso : int or list of int, optional
        Numeric ISO 3166 codes (51 for Armenia).
    event_type : str or list of str, optional
        ACLED event types ("Battles", "Explosions/Remote violence" …).
    username, password, token : str, optional
        myACLED credentials, else ``$ACLED_USERNAME``/``$ACLED_PASSWORD`` or ``$ACLED_ACCESS_TOKEN``.
        Kept in memory only, never written or printed.
    base_url : str, optional
        The API root (a mirror or a test server); else ``$GEOCONFLICT_ACLED_URL`` or acleddata.com.
    limit : int
        Rows per page.
    timeout, retries, max_time : float, int, float
        Seconds per attempt, further attempts after a 429/5xx/dropped connection, seconds for all.
    progress : callable, optional
        Called with (rows so far, total or None) after every page.

    Returns
    -------
    geopandas.GeoDataFrame
        The canonical incident schema plus ``timestamp`` and ACLED's other columns in :data:`KEEP`;
        ``attrs["report"]`` accounts for every row.

    Examples
    --------
    Against a loopback stand-in for the API (with a real account: no ``base_url``, credentials in the
    environment):

    >>> from geoconflict.sources.loopback import ACLEDServer
    >>> rows = [{"event_id_cnty": "ARM1", "event_date": "2020-10-01", "latitude": "39.2", "longitude": "46.4",
    ...          "geo_precision": "2", "fatalities": "1", "timestamp": "1601510400"}]
    >>> with ACLEDServer(rows, users={"me@example.org": "pw"}) as api:
    ...     events = fetch_acled(since="2020-09-27", username="me@example.org", password="pw", base_url=api.url)
    >>> events[["source_event_id", "geo_precision", "fatalities", "timestamp", "valid"]].values.tolist()
    [['ARM1', 2, 1, 1601510400, True]]
    """
    import pandas as pd

    client = ACLEDClient(username, password, token, base_url, timeout, retries, max_time)
    rows = all_rows(client.pages(ACLEDQuery(country, iso, since, until, event_type), limit=limit), progress)
    return to_incidents(pd.DataFrame(rows), keep=KEEP, numeric=NUMERIC, columns=COLUMNS, warn=warn)
