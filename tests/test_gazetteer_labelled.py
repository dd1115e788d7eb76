"""The gazetteer against labelled sets: physical features and landmarks, names that must resolve, strings that must not.

The sets live in ``data/gazetteer/labelled/`` (written for this project; coordinates
after the English Wikipedia articles, rounded) and, for real negatives, in GeoWebNews
(``../shared/data/benchmarks/GWN.xml``, read here at test time, never copied): its
``Non_Toponym`` spans (organisations, titles: "Cambridge Analytica") and ``*_Expression``
spans ("authorities", "the border"). A GeoWebNews span counts as a negative only when it
holds no toponym annotation of its own ("Mississippi" inside "Mississippi State" is one),
its text is never annotated as a toponym elsewhere in the corpus, and it is not a name of
the project's positive tables ("White House" is a building the gazetteer holds, whatever
the article meant by it). ``bench/gazetteer.py`` imports these loaders.
"""

from __future__ import annotations

import csv
import math
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import REPO, SHARED_DATA

LABELLED = REPO / "data" / "gazetteer" / "labelled"
GWN = SHARED_DATA / "benchmarks" / "GWN.xml"
NEGATIVE_TYPES = ("Non_Toponym", "Literal_Expression", "Non_Lit_Expression")
#: Calibration bins (lower bounds) the bench prints and the tests hold.
SCORE_BINS = ((0.8, 1.01), (0.6, 0.8), (0.4, 0.6), (0.0, 0.4))


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def _rows(name: str) -> list[dict]:
    with open(LABELLED / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def labelled_features() -> list[dict]:
    """Physical features and landmarks: query, kind, gold lat/lon, tolerance, language."""
    return [dict(r, lat=float(r["lat"]), lon=float(r["lon"]), tol_km=float(r["tol_km"])) for r in _rows("features.csv")]


def labelled_names() -> list[dict]:
    """Names that must resolve, with the gold point and tolerance."""
    return [dict(r, lat=float(r["lat"]), lon=float(r["lon"]), tol_km=float(r["tol_km"])) for r in _rows("names.csv")]


def _gwn_spans(path: Path):
    import xml.etree.ElementTree as ET

    for article in ET.parse(path).getroot().iter("article"):
        spans = []
        for t in article.iter("toponym"):
            try:
                spans.append((int(t.findtext("start")), int(t.findtext("end")), t.findtext("type"), t))
            except (TypeError, ValueError):
                continue
        yield spans


@lru_cache(maxsize=2)
def gwn_negatives(path: Path = GWN) -> tuple[str, ...]:
    """GeoWebNews non-place spans that name no place (see the module's docstring), distinct, in file order."""
    if not path.exists():
        return ()
    toponym_texts, candidates = set(), []
    for spans in _gwn_spans(path):
        for start, end, typ, t in spans:
            text = (t.findtext("extractedName") or "").strip()
            if typ not in NEGATIVE_TYPES:
                toponym_texts.add(text.lower())
                continue
            inner = any(s >= start and e <= end and ty not in NEGATIVE_TYPES for s, e, ty, _ in spans)
            if not inner:
                candidates.append(text)
    positives = {r["query"].lower() for r in labelled_features() + labelled_names()}
    out = dict.fromkeys(c for c in candidates if c and c.lower() not in toponym_texts and c.lower() not in positives)
    return tuple(out)


@lru_cache(maxsize=2)
def gwn_positives(path: Path = GWN) -> tuple[tuple[str, float, float], ...]:
    """GeoWebNews toponyms with gold coordinates, one per distinct name (names with distant golds left out)."""
    if not path.exists():
        return ()
    golds: dict[str, list[tuple[float, float]]] = {}
    for spans in _gwn_spans(path):
        for _s, _e, typ, t in spans:
            if typ in NEGATIVE_TYPES or t.findtext("latitude") is None:
                continue
            name = (t.findtext("extractedName") or "").strip()
            golds.setdefault(name, []).append((float(t.findtext("latitude")), float(t.findtext("longitude"))))
    out = []
    for name, pts in golds.items():
        if all(_km(*pts[0], *p) <= 161 for p in pts):
            out.append((name, *pts[0]))
    return tuple(out)


def negatives() -> list[str]:
    """Every string that must not resolve: the project's table and GeoWebNews' non-place spans."""
    return [r["query"] for r in _rows("negatives.csv")] + list(gwn_negatives())


def is_right(m, lat: float, lon: float, tol_km: float) -> bool:
    """A match is right when its point is within tolerance, or its area or line holds (or passes by) the gold point."""
    if m is None:
        return False
    if _km(m.latitude, m.longitude, lat, lon) <= tol_km:
        return True
    if not m.is_area:
        return False
    from shapely.geometry import Point

    gold = Point(lon, lat)
    geom = m.geometry
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return bool(geom.buffer(tol_km / 111.0).contains(gold))
    return geom.distance(gold) * 111.0 <= tol_km  # a river: the gold point is by its course


def judged(gaz, *, min_score: float = 0.0) -> list[tuple[float, bool]]:
    """(score, right) for every match the gazetteer gives on the labelled sets (negatives that match are wrong)."""
    out = []
    for r in labelled_features() + labelled_names():
        m = gaz.resolve(r["query"], min_score=min_score)
        if m is not None:
            out.append((m.score, is_right(m, r["lat"], r["lon"], r["tol_km"])))
    for q in negatives():
        m = gaz.resolve(q, min_score=min_score)
        if m is not None:
            out.append((m.score, False))
    return out


def calibration(pairs: list[tuple[float, bool]]) -> list[tuple[float, float, int, float]]:
    """(low, high, matches, share right) per score bin."""
    table = []
    for lo, hi in SCORE_BINS:
        inbin = [ok for s, ok in pairs if lo <= s < hi]
        table.append((lo, hi, len(inbin), sum(inbin) / len(inbin) if inbin else float("nan")))
    return table


# --------------------------------------------------------------------------- tests
def test_the_tables_are_large_enough():
    assert len(labelled_features()) >= 150
    assert len({r["lang"] for r in labelled_features()}) >= 8
    assert len(labelled_names()) + len(labelled_features()) >= 300
    assert len(_rows("negatives.csv")) >= 100


@pytest.mark.shared_data
def test_negatives_include_real_ones_from_geowebnews():
    if not GWN.exists():
        pytest.skip(f"needs {GWN}")
    assert len(negatives()) >= 300
    assert "Cambridge Analytica" not in negatives()  # holds the toponym "Cambridge"


def test_physical_features_and_landmarks_resolve(gazetteer):
    rows = labelled_features()
    wrong = []
    for r in rows:
        m = gazetteer.resolve(r["query"])
        if not is_right(m, r["lat"], r["lon"], r["tol_km"]):
            wrong.append((r["query"], m and (m.name, m.feature_kind, m.latitude, m.longitude)))
    assert len(wrong) <= 0.05 * len(rows), wrong


def test_names_that_must_resolve(gazetteer):
    rows = labelled_names()
    wrong = [
        (r["query"], m and (m.name, m.country_code, m.feature_kind))
        for r in rows
        if not is_right(m := gazetteer.resolve(r["query"]), r["lat"], r["lon"], r["tol_km"])
    ]
    assert len(wrong) <= 0.05 * len(rows), wrong


@pytest.mark.shared_data
def test_negatives_resolve_rarely_at_the_default_min_score(gazetteer):
    if not GWN.exists():
        # the negative set is the hand-written strings and GeoWebNews' real ones (1,600 of its 1,700)
        pytest.skip(f"needs {GWN} (the real negatives of the negative set)")
    qs = negatives()
    hits = [(q, m.name, m.match_type, m.score) for q in qs if (m := gazetteer.resolve(q)) is not None]
    assert len(hits) <= 0.03 * len(qs), hits


def test_scores_are_calibrated(gazetteer):
    table = calibration(judged(gazetteer))
    lo, hi, n, share = table[0]
    assert n >= 250
    assert share >= 0.97, table
