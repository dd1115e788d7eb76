"""Checks on boundary data: repair invalid polygons, and notice names that contradict the gazetteer.

Both report what they find (a :class:`BoundaryWarning` naming the units, and a list
of dicts for ``attrs``); neither changes a unit's name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from ..geodesy import project, utm_epsg
from ..names import normalize

__all__ = ["NAME_TOLERANCE_KM", "check_names", "format_name_conflicts", "repair_geometries"]

#: A place this far outside the unit named after it is a contradiction (GeoNames points
#: of towns with district status can lie a few km outside their own polygons).
NAME_TOLERANCE_KM = 15.0
#: Area matches: a unit overlapping this share of the place's area agrees with it.
AREA_AGREEMENT = 0.25

_POLYGONAL = {"Polygon", "MultiPolygon"}


def _polygonal(geom):
    """The polygonal part of a geometry (make_valid can return collections with lines)."""
    if geom is None or geom.is_empty:
        return geom
    if geom.geom_type in _POLYGONAL:
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in _POLYGONAL]
    if not parts:
        return shapely.MultiPolygon()
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def repair_geometries(gdf) -> tuple[object, list[dict]]:
    """Return a copy with invalid polygons repaired by ``make_valid``, and what was repaired.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Polygon
    >>> bowtie = Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    >>> gdf = gpd.GeoDataFrame({"name": ["Bowtie"], "code": ["B"]}, geometry=[bowtie], crs=4326)
    >>> fixed, report = repair_geometries(gdf)
    >>> bool(fixed.geometry.is_valid.all()), report[0]["name"], fixed.geometry.iloc[0].geom_type
    (True, 'Bowtie', 'MultiPolygon')
    """
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    present = ~shapely.is_missing(geoms)
    bad = np.flatnonzero(present & ~shapely.is_valid(geoms))
    if not len(bad):
        return gdf, []
    reasons = shapely.is_valid_reason(geoms[bad])
    fixed = geoms.copy()
    report = []
    names, codes = gdf["name"].to_numpy(dtype=object), gdf["code"].to_numpy(dtype=object)
    for i, reason in zip(bad, reasons, strict=True):
        fixed[i] = _polygonal(shapely.make_valid(geoms[i]))
        report.append({"name": names[i], "code": codes[i], "reason": str(reason)})
    out = gdf.copy()
    out[out.geometry.name] = fixed
    return out, report


def _distance_m(geom, point) -> float:
    epsg = int(utm_epsg(np.array([point.x]), np.array([point.y]))[0])
    g, p = project(np.array([geom, point], dtype=object), epsg)
    return float(shapely.distance(g, p))


@dataclass(frozen=True)
class _Units:
    """A boundary table's columns as arrays, for the per-unit loop of :func:`check_names`."""

    levels: np.ndarray
    names: np.ndarray
    codes: np.ndarray
    countries: np.ndarray
    geoms: np.ndarray

    @classmethod
    def of(cls, gdf) -> _Units:
        return cls(
            gdf["admin_level"].to_numpy(),
            gdf["name"].to_numpy(dtype=object, na_value=None),
            gdf["code"].to_numpy(dtype=object, na_value=None),
            gdf["country_code"].to_numpy(dtype=object, na_value=None),
            np.asarray(gdf.geometry.values, dtype=object),
        )


def check_names(gdf, gazetteer) -> list[dict]:
    """Units whose name contradicts the gazetteer: the place of that name lies in another unit.

    For each unit, its name is resolved in its country. The unit agrees when it
    contains the place's point, lies within :data:`NAME_TOLERANCE_KM` of it, or (for a
    place that is an area) covers a quarter of that area. Otherwise, when another
    unit of the same level and a different name holds the point, that is a
    contradiction: reported, never fixed. Names that do not resolve, resolve only
    fuzzily, or resolve abroad say nothing about the data and are skipped.

    Returns
    -------
    list of dict
        ``unit``, ``code``, ``level``, ``place``, ``kind``, ``latitude``, ``longitude``,
        ``distance_km``, ``in_unit``, ``in_code``, ``swapped_with`` (the other unit
        when the two names point at each other's polygons).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> from geoconflict.gazetteer import Gazetteer
    >>> units = gpd.GeoDataFrame(  # Kapan and Goris, each drawn where the other lies
    ...     {"admin_level": [2, 2], "name": ["Kapan", "Goris"], "code": ["K", "G"], "country_code": ["AM", "AM"]},
    ...     geometry=[box(46.3, 39.45, 46.5, 39.6), box(46.3, 39.1, 46.5, 39.3)], crs=4326)
    >>> [(c["unit"], c["in_unit"], c["swapped_with"]) for c in check_names(units, Gazetteer.default())]
    [('Kapan', 'Goris', 'Goris'), ('Goris', 'Kapan', 'Kapan')]
    """
    units = _Units.of(gdf)
    conflicts: list[dict] = []
    for lvl in sorted({int(v) for v in units.levels}):
        conflicts += _check_level(units, lvl, gazetteer)
    _mark_swaps(conflicts)
    return conflicts


def _check_level(units: _Units, lvl: int, gazetteer) -> list[dict]:
    """The contradictions among the units of one level (compared only with each other)."""
    rows = np.flatnonzero(units.levels == lvl)
    tree = shapely.STRtree(units.geoms[rows])
    keys = [normalize(units.names[i]) if units.names[i] else "" for i in rows]
    found = []
    for k, i in enumerate(rows):
        m = _place_of_name(units, i, lvl, gazetteer)
        if m is None or shapely.intersects(units.geoms[i], m.point):
            continue
        # other units of this level (another name, the same or no country) that hold the place
        holders = [
            int(rows[h])
            for h in tree.query(m.point, predicate="intersects")
            if keys[h] != keys[k] and (units.countries[rows[h]] in (None, units.countries[i]))
        ]
        if not holders:
            continue  # the place lies outside this layer: nothing to compare with
        distance = _distance_m(units.geoms[i], m.point) / 1000.0
        if distance <= NAME_TOLERANCE_KM or _area_agrees(m, units.geoms[i]):
            continue
        found.append(_conflict(units, i, holders[0], m, distance))
    return found


def _place_of_name(units: _Units, i: int, lvl: int, gazetteer):
    """The gazetteer's place for unit ``i``'s name, when it is a confident answer in the unit's own country."""
    name, country, geom = units.names[i], units.countries[i], units.geoms[i]
    if not name or geom is None or geom.is_empty:
        return None
    m = gazetteer.resolve(name, country=country) if country else gazetteer.resolve(name)
    if m is None or m.match_type not in ("exact", "phonetic") or m.score < 0.5:
        return None  # a fuzzy answer says nothing about the data
    if country and m.country_code and m.country_code != country:
        return None
    if lvl > 0 and m.feature_kind in ("country", "continent"):
        return None  # a country's or continent's point says nothing about where a unit inside it lies
    return m


def _area_agrees(match, geom) -> bool:
    """A place that is an area agrees with a unit covering :data:`AREA_AGREEMENT` of it."""
    if not match.is_area:
        return False
    area = match.geometry
    total = shapely.area(area)
    return bool(total > 0 and shapely.area(shapely.intersection(area, geom)) >= AREA_AGREEMENT * total)


def _conflict(units: _Units, i: int, j: int, match, distance_km: float) -> dict:
    return {
        "unit": units.names[i],
        "code": units.codes[i],
        "level": int(units.levels[i]),
        "place": match.name,
        "kind": match.feature_kind,
        "latitude": round(match.latitude, 4),
        "longitude": round(match.longitude, 4),
        "distance_km": round(distance_km, 1),
        "in_unit": units.names[j],
        "in_code": units.codes[j],
        "swapped_with": None,
    }


def _mark_swaps(conflicts: list[dict]) -> None:
    """Two units whose names each point into the other were probably swapped: say so on both."""
    by_pair = {(c["code"], c["in_code"]): c for c in conflicts}
    for c in conflicts:
        other = by_pair.get((c["in_code"], c["code"]))
        if other is not None:
            c["swapped_with"] = other["unit"]


def format_name_conflicts(conflicts: list[dict], source: str | None = None) -> str:
    """One readable warning for all name contradictions."""
    where = f" in {source}" if source else ""
    lines = []
    for c in conflicts:
        ns = "N" if c["latitude"] >= 0 else "S"
        ew = "E" if c["longitude"] >= 0 else "W"
        line = (
            f"unit {c['unit']!r} ({c['code']}, ADM{c['level']}) lies {c['distance_km']:,.0f} km from "
            f"{c['place']} ({c['kind']}, {abs(c['latitude']):.2f} {ns} {abs(c['longitude']):.2f} {ew}), "
            f"which falls inside unit {c['in_unit']!r} ({c['in_code']})"
        )
        if c["swapped_with"]:
            line += f" — the names of {c['unit']!r} and {c['in_unit']!r} look swapped"
        lines.append(line)
    return (
        f"boundary names{where} contradict the gazetteer (kept as given — check the source): " + "; ".join(lines) + "."
    )
