"""Opt-in online fallback: any geopy geocoder, rate-limited, cached on disk.

The offline gazetteer is always asked first; the online geocoder is consulted
only for names it cannot resolve, only when the caller attaches one, and every
answer (including "not found") is cached so a name costs at most one request.

Examples
--------
>>> from geopy.geocoders import Nominatim                       # doctest: +SKIP
>>> gaz = Gazetteer.default().with_online(
...     Nominatim(user_agent="my-newsroom-project"), min_delay_seconds=1.0)  # doctest: +SKIP
>>> gaz.resolve("Some hamlet the offline index lacks")          # doctest: +SKIP
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from .match import Match

__all__ = ["OnlineGeocoder", "OnlineGeocodingError"]


class OnlineGeocodingError(RuntimeError):
    """The online geocoder failed (timeout, unreachable network, refusal)."""


class OnlineGeocoder:
    """Wrap a geopy geocoder with a rate limit, a timeout and an on-disk cache.

    Parameters
    ----------
    geocoder : geopy.geocoders.base.Geocoder
        Any geopy geocoder (Nominatim, Photon, ArcGIS …) or an object with the
        same ``geocode(query, exactly_one=True, timeout=...)`` method.
    min_delay_seconds : float
        Minimum delay between requests (Nominatim's policy is one per second).
    timeout : float
        Seconds to wait for one answer.
    max_retries : int
        Retries after a failed request (geopy's ``RateLimiter``).
    cache_path : path, optional
        SQLite file for the cache; defaults to the geoconflict user cache.
    """

    def __init__(
        self,
        geocoder: Any,
        *,
        min_delay_seconds: float = 1.0,
        timeout: float = 10.0,
        max_retries: int = 2,
        cache_path: str | Path | None = None,
    ):
        from geopy.extra.rate_limiter import RateLimiter

        self.geocoder = geocoder
        self.name = type(geocoder).__name__
        self.timeout = timeout
        self._limited = RateLimiter(
            geocoder.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=max_retries,
            error_wait_seconds=max(min_delay_seconds, 2.0),
            swallow_exceptions=False,
        )
        if cache_path is None:
            from ..settings import cache_root

            cache_path = cache_root() / "online-geocoder.sqlite"
        self.cache_path = Path(cache_path)
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._db() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS answers"
                " (geocoder TEXT, query TEXT, result TEXT, PRIMARY KEY (geocoder, query))"
            )

    def _db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.cache_path, timeout=30)

    def _cached(self, query: str) -> tuple[bool, dict | None]:
        with self._db() as db:
            row = db.execute("SELECT result FROM answers WHERE geocoder=? AND query=?", (self.name, query)).fetchone()
        if row is None:
            return False, None
        return True, json.loads(row[0])

    def _store(self, query: str, result: dict | None) -> None:
        with self._lock, self._db() as db:
            db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", (self.name, query, json.dumps(result)))

    def lookup(self, name: str, country: str | None = None) -> dict | None:
        """The cached or fetched answer for a name: a dict with lat, lon, address, id; or None."""
        from geopy.exc import GeopyError

        query = f"{name}, {country}" if country else name
        hit, result = self._cached(query)
        if hit:
            return result
        try:
            loc = self._limited(query, exactly_one=True, timeout=self.timeout)
        except GeopyError as exc:
            raise OnlineGeocodingError(
                f"the online geocoder {self.name} failed for {query!r} ({type(exc).__name__}: {exc}). "
                "Check the network or the service, retry later, or resolve offline only "
                "(the default: do not attach an online geocoder)."
            ) from exc
        result = None
        if loc is not None:
            raw = getattr(loc, "raw", None) or {}
            ident = raw.get("place_id") or raw.get("osm_id") or raw.get("id") or ""
            result = {"lat": float(loc.latitude), "lon": float(loc.longitude), "address": loc.address, "id": str(ident)}
        self._store(query, result)
        return result

    def geocode(self, name: str, country: str | None = None, *, country_at=None) -> Match | None:
        """A :class:`Match` for ``name`` from the online geocoder, or None when it knows none."""
        r = self.lookup(name, country)
        if r is None:
            return None
        cc = country_at(r["lat"], r["lon"]) if country_at else ""
        return Match(
            query=name,
            name=(r.get("address") or name).split(",")[0].strip(),
            matched_name=r.get("address") or "",
            match_type="online",
            source=f"online:{self.name}",
            source_id=r.get("id") or "",
            country_code=cc or "",
            admin1="",
            feature_kind="town",
            latitude=r["lat"],
            longitude=r["lon"],
            population=0,
            score=0.6,  # an online answer cannot be checked against context here
            note=f"from the online geocoder {self.name}: {r.get('address') or ''}",
        )
