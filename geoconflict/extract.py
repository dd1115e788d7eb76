"""Incidents from news text: where an attack is reported, when, who claims it and who denies it.

Built on :func:`geoconflict.geoparse.find_mentions`. A sentence that reports an
attack (shelling, missile, rocket, drone, airstrike, artillery, cluster munition …)
becomes one incident per place it locates the attack at; vaguer references to the
same attack elsewhere in the text ("the attack on the Nakhchivan Autonomous
Republic", "a different region in Azerbaijan") join the incident they contain
instead of becoming new ones. Claims ("X's Defence Ministry said …") and denials
("Y dismissed the statement", "a claim rejected by Z") are kept, never merged away.

Examples
--------
>>> text = ("Azerbaijan's Defence Ministry said a missile fired by Armenian forces hit the area "
...         "near Orduba, in Azerbaijan's Nakhchivan region, on Thursday, causing no casualties. "
...         "Armenia's Defence Ministry denied that any missile was fired at the Nakhchivan region.")
>>> inc = extract_incidents(text, date="2020-10-16")
>>> row = inc.iloc[0]
>>> row["location"], row["admin1"], str(row["event_date"].date()), row["claim_status"]
('Orduba', 'Nakhchivan Autonomous Republic', '2020-10-15', 'disputed')
>>> row["claimed_by"], row["disputed_by"], int(row["fatalities"])
("Azerbaijan's Defence Ministry", "Armenia's Defence Ministry", 0)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as _date
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from .geoparse import Mention, find_mentions, sentence_spans
from .schema import KIND_PRECISION, KIND_RANK, NAMED_PLACE_PRECISION

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

    from .gazetteer import Gazetteer

__all__ = ["EVENT_TYPES", "extract_incidents"]

# (pattern, event_type, sub_event_type), first match wins; ACLED's vocabulary
EVENT_TYPES: list[tuple[str, str, str]] = [
    (
        r"air ?strikes?|air[- ]raids?|drones?|UAVs?|warplanes?|aircraft|bomb(?:ed|ing|ings|s)?\b",
        "Explosions/Remote violence",
        "Air/drone strike",
    ),
    (
        r"shell(?:s|ed|ing)?\b|artillery|missiles?|rockets?|mortars?|howitzers?|cluster (?:munitions?|bombs?)"
        r"|MLRS|Grads?\b|Smerch|Iskander|ballistic",
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    (r"explosions?|blasts?|landmines?|IEDs?", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    (
        r"clash(?:es|ed)?|fighting|firefights?|gunfire|skirmish(?:es)?|battles?\b|offensive|assault",
        "Battles",
        "Armed clash",
    ),
    (r"attack(?:s|ed|ing)?\b|struck|strikes?\b", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
]
_EVENT_RES = [(re.compile(p, re.IGNORECASE), t, s) for p, t, s in EVENT_TYPES]

_DENIAL = re.compile(
    r"\b(?:den(?:y|ied|ies|ying)|dismiss(?:ed|es|ing)?|reject(?:ed|s|ing)?|refut(?:ed|es|ing)|"
    r"rebuff(?:ed|s)?|disinformation|fake|not true|untrue|false claims?|no (?:missiles?|rockets?|shells?|"
    r"drones?|strikes?|attacks?) (?:was|were|had been|has been))\b",
    re.IGNORECASE,
)
_ACTOR_NOUN = (
    r"(?:Defen[cs]e Ministry|Ministry of Defen[cs]e|Foreign Ministry|Ministry of Foreign Affairs|Interior Ministry|"
    r"General Staff|Presidency|President's Office|Prosecutor[- ]General's Office|Ministry|ministry|government|"
    r"authorities|officials|military|army|forces|troops|spokes(?:man|woman|person)|president|leadership|"
    r"command|State Border Service|Border Service)"
)
#: A capitalised word, at most 40 characters: unbounded, a run of 100,000 capitals backtracks
#: through every length at every position (quadratic); bounded, each position costs at most 40 steps.
_NAME_WORD = r"(?:[A-Z][\w’'-]{0,40}(?:’s|'s)?|of|the)"
_CLAIM_RE = re.compile(
    rf"(?P<actor>(?:{_NAME_WORD}\s+){{0,5}}{_ACTOR_NOUN})(?:\s+[a-z]+)?\s+"
    r"(?:said|says|reported|claimed|announced|stated|alleged|accused|reports|claims|announces)\b"
)
_ACCORDING_RE = re.compile(rf"according to (?:the )?(?P<actor>(?:{_NAME_WORD}\s+){{0,5}}{_ACTOR_NOUN})")
_BY_RE = re.compile(rf"\bby (?:the )?(?P<actor>(?:{_NAME_WORD}\s+){{0,4}}{_ACTOR_NOUN})")
_ATTACKER_RE = re.compile(
    r"\b(?:fired|launched|carried out|conducted|shelled|attacked|targeted)\s+by\s+(?:the\s+)?"
    r"(?P<actor>(?:[A-Z][\w’'-]{0,40}\s+){1,3}(?:forces|troops|army|military|units|side|militants|fighters))"
)
_LOCATIVE = re.compile(
    r"(?:\b(?:near|in|at|on|into|towards?|around|outside|across|inside|hit|struck|targeted|shelled|"
    r"bombed|attacked|of)\s+(?:the\s+)?(?:(?:area|areas|village|villages|town|city|outskirts|district|region|"
    r"province|vicinity|direction|territory|settlement|settlements)\s+(?:of|near|around)\s+)?"
    r"(?:(?:[A-Z][\w’'-]{0,40}(?:’s|'s))\s+)?)$"
)
_NEAR_RE = re.compile(r"\b(?:near|around|outskirts|vicinity|direction|close to|area)\b[^.,;]*$", re.IGNORECASE)
_BOILERPLATE = re.compile(r"^\s*(?:READ MORE|Read more|Related|See also|Also read|Watch)\b[:\s]")
_NO_CASUALTIES = re.compile(
    r"\bno (?:casualties|deaths|injuries|victims)\b|without casualties|"
    r"\b(?:no one|no-one|nobody|none)\s+(?:was|were|had been)\s+(?:killed|hurt|injured|wounded)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_KILLED_RE = re.compile(
    r"\b(?:killing|killed|kills)\s+(?:at least\s+)?(?P<n1>\d+|"
    + "|".join(_NUMBER_WORDS)
    + r")\b|\b(?P<n2>\d+|"
    + "|".join(_NUMBER_WORDS)
    + r")\s+(?:people|civilians|soldiers|servicemen|persons|residents)?\s*(?:were|was|had been)?\s*killed\b",
    re.IGNORECASE,
)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_RES = [
    (re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH_ALT})\.?(?:\s+(?P<y>\d{{4}}))?\b", re.I), "dmy"),
    (
        re.compile(rf"\b(?P<m>{_MONTH_ALT})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?\b", re.I),
        "mdy",
    ),
]


@dataclass
class _Incident:
    mention: Mention
    sentence_index: int
    sentence: str
    event_type: str
    sub_event_type: str
    precision: int
    event_date: Any
    date_basis: str
    claimed_by: str | None
    attacker: str | None
    fatalities: int | None
    admin1: str
    related: list[str] = field(default_factory=list)
    disputed_by: list[str] = field(default_factory=list)


def _event_type(sentence: str) -> tuple[str, str] | None:
    for rx, t, s in _EVENT_RES:
        if rx.search(sentence):
            return t, s
    return None


def _doc_date(value) -> _date | None:
    if value is None:
        return None
    import pandas as pd

    ts = pd.to_datetime(value, errors="coerce")
    if pd.isna(ts):
        raise ValueError(f"document date {value!r} is not a date (use YYYY-MM-DD)")
    return ts.date()


def _event_date(sentence: str, doc: _date | None) -> tuple[_date | None, str]:
    """The attack's date from the sentence and the document date."""
    low = sentence.lower()
    for rx, _order in _DATE_RES:
        m = rx.search(sentence)
        if m:
            year = int(m.group("y")) if m.group("y") else (doc.year if doc else None)
            if year is None:
                continue
            try:
                d = _date(year, _MONTHS[m.group("m").lower().rstrip(".")], int(m.group("d")))
            except ValueError:
                continue
            if not m.group("y") and doc and d > doc:
                d = d.replace(year=d.year - 1)
            return d, f"explicit: {m.group(0)}"
    if doc is None:
        return None, "unknown"
    for k, day in enumerate(_WEEKDAYS):
        if re.search(rf"\b(?:on|last|this|late|early)\s+{day}\b", low):
            back = (doc.weekday() - k) % 7
            return doc - timedelta(days=back), f"relative: {day.title()} before {doc.isoformat()}"
    if re.search(r"\byesterday\b|\blast night\b|\bovernight\b", low):
        return doc - timedelta(days=1), "relative: yesterday"
    if re.search(r"\btoday\b|\bthis (?:morning|afternoon|evening)\b|\btonight\b", low):
        return doc, "relative: today"
    return doc, "document date"


def _clean_actor(actor: str) -> str | None:
    actor = re.sub(r"^(?:The|the|But|And|Meanwhile|In contrast,?|However,?)\s+", "", actor.strip())
    # "Defence Ministry spokesperson Anna Petrosyan": the institution, not the person
    actor = re.sub(r"\s+spokes(?:man|woman|person)$", "", actor)
    return actor or None


def _actor(rx: re.Pattern, sentence: str) -> str | None:
    m = rx.search(sentence)
    return _clean_actor(m.group("actor")) if m else None


def _claimant(sentence: str) -> str | None:
    return _actor(_CLAIM_RE, sentence) or _actor(_ACCORDING_RE, sentence)


def _denier(sentence: str) -> str | None:
    m = _BY_RE.search(sentence)
    if m and re.search(r"(?:rejected|denied|dismissed|refuted)\s+by", sentence):
        return m.group("actor").strip()
    m = re.search(
        rf"(?P<actor>(?:{_NAME_WORD}\s+){{0,5}}{_ACTOR_NOUN})(?:\s+[A-Z][\w’'-]{{0,40}}){{0,3}}\s+"
        r"(?:den(?:ied|ies|y)|dismissed|rejected|refuted|rebuffed|said|says)",
        sentence,
    )
    return _clean_actor(m.group("actor")) if m else None


def _fatalities(sentence: str) -> int | None:
    if _NO_CASUALTIES.search(sentence):
        return 0
    m = _KILLED_RE.search(sentence)
    if m:
        v = (m.group("n1") or m.group("n2")).lower()
        return int(v) if v.isdigit() else _NUMBER_WORDS.get(v)
    return None


_PASSIVE = re.compile(
    r"^(?:’s|'s)?\s+(?:was|were|has been|have been|had been|is being|came under)\s+(?:\w+ly\s+)?"
    r"(?:shelled|struck|hit|bombed|attacked|targeted|fire|shelling|attack)\b"
)


def _is_locative(text: str, m: Mention, sentence_start: int) -> bool:
    """Does the sentence put the attack at this mention ("near X", "hit X", "X was shelled")?"""
    before = text[max(sentence_start, m.start - 60) : m.start]
    return bool(_LOCATIVE.search(before) or _PASSIVE.match(text[m.end : m.end + 50]))


_DESCRIPTOR = re.compile(
    r",\s*(?:(?:a|an|the)\s+(?:[\w-]+\s+){0,2})?(?:in|of|near)\s+(?:the\s+)?(?:[A-Z][\w’'-]{0,40}(?:’s|'s)\s+)?"
)


def _is_actor_mention(text: str, m: Mention) -> bool:
    """ "Azerbaijan's Defence Ministry", "Armenian forces": a party, not a place."""
    after = text[m.end : m.end + 40]
    return bool(re.match(rf"(?:’s|'s)?\s+(?:[A-Z][\w-]*\s+){{0,2}}{_ACTOR_NOUN}", after))


def _contains(area: Mention, other: Mention) -> bool:
    a, o = area.match, other.match
    if a is None or o is None:
        return False
    if a.place_id == o.place_id:
        return True
    if not a.is_area:
        return False
    from shapely import Point

    return a.geometry.covers(Point(o.longitude, o.latitude))


def extract_incidents(
    text: str,
    *,
    date: Any = None,
    source: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> geopandas.GeoDataFrame:
    """Extract attack incidents from a news text.

    Parameters
    ----------
    text : str
        The article.
    date : date-like, optional
        The article's date; relative words ("on Thursday", "yesterday") are
        resolved against it. Without it, only explicit dates are found.
    source : str, optional
        Where the text comes from (kept in the ``source`` column).
    gazetteer : Gazetteer, optional

    Returns
    -------
    geopandas.GeoDataFrame
        One row per incident, EPSG:4326, with ACLED-compatible columns
        (``event_date, event_type, sub_event_type, actor1, location, admin1,
        country_code, latitude, longitude, geo_precision, fatalities, source,
        notes``) and ``claimed_by``, ``claim_status`` (``claimed``, ``disputed`` or
        ``reported`` when no party is named), ``disputed_by``, ``date_basis``,
        ``sentence`` (the supporting sentence), ``related_sentences``, ``mention``,
        ``matched_name``, ``match_score``, ``dataset`` ("text").

    Examples
    --------
    >>> inc = extract_incidents("Shelling hit Tartar on Monday, killing two civilians.", date="2020-10-16")
    >>> inc[["location", "event_date", "fatalities", "claim_status"]].astype(str).values.tolist()
    [['Tartar', '2020-10-12', '2', 'reported']]
    """
    doc = _doc_date(date)
    by_sentence = _mentions_by_sentence(text, gazetteer)
    found, denials = _attack_sentences(text, by_sentence, doc)
    incidents = _merge_references(found)
    _attach_denials(incidents, denials, found, by_sentence)
    return _frame(incidents, source)


def _mentions_by_sentence(text: str, gazetteer: Gazetteer | None) -> dict[int, list[Mention]]:
    """The located place mentions of the text, by sentence index."""
    by_sentence: dict[int, list[Mention]] = {}
    for m in find_mentions(text, gazetteer=gazetteer):
        if m.match is not None:
            by_sentence.setdefault(m.sentence, []).append(m)
    return by_sentence


#: (sentence index, sentence, who denies — None when unnamed)
_Denial = tuple[int, str, "str | None"]


def _attack_sentences(
    text: str, by_sentence: dict[int, list[Mention]], doc: _date | None
) -> tuple[list[_Incident], list[_Denial]]:
    """One incident per place each attack sentence locates the attack at; and every denial sentence."""
    found: list[_Incident] = []
    denials: list[_Denial] = []
    named: list[str] = []  # parties named so far, for "the ministry said"
    for si, (a, b) in enumerate(sentence_spans(text)):
        sentence = text[a:b].strip()
        if not sentence or _BOILERPLATE.match(sentence):
            continue
        if _DENIAL.search(sentence):
            denials.append((si, sentence, _denier(sentence)))
        named += _claims(sentence)
        kind = _event_type(sentence)
        if kind is None:
            continue
        here = _placeable(text, by_sentence.get(si, []))
        places = _attack_places(text, a, here)
        if places:  # "the fighting was spreading beyond Nagorno-Karabakh" places no attack
            found += _sentence_incidents(text, (si, a, sentence), kind, places, here, named, doc)
    return found, denials


def _claims(sentence: str) -> list[str]:
    """The parties a sentence names as saying something ("Azerbaijan's Defence Ministry said")."""
    out = []
    for rx in (_CLAIM_RE, _ACCORDING_RE):
        for cm in rx.finditer(sentence):
            c = _clean_actor(cm.group("actor"))
            if c and re.search(r"[A-Z]", c):
                out.append(c)
    return out


def _placeable(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions an attack could be placed at.

    A party ("Azerbaijan's Defence Ministry") is not a place, and a continent or a
    region spanning countries ("the South Caucasus") is too vague to place an attack.
    """
    return [
        m
        for m in mentions
        if not _is_actor_mention(text, m)
        and m.match.feature_kind != "continent"
        and not (m.match.feature_kind == "region" and not m.match.country_code)
    ]


def _attack_places(text: str, sentence_start: int, here: list[Mention]) -> list[Mention]:
    """The places the sentence puts the attack at, the most specific ones only."""
    located: list[Mention] = []
    for m in here:
        if located and _DESCRIPTOR.fullmatch(text[located[-1].end : m.start]):
            continue  # "Orduba, a town in Azerbaijan's Nakhchivan exclave": where Orduba is, not a second place
        # "near Qubadli and Zangilan": a coordinated name shares its neighbour's preposition
        follows = bool(located) and re.fullmatch(r"\s*(?:,|and|or|, and|, or)\s*", text[located[-1].end : m.start])
        if _is_locative(text, m, sentence_start) or follows:
            located.append(m)
    # drop areas that contain another candidate
    return [m for m in located if not any(o is not m and _contains(m, o) for o in located)]


def _sentence_incidents(
    text: str,
    where: tuple[int, int, str],
    kind: tuple[str, str],
    places: list[Mention],
    here: list[Mention],
    named: list[str],
    doc: _date | None,
) -> list[_Incident]:
    """The incidents of one attack sentence (``where``: its index, start and text), one per place."""
    si, start, sentence = where
    claimant = _claimant(sentence)
    if claimant and not re.search(r"[A-Z]", claimant):
        # "The ministry said": the last party named with that noun
        claimant = next((c for c in reversed(named) if claimant.split()[-1].lower() in c.lower()), claimant)
    attacker = _actor(_ATTACKER_RE, sentence)
    when, basis = _event_date(sentence, doc)
    dead = _fatalities(sentence)
    regions = [m for m in here if m.match.is_area]
    return [
        _Incident(
            mention=m,
            sentence_index=si,
            sentence=sentence,
            event_type=kind[0],
            sub_event_type=kind[1],
            precision=_precision(text, start, m),
            event_date=when,
            date_basis=basis,
            claimed_by=claimant,
            attacker=attacker,
            fatalities=dead,
            admin1=_admin1(m, regions),
        )
        for m in places
    ]


def _precision(text: str, sentence_start: int, m: Mention) -> int:
    """The place's kind on the precision scale; "near X" makes an exact town "near a named place"."""
    precision = KIND_PRECISION.get(m.match.feature_kind, NAMED_PLACE_PRECISION)
    if precision == 1 and _NEAR_RE.search(text[max(sentence_start, m.start - 40) : m.start]):
        precision = NAMED_PLACE_PRECISION
    return precision


def _admin1(m: Mention, regions: list[Mention]) -> str:
    """The province or region the sentence puts the place in ("Orduba, in Nakhchivan"), else the gazetteer's."""
    holder = next(
        (r for r in regions if r is not m and _contains(r, m) and r.match.feature_kind in ("admin1", "region")),
        None,
    )
    return holder.match.name if holder else m.match.admin1


def _attach_denials(
    incidents: list[_Incident], denials: list[_Denial], found: list[_Incident], by_sentence: dict[int, list[Mention]]
) -> None:
    """Each denial disputes the incidents it speaks of."""
    attack_sentences = sorted({i.sentence_index for i in found})
    for inc in incidents:
        for si, sentence, denier in denials:
            # the attack sentence itself denies only in its last clause ("…, a claim Baku rejected")
            if si == inc.sentence_index and not _DENIAL.search(inc.sentence.split(",")[-1]):
                continue
            latest = max((k for k in attack_sentences if k < si), default=None)
            if _refers_to(sentence, si, inc, by_sentence, latest):
                _add_disputer(inc, denier or "unnamed party")


def _add_disputer(inc: _Incident, who: str | None) -> None:
    if who and who not in inc.disputed_by and who != inc.claimed_by:
        inc.disputed_by.append(who)


#: The columns of an incident frame with no incidents.
_EMPTY_COLUMNS = [
    "dataset",
    "event_date",
    "event_type",
    "location",
    "claimed_by",
    "claim_status",
    "disputed_by",
    "sentence",
]


def _frame(incidents: list[_Incident], source: str | None) -> geopandas.GeoDataFrame:
    """The incidents as a GeoDataFrame of points, EPSG:4326."""
    import geopandas as gpd
    import pandas as pd
    from shapely import Point

    rows = [_row(inc, source) for inc in incidents]
    geoms = [Point(inc.mention.match.longitude, inc.mention.match.latitude) for inc in incidents]
    frame = pd.DataFrame(rows, columns=list(rows[0]) if rows else _EMPTY_COLUMNS)
    if "fatalities" in frame:
        frame["fatalities"] = pd.array(frame["fatalities"], dtype="Int64")
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, index=frame.index, crs="EPSG:4326"))


def _row(inc: _Incident, source: str | None) -> dict[str, Any]:
    import pandas as pd

    mt = inc.mention.match
    return {
        "dataset": "text",
        "event_date": pd.Timestamp(inc.event_date) if inc.event_date else pd.NaT,
        "date_basis": inc.date_basis,
        "event_type": inc.event_type,
        "sub_event_type": inc.sub_event_type,
        "actor1": inc.attacker,
        "location": inc.mention.text,
        "matched_name": mt.name,
        "admin1": inc.admin1,
        "country_code": mt.country_code,
        "latitude": mt.latitude,
        "longitude": mt.longitude,
        "geo_precision": inc.precision,
        "fatalities": inc.fatalities,
        "claimed_by": inc.claimed_by,
        "claim_status": "disputed" if inc.disputed_by else ("claimed" if inc.claimed_by else "reported"),
        "disputed_by": "; ".join(inc.disputed_by) or None,
        "source": source,
        "notes": inc.sentence,
        "sentence": inc.sentence,
        "related_sentences": " | ".join(inc.related) or None,
        "mention": inc.mention.text,
        "match_score": mt.score,
    }


def _merge_references(found: list[_Incident]) -> list[_Incident]:
    """Vaguer references to an attack join the more specific incident they contain."""
    # the most specific first; among equals, the report that names a party and a date
    found = sorted(
        found,
        key=lambda i: (
            KIND_RANK.get(i.mention.match.feature_kind, 9),
            -(i.claimed_by is not None) - (i.date_basis != "document date"),
            i.sentence_index,
        ),
    )
    kept: list[_Incident] = []
    for inc in found:
        target = next((k for k in kept if _contains(inc.mention, k.mention)), None)
        if target is None:
            kept.append(inc)
            continue
        if inc.sentence != target.sentence and inc.sentence not in target.related:
            target.related.append(inc.sentence)
        target.claimed_by = target.claimed_by or inc.claimed_by
        target.attacker = target.attacker or inc.attacker
        if target.fatalities is None:
            target.fatalities = inc.fatalities
        # a denial inside a vaguer reference ("a claim rejected by Armenian officials") still counts
        if _DENIAL.search(inc.sentence):
            _add_disputer(target, _denier(inc.sentence))
    return sorted(kept, key=lambda i: (i.sentence_index, i.mention.start))


def _refers_to(
    sentence: str, si: int, inc: _Incident, by_sentence: dict[int, list[Mention]], latest_before: int | None
) -> bool:
    """Does a denial sentence speak of this incident?

    Yes when it names the incident's place or an area holding it; and when it names
    no place at all ("Armenia's Defence Ministry denied it"), for the incidents of the
    last attack sentence before it.
    """
    places = [p for p in by_sentence.get(si, []) if p.match.feature_kind not in ("country", "continent")]
    if any(_contains(p, inc.mention) or _contains(inc.mention, p) for p in places):
        return True
    if inc.admin1 and inc.admin1.split()[0].lower() in sentence.lower():
        return True
    return not places and latest_before is not None and inc.sentence_index == latest_before
