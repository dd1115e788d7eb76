"""The conflict zone as the map shows it: outline, name, provenance and the width of "near".

The map accepts a zone in three forms: a ConflictZone-like object (anything with
``.geometry``, ``.name`` and, optionally, ``.metadata``, ``.near_km`` and
``.classify``), a shapely area, or a GeoDataFrame/GeoSeries of areas.

Classifying is the zone's own business, not the map's: when the incidents carry no
``zone_status``, :func:`classify_missing` calls the zone's ``classify`` method. A
plain area has none, so :func:`_conflict_zone` wraps it in a
:class:`geoconflict.zones.ConflictZone`: that helper is the only place this package
touches :mod:`geoconflict.zones`, imported lazily there. Rows the zone leaves without
a status are drawn as "no zone status", never dropped.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

import numpy as np

from ..schema import AREA_NAME_COLUMNS
from ..settings import NEAR_KM
from .escape import as_text

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

__all__ = ["ZONE_COLUMNS", "PeriodView", "ZoneView", "as_zone", "classify_missing", "source_label"]

#: the columns a zone's ``classify`` adds and the map reads
ZONE_COLUMNS = ("zone_status", "zone_distance_km", "zone_status_certain", "zone_period")


@dataclass(frozen=True)
class PeriodView:
    """One outline of a zone that changes with time, and its days (numbers since 1970-01-01; None: open)."""

    zone: Any
    label: str
    first_day: int | None
    last_day: int | None


@dataclass(frozen=True)
class ZoneView:
    """What the map shows about a zone: its outline(s), a name and where the outline comes from.

    ``label`` is the short credit the legend shows (``zone_label=``, else the file's
    name or the source's words: never a path); ``note`` the one-line provenance
    (the map's report); ``details`` the longer notes, shown behind a disclosure.
    """

    zone: Any  # a ConflictZone or an object with .geometry/.name/.metadata (and maybe .classify)
    name: str
    note: str
    near_km: float | None
    label: str = ""
    details: str = ""
    periods: tuple[PeriodView, ...] = ()


def as_zone(zone: Any, near_km: float | None = None, label: str | None = None) -> ZoneView | None:
    """A :class:`ZoneView` of a ConflictZone-like object, a shapely area, or a (Geo)DataFrame/GeoSeries of areas.

    A zone over time (an object with ``periods``, see :class:`geoconflict.zones.ZoneTimeline`)
    keeps each period's outline and days.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> view = as_zone(box(46.3, 39.4, 47.3, 40.3), near_km=5)
    >>> view.name, view.note, view.near_km
    ('Conflict zone', 'outline: a geometry passed to incident_map', 5.0)
    >>> from geoconflict.zones import ConflictZone
    >>> as_zone(ConflictZone(box(46, 39, 47, 40), name="NK", metadata={"source": "/home/me/data/nk.geojson"})).label
    'nk.geojson'
    """
    if zone is None:
        return None
    zone = _zone_object(zone)
    zone_near = getattr(zone, "near_km", None)
    near = near_km if near_km is not None else (zone_near if zone_near is not None else NEAR_KM)
    meta = dict(getattr(zone, "metadata", None) or {})
    return ZoneView(
        zone=zone,
        name=as_text(zone.name) or "Conflict zone",
        note=_zone_note(meta),
        near_km=float(near),
        label=as_text(label) or source_label(meta),
        details=_zone_details(meta),
        periods=_periods(zone),
    )


def source_label(meta: dict) -> str:
    """A short credit for a zone's outline: a file's name (never its path), else the source's words.

    Examples
    --------
    >>> source_label({"source": "C:\\\\data\\\\ne_10m_nk.geojson", "approximate": False})
    'ne_10m_nk.geojson'
    >>> source_label({"source": "geoconflict gazetteer (offline)", "approximate": True})
    'geoconflict gazetteer (offline), approximate'
    """
    source = as_text(meta.get("source")) or ""
    source = "; ".join(_no_path(part) for part in source.split("; ")) if source else ""
    approx = meta.get("approximate")
    if approx is True or (isinstance(approx, str) and approx.strip()):
        source = f"{source}, approximate" if source else "approximate"
    return source


def _no_path(text: str) -> str:
    """``text`` with a file path reduced to the file's name (what the outline is, not where it lies)."""
    head, sep, tail = text.rpartition(": ")
    target = tail if sep else text
    if "/" in target or "\\" in target:
        target = PureWindowsPath(target).name if "\\" in target else PurePosixPath(target).name
    return f"{head}{sep}{target}" if sep else target


def _zone_details(meta: dict) -> str:
    """The zone's longer notes (approximation, curator notes, licence) for the legend's disclosure."""
    return " ".join(_curator_notes(meta))


def _curator_notes(meta: dict) -> list[str]:
    """What the metadata says of the outline besides its source: how it is approximate, notes, licence."""
    parts = []
    approx = meta.get("approximate")
    if isinstance(approx, str) and approx.strip():
        parts.append(f"approximate: {approx.strip()}")
    for key in ("note", "licence", "license", "attribution"):
        t = as_text(meta.get(key))
        if t:
            parts.append(t)
    return parts


def _periods(zone: Any) -> tuple[PeriodView, ...]:
    """The outlines of a zone over time, with their first and last days; () for a zone with one outline."""
    periods = getattr(zone, "periods", None)
    if not periods:
        return ()
    epoch = np.datetime64("1970-01-01", "D")

    def day(d: Any) -> int | None:
        return None if d is None else int((np.datetime64(d, "D") - epoch).astype(int))

    return tuple(PeriodView(p.zone, as_text(p.label) or "", day(p.start), day(p.end)) for p in periods)


def _zone_object(zone: Any) -> Any:
    """``zone`` as an object with ``.geometry`` and ``.name``; a TypeError naming the accepted forms otherwise."""
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

    if isinstance(zone, gpd.GeoDataFrame | gpd.GeoSeries):
        return _zone_of_frame(zone)
    if isinstance(zone, BaseGeometry):
        return _conflict_zone(zone, name="Conflict zone", metadata={"source": "a geometry passed to incident_map"})
    if hasattr(zone, "geometry") and hasattr(zone, "name"):
        return zone
    raise TypeError(
        "zone must be a ConflictZone (or any object with .geometry and .name), a shapely area, "
        f"or a GeoDataFrame/GeoSeries of areas; got {type(zone).__name__}"
    )


def _zone_of_frame(frame: geopandas.GeoDataFrame | geopandas.GeoSeries) -> Any:
    """One zone of the union of a frame's areas, named from its name column (or the series' name)."""
    import geopandas as gpd
    import shapely

    frame = frame if frame.crs is None else frame.to_crs(4326)
    geom = shapely.union_all(shapely.make_valid(np.asarray(frame.geometry.values, dtype=object)))
    name = None
    if isinstance(frame, gpd.GeoDataFrame):
        # the same name columns ConflictZone.from_file reads: a breakaway area's own name first
        for col in AREA_NAME_COLUMNS:
            if col in frame.columns:
                vals = [t for t in (as_text(v) for v in frame[col].unique()[:3]) if t]
                if vals:
                    name = " + ".join(vals)
                    break
    elif frame.name:
        name = str(frame.name)
    return _conflict_zone(
        geom, name=name or "Conflict zone", metadata={"source": "a GeoDataFrame passed to incident_map"}
    )


def _zone_note(meta: dict) -> str:
    """Where the outline comes from, from the zone's metadata: source, approximation, note, licence."""
    parts = []
    source = as_text(meta.get("source"))
    if source:
        parts.append(f"outline: {'; '.join(_no_path(part) for part in source.split('; '))}")
    if meta.get("approximate") is True:
        parts.append("approximate")
    return "; ".join(parts + _curator_notes(meta))


def _conflict_zone(geometry: Any, *, name: str, metadata: dict, near_km: float | None = None) -> Any:
    """A plain area as a :class:`geoconflict.zones.ConflictZone`, so that it can classify incidents.

    The one place the maps package imports :mod:`geoconflict.zones`, and lazily:
    the map itself only draws, and a zone that arrives as a bare geometry (or a
    duck-typed zone without ``classify``) needs the zone code to say which
    incidents are inside it. ConflictZone also checks the area (type, validity,
    degrees) as it would for any caller.
    """
    from ..zones import ConflictZone

    extra = {} if near_km is None else {"near_km": near_km}
    return ConflictZone(geometry, name=name, metadata=metadata, **extra)


def classify_missing(
    incidents: geopandas.GeoDataFrame, view: ZoneView | None, near_km: float | None
) -> geopandas.GeoDataFrame:
    """``incidents`` with the zone's own classification when they carry no ``zone_status`` (a new frame).

    A frame that has a status, an empty frame or no zone is returned as it is. The
    zone columns are taken from what ``classify`` returns, aligned to the incidents:
    a row it leaves out or without a status keeps no status and is drawn as such.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point, box
    >>> gdf = gpd.GeoDataFrame(geometry=[Point(46.8, 39.8), Point(45.0, 40.5), None], crs=4326)
    >>> classify_missing(gdf, as_zone(box(46.3, 39.4, 47.3, 40.3)), None)["zone_status"].fillna("none").tolist()
    ['inside', 'outside', 'none']
    """
    has_status = "zone_status" in incidents.columns and incidents["zone_status"].notna().any()
    if view is None or has_status or not len(incidents):
        return incidents
    classified = _classifier(view, near_km)(incidents)
    return _with_zone_columns(incidents, classified)


def _classifier(view: ZoneView, near_km: float | None):
    """The zone's ``classify`` (given ``near_km`` when it takes one)."""
    fn = getattr(view.zone, "classify", None)
    if fn is None:
        meta = dict(getattr(view.zone, "metadata", None) or {})
        fn = _conflict_zone(view.zone.geometry, name=view.name, metadata=meta, near_km=view.near_km).classify
    try:
        takes_near = "near_km" in inspect.signature(fn).parameters
    except (TypeError, ValueError):  # builtins without a signature
        takes_near = False
    if takes_near and near_km is not None:
        return lambda frame: fn(frame, near_km=near_km)
    return fn


def _with_zone_columns(incidents: geopandas.GeoDataFrame, classified: Any) -> geopandas.GeoDataFrame:
    """``incidents`` plus the zone columns of ``classified``, row for row (by position, else by label)."""
    present = [c for c in ZONE_COLUMNS if c in getattr(classified, "columns", ())]
    if len(classified) == len(incidents) and classified.index.equals(incidents.index):
        values = {c: classified[c].to_numpy() for c in present}
    elif incidents.index.is_unique and classified.index.is_unique:
        values = {c: classified[c].reindex(incidents.index).to_numpy() for c in present}
    else:
        raise ValueError(
            f"the zone's classify returned {len(classified):,} rows for {len(incidents):,} incidents "
            "with an index that cannot be matched to them: classify the incidents before mapping them"
        )
    return incidents.assign(**values)
