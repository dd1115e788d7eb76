"""Interactive incident maps: the conflict zone, every incident, and which fell outside it.

The map draws what it is handed. Read the incidents, classify them against the
zone and load the admin units before (``geoconflict.read_incidents``,
``ConflictZone.classify``, ``geoconflict.load_boundaries``); :func:`incident_map`
reads no file and never loads the gazetteer. When the rows carry no
``zone_status`` and a zone is given, the zone's own ``classify`` gives them one;
rows left without a status are drawn as "no zone status".

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

``offline=True`` inlines Leaflet (vendored, BSD-2-Clause) so the saved page needs no
network for its code; map tiles are still fetched when there is a network
(``tiles=None`` gives a plain background).

Layout: ``_map`` (incident_map, in named steps), ``_zone`` (zone forms, the zone's
classification), ``_payload`` (incidents → page data), ``_layers`` (zone, units,
tiles), ``_options`` (what the page script is told), ``_page`` (the folium map and
the canvas layer), ``_assets`` (scripts and styles), ``escape``, ``static/``.

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

from ._map import incident_map
from ._options import STATUS_STYLE
from ._page import COMPRESS_ABOVE, INLINE_LIMIT, IncidentMap

__all__ = ["COMPRESS_ABOVE", "INLINE_LIMIT", "STATUS_STYLE", "IncidentMap", "incident_map"]
