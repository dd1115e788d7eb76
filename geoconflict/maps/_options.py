"""What the page script is told: the options JSON of the incident layer.

The script in ``static/geoconflict-map.js`` knows how to draw, filter and lay out a
popup, but no word of the data: the names of the text fields and how the popup
uses them (``fields``), the status codes and their keys, labels, styles and
orders (``status``, ``statusLabels``, ``statusStyle``), the event types and the
legend's notes all come from here. Every text in it is escaped.
"""

from __future__ import annotations

from typing import Any

from ._payload import DERIVED_FIELDS, PAGE_FIELDS, STATUS_CODES, STATUS_KEYS, TEXT_FIELDS, UNKNOWN, IncidentPayload
from ._zone import ZoneView
from .escape import escape_html

__all__ = ["BASEMAP_STYLE", "STATUS_STYLE", "basemap_options", "page_options"]

#: How each zone status is drawn (index: 0 inside, 1 near, 2 outside, 3 no status). Radius in pixels.
#: The status shows in the ring and the shape, never by fading: inside a solid dark ring,
#: near a dashed ring, outside a larger diamond with a thick red ring and a white halo.
#: The printed map (``_print``) reads the same table.
STATUS_STYLE = [
    {"r": 5, "stroke": "#1a1a1a", "weight": 1.2, "fillOpacity": 0.9, "shape": "circle"},
    {"r": 6, "stroke": "#1a1a1a", "weight": 1.5, "fillOpacity": 0.9, "dash": [3, 2], "shape": "circle"},
    {"r": 9, "stroke": "#b2182b", "weight": 3, "fillOpacity": 1.0, "halo": "#ffffff", "shape": "diamond"},
    {"r": 5, "stroke": "#333333", "weight": 0.8, "fillOpacity": 0.85, "shape": "circle"},
]
#: The base map's colours and when it shows what (``townPopulation[zoom]``: the smallest town labelled)
BASEMAP_STYLE = {
    "land": "#f3f1ea",
    "water": "#c9dcec",
    "coast": "#6f93b3",
    "border": "#8c7d8f",
    "river": "#8fb3d6",
    "label": "#333333",
    "sea": "#3f6f99",
    "halo": "rgba(255,255,255,0.85)",
}
BASEMAP_TOWN_POPULATION = [
    10**9,
    10**9,
    10**9,
    5_000_000,
    2_000_000,
    800_000,
    300_000,
    100_000,
    40_000,
    15_000,
    5_000,
]
#: the incidents outside the zone are named on the map when at most this many are drawn
NAME_OUTSIDE = 25
#: the density view's colours, few to many incidents per hexagon (ColorBrewer YlOrRd)
DENSITY_COLORS = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
#: the column names of the page's download for the fields whose payload key is not the column's name
EXPORT_NAMES = {
    "id": "event_id",
    "resolved": "matched_name",
    "date": "event_date_text",
    "url": "source_url",
    "url_text": "source_link",
}
#: the characters that make a spreadsheet read a cell as a formula (the page's CSV export quotes them)
CSV_FORMULA_START = "=+-@\t\r"
#: draw order by status code: outside on top, then near, no status, inside at the bottom
STATUS_DRAW_RANK = {STATUS_CODES["inside"]: 0, UNKNOWN: 1, STATUS_CODES["near"]: 2, STATUS_CODES["outside"]: 3}
#: legend rows, top to bottom, when there is a zone or a status
STATUS_LEGEND = [STATUS_CODES["outside"], STATUS_CODES["near"], STATUS_CODES["inside"], UNKNOWN]


def page_options(
    payload: IncidentPayload,
    view: ZoneView | None,
    *,
    title: str,
    notes: list[str],
    choropleth: dict | None,
    controls: dict[str, Any],
    attribution: str | None,
) -> dict[str, Any]:
    """The options of ``GeoconflictMap.incidents``: text escaped, everything the script must not hard-code.

    ``controls`` holds the switches ``timeSlider``, ``search``, ``fullscreen``, ``legend``,
    ``download`` and ``density`` (False, True: start in the density view).

    Examples
    --------
    >>> from geoconflict.maps._payload import incident_payload
    >>> import geopandas as gpd
    >>> empty = incident_payload(gpd.GeoDataFrame(geometry=[], crs=4326))
    >>> opts = page_options(empty, None, title="<i>T</i>", notes=[], choropleth=None, controls={}, attribution=None)
    >>> opts["title"], opts["statusLabels"][3], opts["status"]["keys"][3], opts["fields"]["title"]
    ('&lt;i&gt;T&lt;/i&gt;', 'Incident', 'unknown', ['resolved', 'location', 'mention'])
    """
    has_zone_or_status = view is not None or payload.has_status
    return {
        "title": escape_html(title),
        "statusLabels": [escape_html(s) for s in status_labels(view, payload.has_status)],
        "statusStyle": STATUS_STYLE,
        "status": {
            "keys": list(STATUS_KEYS),
            "inside": STATUS_CODES["inside"],
            "unknown": UNKNOWN,
            "rank": [STATUS_DRAW_RANK[code] for code in range(len(STATUS_KEYS))],
            "legend": STATUS_LEGEND if has_zone_or_status else [UNKNOWN],
        },
        "fields": _escaped_labels(PAGE_FIELDS),
        "types": payload.types,
        "zone": _zone_options(view),
        "hasStatus": payload.has_status,
        "hasDates": payload.has_dates,
        "choropleth": choropleth,
        "notes": [escape_html(n) for n in notes],
        "timeSlider": controls.get("timeSlider", True),
        "search": controls.get("search", True),
        "fullscreen": controls.get("fullscreen", True),
        "legend": controls.get("legend", True),
        "download": controls.get("download", True),
        "density": controls.get("density", False),
        "densityColors": list(DENSITY_COLORS),
        "densityRadius": 14,
        "nameTop": NAME_OUTSIDE,
        "labelFont": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
        "export": _export_options(),
        "attribution": escape_html(attribution) if attribution else None,
    }


def _export_options() -> dict[str, Any]:
    """What the page's download button writes: column names for the wire format's own fields."""
    return {
        "columns": {
            "lat": "latitude",
            "lon": "longitude",
            "day": "event_date",
            "type": "event_type",
            "status": "zone_status",
            "dist": "zone_distance_km",
        },
        "names": {key: EXPORT_NAMES.get(key, columns[0]) for key, columns in TEXT_FIELDS.items()}
        | {key: EXPORT_NAMES.get(key, key) for key in DERIVED_FIELDS},
        "file": "incidents-shown",
        "formulaStart": CSV_FORMULA_START,
    }


def basemap_options(*, tiles_named: list[str]) -> dict[str, Any]:
    """The options of ``GeoconflictMap.basemap``: colours, zoom thresholds and the attribution.

    Examples
    --------
    >>> basemap_options(tiles_named=["OpenStreetMap.Mapnik"])["tilesFailed"]
    'OpenStreetMap.Mapnik tiles did not load: offline base map shown'
    """
    from ._basemap import ATTRIBUTION

    failed = f"{', '.join(tiles_named)} tiles did not load: offline base map shown" if tiles_named else ""
    return {
        "style": BASEMAP_STYLE,
        "townPopulation": BASEMAP_TOWN_POPULATION,
        "placeRank": 1,
        "riverRank": 1,
        "maxLabels": 400,
        "font": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
        "attribution": escape_html(ATTRIBUTION),
        "tilesFailed": escape_html(failed),
    }


def status_labels(view: ZoneView | None, has_status: bool) -> list[str]:
    """The legend's and popups' words for each status code (unescaped)."""
    if view is None and not has_status:
        return ["Inside the zone", "Near the zone", "Outside the zone", "Incident"]
    near = f"Near the zone (within {view.near_km:g} km)" if view is not None and view.near_km else "Near the zone"
    return ["Inside the zone", near, "Outside the zone", "No zone status"]


def _zone_options(view: ZoneView | None) -> dict | None:
    """The zone in the legend: name, the outline's short credit, the longer notes, the periods of its outlines."""
    if view is None:
        return None
    return {
        "name": escape_html(view.name),
        "note": escape_html(view.note),
        "label": escape_html(view.label),
        "details": escape_html(view.details) if view.details else None,
        "nearKm": view.near_km,
        "periods": [{"label": escape_html(p.label), "first": p.first_day, "last": p.last_day} for p in view.periods],
    }


def _escaped_labels(fields: dict[str, Any]) -> dict[str, Any]:
    """:data:`PAGE_FIELDS` with its labels (and the area row's text) escaped, as all text in the page is."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = [{k: escape_html(v) if k in ("label", "area") else v for k, v in row.items()} for row in value]
        out[key] = value
    return out
