"""Interactive incident maps: the conflict zone, every incident, and which fell outside it.

:func:`incident_map` returns a :class:`folium.Map` (an :class:`IncidentMap`) with

* the zone outline as its own layer, named with where the outline comes from, and
  the band of "near" around it;
* every incident in one canvas layer (not one Leaflet object per incident), so a
  page with 100,000 incidents stays small, loads in seconds and pans smoothly;
  outside-the-zone incidents are large with a red ring and drawn on top, near ones
  have a dashed ring, inside ones are small and faint; the fill colour is the event type;
* a legend explaining both that also filters by status and type, a time slider
  when the incidents have dates, search, full screen, a scale bar and a layer control;
* popups with the place, admin units, date, event type, who claims and who disputes,
  the source (linked only when it is an http(s) URL) and the supporting sentence;
* optionally the admin units coloured by the number of incidents in each.

All text from the incident table, the zone and the boundaries is HTML-escaped by
geoconflict before it is written into the page (see
:func:`geoconflict._mapdata.escape_html`): a note holding ``<script>``, an
``<img onerror=…>``, a backtick, a backslash or ``{{ … }}`` shows as text.

``offline=True`` inlines Leaflet (vendored, BSD-2-Clause) so the saved page needs no
network for its code; map tiles are still fetched when there is a network
(``tiles=None`` gives a plain background).

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import Point, box
>>> gdf = gpd.GeoDataFrame(
...     {"location": ["Ordubad", "Martuni"], "event_date": ["2020-10-14", "2020-10-15"],
...      "notes": ["Missile <b>claimed</b>", None]},
...     geometry=[Point(46.02, 38.91), Point(47.0, 39.8)], crs=4326)
>>> m = incident_map(gdf, zone=box(46.3, 39.4, 47.3, 40.3), tiles=None, offline=True)
>>> m.incident_stats["drawn"], m.incident_stats["status"]["outside"]
(2, 1)
>>> html = m.get_root().render()
>>> "<b>claimed</b>" in html, "&lt;b&gt;claimed&lt;/b&gt;" in html
(False, True)
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html as _html
import json
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium
import numpy as np
from folium.utilities import JsCode

from . import _maplayers as layers
from ._mapassets import (
    JQUERY_SHIM,
    Raw,
    geoconflict_css,
    geoconflict_js,
    leaflet_css,
    leaflet_default_icon_js,
    leaflet_js,
    script_tag,
    style_tag,
)
from ._mapdata import IncidentPayload, escape_html, incident_payload

if TYPE_CHECKING:  # pragma: no cover
    import geopandas
    import pandas as pd

__all__ = ["COMPRESS_ABOVE", "INLINE_LIMIT", "STATUS_STYLE", "IncidentMap", "incident_map"]

#: pages larger than this (bytes) are not put inline in a notebook but saved and shown in an IFrame
INLINE_LIMIT = 2_000_000
#: incident data larger than this (bytes of JSON) is gzip-compressed in the page (``compress=None``)
COMPRESS_ABOVE = 1_000_000

#: zone notes longer than this many characters are folded in the legend (click to read all)
NOTE_SHORT = 120

#: How each zone status is drawn (index: 0 inside, 1 near, 2 outside, 3 no status). Radius in pixels.
STATUS_STYLE = [
    {"r": 3.5, "stroke": None, "weight": 0, "fillOpacity": 0.45},
    {"r": 6, "stroke": "#1a1a1a", "weight": 1.5, "fillOpacity": 0.9, "dash": [3, 2]},
    {"r": 8.5, "stroke": "#b2182b", "weight": 3, "fillOpacity": 1.0, "halo": "#ffffff"},
    {"r": 5, "stroke": "#333333", "weight": 0.8, "fillOpacity": 0.85},
]


class IncidentMap(folium.Map):
    """A :class:`folium.Map` that can inline Leaflet (``offline``) and shows large pages in notebooks.

    Notebook front ends refuse outputs of many megabytes. When the rendered page is
    larger than ``inline_limit`` bytes, the notebook view saves it next to the
    notebook (``notebook_dir``, default ``geoconflict-maps/`` in the working
    directory) and shows it in an IFrame instead of inlining it.
    """

    def __init__(
        self,
        *args: Any,
        offline: bool = False,
        inline_limit: int = INLINE_LIMIT,
        notebook_dir: str | os.PathLike | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.offline = offline
        self.inline_limit = inline_limit
        self.notebook_dir = notebook_dir
        self.incident_stats: dict[str, Any] = {}
        if offline:
            # Leaflet is inlined in render(), with a few lines standing in for the jQuery that
            # folium's popups use; folium's other CDN assets (Bootstrap, Font Awesome, awesome
            # markers) are not used by geoconflict's layers and are left out.
            self.default_js = []
            self.default_css = []

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        # no favicon request (a 404 in the console when served, a network call when offline)
        figure.header.add_child(Raw('<link rel="icon" href="data:,">'), name="geoconflict_favicon")
        if self.offline:
            figure.header.add_child(Raw(style_tag(leaflet_css())), name="leaflet_css")
            figure.header.add_child(Raw(script_tag(leaflet_js() + "\n" + leaflet_default_icon_js())), name="leaflet")
            figure.header.add_child(Raw(script_tag(JQUERY_SHIM)), name="jquery")
        super().render(**kwargs)

    def _repr_html_(self, **kwargs: Any) -> str:
        page = self.get_root().render(**kwargs)
        size = len(page.encode("utf-8"))
        if size <= self.inline_limit:
            return (
                '<div style="width:100%;"><div style="position:relative;width:100%;height:0;padding-bottom:60%;">'
                '<span style="color:#565656">Make this Notebook Trusted to load map: File -> Trust Notebook</span>'
                f'<iframe srcdoc="{_html.escape(page)}" style="position:absolute;width:100%;height:100%;left:0;top:0;'
                'border:none !important;" allowfullscreen webkitallowfullscreen mozallowfullscreen></iframe>'
                "</div></div>"
            )
        folder = Path(self.notebook_dir) if self.notebook_dir is not None else Path("geoconflict-maps")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"map-{hashlib.sha1(page.encode('utf-8')).hexdigest()[:12]}.html"
        path.write_text(page, encoding="utf-8")
        try:
            src = Path(os.path.relpath(path, Path.cwd())).as_posix()
        except ValueError:  # another drive on Windows
            src = path.resolve().as_uri()
        src = _html.escape(src)
        return (
            f'<iframe src="{src}" width="100%" height="600" style="border:none !important;" '
            "allowfullscreen webkitallowfullscreen mozallowfullscreen></iframe>"
            f'<div style="font:12px sans-serif;color:#555">This map ({size / 1e6:.1f} MB) is too large to embed '
            f'in the notebook: it was saved to <a href="{src}" target="_blank">{src}</a> and is shown from there.</div>'
        )


def _script_safe(js_json: str) -> str:
    """JSON text that cannot close a ``<script>`` element or trip old JavaScript parsers."""
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        js_json = js_json.replace(char, escaped)
    return js_json


class IncidentLayer(folium.map.Layer):
    """The incidents as one canvas layer, with the legend, time slider, search and full-screen controls."""

    _template = folium.template.Template("")

    def __init__(self, payload: IncidentPayload, options: dict, *, name: str, compress: bool | None = None):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "GeoconflictIncidents"
        raw = json.dumps(payload.data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        raw = _script_safe(raw)
        if compress is None:
            compress = len(raw) > COMPRESS_ABOVE
        if compress:
            packed = gzip.compress(raw.encode("utf-8"), compresslevel=6, mtime=0)
            self.encoding, self.payload = "gzip+base64", base64.b64encode(packed).decode("ascii")
        else:
            self.encoding, self.payload = "json", raw
        self.options = options

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        name = self.get_name()
        figure.header.add_child(Raw(style_tag(geoconflict_css())), name="geoconflict_css")
        figure.header.add_child(Raw(script_tag(geoconflict_js())), name="geoconflict_js")
        kind = "application/json" if self.encoding == "json" else "text/plain"
        figure.html.add_child(
            Raw(f'<script type="{kind}" id="{name}_data" data-encoding="{self.encoding}">{self.payload}</script>'),
            name=f"{name}_data",
        )
        opts = _script_safe(json.dumps(self.options, ensure_ascii=False))
        figure.script.add_child(
            Raw(
                f"var {name} = GeoconflictMap.incidents({self._parent.get_name()}, "
                f'document.getElementById("{name}_data"), {opts});\n'
            ),
            name=name,
        )
        super().render(**kwargs)


def _as_frame(incidents: Any) -> geopandas.GeoDataFrame:
    """The incidents as a GeoDataFrame in EPSG:4326 (a new frame; the input is not touched)."""
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


def _status_labels(view: layers.ZoneView | None, has_status: bool) -> list[str]:
    if view is None and not has_status:
        return ["Inside the zone", "Near the zone", "Outside the zone", "Incident"]
    near = f"Near the zone (within {view.near_km:g} km)" if view is not None and view.near_km else "Near the zone"
    return ["Inside the zone", near, "Outside the zone", "No zone status (no location)"]


def _shorten(text: str, limit: int = 0) -> str:
    """The first words of ``text``, up to about ``limit`` characters, with an ellipsis."""
    limit = limit or NOTE_SHORT
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:") + " …"


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


def incident_map(
    incidents: geopandas.GeoDataFrame | pd.DataFrame | None = None,
    *,
    zone: Any = None,
    boundaries: Any = None,
    near_km: float | None = None,
    choropleth: bool = True,
    tiles: Any = "OpenStreetMap.Mapnik",
    offline: bool = False,
    title: str | None = None,
    attribution: str | None = None,
    time_slider: bool = True,
    search: bool = True,
    fullscreen: bool = True,
    legend: bool = True,
    layer_control: bool = True,
    simplify: float | None = None,
    compress: bool | None = None,
    inline_limit: int = INLINE_LIMIT,
    width: str | int = "100%",
    height: str | int = "100%",
) -> folium.Map:
    """An interactive map of incidents and the conflict zone, flagging those outside it.

    Parameters
    ----------
    incidents : GeoDataFrame or DataFrame, optional
        EPSG:4326 (other CRSs are converted). Any subset of the incident columns
        (``location``, ``admin0/1/2``, ``event_date``, ``event_type``, ``actor1``,
        ``claimed_by``, ``disputed_by``, ``source``, ``source_url``, ``notes``,
        ``sentence``, ``zone_status`` …); each may be missing or null. Areas are
        drawn at a point on their surface. A DataFrame may carry
        ``latitude``/``longitude`` instead of a geometry.
    zone : ConflictZone, shapely area, GeoDataFrame or GeoSeries, optional
        The conflict zone. When the incidents have no ``zone_status`` it is
        computed with ``zone.classify`` (a plain geometry is wrapped in a
        :class:`geoconflict.zones.ConflictZone`).
    boundaries : GeoDataFrame or path, optional
        Admin units (``name``, optional ``code``, ``admin_level``); drawn as a
        choropleth of incident counts per unit when ``choropleth``, else as outlines.
    near_km : float, optional
        Width of the "near" band, km (default: the zone's own, 10 km for a plain geometry).
    tiles : str, xyzservices.TileProvider, list or None
        Base map(s) by xyzservices name (default ``"OpenStreetMap.Mapnik"``; ``"Esri.WorldGrayCanvas"`` is muted);
        ``None`` or ``"none"`` for no tiles.
    offline : bool
        Inline Leaflet and every script and style: the saved page needs no network
        except for tiles.
    title, attribution : str, optional
        The legend's title and the page title; a data credit for the attribution line.
    time_slider, search, fullscreen, legend, layer_control : bool
        The controls to add (the time slider only when incidents have two or more dates).
    simplify : float, optional
        Simplification tolerance in degrees for drawing boundaries and the zone
        (default: only very detailed outlines are simplified).
    compress : bool, optional
        gzip the incident data in the page (default: when it is over 1 MB).
    inline_limit : int
        Largest page, in bytes, shown inline in a notebook (see :class:`IncidentMap`).

    Returns
    -------
    IncidentMap
        A :class:`folium.Map`; ``incident_stats`` says how many incidents were drawn,
        how many could not be (no usable location) and their row labels.

    Warns
    -----
    UserWarning
        When some incidents have no usable location and are not drawn.

    Examples
    --------
    >>> import pandas as pd
    >>> m = incident_map(pd.DataFrame({"latitude": [40.18], "longitude": [44.51], "location": ["Yerevan"]}),
    ...                  tiles=None)
    >>> m.incident_stats["drawn"]
    1
    >>> m.save("/tmp/incidents.html")  # doctest: +SKIP
    """
    frame = _as_frame(incidents)
    view = layers.as_zone(zone, near_km)
    has_status = "zone_status" in frame.columns and frame["zone_status"].notna().any()
    if view is not None and not has_status and len(frame):
        frame = layers.classify(frame, view, near_km)
    payload = incident_payload(frame)
    if payload.not_located:
        warnings.warn(
            f"{payload.not_located:,} of {payload.total_rows:,} incidents have no usable location "
            "and are not drawn (see the map's incident_stats['not_located_index'])",
            UserWarning,
            stacklevel=2,
        )

    m = IncidentMap(
        location=None,
        tiles=None,
        control_scale=True,
        offline=offline,
        inline_limit=inline_limit,
        width=width,
        height=height,
    )
    page_title = title or (f"Incidents and the zone {view.name}" if view else "Incidents")
    m.get_root().title = escape_html(page_title)
    for tile in layers.tile_layers(tiles):
        m.add_child(tile)

    units = None
    if boundaries is not None:
        units = layers.admin_units(boundaries)
        counts = layers.unit_counts(units, payload.lon, payload.lat) if choropleth else None
        bins = layers.choropleth_bins(counts) if counts is not None else []
        folium.GeoJson(
            layers.units_geojson(units, counts, bins, simplify),
            name="Admin units: incidents per unit" if choropleth else "Admin units",
            on_each_feature=JsCode("GeoconflictMap.featureTooltip"),
        ).add_to(m)

    zone_geoms = []
    if view is not None:
        band = layers.near_band(view)
        if band is not None:
            folium.GeoJson(
                layers.geojson_of(band, {"style": layers.NEAR_STYLE}, simplify),
                name=escape_html(f"Near the zone (within {view.near_km:g} km)"),
                interactive=False,
            ).add_to(m)
        zone_props = {"name": escape_html(view.name), "note": escape_html(view.note), "style": layers.ZONE_STYLE}
        folium.GeoJson(
            layers.geojson_of(view.zone.geometry, zone_props, simplify),
            name=escape_html(f"Zone: {view.name}"),
            interactive=False,
        ).add_to(m)
        zone_geoms.append(view.zone.geometry)

    notes = []
    if payload.not_located:
        notes.append(f"{payload.not_located:,} of {payload.total_rows:,} incidents have no usable location: not drawn")
    if payload.any_uncertain:
        notes.append("Dashed ring: the status is uncertain (the location is too coarse to be sure)")
    if "area" in payload.data:
        notes.append("Area-coded incidents are drawn at a point inside their area")
    if units is not None and choropleth:
        notes.append("Admin-unit counts cover all dates and types")
    choro = None
    if units is not None and choropleth:
        choro = {
            "title": "Incidents per admin unit",
            "bins": [{"label": f"{lo:,}" if lo == hi else f"{lo:,}–{hi:,}", "color": col} for lo, hi, col in bins],
        }
    options = {
        "title": escape_html(page_title),
        "statusLabels": [escape_html(s) for s in _status_labels(view, payload.has_status)],
        "statusStyle": STATUS_STYLE,
        "types": payload.types,
        "zone": {
            "name": escape_html(view.name),
            "note": escape_html(view.note),
            "noteShort": escape_html(_shorten(view.note)) if len(view.note) > NOTE_SHORT else None,
            "nearKm": view.near_km,
        }
        if view
        else None,
        "hasStatus": payload.has_status,
        "hasDates": payload.has_dates,
        "choropleth": choro,
        "notes": [escape_html(n) for n in notes],
        "timeSlider": time_slider,
        "search": search,
        "fullscreen": fullscreen,
        "legend": legend,
        "attribution": escape_html(attribution) if attribution else None,
    }
    layer = IncidentLayer(payload, options, name=f"Incidents ({payload.data['n']:,})", compress=compress)
    layer.add_to(m)

    bounds = _bounds(payload, zone_geoms)
    if bounds is None and units is not None and len(units):
        minx, miny, maxx, maxy = units.total_bounds
        bounds = [[miny, minx], [maxy, maxx]]
    if bounds is not None:
        m.fit_bounds(bounds, max_zoom=11, padding=(20, 20))
    if layer_control:
        folium.LayerControl(collapsed=True).add_to(m)

    index = frame.index
    not_drawn = np.setdiff1d(np.arange(len(frame)), payload.rows) if payload.rows is not None else np.arange(0)
    m.incident_stats = {
        "rows": payload.total_rows,
        "drawn": int(payload.data["n"]),
        "not_located": payload.not_located,
        "not_located_index": list(index[not_drawn]),
        "status": payload.status_counts,
        "zone": view.name if view else None,
        "zone_note": view.note if view else None,
        "data_bytes": len(layer.payload),
        "data_encoding": layer.encoding,
    }
    return m
