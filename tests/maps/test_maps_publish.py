"""Maps an analyst can publish (issue 14), without a browser: self-contained pages, no paths, the base map,
honest labels, printed maps and the command that writes them."""

import base64
import gzip
import json
import re
import struct

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geoconflict.cli import build_parser
from geoconflict.maps import STATUS_STYLE, incident_map
from geoconflict.maps._assets import LEAFLET_SRI, sri
from geoconflict.zones import ConflictZone

from conftest import REPO

ZONE = box(46.3, 39.4, 47.3, 40.3)
EXTERNAL = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)=\"(?!data:)([^\"]+)\"[^>]*>", re.I)


def frame(**extra) -> gpd.GeoDataFrame:
    data = {
        "event_date": ["2020-10-15", "2020-10-14", "2020-10-20"],
        "event_type": ["Explosions/Remote violence", "Battles", "Explosions/Remote violence"],
        "location": ["Orduba", "Martuni", "Vardenis"],
        "matched_name": ["Ordubad", "Martuni", "Vardenis"],
        "mention": ["Orduba", "Martuni", "Vardenis"],
        "notes": ["A missile hit the area near Orduba.", None, None],
    }
    data.update(extra)
    return gpd.GeoDataFrame(data, geometry=[Point(46.02, 38.91), Point(47.06, 39.79), Point(45.45, 40.18)], crs=4326)


def options_of(page: str) -> dict:
    m = re.search(
        r"GeoconflictMap\.incidents\([^,]+, document\.getElementById\(\"[^\"]+\"\), (\{.*?\})\);\n", page, re.S
    )
    return json.loads(m.group(1))


def png_size(path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


# ------------------------------------------------------------------ self-contained pages
def test_default_page_loads_nothing_from_outside(tmp_path):
    out = tmp_path / "map.html"
    incident_map(frame()).save(str(out))
    page = out.read_text(encoding="utf-8")
    assert EXTERNAL.findall(page) == []
    assert "Leaflet 1.9.4" in page and "GeoconflictMap.basemap(" in page
    # the attribution still says which tiles the page would use
    assert "tile.openstreetmap.org" in page and "OpenStreetMap" in page


def test_cdn_assets_carry_subresource_integrity():
    page = incident_map(frame(), tiles=None, assets="cdn").get_root().render()
    tags = re.findall(r"<(?:script|link)\b[^>]*\b(?:src|href)=\"https?://[^\"]+\"[^>]*>", page)
    assert len(tags) == 2
    assert all('integrity="sha256-' in t and 'crossorigin="anonymous"' in t for t in tags)
    assert LEAFLET_SRI["leaflet.js"] in page and LEAFLET_SRI["leaflet.css"] in page


def test_vendored_leaflet_is_the_published_release():
    assert sri("leaflet/leaflet.js") == LEAFLET_SRI["leaflet.js"]
    assert sri("leaflet/leaflet.css") == LEAFLET_SRI["leaflet.css"]


def test_offline_switch_still_works_and_bad_assets_are_an_error():
    assert EXTERNAL.findall(incident_map(frame(), tiles=None, offline=True).get_root().render()) == []
    assert len(EXTERNAL.findall(incident_map(frame(), tiles=None, offline=False).get_root().render())) == 2
    with pytest.raises(ValueError, match="assets must be one of"):
        incident_map(frame(), tiles=None, assets="remote")


def test_ten_incident_page_is_small():
    gdf = gpd.GeoDataFrame(
        {"location": [f"P{i}" for i in range(10)]},
        geometry=[Point(45 + i / 5, 40) for i in range(10)],
        crs=4326,
    )
    assert len(incident_map(gdf, zone=ZONE).get_root().render().encode("utf-8")) <= 2_000_000


def test_no_page_holds_the_path_of_an_input_file(tmp_path):
    zone_file = tmp_path / "outlines" / "my_zone.geojson"
    zone_file.parent.mkdir()
    gpd.GeoDataFrame({"name": ["Test zone"]}, geometry=[ZONE], crs=4326).to_file(zone_file)
    zone = ConflictZone.from_file(zone_file.resolve())
    timeline = ConflictZone.over_time([(zone, None, "2020-10-16"), (ZONE, "2020-10-17", None)])
    for z in (zone, timeline):
        page = incident_map(frame(), zone=z, tiles=None).get_root().render()
        assert str(tmp_path) not in page and "my_zone.geojson" in page
        assert str(tmp_path).replace("/", "\\/") not in page


# ------------------------------------------------------------------ legend and popups
def test_zone_label_default_and_given(tmp_path):
    zone = ConflictZone(ZONE, name="NK", metadata={"source": str(tmp_path / "nk.geojson"), "note": "curator's note"})
    opts = options_of(incident_map(frame(), zone=zone, tiles=None).get_root().render())
    assert opts["zone"]["label"] == "nk.geojson"
    assert opts["zone"]["details"] == "curator&#x27;s note"  # behind a disclosure in the legend
    opts = options_of(
        incident_map(frame(), zone=zone, zone_label="Natural Earth 1:10m", tiles=None).get_root().render()
    )
    assert opts["zone"]["label"] == "Natural Earth 1:10m"


def test_title_is_the_resolved_name_with_the_reported_spelling():
    opts = options_of(incident_map(frame(), tiles=None).get_root().render())
    assert opts["fields"]["title"][0] == "resolved" and opts["fields"]["reported"] == ["mention", "location"]
    assert "resolved" in opts["fields"]["search"]


def test_inside_incidents_are_not_faded():
    inside, near, outside = STATUS_STYLE[0], STATUS_STYLE[1], STATUS_STYLE[2]
    assert inside["stroke"] and inside["weight"] >= 1 and inside["fillOpacity"] >= 0.85
    assert outside["shape"] != inside["shape"] and near.get("dash") and not inside.get("dash")


def test_base_map_is_drawn_under_the_incidents_and_can_be_left_out():
    page = incident_map(frame(), zone=ZONE, tiles=None).get_root().render()
    blob = re.search(r'id="[^"]+_basemap" data-encoding="gzip\+base64">([^<]+)<', page).group(1)
    base = json.loads(gzip.decompress(base64.b64decode(blob)))
    assert {"land", "coast", "borders", "lakes", "rivers", "places"} <= set(base)
    towns = json.loads(re.search(r'id="[^"]+_towns">([^<]*)<', page).group(1))
    assert "Ordubad" in [t[0] for t in towns] and "Yerevan" in [t[0] for t in towns]
    assert "Natural Earth" in page and "GeoNames" in page
    assert "GeoconflictMap.basemap(" not in incident_map(frame(), tiles=None, basemap=False).get_root().render()


def test_download_and_density_options():
    opts = options_of(incident_map(frame(), tiles=None, density=True).get_root().render())
    assert opts["download"] is True and opts["density"] is True
    assert opts["export"]["columns"]["lat"] == "latitude" and opts["export"]["names"]["resolved"] == "matched_name"
    assert "=" in opts["export"]["formulaStart"]


# ------------------------------------------------------------------ print
@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_to_image_writes_each_format(tmp_path, suffix):
    m = incident_map(frame(), zone=ConflictZone(ZONE, name="Test zone"), tiles=None, title="Strikes $100")
    out = m.to_image(tmp_path / f"map{suffix}", dpi=72, size=(6, 4))
    body = out.read_bytes()
    magic = {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}[suffix]
    assert body.startswith(magic)
    if suffix == ".svg":
        text = body.decode("utf-8")
        assert "Outside the zone" in text and "Strikes $100" in text and "Natural Earth" in text


def test_png_has_the_requested_size_is_not_blank_and_holds_the_legend(tmp_path):
    from matplotlib.image import imread

    zone = ConflictZone(ZONE, name="Test zone")
    m = incident_map(frame(), zone=zone, tiles=None)
    out = m.to_image(tmp_path / "map.png", dpi=100, size=(8, 5))
    assert png_size(out) == (800, 500)
    img = imread(out)
    assert img[..., :3].std() > 0.05 and len(np.unique(img[..., :3].reshape(-1, 3), axis=0)) > 200
    assert "Outside the zone" in m.print_spec.drawn["legend"] and "Test zone" in " ".join(m.print_spec.drawn["legend"])
    # the legend is in the picture, in its panel right of the map: ink on white; without it the map fills the width
    panel = img[60:440, 610:, :3]
    assert (panel.min(axis=2) > 0.97).mean() > 0.6 and (panel.max(axis=2) < 0.4).sum() > 150
    bare = incident_map(frame(), zone=zone, tiles=None, legend=False).to_image(tmp_path / "b.png", dpi=100, size=(8, 5))
    assert (imread(bare)[60:440, 610:, :3].min(axis=2) > 0.97).mean() < 0.2


def test_to_image_refuses_other_formats(tmp_path):
    with pytest.raises(ValueError, match=r"\.png, \.svg, \.pdf"):
        incident_map(frame(), tiles=None).to_image(tmp_path / "map.jpg")


def test_to_image_of_a_zone_over_time_and_choropleth(tmp_path):
    timeline = ConflictZone.over_time([(ZONE, None, "2020-10-16"), (box(46.5, 39.5, 47.2, 40.2), "2020-10-17", None)])
    units = gpd.GeoDataFrame({"name": ["W", "E"]}, geometry=[box(44, 38, 46, 41), box(46, 38, 48, 41)], crs=4326)
    m = incident_map(frame(), zone=timeline, boundaries=units, tiles=None)
    m.to_image(tmp_path / "t.png", dpi=60, size=(6, 4))
    legend = " ".join(m.print_spec.drawn["legend"])
    assert "until 2020-10-16" in legend and "from 2020-10-17" in legend and "incidents per unit" in legend


# ------------------------------------------------------------------ the command
def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


@pytest.mark.parametrize("suffix", [".png", ".pdf"])
def test_cli_writes_an_image(tmp_path, capsys, suffix):
    table = tmp_path / "events.csv"
    frame().drop(columns="geometry").assign(latitude=[38.91, 39.79, 40.18], longitude=[46.02, 47.06, 45.45]).to_csv(
        table, index=False
    )
    zone_file = tmp_path / "zone.geojson"
    gpd.GeoDataFrame({"name": ["Test zone"]}, geometry=[ZONE], crs=4326).to_file(zone_file)
    out = tmp_path / f"map{suffix}"
    argv = ["map", str(table), "--zone-file", str(zone_file), "-o", str(out), "--dpi", "50", "--size", "6x4"]
    assert run(argv) == 0
    assert out.exists() and out.stat().st_size > 1000
    if suffix == ".png":
        assert png_size(out) == (300, 200)
    assert "3 incidents mapped" in capsys.readouterr().err


def test_cli_page_holds_no_input_path(tmp_path, gazetteer):
    out = tmp_path / "claim.html"
    article = (REPO / "examples" / "nakhchivan_claim.txt").resolve()
    assert run(["map", str(article), "--date", "2020-10-16", "--zone", "Nagorno-Karabakh", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert str(REPO) not in page and str(tmp_path) not in page
    assert EXTERNAL.findall(page) == []


def test_cli_refuses_an_unknown_output(tmp_path):
    with pytest.raises(ValueError, match=r"write \.html"):
        run(["map", str(REPO / "examples" / "events_example.csv"), "-o", str(tmp_path / "map.jpg")])


def test_dataframe_without_geometry_prints(tmp_path):
    df = pd.DataFrame({"latitude": [40.18], "longitude": [44.51]})
    assert png_size(incident_map(df, tiles=None).to_image(tmp_path / "a.png", dpi=40, size=(4, 3))) == (160, 120)
