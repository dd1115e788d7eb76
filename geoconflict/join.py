"""The admin join: which country, province and district each incident lies in.

:func:`join_admin` adds ``admin0``, ``admin1``, ``admin2`` … and their codes for every
level the boundaries hold (plus the levels they imply: a country from
``country_code``, a province from a district's parent), keeping every row in order.

How a row is placed, level by level:

* a point inside a unit (or on its edge) takes that unit;
* an area or a line takes the unit it overlaps most;
* otherwise the nearest unit within ``tolerance_m`` metres (measured in the point's
  UTM zone), for points just outside simplified outlines, on coasts and borders;
* otherwise nothing: the fields stay empty and the row stays.

``admin_match`` says which happened (``inside``, ``nearest``, ``partial`` — some level
found nothing —, ``none``, ``missing`` — no geometry); ``admin_distance_m`` is the
largest distance the nearest-unit rule bridged (0 inside). Columns the input already
had under the output's names (ACLED's ``admin1``, ``admin2`` …) are kept, renamed
``admin1_source`` …, so the two codings can be compared.

The boundaries' spatial index (an STRtree over prepared polygons) is built on the
first call and reused by later calls with the same boundaries object.

Most rows of a world-wide or regional table lie far from one country's units, and
cost what a bare ``geopandas.sjoin`` costs: a row whose bounds miss the units'
envelope grown by the tolerance is set aside on its bounds alone; a point outside
every unit is measured for the nearest one only inside the band the tolerance draws
around the units (the units simplified and grown, one prepared area, built once per
tolerance); there every unit within a radius in degrees that bounds the metres is a
candidate, and the metres decide.

Scale
-----
In memory, a million points join in well under a second on a laptop; the limit is
memory (a few hundred bytes per incident, plus the input). Past that — tens of
millions of events, or a table that lives in Parquet files — pass a
``dask_geopandas.GeoDataFrame`` (or ``engine="dask"``): each partition is joined
where it lives, the boundaries are shipped once to every worker and indexed once
per worker, and the answer is the in-memory one. A GeoDataFrame given with
``engine="dask"`` is ordered along a Hilbert curve and cut into spatially compact
partitions first; the result comes back in the input's order. To use a real
cluster, connect a client before the call (``distributed.Client("tcp://scheduler:8786")``);
to stream a big table, read it with ``dask_geopandas.read_parquet`` and write the
result with ``.to_parquet`` without ever computing it whole.

Examples
--------
>>> import geopandas as gpd
>>> from shapely import box
>>> units = gpd.GeoDataFrame(
...     {"admin_level": [1, 1], "name": ["West", "East"], "code": ["W", "E"], "parent_code": ["XX", "XX"],
...      "parent_name": [None, None], "country_code": ["AM", "AM"]},
...     geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=4326)
>>> pts = gpd.GeoDataFrame({"id": [1, 2, 3]}, geometry=gpd.points_from_xy([0.5, 2.005, 5.0], [0.5, 0.5, 5.0]), crs=4326)
>>> out = join_admin(pts, units)
>>> out[["id", "admin0", "admin1", "admin_match"]].to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
{'id': [1, 2, 3], 'admin0': ['Armenia', 'Armenia', nan], 'admin1': ['West', 'East', nan],
 'admin_match': ['inside', 'nearest', 'none']}
>>> round(out["admin_distance_m"].iloc[1])  # metres east of East
556
"""

from __future__ import annotations

import math
import re
import threading
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely

from .boundaries import SCHEMA, country_name
from .geodesy import EQUAL_AREA_EPSG, degree_margins, expand_bounds, project, utm_epsg
from .settings import TOLERANCE_M

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

__all__ = ["MATCH_VALUES", "TOLERANCE_M", "join_admin"]

MATCH_VALUES = ("inside", "nearest", "partial", "none", "missing")

# what a row is, for the rules: a point, another geometry, none (or empty), or one too far from every unit to matter
_POINT, _OTHER, _MISSING, _FAR = 0, 1, 2, 3
_ADMIN_COLUMN = re.compile(r"admin\d+(_code)?")
_PANDAS3 = int(pd.__version__.split(".")[0]) >= 3
_NO_UNIT = np.iinfo("int64").max  # "no unit yet" while taking the smallest unit index per row


# --------------------------------------------------------------------------- index
@dataclass(eq=False)
class _Level:
    """The units of one administrative level, indexed."""

    level: int
    names: np.ndarray
    codes: np.ndarray
    parent_codes: np.ndarray
    parent_names: np.ndarray
    countries: np.ndarray
    geoms: np.ndarray
    tree: Any = field(init=False)
    _projected: dict = field(default_factory=dict, init=False)
    _reach: dict = field(default_factory=dict, init=False)
    _lock: Any = field(default_factory=threading.Lock, init=False)

    def __post_init__(self):
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)
        bounds = shapely.bounds(self.geoms)
        self.envelope = (*np.nanmin(bounds[:, :2], axis=0), *np.nanmax(bounds[:, 2:], axis=0)) if len(bounds) else None

    def projected(self, epsg: int, needed: np.ndarray) -> np.ndarray:
        """Unit geometries in ``epsg`` (those in ``needed`` at least), cached per zone."""
        with self._lock:
            arr = self._projected.get(epsg)
            if arr is None:
                arr = self._projected[epsg] = np.full(len(self.geoms), None, dtype=object)
            todo = needed[pd.isna(arr[needed])]
            if len(todo):
                arr[todo] = project(self.geoms[todo], epsg)
        return arr

    def reach(self, tolerance_m: float):
        """A prepared area holding every point within ``tolerance_m`` metres of a unit (a little more), cached."""
        with self._lock:
            area = self._reach.get(tolerance_m)
            if area is None:
                area = self._reach[tolerance_m] = _reach_area(self.geoms, self.envelope, tolerance_m)
        return area

    def __getstate__(self):  # the tree and prepared geometries are rebuilt where the object lands
        keep = ("level", "names", "codes", "parent_codes", "parent_names", "countries", "country_idx", "geoms")
        return {k: self.__dict__[k] for k in keep if k in self.__dict__}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._projected = {}
        self._reach = {}
        self._lock = threading.Lock()
        self.__post_init__()


def _reach_area(geoms: np.ndarray, envelope, tolerance_m: float):
    """The units grown by ``tolerance_m`` metres at least, in degrees, as one prepared area.

    Outlines are simplified first (geoBoundaries' districts carry thousands of
    vertices each, which makes growing them slow and testing points against them
    slower): simplifying by half the radius moves an outline by at most that, so
    growing by one and a half radii still covers the band, and dividing by the cosine
    of half a buffer step covers the chords a buffer draws inside its arcs. The band
    stays narrow (about 3 km for 2 km), so few points in it are measured for nothing.
    """
    dlon, dlat = degree_margins(envelope[1], envelope[3], tolerance_m)
    radius = float(max(dlon, dlat))
    simple = shapely.simplify(geoms, radius / 2)
    grown = shapely.buffer(simple, 1.5 * radius / math.cos(math.pi / 16), quad_segs=4)
    area = shapely.union_all(grown)
    shapely.prepare(area)
    return area


class AdminIndex:
    """Spatial indexes of a boundary table, one per administrative level."""

    def __init__(self, boundaries: geopandas.GeoDataFrame):
        missing = [c for c in SCHEMA if c not in boundaries.columns]
        if missing:
            raise ValueError(f"boundaries lack {missing}: load them with geoconflict.load_boundaries")
        self.levels: dict[int, _Level] = _index_levels(boundaries)
        self.given = sorted(self.levels)
        # countries as small integers, so a million rows find theirs without Python objects
        self.country_codes = np.array(
            sorted({c for lv in self.levels.values() for c in lv.countries if c}), dtype=object
        )
        self.country_names = np.array([country_name(c) for c in self.country_codes], dtype=object)
        position = {c: i for i, c in enumerate(self.country_codes)}
        for lv in self.levels.values():
            lv.country_idx = np.array([position.get(c, -1) if c else -1 for c in lv.countries], dtype="int64")
        # levels the table implies without holding them: a district's province, a unit's country
        self.derived_parent = [
            lvl - 1
            for lvl in self.given
            if lvl >= 2 and lvl - 1 not in self.levels and any(v is not None for v in self.levels[lvl].parent_names)
        ]
        self.derived_country = 0 not in self.levels and any(
            v is not None for lv in self.levels.values() for v in lv.countries
        )

    def reach_box(self, tolerance_m: float) -> tuple | None:
        """(minx, miny, maxx, maxy) holding every level's units grown by ``tolerance_m`` metres; None without units."""
        boxes = [lv.envelope for lv in self.levels.values() if lv.envelope is not None]
        if not boxes:
            return None
        minx, miny = min(b[0] for b in boxes), min(b[1] for b in boxes)
        maxx, maxy = max(b[2] for b in boxes), max(b[3] for b in boxes)
        dlon, dlat = (float(v) for v in degree_margins(miny, maxy, tolerance_m))
        return minx - dlon, miny - dlat, maxx + dlon, maxy + dlat

    @property
    def output_levels(self) -> list[int]:
        return sorted(set(self.given) | set(self.derived_parent) | ({0} if self.derived_country else set()))

    # ------------------------------------------------------------------ placing
    def place(
        self, geoms: np.ndarray, kind: np.ndarray, tolerance_m: float, bounds: np.ndarray | None = None
    ) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """For each level: (unit index or -1, distance in metres: 0 inside, NaN when none).

        ``bounds`` are the geometries' (minx, miny, maxx, maxy), when the caller has them.
        """
        points = _Points.of(kind, shapely.bounds(geoms) if bounds is None else bounds)
        return {lvl: _place_level(lv, geoms, kind, points, tolerance_m) for lvl, lv in self.levels.items()}


@dataclass
class _Points:
    """The point rows of a frame: their positions and coordinates, read once for every level."""

    rows: np.ndarray
    x: np.ndarray
    y: np.ndarray

    @classmethod
    def of(cls, kind: np.ndarray, bounds: np.ndarray) -> _Points:
        """The point rows of ``kind``, their coordinates read from the rows' ``bounds`` (a point's are its own)."""
        rows = np.flatnonzero(kind == _POINT)
        if len(rows) == len(kind):  # the usual table, points only: no copies
            return cls(rows, bounds[:, 0], bounds[:, 1])
        return cls(rows, bounds[rows, 0], bounds[rows, 1])

    def take(self, mask: np.ndarray) -> _Points:
        return _Points(self.rows[mask], self.x[mask], self.y[mask])


def _index_levels(boundaries) -> dict[int, _Level]:
    """One indexed :class:`_Level` per administrative level, units without geometry left out."""
    b = boundaries
    if b.crs is not None and not b.crs.equals("EPSG:4326"):
        b = b.to_crs(4326)
    levels = b["admin_level"].to_numpy(dtype="int64")
    geoms = np.asarray(b.geometry.values, dtype=object)
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))

    def col(name):  # text or None (pandas' missing values, whatever the dtype)
        values = b[name].to_numpy(dtype=object, na_value=None)
        return np.array([None if v is None or v != v else str(v) for v in values], dtype=object)

    cols = [col(k) for k in ("name", "code", "parent_code", "parent_name", "country_code")]
    out = {}
    for lvl in sorted({int(v) for v in levels}):
        rows = np.flatnonzero((levels == lvl) & keep)
        out[lvl] = _Level(lvl, *(c[rows] for c in cols), geoms[rows])
    return out


def _first_per_row(rows: np.ndarray, *sort_keys: np.ndarray) -> np.ndarray:
    """Position of the best pair of each row: pairs sorted by row, then by the last sort key, … then the first."""
    order = np.lexsort((*sort_keys, rows))
    first = np.unique(rows[order], return_index=True)[1]
    return order[first]


def _place_level(lv: _Level, geoms: np.ndarray, kind: np.ndarray, points: _Points, tolerance_m: float):
    """One level: each row's unit (index into ``lv``, -1 for none) and distance in metres (0 inside, NaN none)."""
    n = len(geoms)
    unit = np.full(n, -1, dtype="int64")
    dist = np.full(n, np.nan)
    if not len(lv.geoms) or not n:
        return unit, dist
    # points: only those within reach of the units are looked at (a world-wide table mostly is not) …
    near = points.take(_within_reach(lv, points, tolerance_m))
    at, units, d = _query_points(lv, geoms[near.rows], near, tolerance_m)
    unit[near.rows[at]], dist[near.rows[at]] = units, d
    # … areas and lines by their largest overlap, then the nearest unit within the tolerance
    rows = np.flatnonzero(kind == _OTHER)
    if len(rows):
        at, units, d = _query_overlap(lv, geoms[rows])
        unit[rows[at]], dist[rows[at]] = units, d
        todo = rows[unit[rows] < 0]
        if len(todo) and tolerance_m > 0:
            at, units, d = _query_nearest(lv, geoms[todo], tolerance_m)
            unit[todo[at]], dist[todo[at]] = units, d
    return unit, dist


def _within_reach(lv: _Level, points: _Points, tolerance_m: float) -> np.ndarray:
    """Which points lie in the level's envelope grown by the tolerance: the only ones that can take a unit."""
    minx, miny, maxx, maxy = lv.envelope
    dlon, dlat = (float(v) for v in degree_margins(miny, maxy, tolerance_m))
    x, y = points.x, points.y
    return (x >= minx - dlon) & (x <= maxx + dlon) & (y >= miny - dlat) & (y <= maxy + dlat)


def _query_points(lv: _Level, pts: np.ndarray, at: _Points, tolerance_m: float):
    """Points: the unit each lies in, else the nearest within the tolerance: (positions in ``pts``, units, metres)."""
    if not len(pts):
        return _nothing()
    inside, units, _ = _query_inside(lv, pts, at.x, at.y)
    if tolerance_m <= 0:
        return inside, units, np.zeros(len(inside))
    left = np.ones(len(pts), dtype=bool)
    left[inside] = False
    left = np.flatnonzero(left)
    # a point farther than the tolerance from every unit needs no distance: most in a bounding box are
    left = left[shapely.intersects_xy(lv.reach(tolerance_m), at.x[left], at.y[left])]
    near, near_units, d = _query_nearest(lv, pts[left], tolerance_m)
    rows = np.concatenate([inside, left[near]])
    return rows, np.concatenate([units, near_units]), np.concatenate([np.zeros(len(inside)), d])


def _nothing() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A query's answer when nothing matched: (rows, units, distances), all empty."""
    return np.empty(0, dtype="int64"), np.empty(0, dtype="int64"), np.empty(0)


def _query_inside(lv: _Level, points: np.ndarray, x: np.ndarray, y: np.ndarray):
    """Points inside (or on the edge of) a unit: (positions in ``points``, units, 0)."""
    qi, qj = lv.tree.query(points)  # envelopes only; the exact test uses the prepared polygons
    if not len(qi):
        return _nothing()
    ok = shapely.intersects_xy(lv.geoms[qj], x[qi], y[qi])
    qi, qj = qi[ok], qj[ok]
    best = np.full(len(points), _NO_UNIT, dtype="int64")
    np.minimum.at(best, qi, qj)  # on a shared edge, the first unit wins
    at = np.flatnonzero(best < _NO_UNIT)
    return at, best[at], 0.0


def _query_overlap(lv: _Level, shapes: np.ndarray):
    """Areas and lines: the unit each overlaps most, by area (lines: by length) in an equal-area projection."""
    qi, qj = lv.tree.query(shapes, predicate="intersects")
    if not len(qi):
        return _nothing()
    metric = project(shapely.intersection(lv.geoms[qj], shapes[qi]), EQUAL_AREA_EPSG)
    score = shapely.area(metric)
    score = np.where(score > 0, score, shapely.length(metric) * 1e-9)  # lines: overlap length, below any area
    pick = _first_per_row(qi, qj, -score)
    return qi[pick], qj[pick], 0.0


def _query_nearest(lv: _Level, geoms: np.ndarray, tolerance_m: float):
    """Rows outside every unit: the nearest unit within ``tolerance_m`` metres, and how far it is.

    Every unit within a radius in degrees that bounds the metres is a candidate (not
    only the nearest in degrees: a degree of longitude is shorter than one of
    latitude, so that can be another unit than the nearest in metres); the metres
    then decide. Points reach here only from the band around the units
    (:meth:`_Level.reach`), so the boxes are few.
    """
    bounds = shapely.bounds(geoms)
    boxes, radius = expand_bounds(bounds, tolerance_m)
    qi, qj = lv.tree.query(boxes)
    if len(qi):  # a cheap first cut in degrees (prepared polygons), then metres for what is left
        near = shapely.dwithin(lv.geoms[qj], geoms[qi], radius[qi])
        qi, qj = qi[near], qj[near]
    cx, cy = (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2
    return _nearest_in_metres(lv, geoms, cx, cy, qi, qj, tolerance_m)


def _nearest_in_metres(lv: _Level, geoms, cx, cy, qi: np.ndarray, qj: np.ndarray, tolerance_m: float):
    """Of the candidate pairs (row ``qi``, unit ``qj``), each row's nearest unit within the tolerance, in metres."""
    if not len(qi):
        return _nothing()
    d = _utm_distances(lv, geoms, cx, cy, qi, qj)
    ok = d <= tolerance_m
    qi, qj, d = qi[ok], qj[ok], d[ok]
    if not len(qi):
        return _nothing()
    pick = _first_per_row(qi, qj, d)
    return qi[pick], qj[pick], d[pick]


def _utm_distances(lv: _Level, geoms: np.ndarray, cx, cy, qi: np.ndarray, qj: np.ndarray) -> np.ndarray:
    """Metres between each pair (row ``qi``, unit ``qj``), measured in the UTM zone of the row's centre (cx, cy)."""
    pair_epsg = utm_epsg(cx[qi], cy[qi])
    d = np.empty(len(qi))
    for e in np.unique(pair_epsg):  # rows and units projected once per zone (units cached on the level)
        m = pair_epsg == e
        rows = np.unique(qi[m])
        local = project(geoms[rows], int(e))
        units = lv.projected(int(e), np.unique(qj[m]))
        d[m] = shapely.distance(units[qj[m]], local[np.searchsorted(rows, qi[m])])
    return d


# --------------------------------------------------------------------------- cache
_CACHE: dict[int, tuple[tuple, Any, AdminIndex]] = {}
_CACHE_LOCK = threading.Lock()


def _fingerprint(b) -> tuple:
    geoms = np.asarray(b.geometry.values, dtype=object)
    attrs = b.drop(columns=b.geometry.name)
    return (
        len(b),
        tuple(map(str, b.columns)),
        id(b.geometry.values),
        int(pd.util.hash_pandas_object(attrs, index=True).to_numpy().sum()) if len(attrs.columns) else 0,
        hash(shapely.bounds(geoms).tobytes()),
        str(b.crs),
    )


def admin_index(boundaries) -> AdminIndex:
    """The :class:`AdminIndex` of a boundary table, built once per object and reused.

    A frame not in geoconflict's schema is normalised first (``normalize_schema``).
    The cache follows the object: a changed frame (rows, columns, attributes or
    geometry bounds) is indexed again, and a frame that is garbage-collected leaves
    the cache.
    """
    key = id(boundaries)
    fp = _fingerprint(boundaries)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] == fp and hit[1]() is boundaries:
            return hit[2]
        frame = boundaries
        if not all(c in boundaries.columns for c in SCHEMA):
            from .boundaries import normalize_schema

            frame = normalize_schema(boundaries)
        index = AdminIndex(frame)
        try:
            ref = weakref.ref(boundaries, lambda _r, k=key: _CACHE.pop(k, None))
        except TypeError:  # pragma: no cover - frames are weak-referenceable
            ref = lambda: boundaries  # noqa: E731
        _CACHE[key] = (fp, ref, index)
        return index


# --------------------------------------------------------------------------- output
def _take_text(values: np.ndarray, idx: np.ndarray, index) -> pd.Series:
    """``values[idx]`` as a text column (``idx`` -1 = missing, or already :func:`_slots`), without a Python loop."""
    slots = _slots(idx, len(values)) if idx.min(initial=0) < 0 else idx
    if _PANDAS3:
        import pyarrow as pa

        placed = np.flatnonzero(slots < len(values))
        if len(placed) * 16 < len(slots):  # a world-wide table: nearly every row empty
            taken = _sparse_text(values, slots, placed)
        else:  # a null in the last slot takes the place of a mask; large_string is what pandas keeps: no cast
            taken = pa.array([*values, None], type=pa.large_string()).take(pa.array(slots))
        return pd.Series(pd.array(taken, dtype=pd.StringDtype("pyarrow", na_value=np.nan)), index=index)
    ext = np.append(np.asarray(values, dtype=object), None)
    return pd.Series(ext[slots], index=index, dtype=object)


def _sparse_text(values: np.ndarray, slots: np.ndarray, placed: np.ndarray):
    """The arrow column of :func:`_take_text` built from its buffers when few rows (``placed``) hold a value.

    Only the placed rows' bytes are gathered; the rest is an offset that does not
    move and a validity bit, which costs a third of a ``take`` over a million rows.
    """
    import pyarrow as pa

    encoded = [b"" if v is None else str(v).encode() for v in values]
    lengths = np.array([len(e) for e in encoded], dtype="int64")
    rows = slots[placed]
    valid = np.zeros(len(slots), dtype=bool)
    valid[placed] = np.array([v is not None for v in values], dtype=bool)[rows]  # a unit may lack a parent
    offsets = np.zeros(len(slots) + 1, dtype="int64")
    offsets[placed + 1] = lengths[rows]
    np.cumsum(offsets, out=offsets)
    starts = np.concatenate([[0], np.cumsum(lengths)])[rows]
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    total = int(offsets[-1])
    picks = np.repeat(starts - offsets[placed], lengths[rows]) + np.arange(total) if total else np.empty(0, "int64")
    bitmap = np.packbits(valid, bitorder="little")
    return pa.LargeStringArray.from_buffers(
        len(slots), pa.py_buffer(offsets), pa.py_buffer(data[picks]), pa.py_buffer(bitmap)
    )


def _slots(idx: np.ndarray, size: int) -> np.ndarray:
    """Unit positions with -1 (none) sent to ``size``, the null slot :func:`_take_text` appends; made once a level."""
    return np.where(idx < 0, size, idx)


def _kinds(bounds: np.ndarray, reach: tuple | None) -> np.ndarray:
    """Each row a point, another geometry, missing (none, or empty) or far, read from its ``bounds`` alone.

    Rows whose bounds miss ``reach`` (every level's units grown by the tolerance) are
    far: no rule can place them, and in a world-wide table that is nearly all of
    them. A geometry with no extent is a point wherever it lies (a line from a place
    to itself gets what a point there gets under either rule: the first unit it
    touches), so the bounds say all the rules need, without a pass over the types.
    """
    minx, miny, maxx, maxy = bounds.T
    kind = np.full(len(bounds), _FAR, dtype="int8")
    kind[np.isnan(minx)] = _MISSING  # a missing or empty geometry has NaN bounds, which no comparison passes
    if reach is None:
        return kind
    x0, y0, x1, y1 = reach
    near = np.flatnonzero((maxx >= x0) & (minx <= x1) & (maxy >= y0) & (miny <= y1))
    b = bounds[near]
    kind[near] = np.where((b[:, 0] == b[:, 2]) & (b[:, 1] == b[:, 3]), _POINT, _OTHER)
    return kind


def _renames(columns, taken: set[str]) -> dict[str, str]:
    out = {}
    used = set(map(str, columns)) | taken
    for c in columns:
        if isinstance(c, str) and (c in taken or _ADMIN_COLUMN.fullmatch(c)):
            new, k = f"{c}_source", 2
            while new in used:
                new, k = f"{c}_source_{k}", k + 1
            used.add(new)
            out[c] = new
    return out


def _join_frame(incidents, boundaries, tolerance_m: float, index: AdminIndex | None = None):
    """The in-memory join of one frame (also each dask partition), with the boundaries' ``index`` if at hand."""
    index = admin_index(boundaries) if index is None else index
    geoms = _incident_geoms(incidents)
    bounds = shapely.bounds(geoms)  # one pass gives the points' coordinates and which geometries are empty
    kind = _kinds(bounds, index.reach_box(float(tolerance_m)))
    placed = index.place(geoms, kind, float(tolerance_m), bounds)
    new = _admin_columns(index, placed, incidents.index)
    match, status = _match_columns(index, placed, kind, incidents.index)
    new.update(match)
    out, renames = _attach(incidents, new)
    out.attrs["admin_join"] = _summary(out, tolerance_m, renames, status)
    return out


def _incident_geoms(incidents) -> np.ndarray:
    """The incidents' geometries in EPSG:4326, as an array (the frame itself is not touched)."""
    geo = incidents.geometry
    if geo.crs is None:
        raise ValueError("the incidents have no CRS; geoconflict incidents are EPSG:4326 (use .set_crs(4326))")
    if not geo.crs.equals("EPSG:4326"):
        geo = geo.to_crs(4326)
    return np.asarray(geo.values, dtype=object)


def _row_countries(index: AdminIndex, placed: dict, n: int) -> np.ndarray:
    """Each row's country (position in ``index.country_codes``, -1 none): the finest level that placed it names it."""
    country = None
    for lvl in sorted(index.given, reverse=True):
        unit = placed[lvl][0]
        found = np.append(index.levels[lvl].country_idx, -1)[unit]  # unit -1 takes the appended -1
        country = found if country is None else np.where(country < 0, found, country)
    return np.full(n, -1, dtype="int64") if country is None else country


def _admin_columns(index: AdminIndex, placed: dict, rows) -> dict[str, pd.Series]:
    """``admin{n}`` and ``admin{n}_code`` of every output level: its own units', a child's parent or the country."""
    new: dict[str, pd.Series] = {}
    for lvl in index.output_levels:
        if lvl in index.levels:
            lv, unit = index.levels[lvl], placed[lvl][0]
            names, codes = lv.names, lv.codes
        elif lvl in index.derived_parent:
            lv, unit = index.levels[lvl + 1], placed[lvl + 1][0]
            names, codes = lv.parent_names, lv.parent_codes
        else:  # level 0 from the units' country codes
            unit = _row_countries(index, placed, len(rows))
            names, codes = index.country_names, index.country_codes
        slots = _slots(unit, len(names))  # names and codes of a level line up
        new[f"admin{lvl}"] = _take_text(names, slots, rows)
        new[f"admin{lvl}_code"] = _take_text(codes, slots, rows)
    return new


def _match_columns(index: AdminIndex, placed: dict, kind: np.ndarray, rows) -> tuple[dict[str, pd.Series], np.ndarray]:
    """``admin_match`` (how each row was placed, over all levels) and ``admin_distance_m`` (the largest gap bridged).

    Also returns the match as positions in :data:`MATCH_VALUES`, for the summary.
    """
    n = len(kind)
    distance = np.full(n, np.nan)  # the largest distance bridged at a level that found a unit (NaN: none did)
    found_all = None
    for lvl in index.given:  # level by level, so no (rows × levels) table is built
        unit, dist = placed[lvl]  # dist is NaN where the level found nothing, which fmax passes over
        np.fmax(distance, dist, out=distance)
        found_all = unit >= 0 if found_all is None else found_all & (unit >= 0)
    found_any = ~np.isnan(distance)
    # a missing geometry says more than "none", "none" more than "partial", "partial" more than "nearest"
    code = {v: np.int8(i) for i, v in enumerate(MATCH_VALUES)}
    status = np.where(distance > 0, code["nearest"], code["inside"])
    status = np.where(found_any, status, code["none"])
    if found_all is not None and len(index.given) > 1:  # with one level, found at all levels = found at any
        status[found_any & ~found_all] = code["partial"]
    status[kind == _MISSING] = code["missing"]
    columns = {
        "admin_match": _take_text(np.array(MATCH_VALUES, dtype=object), status, rows),
        "admin_distance_m": pd.Series(distance, index=rows, dtype="float64"),
    }
    return columns, status


def _attach(incidents, new: dict[str, pd.Series]):
    """A new frame: the incidents (admin columns they had renamed ``…_source``) with ``new`` added, geometry last."""
    import geopandas as gpd

    renames = _renames(list(incidents.columns), set(new))
    # copy-on-write (pandas 3) makes a shallow copy a new frame that never writes through to the input
    out = incidents.rename(columns=renames) if renames else incidents.copy(deep=not _PANDAS3)
    geometry_last = len(out.columns) and out.columns[-1] == out.geometry.name
    for name, values in new.items():  # before the geometry, when it came last: inserting moves no data
        out.insert(len(out.columns) - 1 if geometry_last else len(out.columns), name, values.array)
    if not isinstance(out, gpd.GeoDataFrame):  # pragma: no cover - rename keeps the class
        out = gpd.GeoDataFrame(out, geometry=incidents.geometry.name, crs=incidents.crs)
    return out, renames


def _summary(out, tolerance_m: float, renames: dict[str, str], status: np.ndarray | None = None) -> dict:
    """What the join did, for ``attrs``: rows per ``admin_match`` value, the tolerance, the renamed columns.

    ``status`` (positions in :data:`MATCH_VALUES`) counts without reading the text column back.
    """
    if status is None:
        counts = out["admin_match"].value_counts()
    else:
        counts = dict(zip(MATCH_VALUES, np.bincount(status, minlength=len(MATCH_VALUES)).tolist(), strict=True))
    return {
        "rows": len(out),
        **{k: int(counts.get(k, 0)) for k in MATCH_VALUES},
        "tolerance_m": float(tolerance_m),
        "kept_as_source": dict(renames),
    }


# --------------------------------------------------------------------------- public
def _as_incidents(incidents):
    import geopandas as gpd

    if isinstance(incidents, gpd.GeoDataFrame):
        return incidents
    if isinstance(incidents, pd.DataFrame):
        cols = {str(c).lower(): c for c in incidents.columns}
        if "latitude" in cols and "longitude" in cols:
            lat = pd.to_numeric(incidents[cols["latitude"]], errors="coerce")
            lon = pd.to_numeric(incidents[cols["longitude"]], errors="coerce")
            ok = lat.between(-90, 90) & lon.between(-180, 180)
            pts = gpd.points_from_xy(lon.where(ok), lat.where(ok))
            geoms = np.where(ok.to_numpy(), np.asarray(pts, dtype=object), None)
            return gpd.GeoDataFrame(incidents, geometry=gpd.GeoSeries(geoms, index=incidents.index), crs=4326)
        raise ValueError("incidents must be a GeoDataFrame, or a DataFrame with latitude and longitude columns")
    raise TypeError(f"incidents must be a (dask-)GeoDataFrame, not {type(incidents).__name__}")


def _as_boundaries(boundaries):
    if hasattr(boundaries, "geometry") and hasattr(boundaries, "columns"):
        return boundaries
    from .boundaries import load_boundaries

    return load_boundaries(boundaries)


def _is_dask(obj) -> bool:
    return type(obj).__module__.startswith(("dask_geopandas", "dask"))


def join_admin(
    incidents,
    boundaries,
    *,
    tolerance_m: float = TOLERANCE_M,
    engine: str = "auto",
    npartitions: int | None = None,
):
    """Add the administrative units each incident lies in.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame or dask_geopandas.GeoDataFrame
        Points, areas or lines (any CRS; EPSG:4326 for geoconflict incidents). A
        plain DataFrame with ``latitude``/``longitude`` columns is read as points.
        Not modified.
    boundaries : GeoDataFrame, path, ISO3 code or list
        Units as :func:`geoconflict.load_boundaries` returns them (anything else is
        passed through it). May hold several levels.
    tolerance_m : float
        How far outside every unit (metres) a row may lie and still take the
        nearest unit; 0 turns the rule off.
    engine : {"auto", "pandas", "dask"}
        ``auto``: dask for a dask-geopandas frame, pandas otherwise.
    npartitions : int, optional
        ``engine="dask"`` with an in-memory frame: number of spatial partitions
        (default: about 250,000 rows each, at least one per CPU).

    Returns
    -------
    geopandas.GeoDataFrame or dask_geopandas.GeoDataFrame
        The incidents, same rows, order and index, with ``admin0``, ``admin0_code`` …
        for every level, ``admin_match`` and ``admin_distance_m``. A dask frame in
        gives a (lazy) dask frame out.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely import box
    >>> syunik = gpd.GeoDataFrame({"shapeName": ["Syunik"], "shapeISO": ["AM-SU"], "shapeGroup": ["ARM"],
    ...                            "shapeType": ["ADM1"]}, geometry=[box(45.9, 38.8, 46.6, 39.8)], crs=4326)
    >>> events = pd.DataFrame({"location": ["Kapan", "Yerevan"], "latitude": [39.21, 40.18],
    ...                        "longitude": [46.41, 44.51]})  # a table with coordinates is read as points
    >>> join_admin(events, syunik)[["location", "admin0", "admin1", "admin_match"]].to_dict("list")
    ... # doctest: +NORMALIZE_WHITESPACE
    {'location': ['Kapan', 'Yerevan'], 'admin0': ['Armenia', nan], 'admin1': ['Syunik', nan],
     'admin_match': ['inside', 'none']}
    >>> join_admin(incidents, "geoBoundaries-AZE-ADM2.geojson")[["admin1", "admin2", "admin_match"]]  # doctest: +SKIP
    """
    _check_options(engine, tolerance_m)
    boundaries = _as_boundaries(boundaries)
    if not (boundaries.geometry.notna() & ~boundaries.geometry.is_empty).any():
        raise ValueError("no boundary unit has a geometry, so nothing can be joined: check the boundary file")
    index = admin_index(boundaries)  # build (or find) the index once, here, before any partition needs it
    if _is_dask(incidents):
        if engine == "pandas":
            raise ValueError("a dask frame needs engine='dask' (or 'auto'); call .compute() for the in-memory join")
        return _join_dask_frame(incidents, boundaries, tolerance_m)
    incidents = _as_incidents(incidents)
    if engine == "dask":
        return _join_via_dask(incidents, boundaries, tolerance_m, npartitions)
    return _join_frame(incidents, boundaries, tolerance_m, index)


def _check_options(engine: str, tolerance_m) -> None:
    if engine not in ("auto", "pandas", "dask"):
        raise ValueError(f"engine must be 'auto', 'pandas' or 'dask', not {engine!r}")
    if tolerance_m is None or not np.isfinite(tolerance_m) or tolerance_m < 0:
        raise ValueError(f"tolerance_m must be a distance in metres (0 or more), not {tolerance_m!r}")


def _boundaries_task(boundaries):
    import dask

    # named, so dask neither hashes the whole table nor copies it into every task
    return dask.delayed(boundaries, name=f"geoconflict-boundaries-{id(boundaries):x}-{_fingerprint(boundaries)[3]:x}")


def _join_dask_frame(ddf, boundaries, tolerance_m: float):
    import dask_geopandas  # noqa: F401  (registers GeoDataFrame partitions with dask)

    meta = _join_frame(ddf._meta, boundaries, tolerance_m)
    return ddf.map_partitions(_join_frame, _boundaries_task(boundaries), tolerance_m, meta=meta)


def _join_via_dask(incidents, boundaries, tolerance_m: float, npartitions: int | None):
    import os

    import dask
    import dask_geopandas

    n = len(incidents)
    if npartitions is None:
        npartitions = max(os.cpu_count() or 1, -(-n // 250_000))
    npartitions = max(1, min(int(npartitions), max(n, 1)))
    # spatial partitions: rows ordered along a Hilbert curve, cut into contiguous chunks
    geo = incidents.geometry
    valid = ~(geo.isna() | geo.is_empty).to_numpy()
    key = np.full(n, np.iinfo("int64").max, dtype="int64")
    if valid.any():
        key[valid] = geo[valid].hilbert_distance(total_bounds=geo[valid].total_bounds).to_numpy()
    order = np.argsort(key, kind="stable")
    frame = incidents.reset_index(drop=True).take(order)
    with dask.config.set({"dataframe.convert-string": False}):
        ddf = dask_geopandas.from_geopandas(frame, npartitions=npartitions, sort=False)
        result = _join_dask_frame(ddf, boundaries, tolerance_m).compute()
    result = result.sort_index()
    result.index = incidents.index
    renames = _renames(list(incidents.columns), {c for c in result.columns if c not in incidents.columns})
    result.attrs = {**incidents.attrs, "admin_join": _summary(result, tolerance_m, renames)}
    return result
