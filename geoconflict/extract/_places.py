"""Where: the places a sentence puts an attack at, the places it only names, offsets and datelines.

A place is a *target* when the sentence puts the attack there ("near X", "hit X",
"X was shelled", "в городе X"); an *origin* when the attack came from it ("fired from
X"); a *reference* when the target is given relative to it ("15 km south of X", "the
road between X and Y"). A party ("Azerbaijan said", "Gaza's health authorities"), a
river or border named in passing, and a descriptor ("Orduba, a town in Nakhchivan")
are none of these. Every window read here is bounded, so the cost is linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..geodesy import offset_point
from ..geoparse import Mention
from ..schema import ARMED_GROUPS, LINE_OR_SEA_KINDS
from ._speakers import SPEAKER_MODIFIERS, SPEAKER_NOUNS

_LOCATIVE = re.compile(
    r"(?:\b(?i:near|in|at|on|into|towards?|around|outside|across|inside|hit|struck|targeted|shelled|pounded|"
    r"bombed|attacked|of|over|off|seized|captured|recaptured|took|raided|stormed|besieged|and around)\s+(?:the\s+)?"
    r"(?:(?:area|areas|village|villages|town|city|outskirts|district|region|province|vicinity|direction|territory|"
    r"settlement|settlements|centre|center|coast|port|edge|camp|border town|suburbs?)\s+(?:of|near|around)\s+)?"
    r"(?:(?:[A-Z][\w’'-]*(?:’s|'s))\s+)?)$"
    r"|(?<!\w)(?:в|во|на|по|под|около|возле|близ|у)\s+(?:город[еау]?|сел[оеау]|посел[ке]\w*|посёл\w*|порт[ау]?|район[еау]?|"
    r"област[иь]|деревн[еия])?\s*$"
    r"|(?<!\w)(?:город[ау]?|порт|село|поселок|посёлок|атаковал\w*|обстрел\w*|удар\w* по)\s+$"
)
_PASSIVE = re.compile(
    r"^(?:’s|'s)?\s+(?:was|were|has been|have been|had been|is being|came under)\s+(?:\w+ly\s+)?"
    r"(?:shelled|struck|hit|bombed|attacked|targeted|fire|shelling|attack|seized|captured)\b"
)
_NEAR = re.compile(r"\b(?:near|around|outskirts|vicinity|direction|close to|area|edge|outside|off)\b[^.,;]*$", re.I)
_DESCRIPTOR = re.compile(
    r",\s*(?:(?:a|an|the)\s+(?:[\w-]+\s+){0,2})?(?:in|of|near)\s+(?:the\s+)?(?:[A-Z][\w’'-]*(?:’s|'s)\s+)?"
)
_ORIGIN = re.compile(
    r"\b(?:from|launched from|fired from)\s+(?:the\s+)?(?:direction of\s+)?$|(?<!\w)(?:из|со стороны)\s+$", re.I
)
#: What follows a name mentioned in passing: a river, a border, a front line ("across the Dnipro river").
_PASSING = re.compile(r"^(?:’s|'s)?[\s-]+(?:river|border|frontier|valley|front|line|backed|led|based)\b", re.I)
_SPEECH_AFTER = re.compile(
    r"^\s+(?:also\s+|later\s+|has\s+|had\s+)?(?:said|says|say|denied|denies|dismissed|rejected|claimed|reported|"
    r"accused|announced|did not|didn't|declined|confirmed|blamed|warned|заявил\w*|сообщил\w*|опроверг\w*|отрица\w*)\b"
)
#: Short words a sentence may open with that some gazetteer spells as a place ("По" → Pô).
_FUNCTION_WORDS = frozenset("по в во на из от до за при под над у о об".split())
#: A town's name inside the name of a body of water ("the Gulf of Aden", "Sea of Azov").
_WATER_OF = re.compile(r"\b(?:Gulf|Sea|Strait|Straits|Bay|Bight|Cape|Lake)\s+of\s+$")
_POSSESSIVE_GAP = re.compile(r"(?:’s|'s)\s+(?:[a-z-]+\s+){1,3}")
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?$")
_DIRECTIONS = {
    "north": 0,
    "northeast": 45,
    "north-east": 45,
    "east": 90,
    "southeast": 135,
    "south-east": 135,
    "south": 180,
    "southwest": 225,
    "south-west": 225,
    "west": 270,
    "northwest": 315,
    "north-west": 315,
}
_UNITS = {"km": 1.0, "kilometres": 1.0, "kilometers": 1.0, "kilometre": 1.0, "kilometer": 1.0}
_UNITS |= {"miles": 1.609344, "mile": 1.609344, "mi": 1.609344, "nautical miles": 1.852, "nautical mile": 1.852}
_UNITS |= {"nm": 1.852, "nmi": 1.852, "км": 1.0, "километрах": 1.0, "километров": 1.0}
_OFFSET = re.compile(
    r"(?<![\w.])(?P<n>\d+(?:[.,]\d+)?)\s*(?:-\s*)?"
    r"(?P<u>nautical miles?|nmi|nm|km|kilomet(?:re|er)s?|miles?|mi|км|километр\w*)"
    r"(?:\s*\([^()]{0,30}\))?"  # "20 km (12 miles) north of X"
    r"\s+(?:(?P<dir>(?:north|south)(?:-?(?:east|west))?|east|west)(?:ern)?\s+(?:of|from)"
    r"|(?P<rel>off|from|of|outside|away from|от))\s+(?:the\s+)?(?:(?:coast|port|town|city|village|shores?)\s+of\s+)?$",
    re.I,
)
_DATELINE = re.compile(
    r"^[ \t]*(?P<place>[A-ZА-ЯЁ][A-ZА-ЯЁ'’.\- ]{1,40}[A-ZА-ЯЁ])\s*,\s*[^—–\n]{0,80}?\s*(?:—|–|--|-\s)", re.M
)


@dataclass
class Place:
    """A mention the attack is placed at, with what the sentence says about its position."""

    mention: Mention
    latitude: float
    longitude: float
    near: bool = False
    offset_km: float | None = None
    bearing: float | None = None
    reference: str | None = None
    dateline: bool = False


def datelines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each dateline's place ("KHARKIV, Ukraine (AP) —", "ХАРЬКОВ, 10 июля —")."""
    return [(m.start("place"), m.end("place")) for m in _DATELINE.finditer(text)]


def is_party(text: str, m: Mention) -> bool:
    """ "Azerbaijan said", "Gaza's health authorities", "Yemen's Houthis": a party, not a place."""
    after = text[m.end : m.end + 60]
    if _SPEECH_AFTER.match(after):
        # "Officials in Kherson said": where the speakers are, not who speaks
        return not re.search(r"\b(?:in|of|from|at)\s+$", text[max(0, m.start - 8) : m.start])
    if not re.match(r"(?:’s|'s)?\s+[\w-]", after):
        return False  # "Kramatorsk, military sources said": a comma ends the name
    words = re.findall(r"[\w’'-]+", after)[:4]
    if not words:
        return False
    poss = words[0] in ("’s", "'s", "s")
    rest = words[1:] if poss else words
    for w in rest[:3]:
        low = w.lower()
        if low in SPEAKER_NOUNS or low in ARMED_GROUPS:
            return True
        if not (w[0].isupper() or low in SPEAKER_MODIFIERS):
            return False
    return False


def placeable(text: str, mentions: list[Mention], dateline_spans: list[tuple[int, int]]) -> list[Mention]:
    """The mentions an attack could be placed at: no parties, no continents, no regions spanning countries."""
    import bisect

    out = []
    starts = [a for a, _ in dateline_spans]
    for m in mentions:
        kind = m.match.feature_kind
        if kind == "continent" or (kind == "region" and not m.match.country_code):
            continue
        k = bisect.bisect_right(starts, m.start) - 1
        if (k >= 0 and m.start < dateline_spans[k][1]) or is_party(text, m):
            continue
        if m.text.lower() in _FUNCTION_WORDS or _WATER_OF.search(text[max(0, m.start - 20) : m.start]):
            continue  # "По данным" opens a sentence; "Gulf of Aden" is water, not the town
        out.append(m)
    return out


def _passing(text: str, m: Mention) -> bool:
    """A river, border or front named in passing, or a name inside another ("Kurdish-led")."""
    if m.match.feature_kind in LINE_OR_SEA_KINDS:
        return not re.search(
            r"\b(?:in|on|into|at|hit|struck)\s+(?:the\s+)?(?:\w+\s+)?$", text[max(0, m.start - 30) : m.start]
        )
    return bool(
        _PASSING.match(text[m.end : m.end + 20])
        or re.search(r"\b(?:across|along)\s+the\s+$", text[max(0, m.start - 15) : m.start])
    )


def targets(text: str, sentence_start: int, here: list[Mention], russian: bool) -> tuple[list[Place], list[str]]:
    """The places a sentence puts the attack at (the most specific ones), and the origins it names."""
    located: list[Place] = []
    origins: list[str] = []
    prev: Mention | None = None
    for m in here:
        before = text[max(sentence_start, m.start - 80) : m.start]
        if prev is not None and _DESCRIPTOR.fullmatch(text[prev.end : m.start]):
            continue  # "Orduba, a town in Azerbaijan's Nakhchivan exclave": where Orduba is
        off = _OFFSET.search(before)
        if not off and _ORIGIN.search(before[-30:]):
            origins.append(m.text)
            continue
        if _passing(text, m):
            continue
        if located and _BETWEEN.search(
            text[max(sentence_start, located[-1].mention.start - 20) : located[-1].mention.start]
        ):
            if re.fullmatch(r"\s*and\s*", text[located[-1].mention.end : m.start]):
                located[-1].reference = m.text  # "the road between Tyre and Naqoura": one place, near both
                continue
        if located and _POSSESSIVE_GAP.fullmatch(text[located[-1].mention.end : m.start]):
            located[-1] = _place(m, before, None)  # "in Khartoum's twin city Omdurman": the city, not its twin
            continue
        follows = bool(located) and re.fullmatch(
            r"\s*(?:,|and|or|, and|, or)\s*", text[located[-1].mention.end : m.start]
        )
        if (
            russian
            or off
            or follows
            or _LOCATIVE.search(before[-60:])
            or _PASSIVE.match(text[m.end : m.end + 50])
            or _BETWEEN.search(before[-20:])
        ):
            located.append(_place(m, before, off))
        prev = m
    return _most_specific(located), origins


def _place(m: Mention, before: str, o: re.Match | None) -> Place:
    """A target at a mention: "near X" marks it near, an offset displaces it."""
    mt = m.match
    p = Place(m, mt.latitude, mt.longitude, near=bool(_NEAR.search(before[-40:])))
    if o:
        km = float(o.group("n").replace(",", ".")) * _UNITS.get(
            o.group("u").lower(), _UNITS.get(o.group("u").lower()[:2], 1.0)
        )
        p.offset_km, p.reference = round(km, 1), m.text
        if o.group("dir"):
            p.bearing = _DIRECTIONS[o.group("dir").lower()]
            p.latitude, p.longitude = offset_point(mt.latitude, mt.longitude, km, p.bearing)
        p.near = True
    return p


def _contains(area: Mention, other: Mention) -> bool:
    """Is ``other`` the same place as ``area`` or inside its outline?"""
    a, o = area.match, other.match
    if a is None or o is None:
        return False
    if a.place_id == o.place_id:
        return True
    if not a.is_area:
        return False
    from shapely import Point

    return a.geometry.covers(Point(o.longitude, o.latitude))


def contains(area: Mention, other: Mention) -> bool:
    """Is ``other`` the same place as ``area`` or inside it?"""
    return _contains(area, other)


def _most_specific(located: list[Place]) -> list[Place]:
    """Areas that hold another candidate go; a place named twice counts once."""
    out: list[Place] = []
    for p in located:
        if any(
            o is not p and _contains(p.mention, o.mention) and o.mention.match.place_id != p.mention.match.place_id
            for o in located
        ):
            continue
        if any(o.mention.match.place_id == p.mention.match.place_id for o in out):
            continue
        out.append(p)
    return out


def dateline_place(mentions_by_start: dict[int, Mention], spans: list[tuple[int, int]], pos: int) -> Mention | None:
    """The dateline place of the paragraph that holds ``pos`` (the last dateline before it)."""
    best = None
    for a, _b in spans:
        if a <= pos and a in mentions_by_start:
            best = mentions_by_start[a]
    return best


_CANDIDATE = re.compile(
    r"(?<![\w’'-])(?i:in|at|near|of|on|around|bombed|struck|hit|shelled|attacked|pounded|seized|captured|targeted|and"
    r"|recaptured|from|off)\s+(?:the\s+)?(?:(?:village|town|city|port|area|outskirts|camp)\s+of\s+)?"
    r"(?P<name>[A-Z][\w’'-]+(?:[ -](?:(?:al|el|ez|es|as|ad|an|ar|ash)(?=[ -][A-Z])|[A-Z][\w’'-]+)){0,3})"
)
_NOT_NAMES = frozenset(
    """The A An This That Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December I It He She They We His Her Their Its""".split()
)


def candidate_spans(
    text: str, found: list[Mention], sentences: list[tuple[int, int]], lines: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Spans detection left out where the words say a place is named: after a locative word in one of
    ``sentences`` (the attack sentences), and the datelines' places (``lines``). A span may hold a
    name detection found inside a longer one ("Maarat al-Numan", where it took "Numan")."""
    taken = sorted((m.start, m.end) for m in found)
    import bisect

    starts = [a for a, _ in taken]

    def free(a: int, b: int) -> bool:
        """No detected name straddles ``a:b``; one inside it is a part ("Zor" of "Deir ez-Zor")."""
        k = bisect.bisect_left(starts, b) - 1
        while k >= 0 and taken[k][1] > a:
            if taken[k][0] < a or taken[k][1] > b or (taken[k][0], taken[k][1]) == (a, b):
                return False
            k -= 1
        return True

    out = [(a, b) for a, b in lines if free(a, b)]
    for m in (m for s, e in sentences for m in _CANDIDATE.finditer(text, s, e)):
        a, b = m.span("name")
        name = m.group("name")
        if name.split()[0] in _NOT_NAMES or name in ARMED_GROUPS or name.lower() in ARMED_GROUPS:
            continue
        if free(a, b):
            out.append((a, b))
    # "in Sanaa, Hodeidah and Saada": the names listed after a place
    for _, b in sorted([*taken, *out]):
        for m in _LISTED.finditer(text, b, min(len(text), b + 120)):
            if m.start() != b and text[b : m.start()].strip(" ,"):
                break
            s, e = m.span("name")
            if free(s, e) and m.group("name").split()[0] not in _NOT_NAMES:
                out.append((s, e))
            b = e
    return sorted(set(out))


_LISTED = re.compile(
    r",?\s+(?:and\s+)?(?P<name>[A-Z][\w’'-]+"
    r"(?:[ -](?:(?:al|el|ez|es|as|ad|an|ar|ash)(?=[ -][A-Z])|[A-Z][\w’'-]+)){0,3})"
)
