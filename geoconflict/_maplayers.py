"""The layers of an incident map besides the incidents: zone, near band, admin units, tiles.

Each function returns plain data (GeoJSON dicts, lists) or folium objects; the
text in them is escaped with :func:`geoconflict._mapdata.escape_html`.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ._mapdata import as_text, escape_html

if TYPE_CHECKING:  # pragma: no cover
    import folium
    import geopandas

__all__ = [
    "ZONE_STYLE",
    "ZoneView",
    "admin_units",
    "as_zone",
    "choropleth_bins",
    "classify",
    "geojson_of",
    "tile_layers",
]

ZONE_STYLE = {"color": "#b2182b", "weight": 2.5, "dashArray": "7 4", "fillColor": "#b2182b", "fillOpacity": 0.06}
NEAR_STYLE = {"color": "#b2182b", "weight": 1, "dashArray": "2 4", "fill": False, "opacity": 0.8}
#: ColorBrewer YlOrRd, light to dark
CHOROPLETH_COLORS = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
_NAME_COLUMNS = ("name", "shapeName", "NAME", "name_en", "NAME_EN", "ADM2_EN", "ADM1_EN", "NAME_2", "NAME_1", "admin")
_CODE_COLUMNS = ("code", "shapeISO", "iso_code", "ISO", "ADM2_PCODE", "ADM1_PCODE", "GID_2", "GID_1")
#: zones with more vertices than this are simplified for drawing (not for classifying)
MAX_DRAW_VERTICES = 20_000


@dataclass(frozen=True)
class ZoneView:
    """What the map shows about a zone: its outline, a name and where the outline comes from."""

    zone: Any  # a ConflictZone or an object with .geometry/.name/.metadata (and maybe .classify)
    name: str
    note: str
    near_km: float | None


def as_zone(zone: Any, near_km: float | None = None) -> ZoneView | None:
    """Accept a ConflictZone-like object, a shapely area, or a (Geo)DataFrame/GeoSeries of areas."""
    if zone is None:
        return None
    import geopandas as gpd
    import shapely
    from shapely.geometry.base import BaseGeometry

    from .zones import NEAR_KM, ConflictZone

    if isinstance(zone, gpd.GeoDataFrame | gpd.GeoSeries):
        frame = zone if zone.crs is None else zone.to_crs(4326)
        geom = shapely.union_all(shapely.make_valid(np.asarray(frame.geometry.values, dtype=object)))
        name = "Conflict zone"
        if isinstance(frame, gpd.GeoDataFrame):
            for col in ("name", "BRK_NAME", "NAME", "shapeName", "name_en"):
                if col in frame.columns:
                    vals = [t for t in (as_text(v) for v in frame[col].unique()[:3]) if t]
                    if vals:
                        name = " + ".join(vals)
                        break
        elif frame.name:
            name = str(frame.name)
        zone = ConflictZone(geom, name=name, metadata={"source": "a GeoDataFrame passed to incident_map"})
    elif isinstance(zone, BaseGeometry):
        zone = ConflictZone(zone, name="Conflict zone", metadata={"source": "a geometry passed to incident_map"})
    elif not (hasattr(zone, "geometry") and hasattr(zone, "name")):
        raise TypeError(
            "zone must be a ConflictZone (or any object with .geometry and .name), a shapely area, "
            f"or a GeoDataFrame/GeoSeries of areas; got {type(zone).__name__}"
        )
    meta = dict(getattr(zone, "metadata", None) or {})
    zone_near = getattr(zone, "near_km", None)
    near = near_km if near_km is not None else (zone_near if zone_near is not None else NEAR_KM)
    return ZoneView(zone=zone, name=as_text(zone.name) or "Conflict zone", note=_zone_note(meta), near_km=float(near))


def _zone_note(meta: dict) -> str:
    parts = []
    source = as_text(meta.get("source"))
    if source:
        parts.append(f"outline: {source}")
    approx = meta.get("approximate")
    if approx is True:
        parts.append("approximate")
    elif isinstance(approx, str) and approx.strip():
        parts.append(f"approximate: {approx.strip()}")
    for key in ("note", "licence", "license", "attribution"):
        t = as_text(meta.get(key))
        if t:
            parts.append(t)
    return "; ".join(parts)


def classify(incidents: geopandas.GeoDataFrame, view: ZoneView, near_km: float | None) -> geopandas.GeoDataFrame:
    """``view.zone.classify`` on a frame that has no ``zone_status`` yet (a new frame)."""
    fn = getattr(view.zone, "classify", None)
    if fn is None:
        from .zones import ConflictZone

        fn = ConflictZone(view.zone.geometry, name=view.name, near_km=view.near_km).classify
    try:
        takes_near = "near_km" in inspect.signature(fn).parameters
    except (TypeError, ValueError):  # builtins without a signature
        takes_near = False
    if takes_near and near_km is not None:
        return fn(incidents, near_km=near_km)
    return fn(incidents)


def _vertex_count(geom) -> int:
    import shapely

    return int(shapely.get_num_coordinates(geom))


def _for_drawing(geom, tolerance: float | None):
    """A lighter copy of ``geom`` for the page: simplified when large, coordinates rounded to 1e-5°."""
    import shapely

    if geom is None or geom.is_empty:
        return geom
    if tolerance is None and _vertex_count(geom) > MAX_DRAW_VERTICES:
        minx, miny, maxx, maxy = geom.bounds
        tolerance = max(maxx - minx, maxy - miny) / 4000.0
    if tolerance:
        geom = shapely.simplify(geom, tolerance, preserve_topology=True)
    return shapely.transform(geom, lambda xy: np.round(xy, 5))


def geojson_of(geom, properties: dict, tolerance: float | None = None) -> dict:
    """A one-feature FeatureCollection (``properties`` must already be escaped)."""
    import shapely

    g = _for_drawing(geom, tolerance)
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": properties, "geometry": shapely.geometry.mapping(g)}],
    }


def near_band(view: ZoneView):
    """The area within ``near_km`` of the zone (geodesic buffer), or None."""
    if not view.near_km or view.near_km <= 0:
        return None
    from .geodesy import geodesic_buffer

    geom = view.zone.geometry
    if _vertex_count(geom) > MAX_DRAW_VERTICES:
        geom = _for_drawing(geom, None)
    return geodesic_buffer(geom, view.near_km)


# ---------------------------------------------------------------------------- admin units
def _column(frame, names: tuple[str, ...]) -> str | None:
    for n in names:
        if n in frame.columns:
            return n
    return None


def admin_units(boundaries: Any) -> geopandas.GeoDataFrame:
    """Boundaries as a frame with ``name``, ``code`` and ``admin_level`` (read from a path if one is given)."""
    import geopandas as gpd
    import pandas as pd

    if isinstance(boundaries, str | bytes) or hasattr(boundaries, "__fspath__"):
        try:
            from .boundaries import load_boundaries  # type: ignore[attr-defined]
        except ImportError:
            frame = gpd.read_file(boundaries)
        else:
            frame = load_boundaries(boundaries)
    elif isinstance(boundaries, gpd.GeoDataFrame):
        frame = boundaries
    else:
        raise TypeError(f"boundaries must be a GeoDataFrame or a file path, not {type(boundaries).__name__}")
    frame = frame.set_crs(4326) if frame.crs is None else frame.to_crs(4326)
    name_col = _column(frame, _NAME_COLUMNS)
    code_col = _column(frame, _CODE_COLUMNS)
    n = len(frame)
    out = gpd.GeoDataFrame(
        {
            "name": frame[name_col].astype(object).map(as_text) if name_col else [f"unit {i + 1}" for i in range(n)],
            "code": frame[code_col].astype(object).map(as_text) if code_col else [None] * n,
            "admin_level": frame["admin_level"].astype(object).map(as_text) if "admin_level" in frame.columns else None,
        },
        geometry=frame.geometry.values,
        crs=4326,
        index=pd.RangeIndex(n),
    )
    return out


def unit_counts(units: geopandas.GeoDataFrame, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """How many of the points fall in each unit (a point on a shared edge counts for both)."""
    import shapely

    counts = np.zeros(len(units), dtype=np.int64)
    if not len(lon) or not len(units):
        return counts
    geoms = np.asarray(units.geometry.values, dtype=object)
    tree = shapely.STRtree(geoms)
    _, unit_idx = tree.query(shapely.points(lon, lat), predicate="intersects")
    np.add.at(counts, unit_idx, 1)
    return counts


def choropleth_bins(counts: np.ndarray) -> list[tuple[int, int, str]]:
    """Up to six classes ``(low, high, colour)`` over the positive counts (quantile breaks, whole numbers).

    Examples
    --------
    >>> choropleth_bins(np.array([0, 1, 2, 2, 5]))
    [(1, 1, '#ffffb2'), (2, 2, '#feb24c'), (5, 5, '#bd0026')]
    """
    pos = np.asarray(counts)[np.asarray(counts) > 0]
    if not pos.size:
        return []
    distinct = np.unique(pos)
    if len(distinct) <= len(CHOROPLETH_COLORS):
        bounds = [(int(v), int(v)) for v in distinct]
    else:
        highs = np.unique(np.ceil(np.quantile(pos, np.linspace(0, 1, len(CHOROPLETH_COLORS) + 1)[1:])).astype(int))
        lows = [int(pos.min())] + [int(h) + 1 for h in highs[:-1]]
        bounds = list(zip(lows, [int(h) for h in highs], strict=True))
    k = len(bounds)
    picks = (
        np.round(np.linspace(0, len(CHOROPLETH_COLORS) - 1, k)).astype(int) if k > 1 else [len(CHOROPLETH_COLORS) - 1]
    )
    return [(lo, hi, CHOROPLETH_COLORS[p]) for (lo, hi), p in zip(bounds, picks, strict=True)]


def units_geojson(
    units: geopandas.GeoDataFrame, counts: np.ndarray | None, bins: list[tuple[int, int, str]], tolerance: float | None
) -> dict:
    """Admin units as GeoJSON with escaped ``name``/``code``, ``incidents``, a ``style`` and a ``_tip``."""
    import shapely

    features = []
    for i, row in enumerate(units.itertuples(index=False)):
        geom = row.geometry
        if geom is None or geom.is_empty:
            continue
        name = escape_html(row.name) if row.name else "unnamed unit"
        code = escape_html(row.code) if row.code else None
        level = escape_html(row.admin_level) if row.admin_level else None
        label = name + (f" ({code})" if code else "")
        props: dict[str, Any] = {"name": name, "code": code, "admin_level": level}
        if counts is not None:
            c = int(counts[i])
            colour = next((col for lo, hi, col in bins if lo <= c <= hi), None)
            props["incidents"] = c
            props["style"] = {
                "color": "#555555",
                "weight": 0.8,
                "fillColor": colour or "#ffffff",
                "fillOpacity": 0.55 if colour else 0.0,
            }
            props["_tip"] = f"<b>{label}</b><br>{c:,} incident{'s' if c != 1 else ''}"
        else:
            props["style"] = {"color": "#555555", "weight": 0.8, "fill": False}
            props["_tip"] = f"<b>{label}</b>"
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": shapely.geometry.mapping(_for_drawing(geom, tolerance)),
            }
        )
    return {"type": "FeatureCollection", "features": features}


# ---------------------------------------------------------------------------- tiles
def tile_layers(tiles: Any) -> list[folium.TileLayer]:
    """Base layers from xyzservices names or providers; none for ``None``/``False``/``"none"``."""
    import folium
    import xyzservices

    if tiles is None or tiles is False or (isinstance(tiles, str) and tiles.strip().lower() in ("", "none", "no")):
        return []
    items = list(tiles) if isinstance(tiles, list | tuple) else [tiles]
    out = []
    for k, item in enumerate(items):
        if isinstance(item, folium.TileLayer):
            layer = item
        else:
            provider = item
            if isinstance(item, str):
                try:
                    provider = xyzservices.providers.query_name(item)
                except ValueError:
                    raise ValueError(
                        f"unknown tiles {item!r}: use an xyzservices provider name such as 'OpenStreetMap.Mapnik', "
                        "'Esri.WorldGrayCanvas' or 'Esri.WorldImagery', or 'none'"
                    ) from None
            if isinstance(provider, xyzservices.TileProvider) and provider.requires_token():
                raise ValueError(f"tiles {provider.name!r} need an API key: pass a TileProvider with the key filled in")
            name = getattr(provider, "name", None) or str(item)
            layer = folium.TileLayer(tiles=provider, name=escape_html(name), overlay=False, control=True, show=k == 0)
        out.append(layer)
    return out
