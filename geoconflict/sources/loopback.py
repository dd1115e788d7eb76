"""Loopback stand-ins for ACLED's and UCDP's APIs, for tests, benches and demos.

They follow the documented behaviour the clients rely on, serve the rows they are
given, and bind to 127.0.0.1 only:

:class:`ACLEDServer`
    ``POST /oauth/token`` (password and refresh-token grants, client id ``acled``;
    access tokens expire after ``token_ttl`` seconds), ``GET /api/acled/read`` with
    ``_format=json``, filters (``country``, ``iso``, ``event_date`` + ``event_date_where``
    incl. ``BETWEEN``, ``event_type``, ``timestamp`` + ``timestamp_where``), ``limit``
    (default 5,000) and ``page`` (from 1), newest events first; ``GET
    /api/deleted/read`` (``deleted_timestamp``). Accounts in ``no_access`` sign in but
    get 403 on data.
:class:`UCDPServer`
    ``GET /api/gedevents/<version>`` with ``x-ucdp-access-token``, ``pagesize`` (at most
    1,000), ``page`` (from 0), ``Country``, ``StartDate``, ``EndDate``, ``TypeOfViolence``;
    answers with ``TotalCount``, ``TotalPages``, ``PreviousPageUrl``, ``NextPageUrl``,
    ``Result``.

Both can be told to fail (:meth:`fail`: a status, a count, a ``Retry-After``), to
slow down (``page_delay``), and change their data between syncs (ACLED: :meth:`~ACLEDServer.add`,
:meth:`~ACLEDServer.delete`, :meth:`~ACLEDServer.update`; UCDP: :meth:`~UCDPServer.publish`).
Each stops by itself after ``lifetime`` seconds or ``max_requests`` requests.

Examples
--------
>>> import json, urllib.request
>>> with UCDPServer({"23.1": [{"id": 1, "country_id": 482}]}, tokens={"t"}) as api:
...     req = urllib.request.Request(api.url + "/api/gedevents/23.1?pagesize=10&page=0",
...                                  headers={"x-ucdp-access-token": "t"})
...     body = json.load(urllib.request.urlopen(req))
>>> body["TotalCount"], body["TotalPages"], body["NextPageUrl"], len(body["Result"])
(1, 1, '', 1)
"""

from __future__ import annotations

import json
import math
import secrets
import threading
import time
import urllib.parse
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

__all__ = ["ACLEDServer", "UCDPServer", "acled_rows_from_csv", "ucdp_rows_from_geojson"]


# ---------------------------------------------------------------------------- real rows, as the APIs send them
def acled_rows_from_csv(path) -> list[dict]:
    """An ACLED CSV export (HDX's layout with its HXL row included) as API rows: every value text, plus ``iso``."""
    import pandas as pd
    import pycountry

    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if len(df) and str(df.iloc[0].get("event_id_cnty", "")).startswith("#"):
        df = df.iloc[1:]  # HDX's row of HXL hashtags
    if "iso" not in df.columns and "iso3" in df.columns:
        numeric = {c: (getattr(pycountry.countries.get(alpha_3=c), "numeric", "") or "") for c in df["iso3"].unique()}
        df["iso"] = df["iso3"].map(numeric).str.lstrip("0")
    return df.to_dict("records")


def ucdp_rows_from_geojson(path) -> list[dict]:
    """UCDP GED GeoJSON (as in the shared extract) as API rows: properties plus latitude/longitude."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    rows = []
    for feature in data["features"]:
        row = dict(feature["properties"])
        lon, lat = feature["geometry"]["coordinates"][:2]
        row["latitude"], row["longitude"] = lat, lon
        row["geom_wkt"] = f"POINT ({lon} {lat})"
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------- the shared server machinery
class _Loopback:
    """A threaded HTTP server on 127.0.0.1 with fault injection; subclasses answer requests."""

    def __init__(self, *, page_delay: float = 0.0, lifetime: float = 600.0, max_requests: int = 100_000):
        self.page_delay = float(page_delay)
        self.lifetime = float(lifetime)
        self.max_requests = int(max_requests)
        self.log: list[tuple[str, str, dict]] = []  # (method, path, params)
        self._faults: list[tuple[int, str | None, str]] = []
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._timer: threading.Timer | None = None

    # lifecycle
    def start(self):
        app = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                app._dispatch(self, "GET")

            def do_POST(self):
                app._dispatch(self, "POST")

            def log_message(self, *args):  # quiet: tests read app.log instead
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self._timer = threading.Timer(self.lifetime, self.stop)  # never outlives a forgotten test
        self._timer.daemon = True
        self._timer.start()
        return self

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fail(self, status: int, times: int = 1, *, retry_after: str | None = None, path: str = "") -> None:
        """The next ``times`` requests whose path starts with ``path`` get ``status`` (with ``Retry-After``)."""
        with self._lock:
            self._faults += [(int(status), retry_after, path)] * int(times)

    def requests_to(self, path: str) -> list[dict]:
        return [p for _m, rp, p in self.log if rp.startswith(path)]

    # plumbing
    def _dispatch(self, h: BaseHTTPRequestHandler, method: str) -> None:
        url = urllib.parse.urlsplit(h.path)
        params = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        if method == "POST":
            n = int(h.headers.get("Content-Length") or 0)
            params.update(urllib.parse.parse_qsl(h.rfile.read(n).decode(), keep_blank_values=True))
        with self._lock:
            self.log.append((method, url.path, params))
            if len(self.log) > self.max_requests:
                return self._send(h, 503, {"message": "loopback server: request budget spent"})
            fault = next((f for f in self._faults if url.path.startswith(f[2])), None)
            if fault is not None:
                self._faults.remove(fault)
        if fault is not None:
            headers = {"Retry-After": fault[1]} if fault[1] is not None else {}
            return self._send(h, fault[0], {"message": f"loopback fault {fault[0]}"}, headers)
        try:
            status, body, headers = self.answer(method, url.path, params, h.headers)
        except Exception as exc:  # a bug in a stand-in shows as a 500 naming it, never a hang
            status, body, headers = 500, {"message": f"loopback error: {exc!r}"}, {}
        self._send(h, status, body, headers)

    def _send(self, h, status: int, body, headers: dict | None = None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    def answer(self, method, path, params, headers):  # pragma: no cover - subclasses answer
        raise NotImplementedError


def _compare(value, op: str, bound) -> bool:
    return {
        "=": value == bound,
        ">=": value >= bound,
        ">": value > bound,
        "<=": value <= bound,
        "<": value < bound,
    }.get(op, value == bound)


# ---------------------------------------------------------------------------- ACLED
class ACLEDServer(_Loopback):
    """ACLED's API on 127.0.0.1, serving ``rows`` (dicts as the API sends them) to ``users`` (e-mail → password)."""

    def __init__(
        self,
        rows: Iterable[dict],
        *,
        users: dict[str, str],
        no_access: Iterable[str] = (),
        token_ttl: float = 86400.0,
        **options,
    ):
        super().__init__(**options)
        self.users = dict(users)
        self.no_access = set(no_access)
        self.token_ttl = float(token_ttl)
        self.rows: dict[str, dict] = {}
        self._encoded: dict[str, bytes] = {}
        self.deleted: list[tuple[str, int]] = []
        self._access: dict[str, tuple[str, float]] = {}
        self._refresh: dict[str, str] = {}
        self.issued: list[str] = []  # every token handed out, for tests that look for leaks
        self._cache: dict[tuple, list[str]] = {}
        self.add(rows, stamp=False)

    # data changes
    def add(self, rows: Iterable[dict], *, stamp: bool = True) -> None:
        """Publish rows (an edit when the id exists); ``stamp`` gives them the current timestamp."""
        now = str(int(time.time()))
        with self._lock:
            for r in rows:
                r = dict(r)
                if stamp or not r.get("timestamp"):
                    r["timestamp"] = now
                self.rows[str(r["event_id_cnty"])] = r
                self._encoded[str(r["event_id_cnty"])] = json.dumps(r).encode()
            self._cache.clear()

    def update(self, event_id: str, **fields) -> None:
        self.add([{**self.rows[event_id], **fields}])

    def delete(self, ids: Iterable[str]) -> None:
        now = int(time.time())
        with self._lock:
            for i in ids:
                if self.rows.pop(str(i), None) is not None:
                    self._encoded.pop(str(i))
                    self.deleted.append((str(i), now))
            self._cache.clear()

    def expire_tokens(self) -> None:
        """Every access token issued so far stops working (refresh tokens still do)."""
        with self._lock:
            self._access.clear()

    # answers
    def answer(self, method, path, params, headers):
        if method == "POST" and path == "/oauth/token":
            return self._token(params)
        user = self._user(headers)
        if user is None:
            return 401, {"message": "The access token is invalid or has expired."}, {}
        if user in self.no_access:
            return 403, {"status": 403, "success": False, "messages": ["Access denied: no API data access."]}, {}
        if path == "/api/acled/read":
            return self._read(params)
        if path == "/api/deleted/read":
            return self._deleted(params)
        return 404, {"message": f"no endpoint {path}"}, {}

    def _token(self, form: dict):
        if form.get("client_id") != "acled":
            return 400, {"error": "invalid_client", "error_description": "Client authentication failed."}, {}
        grant = form.get("grant_type")
        with self._lock:
            if grant == "password":
                user = form.get("username", "")
                if self.users.get(user) != form.get("password") or user not in self.users:
                    return 400, {"error": "invalid_grant", "error_description": "The credentials were incorrect."}, {}
            elif grant == "refresh_token":
                user = self._refresh.pop(form.get("refresh_token", ""), None)
                if user is None:
                    return 400, {"error": "invalid_grant", "error_description": "The refresh token is invalid."}, {}
            else:
                return 400, {"error": "unsupported_grant_type"}, {}
            access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
            self._access[access] = (user, time.time() + self.token_ttl)
            self._refresh[refresh] = user
            self.issued += [access, refresh]
        body = {
            "token_type": "Bearer",
            "expires_in": int(self.token_ttl),
            "access_token": access,
            "refresh_token": refresh,
        }
        return 200, body, {}

    def _user(self, headers) -> str | None:
        auth = headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        with self._lock:
            user, until = self._access.get(token, (None, 0.0))
        return user if user is not None and time.time() < until else None

    def _matching(self, params: dict) -> list[str]:
        key = tuple(sorted((k, v) for k, v in params.items() if k not in ("page", "limit", "_format", "with_total")))
        with self._lock:
            if key not in self._cache:
                ids = [i for i, r in self.rows.items() if self._keep(r, params)]
                ids.sort(key=lambda i: (self.rows[i].get("event_date", ""), i), reverse=True)  # newest first
                self._cache[key] = ids
            return self._cache[key]

    @staticmethod
    def _keep(r: dict, p: dict) -> bool:
        if "country" in p and str(r.get("country", "")).lower() not in {c.lower() for c in p["country"].split("|")}:
            return False
        if "iso" in p and str(r.get("iso", "")) not in set(p["iso"].split("|")):
            return False
        if "event_type" in p and r.get("event_type") not in set(p["event_type"].split("|")):
            return False
        if "event_date" in p:
            d, op = str(r.get("event_date", "")), p.get("event_date_where", "=").upper()
            if op == "BETWEEN":
                lo, hi = p["event_date"].split("|")
                if not lo <= d <= hi:
                    return False
            elif not _compare(d, op, p["event_date"]):
                return False
        if "timestamp" in p and not _compare(
            int(r.get("timestamp") or 0), p.get("timestamp_where", ">="), int(p["timestamp"])
        ):
            return False
        return True

    def _read(self, params: dict):
        limit, page = int(params.get("limit") or 5000), max(1, int(params.get("page") or 1))
        ids = self._matching(params)
        chosen = ids[(page - 1) * limit : page * limit]
        if self.page_delay:
            time.sleep(self.page_delay)
        with self._lock:
            data = b"[" + b",".join(self._encoded[i] for i in chosen if i in self._encoded) + b"]"
        head = {"status": 200, "success": True, "last_update": 0, "count": len(chosen), "messages": []}
        if params.get("with_total") == "true":
            head["total_count"] = len(ids)
        body = json.dumps(head)[:-1].encode() + b', "data": ' + data + b', "filename": "acled_export"}'
        return 200, body, {}

    def _deleted(self, params: dict):
        limit, page = int(params.get("limit") or 5000), max(1, int(params.get("page") or 1))
        since, op = int(params.get("deleted_timestamp") or 0), params.get("deleted_timestamp_where", ">=")
        with self._lock:
            gone = [
                {"event_id_cnty": i, "deleted_timestamp": str(t)} for i, t in self.deleted if _compare(t, op, since)
            ]
        chosen = gone[(page - 1) * limit : page * limit]
        return 200, {"status": 200, "success": True, "count": len(chosen), "data": chosen}, {}


# ---------------------------------------------------------------------------- UCDP
class UCDPServer(_Loopback):
    """UCDP's GED API on 127.0.0.1: ``versions`` maps a release ("23.1", "24.0.7") to its rows."""

    def __init__(
        self, versions: dict[str, list[dict]], *, tokens: Iterable[str], next_host: str | None = None, **options
    ):
        super().__init__(**options)
        self.versions = {str(v): list(rows) for v, rows in versions.items()}
        self.tokens = set(tokens)
        self.next_host = next_host  # NextPageUrl's host (default: the one asked), to test where tokens go

    def publish(self, version: str, rows: list[dict]) -> None:
        with self._lock:
            self.versions[str(version)] = list(rows)

    def answer(self, method, path, params, headers):
        if headers.get("x-ucdp-access-token") not in self.tokens:
            return 401, {"message": "A valid x-ucdp-access-token header is required."}, {}
        parts = path.strip("/").split("/")
        if method != "GET" or len(parts) != 3 or parts[:2] != ["api", "gedevents"]:
            return 404, {"message": f"no endpoint {path}"}, {}
        with self._lock:
            rows = self.versions.get(parts[2])
        if rows is None:
            return 404, {"message": f"no such version {parts[2]}"}, {}
        size = max(1, min(int(params.get("pagesize") or 100), 1000))
        page = max(0, int(params.get("page") or 0))
        chosen = [r for r in rows if self._keep(r, params)]
        pages = math.ceil(len(chosen) / size)
        if self.page_delay:
            time.sleep(self.page_delay)
        host = self.next_host or headers.get("Host", "127.0.0.1")

        def link(p: int) -> str:
            if p < 0 or p >= pages:
                return ""
            return f"http://{host}{path}?" + urllib.parse.urlencode({**params, "pagesize": size, "page": p})

        body = {
            "TotalCount": len(chosen),
            "TotalPages": pages,
            "PreviousPageUrl": link(page - 1),
            "NextPageUrl": link(page + 1),
            "Result": chosen[page * size : (page + 1) * size],
        }
        return 200, body, {}

    @staticmethod
    def _keep(r: dict, p: dict) -> bool:
        if "Country" in p and str(r.get("country_id")) not in set(p["Country"].split(",")):
            return False
        if "TypeOfViolence" in p and str(r.get("type_of_violence")) not in set(p["TypeOfViolence"].split(",")):
            return False
        if "StartDate" in p and str(r.get("date_start", ""))[:10] < p["StartDate"]:
            return False
        return not ("EndDate" in p and str(r.get("date_end", ""))[:10] > p["EndDate"])
