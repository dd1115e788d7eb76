""":func:`incident_map`: a few named steps from a frame of incidents to an :class:`IncidentMap`.

``_check_…`` turns what the caller passed into what the map draws (a frame in
EPSG:4326, a zone view, admin units), ``_build_…`` makes one part of the page,
``_assemble_…`` puts the parts and the report together.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import folium
import numpy as np

from ..schema import first_column
from ._basemap import page_blob, towns_near
from ._layers import tile_layers, tile_names, units_for_drawing, units_layer, zone_layers
from ._options import STATUS_LEGEND, basemap_options, page_options, status_labels
from ._page import INLINE_LIMIT, BaseMapLayer, IncidentLayer, IncidentMap
from ._payload import STATUS_CODES, UNKNOWN, IncidentPayload, incident_payload
from ._print import MAX_NAMED, PrintSpec
from ._zone import ZoneView, as_zone, classify_missing
from .escape import as_text, escape_html

if TYPE_CHECKING:  # pragma: no cover
    import geopandas
    import pandas as pd

__all__ = ["incident_map"]


def incident_map(
    incidents: geopandas.GeoDataFrame | pd.DataFrame | None = None,
    *,
    zone: Any = None,
    zone_label: str | None = None,
    boundaries: geopandas.GeoDataFrame | None = None,
    near_km: float | None = None,
    choropleth: bool = True,
    tiles: Any = "OpenStreetMap.Mapnik",
    basemap: bool = True,
    assets: str = "inline",
    offline: bool | None = None,
    title: str | None = None,
    attribution: str | None = None,
    time_slider: bool = True,
    search: bool = True,
    fullscreen: bool = True,
    legend: bool = True,
    layer_control: bool = True,
    download: bool = True,
    density: bool = False,
    simplify: float | None = None,
    compress: bool | None = None,
    inline_limit: int = INLINE_LIMIT,
    width: str | int = "100%",
    height: str | int = "100%",
) -> IncidentMap:
    """An interactive map of incidents and the conflict zone, flagging those outside it.

    Parameters
    ----------
    incidents : GeoDataFrame or DataFrame, optional
        Any of the incident columns, each may be null (:mod:`geoconflict.maps`), any CRS, or ``latitude``/``longitude``.
    zone, zone_label : ConflictZone, ZoneTimeline, shapely area or GeoDataFrame; str, optional
        Drawn with its near band; rows without ``zone_status`` get its ``classify``; a zone over time shows the
        outline of the slider's date. The label credits the outline (default: the file's name, never a path).
    boundaries, choropleth : GeoDataFrame, optional; bool
        Admin units already loaded (``geoconflict.load_boundaries(path)``; a path is a TypeError),
        coloured by their incident counts (``choropleth``) or outlined.
    tiles, basemap : str, xyzservices.TileProvider, list or None; bool
        Tiles by xyzservices name (None: none) over the offline Natural Earth base map (shown when tiles fail).
    assets : {"inline", "cdn"}
        All scripts and styles in the page, or Leaflet from its CDN with SRI (``offline=True``/``False`` also work).
    title, attribution, time_slider, search, fullscreen, legend, layer_control, download, density
        Titles, a data credit and the controls (the slider has a play button and a per-day histogram; ``download``
        saves the incidents shown as CSV or GeoJSON; ``density`` starts in the hexagon view).
    near_km, simplify, compress, inline_limit, width, height
        The near band's width, km (default: the zone's); outline simplification, degrees; gzip the
        data (default: over 1 MB); the largest page inlined in a notebook, bytes; the map's size.

    Returns
    -------
    IncidentMap
        ``incident_stats``: rows drawn by status, rows with no location (not drawn, warned); ``to_image`` prints.

    Examples
    --------
    >>> import pandas as pd
    >>> m = incident_map(pd.DataFrame({"latitude": [40.18], "longitude": [44.51]}), tiles=None)
    >>> m.incident_stats["drawn"], m.incident_stats["status"]["unknown"]
    (1, 1)
    """
    frame, view, units = _check_inputs(incidents, zone, boundaries, near_km, zone_label)
    frame = classify_missing(frame, view, near_km)
    payload = _build_payload(frame)
    bounds = _view_bounds(payload, view, units)
    page_title = title or (f"Incidents and the zone {view.name}" if view else "Incidents")
    m = _build_map(page_title, tiles, assets=assets, offline=offline, size=(inline_limit, width, height))
    if basemap:
        _build_basemap(m, tiles, bounds)
    choro, periods = _build_context_layers(m, view, units, payload, choropleth=choropleth, simplify=simplify)
    controls = {"timeSlider": time_slider, "search": search, "fullscreen": fullscreen, "legend": legend}
    controls.update(download=download, density=bool(density))
    layer = _build_incidents(m, payload, view, page_title, choro, controls, attribution, compress, periods)
    _assemble_view(m, bounds, layer_control=layer_control)
    m.incident_stats = _assemble_stats(frame, payload, view, layer)
    flags = {"basemap": basemap, "density": bool(density), "legend": legend}
    m.print_spec = _assemble_print(frame, payload, view, units, choro, bounds, page_title, attribution, flags)
    return m


# ---------------------------------------------------------------------------- checks
def _check_inputs(
    incidents: Any, zone: Any, boundaries: Any, near_km: float | None, zone_label: str | None
) -> tuple[geopandas.GeoDataFrame, ZoneView | None, geopandas.GeoDataFrame | None]:
    """The incidents as a frame in EPSG:4326, the zone as a view, the boundaries as drawable units."""
    frame = _check_frame(incidents)
    view = as_zone(zone, near_km, zone_label)
    units = units_for_drawing(boundaries) if boundaries is not None else None
    return frame, view, units


def _check_frame(incidents: Any) -> geopandas.GeoDataFrame:
    """The incidents as a GeoDataFrame in EPSG:4326 (a new frame or the input untouched, never changed)."""
    import geopandas as gpd
    import pandas as pd

    if incidents is None:
        return gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs=4326)
    if isinstance(incidents, gpd.GeoDataFrame):
        if incidents._geometry_column_name not in incidents.columns:
            return gpd.GeoDataFrame(pd.DataFrame(incidents), geometry=gpd.GeoSeries([None] * len(incidents)), crs=4326)
        if incidents.crs is None:
            return incidents.set_crs(4326)
        return incidents.to_crs(4326) if incidents.crs.to_epsg() != 4326 else incidents
    if isinstance(incidents, pd.DataFrame):
        if "geometry" in incidents.columns:
            return gpd.GeoDataFrame(incidents, geometry="geometry", crs=4326)
        if {"latitude", "longitude"} <= set(incidents.columns):
            lon = pd.to_numeric(incidents["longitude"], errors="coerce")
            lat = pd.to_numeric(incidents["latitude"], errors="coerce")
            return gpd.GeoDataFrame(incidents, geometry=gpd.points_from_xy(lon, lat), crs=4326)
        return gpd.GeoDataFrame(incidents, geometry=gpd.GeoSeries([None] * len(incidents)), crs=4326)
    raise TypeError(f"incidents must be a GeoDataFrame or DataFrame, not {type(incidents).__name__}")


# ---------------------------------------------------------------------------- parts of the page
def _build_payload(frame: geopandas.GeoDataFrame) -> IncidentPayload:
    """The page payload; a warning (stack level: the caller of incident_map) for rows it cannot draw."""
    payload = incident_payload(frame)
    if payload.not_located:
        warnings.warn(
            f"{payload.not_located:,} of {payload.total_rows:,} incidents have no usable location "
            "and are not drawn (see the map's incident_stats['not_located_index'])",
            UserWarning,
            stacklevel=3,
        )
    return payload


def _build_map(title: str, tiles: Any, *, assets: str, offline: bool | None, size: tuple) -> IncidentMap:
    """An empty :class:`IncidentMap` with its title and tiles; ``size``: (inline limit, width, height)."""
    inline_limit, width, height = size
    m = IncidentMap(
        location=None, tiles=None, control_scale=True, assets=assets, offline=offline,
        inline_limit=inline_limit, width=width, height=height,
    )  # fmt: skip
    m.get_root().title = escape_html(title)
    for tile in tile_layers(tiles):
        m.add_child(tile)
    return m


def _build_basemap(m: IncidentMap, tiles: Any, bounds: list[list[float]] | None) -> None:
    """Add the offline base map (under the tiles), with the towns around ``bounds``."""
    box = (bounds[0][1], bounds[0][0], bounds[1][1], bounds[1][0]) if bounds else None
    towns = towns_near(box)
    options = basemap_options(tiles_named=tile_names(tiles))
    BaseMapLayer(page_blob(), towns, options, name="Offline base map (Natural Earth)").add_to(m)


def _build_context_layers(
    m: folium.Map,
    view: ZoneView | None,
    units: Any,
    payload: IncidentPayload,
    *,
    choropleth: bool,
    simplify: float | None,
) -> tuple[dict | None, list]:
    """Add the admin units, then the near band and the zone, under the incidents.

    Returns the choropleth's legend (or None; its ``counts`` and ``bins`` kept for the
    printed map) and the layer groups of a zone over time's periods.
    """
    legend = None
    if units is not None:
        layer, bins, counts = units_layer(units, payload.lon, payload.lat, choropleth=choropleth, tolerance=simplify)
        layer.add_to(m)
        legend = _choropleth_legend(bins) if choropleth else None
        if legend is not None:
            legend["_counts"], legend["_bins"] = counts, bins
    groups: list = []
    if view is not None:
        outlines, groups = zone_layers(view, simplify)
        for outline in outlines:
            outline.add_to(m)
    return legend, groups


def _build_incidents(
    m: folium.Map,
    payload: IncidentPayload,
    view: ZoneView | None,
    title: str,
    choropleth: dict | None,
    controls: dict[str, bool],
    attribution: str | None,
    compress: bool | None,
    periods: list,
) -> IncidentLayer:
    """Add the incident layer, with the options its script reads, on top of ``m``."""
    shown = {k: v for k, v in choropleth.items() if not k.startswith("_")} if choropleth else None
    options = page_options(
        payload,
        view,
        title=title,
        notes=_legend_notes(payload, counts_units=choropleth is not None),
        choropleth=shown,
        controls=controls,
        attribution=attribution,
    )
    layer = IncidentLayer(
        payload, options, name=f"Incidents ({payload.data['n']:,})", compress=compress, zone_periods=periods
    )
    layer.add_to(m)
    return layer


def _legend_notes(payload: IncidentPayload, *, counts_units: bool) -> list[str]:
    """What the legend must say about the data as drawn (unescaped)."""
    notes = []
    if payload.not_located:
        notes.append(f"{payload.not_located:,} of {payload.total_rows:,} incidents have no usable location: not drawn")
    if payload.any_uncertain:
        notes.append("Dashed ring: the status is uncertain (the location is too coarse to be sure)")
    if "area" in payload.data:
        notes.append("Area-coded incidents are drawn at a point inside their area")
    if counts_units:
        notes.append("Admin-unit counts cover all dates and types")
    return notes


def _choropleth_legend(bins: list[tuple[int, int, str]]) -> dict:
    return {
        "title": "Incidents per admin unit",
        "bins": [{"label": f"{lo:,}" if lo == hi else f"{lo:,}–{hi:,}", "color": col} for lo, hi, col in bins],
    }


# ---------------------------------------------------------------------------- assembly
def _view_bounds(payload: IncidentPayload, view: ZoneView | None, units: Any) -> list[list[float]] | None:
    """What the map shows first: the incidents and the zone (else the units), as [[south, west], [north, east]]."""
    bounds = _bounds(payload, [view.zone.geometry] if view is not None else [])
    if bounds is None and units is not None and len(units):
        minx, miny, maxx, maxy = units.total_bounds
        bounds = [[miny, minx], [maxy, maxx]]
    return bounds


def _assemble_view(m: folium.Map, bounds: list[list[float]] | None, *, layer_control: bool) -> None:
    """Fit the map to ``bounds`` and add the layer control."""
    if bounds is not None:
        m.fit_bounds(bounds, max_zoom=11, padding=(20, 20))
    if layer_control:
        folium.LayerControl(collapsed=True).add_to(m)


def _outside_names(frame: geopandas.GeoDataFrame, payload: IncidentPayload) -> list[str | None]:
    """The places of the incidents outside the zone, as text (the gazetteer's name first), for the print."""
    status = np.asarray(payload.data["status"], dtype=np.int64)
    rows = payload.rows[status == STATUS_CODES["outside"]] if payload.rows is not None else []
    if not len(rows) or len(rows) > MAX_NAMED:
        return []
    col = first_column(frame.columns, ("matched_name", "location", "name", "place", "mention"))
    return [as_text(v) for v in frame[col].iloc[rows]] if col else []


def _assemble_print(
    frame: geopandas.GeoDataFrame,
    payload: IncidentPayload,
    view: ZoneView | None,
    units: Any,
    choropleth: dict | None,
    bounds: list[list[float]] | None,
    title: str,
    attribution: str | None,
    flags: dict[str, bool],
) -> PrintSpec:
    """What :meth:`IncidentMap.to_image` draws: the same incidents, zone, units and legend as the page."""
    has_zone_or_status = view is not None or payload.has_status
    return PrintSpec(
        lon=payload.lon if payload.lon is not None else np.zeros(0),
        lat=payload.lat if payload.lat is not None else np.zeros(0),
        status=np.asarray(payload.data["status"], dtype=np.int64),
        type_code=np.asarray(payload.data["type"], dtype=np.int64),
        type_names=payload.type_names,
        type_colors=[t["color"] for t in payload.types],
        status_labels=status_labels(view, payload.has_status),
        status_legend=STATUS_LEGEND if has_zone_or_status else [UNKNOWN],
        view=view,
        units=units,
        unit_counts=choropleth.get("_counts") if choropleth else None,
        unit_bins=choropleth.get("_bins") if choropleth else None,
        bounds=bounds,
        title=title,
        attribution=attribution,
        outside_names=_outside_names(frame, payload),
        **flags,
    )


def _bounds(payload: IncidentPayload, extra: list) -> list[list[float]] | None:
    """[[south, west], [north, east]] around the drawn incidents and ``extra`` geometries, or None."""
    lons = [payload.lon] if payload.lon is not None and len(payload.lon) else []
    lats = [payload.lat] if payload.lat is not None and len(payload.lat) else []
    for geom in extra:
        if geom is not None and not geom.is_empty:
            minx, miny, maxx, maxy = geom.bounds
            lons.append(np.array([minx, maxx]))
            lats.append(np.array([miny, maxy]))
    if not lons:
        return None
    lon, lat = np.concatenate(lons), np.concatenate(lats)
    return [[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]]


def _assemble_stats(
    frame: geopandas.GeoDataFrame, payload: IncidentPayload, view: ZoneView | None, layer: IncidentLayer
) -> dict[str, Any]:
    """The map's report: rows, drawn, not located (and their labels), statuses, zone, data size."""
    not_drawn = np.setdiff1d(np.arange(len(frame)), payload.rows) if payload.rows is not None else np.arange(0)
    return {
        "rows": payload.total_rows,
        "drawn": int(payload.data["n"]),
        "not_located": payload.not_located,
        "not_located_index": list(frame.index[not_drawn]),
        "status": payload.status_counts,
        "zone": view.name if view else None,
        "zone_note": view.note if view else None,
        "data_bytes": len(layer.payload),
        "data_encoding": layer.encoding,
    }
