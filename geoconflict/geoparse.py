"""Geoparsing: find the place mentions in a text and resolve them with the document's context.

Detection needs no model: capitalised word sequences are looked up in the
gazetteer's name index (one pass, longest match first), and rules keep common
words, people's names and titles from becoming places. Resolution runs twice:
first each mention alone, then each again with the evidence of the others —
countries and regions the text names, where its confident places lie, a
possessive country before a name ("Azerbaijan's Nakhchivan region") and an
appositive after it ("Garden City, S.C.").

Examples
--------
>>> gdf = geoparse("A missile hit the area near Orduba, in Azerbaijan's Nakhchivan region.")
>>> for row in gdf[["mention", "name", "country_code", "feature_kind"]].values.tolist():
...     print(row)
['Orduba', 'Ordubad', 'AZ', 'town']
['Azerbaijan', 'Azerbaijan', 'AZ', 'country']
['Nakhchivan region', 'Nakhchivan Autonomous Republic', 'AZ', 'admin1']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .names import KIND_HINTS, normalize_variants
from .schema import KIND_RANK

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

    from .gazetteer import Gazetteer, Match

__all__ = ["Mention", "find_mentions", "geoparse", "sentence_spans"]

#: Words after which a capitalised name is a person's (or an office's), not a place.
TITLES = frozenset(
    """mr mrs ms miss dr prof president minister premier chancellor spokesman spokeswoman spokesperson
    general gen lt col maj capt sgt adm commander colonel major captain sergeant admiral marshal senator
    sen rep representative gov governor mayor judge justice pope king queen prince princess sheikh imam
    rabbi rev reverend father sir lord lady dame ambassador envoy secretary chairman chairwoman director
    chief officer deputy mp""".split()
)
#: Lower-case words that may sit inside a place name ("Bosnia and Herzegovina" is indexed whole).
CONNECTORS = frozenset("""of de del la le du des al el upon on am an der den di da do dos das and y""".split())
SUFFIX_WORDS = frozenset(k for k in KIND_HINTS if " " not in k)
#: Leading words a name can shed when the whole does not resolve ("South Florida").
COMPASS = frozenset(
    """north south east west northern southern eastern western central upper lower greater northeast
    northwest southeast southwest northeastern northwestern southeastern southwestern""".split()
)
MAX_TOKENS = 6
_KEEP_LOWER = CONNECTORS | SUFFIX_WORDS | TITLES
#: How much a text's own evidence counts: countries named this many times or more are "the" countries.
_CONTEXT_COUNTRIES = 3

_TOKEN_RE = re.compile(r"\w+(?:[-’'.]\w+)*\.?")
_SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n\s*")
_POSSESSIVE = ("’s", "'s", "’", "'")
#: A possessive name right before a given span ("Azerbaijan's |Nakhchivan|").
_POSSESSIVE_BEFORE_RE = re.compile(r"([A-Z][\w-]+(?: [A-Z][\w-]+)?)(?:’s|'s) $")


@dataclass(slots=True)
class _Token:
    start: int
    end: int  # without a possessive 's or a trailing dot
    norm: str
    cap: bool
    upper: bool
    dot_after: bool
    sentence: int
    sentence_start: bool
    possessive: bool


@dataclass
class Mention:
    """A place mention: its span, and the match it resolved to (None when unresolved)."""

    start: int
    end: int
    text: str
    sentence: int
    match: Match | None = None
    reason: str = ""
    via: str = ""  # "part" when resolved through a part of its name ("Arizona State University")
    context_hint: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=200_000)
def _fold_token(word: str) -> str:
    return normalize_variants(word)[0]


@lru_cache(maxsize=50_000)
def _common_word(word: str) -> bool:
    """True for everyday English words ("Police", "Reading", "Ill") that are also place names."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - optional refinement
        return False
    return zipf_frequency(word, "en") >= 4.0


@lru_cache(maxsize=50_000)
def _english_word(word: str) -> bool:
    """True for words English uses at all (zipf >= 3), place names of note aside."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover
        return False
    return zipf_frequency(word, "en") >= 3.0


#: The longest "sentence": text without full stops (a pasted list, a table, a base64 blob) is cut at a
#: space near this length, so each mention's sentence, and the work done per sentence, stay bounded.
MAX_SENTENCE_CHARS = 1000


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``; the spans cover the whole text.

    A sentence longer than :data:`MAX_SENTENCE_CHARS` is cut into pieces of at most that
    length, at a space where there is one.

    Examples
    --------
    >>> text = "Shells hit Tartar. Two were hurt."
    >>> [text[a:b].strip() for a, b in sentence_spans(text)]
    ['Shells hit Tartar.', 'Two were hurt.']
    >>> max(b - a for a, b in sentence_spans("Kapan, Goris, " * 1000)) <= MAX_SENTENCE_CHARS
    True
    """
    spans, start = [], 0
    for m in _SENTENCE_END_RE.finditer(text):
        spans += _bounded(text, start, m.end())
        start = m.end()
    if start < len(text):
        spans += _bounded(text, start, len(text))
    return spans or [(0, len(text))]


def _bounded(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """The span ``a:b`` in pieces of at most :data:`MAX_SENTENCE_CHARS`, cut after a space when one is near."""
    out = []
    while b - a > MAX_SENTENCE_CHARS:
        space = text.rfind(" ", a + MAX_SENTENCE_CHARS // 2, a + MAX_SENTENCE_CHARS)
        cut = space + 1 if space >= 0 else a + MAX_SENTENCE_CHARS
        out.append((a, cut))
        a = cut
    out.append((a, b))
    return out


def _tokenize(text: str, sentences: list[tuple[int, int]]) -> list[_Token]:
    """The tokens detection looks at: capitalised words and the small words that join or follow names.

    Other lower-case words are skipped; the gap they leave keeps names apart.
    """
    tokens = []
    keep_lower = _KEEP_LOWER
    n = len(text)
    for si, (a, b) in enumerate(sentences):
        first = True
        for m in _TOKEN_RE.finditer(text, a, b):
            word = m.group()
            c0 = word[0]
            if not c0.isupper():
                low = word.rstrip(".").lower()
                if low not in keep_lower:
                    first = False
                    continue
            start, end = m.start(), m.end()
            dot = word.endswith(".")
            if dot:
                word, end = word[:-1], end - 1
            possessive = False
            if "'" in word or "’" in word:
                for p in _POSSESSIVE:
                    if word.endswith(p) and len(word) > len(p) + 1:
                        word, end, possessive = word[: -len(p)], end - len(p), True
                        break
            if not word:
                continue
            tokens.append(
                _Token(
                    start,
                    end,
                    _fold_token(word),
                    c0.isupper(),
                    len(word) > 1 and word.isupper(),
                    dot or (end < n and text[end] == "."),
                    si,
                    first,
                    possessive,
                )
            )
            first = False
    return tokens


def _adjacent(text: str, a: _Token, b: _Token) -> bool:
    """Two tokens belong to one name only when separated by spaces or a hyphen."""
    gap = text[a.end : b.start]
    return a.sentence == b.sentence and not a.possessive and (gap == " " or gap == "-" or gap == ". ")


class _Detector:
    """Longest-match lookup of capitalised word sequences in the gazetteer's name index."""

    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer
        self.trie = gazetteer.name_keys

    def spans(self, text: str, tokens: list[_Token]) -> list[tuple[int, int]]:
        trie = self.trie
        out = []
        i, n = 0, len(tokens)
        while i < n:
            t = tokens[i]
            if not t.cap or t.norm in CONNECTORS:
                i += 1
                continue
            best = None
            key = t.norm
            j = i + 1
            while True:
                last = tokens[j - 1]
                if last.norm not in CONNECTORS:
                    if key in trie:
                        best = j
                    elif j - i > 1 and last.norm in SUFFIX_WORDS:
                        stem = key.rsplit(" ", 1)[0]
                        if stem in trie:
                            best = j
                if j >= n or j - i >= MAX_TOKENS:
                    break
                nxt = tokens[j]
                if not _adjacent(text, last, nxt):
                    break
                if not (nxt.cap or nxt.norm in CONNECTORS or nxt.norm in SUFFIX_WORDS):
                    break
                key = f"{key} {nxt.norm}"
                if next(trie.iterkeys(key), None) is None and nxt.norm not in SUFFIX_WORDS:
                    break
                j += 1
            if best is None:
                i += 1
                continue
            out.append((i, best))
            i = best
        return out


def _lowercase_words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"\b[a-z][a-z]+\b", text))


_AREAS = ("country", "continent", "region", "admin1")
#: Capitalised words that follow a place inside the name of something there ("Kapan Airport").
NAME_PART_WORDS = frozenset(
    """airport station university college school hospital times post news club fc city street square
    avenue road bridge stadium arena dam reservoir lake river valley mountains mountain border front
    police army government council parliament assembly court prison base port harbour harbor bay
    district region province oblast raion rayon governorate highway corridor airbase market mosque
    church cathedral monastery museum centre center hotel park plant factory refinery pipeline""".split()
)


def _keep(
    text: str, tokens: list[_Token], i: int, j: int, match: Match, lower_words: frozenset[str], gaz_keys=frozenset()
) -> bool:
    """The rules that keep common words, people and titles from becoming places."""
    first = tokens[i]
    prev = tokens[i - 1] if i > 0 and tokens[i - 1].sentence == first.sentence else None
    if prev is not None and prev.norm in TITLES and prev.end <= first.start and not prev.possessive:
        gap = text[prev.end : first.start]
        if gap.strip(" .") == "":
            return False  # "President Vladimir Putin", "spokesperson Anna Petrosyan"
    area = match.feature_kind in _AREAS
    big = area or match.population >= 100_000
    if prev is not None and prev.cap and not area and _adjacent(text, prev, first) and prev.norm not in COMPASS:
        # the tail of a longer proper name: "Security Council", "David Smith", "OSCE Minsk Group"
        return False
    if j - i > 1:
        words = [text[t.start : t.end].lower() for t in tokens[i:j]]
        if all(w in CONNECTORS or _common_word(w) for w in words):
            return big and not first.sentence_start  # "Red Cross", "Central Park": everyday words
        return True
    nxt = tokens[j] if j < len(tokens) and tokens[j].sentence == first.sentence else None
    return _keep_word(text, first, nxt, match, area, big, lower_words, gaz_keys)


def _keep_word(
    text: str,
    token: _Token,
    nxt: _Token | None,
    match: Match,
    area: bool,
    big: bool,
    lower_words: frozenset[str],
    gaz_keys: frozenset[str],
) -> bool:
    """The rules for a one-word name: titles, codes, abbreviations, first names, everyday words."""
    word = text[token.start : token.end]
    if token.norm in TITLES:
        return False  # "Ms", "Gen", "Gov" are titles even when a place shares the letters
    if match.is_code and not match.is_abbreviation:  # an identifier, not a name
        return False
    if token.upper and len(word) <= 3:
        # "US", "UK", "EU" are abbreviations; "AM", "OK" are not places
        return match.is_abbreviation
    if match.is_abbreviation and not token.upper and not token.dot_after:
        return False  # "Calif." and "Ill." are written with their dot; "Ill" alone is a word
    if not area and _is_first_name(text, token, nxt, match, gaz_keys):
        return False
    return _keep_everyday_word(token, word, match, area, big, lower_words)


def _is_first_name(text: str, token: _Token, nxt: _Token | None, match: Match, gaz_keys: frozenset[str]) -> bool:
    """A town's name written as a person's first name, followed by a capitalised word of that name."""
    if nxt is None or not nxt.cap or not _adjacent(text, token, nxt) or nxt.norm in SUFFIX_WORDS:
        return False
    if not match.is_own_name:
        return True  # "David Smith": a first name that is some town's other name
    # "Vladimir Putin", "Florence Nightingale": a first name, followed by a surname; not
    # "Kapan Airport" (a place inside a name) nor two places side by side
    return (
        match.population < 1_000_000
        and nxt.norm not in TITLES
        and nxt.norm not in NAME_PART_WORDS
        and _fold_token(text[nxt.start : nxt.end]) not in gaz_keys
    )


def _keep_everyday_word(
    token: _Token, word: str, match: Match, area: bool, big: bool, lower_words: frozenset[str]
) -> bool:
    """A one-word name that English also uses as a word: only big places, and areas, survive."""
    lower = word.lower()
    if len(word) <= 4 and not token.upper and _common_word(lower) and not token.dot_after:
        return match.feature_kind in ("country", "continent", "region") and not match.is_abbreviation
    if lower in lower_words or _common_word(lower):
        # "Police said", "on Thursday", "Reading the report": a capital is no sign of a
        # place for an everyday word; only big places survive, and at the start of a
        # sentence only areas the text never writes in lower case
        if token.sentence_start:
            return area and lower not in lower_words
        return big
    if token.sentence_start and not big and _english_word(lower):
        return False  # "Artillery duels continued": a sentence's first word, a hamlet's name
    return True


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


def find_mentions(
    text: str,
    *,
    gazetteer: Gazetteer | None = None,
    mentions: Sequence[tuple[int, int]] | None = None,
    demonyms: bool = False,
) -> list[Mention]:
    """Detect (or take) the place mentions of ``text`` and resolve them in context.

    This is :func:`geoparse` without the GeoDataFrame: a list of :class:`Mention`,
    unresolved ones included (with ``reason``).

    Examples
    --------
    >>> [(m.text, m.match.name) for m in find_mentions("Rockets fell on Goris and Sisian overnight.")]
    [('Goris', 'Goris'), ('Sisian', 'Sisian')]
    >>> m = find_mentions("Zzyzzyqx was shelled.", mentions=[(0, 8)])[0]
    >>> m.match is None, bool(m.reason)
    (True, True)
    """
    return _find_mentions(text, sentence_spans(text), gazetteer, mentions, demonyms)


def _find_mentions(
    text: str,
    sentences: list[tuple[int, int]],
    gazetteer: Gazetteer | None,
    mentions: Sequence[tuple[int, int]] | None,
    demonyms: bool,
) -> list[Mention]:
    from .gazetteer import Gazetteer

    gaz = gazetteer or Gazetteer.default()
    out = _detect(gaz, text, sentences) if mentions is None else _take(gaz, text, sentences, mentions)
    _resolve_in_context(gaz, text, out)
    for m in out:
        if m.match is None and not m.reason:
            m.reason = gaz.reason(m.text) or "no place found"
    if not demonyms and mentions is None:
        out = [m for m in out if m.match is None or not m.match.is_demonym]
    return out


def _detect(gaz: Gazetteer, text: str, sentences: list[tuple[int, int]]) -> list[Mention]:
    """The mentions detection finds: the longest indexed names the rules of :func:`_keep` accept."""
    tokens = _tokenize(text, sentences)
    lower_words = _lowercase_words(text)
    keys = gaz.name_keys
    out: list[Mention] = []
    for i, j in _Detector(gaz).spans(text, tokens):
        a, b = tokens[i].start, tokens[j - 1].end
        name = text[a:b]
        m = gaz.resolve(name)
        if m is None or not _keep(text, tokens, i, j, m, lower_words, keys):
            continue
        mention = Mention(a, b, name, tokens[i].sentence, m)
        if i > 0 and tokens[i - 1].possessive and tokens[i - 1].sentence == tokens[i].sentence:
            mention.context_hint["possessive"] = text[tokens[i - 1].start : tokens[i - 1].end]
        out.append(mention)
    return out


def _take(
    gaz: Gazetteer, text: str, sentences: list[tuple[int, int]], mentions: Sequence[tuple[int, int]]
) -> list[Mention]:
    """The caller's spans, resolved alone (and through their parts), unresolved ones kept."""
    import bisect

    starts = [s for s, _ in sentences]
    out: list[Mention] = []
    for a, b in mentions:
        if not (0 <= a < b <= len(text)):
            raise ValueError(f"mention span ({a}, {b}) is outside the text (length {len(text)})")
        name = text[a:b]
        m, via = _resolve_span(gaz, name)
        out.append(Mention(a, b, name, bisect.bisect_right(starts, a) - 1, m, via=via))
        if a > 2:
            before = text[max(0, a - 40) : a]
            pm = _POSSESSIVE_BEFORE_RE.search(before)
            if pm:
                out[-1].context_hint["possessive"] = pm.group(1)
    return out


def _resolve_in_context(gaz: Gazetteer, text: str, mentions: list[Mention], rounds: int = 2) -> None:
    """Re-resolve every mention with the evidence of the others, until nothing changes."""
    for _ in range(rounds):
        before = [m.match.place_id if m.match else None for m in mentions]
        _context_round(gaz, text, mentions)
        if before == [m.match.place_id if m.match else None for m in mentions]:
            break


#: A first-pass match at least this sure is not revisited with context.
CONFIDENT = 0.9
#: At most this many context points (the most confident first).
MAX_CONTEXT_POINTS = 12


def _context_round(gaz: Gazetteer, text: str, mentions: list[Mention]) -> None:
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
    for k, m in enumerate(mentions):
        kw: dict[str, Any] = {}
        possessive = m.context_hint.get("possessive")
        if possessive:
            pc = gaz.resolve(possessive)
            if pc is not None and pc.feature_kind == "country":
                kw["country"] = pc.country_code
        # appositive: "Garden City, S.C." / "Poland, Ohio" / "Orduba, in Azerbaijan's Nakhchivan"
        nxt = mentions[following[k]] if k in following else None
        if (
            nxt is not None
            and nxt.match is not None
            and nxt.match.feature_kind in ("country", "admin1", "admin2", "region")
        ):
            if re.fullmatch(r",\s*(?:in\s+)?", text[m.end : nxt.start]):
                kw.setdefault("country", nxt.match.country_code or None)
                if nxt.match.feature_kind != "country":
                    kw["near"] = (nxt.match.latitude, nxt.match.longitude)
        if kw.get("country") is None:
            kw.pop("country", None)
        if not kw and m.match is not None and m.match.score >= CONFIDENT:
            continue  # unambiguous on its own: the context cannot improve it, only spoil it
        ctx: list[Any] = list(countries)
        same = m.text.lower()
        ctx += [pt for pt, texts in spots if same not in texts][:MAX_CONTEXT_POINTS]
        if ctx:
            kw["context"] = tuple(ctx)
        if not kw:
            continue
        new, via = _resolve_span(gaz, m.text, **kw)
        if new is not None:
            m.match = new
            m.via = via or m.via


@lru_cache(maxsize=1)
def _wgs84():
    from pyproj import CRS

    return CRS.from_epsg(4326)


COLUMNS = [
    "mention",
    "start",
    "end",
    "sentence",
    "name",
    "country_code",
    "admin1",
    "feature_kind",
    "match_score",
    "match_type",
    "latitude",
    "longitude",
    "gazetteer_source",
    "source_id",
    "date",
    "source",
]


def geoparse(
    text: str,
    *,
    gazetteer: Gazetteer | None = None,
    date: Any = None,
    source: str | None = None,
    mentions: Sequence[tuple[int, int]] | None = None,
    demonyms: bool = False,
    areas: bool = True,
) -> geopandas.GeoDataFrame:
    """Find and place every place mention of a text, offline.

    Parameters
    ----------
    text : str
        The text (a news article, a report).
    gazetteer : Gazetteer, optional
        Defaults to :meth:`Gazetteer.default`.
    date, source : optional
        Copied into the ``date`` and ``source`` columns (the document's date and origin).
    mentions : sequence of (start, end), optional
        Spans found by someone else (your NER, an annotator): they are resolved
        with the same document context instead of being detected. A span nothing
        resolves is listed in ``attrs["unresolved"]`` with the reason.
    demonyms : bool
        Also return demonyms ("Armenian forces") as mentions of their country.
    areas : bool
        Use a region's or country's area as its geometry (else its representative point).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per located mention, in text order, EPSG:4326, with the columns
        ``mention, start, end, sentence, name, country_code, admin1, feature_kind,
        match_score, match_type, latitude, longitude, gazetteer_source, source_id,
        date, source, geometry``. ``attrs["unresolved"]`` lists spans that could not
        be placed, with the reason.

    Examples
    --------
    >>> gdf = geoparse("Volunteers gathered in Talin and Garni before travelling east.")
    >>> gdf["country_code"].tolist()
    ['AM', 'AM']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    sentences = sentence_spans(text)
    found = _find_mentions(text, sentences, gazetteer, mentions, demonyms)
    return _frame(text, sentences, found, date, source, areas)


def _frame(
    text: str, sentences: list[tuple[int, int]], found: list[Mention], date: Any, source: Any, areas: bool
) -> geopandas.GeoDataFrame:
    """The located mentions as a GeoDataFrame (:data:`COLUMNS`), the others in ``attrs["unresolved"]``."""
    import geopandas as gpd
    import pandas as pd
    from shapely import Point

    rows, geoms, unresolved = [], [], []
    for m in found:
        mt = m.match
        if mt is None:
            unresolved.append({"mention": m.text, "start": m.start, "end": m.end, "reason": m.reason})
            continue
        a, b = sentences[m.sentence] if 0 <= m.sentence < len(sentences) else (m.start, m.end)
        rows.append(
            (  # in the order of COLUMNS
                m.text,
                m.start,
                m.end,
                text[a:b].strip(),
                mt.name,
                mt.country_code,
                mt.admin1,
                mt.feature_kind,
                mt.score,
                m.via if m.via else mt.match_type,
                mt.latitude,
                mt.longitude,
                mt.source,
                mt.source_id,
                date,
                source,
            )
        )
        geoms.append(mt.geometry if (areas and mt.is_area) else Point(mt.longitude, mt.latitude))
    values = zip(*rows, strict=True) if rows else ([] for _ in COLUMNS)
    frame = pd.DataFrame(dict(zip(COLUMNS, map(list, values), strict=True)))
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, index=frame.index, crs=_wgs84()), copy=False)
    gdf.attrs["unresolved"] = unresolved
    return gdf


def geoparse_many(texts: Iterable[str], **kwargs) -> geopandas.GeoDataFrame:
    """:func:`geoparse` over many texts, one frame with a ``doc`` column (the text's position)."""
    import geopandas as gpd
    import pandas as pd

    frames, unresolved = [], []
    for k, t in enumerate(texts):
        g = geoparse(t, **kwargs)
        g.insert(0, "doc", k)
        frames.append(g)
        unresolved += [{"doc": k, **u} for u in g.attrs["unresolved"]]
    if not frames:
        return geoparse("", **kwargs)
    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
    out.attrs["unresolved"] = unresolved
    return out
