"""Conflict zones: is an incident inside, near or outside the main conflict zone, and how far?

A :class:`ConflictZone` is an area in EPSG:4326 with a name and provenance.
:meth:`ConflictZone.classify` adds ``zone_status`` (``inside`` / ``near`` /
``outside``), ``zone_distance_km`` (geodesic distance to the zone's edge, 0
inside) and ``zone_status_certain`` to an incident frame. It is precision-aware:
an event coded only to a province or a country carries the uncertainty of that
coding, so it is never called ``outside`` on the strength of a centroid.

Examples
--------
>>> zone = ConflictZone.from_names(["Nagorno-Karabakh"])
>>> zone.metadata["approximate"]
True
>>> round(zone.distance_km(46.0227, 38.9096)[0]) > 30     # Ordubad (lon, lat)
True
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .geodesy import geodesic_buffer
from .schema import AREA_NAME_COLUMNS, PRECISION_RADIUS_KM
from .settings import NEAR_KM

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

    from .gazetteer import Gazetteer

__all__ = ["NEAR_KM", "PRECISION_RADIUS_KM", "ConflictZone", "ZonePeriod", "ZoneTimeline"]


@dataclass(frozen=True)
class ConflictZone:
    """An area that counts as the conflict zone, with where it came from.

    Attributes
    ----------
    geometry : shapely geometry
        Polygon or MultiPolygon in EPSG:4326.
    name : str
    metadata : dict
        ``source`` (what the outline is), ``approximate`` (True when the outline is
        an approximation, e.g. drawn around member towns offline), ``note``.
    near_km : float
        Width of the "near" band outside the edge.
    """

    geometry: Any
    name: str
    metadata: dict = field(default_factory=dict)
    near_km: float = NEAR_KM

    def __post_init__(self):
        import shapely

        geom = self.geometry
        if geom is None or geom.is_empty:
            raise ValueError(f"conflict zone {self.name!r} has an empty geometry")
        if geom.geom_type not in ("Polygon", "MultiPolygon", "GeometryCollection"):
            raise ValueError(f"conflict zone {self.name!r} must be an area, not a {geom.geom_type}")
        if not geom.is_valid:
            object.__setattr__(self, "geometry", shapely.make_valid(geom))
        minx, miny, maxx, maxy = self.geometry.bounds
        if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
            raise ValueError(f"conflict zone {self.name!r} is not in longitude/latitude degrees (EPSG:4326)")

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_names(
        cls, names: Sequence[str], *, gazetteer: Gazetteer | None = None, near_km: float = NEAR_KM
    ) -> ConflictZone:
        """The union of named regions from the offline gazetteer.

        Offline, region outlines are approximations (e.g. the hull of member towns);
        ``metadata["approximate"]`` says so. For a surveyed outline use
        :meth:`from_file` or :meth:`from_boundaries`.
        """
        import shapely

        from .gazetteer import Gazetteer

        gaz = gazetteer or Gazetteer.default()
        geoms, notes, approximate = [], [], False
        for n in _name_list(names):
            m = gaz.resolve(n, kind="admin1")
            if m is None:
                raise ValueError(f"no region named {n!r} in the gazetteer: {gaz.reason(n)}")
            if not m.is_area:
                raise ValueError(f"{n!r} resolves to {m.name} ({m.feature_kind}), a point, not an area")
            geoms.append(m.geometry)
            approximate |= "approximate" in m.note or "hull" in m.note
            notes.append(f"{m.name}: {m.note or m.source}")
        return cls(
            shapely.union_all(geoms),
            name=" + ".join(_name_list(names)),
            metadata={
                "source": "geoconflict gazetteer (offline)",
                "approximate": approximate,
                "note": "; ".join(notes),
            },
            near_km=near_km,
        )

    @classmethod
    def from_boundaries(
        cls,
        boundaries: geopandas.GeoDataFrame,
        names: Sequence[str] | None = None,
        *,
        column: str = "name",
        near_km: float = NEAR_KM,
        source: str = "boundaries",
    ) -> ConflictZone:
        """The union of the boundary units whose ``column`` matches ``names`` (all units when None)."""
        import shapely

        from .names import normalize

        gdf = boundaries.to_crs(4326) if boundaries.crs is not None else boundaries
        if names is not None:
            wanted = {normalize(n) for n in _name_list(names)}
            if column not in gdf.columns:
                raise ValueError(f"boundaries have no {column!r} column; columns: {list(gdf.columns)}")
            picked = gdf[gdf[column].astype(str).map(normalize).isin(wanted)]
            found = {normalize(v) for v in picked[column].astype(str)}
            missing = sorted(wanted - found)
            if missing:
                raise ValueError(f"no unit named {missing} in the boundaries ({column!r})")
            gdf = picked
        if gdf.empty:
            raise ValueError("no boundary unit to build the zone from")
        geom = shapely.union_all(shapely.make_valid(gdf.geometry.values))
        label = " + ".join(_name_list(names)) if names is not None else source
        return cls(geom, name=label, metadata={"source": source, "approximate": False, "note": ""}, near_km=near_km)

    @classmethod
    def from_file(
        cls,
        path: str | Path,
        names: Sequence[str] | None = None,
        *,
        column: str = "name",
        layer: str | None = None,
        near_km: float = NEAR_KM,
    ) -> ConflictZone:
        """The zone from any file pyogrio reads (GeoJSON, GeoPackage, Shapefile …)."""
        import geopandas as gpd

        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"zone file {path} not found")
        gdf = gpd.read_file(path, layer=layer)
        if gdf.crs is None:
            gdf = gdf.set_crs(4326)
        zone = cls.from_boundaries(gdf, names, column=column, near_km=near_km, source=str(path))
        label = zone.name if names is not None else _label_from(gdf, path)
        return cls(zone.geometry, name=label, metadata={**zone.metadata, "source": str(path)}, near_km=near_km)

    @classmethod
    def from_places(
        cls,
        names: Sequence[str],
        buffer_km: float,
        *,
        gazetteer: Gazetteer | None = None,
        country: str | None = None,
        near_km: float = NEAR_KM,
    ) -> ConflictZone:
        """The area within ``buffer_km`` of named places (e.g. front-line towns)."""
        import shapely

        from .gazetteer import Gazetteer

        if buffer_km <= 0:
            raise ValueError("buffer_km must be positive")
        gaz = gazetteer or Gazetteer.default()
        geoms, used = [], []
        for n in _name_list(names):
            m = gaz.resolve(n, country=country)
            if m is None:
                raise ValueError(f"no place named {n!r}: {gaz.reason(n)}")
            geoms.append(geodesic_buffer(m.geometry, buffer_km))
            used.append(f"{m.name} ({m.country_code})")
        return cls(
            shapely.union_all(geoms),
            name=" + ".join(_name_list(names)),
            metadata={
                "source": f"within {buffer_km:g} km of {', '.join(used)}",
                "approximate": True,
                "note": "a buffer around named places, not a surveyed outline",
            },
            near_km=near_km,
        )

    @classmethod
    def over_time(
        cls, periods: Sequence[tuple[Any, Any, Any]], *, name: str | None = None, near_km: float = NEAR_KM
    ) -> ZoneTimeline:
        """A zone whose outline changes: ``[(outline, start, end), …]``, see :class:`ZoneTimeline`."""
        return ZoneTimeline.from_periods(periods, name=name, near_km=near_km)

    # ------------------------------------------------------------------ measurement
    @property
    def label(self) -> str:
        """What a map legend should say about this outline."""
        src = self.metadata.get("source", "")
        approx = " (approximate)" if self.metadata.get("approximate") else ""
        return f"{self.name}{approx} — {src}" if src else f"{self.name}{approx}"

    def distance_km(self, lon: Iterable[float], lat: Iterable[float]) -> np.ndarray:
        """Geodesic distance (km) from points to the zone's edge; 0 inside; NaN for invalid points."""
        import shapely

        lon = np.asarray(lon, dtype=float).ravel()
        lat = np.asarray(lat, dtype=float).ravel()
        out = np.full(len(lon), np.nan)
        ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
        if not ok.any():
            return out
        inside = np.zeros(len(lon), bool)
        inside[ok] = shapely.contains_xy(self.geometry, lon[ok], lat[ok])
        out[ok & inside] = 0.0
        todo = ok & ~inside
        if todo.any():
            out[todo] = self._edge_distance(lon[todo], lat[todo])
        return out

    def _edge_distance(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Nearest edge point found in an equidistant projection, distance measured on the ellipsoid."""
        import shapely
        from pyproj import Geod

        proj, inv = self._projection
        xs, ys = proj.transform(lon, lat)
        edge = self._projected_boundary
        pts = shapely.points(xs, ys)
        nearest = shapely.get_point(shapely.shortest_line(pts, edge), 1)
        ex, ey = shapely.get_x(nearest), shapely.get_y(nearest)
        elon, elat = inv.transform(ex, ey)
        _, _, dist_m = Geod(ellps="WGS84").inv(lon, lat, elon, elat)
        return np.asarray(dist_m) / 1000.0

    @property
    def _projection(self):
        cached = self.__dict__.get("_proj_cache")
        if cached is None:
            from pyproj import CRS, Transformer

            c = self.geometry.centroid
            aeqd = CRS.from_proj4(f"+proj=aeqd +lat_0={c.y} +lon_0={c.x} +datum=WGS84 +units=m")
            cached = (
                Transformer.from_crs(4326, aeqd, always_xy=True),
                Transformer.from_crs(aeqd, 4326, always_xy=True),
            )
            self.__dict__["_proj_cache"] = cached
        return cached

    @property
    def _projected_boundary(self):
        cached = self.__dict__.get("_boundary_cache")
        if cached is None:
            import shapely

            proj, _ = self._projection
            cached = shapely.transform(
                self.geometry.boundary, lambda xy: np.column_stack(proj.transform(xy[:, 0], xy[:, 1]))
            )
            self.__dict__["_boundary_cache"] = cached
        return cached

    # ------------------------------------------------------------------ classification
    def classify(self, incidents: geopandas.GeoDataFrame, near_km: float | None = None) -> geopandas.GeoDataFrame:
        """Add ``zone_status``, ``zone_distance_km`` and ``zone_status_certain``.

        Parameters
        ----------
        incidents : GeoDataFrame
            Points or areas in any CRS (converted to EPSG:4326). A ``geo_precision``
            column (1 exact … 7, see :data:`PRECISION_RADIUS_KM`) widens the
            uncertainty of each point.
        near_km : float, optional
            Width of the "near" band (default: the zone's ``near_km``).

        Returns
        -------
        GeoDataFrame
            A copy with the three columns. Rows without a usable geometry get no
            status (None) and NaN distance; they are kept.

        Notes
        -----
        * A point is ``inside`` when the zone contains it, ``near`` within
          ``near_km`` of the edge, ``outside`` beyond.
        * An area is ``inside`` when the zone contains it, ``near`` when it touches
          the zone or lies within ``near_km``, ``outside`` otherwise; the distance is
          the nearest of its points.
        * ``zone_status_certain`` is False when the location's uncertainty (from
          ``geo_precision``, or an area straddling the edge) could change the status.
          An event whose uncertainty reaches the zone is called ``near``, never
          ``outside``; one coded to a whole country is ``near`` unless the country
          lies wholly away from the zone (then ``outside``) or within it.
        """
        import shapely

        near = self.near_km if near_km is None else float(near_km)
        gdf = incidents.to_crs(4326) if incidents.crs is not None and incidents.crs.to_epsg() != 4326 else incidents
        out = incidents.copy()
        n = len(gdf)
        status = np.full(n, None, dtype=object)
        dist = np.full(n, np.nan)
        certain = np.zeros(n, dtype=bool)
        geoms = gdf.geometry.values
        valid = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        is_point = valid & (shapely.get_type_id(geoms) == 0)
        is_area = valid & ~is_point

        if is_point.any():
            d = self.distance_km(shapely.get_x(geoms[is_point]), shapely.get_y(geoms[is_point]))
            dist[is_point] = d
        if is_area.any():
            for i in np.flatnonzero(is_area):
                dist[i], status[i], certain[i] = self._classify_area(geoms[i], near)

        radius = self._uncertainty(gdf)
        for i in np.flatnonzero(is_point):
            d = dist[i]
            if not np.isfinite(d):
                continue
            r = radius[i]
            st = "inside" if d == 0 else ("near" if d <= near else "outside")
            if r is None:  # a country's centroid: nothing to stand on
                st, ok = ("near", False) if st != "inside" else ("inside", False)
            else:
                if st == "inside":
                    ok = r == 0 or self._depth_km(geoms[i]) > r
                elif st == "near":
                    ok = d - r > 0 and d + r <= near
                else:
                    ok = d - r > near
                    if d - r <= 0:
                        st = "near"  # the uncertainty reaches the zone: not "outside" on a centroid's word
            status[i], certain[i] = st, bool(ok)
        out["zone_status"] = status
        out["zone_distance_km"] = np.round(dist, 3)
        out["zone_status_certain"] = certain
        return out

    def _classify_area(self, area, near: float) -> tuple[float, str, bool]:
        if self.geometry.contains(area):
            return 0.0, "inside", True
        if self.geometry.intersects(area):
            return 0.0, "near", False
        coords = np.asarray(area.exterior.coords if area.geom_type == "Polygon" else _all_coords(area))
        d = float(np.nanmin(self.distance_km(coords[:, 0], coords[:, 1])))
        return d, ("near" if d <= near else "outside"), True

    def _depth_km(self, point) -> float:
        """How far inside the zone a point lies (distance to the edge), km."""
        return float(self._edge_distance(np.array([point.x]), np.array([point.y]))[0])

    def _uncertainty(self, gdf) -> list[float | None]:
        """Radius (km) within which each event's true location lies.

        For an event coded to a district or a province (geo_precision 3 or 4) whose
        ``admin2``/``admin1`` the gazetteer knows, the radius is that unit's own size;
        otherwise the scale's generic radius.
        """
        if "geo_precision" not in gdf.columns:
            return [0.0] * len(gdf)
        prec = np.asarray(gdf["geo_precision"], dtype=object)
        columns = {3: "admin2", 4: "admin1"}
        cc = gdf["country_code"].to_numpy(dtype=object) if "country_code" in gdf.columns else [None] * len(gdf)
        names = {lvl: gdf[col].to_numpy(dtype=object) for lvl, col in columns.items() if col in gdf.columns}
        sizes: dict[tuple, float | None] = {}
        out: list[float | None] = []
        for i, p in enumerate(prec):
            try:
                level = int(p)
            except (TypeError, ValueError):
                out.append(0.0)
                continue
            r = PRECISION_RADIUS_KM.get(level, 0.0)
            if level in names and isinstance(names[level][i], str) and names[level][i]:
                key = (level, names[level][i], cc[i] if isinstance(cc[i], str) else None)
                if key not in sizes:
                    sizes[key] = _unit_radius_km(*key)
                if sizes[key]:
                    r = sizes[key]
            out.append(r)
        return out


def _unit_radius_km(level: int, name: str, country: str | None) -> float | None:
    """Size (equal-area radius, km) of a named district/province, from the offline gazetteer."""
    from .gazetteer import Gazetteer

    gaz = Gazetteer.default()
    try:
        m = gaz.resolve(name, country=country, kind="admin2" if level == 3 else "admin1")
    except ValueError:
        return None
    if m is None or not m.is_area or m.feature_kind not in ("admin1", "admin2", "region"):
        return None
    if country and m.country_code != country:
        return None
    return m.radius_km


def _all_coords(geom) -> np.ndarray:
    import shapely

    return shapely.get_coordinates(geom)


def _name_list(names) -> list[str]:
    if isinstance(names, str):
        return [names]
    return [str(n) for n in names]


def _label_from(gdf, path: Path) -> str:
    # a breakaway area's own name (Natural Earth) before its sovereign's
    for col in AREA_NAME_COLUMNS:
        if col in gdf.columns:
            vals = [str(v) for v in gdf[col].dropna().unique()[:3]]
            if vals:
                return " + ".join(vals)
    return path.stem


# ---------------------------------------------------------------------------- zones over time
def _day(value: Any, what: str) -> Any:
    """``value`` (text, date, datetime, Timestamp) as a :class:`datetime.date`, or None for an open end."""
    import datetime as dt

    import pandas as pd

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ValueError(f"{what} {value!r} is not a date (YYYY-MM-DD)") from None
    if pd.isna(ts):
        return None
    return dt.date(ts.year, ts.month, ts.day)


@dataclass(frozen=True)
class ZonePeriod:
    """One outline of a :class:`ZoneTimeline` and the days it is in force (both ends included; None: open)."""

    zone: ConflictZone
    start: Any = None
    end: Any = None

    @property
    def label(self) -> str:
        """The days in force as text: ``2020-09-27 – 2020-11-09``, ``until 2020-11-09``, ``from 2020-11-10``."""
        if self.start and self.end:
            return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"
        if self.end:
            return f"until {self.end:%Y-%m-%d}"
        return f"from {self.start:%Y-%m-%d}" if self.start else "all dates"

    def covers(self, days: np.ndarray) -> np.ndarray:
        """Which of ``days`` (``datetime64[D]``, NaT for undated) fall in this period."""
        ok = ~np.isnat(days)
        if self.start is not None:
            ok &= days >= np.datetime64(self.start, "D")
        if self.end is not None:
            ok &= days <= np.datetime64(self.end, "D")
        return ok


@dataclass(frozen=True)
class ZoneTimeline:
    """A conflict zone whose outline changes with time (front lines, a ceasefire line, control).

    Each incident is classified against the outline in force on its date
    (``event_date``, or another of the schema's date columns); the map shows the
    outline of the slider's date. Build it with :meth:`ConflictZone.over_time`.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point, box
    >>> before, after = box(46, 39, 47, 40), box(46.5, 39, 47, 40)
    >>> tl = ConflictZone.over_time([(before, None, "2020-11-09"), (after, "2020-11-10", None)])
    >>> gdf = gpd.GeoDataFrame({"event_date": ["2020-10-01", "2020-12-01", None]},
    ...                        geometry=[Point(46.2, 39.5)] * 3, crs=4326)
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     out = tl.classify(gdf)
    >>> out["zone_status"].tolist(), out["zone_period"].tolist()
    (['inside', 'outside', None], ['until 2020-11-09', 'from 2020-11-10', None])
    >>> str(caught[0].message)
    '1 of 3 incidents have no zone status: 1 undated (the zone changes with time; see zone_period)'
    """

    periods: tuple[ZonePeriod, ...]
    name: str
    metadata: dict = field(default_factory=dict)
    near_km: float = NEAR_KM

    @classmethod
    def from_periods(
        cls, periods: Sequence[tuple[Any, Any, Any]], *, name: str | None = None, near_km: float = NEAR_KM
    ) -> ZoneTimeline:
        """``[(outline, start, end), …]``: an outline (ConflictZone or shapely area) and its first and last day."""
        items = []
        for k, item in enumerate(periods):
            try:
                outline, start, end = item
            except (TypeError, ValueError):
                raise ValueError(f"period {k} must be (outline, start, end), not {item!r}") from None
            zone = outline if isinstance(outline, ConflictZone) else ConflictZone(outline, name=name or "Conflict zone")
            period = ZonePeriod(zone, _day(start, "start"), _day(end, "end"))
            if period.start and period.end and period.start > period.end:
                raise ValueError(f"period {k} ends ({period.end}) before it starts ({period.start})")
            items.append(period)
        if not items:
            raise ValueError("a zone over time needs at least one (outline, start, end) period")
        items.sort(key=lambda p: (p.start is not None, p.start or 0))
        for a, b in itertools.pairwise(items):
            if a.end is None or b.start is None or b.start <= a.end:
                raise ValueError(f"the periods {a.label} and {b.label} overlap: each day needs one outline")
        label = name or items[-1].zone.name
        meta = {"source": "; ".join(f"{p.label}: {p.zone.metadata.get('source', p.zone.name)}" for p in items)}
        return cls(tuple(items), name=label, metadata=meta, near_km=near_km)

    @property
    def geometry(self) -> Any:
        """Every outline together (what the map fits its view to)."""
        import shapely

        return shapely.union_all([p.zone.geometry for p in self.periods])

    def period_at(self, day: Any) -> ZonePeriod | None:
        """The period in force on ``day``, or None."""
        d = np.array([np.datetime64(_day(day, "day"), "D")])
        return next((p for p in self.periods if p.covers(d)[0]), None)

    def classify(self, incidents: geopandas.GeoDataFrame, near_km: float | None = None) -> geopandas.GeoDataFrame:
        """Each incident against the outline in force on its date; ``zone_period`` says which.

        Incidents with no date, or dated outside every period, get no status (None),
        ``zone_period`` None and a UserWarning that counts them: they are kept.
        """
        import warnings

        import pandas as pd

        from .schema import DATE_COLUMNS, first_column

        n = len(incidents)
        col = first_column(incidents.columns, DATE_COLUMNS)
        raw = pd.to_datetime(incidents[col], errors="coerce", utc=True) if col else pd.Series([pd.NaT] * n)
        days = raw.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        out = incidents.copy()
        out["zone_status"] = np.full(n, None, dtype=object)
        out["zone_distance_km"] = np.full(n, np.nan)
        out["zone_status_certain"] = np.zeros(n, dtype=bool)
        out["zone_period"] = np.full(n, None, dtype=object)
        for period in self.periods:
            rows = np.flatnonzero(period.covers(days))
            if len(rows):
                done = period.zone.classify(
                    incidents.iloc[rows], near_km=near_km if near_km is not None else self.near_km
                )
                for c in ("zone_status", "zone_distance_km", "zone_status_certain"):
                    out.iloc[rows, out.columns.get_loc(c)] = done[c].to_numpy()
                out.iloc[rows, out.columns.get_loc("zone_period")] = period.label
        undated, unmatched = (
            int(np.isnat(days).sum()),
            int((~np.isnat(days) & out["zone_period"].isna().to_numpy()).sum()),
        )
        if undated or unmatched:
            parts = ([f"{undated} undated"] if undated else []) + (
                [f"{unmatched} outside every period"] if unmatched else []
            )
            warnings.warn(
                f"{undated + unmatched} of {n} incidents have no zone status: {', '.join(parts)} "
                "(the zone changes with time; see zone_period)",
                UserWarning,
                stacklevel=2,
            )
        return out
