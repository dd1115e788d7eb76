"""Map benchmark: build time, HTML size, printed-map time and browser load time for 10 to 100k incidents.

Prints geoconflict's figures beside two baselines measured in the same run. "today" is
geoconflict's page as it was before issue 14: Leaflet from its CDN and no base map
(``assets="cdn", basemap=False``, built by the same code, so it shares this version's
faster gzip level); the default page now inlines every script and style and carries the
offline Natural Earth base map. The second baseline is plain folium,
one ``folium.CircleMarker`` with an HTML ``folium.Popup`` (location, admin units, date,
type, actor, source, notes) per incident — the usual recipe. The baseline for 100k is
extrapolated linearly from its 10k run (building it takes minutes; the output says so)
unless ``--baseline-max`` is raised.

The incidents are generated (fixed seed): ACLED-like columns over the South Caucasus,
classified against a conflict zone, with notes about as long as ACLED's (≈200 characters):
a report-like sentence with random actors, places and numbers, then a tail of English words
drawn by their frequency (wordfreq). The map payload is compressed, so the size depends on
how repetitive the notes are; the script prints the notes' own gzip ratio (real ACLED
notes compress about 11x, these about 4x: the figure here is on the conservative side).

All pages are built without tiles. "build" is ``incident_map(...)`` (or the folium loop)
plus rendering the page to a string. "print" is ``IncidentMap.to_image`` of an 8 × 6 inch PNG
at 200 dpi (base map, zone, incidents, legend) beside the usual recipe for a static map,
``GeoDataFrame.plot`` of the points coloured by status and ``savefig`` at the same size.
The browser figure is the time headless Chromium (Debian's /usr/bin/chromium, through the
playwright package) takes from navigation of the default page (``file://``) to the first
complete draw of all incidents, with any JavaScript error counted. The folium page is not
loaded: it needs jQuery and Leaflet from CDNs, and the bench runs without network.

Targets (issue 14): 100,000 incidents with the inlined assets and the base map → HTML ≤ 15 MB,
built in ≤ 5 s, printed in ≤ 10 s, loads in Chromium with no JavaScript error; a 10-incident
page ≤ 2 MB.

Run: python3 bench/maps.py [--sizes 10 1000 10000 100000] [--baseline-max 10000] [--runs 2] [--no-browser]
[--json out.json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

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
TYPES = [
    ("Explosions/Remote violence", 0.35),
    ("Battles", 0.30),
    ("Protests", 0.18),
    ("Violence against civilians", 0.07),
    ("Riots", 0.05),
    ("Strategic developments", 0.05),
]
ACTORS = ["Military Forces of Azerbaijan", "Military Forces of Armenia", "Military Forces of Artsakh"] + [
    f"Militia group {k}" for k in range(1, 30)
]
WEAPONS = ["small arms", "sniper rifles", "mortars", "artillery", "rocket launchers", "drones", "heavy machine guns"]
MONTHS = "January February March April May June July August September October November December".split()
TEMPLATES = [
    "On {d} {m}, {a} shelled the positions of {b} near {loc}, {adm}, with {w}; {k} soldiers were wounded. {tail}",
    "On {d} {m}, {a} fired with {w} on {loc} ({adm}). {k} civilians were injured, according to {src}. {tail}",
    "On {d} {m}, a missile struck the area near {loc}, {adm}; {a} claimed {b} launched it, which {b} denied. {tail}",
    "On {d} {m}, around {k}00 people protested in {loc} ({adm}) against {tail}",
    "On {d} {m}, {a} reported a drone shot down over {loc}, {adm}. [size=no report] {tail}",
]


def synthetic_incidents(n: int, seed: int = 20201015):
    """An ACLED-like incident frame of ``n`` rows (fixed seed), not yet classified."""
    import geopandas as gpd
    import pandas as pd
    from wordfreq import top_n_list, word_frequency

    rng = np.random.default_rng(seed)
    words = top_n_list("en", 20000)
    freq = np.array([word_frequency(w, "en") for w in words])
    freq /= freq.sum()
    syll = ["ar", "ta", "van", "ka", "shen", "dzor", "ber", "li", "gor", "is", "ma", "nak", "zur", "ov", "lu"]
    places = sorted({"".join(rng.choice(syll, rng.integers(2, 4))).capitalize() for _ in range(3000)})
    admins1 = places[:25]
    admins2 = places[25:200]
    lon = rng.uniform(43.4, 48.6, n)
    lat = rng.uniform(38.4, 41.6, n)
    day = rng.integers(17532, 18600, n)  # 2018-01-01 … 2020-12-04
    loc = rng.choice(places, n)
    adm1 = rng.choice(admins1, n)
    adm2 = rng.choice(admins2, n)
    actor = rng.choice(ACTORS, n)
    other = rng.choice(ACTORS[:3], n)
    sources = [f"News agency {k}" for k in range(120)]
    src = rng.choice(sources, n)
    tmpl = rng.integers(0, len(TEMPLATES), n)
    tail_len = rng.integers(6, 18, n)
    tail_words = rng.choice(words, int(tail_len.sum()), p=freq)
    dates = pd.to_datetime(day, unit="D")
    notes, pos = [], 0
    for i in range(n):
        tail = " ".join(tail_words[pos : pos + tail_len[i]]).capitalize() + "."
        pos += tail_len[i]
        notes.append(
            TEMPLATES[tmpl[i]].format(
                d=dates[i].day,
                m=MONTHS[dates[i].month - 1],
                a=actor[i],
                b=other[i],
                loc=loc[i],
                adm=adm2[i],
                w=rng.choice(WEAPONS),
                k=int(rng.integers(1, 20)),
                src=src[i],
                tail=tail,
            )
        )
    names, p = zip(*TYPES, strict=True)
    frame = pd.DataFrame(
        {
            "event_id_cnty": [f"SYN{i}" for i in range(n)],
            "event_date": dates,
            "event_type": rng.choice(names, n, p=p),
            "actor1": actor,
            "location": loc,
            "admin2": adm2,
            "admin1": adm1,
            "admin0": rng.choice(["Armenia", "Azerbaijan"], n),
            "source": src,
            "notes": notes,
            "fatalities": rng.integers(0, 5, n),
        }
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs=4326)


def zone():
    """A stand-in conflict zone (a polygon about Nagorno-Karabakh's size and place)."""
    from shapely.geometry import Polygon

    from geoconflict.zones import ConflictZone

    outline = Polygon([(46.2, 39.4), (46.6, 40.25), (47.2, 40.35), (47.35, 39.9), (47.1, 39.35), (46.6, 39.2)])
    return ConflictZone(outline, name="Bench zone", metadata={"source": "bench/maps.py", "approximate": True})


def ours(gdf, z, path: Path | None = None, **kwargs) -> tuple[float, int, object]:
    """Build and render geoconflict's page (``kwargs`` to incident_map); seconds, bytes, the map."""
    from geoconflict.maps import incident_map

    t = time.perf_counter()
    m = incident_map(gdf, zone=z, tiles=None, **kwargs)
    page = m.get_root().render()
    dt = time.perf_counter() - t
    if path is not None:
        path.write_text(page, encoding="utf-8")
    return dt, len(page.encode("utf-8")), m


def print_ours(m, path: Path) -> float:
    t = time.perf_counter()
    m.to_image(path, dpi=200, size=(8, 6))
    return time.perf_counter() - t


def print_plain(gdf, path: Path) -> float:
    """The usual static map: GeoDataFrame.plot of the points by status, saved at the same size."""
    from matplotlib.figure import Figure

    t = time.perf_counter()
    fig = Figure(figsize=(8, 6), dpi=200)
    ax = fig.add_subplot()
    gdf.plot(ax=ax, column="zone_status", markersize=4, legend=True, categorical=True)
    fig.savefig(path, dpi=200)
    return time.perf_counter() - t


def plain_folium(gdf) -> tuple[float, int]:
    import folium

    t = time.perf_counter()
    m = folium.Map(tiles=None, location=[40, 46], zoom_start=7)
    for r in gdf.itertuples():
        popup = (
            f"<b>{r.location}</b><br>{r.admin2}, {r.admin1}, {r.admin0}<br>{r.event_date:%Y-%m-%d} · {r.event_type}"
            f"<br>{r.actor1}<br>{r.source}<br>{r.notes}"
        )
        folium.CircleMarker(
            [r.geometry.y, r.geometry.x],
            radius=5,
            color="#b2182b" if r.zone_status == "outside" else "#555555",
            fill=True,
            popup=folium.Popup(popup, max_width=320),
        ).add_to(m)
    page = m.get_root().render()
    return time.perf_counter() - t, len(page.encode("utf-8"))


def browser_load(path: Path, expected: int) -> dict:
    """Navigation to first full draw in headless Chromium, JS errors, and a redraw after a pan."""
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
            page.on(
                "console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None
            )
            t = time.perf_counter()
            page.goto(path.resolve().as_uri(), wait_until="load", timeout=120_000)
            page.wait_for_selector(".folium-map[data-gc-ready][data-gc-drawn]", timeout=120_000)
            load_s = time.perf_counter() - t
            stats = page.evaluate("GeoconflictMap.layers[0].stats()")
            pan_ms = page.evaluate(
                """() => { const l = GeoconflictMap.layers[0], m = l._map, t = performance.now();
                for (let k = 0; k < 5; k++) { m.panBy([150, 80], {animate: false}); }
                return (performance.now() - t) / 5; }"""
            )
            zoom_ms = page.evaluate(
                """() => { const l = GeoconflictMap.layers[0], m = l._map, t = performance.now();
                m.setZoom(m.getZoom() + 1, {animate: false}); return performance.now() - t; }"""
            )
        finally:
            browser.close()
    return {
        "load_s": load_s,
        "shown": stats.get("shown"),
        "expected": expected,
        "pan_redraw_ms": pan_ms,
        "zoom_redraw_ms": zoom_ms,
        "errors": errors,
    }


def _sizes_row(n: int, gdf, z, out_dir: Path, args, per_incident) -> tuple[dict, tuple | None]:
    """Every figure for ``n`` incidents: ours, today's page, plain folium; printed maps."""
    path = out_dir / f"geoconflict-{n}.html"
    # the best of ``--runs`` builds each, taken in turn: a shared machine's load moves either figure by seconds
    build_s = today_s = float("inf")
    for _ in range(args.runs):
        dt, size, m = ours(gdf, z, path)
        build_s = min(build_s, dt)
        dt, today_size, _ = ours(gdf, z, assets="cdn", basemap=False)
        today_s = min(today_s, dt)
    if n <= args.baseline_max:
        base_build, base_size = plain_folium(gdf)
        per_incident = (base_build / n, base_size / n)
        note = ""
    elif per_incident is not None:
        base_build, base_size = per_incident[0] * n, per_incident[1] * n
        note = f"  (folium extrapolated from {args.baseline_max:,})"
    else:
        base_build = base_size = float("nan")
        note = "  (no folium run)"
    print_s = print_ours(m, out_dir / f"geoconflict-{n}.png")
    plain_print_s = print_plain(gdf, out_dir / f"plain-{n}.png")
    print(f"{n:>9,}  {'build + render (s)':<26} {build_s:>12.2f} {today_s:>12.2f} {base_build:>14.2f}{note}")
    print(f"{'':>9}  {'HTML size (MB)':<26} {size / 1e6:>12.2f} {today_size / 1e6:>12.2f} {base_size / 1e6:>14.2f}")
    print(
        f"{'':>9}  {'print PNG 8x6in 200dpi (s)':<26} {print_s:>12.2f} {'':>12} {plain_print_s:>14.2f}"
        "  (plain: gdf.plot)"
    )
    row = {
        "incidents": n,
        "build_s": build_s,
        "html_bytes": size,
        "today_build_s": today_s,
        "today_html_bytes": today_size,
        "print_s": print_s,
        "plain_print_s": plain_print_s,
        "baseline_build_s": base_build,
        "baseline_html_bytes": base_size,
        "baseline_extrapolated": bool(note.strip()),
    }
    return row, per_incident, path


def _browser_row(n: int, path: Path, result: dict) -> None:
    if not Path(CHROMIUM).exists():
        print(f"browser: skipped ({CHROMIUM} not found; apt-get install chromium)")
        return
    try:
        b = browser_load(path, n)
    except ImportError:
        print("browser: skipped (the playwright package is not installed)")
        return
    result["browser"] = b
    print(
        f"{n:>9,}  Chromium (file://): loaded and drew {b['shown']:,}/{n:,} incidents in {b['load_s']:.2f} s; "
        f"redraw after a pan {b['pan_redraw_ms']:.0f} ms, after a zoom {b['zoom_redraw_ms']:.0f} ms; "
        f"JavaScript errors: {len(b['errors'])}"
    )
    for e in b["errors"][:5]:
        print(f"   {e}")


def _targets(rows: list[dict], result: dict) -> None:
    big = rows[-1]
    n, mb, build_s, print_s = big["incidents"], big["html_bytes"] / 1e6, big["build_s"], big["print_s"]
    small = next((r for r in rows if r["incidents"] <= 10), None)
    ok_browser = "browser" in result and not result["browser"]["errors"] and result["browser"]["shown"] == n
    print(
        f"targets at {n:,}: HTML {mb:.1f} MB ≤ 15 {'OK' if mb <= 15 else 'MISSED'}; "
        f"build {build_s:.2f} s ≤ 5 {'OK' if build_s <= 5 else 'MISSED'}; "
        f"print {print_s:.2f} s ≤ 10 {'OK' if print_s <= 10 else 'MISSED'}; "
        f"Chromium without JS errors {'OK' if ok_browser else ('MISSED' if 'browser' in result else 'not run')}"
    )
    if small is not None:
        kb = small["html_bytes"] / 1e3
        print(f"target at {small['incidents']}: page {kb:.0f} kB ≤ 2,000 kB {'OK' if kb <= 2000 else 'MISSED'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 1000, 10000, 100000])
    ap.add_argument("--baseline-max", type=int, default=10000, help="largest size the folium baseline is built for")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium load figure")
    ap.add_argument("--runs", type=int, default=2, help="builds of each page per size; the best is reported")
    ap.add_argument("--keep", help="keep the generated pages in this folder")
    ap.add_argument("--json", help="also write the figures to this JSON file")
    args = ap.parse_args()

    import folium  # noqa: F401  (imported once, outside the timings)
    import matplotlib.figure  # noqa: F401

    import geoconflict.maps  # noqa: F401
    from geoconflict.maps._basemap import base_data, page_blob, towns_near

    # the shipped base map and towns are read once per process, as in any session: not in the figures
    base_data(), page_blob(), towns_near((0, 0, 0, 0))
    out_dir = Path(args.keep or tempfile.mkdtemp(prefix="gc-bench-maps-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    z = zone()
    rows, per_incident = [], None
    print(f"{'incidents':>9}  {'figure':<26} {'geoconflict':>12} {'today':>12} {'plain folium':>14}")
    biggest = None
    for n in args.sizes:
        t = time.perf_counter()
        gdf = synthetic_incidents(n)
        gen_s = time.perf_counter() - t
        t = time.perf_counter()
        classified = z.classify(gdf)
        classify_s = time.perf_counter() - t
        row, per_incident, path = _sizes_row(n, classified, z, out_dir, args, per_incident)
        row["classify_s"] = classify_s
        print(f"{'':>9}  {'classify (s), not in build':<26} {classify_s:>12.2f}   (generate {gen_s:.1f} s)")
        rows.append(row)
        biggest = (n, path, classified)

    notes_raw = "\n".join(biggest[2]["notes"]).encode("utf-8")
    ratio = len(notes_raw) / len(gzip.compress(notes_raw, 6))
    print(f"notes: mean {np.mean([len(s) for s in biggest[2]['notes']]):.0f} characters, gzip ratio {ratio:.1f}x")
    result = {"rows": rows, "notes_gzip_ratio": ratio}
    if not args.no_browser:
        _browser_row(biggest[0], biggest[1], result)
    _targets(rows, result)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(result, fh, indent=1, default=float)
    if not args.keep:
        shutil.rmtree(out_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
