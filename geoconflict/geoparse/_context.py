"""Resolution with the document's evidence: countries named, confident places, possessives, appositions."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from ..schema import KIND_RANK
from ._rules import _AREAS
from ._tokens import COMPASS, CONNECTORS, _english_word

if TYPE_CHECKING:  # pragma: no cover
    from ..gazetteer import Gazetteer, Match
    from . import Mention

#: How much a text's own evidence counts: countries named this many times or more are "the" countries.
_CONTEXT_COUNTRIES = 3


def _doc_evidence(mentions: list[Mention]) -> tuple[list[str], list[tuple[float, float, int]]]:
    """Countries the text is about, and where its confident places lie."""
    ccs: Counter = Counter()
    points = []
    for k, m in enumerate(mentions):
        mt = m.match
        if mt is None or not mt.country_code:
            continue
        if mt.feature_kind == "country":
            ccs[mt.country_code] += 2 if mt.score >= 0.6 else 1
        elif mt.feature_kind in ("admin1", "admin2", "region"):
            ccs[mt.country_code] += 2 if mt.score >= 0.6 else 1
            points.append((mt.latitude, mt.longitude, k))
        elif mt.score >= 0.5:
            ccs[mt.country_code] += 1
            points.append((mt.latitude, mt.longitude, k))
    points.sort(key=lambda p: -(mentions[p[2]].match.score))
    if not ccs:
        return [], points
    top = ccs.most_common()
    best = top[0][1]
    countries = [cc for cc, c in top if c >= max(1, best / _CONTEXT_COUNTRIES)]
    return countries, points


def _resolve_span(gaz: Gazetteer, name: str, **kw) -> tuple[Match | None, str]:
    """Resolve a span; when the whole does not resolve, try its compass-less rest and its parts."""
    m = gaz.resolve(name, **kw)
    if m is not None:
        return m, ""
    words = name.split()
    if len(words) > 1 and words[0].lower().strip(".") in COMPASS:
        m = gaz.resolve(" ".join(words[1:]), **kw)
        if m is not None:
            return m, "part"
    # "Arizona State University", "Mexican Senate": the place inside an organisation's name.
    # Everyday words ("Court", "University", "Hill") are not taken for places here.
    best, best_key = None, None
    for size in range(len(words) - 1, 0, -1):
        for a in range(0, len(words) - size + 1):
            part = words[a : a + size]
            if not part[0][:1].isupper() or part[0].lower() in CONNECTORS:
                continue
            cand = gaz.resolve(" ".join(part), **kw)
            if cand is None or cand.match_type not in ("exact", "phonetic"):
                continue
            if size == 1 and _english_word(part[0].lower().strip(".,’'")) and not _salient(cand):
                continue  # "Court", "Hill", "Center": everyday words, unless a country, a region or a big city
            key = (KIND_RANK.get(cand.feature_kind, 0), cand.population, -a)
            if best_key is None or key > best_key:
                best, best_key = cand, key
        if best is not None:
            return best, "part"
    return None, ""


def _salient(match: Match) -> bool:
    return match.feature_kind in _AREAS or match.population >= 100_000


def _resolve_in_context(gaz: Gazetteer, text: str, mentions: list[Mention], rounds: int = 2, home=()) -> None:
    """Re-resolve every mention with the evidence of the others, until nothing changes; then one sense per name.

    ``home`` is the caller's ``context=`` (countries, points), joined by the dateline's
    place when the text opens with one ("VERSAILLES, Ky. —").
    """
    home = tuple(home) + _dateline(text, mentions)
    for _ in range(rounds):
        before = [m.match.place_id if m.match else None for m in mentions]
        _context_round(gaz, text, mentions, home)
        if before == [m.match.place_id if m.match else None for m in mentions]:
            break
    _one_sense(mentions)


#: A first-pass match at least this sure is not revisited with context.
CONFIDENT = 0.9
#: At most this many context points (the most confident first).
MAX_CONTEXT_POINTS = 12
#: A dateline opens the text: its place within this many characters, then a comma, a dash or "(AP)".
_DATELINE_CHARS = 80
_DATELINE_AFTER_RE = re.compile(r"\s*(?:,|\(|—|–|-{1,2}\s|:)")
#: Between a place and its container: "Goris, Armenia", "Talin, in Armenia's", "Kapan in the
#: south of Armenia", "Hadrut, in the south-east of Nagorno-Karabakh".
_CONTAINED_RE = re.compile(
    r",?\s*(?:(?:in|near|outside|of)\s+)?(?:the\s+)?(?:(?:far\s+)?(?:north|south|east|west|central)[\w-]*"
    r"\s+(?:part\s+|region\s+)?(?:of\s+)?)?",
    re.IGNORECASE,
)
_CONTAINERS = ("country", "admin1", "admin2", "region")


def _dateline(text: str, mentions: list[Mention]) -> tuple:
    """The dateline's place as home evidence ("SPRINGFIELD, Ill. —", "KYIV (Reuters) -"), if the text has one."""
    if not mentions or mentions[0].start > _DATELINE_CHARS or mentions[0].match is None:
        return ()
    first = mentions[0]
    if not first.text.isupper() or not _DATELINE_AFTER_RE.match(text, first.end):
        return ()
    first.context_hint["dateline"] = True
    mt = first.match
    return (mt.country_code,) if mt.feature_kind in _AREAS else (mt.country_code, (mt.latitude, mt.longitude))


def _local_evidence(gaz: Gazetteer, text: str, m: Mention, nxt: Mention | None) -> dict[str, Any]:
    """What the mention's neighbourhood says: a possessive country before it, a container after it."""
    kw: dict[str, Any] = {}
    possessive = m.context_hint.get("possessive")
    if possessive:
        pc = gaz.resolve(possessive)
        if pc is not None and pc.feature_kind == "country":
            kw["country"] = pc.country_code
    # apposition and containment: "Garden City, S.C." / "Poland, Ohio" / "Orduba, in Azerbaijan's Nakhchivan"
    if nxt is not None and nxt.match is not None and nxt.match.feature_kind in _CONTAINERS and nxt.kind == "place":
        if nxt.start - m.end <= 60 and _CONTAINED_RE.fullmatch(text, m.end, nxt.start):
            kw.setdefault("country", nxt.match.country_code or None)
            if nxt.match.feature_kind != "country":
                kw["near"] = (nxt.match.latitude, nxt.match.longitude)
    if kw.get("country") is None:
        kw.pop("country", None)
    return kw


def _context_round(gaz: Gazetteer, text: str, mentions: list[Mention], home: tuple = ()) -> None:
    countries, points = _doc_evidence(mentions)
    # distinct spots (to 0.1°), most confident first, with the names that put them there:
    # a mention is never its own evidence
    by_spot: dict[tuple[float, float], tuple[tuple[float, float], set[str]]] = {}
    for lat, lon, j in points:
        key = (round(lat, 1), round(lon, 1))
        by_spot.setdefault(key, ((lat, lon), set()))[1].add(mentions[j].text.lower())
    spots = list(by_spot.values())
    ordered = sorted(range(len(mentions)), key=lambda k: mentions[k].start)
    following = {k: ordered[n + 1] for n, k in enumerate(ordered[:-1])}
    # one resolution per name and local evidence: the same name in the same setting gets the
    # same answer, and a long text costs one lookup per distinct name, not per mention
    done: dict[tuple, tuple[Match | None, str]] = {}
    for k, m in enumerate(mentions):
        kw = _local_evidence(gaz, text, m, mentions[following[k]] if k in following else None)
        m.context_hint["local"] = bool(kw)
        if not kw and not home and m.match is not None and m.match.score >= CONFIDENT:
            continue  # unambiguous on its own: the context cannot improve it, only spoil it
        name = m.lookup or m.text
        memo = (name, m.text.lower(), tuple(sorted(kw.items())))
        if memo not in done:
            same = m.text.lower()
            ctx: list[Any] = [*home, *countries]
            ctx += [pt for pt, texts in spots if same not in texts][:MAX_CONTEXT_POINTS]
            if ctx:
                kw["context"] = tuple(ctx)
            done[memo] = _resolve_span(gaz, name, **kw) if kw else (None, "")
        new, via = done[memo]
        if new is not None:
            m.match = new
            m.via = via or m.via


def _one_sense(mentions: list[Mention]) -> None:
    """One sense per name per document: a mention without evidence of its own takes the best-attested sense."""
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.match is not None:
            groups.setdefault((m.lookup or m.text).lower(), []).append(m)
    for group in groups.values():
        if len({m.match.place_id for m in group}) < 2:
            continue
        sure = [m for m in group if m.context_hint.get("local")]
        best = max(sure or group, key=lambda m: m.match.score)
        for m in group:
            if not m.context_hint.get("local"):
                m.match = best.match
