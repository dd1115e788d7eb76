"""Admin-join benchmark: points in the real geoBoundaries AZE ADM2 polygons, geoconflict beside bare geopandas.sjoin.

Prints, for 100k and 1M points drawn uniformly over Azerbaijan's 79 ADM2 units,
``join_admin`` (index warm, and the first call that builds it) beside a bare
``geopandas.sjoin`` (how="left", the default predicate) measured in the same run,
with the ratio (baseline time / ours; above 1 = geoconflict faster). It checks that
both give every point the same unit. Then the dask path: 10M points generated
partition by partition on a dask.distributed LocalCluster, joined and reduced,
with the process's peak memory (psutil).

Run: python3 bench/join.py [--sizes 100000 1000000] [--dask 10000000] [--boundaries FILE]
"""

from __future__ import annotations

import argparse
import json
import os
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


class PeakMemory:
    """Peak resident memory of this process (MB), sampled every 10 ms in a thread."""

    def __init__(self):
        import psutil

        self._proc = psutil.Process()
        self.start = self.peak = self._proc.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, self._proc.memory_info().rss)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._proc.memory_info().rss)

    @property
    def peak_mb(self) -> float:
        return self.peak / 2**20


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


def run_dask(args) -> list[dict]:
    """Join ``args.dask`` points generated partition by partition on a LocalCluster; figures and peak memory."""
    import dask
    import dask.dataframe as dd
    import dask_geopandas  # noqa: F401  (registers GeoDataFrame partitions with dask)
    import distributed
    import geopandas as gpd
    import pandas as pd

    from geoconflict.boundaries import load_boundaries
    from geoconflict.join import join_admin

    adm2 = load_boundaries(args.boundaries, check_names=False)
    # a pool of points inside the units, small enough to ship with the graph; partitions draw from it
    pool_x, pool_y = inside_points(adm2.geometry.values, 200_000, np.random.default_rng(7))
    n, size = args.dask, args.partition
    parts = -(-n // size)
    meta = gpd.GeoDataFrame({"event_id": np.array([], dtype="int64")}, geometry=gpd.GeoSeries([], crs=4326), crs=4326)

    def make(i: int) -> gpd.GeoDataFrame:
        r = np.random.default_rng(i)
        m = min(size, n - i * size)
        pick = r.integers(0, len(pool_x), m)
        jitter = r.normal(0, 0.002, (2, m))  # ~200 m, so some points fall just outside
        return gpd.GeoDataFrame(
            {"event_id": np.arange(i * size, i * size + m, dtype="int64")},
            geometry=gpd.points_from_xy(pool_x[pick] + jitter[0], pool_y[pick] + jitter[1]),
            crs=4326,
        )

    def summary(part: pd.DataFrame) -> pd.DataFrame:
        return part.groupby(["admin_match", "admin2"], dropna=False).size().rename("n").reset_index()

    threads = os.cpu_count() or 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(
            n_workers=1, threads_per_worker=threads, processes=False, dashboard_address=None
        )
        client = distributed.Client(cluster)
    try:
        with dask.config.set({"dataframe.convert-string": False}), PeakMemory() as mem:
            t = time.perf_counter()
            ddf = dd.from_map(make, range(parts), meta=meta, enforce_metadata=False)
            out = join_admin(ddf, adm2)
            meta = pd.DataFrame(
                {
                    "admin_match": pd.Series([], dtype=object),
                    "admin2": pd.Series([], dtype=object),
                    "n": pd.Series([], dtype="int64"),
                }
            )
            counts = out.map_partitions(summary, meta=meta).compute()
            dt = time.perf_counter() - t
    finally:
        client.close()
        cluster.close()
    by_match = counts.groupby("admin_match")["n"].sum()
    line = (
        f"{f'dask: {n:,} points, {parts} partitions, {threads} threads':<48} {dt:>12,.3f} {'—':>14} s\n"
        f"   {n / dt / 1e6:.2f} M points/s; {int(by_match.sum()):,} rows out ({by_match.to_dict()}); "
        f"peak RSS {mem.peak_mb:,.0f} MB in a fresh process (started at {mem.start / 2**20:,.0f} MB)"
    )
    return [
        {"figure": "dask join time", "geoconflict": dt, "unit": "s", "points": n, "line": line},
        {"figure": "dask peak RSS MB", "geoconflict": mem.peak_mb, "unit": "MB", "line": ""},
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="in-memory point counts")
    ap.add_argument("--dask", type=int, default=10_000_000, help="points for the dask run (0 to skip)")
    ap.add_argument("--partition", type=int, default=500_000, help="points per dask partition")
    ap.add_argument("--boundaries", default=str(DEFAULT_BOUNDARIES), help="the AZE ADM2 file (geoBoundaries)")
    ap.add_argument("--json", help="also write the figures to this JSON file")
    ap.add_argument("--dask-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if not Path(args.boundaries).exists():
        sys.exit(f"needs {args.boundaries} (../shared/data) or --boundaries FILE")
    if args.dask_only:
        print(json.dumps(run_dask(args)))
        return
    rows = run_in_memory(args)
    if args.dask:
        rows += run_dask_in_fresh_process(args)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)


def run_in_memory(args) -> list[dict]:
    """``join_admin`` beside a bare ``geopandas.sjoin`` for each size, printed as a table; the figures."""
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
        base_txt = f"{base:>14,.3f}" if base is not None else f"{'—':>14}"
        ratio_txt = f"{ratio:>7.2f}x" if base is not None else ""
        print(f"{what:<48} {ours:>12,.3f} {base_txt} {unit:<5} {ratio_txt}")

    print(f"AZE ADM2: {len(adm2)} units from {args.boundaries}")
    print(f"{'figure':<48} {'geoconflict':>12} {'geopandas.sjoin':>14} {'unit':<5} {'speed-up':>8}")
    pool_x, pool_y = inside_points(adm2.geometry.values, max(args.sizes), rng)
    for n in args.sizes:
        pts = gpd.GeoDataFrame(
            {"event_id": np.arange(n), "fatalities": rng.integers(0, 5, n)},
            geometry=gpd.points_from_xy(pool_x[:n], pool_y[:n]),
            crs=4326,
        )
        fresh = adm2.copy()  # a new object: the first call builds its index
        t = time.perf_counter()
        join_admin(pts.head(1), fresh)
        cold = time.perf_counter() - t
        runs = 3 if n <= 200_000 else 2
        ours_t, ours = best_of(lambda pts=pts: join_admin(pts, adm2), runs)
        base_t, base = best_of(lambda pts=pts: gpd.sjoin(pts, bare_polygons, how="left"), runs)
        label = f"{n:,} points"
        report(f"{label}: join time", ours_t, base_t)
        report(f"{label}: points/s (M)", n / ours_t / 1e6, n / base_t / 1e6, "M/s", better="higher")
        base = base[~base.index.duplicated()]
        same = (ours["admin2"].to_numpy() == base["shapeName"].to_numpy()).mean()
        print(f"   same unit as sjoin for {same:.4%} of points; index build on first call {cold * 1000:.0f} ms")
        rows.append({"figure": f"{label}: same unit as sjoin", "geoconflict": float(same)})
    return rows


def run_dask_in_fresh_process(args) -> list[dict]:
    """:func:`run_dask` in a fresh interpreter, so the peak memory is the dask run's own; printed, and the figures."""
    cmd = [sys.executable, __file__, "--dask-only", "--dask", str(args.dask), "--partition", str(args.partition)]
    cmd += ["--boundaries", args.boundaries]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rows = json.loads(out.strip().splitlines()[-1])
    for r in rows:
        line = r.pop("line")
        if line:
            print(line)
    return rows


if __name__ == "__main__":
    main()
