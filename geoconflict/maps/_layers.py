"""The layers of an incident map besides the incidents: zone, near band, admin units, tiles.

Each function returns plain data (GeoJSON dicts, lists) or folium objects; the
text in them is escaped with :func:`geoconflict.maps.escape.escape_html`. The
admin units arrive loaded (``geoconflict.load_boundaries`` reads, checks and
names them): here they are only counted and drawn.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import numpy as np

from ..geodesy import geodesic_buffer
from ..schema import AREA_NAME_COLUMNS, first_column
from .escape import as_text, escape_html

if TYPE_CHECKING:  # pragma: no cover
    import folium
    import geopandas

    from ._zone import ZoneView

__all__ = [
    "NEAR_STYLE",
    "ZONE_STYLE",
    "choropleth_bins",
    "geojson_of",
    "tile_layers",
    "units_for_drawing",
    "units_layer",
    "zone_layers",
]

ZONE_STYLE = {"color": "#b2182b", "weight": 2.5, "dashArray": "7 4", "fillColor": "#b2182b", "fillOpacity": 0.06}
NEAR_STYLE = {"color": "#b2182b", "weight": 1, "dashArray": "2 4", "fill": False, "opacity": 0.8}
#: ColorBrewer YlOrRd, light to dark
CHOROPLETH_COLORS = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
#: columns that hold a unit's code, for frames not normalised by load_boundaries (which names it ``code``)
CODE_COLUMNS = ("code", "shapeISO", "iso_code", "ISO", "ADM2_PCODE", "ADM1_PCODE", "GID_2", "GID_1")
#: zones with more vertices than this are simplified for drawing (not for classifying)
MAX_DRAW_VERTICES = 20_000


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


def near_band(view: ZoneView, geometry: Any = None):
    """The area within ``near_km`` of the zone (or of ``geometry``, one of its outlines): a geodesic buffer, or None."""
    if not view.near_km or view.near_km <= 0:
        return None
    geom = view.zone.geometry if geometry is None else geometry
    if _vertex_count(geom) > MAX_DRAW_VERTICES:
        geom = _for_drawing(geom, None)  # the band is drawn, never tested against: a lighter outline will do
    return geodesic_buffer(geom, view.near_km)


def zone_layers(view: ZoneView, tolerance: float | None) -> tuple[list[Any], list[Any]]:
    """The near band (when it has a width) and the zone outline, as non-interactive layers.

    For a zone over time: one group per period (its band and outline) inside one
    "Zone" group; the page script shows the group of the slider's date. Returns the
    layers to add to the map and the period groups (in the order of ``view.periods``).
    """
    import folium

    if not view.periods:
        return _outline_layers(view, view.zone, tolerance, named=True), []
    parent = folium.FeatureGroup(name=escape_html(f"Zone: {view.name} (outline of the slider's date)"))
    groups = []
    for period in view.periods:
        group = folium.FeatureGroup(name=escape_html(period.label), control=False)
        for layer in _outline_layers(view, period.zone, tolerance, named=False):
            layer.add_to(group)
        group.add_to(parent)
        groups.append(group)
    return [parent], groups


def _outline_layers(view: ZoneView, zone: Any, tolerance: float | None, *, named: bool) -> list[folium.GeoJson]:
    """A zone's near band and outline (as named layers of the control when ``named``)."""
    import folium

    layers = []
    band = near_band(view, zone.geometry)
    if band is not None:
        layers.append(
            folium.GeoJson(
                geojson_of(band, {"style": NEAR_STYLE}, tolerance),
                name=escape_html(f"Near the zone (within {view.near_km:g} km)"),
                interactive=False,
                control=named,
            )
        )
    props = {"name": escape_html(view.name), "note": escape_html(view.note), "style": ZONE_STYLE}
    layers.append(
        folium.GeoJson(
            geojson_of(zone.geometry, props, tolerance),
            name=escape_html(f"Zone: {view.name}"),
            interactive=False,
            control=named,
        )
    )
    return layers


# ---------------------------------------------------------------------------- admin units
def units_for_drawing(boundaries: Any) -> geopandas.GeoDataFrame:
    """Loaded admin units as a frame with ``name``, ``code`` and ``admin_level`` for drawing.

    Parameters
    ----------
    boundaries : GeoDataFrame
        Already loaded, e.g. by ``geoconflict.load_boundaries`` (any CRS; other
        column layouts are read through the common name and code columns).

    Raises
    ------
    TypeError
        For a path or anything else: the map does not read files.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> units = gpd.GeoDataFrame({"shapeName": ["Syunik"]}, geometry=[box(45.9, 38.8, 46.6, 39.8)])
    >>> units_for_drawing(units).name.tolist()
    ['Syunik']
    >>> units_for_drawing("ARM_ADM1.geojson")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: boundaries must be ...: pass boundaries=geoconflict.load_boundaries('ARM_ADM1.geojson') ...
    """
    import geopandas as gpd
    import pandas as pd

    if isinstance(boundaries, str | bytes) or hasattr(boundaries, "__fspath__"):
        raise TypeError(
            "boundaries must be a GeoDataFrame of admin units, already loaded: pass "
            f"boundaries=geoconflict.load_boundaries({os.fsdecode(boundaries)!r}) "
            "(the map draws what it is given and reads no files)"
        )
    if not isinstance(boundaries, gpd.GeoDataFrame):
        raise TypeError(
            "boundaries must be a GeoDataFrame of admin units (e.g. from geoconflict.load_boundaries(path)), "
            f"not {type(boundaries).__name__}"
        )
    frame = boundaries.set_crs(4326) if boundaries.crs is None else boundaries.to_crs(4326)
    name_col = first_column(frame.columns, AREA_NAME_COLUMNS)
    code_col = first_column(frame.columns, CODE_COLUMNS)
    n = len(frame)
    return gpd.GeoDataFrame(
        {
            "name": frame[name_col].astype(object).map(as_text) if name_col else [f"unit {i + 1}" for i in range(n)],
            "code": frame[code_col].astype(object).map(as_text) if code_col else [None] * n,
            "admin_level": frame["admin_level"].astype(object).map(as_text) if "admin_level" in frame.columns else None,
        },
        geometry=frame.geometry.values,
        crs=4326,
        index=pd.RangeIndex(n),
    )


def units_layer(
    units: geopandas.GeoDataFrame, lon: np.ndarray, lat: np.ndarray, *, choropleth: bool, tolerance: float | None
) -> tuple[folium.GeoJson, list[tuple[int, int, str]], np.ndarray | None]:
    """The units as one layer, coloured by how many of the points fall in each when ``choropleth``; bins, counts."""
    import folium
    from folium.utilities import JsCode

    counts = unit_counts(units, lon, lat) if choropleth else None
    bins = choropleth_bins(counts) if counts is not None else []
    layer = folium.GeoJson(
        units_geojson(units, counts, bins, tolerance),
        name="Admin units: incidents per unit" if choropleth else "Admin units",
        on_each_feature=JsCode("GeoconflictMap.featureTooltip"),
    )
    return layer, bins, counts


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
def tile_names(tiles: Any) -> list[str]:
    """The names of the tile layers (for the attribution when they fail)."""
    return [getattr(layer, "gc_name", None) or "tiles" for layer in tile_layers(tiles)]


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
            layer.gc_name = name  # the name as text, for the note when tiles fail
        out.append(layer)
    return out
