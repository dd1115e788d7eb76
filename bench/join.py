"""Admin-join benchmark: points in the real geoBoundaries AZE ADM2 polygons, geoconflict beside bare geopandas.sjoin.

Prints, for 100k and 1M points drawn over four areas — the world (-180…180 E,
-60…70 N), the region (40–52 E, 36–44 N), Azerbaijan's bounding box, and inside
Azerbaijan's 79 ADM2 units — ``join_admin`` (index warm; the first call that builds
it once) beside a bare ``geopandas.sjoin`` (how="left", the default predicate)
measured in the same run, alternating, best of N, with the ratio (baseline time /
ours; above 1 = geoconflict faster). It checks that every point sjoin places gets
the same unit, and that every point sjoin leaves out is ``nearest`` (within the
tolerance) or ``none``. Then the dask path: 10M world-wide points generated
partition by partition on a 2-worker ``distributed.LocalCluster`` (processes),
joined and reduced, beside a bare per-partition sjoin on the same cluster, with
each worker's peak memory.

Run: python3 bench/join.py [--sizes 100000 1000000] [--cases world region bbox inside] [--dask 10000000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np
from _common import best_of  # bench/ is on sys.path when a script runs

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
DEFAULT_BOUNDARIES = SHARED / "boundaries" / "geoboundaries" / "AZE" / "geoBoundaries-AZE-ADM2.geojson"


def inside_points(polygons, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points uniform over the union of ``polygons`` (rejection sampling)."""
    import shapely

    union = shapely.union_all(np.asarray(polygons, dtype=object))
    shapely.prepare(union)
    minx, miny, maxx, maxy = union.bounds
    xs, ys, have = [], [], 0
    while have < n:
        x = rng.uniform(minx, maxx, 2 * n)
        y = rng.uniform(miny, maxy, 2 * n)
        ok = shapely.contains_xy(union, x, y)
        xs.append(x[ok])
        ys.append(y[ok])
        have += int(ok.sum())
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


#: Where the points are drawn: (lon range, lat range); None = inside the units. The world
#: and the region are the tables analysts join to one country's units (issue 16).
CASES = {
    "world": ((-180.0, 180.0), (-60.0, 70.0)),
    "region": ((40.0, 52.0), (36.0, 44.0)),
    "bbox": None,  # the units' own bounding box, filled in from the file
    "inside": None,
}


def draw(case: str, n: int, rng: np.random.Generator, units, pool) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points of one case: uniform over its box, or taken from ``pool`` (points inside the units)."""
    if case == "inside":
        return pool[0][:n], pool[1][:n]
    if case == "bbox":
        minx, miny, maxx, maxy = units.total_bounds
        (x0, x1), (y0, y1) = (minx, maxx), (miny, maxy)
    else:
        (x0, x1), (y0, y1) = CASES[case]
    return rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)


def compare_rows(ours, base) -> tuple[float, int]:
    """Share of sjoin's placed points that got the same unit, and how many left out by sjoin we placed not 'nearest'."""
    base = base[~base.index.duplicated()]
    placed = base["shapeName"].notna().to_numpy()
    same = (ours["admin2"].to_numpy()[placed] == base["shapeName"].to_numpy()[placed]).mean() if placed.any() else 1.0
    left_out = ours.iloc[np.flatnonzero(~placed)]
    wrong = int((left_out["admin2"].notna() & (left_out["admin_match"] != "nearest")).sum())
    return float(same), wrong


def run_in_memory(args) -> list[dict]:
    """``join_admin`` beside a bare ``geopandas.sjoin`` for each case and size, printed as a table; the figures."""
    import geopandas as gpd

    from geoconflict.boundaries import load_boundaries
    from geoconflict.join import join_admin

    rng = np.random.default_rng(20201015)
    adm2 = load_boundaries(args.boundaries, check_names=False)
    bare_polygons = gpd.read_file(args.boundaries)[["shapeName", "geometry"]]
    rows = []

    def report(what, ours, base, unit="s", better="lower"):
        ratio = (base / ours if better == "lower" else ours / base) if ours and base else float("nan")
        rows.append({"figure": what, "geoconflict": ours, "baseline": base, "unit": unit, "ratio": ratio})
        print(f"{what:<48} {ours:>12,.3f} {base:>14,.3f} {unit:<5} {ratio:>7.2f}x", flush=True)

    print(f"AZE ADM2: {len(adm2)} units from {args.boundaries}")
    fresh = adm2.copy()  # a new object: the first call builds its index
    t = time.perf_counter()
    join_admin(gpd.GeoDataFrame(geometry=gpd.points_from_xy([47.0], [40.0]), crs=4326), fresh)
    print(f"index build on first call: {(time.perf_counter() - t) * 1000:.0f} ms")
    print(f"{'figure':<48} {'geoconflict':>12} {'geopandas.sjoin':>14} {'unit':<5} {'speed-up':>8}")
    pool = inside_points(adm2.geometry.values, max(args.sizes), rng) if "inside" in args.cases else None
    for n in args.sizes:
        for case in args.cases:
            x, y = draw(case, n, rng, adm2, pool)
            pts = gpd.GeoDataFrame(
                {"event_id": np.arange(n), "fatalities": rng.integers(0, 5, n)},
                geometry=gpd.points_from_xy(x, y),
                crs=4326,
            )
            runs = args.runs if n <= 200_000 else max(2, args.runs - 1)
            ours_t = base_t = float("inf")
            for _ in range(runs):  # alternating, so both see the same load
                t, ours = best_of(lambda pts=pts: join_admin(pts, adm2), 1)
                ours_t = min(ours_t, t)
                t, base = best_of(lambda pts=pts: gpd.sjoin(pts, bare_polygons, how="left"), 1)
                base_t = min(base_t, t)
            label = f"{n:,} points, {case}"
            report(f"{label}: join time", ours_t, base_t)
            same, wrong = compare_rows(ours, base)
            counts = ours.attrs["admin_join"]
            print(
                f"   same unit as sjoin for {same:.4%} of the points it places; {wrong} it leaves out placed other "
                f"than 'nearest'; inside {counts['inside']:,}, nearest {counts['nearest']:,}, none {counts['none']:,}"
            )
            rows.append({"figure": f"{label}: same unit as sjoin", "geoconflict": same, "wrong": wrong})
    return rows


def _world_partition(i: int, size: int, n: int):
    """Partition ``i`` of ``n`` world-wide points (``size`` a partition), made where it is computed."""
    import geopandas as gpd

    r = np.random.default_rng(i)
    m = min(size, n - i * size)
    x, y = r.uniform(-180, 180, m), r.uniform(-60, 70, m)
    return gpd.GeoDataFrame(
        {"event_id": np.arange(i * size, i * size + m, dtype="int64")}, geometry=gpd.points_from_xy(x, y), crs=4326
    )


def _start_peak_sampler(dask_worker):
    """On a worker: sample the process's RSS every 20 ms into ``dask_worker`` (the peak since this call)."""
    import psutil

    proc = psutil.Process()
    dask_worker.bench_peak_rss = proc.memory_info().rss
    if getattr(dask_worker, "bench_sampler", None) is None:

        def run():
            while True:
                dask_worker.bench_peak_rss = max(dask_worker.bench_peak_rss, proc.memory_info().rss)
                time.sleep(0.02)

        dask_worker.bench_sampler = threading.Thread(target=run, daemon=True)
        dask_worker.bench_sampler.start()
    return dask_worker.bench_peak_rss


def _read_peak(dask_worker):
    return dask_worker.bench_peak_rss


def _timed_on_cluster(client, build) -> tuple[float, int, dict]:
    """Compute ``build()`` (a dask frame of counts) on ``client``: seconds, rows counted, peak RSS MB per worker."""
    client.run(_start_peak_sampler)
    t = time.perf_counter()
    counts = build().compute()
    dt = time.perf_counter() - t
    peaks = {w: v / 2**20 for w, v in client.run(_read_peak).items()}
    return dt, counts, peaks


def run_dask(args) -> list[dict]:
    """Join ``args.dask`` world-wide points on a 2-worker LocalCluster (processes) beside a bare per-partition sjoin."""
    import dask
    import dask.dataframe as dd
    import dask_geopandas  # noqa: F401  (registers GeoDataFrame partitions with dask)
    import distributed
    import geopandas as gpd
    import pandas as pd

    from geoconflict.boundaries import load_boundaries
    from geoconflict.join import join_admin

    adm2 = load_boundaries(args.boundaries, check_names=False)
    bare_polygons = gpd.read_file(args.boundaries)[["shapeName", "geometry"]]
    n, size = args.dask, args.partition
    parts = -(-n // size)
    meta = _world_partition(0, size, n).iloc[:0]
    count_meta = pd.DataFrame({"key": pd.Series([], dtype=object), "n": pd.Series([], dtype="int64")})

    def ours():
        ddf = dd.from_map(_world_partition, range(parts), size=size, n=n, meta=meta, enforce_metadata=False)
        out = join_admin(ddf, adm2)
        return out.map_partitions(lambda p: _counts(p["admin_match"]), meta=count_meta)

    def bare():
        ddf = dd.from_map(_world_partition, range(parts), size=size, n=n, meta=meta, enforce_metadata=False)
        out = ddf.map_partitions(
            lambda p: _counts(gpd.sjoin(p, bare_polygons, how="left")["shapeName"].notna()), meta=count_meta
        )
        return out

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            memory_limit=args.worker_memory,
            dashboard_address=None,
        )
        client = distributed.Client(cluster)
    try:
        with dask.config.set({"dataframe.convert-string": False}):
            base_t = ours_t = float("inf")
            base_peaks, peaks = {}, {}
            for _ in range(args.dask_runs):  # alternating, best of N: the machine is shared
                t, _counts_bare, p = _timed_on_cluster(client, bare)
                base_t, base_peaks = min(base_t, t), {w: max(v, base_peaks.get(w, 0)) for w, v in p.items()}
                t, counts, p = _timed_on_cluster(client, ours)
                ours_t, peaks = min(ours_t, t), {w: max(v, peaks.get(w, 0)) for w, v in p.items()}
    finally:
        client.close()
        cluster.close()
    by_match = counts.groupby("key")["n"].sum().to_dict()
    worst = max(peaks.values())
    line = (
        f"{f'dask: {n:,} world points, {parts} partitions, 2 workers':<48} {ours_t:>12,.3f} {base_t:>14,.3f} s     "
        f"{base_t / ours_t:>7.2f}x\n"
        f"   {n / ours_t / 1e6:.2f} M points/s (sjoin {n / base_t / 1e6:.2f}); {int(counts['n'].sum()):,} rows "
        f"({by_match}); peak RSS per worker {', '.join(f'{v:,.0f}' for v in peaks.values())} MB "
        f"(sjoin: {', '.join(f'{v:,.0f}' for v in base_peaks.values())} MB; limit {args.worker_memory})"
    )
    return [
        {"figure": "dask join time", "geoconflict": ours_t, "baseline": base_t, "unit": "s", "points": n, "line": line},
        {
            "figure": "dask peak RSS MB per worker (max)",
            "geoconflict": worst,
            "baseline": max(base_peaks.values()),
            "unit": "MB",
            "line": "",
        },
    ]


def _counts(values):
    """A partition's rows per value, as a small frame dask can add up."""
    import pandas as pd

    c = pd.Series(values).astype(str).value_counts()
    return pd.DataFrame({"key": c.index.astype(object), "n": c.to_numpy(dtype="int64")})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="in-memory point counts")
    ap.add_argument("--cases", nargs="+", default=list(CASES), choices=list(CASES), help="where points are drawn")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each (best is reported; one fewer at 1M)")
    ap.add_argument("--dask", type=int, default=10_000_000, help="points for the dask run (0 to skip)")
    ap.add_argument("--partition", type=int, default=500_000, help="points per dask partition")
    ap.add_argument("--dask-runs", type=int, default=2, help="timed runs of each dask join (best is reported)")
    ap.add_argument("--worker-memory", default="2GiB", help="memory limit of each dask worker")
    ap.add_argument("--boundaries", default=str(DEFAULT_BOUNDARIES), help="the AZE ADM2 file (geoBoundaries)")
    ap.add_argument("--json", help="also write the figures to this JSON file")
    ap.add_argument("--dask-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if not Path(args.boundaries).exists():
        sys.exit(f"needs {args.boundaries} (../shared/data) or --boundaries FILE")
    if args.dask_only:
        print(json.dumps(run_dask(args)))
        return
    rows = run_in_memory(args) if args.sizes and args.sizes[0] > 0 else []
    if args.dask:
        rows += run_dask_in_fresh_process(args)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)


def run_dask_in_fresh_process(args) -> list[dict]:
    """:func:`run_dask` in a fresh interpreter (its workers start clean); printed, and the figures."""
    cmd = [sys.executable, __file__, "--dask-only", "--dask", str(args.dask), "--partition", str(args.partition)]
    cmd += ["--boundaries", args.boundaries, "--worker-memory", args.worker_memory, "--dask-runs", str(args.dask_runs)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rows = json.loads(out.strip().splitlines()[-1])
    for r in rows:
        line = r.pop("line")
        if line:
            print(line)
    return rows


if __name__ == "__main__":
    main()
