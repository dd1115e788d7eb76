"""Incidents from news text: where an attack is reported, when, how many were hurt, who claims it, who denies it.

Built on :func:`geoconflict.geoparse.find_mentions`. Each sentence is read into an
event frame: the trigger (ACLED's event types and sub-types), the places hit (each its
own incident; origins and reference places kept as columns), the attacker, the dead
and the wounded, the date and how precise it is, and who says so. A later sentence
that only names the source ("…, the governor said"), counts the casualties or denies
the attack attaches to the incident before it; vaguer references to the same attack
("the attack on the Nakhchivan Autonomous Republic") join it instead of becoming new
ones; statements, talks, protests and interceptions that hit nothing are no incidents.
English and Russian. The cost is linear in the length of the text.

Examples
--------
>>> text = ("Azerbaijan's Defence Ministry said a missile fired by Armenian forces hit the area "
...         "near Orduba, in Azerbaijan's Nakhchivan region, on Thursday, causing no casualties. "
...         "Armenia's Defence Ministry denied that any missile was fired at the Nakhchivan region.")
>>> inc = extract_incidents(text, date="2020-10-16")
>>> row = inc.iloc[0]
>>> row["location"], row["admin1"], str(row["event_date"].date()), row["claim_status"]
('Orduba', 'Nakhchivan Autonomous Republic', '2020-10-15', 'disputed')
>>> row["claimed_by"], row["disputed_by"], int(row["fatalities"]), row["claim_source_kind"]
("Azerbaijan's Defence Ministry", "Armenia's Defence Ministry", 0, 'military')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as _date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..geoparse import Mention, find_mentions, sentence_spans
from ..schema import KIND_PRECISION, KIND_RANK, NAMED_PLACE_PRECISION, PRECISION_RADIUS_KM
from . import _lexicon as lx
from ._counts import casualties
from ._dates import doc_date, event_date
from ._places import Place, candidate_spans, contains, dateline_place, datelines, is_party, placeable, targets
from ._speakers import acled_actor, attacker, claims, denials, opponent, source_kind
from ._speakers import short_name as _short_name

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

    from ..gazetteer import Gazetteer

__all__ = ["EVENT_TYPES", "extract_incidents"]

EVENT_TYPES = lx.EVENT_TYPES
_CAPITAL = re.compile(r"[A-ZА-ЯЁ]")
_BOILERPLATE = re.compile(r"^\s*(?:READ MORE|Read more|Related|See also|Also read|Watch)\b[:\s]")
#: How many sentences apart a reference, a source or a denial may be from its incident.
_LINK_WINDOW = 8


@dataclass
class _Sentence:
    """One sentence's event frame: what the sentence says, before it becomes incidents."""

    index: int
    start: int
    text: str
    kind: tuple[str, str] | None
    claims: list[tuple[int, str]]
    denials: list[tuple[int, str | None]]
    fatalities: int | None
    injuries: int | None
    when: tuple[Any, str, str | None]
    russian: bool


@dataclass
class _Incident:
    place: Place
    sentence_index: int
    sentence: str
    event_type: str
    sub_event_type: str
    precision: int
    event_date: Any
    date_basis: str
    date_precision: str | None
    claimed_by: str | None
    attacker: str | None
    opponent: str | None
    fatalities: int | None
    injuries: int | None
    admin1: str
    origin: str | None = None
    related: list[str] = field(default_factory=list)
    disputed_by: list[str] = field(default_factory=list)
    confirmed_by: list[str] = field(default_factory=list)
    #: (sentence, offset) of the first report of the incident, which orders the table
    first_seen: tuple[int, int] = (0, 0)

    @property
    def mention(self) -> Mention:
        return self.place.mention


def extract_incidents(
    text: str,
    *,
    date: Any = None,
    source: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> geopandas.GeoDataFrame:
    """Extract attack incidents from a news text (English or Russian).

    Parameters
    ----------
    text : str
        The article.
    date : date-like, optional
        The article's date; relative words ("on Thursday", "yesterday", "over the
        weekend", "вчера") are resolved against it. Without it, only explicit dates are found.
    source : str, optional
        Where the text comes from (kept in the ``source`` column).
    gazetteer : Gazetteer, optional

    Returns
    -------
    geopandas.GeoDataFrame
        One row per incident, EPSG:4326, with ACLED-compatible columns
        (``event_date, event_type, sub_event_type, actor1, location, admin1,
        country_code, latitude, longitude, geo_precision, fatalities, source,
        notes``) and ``injuries``, ``actor1_acled`` (an ACLED-style actor name),
        ``date_precision`` (day / overnight / weekend / week / document), ``date_basis``,
        ``claimed_by`` (the source as written), ``claim_source_kind`` (government,
        military, local official, armed group, UN/NGO, media, company, anonymous),
        ``claim_status`` (reported / claimed / disputed / confirmed), ``disputed_by``,
        ``confirmed_by``, ``origin`` and ``reference`` (places named as where the attack
        came from and what its place is given relative to), ``offset_km``,
        ``offset_bearing``, ``location_radius_km``, ``sentence``, ``related_sentences``,
        ``mention``, ``matched_name``, ``match_score``, ``dataset`` ("text").

    Examples
    --------
    >>> inc = extract_incidents("Shelling hit Tartar on Monday, killing two civilians.", date="2020-10-16")
    >>> inc[["location", "event_date", "fatalities", "claim_status"]].astype(str).values.tolist()
    [['Tartar', '2020-10-12', '2', 'reported']]
    >>> inc = extract_incidents("Drones struck a depot 15 km south of Kramatorsk, military sources said.")
    >>> r = inc.iloc[0]
    >>> r["reference"], float(r["offset_km"]), bool(r["latitude"] < 48.7), r["claim_source_kind"]
    ('Kramatorsk', 15.0, True, 'anonymous')
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    doc = doc_date(date)
    spans = _sentences(text)
    frames = _read_sentences(text, spans, doc)
    lines = datelines(text)
    by_sentence = _mentions_by_sentence(_relevant_text(text, spans, frames, lines), spans, frames, lines, gazetteer)
    found = _sentence_incidents(text, frames, by_sentence, lines)
    _link_sentences(found, frames)
    incidents = _merge_references(found)
    _attach_denials(text, incidents, frames, by_sentence)
    return _frame(incidents, source, gazetteer)


#: A sentence the geoparser ends after an abbreviation ("Three U.S. | service members were killed").
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:[A-Z]\.){2,}|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|St|Gov|Sen|Rep|No|Adm)\.)\s*$"
)


def _sentences(text: str) -> list[tuple[int, int]]:
    """The geoparser's sentences, joined again where one ended on an abbreviation followed by a lower-case word."""
    out: list[tuple[int, int]] = []
    for a, b in sentence_spans(text):
        if out and _ABBREVIATION_END.search(text[out[-1][0] : out[-1][1]]) and text[a : a + 1].islower():
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _relevant_text(
    text: str, spans: list[tuple[int, int]], frames: list[_Sentence], lines: list[tuple[int, int]]
) -> str:
    """The text with every sentence blanked that neither reports an attack, denies one nor holds a dateline.

    Only those sentences' places are ever used, and geoparsing is most of the cost: a
    sentence of background costs one scan. Offsets stay those of the text (blanks keep
    the length; line breaks stay, so paragraphs do).
    """
    keep = {f.index for f in frames if f.kind is not None or f.denials}
    if lines:
        import bisect

        starts = [a for a, _ in spans]
        keep |= {bisect.bisect_right(starts, a) - 1 for a, _ in lines}
    if len(keep) == len(spans):
        return text
    parts = []
    for si, (a, b) in enumerate(spans):
        parts.append(text[a:b] if si in keep else _BLANK.sub(" ", text[a:b]))
    return "".join(parts)


_BLANK = re.compile(r"[^\n]")


def _mentions_by_sentence(
    text: str,
    spans: list[tuple[int, int]],
    frames: list[_Sentence],
    lines: list[tuple[int, int]],
    gazetteer: Gazetteer | None,
) -> dict[int, list[Mention]]:
    """The located place mentions of the text, by sentence index (of ``spans``, the original text's sentences).

    Detection finds the names the gazetteer spells as written; a name right after a
    locative word ("in Mykolaiv", "north of El Obeid") or in a dateline that detection
    missed is resolved too, as the caller's span (misspellings and transliterations).
    """
    import bisect

    found = [m for m in find_mentions(text, gazetteer=gazetteer) if m.match is not None]
    attack_spans = [spans[f.index] for f in frames if f.kind is not None]
    extra = candidate_spans(text, found, attack_spans, lines)
    if extra:
        context = [(m.start, m.end) for m in found if m.match.feature_kind == "country"]
        more = find_mentions(text, gazetteer=gazetteer, mentions=context + extra)
        taken = set(extra)
        named = {m.match.country_code for m in found if m.match.match_type != "fuzzy"} - {""}
        found = _widen(found, [m for m in more if (m.start, m.end) in taken and _confident(m, named)])
    starts = [a for a, _ in spans]
    by_sentence: dict[int, list[Mention]] = {}
    for m in sorted(found, key=lambda m: m.start):
        m.sentence = bisect.bisect_right(starts, m.start) - 1  # blanks may have moved the geoparser's sentences
        by_sentence.setdefault(m.sentence, []).append(m)
    return by_sentence


def _widen(found: list[Mention], more: list[Mention]) -> list[Mention]:
    """The detected mentions and the caller's spans resolved; a span holding detected names replaces them.

    The geoparser may take the last part of a longer name ("Zor" of "Deir ez-Zor", resolved
    to Az Zawr): the whole name, resolved as spelled or as it sounds, is the place. A fuzzy
    whole, or one placed only through a part of it, does not beat the parts.
    """
    import bisect

    found = sorted(found, key=lambda m: m.start)
    starts = [m.start for m in found]
    dropped: set[int] = set()
    out = []
    for m in more:
        lo, hi = bisect.bisect_left(starts, m.start), bisect.bisect_left(starts, m.end)
        inner = [k for k in range(lo, hi) if found[k].end <= m.end]
        if inner and (m.match.match_type == "fuzzy" or m.via == "part"):
            continue
        dropped.update(inner)
        out.append(m)
    return [m for k, m in enumerate(found) if k not in dropped] + out


#: A fuzzy match this good is a caller's span resolved, whatever else the text says. The gazetteer's
#: score is the spelling's closeness times how clearly the place beat a distant namesake, so a
#: transliteration of a well-known city ("Hodeidah" for Al Ḩudaydah, 0.74) scores below it.
_FUZZY_ALONE = 0.8
#: Below that, down to this, a fuzzy match counts when it is a city a report names on its own, or
#: lies in a country the text's exact names are in ("Mugunga" near Goma is not Mununga, Zambia).
_FUZZY_FLOOR = 0.6
_CITY_POPULATION = 100_000


def _confident(m: Mention, countries: set[str] = frozenset()) -> bool:
    """A caller's span resolved well enough to place an attack (a distant fuzzy namesake is not).

    ``countries``: the country codes of the places the text names exactly.
    """
    mt = m.match
    if mt is None or mt.is_demonym or m.kind == "demonym" or mt.feature_kind == "continent":
        return False  # "Syrian and Russian warplanes": a side, not a place
    if mt.match_type != "fuzzy" or mt.score >= _FUZZY_ALONE:
        return True
    return mt.score >= _FUZZY_FLOOR and (mt.population >= _CITY_POPULATION or mt.country_code in countries)


def _event_kind(sentence: str) -> tuple[str, str] | None:
    """The ACLED type and sub-type of the first trigger; None for talks, statements and interceptions."""
    low = lx.low(sentence)
    found = [int(m.lastgroup[1:]) for m in lx.ANY_TRIGGER.finditer(low) if not _is_name(sentence, m.start(), m.end())]
    if found and not lx.WAR_WORDS.search(low):
        found = [k for k in found if k not in lx.WEAK_TRIGGERS]  # "prices hit a record", "a court battle"
    if not found or (lx.NOT_AN_EVENT.search(low) and not lx.HIT.search(low)):
        return None
    first = min(found)
    return lx.EVENT_TYPES[first][1], lx.EVENT_TYPES[first][2]


def _is_name(sentence: str, start: int, end: int) -> bool:
    """A trigger word written as a name inside a sentence ("Shell", "the Houston Rockets"), not an acronym."""
    word = sentence[start:end]
    before = sentence[:start].rstrip()
    opens = not before or before.endswith(("—", "–", "-", ":", '"', "“", "(", "."))  # a dateline, a quote
    return word[0].isupper() and not word.isupper() and not opens


def _read_sentences(text: str, spans: list[tuple[int, int]], doc: _date | None) -> list[_Sentence]:
    """Every sentence's event frame (boilerplate lines left out)."""
    frames: list[_Sentence] = []
    previous = None  # (date, offset, precision) of the paragraph's last dated event
    last_dated = None  # the text's last event date, for "the same day"
    last_attack = -10
    for si, (a, b) in enumerate(spans):
        raw = text[a:b]
        sentence = raw.strip()
        if not sentence or _BOILERPLATE.match(sentence):
            continue
        start = a + (len(raw) - len(raw.lstrip()))
        kind = _event_kind(sentence)
        if kind is not None:
            last_attack = si
        # counts matter in an attack sentence and the two after it (which lend theirs)
        dead, hurt = casualties(sentence) if si - last_attack <= 2 else (None, None)
        if previous is not None and "\n\n" in text[previous[1] : a]:
            previous = None  # a new paragraph, a new story
        when = _sentence_date(sentence, kind, doc, previous, last_dated)
        if kind is not None and _background(sentence, doc, when):
            kind, when = None, (None, "", None)
        if kind is not None and when[2] != "document" and not when[1].startswith("the previous"):
            previous, last_dated = (when[0], a, when[2]), when[0]
        frames.append(
            _Sentence(
                si,
                start,
                sentence,
                kind,
                claims(sentence),
                denials(sentence),
                dead,
                hurt,
                when,
                bool(re.search(r"[а-яё]{3}", sentence, re.I)),
            )
        )
    return frames


_PAST_YEAR = re.compile(r"\b(?:in|since|during|of)\s+((?:19|20)\d\d)\b|(?<!\w)в\s+((?:19|20)\d\d)", re.I)


def _background(sentence: str, doc: _date | None, when: tuple[Any, str, str | None]) -> bool:
    """ "In 2020, forces shelled Stepanakert for weeks": a past year and no day is background, not today's report."""
    if doc is None or when[2] != "document":
        return False
    m = _PAST_YEAR.search(sentence)
    return bool(m) and int(m.group(1) or m.group(2)) < doc.year


def _sentence_date(sentence: str, kind, doc: _date | None, previous, last_dated) -> tuple[Any, str, str | None]:
    """An attack sentence's date; one with none of its own takes the paragraph's last ("the previous sentence's")."""
    if kind is None:
        return None, "", None  # only an attack sentence needs a date (a later one lends its source, not a date)
    if last_dated is not None and lx.SAME_DAY.search(lx.low(sentence)):
        return last_dated, "relative: the same day as the previous event", "day"
    when = event_date(sentence, doc, previous and previous[0])
    if when[2] == "document" and previous is not None:
        return previous[0], "the previous sentence's date", previous[2]
    return when


def _sentence_incidents(
    text: str, frames: list[_Sentence], by_sentence: dict[int, list[Mention]], spans: list[tuple[int, int]]
) -> list[_Incident]:
    """One incident per place each attack sentence puts the attack at (``spans``: the datelines)."""
    starts = {a for a, _ in spans}
    dateline_mentions = {m.start: m for ms in by_sentence.values() for m in ms if m.start in starts}
    named: list[str] = []  # the speakers named so far, for "the ministry said" and "it said"
    found: list[_Incident] = []
    for f in frames:
        claimant = _claimant(f, named)
        named += [w for _, w in f.claims if w != "it" and _CAPITAL.search(w)]
        del named[: -_LINK_WINDOW * 2]
        if f.kind is None:
            continue
        here = placeable(text, by_sentence.get(f.index, []), spans)
        places, origins = targets(text, f.start, here, f.russian)
        if not places:
            home = dateline_place(dateline_mentions, spans, f.start)
            if home is None or not _in_dateline_story(text, home, f):
                continue
            places = [Place(home, home.match.latitude, home.match.longitude, dateline=True)]
        regions = [m for m in here if m.match.is_area]
        sides = attacker(f.text), None
        sides = sides[0], opponent(f.text, sides[0])
        found += [_incident(f, p, claimant, sides, origins, regions) for p in places]
    return found


def _in_dateline_story(text: str, home: Mention, f: _Sentence) -> bool:
    """Does the sentence belong to the dateline's story: its paragraph, or "the city"/"the town"?"""
    between = text[home.end : f.start]
    return "\n\n" not in between or bool(re.search(r"\bthe (?:city|town|village|port|camp)\b", f.text))


def _claimant(f: _Sentence, named: list[str]) -> str | None:
    """The sentence's source; "it"/"the ministry" is the last source named with that word."""
    if not f.claims:
        return None
    who = f.claims[0][1]
    if who == "it":
        return named[-1] if named else None
    if not _CAPITAL.search(who):
        head = who.split()[-1].lower()
        # the last few names only: a long text's early speakers are not what "the ministry" refers to
        return next((c for c in reversed(named[-_LINK_WINDOW * 2 :]) if head in c.lower()), who)
    return who


def _incident(
    f: _Sentence,
    p: Place,
    claimant: str | None,
    sides: tuple[str | None, str | None],
    origins: list[str],
    regions: list[Mention],
) -> _Incident:
    """One incident: the sentence's frame at one of its places."""
    when, basis, precision = f.when
    return _Incident(
        place=p,
        sentence_index=f.index,
        sentence=f.text,
        event_type=f.kind[0],
        sub_event_type=f.kind[1],
        precision=_precision(p),
        event_date=when,
        date_basis=basis,
        date_precision=precision,
        claimed_by=claimant,
        attacker=sides[0],
        opponent=sides[1],
        fatalities=f.fatalities,
        injuries=f.injuries,
        admin1=_admin1(p.mention, regions),
        origin="; ".join(origins) or None,
        first_seen=(f.index, p.mention.start),
    )


def _precision(p: Place) -> int:
    """The place's kind on the precision scale; "near X" or an offset makes an exact town "near a named place"."""
    precision = KIND_PRECISION.get(p.mention.match.feature_kind, NAMED_PLACE_PRECISION)
    if precision == 1 and (p.near or p.dateline):
        precision = NAMED_PLACE_PRECISION
    return precision


def _admin1(m: Mention, regions: list[Mention]) -> str:
    """The province or region the sentence puts the place in ("Orduba, in Nakhchivan"), else the gazetteer's."""
    holder = next(
        (r for r in regions if r is not m and contains(r, m) and r.match.feature_kind in ("admin1", "region")),
        None,
    )
    return holder.match.name if holder else m.match.admin1


def _link_sentences(found: list[_Incident], frames: list[_Sentence]) -> None:
    """A sentence with no incident of its own lends its source, counts and confirmation to the incidents before it.

    "Four more people were wounded, the regional governor said." names the source of
    the strike the sentence before reported; "Погибших нет." counts its dead.
    """
    by_index: dict[int, list[_Incident]] = {}
    for inc in found:
        by_index.setdefault(inc.sentence_index, []).append(inc)
    last: list[_Incident] = []
    for f in frames:
        if f.index in by_index:
            last = by_index[f.index]
            continue
        if not last or f.index - last[0].sentence_index > 2:
            continue
        for inc in last:
            _lend(inc, f)


def _lend(inc: _Incident, f: _Sentence) -> None:
    """What a following sentence adds to an incident: its source (or a confirmation) and its counts."""
    speaker = next((w for _, w in f.claims if w != "it"), None)
    if inc.claimed_by is None and speaker:
        inc.claimed_by = speaker
    elif speaker and lx.CONFIRM.search(lx.low(f.text)) and speaker != inc.claimed_by:
        inc.confirmed_by.append(speaker)
    if inc.fatalities is None and f.fatalities is not None:
        inc.fatalities = f.fatalities
    if inc.injuries is None and f.injuries is not None:
        inc.injuries = f.injuries


def _merge_references(found: list[_Incident]) -> list[_Incident]:
    """Vaguer references to an attack join the more specific incident they contain (a few sentences apart)."""
    # the most specific first; among equals, the report that names a party and a date
    order = sorted(
        found,
        key=lambda i: (
            KIND_RANK.get(i.mention.match.feature_kind, 9),
            -(i.claimed_by is not None) - (i.date_basis != "document date"),
            i.sentence_index,
        ),
    )
    kept: list[_Incident] = []
    near: dict[int, list[_Incident]] = {}  # kept incidents by sentence: only a window is looked at
    for inc in order:
        si = inc.sentence_index
        candidates = (k for d in range(si - _LINK_WINDOW, si + _LINK_WINDOW + 1) if d != si for k in near.get(d, ()))
        target = next(
            (
                k
                for k in candidates
                if contains(inc.mention, k.mention)
                and (inc.event_date == k.event_date or inc.date_basis == "document date")
            ),
            None,
        )
        if target is None:
            kept.append(inc)
            near.setdefault(si, []).append(inc)
            continue
        _absorb(target, inc)
    return sorted(kept, key=lambda i: i.first_seen)


def _absorb(target: _Incident, inc: _Incident) -> None:
    """A vaguer report of the same attack adds its sentence, source, attacker and counts to the incident."""
    target.first_seen = min(target.first_seen, inc.first_seen)
    if inc.sentence != target.sentence and inc.sentence not in target.related:
        target.related.append(inc.sentence)
    target.claimed_by = target.claimed_by or inc.claimed_by
    target.attacker = target.attacker or inc.attacker
    if target.fatalities is None:
        target.fatalities = inc.fatalities
    if target.injuries is None:
        target.injuries = inc.injuries


def _attach_denials(
    text: str, incidents: list[_Incident], frames: list[_Sentence], by_sentence: dict[int, list[Mention]]
) -> None:
    """Each denial disputes the incidents it speaks of: those at the places it names, else the last attack's."""
    import bisect

    attack_sentences = sorted({i.sentence_index for i in incidents})
    by_index: dict[int, list[_Incident]] = {}
    for inc in incidents:
        by_index.setdefault(inc.sentence_index, []).append(inc)
    for f in frames:
        if not f.denials:
            continue
        k = bisect.bisect_left(attack_sentences, f.index)
        latest = attack_sentences[k - 1] if k > 0 else None
        window = range(f.index - _LINK_WINDOW, f.index + _LINK_WINDOW + 1)
        for inc in (i for d in window for i in by_index.get(d, ())):
            if f.index == inc.sentence_index and not _denies_in_last_clause(f.text):
                continue
            if f.index == inc.sentence_index or _refers_to(text, f, inc, by_sentence, latest):
                for _, who in f.denials:
                    _add_disputer(inc, who or "unnamed party")


def _denies_in_last_clause(sentence: str) -> bool:
    """ "…, a claim Baku rejected" / "…; the RSF dismissed it": the attack sentence denies in its last clause."""
    last = lx.low(re.split(r"[,;]", sentence)[-1])
    return bool(lx.DENIAL_VERB.search(last) or lx.DENIAL_WORDS.search(last))


def _add_disputer(inc: _Incident, who: str) -> None:
    """Record who disputes the incident (never its own claimant)."""
    if who not in inc.disputed_by and who != inc.claimed_by:
        inc.disputed_by.append(who)


def _refers_to(
    text: str, f: _Sentence, inc: _Incident, by_sentence: dict[int, list[Mention]], latest_before: int | None
) -> bool:
    """Does a denial sentence speak of this incident?

    Yes when it names the incident's place or an area holding it; and when it names
    no place at all ("Armenia's Defence Ministry denied it"), for the incidents of the
    last attack sentence before it.
    """
    places = [
        p
        for p in by_sentence.get(f.index, [])
        if p.match.feature_kind not in ("country", "continent") and not is_party(text, p)
    ]
    if any(contains(p, inc.mention) or contains(inc.mention, p) for p in places):
        return True
    if inc.admin1 and inc.admin1.split()[0].lower() in f.text.lower():
        return True
    return not places and latest_before is not None and inc.sentence_index == latest_before


#: The columns of an incident frame, in order (an empty frame has them too).
COLUMNS = [
    "dataset",
    "event_date",
    "date_precision",
    "date_basis",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor1_acled",
    "actor2",
    "actor2_acled",
    "location",
    "matched_name",
    "admin1",
    "country_code",
    "latitude",
    "longitude",
    "geo_precision",
    "location_radius_km",
    "reference",
    "offset_km",
    "offset_bearing",
    "origin",
    "fatalities",
    "injuries",
    "claimed_by",
    "claim_source_kind",
    "claim_status",
    "disputed_by",
    "confirmed_by",
    "source",
    "notes",
    "sentence",
    "related_sentences",
    "mention",
    "match_score",
]


def _frame(incidents: list[_Incident], source: str | None, gazetteer: Gazetteer | None) -> geopandas.GeoDataFrame:
    """The incidents as a GeoDataFrame of points, EPSG:4326."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    if not incidents:
        return _empty_frame().copy()
    countries = _DemonymCountries(gazetteer)
    rows = [_row(inc, source, countries) for inc in incidents]
    # columns from lists, not records: most articles give a handful of rows, and the frame's
    # construction would otherwise cost more than reading the article
    data: dict[str, Any] = {}
    for c in COLUMNS:
        values = [r[c] for r in rows]
        if c in _COUNT_COLUMNS:
            data[c] = pd.array(values, dtype="Int64")
        elif c == "geo_precision":
            data[c] = np.array(values, dtype=np.int64)
        elif c in _FLOAT_COLUMNS:
            data[c] = np.array([np.nan if v is None else v for v in values], dtype=float)
        elif c == "event_date":
            data[c] = pd.to_datetime(pd.Series(values, dtype=object))
        else:
            data[c] = np.array(values, dtype=object)
    lon = [inc.place.longitude for inc in incidents]
    lat = [inc.place.latitude for inc in incidents]
    data["geometry"] = gpd.points_from_xy(lon, lat, crs=_wgs84())
    # the geometry named, not handed over: geopandas then skips a round of checks per frame
    return gpd.GeoDataFrame(pd.DataFrame(data), geometry="geometry", copy=False)


_COUNT_COLUMNS = frozenset({"fatalities", "injuries"})
_FLOAT_COLUMNS = frozenset(
    {"latitude", "longitude", "location_radius_km", "offset_km", "offset_bearing", "match_score"}
)


@lru_cache(maxsize=1)
def _empty_frame() -> geopandas.GeoDataFrame:
    """The frame of a text with no incidents (most texts): built once, copied for each."""
    import geopandas as gpd
    import pandas as pd

    data = {c: pd.array([], dtype="Int64") if c in _COUNT_COLUMNS else [] for c in COLUMNS}
    data["geometry"] = gpd.points_from_xy([], [], crs=_wgs84())
    return gpd.GeoDataFrame(pd.DataFrame(data), geometry="geometry", copy=False)


@lru_cache(maxsize=1)
def _wgs84():
    """EPSG:4326, built once."""
    from pyproj import CRS

    return CRS.from_epsg(4326)


def _names_country(m) -> bool:
    """Does a resolved word name a country: a demonym, the country's own name or abbreviation, spelled exactly?

    Not a score threshold: the score weighs distant namesakes ("Russian" scores 0.76, "U.S." 0.83
    for their countries), which says nothing of whether the word is the country's.
    """
    if m is None or m.feature_kind != "country" or m.match_type != "exact" or m.is_code:
        return False
    return m.is_demonym or m.is_own_name or m.is_abbreviation or m.score >= 0.9


class _DemonymCountries:
    """The country a demonym or a country's name stands for ("Russian" → "Russian Federation"), cached."""

    def __init__(self, gazetteer: Gazetteer | None):
        self._gaz = gazetteer
        self._cache: dict[str, str | None] = {}

    def __call__(self, word: str) -> str | None:
        if not word[:1].isupper():
            return None
        if word not in self._cache:
            from ..gazetteer import Gazetteer

            m = (self._gaz or Gazetteer.default()).resolve(word)
            self._cache[word] = m.name if _names_country(m) else None
        return self._cache[word]

    def of_code(self, code: str) -> str | None:
        """The country of an ISO alpha-2 code, by its short name ("SD" → "Sudan")."""
        import pycountry

        c = pycountry.countries.get(alpha_2=code)
        return _short_name(getattr(c, "common_name", None) or c.name) if c is not None else None


def _civilians(inc: _Incident, countries: _DemonymCountries) -> str:
    """ACLED's name for the victims: "Civilians (<country>)"."""
    cc = inc.mention.match.country_code
    name = countries.of_code(cc) if cc else None
    return f"Civilians ({name})" if name else "Civilians"


def _status(inc: _Incident) -> str:
    """``claim_status``: disputed, else confirmed, else claimed when a source is named, else reported."""
    if inc.disputed_by:
        return "disputed"
    if inc.confirmed_by:
        return "confirmed"
    return "claimed" if inc.claimed_by else "reported"


def _row(inc: _Incident, source: str | None, countries: _DemonymCountries) -> dict[str, Any]:
    """The incident as a row of :data:`COLUMNS`; an offset sets the point and the radius."""
    import pandas as pd

    p, mt = inc.place, inc.mention.match
    radius = PRECISION_RADIUS_KM.get(inc.precision)
    if p.offset_km is not None:
        # a bearing leaves about a tenth of the distance; a distance alone, a circle around the reference
        radius = max(2.0, 0.15 * p.offset_km) if p.bearing is not None else p.offset_km
    return {
        "dataset": "text",
        "event_date": pd.Timestamp(inc.event_date) if inc.event_date else pd.NaT,
        "date_precision": inc.date_precision,
        "date_basis": inc.date_basis,
        "event_type": inc.event_type,
        "sub_event_type": inc.sub_event_type,
        "actor1": inc.attacker,
        "actor1_acled": acled_actor(inc.attacker, countries),
        "actor2": inc.opponent,
        "actor2_acled": _civilians(inc, countries)
        if inc.opponent == "Civilians"
        else acled_actor(inc.opponent, countries),
        "location": inc.mention.text,
        "matched_name": mt.name,
        "admin1": inc.admin1,
        "country_code": mt.country_code,
        "latitude": p.latitude,
        "longitude": p.longitude,
        "geo_precision": inc.precision,
        "location_radius_km": radius,
        "reference": p.reference,
        "offset_km": p.offset_km,
        "offset_bearing": p.bearing,
        "origin": inc.origin,
        "fatalities": inc.fatalities,
        "injuries": inc.injuries,
        "claimed_by": inc.claimed_by,
        "claim_source_kind": source_kind(inc.claimed_by),
        "claim_status": _status(inc),
        "disputed_by": "; ".join(inc.disputed_by) or None,
        "confirmed_by": "; ".join(inc.confirmed_by) or None,
        "source": source,
        "notes": inc.sentence,
        "sentence": inc.sentence,
        "related_sentences": " | ".join(inc.related) or None,
        "mention": inc.mention.text,
        "match_score": mt.score,
    }
