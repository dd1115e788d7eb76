"""Incident table benchmark: read_incidents (with validation) and ConflictZone.classify.

Prints, in one run, on a generated ACLED-shaped CSV (1M rows by default):
* read_incidents rows/s beside plain ``pandas.read_csv`` + ``geopandas.points_from_xy``
  on the same file (target: at least 0.5x of the plain read), with everything that makes
  "nothing dropped" checkable on: encoding detection (on a sample), the line and open-quote
  count, the formula unescape;
* classify() points/s against the Nagorno-Karabakh zone (Natural Earth's outline
  when ../shared/data is present, else the offline gazetteer's) on the ACLED-shaped
  rows and on points far (over the region, 20 km out and more), near (within 15 km
  outside the edge) and inside, each beside a planar ``shapely.distance`` +
  ``contains_xy`` on the same points (target: at least 0.75x, and 400,000 points/s),
  with a sample of each checked against the exact path (statuses identical).

Run: python3 bench/incidents.py [--rows 1000000] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from _common import best_of  # bench/ is on sys.path when a script runs

SHARED = Path(os.environ.get("GEOCONFLICT_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))

# A few real places (GeoNames coordinates) the generated events are drawn around.
PLACES = [
    ("Yerevan", "Yerevan", 40.1811, 44.5136),
    ("Vardenis", "Gegharkunik", 40.1806, 45.7200),
    ("Kapan", "Syunik", 39.2063, 46.4058),
    ("Sisian", "Syunik", 39.5219, 46.0275),
    ("Berd", "Tavush", 40.8807, 45.3890),
    ("Ijevan", "Tavush", 40.8756, 45.1492),
    ("Gavar", "Gegharkunik", 40.3522, 45.1264),
    ("Yeraskh", "Ararat", 39.7398, 44.8282),
    ("Gyumri", "Shirak", 40.7894, 43.8475),
    ("Meghri", "Syunik", 38.9012, 46.2431),
]
EVENT_TYPES = ["Battles", "Explosions/Remote violence", "Protests", "Riots", "Strategic developments"]


def generate_acled_csv(path: Path, rows: int, seed: int = 2020) -> None:
    """An ACLED-shaped CSV (HDX layout, with the row of HXL hashtags) of ``rows`` events."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(PLACES), rows)
    lat = np.array([p[2] for p in PLACES])[idx] + rng.normal(0, 0.02, rows)
    lon = np.array([p[3] for p in PLACES])[idx] + rng.normal(0, 0.02, rows)
    dates = pd.Timestamp("2018-01-01") + pd.to_timedelta(rng.integers(0, 1070, rows), unit="D")
    df = pd.DataFrame(
        {
            "data_id": np.arange(rows) + 7_000_000,
            "event_id_cnty": [f"ARM{i}" for i in range(rows)],
            "event_id_no_cnty": np.arange(rows),
            "event_date": dates.strftime("%Y-%m-%d"),
            "year": dates.year,
            "time_precision": 1,
            "event_type": np.array(EVENT_TYPES)[rng.integers(0, len(EVENT_TYPES), rows)],
            "sub_event_type": "Armed clash",
            "actor1": "Military Forces of Azerbaijan (2003-)",
            "assoc_actor_1": "",
            "inter1": 1,
            "actor2": "Military Forces of Armenia (2018-)",
            "assoc_actor_2": "",
            "inter2": 1,
            "interaction": 11,
            "region": "Caucasus and Central Asia",
            "country": "Armenia",
            "admin1": np.array([p[1] for p in PLACES])[idx],
            "admin2": "",
            "location": np.array([p[0] for p in PLACES])[idx],
            "latitude": lat.round(4),
            "longitude": lon.round(4),
            "geo_precision": rng.integers(1, 4, rows),
            "source": "Generated",
            "source_scale": "National",
            "notes": "On this date, forces exchanged fire near the border; no casualties were reported.",
            "timestamp": 1600000000,
            "iso3": "ARM",
        }
    )
    hxl = {c: "" for c in df.columns}
    hxl.update(
        {
            "event_id_cnty": "#event+code",
            "event_date": "#date+occurred",
            "latitude": "#geo+lat",
            "longitude": "#geo+lon",
            "location": "#loc+name",
            "country": "#country+name",
        }
    )
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(",".join(df.columns) + "\n")
        fh.write(",".join(hxl[c] for c in df.columns) + "\n")
        df.to_csv(fh, index=False, header=False)


def plain_read(path: Path):
    import geopandas as gpd
    import pandas as pd

    df = pd.read_csv(path, skiprows=[1], low_memory=False)
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["longitude"], df["latitude"]), crs="EPSG:4326")


def zone_points(zone, case: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points of a classify case: ``far`` over the region 40–52 E, 36–44 N but more than 20 km out,
    ``near`` within 15 km outside the edge, ``inside`` the zone (each by rejection sampling)."""
    import shapely

    zone_geom = shapely.from_wkb(shapely.to_wkb(zone.geometry))  # a copy to prepare; the zone keeps its own
    shapely.prepare(zone_geom)
    edge = zone_geom.boundary
    grown = zone_geom.buffer(0.25)  # about 20 km and more
    shapely.prepare(grown)
    got, have = [], 0
    while have < n:
        m = 2 * n
        if case == "inside":
            minx, miny, maxx, maxy = zone_geom.bounds
            x, y = rng.uniform(minx, maxx, m), rng.uniform(miny, maxy, m)
            keep = shapely.contains_xy(zone_geom, x, y)
        elif case == "near":
            on = shapely.line_interpolate_point(edge, rng.uniform(0, 1, m), normalized=True)
            x = shapely.get_x(on) + rng.uniform(-0.18, 0.18, m)
            y = shapely.get_y(on) + rng.uniform(-0.14, 0.14, m)
            keep = ~shapely.contains_xy(zone_geom, x, y)
        else:
            x, y = rng.uniform(40, 52, m), rng.uniform(36, 44, m)
            keep = ~shapely.contains_xy(grown, x, y)
        got.append(np.column_stack([x[keep], y[keep]]))
        have += int(keep.sum())
    return np.concatenate(got)[:n]


def run_classify(zone, acled_like, args, report) -> None:
    """classify points/s beside planar ``shapely.distance`` + ``contains_xy`` on the same points, per case."""
    import geopandas as gpd
    import shapely

    from geoconflict import zones

    rng = np.random.default_rng(39)
    n = len(acled_like)
    t = time.perf_counter()
    zone.classify(acled_like.iloc[:50_000])
    first = time.perf_counter() - t
    print(f"   first call on a fresh zone (50k points: edge grids built, their cells filled): {first:.2f} s")
    cases = {"ACLED-shaped": acled_like}
    for case in ("far", "near", "inside"):
        xy = zone_points(zone, case, n, rng)
        cases[case] = gpd.GeoDataFrame(
            {"geo_precision": rng.integers(1, 4, n)}, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=4326
        )

    def planar(frame):  # the floor: distance in degrees and containment, no geodesy, no precision
        pts = frame.geometry.values
        shapely.distance(zone.geometry, pts)
        shapely.contains_xy(zone.geometry, shapely.get_x(pts), shapely.get_y(pts))

    for case, frame in cases.items():
        t = time.perf_counter()
        zone.classify(frame)
        first = time.perf_counter() - t
        print(f"   {case}: first call (fills the grid cells these points fall in, once per zone) {first:.2f} s")
        ours_t = base_t = float("inf")
        for _ in range(args.runs):  # alternating, so both see the same load
            t, out = best_of(lambda frame=frame: zone.classify(frame), 1)
            ours_t = min(ours_t, t)
            base_t = min(base_t, best_of(lambda frame=frame: planar(frame), 1)[0])
        counts = out["zone_status"].value_counts().to_dict()
        report(f"classify pts/s, {case} (baseline: planar)", n / ours_t, n / base_t, "pts/s", f"{counts}")
        check = frame.iloc[:: max(1, n // 20_000)]
        limit, zones._GRID_MIN_POINTS = zones._GRID_MIN_POINTS, 10**12  # the exact path, every point
        try:
            exact = zone.classify(check)
        finally:
            zones._GRID_MIN_POINTS = limit
        fast = out.iloc[:: max(1, n // 20_000)]
        same = (fast["zone_status"].to_numpy() == exact["zone_status"].to_numpy()).all() and (
            fast["zone_status_certain"].to_numpy() == exact["zone_status_certain"].to_numpy()
        ).all()
        gap = np.nanmax(np.abs(fast["zone_distance_km"].to_numpy() - exact["zone_distance_km"].to_numpy()))
        print(f"   {len(check):,} checked by the exact path: statuses identical {same}; distances within {gap:.3f} km")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=2, help="timed runs of each reader (best is reported)")
    ap.add_argument("--json", help="also write the figures to this JSON file")
    args = ap.parse_args()

    from geoconflict import Gazetteer, read_incidents
    from geoconflict.zones import ConflictZone

    Gazetteer.default()  # the index is built or mapped before timing
    rows = []

    def report(what, ours, base, unit, note=""):
        ratio = ours / base if base else float("nan")
        rows.append({"figure": what, "geoconflict": ours, "baseline": base, "unit": unit, "ratio": ratio})
        print(f"{what:<44} {ours:>14,.0f} {base:>14,.0f} {unit:<8} {ratio:>6.2f}x  {note}")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "acled_like.csv"
        t = time.perf_counter()
        generate_acled_csv(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        print(f"generated {args.rows:,} ACLED-shaped rows ({size_mb:.0f} MB) in {time.perf_counter() - t:.1f} s")
        print(f"{'figure':<44} {'geoconflict':>14} {'baseline':>14} {'unit':<8} {'ratio':>7}")
        base_t, _ = best_of(lambda: plain_read(path), args.runs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ours_t, gdf = best_of(lambda: read_incidents(path), args.runs)
        report(
            "read rows/s (baseline: read_csv+points_from_xy)",
            args.rows / ours_t,
            args.rows / base_t,
            "rows/s",
            f"target >= 0.50x; {ours_t:.2f} s vs {base_t:.2f} s",
        )
        assert len(gdf) == args.rows
        rep = gdf.attrs["report"]
        print(f"   encoding {rep.encoding} (detected on a sample); {len(rep.unparsed_lines)} lines unparsed")

        ne = SHARED / "boundaries" / "naturalearth" / "ne_10m_nagorno_karabakh.geojson"
        zone = ConflictZone.from_file(ne) if ne.exists() else ConflictZone.from_names(["Nagorno-Karabakh"])
        print(f"classify against {zone.label}")
        run_classify(zone, gdf.iloc[: min(len(gdf), 1_000_000)], args, report)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    random.seed(0)
    main()
