"""incident_map without a browser: escaping, layers, legend, odd frames, zones, boundaries, offline pages."""

import ast
import base64
import gzip
import html
import json
import re
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon, box

from geoconflict.maps import IncidentMap, incident_map
from geoconflict.maps._payload import incident_payload
from geoconflict.maps.escape import as_text, escape_html, http_url
from geoconflict.zones import ConflictZone

ZONE = box(46.3, 39.4, 47.3, 40.3)  # a stand-in for Nagorno-Karabakh
HOSTILE = [
    "<script>window.__pwned=1</script>",
    "</script><script>window.__pwned=2</script>",
    '<img src=x onerror="window.__pwned=3">',
    "`${window.__pwned=4}`",
    "back\\slash \\u0027 \\x3c",
    "{{ 7*7 }} {% if true %}jinja{% endif %}",
    'it\'s "quoted" & <b>bold</b>',
    "\u2028line\u2029separators",
]


def frame(**extra) -> gpd.GeoDataFrame:
    data = {
        "event_id_cnty": ["AZE1", "ARM2", "ARM3"],
        "event_date": pd.to_datetime(["2020-10-15", "2020-10-14", "2020-10-20"]),
        "event_type": ["Explosions/Remote violence", "Battles", "Explosions/Remote violence"],
        "location": ["Ordubad", "Martuni", "Vardenis"],
        "admin1": ["Nakhchivan", None, "Gegharkunik"],
        "admin0": ["Azerbaijan", "Azerbaijan", "Armenia"],
        "claimed_by": ["Azerbaijan's Defence Ministry", None, None],
        "disputed_by": ["Armenia's Defence Ministry", None, None],
        "source": ["News agency", None, "Other agency"],
        "source_url": ["https://example.org/report?id=1&lang=en", None, "javascript:window.__pwned=9"],
        "sentence": ["A missile hit the area near Orduba.", None, None],
        "notes": [None, "Fighting near Martuni.", None],
    }
    data.update(extra)
    return gpd.GeoDataFrame(data, geometry=[Point(46.02, 38.91), Point(47.06, 39.79), Point(45.45, 40.18)], crs=4326)


def payload_of(page: str) -> dict:
    """The incident data a rendered page carries, decoded as the browser decodes it."""
    m = re.search(r'<script type="[^"]+" id="[^"]+_data" data-encoding="([^"]+)">(.*?)</script>', page, re.S)
    assert m, "no incident data in the page"
    encoding, body = m.groups()
    if encoding == "gzip+base64":
        body = gzip.decompress(base64.b64decode(body)).decode("utf-8")
    return json.loads(body)


def text_column(data: dict, field: str) -> list:
    col = data["text"].get(field)
    if col is None:
        return [None] * data["n"]
    if isinstance(col, list):
        return col
    return [col["v"][k] if k >= 0 else None for k in col["k"]]


def options_of(page: str) -> dict:
    m = re.search(
        r"GeoconflictMap\.incidents\([^,]+, document\.getElementById\(\"[^\"]+\"\), (\{.*?\})\);\n", page, re.S
    )
    assert m, "no incident layer script in the page"
    return json.loads(m.group(1))


# ------------------------------------------------------------------ escaping
@pytest.mark.parametrize("text", HOSTILE)
def test_escape_html_is_inert_and_reversible(text):
    out = escape_html(text)
    for char in "<>`\"'\\${}":
        assert char not in out
    assert html.unescape(out) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://news.am/eng/news/1.html", "https://news.am/eng/news/1.html"),
        ("  http://example.org/a?b=1&c=2  ", "http://example.org/a?b=1&c=2"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>x</script>", None),
        ("//example.org/protocol-relative", None),
        ("ftp://example.org/file", None),
        ("https://", None),
        ("https://exa mple.org/space", None),
        ("https://example.org/\nx", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_only_http_urls_are_links(value, expected):
    assert http_url(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (float("nan"), None),
        (pd.NA, None),
        (pd.NaT, None),
        ("  ", None),
        (" Kapan ", "Kapan"),
        (3.0, "3"),
        (np.int64(7), "7"),
        (2.5, "2.5"),
        (["Azerbaijan", None, "Turkey"], "Azerbaijan; Turkey"),
        ((), None),
        (False, "no"),
        (pd.Timestamp("2020-10-15 13:00"), "2020-10-15"),
        (b"bytes", "bytes"),
    ],
)
def test_as_text(value, expected):
    assert as_text(value) == expected


def test_hostile_text_never_reaches_the_page_raw():
    n = len(HOSTILE)
    gdf = gpd.GeoDataFrame(
        {
            "location": HOSTILE,
            "notes": HOSTILE[::-1],
            "sentence": HOSTILE,
            "actor1": HOSTILE,
            "claimed_by": HOSTILE,
            "disputed_by": HOSTILE,
            "source": HOSTILE,
            "source_url": ["https://example.org/?q=<script>" + h for h in HOSTILE],
            "event_type": HOSTILE,
            "admin1": HOSTILE,
            "event_date": HOSTILE,
        },
        geometry=[Point(44 + i / 10, 40) for i in range(n)],
        crs=4326,
    )
    hostile_zone = ConflictZone(ZONE, name="<script>window.__pwned=5</script>{{ 6*7 }}", metadata={"source": "`x`"})
    m = incident_map(gdf, zone=hostile_zone, tiles=None, offline=True, title="<b>t</b>{{ 1+1 }}")
    page = m.get_root().render()
    for h in HOSTILE:
        if len(h) > 12:
            assert h not in page
    assert "window.__pwned=5</script>" not in page
    assert "&#123;&#123; 7*7 &#125;&#125;" in page  # not evaluated by a template engine (it would say 49)
    assert "&#123;&#123; 6*7 &#125;&#125;" in page
    assert "<title>&lt;b&gt;t&lt;/b&gt;&#123;&#123; 1+1 &#125;&#125;</title>" in page
    data = payload_of(page)
    for field in ("location", "notes", "sentence", "actor1", "claimed_by", "disputed_by", "source", "admin1"):
        values = text_column(data, field)
        originals = HOSTILE[::-1] if field == "notes" else HOSTILE
        assert [html.unescape(v) for v in values] == [o.strip() for o in originals]
        assert all("<" not in v and "`" not in v for v in values)
    # dates that do not parse are kept as (escaped) text
    assert [html.unescape(v) for v in text_column(data, "date")] == [h.strip() for h in HOSTILE]
    assert all(t["name"] == escape_html(t["name"] and html.unescape(t["name"])) for t in options_of(page)["types"])


def test_links_only_for_http_and_the_rest_kept_as_text():
    page = incident_map(frame(), tiles=None).get_root().render()
    data = payload_of(page)
    assert text_column(data, "url") == ["https://example.org/report?id=1&amp;lang=en", None, None]
    assert text_column(data, "url_text") == [None, None, "javascript:window.__pwned=9"]


# ------------------------------------------------------------------ structure
def test_one_layer_for_all_incidents_not_one_object_each():
    rng = np.random.default_rng(0)
    n = 2000
    gdf = gpd.GeoDataFrame(
        {"location": [f"Place {i}" for i in range(n)], "event_type": rng.choice(["Battles", "Protests"], n)},
        geometry=gpd.points_from_xy(rng.uniform(44, 47, n), rng.uniform(39, 41, n)),
        crs=4326,
    )
    page = incident_map(gdf, zone=ZONE, tiles=None).get_root().render()
    assert page.count("GeoconflictMap.incidents(") == 1
    for per_object in ("L.circleMarker(", "L.marker(", "L.circle(", "bindPopup("):
        assert page.count(per_object) < 5
    data = payload_of(page)
    assert data["n"] == n and len(data["lat"]) == n and len(data["status"]) == n


def test_layers_legend_and_controls():
    m = incident_map(
        frame(), zone=ConflictZone(ZONE, name="Nagorno-Karabakh", metadata={"source": "NE 10m"}), tiles=None
    )
    page = m.get_root().render()
    assert "L.control.layers(" in page
    assert "L.control.scale()" in page
    assert '"Zone: Nagorno-Karabakh"' in page
    assert '"Near the zone (within 10 km)"' in page
    assert '"Incidents (3)"' in page
    assert "fitBounds(" in page
    opts = options_of(page)
    assert opts["zone"]["name"] == "Nagorno-Karabakh" and "NE 10m" in opts["zone"]["note"]
    assert opts["statusLabels"][:3] == ["Inside the zone", "Near the zone (within 10 km)", "Outside the zone"]
    assert [t["name"] for t in opts["types"]] == ["Explosions/Remote violence", "Battles"]
    assert opts["types"][0]["color"] != opts["types"][1]["color"]
    assert opts["timeSlider"] and opts["hasDates"] and opts["search"] and opts["fullscreen"]
    styles = opts["statusStyle"]
    assert styles[2]["r"] > styles[1]["r"] > styles[0]["r"]  # outside prominent, inside muted
    assert styles[0]["fillOpacity"] < styles[2]["fillOpacity"]


def test_zone_classification_when_the_frame_has_none():
    m = incident_map(frame(), zone=ZONE, tiles=None)
    assert m.incident_stats["status"] == {"inside": 1, "near": 0, "outside": 2, "unknown": 0}
    data = payload_of(m.get_root().render())
    assert data["status"] == [2, 0, 2]
    assert data["dist"][0] > 50 and data["dist"][1] == 0


def test_existing_zone_status_is_kept():
    gdf = frame(zone_status=["near", "outside", None], zone_status_certain=[False, True, None])
    m = incident_map(gdf, zone=ZONE, tiles=None)
    data = payload_of(m.get_root().render())
    assert data["status"] == [1, 2, 3]
    assert data["certain"] == [0, 1, 1]
    assert m.incident_stats["status"]["unknown"] == 1


class DuckZone:
    """Not a ConflictZone: only the attributes incident_map relies on."""

    def __init__(self):
        self.geometry = ZONE
        self.name = "Duck zone"
        self.metadata = {"source": "a test", "approximate": True}
        self.calls = 0

    def classify(self, gdf):
        self.calls += 1
        out = gdf.copy()
        out["zone_status"] = "near"
        out["zone_distance_km"] = 1.5
        return out


def test_duck_typed_zone_classifies_itself():
    zone = DuckZone()
    m = incident_map(frame(), zone=zone, tiles=None)
    assert zone.calls == 1
    assert m.incident_stats["status"]["near"] == 3
    assert m.incident_stats["zone"] == "Duck zone"
    assert m.incident_stats["zone_note"] == "outline: a test; approximate"


@pytest.mark.parametrize(
    ("zone", "name"),
    [
        (ZONE, "Conflict zone"),
        (gpd.GeoSeries([ZONE], crs=4326, name="Karabakh"), "Karabakh"),
        (gpd.GeoDataFrame({"name": ["NK"]}, geometry=[ZONE], crs=4326), "NK"),
        (gpd.GeoDataFrame({"NAME": ["NK 3857"]}, geometry=[ZONE], crs=4326).to_crs(3857), "NK 3857"),
    ],
)
def test_zone_forms(zone, name):
    m = incident_map(frame(), zone=zone, tiles=None)
    assert m.incident_stats["zone"] == name
    assert m.incident_stats["status"]["outside"] == 2


def test_bad_zone_is_a_clear_error():
    with pytest.raises(TypeError, match="zone must be"):
        incident_map(frame(), zone="Nagorno-Karabakh", tiles=None)


# ------------------------------------------------------------------ odd frames
@pytest.mark.parametrize(
    "incidents",
    [
        None,
        gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs=4326),
        pd.DataFrame(),
        pd.DataFrame({"location": [], "latitude": [], "longitude": []}),
    ],
)
def test_no_incidents(incidents):
    m = incident_map(incidents, zone=ZONE, tiles=None)
    assert m.incident_stats["drawn"] == 0
    page = m.get_root().render()
    assert payload_of(page)["n"] == 0
    assert "fitBounds(" in page  # to the zone


def test_nothing_at_all_still_renders():
    # assets="cdn": the inlined Leaflet (issue 14's default) names fitBounds itself
    page = incident_map(None, tiles=None, assets="cdn").get_root().render()
    assert payload_of(page)["n"] == 0
    assert "fitBounds(" not in page


def test_geometry_only_frame():
    gdf = gpd.GeoDataFrame(geometry=[Point(44.5, 40.2), Point(45, 40)], crs=4326)
    m = incident_map(gdf, tiles=None)
    data = payload_of(m.get_root().render())
    assert data["n"] == 2 and data["text"] == {} and "day" not in data
    assert options_of(m.get_root().render())["types"] == [
        {"name": "Unspecified", "color": "#7f7f7f", "count": 2, "unspecified": True}
    ]


def test_all_columns_null():
    cols = ["event_date", "event_type", "location", "admin1", "notes", "source", "source_url", "claimed_by"]
    gdf = gpd.GeoDataFrame({c: [None, None] for c in cols}, geometry=[Point(44.5, 40.2), Point(45, 40)], crs=4326)
    gdf["zone_status"] = [None, None]
    data = payload_of(incident_map(gdf, tiles=None).get_root().render())
    assert data["n"] == 2 and data["text"] == {} and data["status"] == [3, 3]


def test_plain_dataframe_with_latitude_longitude():
    df = pd.DataFrame({"latitude": [40.18, "bad"], "longitude": [44.51, 45.0], "location": ["Yerevan", "Nowhere"]})
    with pytest.warns(UserWarning, match="1 of 2 incidents have no usable location"):
        m = incident_map(df, tiles=None)
    assert m.incident_stats["drawn"] == 1
    assert m.incident_stats["not_located_index"] == [1]


def test_rows_without_location_are_reported_not_dropped_silently():
    gdf = frame()
    gdf.loc[1, "geometry"] = None
    with pytest.warns(UserWarning, match="not drawn"):
        m = incident_map(gdf, tiles=None)
    assert m.incident_stats["not_located"] == 1 and m.incident_stats["not_located_index"] == [1]
    assert any("no usable location" in n for n in options_of(m.get_root().render())["notes"])


def test_missing_geometry_falls_back_to_latitude_longitude():
    gdf = frame(latitude=[38.91, 39.79, 40.18], longitude=[46.02, 47.06, 45.45])
    gdf.loc[2, "geometry"] = None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = incident_map(gdf, tiles=None)
    assert m.incident_stats["drawn"] == 3


def test_areas_are_drawn_at_a_point_inside():
    area = Polygon([(45.0, 40.0), (45.5, 40.0), (45.5, 40.1), (45.0, 40.1)])
    gdf = gpd.GeoDataFrame({"location": ["Gegharkunik"]}, geometry=[area], crs=4326)
    data = payload_of(incident_map(gdf, tiles=None).get_root().render())
    assert data["area"] == [1]
    assert area.contains(Point(data["lon"][0], data["lat"][0]))


def test_other_crs_is_converted():
    m = incident_map(frame().to_crs(3857), zone=ZONE, tiles=None)
    data = payload_of(m.get_root().render())
    assert data["lat"][0] == pytest.approx(38.91, abs=1e-4)
    assert m.incident_stats["status"]["outside"] == 2


def test_input_is_not_mutated():
    gdf = frame()
    before = gdf.copy()
    incident_map(gdf, zone=ZONE, tiles=None)
    pd.testing.assert_frame_equal(gdf, before)
    assert "zone_status" not in gdf.columns


@pytest.mark.parametrize(
    ("dates", "days", "shown"),
    [
        (pd.to_datetime(["2020-10-15", None, "2020-10-20"]), [18550, None, 18555], None),
        (["2020-10-15", "15 October 2020", "unknown"], [18550, 18550, None], [None, None, "unknown"]),
        (
            pd.to_datetime(["2020-10-15T23:30", "2020-10-16T01:00", None]).tz_localize("Asia/Baku"),
            [18550, 18550, None],
            None,
        ),
    ],
)
def test_dates(dates, days, shown):
    data = payload_of(incident_map(frame(event_date=list(dates)), tiles=None).get_root().render())
    assert data["day"] == days
    assert text_column(data, "date") == (shown or [None, None, None])


def test_one_date_gives_no_slider():
    gdf = frame(event_date=["2020-10-15"] * 3)
    assert options_of(incident_map(gdf, tiles=None).get_root().render())["hasDates"] is False


def test_payload_groups_repeated_text():
    n = 100
    gdf = gpd.GeoDataFrame(
        {"admin1": ["Syunik"] * n, "notes": [f"note {i}" for i in range(n)]},
        geometry=[Point(46, 39.2)] * n,
        crs=4326,
    )
    p = incident_payload(gdf)
    assert p.data["text"]["admin1"] == {"k": [0] * n, "v": ["Syunik"]}
    assert p.data["text"]["notes"][5] == "note 5"


# ------------------------------------------------------------------ boundaries
def test_choropleth_counts_per_unit():
    units = gpd.GeoDataFrame(
        {"name": ["West <unit>", "East"], "code": ["W", "E"]},
        geometry=[box(44, 38, 46, 41), box(46, 38, 48, 41)],
        crs=4326,
    )
    m = incident_map(frame(), boundaries=units, tiles=None)
    page = m.get_root().render()
    assert '"Admin units: incidents per unit"' in page
    assert "West \\u0026lt;unit\\u0026gt; (W)" in page and "West <unit>" not in page
    counts = [int(c) for c in re.findall(r'"incidents": (\d+)', page)]
    assert counts == [1, 2]
    assert [b["label"] for b in options_of(page)["choropleth"]["bins"]] == ["1", "2"]


def test_boundaries_as_outlines():
    units = gpd.GeoDataFrame({"shapeName": ["A"]}, geometry=[box(44, 38, 48, 41)], crs=4326)
    page = incident_map(frame(), boundaries=units, choropleth=False, tiles=None).get_root().render()
    assert '"Admin units"' in page and '"incidents"' not in page
    assert options_of(page)["choropleth"] is None


# ------------------------------------------------------------------ assets, tiles, notebooks
def test_offline_page_has_no_external_scripts(tmp_path):
    m = incident_map(frame(), zone=ZONE, tiles=None, offline=True)
    out = tmp_path / "map.html"
    m.save(str(out))
    page = out.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"(?!data:)", page)
    assert "Leaflet 1.9.4" in page and "url(images/" not in page
    assert "GeoconflictMap" in page


def test_online_page_uses_cdns():
    # issue 14: pages are self-contained by default; assets="cdn" keeps the CDN links (with SRI)
    page = incident_map(frame(), tiles=None, assets="cdn").get_root().render()
    assert re.search(r'<script src="https://cdn\.jsdelivr\.net/npm/leaflet@[\d.]+/dist/leaflet\.js"[^>]*>', page)


@pytest.mark.parametrize("tiles", [None, "none", "None", False])
def test_no_tiles(tiles):
    page = incident_map(frame(), tiles=tiles).get_root().render()
    assert "L.tileLayer(" not in page


def test_tiles_by_xyzservices_name():
    page = incident_map(frame(), tiles=["OpenStreetMap.Mapnik", "Esri.WorldGrayCanvas"]).get_root().render()
    assert page.count("L.tileLayer(") == 2
    assert "tile.openstreetmap.org" in page and "World_Light_Gray_Base" in page


def test_tiles_that_need_a_key_are_a_clear_error():
    with pytest.raises(ValueError, match="need an API key"):
        incident_map(frame(), tiles="CartoDB.Positron")


def test_unknown_tiles_are_a_clear_error():
    with pytest.raises(ValueError, match=r"unknown tiles 'Nowhere\.Tiles'"):
        incident_map(frame(), tiles="Nowhere.Tiles")


@pytest.mark.parametrize(("compress", "encoding"), [(True, "gzip+base64"), (False, "json"), (None, "json")])
def test_compression(compress, encoding):
    m = incident_map(frame(), tiles=None, compress=compress)
    page = m.get_root().render()
    assert f'data-encoding="{encoding}"' in page
    assert payload_of(page)["n"] == 3


def test_large_payload_is_compressed_by_default():
    n = 20_000
    rng = np.random.default_rng(1)
    gdf = gpd.GeoDataFrame(
        {"notes": [f"Report {i}: shelling near a village, {i % 7} injured." for i in range(n)]},
        geometry=gpd.points_from_xy(rng.uniform(44, 47, n), rng.uniform(39, 41, n)),
        crs=4326,
    )
    m = incident_map(gdf, tiles=None)
    assert m.incident_stats["data_encoding"] == "gzip+base64"
    assert payload_of(m.get_root().render())["n"] == n


def test_is_a_folium_map():
    import folium

    m = incident_map(frame(), tiles=None)
    assert isinstance(m, folium.Map) and isinstance(m, IncidentMap)


def test_notebook_inline_and_large_fallback(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    small = incident_map(frame(), tiles=None)
    out = small._repr_html_()
    assert out.startswith("<div") and "srcdoc=" in out and "&lt;script" in out
    big = incident_map(frame(), tiles=None, inline_limit=1000)
    out = big._repr_html_()
    assert "srcdoc" not in out and "too large to embed" in out
    src = re.search(r'<iframe src="([^"]+)"', out).group(1)
    saved = tmp_path / src
    assert saved.exists() and "GeoconflictMap" in saved.read_text(encoding="utf-8")


def test_notes_that_repeat_the_sentence_are_sent_once():
    gdf = frame(notes=["A missile hit the area near Orduba.", "Other note", None])
    data = payload_of(incident_map(gdf, tiles=None).get_root().render())
    assert text_column(data, "notes") == [None, "Other note", None]
    assert text_column(data, "sentence")[0] == "A missile hit the area near Orduba."


# ------------------------------------------------------------------ the map only draws
def test_boundaries_must_be_loaded_first(tmp_path):
    with pytest.raises(TypeError, match=r"geoconflict\.load_boundaries\('.*units\.geojson'\)"):
        incident_map(frame(), boundaries=str(tmp_path / "units.geojson"), tiles=None)
    with pytest.raises(TypeError, match=r"geoconflict\.load_boundaries"):
        incident_map(frame(), boundaries=tmp_path / "units.geojson", tiles=None)
    with pytest.raises(TypeError, match="boundaries must be a GeoDataFrame"):
        incident_map(frame(), boundaries=[box(44, 38, 48, 41)], tiles=None)


class PartialZone(DuckZone):
    """A zone whose classify returns only some rows."""

    def classify(self, gdf):
        out = gdf.iloc[:1].copy()
        out["zone_status"] = "outside"
        return out


def test_rows_the_zone_leaves_unclassified_are_drawn_without_status():
    m = incident_map(frame(), zone=PartialZone(), tiles=None)
    assert m.incident_stats["drawn"] == 3
    assert m.incident_stats["status"] == {"inside": 0, "near": 0, "outside": 1, "unknown": 2}
    opts = options_of(m.get_root().render())
    assert opts["statusLabels"][opts["status"]["unknown"]] == "No zone status"


def test_a_map_with_a_zone_never_loads_the_gazetteer():
    """Drawing (and the zone's own classification of plain points) loads no reading or resolving code."""
    import subprocess
    import sys

    code = (
        "import sys, geoconflict, geopandas as gpd\n"
        "from shapely.geometry import Point, box\n"
        "before = set(sys.modules)\n"
        "from geoconflict.maps import incident_map\n"
        "gdf = gpd.GeoDataFrame({'location': ['A', 'B']}, geometry=[Point(46.8, 39.8), Point(45, 40.5)], crs=4326)\n"
        "m = incident_map(gdf, zone=box(46.3, 39.4, 47.3, 40.3), tiles=None)\n"
        "m.get_root().render()\n"
        "assert m.incident_stats['status']['outside'] == 1\n"
        "print(sorted(k for k in set(sys.modules) - before if k.startswith('geoconflict.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = {m.split(".")[1] for m in ast.literal_eval(out)}
    assert not loaded & {"gazetteer", "geoparse", "extract", "incidents", "boundaries", "join", "sources", "cli"}
    assert {"maps", "zones"} <= loaded  # the box was wrapped in a ConflictZone to classify


# ------------------------------------------------------------------ Python and the page script agree
def test_the_page_script_names_no_data_field():
    """Field names and status keys reach the page script in its options, never as its own literals."""
    from geoconflict.maps._assets import geoconflict_js
    from geoconflict.maps._payload import DERIVED_FIELDS, STATUS_KEYS, TEXT_FIELDS

    js = re.sub(r"/\*.*?\*/|^\s*//.*$", "", geoconflict_js(), flags=re.S | re.M)  # comments may name them
    literals = set(re.findall(r'"([^"\\\n]*)"', js)) | set(re.findall(r"'([^'\\\n]*)'", js))
    named = literals & {*TEXT_FIELDS, *DERIVED_FIELDS, *STATUS_KEYS}
    assert not named, f"geoconflict-map.js names data fields or status keys itself: {sorted(named)}"


def test_options_carry_the_fields_and_status_codes():
    from geoconflict.maps._payload import DERIVED_FIELDS, PAGE_FIELDS, STATUS_CODES, STATUS_KEYS, TEXT_FIELDS, UNKNOWN

    opts = options_of(incident_map(frame(), zone=ZONE, tiles=None).get_root().render())
    known = {*TEXT_FIELDS, *DERIVED_FIELDS}
    used = set()
    for value in opts["fields"].values():
        for item in value if isinstance(value, list) else [value]:
            used.add(item.get("field") if isinstance(item, dict) else item)
    used.discard(None)
    assert used <= known, used - known
    assert {"location", "claimed_by", "disputed_by", "sentence", "url", "date"} <= used
    assert opts["fields"]["details"] == [
        {k: escape_html(v) if isinstance(v, str) and k != "field" else v for k, v in row.items()}
        for row in PAGE_FIELDS["details"]
    ]
    status = opts["status"]
    assert status["keys"] == list(STATUS_KEYS)
    assert [status["keys"][c] for c in STATUS_CODES.values()] == list(STATUS_CODES)
    assert status["unknown"] == UNKNOWN and status["inside"] == STATUS_CODES["inside"]
    assert len(opts["statusLabels"]) == len(opts["statusStyle"]) == len(status["keys"]) == len(status["rank"])
    assert sorted(status["legend"]) == list(range(len(STATUS_KEYS)))
