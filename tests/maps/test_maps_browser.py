"""incident_map pages in a real browser: headless Chromium from Debian, driven by playwright.

No browser is downloaded: the tests use /usr/bin/chromium (``apt-get install chromium``;
GEOCONFLICT_CHROMIUM points elsewhere) and skip, saying why, when it or the playwright
package is missing. Pages carry their own code (Leaflet inlined) and are built without
tiles, or, to test a page whose tiles cannot load, opened with every request that would
leave the machine refused; a test fails on any JavaScript error or console error (but
the refused requests). GEOCONFLICT_SCREENSHOTS=DIR keeps a copy of each screenshot.
"""

import functools
import http.server
import os
import re
import threading
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point, box

from geoconflict.maps import incident_map
from geoconflict.maps.escape import escape_html
from geoconflict.zones import ConflictZone

from conftest import shared_file

CHROMIUM = os.environ.get("GEOCONFLICT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ZONE = ConflictZone(box(46.3, 39.4, 47.3, 40.3), name="Test zone", metadata={"source": "a box drawn for the tests"})
PWN = [
    "<script>window.__pwned = 'script'</script>",
    "</script><script>window.__pwned = 'close'</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "`${window.__pwned = 'template'}`",
    "\\'); window.__pwned = 'backslash'; //",
    "{{ 7*7 }}",
]


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip(
        "playwright.sync_api", reason="needs the playwright package (pip install playwright)"
    )
    if not Path(CHROMIUM).exists():
        pytest.skip(f"needs headless Chromium at {CHROMIUM} (apt-get install chromium); not present here")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A page of the map with every JavaScript error it raises collected."""

    def __init__(self, browser, url: str):
        self.page = browser.new_page(viewport={"width": 1100, "height": 750})
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", lambda m: self.errors.append(f"console.error: {m.text}") if m.type == "error" else None)
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.goto(url, wait_until="load")
        self.page.wait_for_selector(".folium-map[data-gc-ready][data-gc-drawn]", timeout=30_000)

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def stats(self) -> dict:
        return self.js("GeoconflictMap.layers[0].stats()")

    def click_incident(self, field: str, value: str) -> str:
        """Click the incident whose ``field`` is ``value`` where it is drawn; the popup's text."""
        i = self.js(f"v => GeoconflictMap.layers[0].find({field!r}, v)[0]", value)
        assert i is not None, f"no incident with {field} = {value!r}"
        self.js(
            f"""() => {{ const l = GeoconflictMap.layers[0]; l._map.closePopup();
            l._map.setView(l.latLng({i}), 9, {{animate: false}}); }}"""
        )
        self.page.wait_for_selector(".leaflet-popup", state="detached")
        pt = self.js(f"GeoconflictMap.layers[0].clientPoint({i})")
        self.page.mouse.click(pt["x"], pt["y"])
        self.page.wait_for_selector(".leaflet-popup-content .gc-popup")
        return self.page.inner_text(".leaflet-popup-content")

    def close(self):
        self.page.close()


def open_map(browser, m, tmp_path: Path, name: str = "map.html") -> Page:
    path = tmp_path / name
    m.save(str(path))
    return Page(browser, path.resolve().as_uri())


def incidents(**extra) -> gpd.GeoDataFrame:
    data = {
        "event_id_cnty": ["T1", "T2", "T3", "T4"],
        "event_date": ["2020-10-15", "2020-10-14", "2020-10-20", "2020-11-02"],
        "event_type": ["Explosions/Remote violence", "Battles", "Explosions/Remote violence", "Battles"],
        "location": ["Ordubad", "Martuni", "Vardenis", "Lachin"],
        "admin1": ["Nakhchivan", None, "Gegharkunik", None],
        "admin0": ["Azerbaijan", "Azerbaijan", "Armenia", "Azerbaijan"],
        "claimed_by": ["Azerbaijan's Defence Ministry", None, None, None],
        "disputed_by": ["Armenia's Defence Ministry", None, None, None],
        "source": ["Example news", None, None, None],
        "source_url": ["https://example.org/ordubad", None, None, None],
        "sentence": ["A missile fired by Armenian forces hit the area near Orduba.", None, None, None],
    }
    data.update(extra)
    points = [Point(46.02, 38.91), Point(47.06, 39.79), Point(45.45, 40.18), Point(46.25, 39.55)]
    return gpd.GeoDataFrame(data, geometry=points, crs=4326)


def test_outside_incident_popup(browser, tmp_path):
    m = incident_map(incidents(), zone=ZONE, tiles=None, offline=True)
    page = open_map(browser, m, tmp_path)
    try:
        stats = page.stats()
        assert stats["total"] == stats["shown"] == stats["drawn"] == 4
        assert stats["byStatus"] == {"inside": 1, "near": 1, "outside": 2, "unknown": 0}
        text = page.click_incident("location", "Ordubad")
        assert "Outside the zone" in text and "km from its edge" in text
        assert "Claimed by\tAzerbaijan's Defence Ministry" in text
        assert "Disputed by\tArmenia's Defence Ministry" in text
        assert "A missile fired by Armenian forces hit the area near Orduba." in text
        assert "2020-10-15" in text and "Nakhchivan, Azerbaijan" in text
        link = page.page.locator(".leaflet-popup-content a")
        assert link.get_attribute("href") == "https://example.org/ordubad" and link.inner_text() == "Example news"
        legend = page.page.inner_text(".gc-legend")
        assert "Zone: Test zone" in legend and "a box drawn for the tests" in legend
        page.page.wait_for_timeout(300)  # the popup fades in
        page.page.screenshot(path=str(tmp_path / "outside.png"))
        assert not page.errors
    finally:
        page.close()


def test_hostile_notes_do_not_run(browser, tmp_path):
    n = len(PWN)
    gdf = gpd.GeoDataFrame(
        {
            "location": [f"Place {k} {p}" for k, p in enumerate(PWN)],
            "notes": PWN,
            "sentence": PWN,
            "actor1": PWN,
            "claimed_by": PWN,
            "disputed_by": PWN,
            "source": PWN,
            "source_url": ["javascript:window.__pwned='url'"] * n,
            "event_type": PWN,
            "admin1": PWN,
        },
        geometry=[Point(44.0 + k * 0.4, 40.0) for k in range(n)],
        crs=4326,
    )
    units = gpd.GeoDataFrame(
        {"name": PWN[:2]}, geometry=[box(43.5, 39.5, 45.2, 40.5), box(45.2, 39.5, 46.5, 40.5)], crs=4326
    )
    zone = ConflictZone(ZONE.geometry, name=PWN[0], metadata={"source": PWN[1], "note": PWN[2]})
    m = incident_map(gdf, zone=zone, boundaries=units, tiles=None, offline=True, title=PWN[3])
    page = open_map(browser, m, tmp_path)
    try:
        assert page.stats()["drawn"] == n
        for k, hostile in enumerate(PWN):
            text = page.click_incident("location", f"Place {k} {hostile}")
            assert text.count(hostile) >= 4, text  # shown as text: location, notes, sentence, actor …
            assert (
                page.js("document.querySelectorAll('.leaflet-popup-content script, .leaflet-popup-content img').length")
                == 0
            )
            assert page.js("document.querySelectorAll('.leaflet-popup-content a').length") == 0
            page.page.mouse.move(5, 5)
        # tooltips, search results, the legend and the layer control show the same text as text
        page.js("void GeoconflictMap.layers[0]._map.closePopup()")
        page.js("void GeoconflictMap.layers[0]._map.setView(GeoconflictMap.layers[0].latLng(0), 9, {animate: false})")
        pt = page.js("GeoconflictMap.layers[0].clientPoint(0)")
        page.page.mouse.move(pt["x"] + 1, pt["y"] + 1)
        page.page.wait_for_function(
            "(document.querySelector('.gc-incident-tooltip') || {}).textContent?.startsWith('Place 0')", polling=50
        )
        assert PWN[0] in page.page.inner_text(".gc-incident-tooltip")
        page.page.fill(".gc-search input", "script")
        page.page.wait_for_selector(".gc-search-results li[data-k]")
        assert PWN[0] in page.page.inner_text(".gc-search-results")
        assert PWN[0] in page.page.inner_text(".gc-legend")
        assert page.page.title() == PWN[3]
        assert page.js("window.__pwned") is None
        page.page.screenshot(path=str(tmp_path / "hostile.png"))
        assert not page.errors
    finally:
        page.close()


#: text that breaks out of HTML, attributes, JS strings and template literals, or templates
ESCAPE_CASES = [
    *PWN,
    "<script>",
    '"',
    "'",
    "`",
    "\\",
    "${x}",
    "{{ 1+1 }}",
    "{% raw %}",
    "&amp;",
    "&#x27; &lt;",
    "\u2028 \u2029",
    "a\tb\nc\rd",
    "Naxçıvan — Ağdam 🚀",
    "",
]


def test_python_and_page_escapers_agree(browser, tmp_path):
    """escape_html (Python) and the page script's GeoconflictMap.escapeHtml give the same text for hostile input."""
    page = open_map(browser, incident_map(None, tiles=None, offline=True), tmp_path)
    try:
        in_page = page.js(
            """cases => cases.map(x => {
                const escaped = GeoconflictMap.escapeHtml(x), box = document.createElement("div");
                box.innerHTML = escaped;
                return {escaped: escaped, shown: box.textContent, elements: box.children.length};
            })""",
            ESCAPE_CASES,
        )
        assert [r["escaped"] for r in in_page] == [escape_html(x) for x in ESCAPE_CASES]
        # and what either writes shows as the original text, with no element made
        assert [r["shown"] for r in in_page] == [x.replace("\r", "\n") for x in ESCAPE_CASES]  # HTML reads CR as LF
        assert all(r["elements"] == 0 for r in in_page)
        assert page.js("window.__pwned") is None
        assert not page.errors
    finally:
        page.close()


def test_filters_slider_search_and_controls(browser, tmp_path):
    m = incident_map(incidents(), zone=ZONE, tiles=None, offline=True)
    page = open_map(browser, m, tmp_path)
    try:
        for selector in (
            ".leaflet-control-scale",
            ".leaflet-control-layers",
            ".gc-search input",
            ".gc-fullscreen a",
            ".gc-slider",
        ):
            assert page.page.locator(selector).count() == 1, selector
        # event type filter
        page.page.locator(".gc-legend input[data-type]").first.uncheck()
        assert page.stats()["shown"] == 2
        page.page.locator(".gc-legend input[data-type]").first.check()
        # status filter: hide what lies outside
        page.page.locator(".gc-legend input[data-status='2']").uncheck()
        assert page.stats()["byStatus"]["outside"] == 0 and page.stats()["shown"] == 2
        page.page.locator(".gc-legend input[data-status='2']").check()
        # time slider: from 2020-10-20 on
        page.js(
            """() => { const el = document.querySelector('[data-gc-from]');
            el.value = String(Date.UTC(2020, 9, 20) / 86400000); el.dispatchEvent(new Event('input')); }"""
        )
        page.page.wait_for_function("GeoconflictMap.layers[0].stats().shown === 2", polling=50)
        assert "2020-10-20 – 2020-11-02" in page.page.inner_text(".gc-slider")
        # search opens the popup
        page.page.fill(".gc-search input", "vardenis")
        page.page.press(".gc-search input", "Enter")
        page.page.wait_for_selector(".leaflet-popup-content .gc-popup")
        assert "Vardenis" in page.page.inner_text(".leaflet-popup-content")
        # the layer control hides the incidents
        page.js("void GeoconflictMap.layers[0]._map.removeLayer(GeoconflictMap.layers[0])")
        assert page.page.locator("canvas.gc-canvas").count() == 0
        assert not page.errors
    finally:
        page.close()


def test_incidents_at_one_spot_page_through(browser, tmp_path):
    gdf = gpd.GeoDataFrame(
        {"location": ["Kapan", "Kapan", "Kapan"], "event_id_cnty": ["K1", "K2", "K3"]},
        geometry=[Point(46.4, 39.2)] * 3,
        crs=4326,
    )
    page = open_map(browser, incident_map(gdf, tiles=None, offline=True), tmp_path)
    try:
        text = page.click_incident("id", "K1")
        seen = set()
        for _ in range(3):
            assert "of 3 incidents here" in text
            seen.add(re.search(r"Event id\t(K\d)", text).group(1))
            page.page.click(".gc-pager button[data-gc-step='1']")
            text = page.page.inner_text(".leaflet-popup-content")
        assert seen == {"K1", "K2", "K3"}
        assert not page.errors
    finally:
        page.close()


@pytest.mark.parametrize(
    ("frame", "zone", "drawn"),
    [
        (None, None, 0),
        (gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs=4326), ZONE, 0),
        (gpd.GeoDataFrame(geometry=[Point(44.5, 40.2), Point(45.0, 40.0)], crs=4326), None, 2),
        (
            gpd.GeoDataFrame(
                {"event_date": [None, "2020-10-01"], "location": [None, "X"]},
                geometry=[Point(44.5, 40.2), box(45, 40, 45.2, 40.1)],
                crs=4326,
            ),
            ZONE,
            2,
        ),
    ],
    ids=["nothing", "empty-with-zone", "geometry-only", "nulls-and-an-area"],
)
def test_sparse_maps_load_without_errors(browser, tmp_path, frame, zone, drawn):
    page = open_map(browser, incident_map(frame, zone=zone, tiles=None, offline=True), tmp_path)
    try:
        assert page.stats()["drawn"] == drawn
        assert "Showing" in page.page.inner_text(".gc-legend")
        assert not page.errors
    finally:
        page.close()


def test_folium_objects_added_to_an_offline_map_work(browser, tmp_path):
    import folium

    m = incident_map(incidents(), zone=ZONE, tiles=None, offline=True)
    folium.Marker([40.0, 45.0], popup=folium.Popup("Added by the user", max_width=200), tooltip="user marker").add_to(m)
    folium.CircleMarker([40.2, 45.2], radius=6, popup="circle popup").add_to(m)
    m.keep_in_front()
    page = open_map(browser, m, tmp_path)
    try:
        page.page.locator(".leaflet-marker-icon").click()
        page.page.wait_for_selector(".leaflet-popup-content")
        assert "Added by the user" in page.page.inner_text(".leaflet-popup-content")
        src = page.page.locator(".leaflet-marker-icon").get_attribute("src")
        assert src.startswith("data:image/png;base64,")
        assert page.stats()["drawn"] == 4
        assert not page.errors
    finally:
        page.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_many_incidents_over_http(browser, tmp_path):
    n = 20_000
    rng = np.random.default_rng(7)
    gdf = gpd.GeoDataFrame(
        {
            "event_date": rng.integers(18262, 18600, n).astype("datetime64[D]"),
            "event_type": rng.choice(["Battles", "Protests", "Riots"], n),
            "notes": [f"Report {k}: shelling near village {k % 311}." for k in range(n)],
        },
        geometry=gpd.points_from_xy(rng.uniform(44, 48, n), rng.uniform(38.5, 41.5, n)),
        crs=4326,
    )
    m = incident_map(gdf, zone=ZONE, tiles=None, offline=True)
    assert m.incident_stats["data_encoding"] == "gzip+base64"
    m.save(str(tmp_path / "many.html"))
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        page = Page(browser, f"http://127.0.0.1:{server.server_address[1]}/many.html")
        try:
            stats = page.stats()
            assert stats["total"] == stats["shown"] == n
            assert stats["drawn"] > 0.95 * n  # a few may lie under the controls' margins
            page.js("void GeoconflictMap.layers[0]._map.panBy([300, 100], {animate: false})")
            page.js("void GeoconflictMap.layers[0]._map.setZoom(9, {animate: false})")
            assert page.js("+document.querySelector('.folium-map').dataset.gcDrawn") < n
            assert not page.errors
        finally:
            page.close()
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.shared_data
def test_seed_article_flags_ordubad_outside_nagorno_karabakh(browser, tmp_path, gazetteer):
    from geoconflict.extract import extract_incidents

    text = shared_file("examples", "seed_article.txt").read_text(encoding="utf-8")
    inc = extract_incidents(text, date="2020-10-16", source="seed article")
    zone = ConflictZone.from_names(["Nagorno-Karabakh"])
    m = incident_map(inc, zone=zone, tiles=None, offline=True)
    page = open_map(browser, m, tmp_path)
    try:
        assert page.stats()["drawn"] == len(inc)
        ordubad = inc[inc["matched_name"] == "Ordubad"].iloc[0]
        text = page.click_incident("location", ordubad["location"])
        assert "Outside the zone" in text
        assert f"Claimed by\t{ordubad['claimed_by']}" in text
        assert f"Disputed by\t{ordubad['disputed_by']}" in text
        assert ordubad["sentence"] in text  # the supporting sentence: the claim itself
        assert "Nagorno-Karabakh" in page.page.inner_text(".gc-legend")
        page.page.wait_for_timeout(300)
        page.page.screenshot(path=str(tmp_path / "seed.png"))
        assert not page.errors
    finally:
        page.close()


@pytest.mark.shared_data
def test_acled_extract_with_natural_earth_outline(browser, tmp_path, gazetteer):
    from geoconflict.incidents import read_incidents

    events = read_incidents(shared_file("events", "acled_hdx_conflict_data_arm.csv"), warn=False)
    outline = shared_file("boundaries", "naturalearth", "ne_10m_nagorno_karabakh.geojson")
    zone = ConflictZone.from_file(outline)
    m = incident_map(events, zone=zone, tiles=None, offline=True)
    located = m.incident_stats["drawn"]
    assert located == int(events["valid"].sum())
    page = open_map(browser, m, tmp_path)
    try:
        stats = page.stats()
        assert stats["total"] == located and stats["shown"] == located
        # the autumn-2020 strikes on Vardenis, far outside the outline, are flagged
        autumn = events[
            (events["event_date"] >= "2020-09-27")
            & (events["event_date"] <= "2020-11-10")
            & (events["location"] == "Vardenis")
            & (events["event_type"] == "Explosions/Remote violence")
        ]
        assert len(autumn)
        strike = autumn.iloc[0]
        text = page.click_incident("id", strike["event_id_cnty"])
        # many events share Vardenis' coordinates: the popup pages through all of them
        here = int(re.search(r"of (\d+) incidents here", text).group(1))
        for _ in range(here):
            if f"Event id\t{strike['event_id_cnty']}" in text:
                break
            page.page.click(".gc-pager button[data-gc-step='1']")
            text = page.page.inner_text(".leaflet-popup-content")
        assert f"Event id\t{strike['event_id_cnty']}" in text
        assert "Outside the zone" in text and "Vardenis" in text
        assert strike["event_date"].strftime("%Y-%m-%d") in text
        legend = page.page.inner_text(".gc-legend")
        assert "Zone: Nagorno-Karabakh" in legend and "ne_10m_nagorno_karabakh.geojson" in legend
        page.page.wait_for_timeout(300)
        page.page.screenshot(path=str(tmp_path / "acled.png"))
        assert not page.errors
    finally:
        page.close()


# ------------------------------------------------------------------ issue 14: maps an analyst can publish
README_MAP = ["--date", "2020-10-16", "--zone", "Nagorno-Karabakh"]
NETWORK_NOISE = "Failed to load resource"


class OfflinePage(Page):
    """A page with every request that leaves the machine refused (as with no network at all)."""

    def __init__(self, browser, url: str, viewport: dict | None = None):
        self.page = browser.new_page(viewport=viewport or {"width": 1100, "height": 750}, accept_downloads=True)
        self.errors, self.refused = [], []
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on(
            "console",
            lambda m: (
                self.errors.append(f"console.error: {m.text}")
                if m.type == "error" and NETWORK_NOISE not in m.text
                else None
            ),
        )
        self.page.route(
            lambda url: not url.startswith(("file:", "data:", "blob:")),
            lambda route: (self.refused.append(route.request.url), route.abort()),
        )
        self.page.goto(url, wait_until="load")
        self.page.wait_for_selector(".folium-map[data-gc-ready][data-gc-drawn][data-gc-basemap]", timeout=30_000)


def keep_screenshot(page: Page, path: Path) -> None:
    """Save a screenshot (and a copy under $GEOCONFLICT_SCREENSHOTS when set, to look at)."""
    page.page.wait_for_timeout(300)
    page.page.screenshot(path=str(path))
    folder = os.environ.get("GEOCONFLICT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / path.name).write_bytes(path.read_bytes())


def basemap_pixels(page: Page) -> dict:
    """How many pixels of the base map's canvas are land, water, border or label ink (by colour)."""
    return page.js(
        """() => {
        const cv = document.querySelector('canvas.gc-basemap'), g = cv.getContext('2d');
        const px = g.getImageData(0, 0, cv.width, cv.height).data;
        const hex = c => [1, 3, 5].map(k => parseInt(c.slice(k, k + 2), 16));
        const st = GeoconflictMap.basemaps[0].options.style;
        const want = {land: hex(st.land), border: hex(st.border), label: hex(st.label)};
        const out = {land: 0, border: 0, label: 0, empty: 0, total: px.length / 4};
        for (let i = 0; i < px.length; i += 4) {
          if (px[i + 3] === 0) { out.empty++; continue; }
          for (const [k, c] of Object.entries(want)) {
            if (Math.abs(px[i] - c[0]) + Math.abs(px[i + 1] - c[1]) + Math.abs(px[i + 2] - c[2]) < 40) { out[k]++; }
          }
        }
        out.labels = GeoconflictMap.basemaps[0]._labelCount;
        return out; }"""
    )


def cli_map(tmp_path: Path, *argv: str) -> Path:
    from geoconflict.cli import build_parser

    from conftest import REPO

    out = tmp_path / "map.html"
    args = build_parser().parse_args(["map", str(REPO / "examples" / "nakhchivan_claim.txt"), *argv, "-o", str(out)])
    assert args.func(args) == 0
    return out


def test_readme_command_with_no_network_shows_the_base_map(browser, tmp_path, gazetteer):
    out = cli_map(tmp_path, *README_MAP, "--offline", "--tiles", "none")
    page = OfflinePage(browser, out.resolve().as_uri())
    try:
        assert page.refused == []  # the page asked for nothing outside
        pixels = basemap_pixels(page)
        # land, water (the map's background shows through), borders and town labels were drawn
        assert pixels["land"] > 0.2 * pixels["total"] and pixels["empty"] > 0.01 * pixels["total"]
        assert pixels["border"] > 200 and pixels["label"] > 100 and pixels["labels"] >= 5
        assert page.stats()["byStatus"]["outside"] >= 1
        keep_screenshot(page, tmp_path / "readme-offline-first-view.png")
        text = page.click_incident("resolved", "Ordubad")
        assert "Ordubad — reported as “Orduba”" in text and "Outside the zone" in text
        keep_screenshot(page, tmp_path / "readme-offline.png")
        assert not page.errors
    finally:
        page.close()


def test_default_tiles_with_the_network_blocked_still_show_the_base_map(browser, tmp_path, gazetteer):
    out = cli_map(tmp_path, *README_MAP)
    page = OfflinePage(browser, out.resolve().as_uri())
    try:
        page.page.wait_for_selector(".folium-map[data-gc-tiles-failed]", timeout=15_000)
        assert any("tile.openstreetmap.org" in url for url in page.refused)
        assert basemap_pixels(page)["labels"] >= 5
        assert "tiles did not load: offline base map shown" in page.page.inner_text(".leaflet-control-attribution")
        keep_screenshot(page, tmp_path / "readme-tiles-blocked.png")
        assert not page.errors  # refused tile requests aside, no JavaScript error
    finally:
        page.close()


def test_zone_outline_follows_the_slider(browser, tmp_path):
    before = ConflictZone(box(46.3, 39.4, 47.3, 40.3), name="Zone", metadata={"source": "test outline A"})
    after = ConflictZone(box(46.6, 39.6, 47.3, 40.1), name="Zone", metadata={"source": "test outline B"})
    timeline = ConflictZone.over_time([(before, "2020-10-01", "2020-10-25"), (after, "2020-10-26", None)])
    gdf = timeline.classify(incidents())
    page = OfflinePage(browser, open_map(browser, incident_map(gdf, zone=timeline), tmp_path).page.url)
    try:
        shown = "() => GeoconflictMap.layers[0]._periodGroups.map(g => GeoconflictMap.layers[0]._map.hasLayer(g))"
        assert page.js(shown) == [False, True]  # the slider ends on 2020-11-02: the later outline
        assert "outline in force: from 2020-10-26" in page.page.inner_text(".gc-legend")
        page.js(
            """() => { const el = document.querySelector('[data-gc-to]');
            el.value = String(Date.UTC(2020, 9, 20) / 86400000); el.dispatchEvent(new Event('input')); }"""
        )
        page.page.wait_for_function("document.querySelector('.folium-map').dataset.gcPeriod === '0'", polling=50)
        assert page.js(shown) == [True, False]
        assert "outline in force: 2020-10-01 – 2020-10-25" in page.page.inner_text(".gc-legend")
        keep_screenshot(page, tmp_path / "zone-over-time.png")
        assert not page.errors
    finally:
        page.close()


def test_play_button_animates_the_dates_over_a_histogram(browser, tmp_path):
    page = open_map(browser, incident_map(incidents(), zone=ZONE, tiles=None), tmp_path)
    try:
        bars = page.js("(() => { const c = document.querySelector('.gc-histogram'); return [c.width, c.height]; })()")
        assert bars[0] > 100 and bars[1] > 20
        assert "incidents per day" in page.page.inner_text(".gc-slider")
        page.page.click("[data-gc-play]")
        page.page.wait_for_function("GeoconflictMap.layers[0].stats().shown < 4", polling=20, timeout=5000)
        page.page.wait_for_function(
            "document.querySelector('[data-gc-play]').textContent.indexOf('Play') >= 0", polling=50, timeout=15_000
        )
        assert page.page.inner_text("[data-gc-range]").endswith("2020-11-02")
        assert not page.errors
    finally:
        page.close()


def test_download_the_incidents_shown(browser, tmp_path):
    import csv
    import io
    import json

    gdf = incidents(notes=['=HYPERLINK("http://evil.example")', "plain", None, "<b>bold</b>"])
    page = open_map(browser, incident_map(gdf, zone=ZONE, tiles=None), tmp_path)
    try:
        page.page.locator(".gc-legend input[data-status='0']").uncheck()  # hide what lies inside
        shown = page.stats()["shown"]
        with page.page.expect_download() as info:
            page.page.click("[data-gc-download='csv']")
        rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
        assert len(rows) == shown == 3
        assert {"latitude", "longitude", "event_date", "zone_status", "location", "notes"} <= set(rows[0])
        by_place = {r["location"]: r for r in rows}
        assert by_place["Ordubad"]["notes"].startswith("'=HYPERLINK")  # no formula in a spreadsheet
        assert by_place["Lachin"]["notes"] == "<b>bold</b>"  # the text as written, unescaped
        assert by_place["Ordubad"]["zone_status"] == "outside" and by_place["Ordubad"]["event_date"] == "2020-10-15"
        with page.page.expect_download() as info:
            page.page.click("[data-gc-download='geojson']")
        features = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))["features"]
        assert len(features) == shown and features[0]["geometry"]["type"] == "Point"
        assert not page.errors
    finally:
        page.close()


def test_a_notebook_cell_sized_map_fits_its_legend_and_popups(browser, tmp_path):
    m = incident_map(incidents(), zone=ZONE, tiles=None)
    m.save(str(tmp_path / "cell.html"))
    page = OfflinePage(browser, (tmp_path / "cell.html").resolve().as_uri(), viewport={"width": 900, "height": 500})
    try:
        assert page.page.locator(".gc-legend-body").is_hidden()  # folded: the map stays visible
        page.page.click(".gc-legend-toggle")
        box = page.page.locator(".gc-legend").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 500
        page.click_incident("location", "Ordubad")
        page.page.wait_for_timeout(600)  # the map pans the popup into view
        pop = page.page.locator(".leaflet-popup-content-wrapper").bounding_box()
        assert pop["x"] >= 0 and pop["y"] >= 0 and pop["x"] + pop["width"] <= 900 and pop["y"] + pop["height"] <= 500
        keep_screenshot(page, tmp_path / "notebook-cell.png")
        assert not page.errors
    finally:
        page.close()


def test_density_view(browser, tmp_path):
    n = 5000
    rng = np.random.default_rng(3)
    gdf = gpd.GeoDataFrame(
        {"event_type": rng.choice(["Battles", "Protests"], n)},
        geometry=gpd.points_from_xy(rng.uniform(44, 48, n), rng.uniform(38.5, 41.5, n)),
        crs=4326,
    )
    page = open_map(browser, incident_map(gdf, zone=ZONE, tiles=None, density=True), tmp_path)
    try:
        assert page.js("document.querySelector('.folium-map').dataset.gcDensity") == "1"
        assert "Hexagons" in page.page.inner_text(".gc-legend")
        drawn_dense = page.stats()["drawn"]  # only the outside incidents as points
        page.page.locator("input[data-gc-density]").uncheck()
        assert page.stats()["drawn"] > drawn_dense
        keep_screenshot(page, tmp_path / "density.png")
        assert not page.errors
    finally:
        page.close()
