"""Incident-extraction benchmark: the dev set's scores, throughput and the linear-time check.

Prints geoconflict's figures beside the baseline measured in the same run: the
extractor before the event frame, ``geoconflict/extract.py`` at :data:`BASELINE_REV`
(read with ``git show``, loaded as a module of this package, so both use the same
gazetteer and geoparser).

1. data/extract/dev.json (paragraphs written for this project, gold incidents):
   located (a gold incident has an extracted row at its place: the gazetteer's name or
   the mention, and the country), dates, stated fatalities, claims attributed, disputed
   right, false incidents (rows that match no gold incident, duplicates included);
   gold incidents that need a feature this branch lacks (``needs``) are scored apart;
2. throughput of ``extract_incidents`` on English news: the dev set's English
   paragraphs as one document of ``--kb`` KB (every sentence an attack report: the
   densest case), and GeoWebNews' 200 articles (real news, one call per article;
   ../shared/data/benchmarks/GWN.xml, read at run time only, skipped when absent);
3. the linear-time check: seconds for 10,000 and 100,000 characters of one letter, of a
   base64 blob and of news; a ratio near 10 is linear. The baseline runs in a subprocess
   with a time limit (``--limit``); past it, "> limit" is printed.

Run: python3 bench/extract.py [--kb 256] [--limit 20] [--json out.json]
"""

from __future__ import annotations

import argparse
import base64
import importlib.util
import json
import multiprocessing as mp
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEV = REPO / "data" / "extract" / "dev.json"
sys.path.insert(0, str(REPO))

from geoconflict.names import normalize_variants  # noqa: E402

#: the landed main the extraction issue was measured on (its single-module extract.py)
BASELINE_REV = "f4e61af"


def _baseline_module():
    """The single-module extract.py of :data:`BASELINE_REV` as ``geoconflict._main_extract`` (None without git)."""
    try:
        src = subprocess.run(
            ["git", "-C", str(REPO), "show", f"{BASELINE_REV}:geoconflict/extract.py"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    from geoconflict.geoparse import sentence_spans

    # the old module imported the sentence splitter by its old private name
    src = src.replace(
        "from .geoparse import Mention, _sentences, find_mentions", "from .geoparse import Mention, find_mentions"
    )
    src = src.replace("_sentences(", "gp_sentence_spans(")
    gp_globals = {"gp_sentence_spans": sentence_spans}
    path = Path(tempfile.gettempdir()) / "geoconflict_main_extract.py"
    path.write_text(src, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("geoconflict._main_extract", path)
    mod = importlib.util.module_from_spec(spec)
    mod.__dict__.update(gp_globals)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def _ours():
    from geoconflict.extract import extract_incidents

    return extract_incidents


def _fold(s) -> str:
    return normalize_variants(str(s))[0] if s else ""


def _claim_key(s) -> str:
    s = _fold(s).replace("’", "'")
    for w in ("the ", "'s", "’s"):
        s = s.replace(w, " ")
    return " ".join(s.split())


def _places(gold: dict) -> list[str]:
    p = gold["place"]
    return [_fold(x) for x in (p if isinstance(p, list) else [p])]


def _row_matches(row: dict, gold: dict) -> bool:
    names = {_fold(row.get("matched_name")), _fold(row.get("location")), _fold(row.get("reference"))}
    return bool(names & set(_places(gold))) and (not gold["country"] or row.get("country_code") == gold["country"])


def _assign(rows: list[dict], golds: list[dict]) -> tuple[dict[int, dict], int]:
    """Gold index → its row (first unused matching row); and the number of rows left unmatched."""
    used: set[int] = set()
    out: dict[int, dict] = {}
    for gi, g in enumerate(golds):
        for ri, r in enumerate(rows):
            if ri not in used and _row_matches(r, g):
                used.add(ri)
                out[gi] = r
                break
    return out, len(rows) - len(used)


def _same_date(row: dict, gold: dict) -> bool:
    d = row.get("event_date")
    return d is not None and d == d and str(d)[:10] == gold["date"]


def _claim_ok(row: dict, gold: dict) -> bool:
    want, got = _claim_key(gold["claimed_by"]), _claim_key(row.get("claimed_by"))
    return bool(got) and (want in got or got in want)


def _number_ok(row: dict, gold: dict, col: str) -> bool:
    v = row.get(col)
    return v is not None and v == v and int(v) == gold[col]


def score(extract, paragraphs: list[dict]) -> dict:
    """The dev-set figures of one extractor (a function like ``extract_incidents``)."""
    t = {k: [0, 0] for k in ("located", "dates", "fatalities", "injuries", "claims", "disputed", "offsets", "needs")}
    rows_total = false_rows = 0
    misses: list[str] = []
    for p in paragraphs:
        golds = [g for g in p["gold"] if not g.get("needs")]
        needs = [g for g in p["gold"] if g.get("needs")]
        try:
            frame = extract(p["text"], date=p["date"])
            rows = frame.drop(columns="geometry").to_dict("records")
        except Exception as exc:  # the baseline may fail on an input: that is a miss, not a crash
            misses.append(f"{p['id']}: error {exc!r}")
            rows = []
        got, _ = _assign(rows, golds + needs)
        rows_total += len(rows)
        false_rows += len(rows) - len(got)
        for gi, g in enumerate(golds):
            r = got.get(gi)
            _tally(t, r, g, misses, p["id"])
        for k in range(len(needs)):
            t["needs"][1] += 1
            t["needs"][0] += (len(golds) + k) in got
    out = {k: v for k, v in t.items()}
    out["rows"], out["false_rows"], out["misses"] = rows_total, false_rows, misses
    return out


def _tally(t: dict, r: dict | None, g: dict, misses: list[str], pid: str) -> None:
    t["located"][1] += 1
    if r is None:
        misses.append(f"{pid}: not located {g['place']}")
        return
    t["located"][0] += 1
    checks = [("dates", True, _same_date), ("claims", g.get("claimed_by") is not None, _claim_ok)]
    checks += [(c, c in g, lambda r, g, c=c: _number_ok(r, g, c)) for c in ("fatalities", "injuries")]
    for name, applies, ok in checks:
        if applies:
            t[name][1] += 1
            good = ok(r, g)
            t[name][0] += good
            if not good:
                misses.append(f"{pid}: {name} {g['place']}: got {r.get(_COL[name])!r}")
    t["disputed"][1] += 1
    good = (r.get("claim_status") == "disputed") == bool(g.get("disputed"))
    t["disputed"][0] += good
    if not good:
        misses.append(f"{pid}: disputed {g['place']}: got {r.get('claim_status')!r}")
    if "offset_km" in g:
        t["offsets"][1] += 1
        t["offsets"][0] += abs((r.get("offset_km") or 0) - g["offset_km"]) <= max(2, 0.05 * g["offset_km"])


_COL = {"dates": "event_date", "claims": "claimed_by", "fatalities": "fatalities", "injuries": "injuries"}


def _news(kb: int, paragraphs: list[dict]) -> str:
    english = [p["text"] for p in paragraphs if p.get("lang", "en") == "en"]
    rng = random.Random(20201015)
    out, size = [], 0
    while size < kb * 1024:
        t = rng.choice(english)
        out.append(t)
        size += len(t) + 2
    return "\n\n".join(out)


def _blob(n: int) -> str:
    rng = random.Random(7)
    return base64.b64encode(bytes(rng.randrange(256) for _ in range(n))).decode()[:n]


def _timed_child(args) -> None:
    which, kind, n, q = args
    extract = _ours() if which == "ours" else _baseline_module().extract_incidents
    text = _input(kind, n)
    extract("warm up: shelling hit Tartar.", date="2020-10-16")
    t = time.perf_counter()
    extract(text, date="2020-10-16")
    q.put(time.perf_counter() - t)


def _input(kind: str, n: int) -> str:
    if kind == "letter":
        return "A" * n
    if kind == "base64":
        return _blob(n)
    paragraphs = json.loads(DEV.read_text(encoding="utf-8"))["paragraphs"]
    return _news(n // 1024 + 1, paragraphs)[:n]


def _timed(which: str, kind: str, n: int, limit: float) -> float | None:
    """Seconds for one call in a fresh process; None past ``limit``."""
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    proc = ctx.Process(target=_timed_child, args=((which, kind, n, q),))
    proc.start()
    proc.join(limit)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return None
    return q.get() if not q.empty() else None


def _pct(v: list[int]) -> str:
    return f"{100 * v[0] / v[1]:5.1f} % ({v[0]}/{v[1]})" if v[1] else "   n/a"


def _print_scores(ours: dict, base: dict | None) -> None:
    print(f"{'dev set':<26}{'geoconflict (this branch)':<30}main (baseline)")
    for k in ("located", "dates", "fatalities", "injuries", "claims", "disputed", "offsets", "needs"):
        label = {"needs": "needs seas/landmarks/…", "offsets": "offsets (distance right)"}.get(k, k)
        print(f"  {label:<24}{_pct(ours[k]):<30}{_pct(base[k]) if base else '—'}")
    fo = [ours["false_rows"], ours["rows"]]
    fb = [base["false_rows"], base["rows"]] if base else [0, 0]
    print(f"  {'false incidents':<24}{_pct(fo):<30}{_pct(fb) if base else '—'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=int, default=256, help="size of the English news document for throughput")
    ap.add_argument("--limit", type=float, default=20.0, help="seconds before a linear-time run is stopped")
    ap.add_argument("--misses", action="store_true", help="list every miss of this branch")
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args(argv)
    paragraphs = json.loads(DEV.read_text(encoding="utf-8"))["paragraphs"]
    conflicts = len({p["conflict"] for p in paragraphs})
    print(
        f"dev set: {len(paragraphs)} paragraphs, {conflicts} conflicts, {sum(len(p['gold']) for p in paragraphs)}"
        f" gold incidents, {sum(not p['gold'] for p in paragraphs)} paragraphs with none"
    )
    base_mod = _baseline_module()
    ours = score(_ours(), paragraphs)
    base = score(base_mod.extract_incidents, paragraphs) if base_mod else None
    _print_scores(ours, base)
    if args.misses:
        print("\n".join("    " + m for m in ours["misses"]))
    figures = {
        "ours": {k: v for k, v in ours.items() if k != "misses"},
        "baseline": base and {k: v for k, v in base.items() if k != "misses"},
    }
    figures["throughput"] = _throughput(args.kb, paragraphs, base_mod)
    figures["throughput_gwn"] = _gwn_throughput(base_mod)
    figures["linear"] = _linear(args.limit, base_mod is not None)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    return 0


def _gwn_articles() -> list[str]:
    import os
    import xml.etree.ElementTree as ET

    shared = Path(os.environ.get("GEOCONFLICT_SHARED_DATA", REPO.parent / "shared" / "data"))
    path = shared / "benchmarks" / "GWN.xml"
    if not path.exists():
        return []
    return [a.findtext("text") or "" for a in ET.parse(path).getroot().iter("article")]


def _gwn_throughput(base_mod) -> dict:
    from _common import best_of

    articles = _gwn_articles()
    if not articles:
        print("GeoWebNews throughput: skipped (../shared/data/benchmarks/GWN.xml absent)")
        return {}
    size = sum(len(a.encode()) for a in articles) / 1024
    out = {}
    for name, fn in (("ours", _ours()), ("baseline", base_mod and base_mod.extract_incidents)):
        if fn is None:
            continue
        secs, rows = best_of(lambda fn=fn: sum(len(fn(a)) for a in articles), 2)
        out[name] = {"kb_per_s": size / secs, "rows": rows}
    b = out.get("baseline")
    print(
        f"throughput on GeoWebNews ({len(articles)} articles, {size:.0f} KB): {out['ours']['kb_per_s']:.0f} KB/s, "
        f"{out['ours']['rows']} incidents" + (f" (main: {b['kb_per_s']:.0f} KB/s, {b['rows']} incidents)" if b else "")
    )
    return out


def _throughput(kb: int, paragraphs: list[dict], base_mod) -> dict:
    from _common import best_of

    text = _news(kb, paragraphs)
    out = {}
    for name, fn in (("ours", _ours()), ("baseline", base_mod and base_mod.extract_incidents)):
        if fn is None:
            continue
        fn("warm up: shelling hit Tartar.", date="2020-10-16")
        secs, frame = best_of(lambda fn=fn: fn(text, date="2020-10-16"), 2)
        out[name] = {"kb_per_s": len(text.encode()) / 1024 / secs, "rows": len(frame)}
    b = out.get("baseline")
    print(
        f"throughput on {len(text) // 1024} KB of English news: {out['ours']['kb_per_s']:.0f} KB/s"
        f" (main: {b['kb_per_s']:.0f} KB/s)"
        if b
        else ""
    )
    return out


def _linear(limit: float, baseline: bool) -> dict:
    out: dict = {}
    print(f"linear-time check (seconds; main stopped after {limit:.0f} s):")
    for kind in ("letter", "base64", "news"):
        row = {}
        for which in ("ours", "baseline") if baseline else ("ours",):
            t10, t100 = (_timed(which, kind, n, limit) for n in (10_000, 100_000))
            row[which] = (t10, t100)
        out[kind] = row
        print(f"  {kind:<8}" + "   ".join(f"{w}: {_secs(a)} → {_secs(b)}{_ratio(a, b)}" for w, (a, b) in row.items()))
    return out


def _secs(v: float | None) -> str:
    return "> limit" if v is None else f"{v:.3f}"


def _ratio(a: float | None, b: float | None) -> str:
    return f" (×{b / a:.0f})" if a and b else ""


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
