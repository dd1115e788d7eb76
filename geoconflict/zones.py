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
from .schema import AREA_NAME_COLUMNS, PRECISION_RADIUS_KM, ZONE_STATUSES
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
        * Speed: distances of many points are measured on grids of candidate edge
          segments with Lambert's ellipsoidal formula (within a few metres of the
          exact measurement: under 2 m per 100 km on Natural Earth's outline);
          wherever those metres could change a status — near the band's edge, the
          uncertainty radius or the zone's edge — and beyond the grids (600 km
          out), the exact geodesic is measured, so statuses are the exact ones.

        Examples
        --------
        >>> import geopandas as gpd
        >>> from shapely import box, points
        >>> zone = ConflictZone(box(46.0, 39.0, 47.0, 40.0), name="box")
        >>> pts = gpd.GeoDataFrame({"geo_precision": [1, 1, 4]}, crs=4326,  # 4: a province, 150 km
        ...                        geometry=points([[46.5, 39.5], [47.05, 39.5], [45.0, 39.5]]))
        >>> zone.classify(pts)[["zone_status", "zone_distance_km", "zone_status_certain"]].to_dict("list")
        ... # doctest: +NORMALIZE_WHITESPACE
        {'zone_status': ['inside', 'near', 'near'], 'zone_distance_km': [0.0, 4.302, 86.013],
         'zone_status_certain': [True, True, False]}
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
            radius = self._uncertainty(gdf)[is_point]
            pts = geoms[is_point]
            st, dist[is_point], certain[is_point] = self._classify_points(
                shapely.get_x(pts), shapely.get_y(pts), radius, near
            )
            status[is_point] = st
        for i in np.flatnonzero(is_area):
            dist[i], status[i], certain[i] = self._classify_area(geoms[i], near)
        out["zone_status"] = status
        out["zone_distance_km"] = np.round(dist, 3)
        out["zone_status_certain"] = certain
        return out

    def _classify_points(self, lon: np.ndarray, lat: np.ndarray, radius: np.ndarray, near: float):
        """Points: (status or None, distance km, certain), every step vectorised.

        ``radius`` is each point's uncertainty (km; NaN for a country's centroid).
        A point's edge distance is needed outside the zone (its distance) and inside
        when its radius could reach the edge (its depth); :meth:`_point_edge_km`
        measures it.
        """
        import shapely

        ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
        inside = np.zeros(len(lon), bool)
        inside[ok] = shapely.contains_xy(self._prepared, lon[ok], lat[ok])
        need = ok & (~inside | (radius > 0))  # NaN radius compares False: a centroid inside needs no depth
        edge = np.full(len(lon), np.nan)
        rows = np.flatnonzero(need)
        edge[rows] = self._point_edge_km(lon[rows], lat[rows], inside[rows], radius[rows], near)
        dist = np.where(inside, 0.0, edge)
        dist[~ok] = np.nan
        status, certain = _point_statuses(dist, np.where(inside, edge, np.nan), radius, near)
        return status, dist, certain

    def _point_edge_km(self, lon, lat, inside, radius, near: float) -> np.ndarray:
        """Distance (km) from each point to the zone's edge, exact wherever the status could hang on it.

        Many points are measured on the edge grid (:class:`_EdgeGrid`); those the grid
        does not cover, and those within a margin of a threshold that decides their
        status (0, the band, the radius, band ± radius), get the exact geodesic of
        :meth:`_edge_distance` — so every status is the one the exact distance gives.
        """
        d = np.full(len(lon), np.nan)
        for grid in self._edge_grids if len(lon) >= _GRID_MIN_POINTS else ():
            todo = np.flatnonzero(np.isnan(d))  # what the finer grid left
            d[todo] = grid.distance_km(lon[todo], lat[todo])
        if len(lon) >= _GRID_MIN_POINTS:
            d[_near_threshold(d, inside, radius, near)] = np.nan
        todo = np.flatnonzero(np.isnan(d))
        if len(todo):
            d[todo] = self._edge_distance(lon[todo], lat[todo])
        return d

    @property
    def _prepared(self):
        """The zone's geometry, prepared once (point-in-polygon by an index of its edges)."""
        cached = self.__dict__.get("_prepared_cache")
        if cached is None:
            import shapely

            cached = shapely.from_wkb(shapely.to_wkb(self.geometry))  # a copy: the public geometry stays as given
            shapely.prepare(cached)
            self.__dict__["_prepared_cache"] = cached
        return cached

    @property
    def _edge_grids(self) -> list[_EdgeGrid]:
        """The edge grids, finest first (:data:`_GRIDS`), built once; empty for a zone without rings."""
        if "_grid_cache" not in self.__dict__:
            grids = [_EdgeGrid.build(self.geometry, cell, reach) for cell, reach in _GRIDS]
            self.__dict__["_grid_cache"] = [g for g in grids if g is not None]
        return self.__dict__["_grid_cache"]

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

    def _uncertainty(self, gdf) -> np.ndarray:
        """Radius (km) within which each event's true location lies; NaN where the coordinates say nothing.

        For an event coded to a district or a province (geo_precision 3 or 4) whose
        ``admin2``/``admin1`` the gazetteer knows, the radius is that unit's own size;
        otherwise the scale's generic radius. Each distinct precision value and each
        distinct unit is looked at once.
        """
        import pandas as pd

        n = len(gdf)
        if "geo_precision" not in gdf.columns:
            return np.zeros(n)
        codes, uniques = pd.factorize(gdf["geo_precision"], use_na_sentinel=False)  # NaN kept as a value
        level_of = np.array([_precision_level(v) for v in uniques], dtype="int64")
        radius_of = np.array([PRECISION_RADIUS_KM.get(int(v), 0.0) for v in level_of], dtype=object)
        levels = level_of[codes]
        out = np.where(pd.isna(radius_of), np.nan, radius_of).astype(float)[codes]  # None (a country): NaN
        columns = {3: "admin2", 4: "admin1"}
        cc = gdf["country_code"].to_numpy(dtype=object) if "country_code" in gdf.columns else np.full(n, None)
        for level, col in columns.items():
            if col in gdf.columns:
                _unit_radii(out, levels == level, level, gdf[col].to_numpy(dtype=object), cc)
        return out


#: Point sets smaller than this are measured exactly: building the edge grid (about 0.1 s)
#: costs more than it saves below a few thousand points (ACLED's whole Armenia extract is 4,960).
_GRID_MIN_POINTS = 5_000


def _precision_level(value) -> int:
    """A ``geo_precision`` value as a level of the scale; 0 (exact) when it is not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _unit_radii(out: np.ndarray, at: np.ndarray, level: int, names: np.ndarray, cc: np.ndarray) -> None:
    """Rows ``at`` (coded to ``level``) naming a unit the gazetteer knows take its size as their radius, in place.

    Names and countries are factorised, so the gazetteer is asked once per distinct
    (name, country), never once per row.
    """
    import pandas as pd

    rows = np.flatnonzero(at)
    if not len(rows):
        return
    name_code, name_values = pd.factorize(pd.Series(names[rows], dtype=object))  # -1: missing
    usable = np.array([isinstance(v, str) and bool(v) for v in name_values] + [False], dtype=bool)
    keep = usable[name_code]  # the appended False answers code -1
    rows, name_code = rows[keep], name_code[keep]
    if not len(rows):
        return
    country = pd.Series([c if isinstance(c, str) else None for c in cc[rows]], dtype=object)
    cc_code, cc_values = pd.factorize(country)  # -1: no country
    width = len(cc_values) + 1  # (name, country) as one integer, factorised by hashing (no sort of the rows)
    inverse, pairs = pd.factorize(name_code.astype("int64") * width + (cc_code + 1))
    sizes = np.array(
        [
            _unit_radius_km(level, name_values[k // width], cc_values[k % width - 1] if k % width else None) or np.nan
            for k in pairs
        ],
        dtype=float,
    )
    size = sizes[inverse]
    found = np.isfinite(size)
    out[rows[found]] = size[found]


#: A grid distance may differ from the exact measurement by Lambert's formula (under 1 m
#: at 800 km) and by the nearest edge point being found in another plane (under 2 m per
#: 100 km, 8 m at most, on Natural Earth's outline and points over the region): points
#: within 50 m plus 0.1 % of a threshold — five times that and more — are measured exactly.
_MARGIN_KM, _MARGIN_REL = 0.05, 1e-3


def _near_threshold(d: np.ndarray, inside: np.ndarray, radius: np.ndarray, near: float) -> np.ndarray:
    """Where a grid distance lies within the margin of a threshold that could change the point's status."""
    margin = _MARGIN_KM + _MARGIN_REL * np.nan_to_num(d)
    r = radius
    outside_cuts = (0.0, near, r, near - r, near + r)  # NaN (a centroid's radius) drops out of np.fmin
    gap = np.full(len(d), np.inf)
    for t in outside_cuts:
        gap = np.fmin(gap, np.where(inside, np.inf, np.abs(d - t)))
    gap = np.where(inside, np.abs(d - r), gap)  # inside, only the depth against the radius matters
    return ~(gap > margin)  # NaN distances (not covered) count as near: measured exactly


def _point_statuses(dist: np.ndarray, depth: np.ndarray, radius: np.ndarray, near: float):
    """Status (object array, None where the distance is NaN) and certainty of points, from the rules in classify."""
    n = len(dist)
    status = np.full(n, None, dtype=object)
    certain = np.zeros(n, dtype=bool)
    known = np.isfinite(dist)
    r = radius
    centroid = np.isnan(r)  # a country's centroid: nothing to stand on
    with np.errstate(invalid="ignore"):
        st = np.where(dist == 0, 0, np.where(dist <= near, 1, 2))  # positions in ZONE_STATUSES
        ok_inside = (r == 0) | (depth > r)
        ok_near = (dist - r > 0) & (dist + r <= near)
        ok = np.where(st == 0, ok_inside, np.where(st == 1, ok_near, dist - r > near))
        st = np.where((st == 2) & (dist - r <= 0), 1, st)  # the uncertainty reaches the zone: not "outside"
    st = np.where(centroid & (st != 0), 1, st)
    ok &= ~centroid
    names = np.array(ZONE_STATUSES, dtype=object)
    status[known] = names[st[known]]
    certain[known] = ok[known]
    return status, certain


#: The edge grids, as (cell km, reach km past the outline): a point's candidate segments
#: are those within two cell half-diagonals of the best one at its cell's centre, so
#: cells are fine (1.25 km) within 60 km of the outline, where a coarse cell would hold
#: dozens of segments, 2.5 km out to 250 km, and 5 km out to 600 km (the region around
#: Nagorno-Karabakh: Tbilisi, Tabriz, Baku). A cell with more candidates than the last
#: bucket, or a point beyond every grid, is measured exactly. Cells are filled in when a
#: point first falls in them: a table of towns touches a few hundred, a table spread over
#: the whole region all of them (about 1 s, once per zone).
_GRIDS = ((1.25, 60.0), (2.5, 250.0), (5.0, 600.0))
#: A point is measured against its cell's candidates padded to the next of these (the cells
#: of Natural Earth's Nagorno-Karabakh outline hold 1 to 54 segments).
_GRID_BUCKETS = (2, 4, 8, 16, 32, 64)
#: Point × candidate pairs per vectorised step: the (pairs × 5) gather of segment rows and
#: the few temporaries beside it stay near 100 MB, whatever the bucket.
_GRID_PAIRS = 1 << 20


@dataclass(frozen=True, eq=False)
class _EdgeGrid:
    """The zone's edge as segments, and for each cell of a grid around it the segments that can be nearest.

    Coordinates are azimuthal equidistant (km, :func:`~geoconflict.geodesy.aeqd_sphere_km`)
    about the zone's centroid; a point's nearest edge point is found in the plane
    among its cell's candidates, taken back to longitude/latitude, and its distance
    measured on the ellipsoid by Lambert's formula.
    """

    lon0: float
    lat0: float
    cell_km: float
    seg: np.ndarray  # (segments, 4): ax, ay, bx, by in the plane, km
    origin: tuple[float, float]
    shape: tuple[int, int]  # cells along x, along y
    cand: np.ndarray  # (cells, 64): candidate segments of each cell, -1 padded
    count: np.ndarray  # (cells,): how many; 0 = not covered

    @classmethod
    def build(cls, geometry, cell_km: float, reach_km: float) -> _EdgeGrid | None:
        """The grid of a zone's geometry (cells of ``cell_km``, ``reach_km`` around it); None without polygon rings."""
        import shapely

        from .geodesy import aeqd_sphere_km

        parts = shapely.get_parts(geometry)
        rings = shapely.get_rings(parts[shapely.get_type_id(parts) == 3])
        if not len(rings):
            return None
        ends = [shapely.get_coordinates(r) for r in rings]
        seg_deg = np.concatenate([np.column_stack([e[:-1], e[1:]]) for e in ends if len(e) > 1])
        c = geometry.centroid
        ax, ay = aeqd_sphere_km(seg_deg[:, 0], seg_deg[:, 1], c.x, c.y)
        bx, by = aeqd_sphere_km(seg_deg[:, 2], seg_deg[:, 3], c.x, c.y)
        seg = np.column_stack([ax, ay, bx, by])
        x0 = min(ax.min(), bx.min()) - reach_km
        y0 = min(ay.min(), by.min()) - reach_km
        nx = int(np.ceil((max(ax.max(), bx.max()) + reach_km - x0) / cell_km))
        ny = int(np.ceil((max(ay.max(), by.max()) + reach_km - y0) / cell_km))
        # cells are filled in when a point first falls in them (see _GRIDS)
        # rows are written only when filled (and read only then), so untouched ones take no memory
        cand = np.empty((nx * ny, _GRID_BUCKETS[-1]), dtype="int32")
        count = np.full(nx * ny, -1, dtype="int64")  # -1: not filled in yet
        return cls(c.x, c.y, cell_km, seg, (x0, y0), (nx, ny), cand, count)

    def _fill(self, cells: np.ndarray) -> None:
        """Find the candidates of ``cells`` not filled in yet (cell k = iy * nx + ix)."""
        todo = np.unique(cells[self.count[cells] < 0])
        if not len(todo):
            return
        nx = self.shape[0]
        gx = self.origin[0] + (todo % nx + 0.5) * self.cell_km
        gy = self.origin[1] + (todo // nx + 0.5) * self.cell_km
        cand, count = _cell_candidates(self.seg, gx, gy, self.cell_km)
        self.cand[todo] = cand  # the same answer whoever computes it, so concurrent calls agree
        self.count[todo] = count

    def distance_km(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Distance (km) from each point to the edge; NaN where the grid does not cover it."""
        from .geodesy import aeqd_sphere_km

        x, y = aeqd_sphere_km(lon, lat, self.lon0, self.lat0)
        nx, ny = self.shape
        with np.errstate(invalid="ignore"):
            ix = np.floor((x - self.origin[0]) / self.cell_km)
            iy = np.floor((y - self.origin[1]) / self.cell_km)
            on = (ix >= 0) & (ix < nx) & (iy >= 0) & (iy < ny)
        cell = np.where(on, iy * nx + ix, 0).astype("int64")
        self._fill(cell[on])
        count = np.where(on, self.count[cell], 0)
        d = np.full(len(lon), np.nan)
        low = 0
        for k in _GRID_BUCKETS:  # points with few candidates are measured against few
            rows = np.flatnonzero((count > low) & (count <= k))
            step = _GRID_PAIRS // k
            for start in range(0, len(rows), step):
                r = rows[start : start + step]
                d[r] = self._nearest_km(lon[r], lat[r], x[r], y[r], self.cand[cell[r], :k])
            low = k
        return d

    @property
    def _parts(self) -> np.ndarray:
        """(segments, 5): start x, start y, direction x, y, inverse squared length — one row gathered per candidate."""
        cached = self.__dict__.get("_parts_cache")
        if cached is None:
            ax, ay, bx, by = self.seg.T
            dx, dy = bx - ax, by - ay
            length2 = dx * dx + dy * dy
            inv2 = np.divide(1.0, length2, out=np.zeros_like(length2), where=length2 > 0)  # a point: t = 0
            cached = np.column_stack([ax, ay, dx, dy, inv2])
            object.__setattr__(self, "_parts_cache", cached)
        return cached

    def _nearest_km(self, lon, lat, x, y, cand: np.ndarray) -> np.ndarray:
        """Lambert distance from each point to the nearest point of its candidate segments (``cand``, -1 padded)."""
        from .geodesy import aeqd_sphere_lonlat, lambert_km

        j = np.maximum(cand, 0)
        ax, ay, dx, dy, inv2 = np.moveaxis(self._parts[j], -1, 0)  # one gather of whole rows
        px, py = ax, ay  # the starts, kept for the nearest point
        rx, ry = x[:, None] - ax, y[:, None] - ay
        t = np.clip((rx * dx + ry * dy) * inv2, 0.0, 1.0)
        rx -= t * dx
        ry -= t * dy
        d2 = rx * rx + ry * ry
        d2[cand < 0] = np.inf
        best = np.argmin(d2, axis=1)
        pick = np.arange(len(best))
        tt = t[pick, best]
        # the nearest point on the segment as drawn in the plane (a straight line in longitude/latitude
        # bows up to ~4 m off it over a 20 km edge), back to longitude/latitude
        ex = px[pick, best] + tt * dx[pick, best]
        ey = py[pick, best] + tt * dy[pick, best]
        elon, elat = aeqd_sphere_lonlat(ex, ey, self.lon0, self.lat0)
        return lambert_km(lat, lon, elat, elon)


def _segment_distances(seg: np.ndarray, px: np.ndarray, py: np.ndarray) -> np.ndarray:
    """Plane distances (points × segments) from points (column vectors ``px``, ``py``) to segments."""
    ax, ay, bx, by = seg.T
    dx, dy = bx - ax, by - ay
    length2 = np.where(dx * dx + dy * dy > 0, dx * dx + dy * dy, 1.0)
    t = np.clip(((px - ax) * dx + (py - ay) * dy) / length2, 0.0, 1.0)
    return np.hypot(px - ax - t * dx, py - ay - t * dy)


def _cell_candidates(seg: np.ndarray, gx: np.ndarray, gy: np.ndarray, cell_km: float) -> tuple[np.ndarray, np.ndarray]:
    """For cell centres (gx, gy): the segments within two half-diagonals of the nearest (padded to 64), and how many.

    Any point of a cell is within a half-diagonal of its centre, so its nearest
    segment is among these; a cell with more than 64 counts 0 (measured exactly).
    """
    k_max = _GRID_BUCKETS[-1]
    slack = 2 * cell_km / np.sqrt(2) + 1e-9
    cand = np.full((len(gx), k_max), -1, dtype="int32")
    count = np.zeros(len(gx), dtype="int64")
    for start in range(0, len(gx), 1024):
        d = _segment_distances(seg, gx[start : start + 1024, None], gy[start : start + 1024, None])
        mask = d <= d.min(axis=1, keepdims=True) + slack
        n = mask.sum(axis=1)
        rows, cols = np.nonzero(mask)  # row-major: each cell's candidates together, in segment order
        slot = np.arange(len(rows)) - np.repeat(np.cumsum(n) - n, n)
        keep = slot < k_max
        cand[start + rows[keep], slot[keep]] = cols[keep]
        count[start : start + 1024] = np.where(n <= k_max, n, 0)
    return cand, count


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
