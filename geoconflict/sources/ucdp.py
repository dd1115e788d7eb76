"""UCDP's GED API: ``/api/gedevents/<version>``, paged, with the ``x-ucdp-access-token`` header.

Every request names a version: a yearly release (``24.1``) or a monthly candidate
(``24.0.7``). Answers carry ``TotalCount``, ``TotalPages``, ``NextPageUrl`` and
``Result``; pages are numbered from 0 and hold at most 1,000 events. Filters:
``Country`` (Gleditsch–Ward codes, comma joined: 373 Azerbaijan, 371 Armenia, 482 the
Central African Republic), ``StartDate``/``EndDate`` (``YYYY-MM-DD``) and
``TypeOfViolence`` (1 state-based, 2 non-state, 3 one-sided).

``NextPageUrl`` is followed only when it points at the same host as ``base_url``:
the token is never sent anywhere else (a mirror's answer may name the upstream host).

Examples
--------
>>> UCDPQuery(country=373, since="2020-09-27").params()
{'Country': '373', 'StartDate': '2020-09-27'}
>>> UCDPClient(token="s3cret")
UCDPClient(base_url='https://ucdpapi.pcr.uu.se', token='***')
"""

from __future__ import annotations

import json
import os
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..settings import API_RETRIES, API_TOTAL_TIME_S, NETWORK_TIMEOUT_S, UCDP_TOKEN_ENV, UCDP_URL_ENV
from ._http import AccessDenied, AuthError, Http, SourceError
from ._rows import Secret, all_rows, as_tuple, iso_date, to_incidents

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

__all__ = ["DEFAULT_UCDP_URL", "MAX_PAGE_SIZE", "UCDPClient", "UCDPQuery", "fetch_ucdp"]

DEFAULT_UCDP_URL = "https://ucdpapi.pcr.uu.se"
MAX_PAGE_SIZE = 1000
#: columns read_incidents leaves out that a synced table keeps (deaths by side, the release)
KEEP = ("ucdp_version", "relid", "country_id", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")
NUMERIC = ("country_id", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")
COLUMNS = ("id", "date_start", "date_end", "where_prec", "type_of_violence", "best", "latitude", "longitude")


@dataclass(frozen=True)
class UCDPQuery:
    """What to ask UCDP for (the version is not part of it: a new release answers the same query)."""

    country: tuple[int, ...] = ()
    since: str | None = None
    until: str | None = None
    type_of_violence: tuple[int, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "country", tuple(int(c) for c in as_tuple(self.country)))
        object.__setattr__(self, "type_of_violence", tuple(int(c) for c in as_tuple(self.type_of_violence)))
        object.__setattr__(self, "since", iso_date(self.since))
        object.__setattr__(self, "until", iso_date(self.until))

    def params(self) -> dict[str, str]:
        p: dict[str, str] = {}
        if self.country:
            p["Country"] = ",".join(str(c) for c in self.country)
        if self.since:
            p["StartDate"] = self.since
        if self.until:
            p["EndDate"] = self.until
        if self.type_of_violence:
            p["TypeOfViolence"] = ",".join(str(t) for t in self.type_of_violence)
        return p

    def key(self) -> str:
        return "ucdp?" + json.dumps(self.params(), sort_keys=True, separators=(",", ":"))


class UCDPClient:
    """UCDP API access with a token (argument, else ``$UCDP_TOKEN``)."""

    def __init__(
        self,
        token: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float = NETWORK_TIMEOUT_S,
        retries: int = API_RETRIES,
        max_time: float = API_TOTAL_TIME_S,
        http: Http | None = None,
    ):
        self.base_url = (base_url or os.environ.get(UCDP_URL_ENV) or DEFAULT_UCDP_URL).rstrip("/")
        value = token or os.environ.get(UCDP_TOKEN_ENV)
        if not value:
            raise AuthError(
                f"UCDP's API needs an access token: set ${UCDP_TOKEN_ENV} or pass token= "
                "(UCDP gives tokens on request, see ucdp.uu.se/apidocs)"
            )
        self._token = Secret(value)
        self.http = http or Http(timeout=timeout, retries=retries, max_time=max_time)
        self.http.add_secret(value)

    def __repr__(self) -> str:
        return f"UCDPClient(base_url={self.base_url!r}, token='***')"

    def _same_origin(self, url: str) -> bool:
        a, b = urllib.parse.urlsplit(url), urllib.parse.urlsplit(self.base_url)
        return (a.scheme, a.netloc) == (b.scheme, b.netloc)

    def get(self, url: str, params: dict | None = None) -> dict:
        resp = self.http.request(
            "GET", url, params=params, headers={"x-ucdp-access-token": self._token.value}, what="UCDP gedevents"
        )
        says = resp.body[:300].decode("utf-8", "replace").strip()
        if resp.status == 401:
            raise AuthError(self.http.redact(f"UCDP rejected the access token (HTTP 401 {says})"))
        if resp.status == 403:
            raise AccessDenied(self.http.redact(f"UCDP refused access with this token (HTTP 403 {says})"))
        if resp.status == 404:
            raise SourceError(self.http.redact(f"UCDP has no such dataset or version (HTTP 404 {says})"))
        if resp.status != 200:
            raise SourceError(self.http.redact(f"UCDP answered HTTP {resp.status} {says}"))
        body = resp.json()
        if not isinstance(body, dict) or not isinstance(body.get("Result"), list):
            raise SourceError("UCDP's answer has no Result list")
        return body

    def pages(
        self, version: str, query: UCDPQuery, *, start_page: int = 0, page_size: int = MAX_PAGE_SIZE
    ) -> Iterator[tuple[int, list[dict], int]]:
        """(page number, rows, TotalCount) for every page from ``start_page`` to the last."""
        if not version or not str(version).replace(".", "").isdigit():
            raise ValueError(f"a UCDP version looks like 24.1 or 24.0.7, not {version!r}")
        size = min(int(page_size), MAX_PAGE_SIZE)
        base = f"{self.base_url}/api/gedevents/{version}"
        page = int(start_page)
        url, params = base, {"pagesize": size, "page": page, **query.params()}
        while True:
            body = self.get(url, params)
            total, pages = int(body.get("TotalCount") or 0), int(body.get("TotalPages") or 0)
            yield page, body["Result"], total
            page += 1
            nxt = body.get("NextPageUrl") or ""
            if not nxt or page >= pages:
                return
            if self._same_origin(nxt):
                url, params = nxt, None
            else:  # the same page rebuilt on our host: the token goes nowhere else
                url, params = base, {"pagesize": size, "page": page, **query.params()}


def ucdp_frame(rows: list[dict], version: str):
    """API rows as a DataFrame, with the release on every row (``ucdp_version``)."""
    import pandas as pd

    frame = pd.DataFrame(rows)
    frame["ucdp_version"] = str(version)
    return frame


def fetch_ucdp(
    version: str,
    country=None,
    *,
    since=None,
    until=None,
    type_of_violence=None,
    token: str | None = None,
    base_url: str | None = None,
    page_size: int = MAX_PAGE_SIZE,
    timeout: float = NETWORK_TIMEOUT_S,
    retries: int = API_RETRIES,
    max_time: float = API_TOTAL_TIME_S,
    progress: Callable[[int, int | None], None] | None = None,
    warn: bool = True,
) -> geopandas.GeoDataFrame:
    """UCDP GED events of one release from the API, every page, as incidents (validated by ``read_incidents``).

    Parameters
    ----------
    version : str
        The release: ``"24.1"`` (yearly) or ``"24.0.7"`` (monthly candidate).
    country : int or list of int, optional
        Gleditsch–Ward country codes.
    since, until : date or ``YYYY-MM-DD``, optional
        ``StartDate`` / ``EndDate``.
    type_of_violence : int or list of int, optional
        1 state-based, 2 non-state, 3 one-sided.
    token : str, optional
        The access token, else ``$UCDP_TOKEN``; sent only to ``base_url``'s host, never printed.
    base_url : str, optional
        The API root, else ``$GEOCONFLICT_UCDP_URL`` or ucdpapi.pcr.uu.se.

    Returns
    -------
    geopandas.GeoDataFrame
        The canonical schema (``geo_precision`` from ``where_prec``, ``fatalities`` from ``best`` with
        ``fatalities_low``/``fatalities_high``) plus ``ucdp_version`` and the deaths by side.

    Examples
    --------
    Against a loopback stand-in for the API:

    >>> from geoconflict.sources.loopback import UCDPServer
    >>> rows = [{"id": 7, "date_start": "2020-01-05", "date_end": "2020-01-05", "where_prec": 3, "best": 4,
    ...          "low": 3, "high": 6, "type_of_violence": 1, "latitude": 4.36, "longitude": 18.56, "country_id": 482}]
    >>> with UCDPServer({"24.1": rows}, tokens={"my-token"}) as api:
    ...     events = fetch_ucdp("24.1", 482, token="my-token", base_url=api.url)
    >>> events[["geo_precision", "fatalities", "fatalities_low", "fatalities_high", "ucdp_version"]].values.tolist()
    [[3, 4, 3, 6, '24.1']]
    """
    client = UCDPClient(token, base_url, timeout=timeout, retries=retries, max_time=max_time)
    query = UCDPQuery(country, since, until, type_of_violence)
    rows = all_rows(client.pages(version, query, page_size=page_size), progress)
    return to_incidents(ucdp_frame(rows, version), keep=KEEP, numeric=NUMERIC, columns=COLUMNS, warn=warn)
