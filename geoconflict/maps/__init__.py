"""Interactive incident maps: the conflict zone, every incident, and which fell outside it.

The map draws what it is handed. Read the incidents, classify them against the
zone and load the admin units before (``geoconflict.read_incidents``,
``ConflictZone.classify``, ``geoconflict.load_boundaries``); :func:`incident_map`
reads no file and never loads the gazetteer. When the rows carry no
``zone_status`` and a zone is given, the zone's own ``classify`` gives them one;
rows left without a status are drawn as "no zone status".

:func:`incident_map` returns a :class:`folium.Map` (an :class:`IncidentMap`) with

* an offline base map under the tiles (Natural Earth land and water, coastlines,
  country borders, lakes, main rivers; the larger towns' names from Natural Earth and
  GeoNames), so the page is readable when tiles are off or fail to load;
* the zone outline as its own layer, credited with a short label (``zone_label=``,
  default the file's name: never a path), and the band of "near" around it; a zone
  over time (``ConflictZone.over_time``) shows the outline of the slider's date;
* every incident in one canvas layer (not one Leaflet object per incident), so a
  page with 100,000 incidents stays small, loads in seconds and pans smoothly;
  the status shows in the ring and the shape, never by fading: outside-the-zone
  incidents are red-ringed diamonds drawn on top, near ones have a dashed ring,
  inside ones a solid ring; the fill colour is the event type; a density view
  (hexagons) for very many;
* a legend explaining both that also filters by status and type (it folds away and
  starts folded in a small map, e.g. a notebook cell), a time slider with a play
  button and a histogram of incidents per day, a button that downloads the incidents
  shown as CSV or GeoJSON, search, full screen, a scale bar and a layer control;
* popups with the place as resolved and as reported ("Ordubad — reported as
  “Orduba”"), admin units, date, event type, who claims and who disputes, the source
  (linked only when it is an http(s) URL) and the supporting sentence;
* optionally the admin units coloured by the number of incidents in each.

:meth:`IncidentMap.to_image` prints the same map (PNG, SVG, PDF) with matplotlib.

The incident columns read (each may be missing or null): ``location`` (or ``name``,
``place``, ``matched_name``), ``mention``, ``admin0/1/2``, ``event_date`` (or
``date``, ``date_start``), ``event_type``, ``sub_event_type``, ``actor1``,
``claimed_by``, ``disputed_by``, ``claim_status``, ``fatalities``, ``source``,
``source_url``, ``notes``, ``sentence``, ``geo_precision``, ``zone_status``,
``zone_distance_km``, ``zone_status_certain``, ids (``event_id_cnty`` …). Areas are
drawn at a point on their surface.

All text from the incident table, the zone and the boundaries is HTML-escaped
before it is written into the page, in one module, :mod:`geoconflict.maps.escape`:
a note holding ``<script>``, an ``<img onerror=…>``, a backtick, a backslash or
``{{ … }}`` shows as text. The page script (``static/geoconflict-map.js``) names no
data field: the field list, status codes and labels come in its options.

Every page carries its code (Leaflet, vendored, BSD-2-Clause; geoconflict's script and
style) and its base map, so the saved page needs no network; map tiles are still
fetched when there is one (``tiles=None``: the base map alone). ``assets="cdn"`` links
Leaflet from its CDN instead, with Subresource Integrity. No page holds the path of
an input file.

Layout: ``_map`` (incident_map, in named steps), ``_zone`` (zone forms, the zone's
classification, its label), ``_payload`` (incidents → page data), ``_layers`` (zone,
units, tiles), ``_basemap`` (the shipped Natural Earth base map, ``data/``),
``_options`` (what the page script is told), ``_page`` (the folium map, the base map
and the canvas layer), ``_print`` (the printed map), ``_assets`` (scripts and
styles), ``escape``, ``static/``.

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import Point, box
>>> gdf = gpd.GeoDataFrame(
...     {"location": ["Ordubad", "Martuni"], "event_date": ["2020-10-14", "2020-10-15"],
...      "notes": ["Missile <b>claimed</b>", None]},
...     geometry=[Point(46.02, 38.91), Point(47.0, 39.8)], crs=4326)
>>> m = incident_map(gdf, zone=box(46.3, 39.4, 47.3, 40.3), tiles=None)
>>> m.incident_stats["drawn"], m.incident_stats["status"]["outside"]
(2, 1)
>>> html = m.get_root().render()
>>> "<b>claimed</b>" in html, "&lt;b&gt;claimed&lt;/b&gt;" in html
(False, True)
"""

from __future__ import annotations

from ._map import incident_map
from ._options import STATUS_STYLE
from ._page import COMPRESS_ABOVE, INLINE_LIMIT, IncidentMap

__all__ = ["COMPRESS_ABOVE", "INLINE_LIMIT", "STATUS_STYLE", "IncidentMap", "incident_map"]
