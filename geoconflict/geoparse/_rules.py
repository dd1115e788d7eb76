"""Detection: longest-match lookup over the name trie, and the rules that keep a span or drop it."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from ._lang import is_common_word
from ._people import is_given_name
from ._tokens import (
    COMPASS,
    CONNECTORS,
    FACILITY_WORDS,
    HYPHEN_ARTICLES,
    MAX_TOKENS,
    SUFFIX_WORDS,
    TITLES,
    _adjacent,
    _common_word,
    _english_word,
    _fold_token,
    _hyphen_article,
    _Token,
    _zipf,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..gazetteer import Gazetteer, Match

#: At most this many spellings of one span are walked at once (each word's own form and its
#: dictionary forms, "Нагорном Карабахе" → "нагорный карабах"): the walk stays linear.
MAX_PARTIALS = 6


class _Detector:
    """Longest-match lookup of capitalised word sequences in the gazetteer's name index.

    Each word is tried under its own normalised form and under its dictionary forms
    (:func:`~geoconflict.geoparse._lang.word_forms`); :meth:`spans` gives, for each
    name found, its tokens and the key that matched.
    """

    def __init__(self, gazetteer: Gazetteer, extra: dict[str, str] | None = None):
        self.gaz = gazetteer
        self.trie = gazetteer.name_keys
        self.extra = extra or {}  # names the trie lacks: countries in the text's language

    def spans(self, text: str, tokens: list[_Token]) -> list[tuple[int, int, str]]:
        out = []
        i, n = 0, len(tokens)
        while i < n:
            t = tokens[i]
            # a connector begins no name, but an article does, capitalised or hyphened on to one
            # ("El Fasher", "El-Fasher", "Al-Hasakah")
            if not t.cap or (
                t.norm in CONNECTORS and t.norm not in LEADING_ARTICLES and text[t.end : t.end + 1] != "-"
            ):
                i += 1
                continue
            found = self._longest(text, tokens, i)
            if found is None or (t.norm in CONNECTORS and found[0] - i < 2):
                i += 1  # an article alone is no name ("El", "La")
                continue
            out.append((i, *found))
            i = found[0]
        return out

    def _longest(self, text: str, tokens: list[_Token], i: int) -> tuple[int, str] | None:
        """(end token, matched key) of the longest name starting at token ``i``."""
        trie, n = self.trie, len(tokens)
        best = None
        partials = [tokens[i].norm, *tokens[i].forms]
        j = i + 1
        while True:
            last = tokens[j - 1]
            if last.norm not in CONNECTORS and not _hyphen_article(last.norm, text, last.end):
                hit = self._hit(partials, last, j - i)
                if hit is not None:
                    best = (j, hit)
            if j >= n or j - i >= MAX_TOKENS:
                break
            nxt = tokens[j]
            grows = (
                nxt.cap
                or nxt.norm in CONNECTORS
                or nxt.norm in SUFFIX_WORDS
                or nxt.norm in FACILITY_WORDS
                or _hyphen_article(nxt.norm, text, nxt.end)
            )
            if not _adjacent(text, last, nxt) or not grows:
                break
            grown = [f"{p} {w}" for p in partials for w in (nxt.norm, *nxt.forms)]
            partials = [k for k in grown if next(trie.iterkeys(k), None) is not None][:MAX_PARTIALS]
            if not partials:
                if nxt.norm not in SUFFIX_WORDS:
                    break
                partials = grown[:1]  # "Belgorod region": the name and its kind word, which ``_hit`` weighs
            j += 1
        return best

    def _hit(self, partials: list[str], last: _Token, size: int) -> str | None:
        trie, extra = self.trie, self.extra
        for key in partials:
            if key in trie or key in extra:
                return key
        if size > 1 and last.norm in SUFFIX_WORDS:
            for key in partials:
                stem = key.rsplit(" ", 1)[0]
                if stem in trie:
                    return key
        return None


def _lowercase_words(text: str) -> frozenset[str]:
    """The words the text writes in lower case (in any cased script): no sign of a place when capitalised."""
    return frozenset(w for w in set(_WORD_RE.findall(text)) if w[0].islower())  # each distinct word once


#: What follows a dateline's place: a comma and a state, "(AP)", a dash, a colon.
_DATELINE_RE = re.compile(r",| \(| ?[—–]| -|:")
#: Verbs of speaking and thinking right after a one-word name: its bearer is a person.
_SPEAKS_RE = re.compile(
    r"(?:’s|'s)? (?:said|says|told|tells|added|tweeted|wrote|writes|believes|believed|admitted|reiterated|explained"
    r"|insisted|argued|noted|recalled|thinks|thought|asked|replied|stated|claimed|warned|urged|insists)\b"
)

#: The singular of a capitalised plural this common (Zipf) makes the plural an English noun ("Newcomers").
_PLURAL_ZIPF = 3.0


def _plural_of_word(word: str) -> bool:
    low = word.lower()
    return len(low) > 4 and low.endswith("s") and not low.endswith("ss") and _zipf(low[:-1], "en") >= _PLURAL_ZIPF


#: "for" or "of" and a capitalised word after an everyday word: the words of an organisation's name.
_ORG_TAIL_RE = re.compile(r" (?:for|of) (?:the )?[A-Z]")
#: A number right after a one-word name ("Kanal 13 received funding"), not a year or a count of people.
_NUMBERED_RE = re.compile(r" \d{1,3}\b(?! (?:people|km|kilometres|miles|dead|killed|wounded))")


def _salient_match(match: Match) -> bool:
    """A country, a region or a big city: "Moscow said" is the government speaking, a place all the same."""
    return match.feature_kind in _AREAS or match.population >= 100_000


_WORD_RE = re.compile(r"\b[^\W\d_]{2,}\b")


#: Kinds that are areas: a name of one is a place even when its words are everyday words
#: ("Red Sea", "Black Sea", "Dead Sea" have no population to vouch for them).
_AREAS = ("country", "continent", "region", "admin1", "sea", "lake", "river", "mountain", "island")
#: Capitalised words that follow a place inside the name of something there ("Kapan Airport").
NAME_PART_WORDS = frozenset(
    """airport station university college school hospital times post news club fc city street square
    avenue road bridge stadium arena dam reservoir lake river valley mountains mountain border front
    police army government council parliament assembly court prison base port harbour harbor bay
    district region province oblast raion rayon governorate highway corridor airbase market mosque
    church cathedral monastery museum centre center hotel park plant factory refinery pipeline""".split()
)


#: A capitalised word and an Arabic article joined by a hyphen to what follows: the name after
#: it is the tail of a longer one ("Maarat al-Numan" is no town called Numan, in Nigeria).
_HYPHEN_ARTICLE_ALT = "|".join(sorted(HYPHEN_ARTICLES, key=lambda a: (-len(a), a)))
_ARTICLE_TAIL_RE = re.compile(rf"\b[A-Z][\w'’]*\s+(?:{_HYPHEN_ARTICLE_ALT}|ibn|bin|abu)-$")
_ARTICLE_HEAD_RE = re.compile(rf"\s+(?:{_HYPHEN_ARTICLE_ALT})-[A-Z]")

#: Articles a name may begin with, capitalised: "El Fasher", "Al Hudaydah", "La Paz", "Le Havre",
#: "Des Moines", "Da Nang", "Den Haag" (the whole must be a name the gazetteer holds).
LEADING_ARTICLES = frozenset("al el la le les des del de den der da do dos das di du".split())


def _keep(
    text: str,
    tokens: list[_Token],
    i: int,
    j: int,
    match: Match,
    lower_words: frozenset[str],
    gaz_keys=frozenset(),
    lang: str = "en",
) -> bool:
    """The rules that keep common words, people and titles from becoming places."""
    first = tokens[i]
    if first.caseless and j - i == 1:
        return _keep_caseless(text[first.start : first.end], first.norm in gaz_keys, match, lang)
    if all(t.norm in COMPASS for t in tokens[i:j]):
        return False  # "Western partners", "South Central Ambulance Service": a direction, no place
    if all(t.upper for t in tokens[i:j]) and len(text[first.start : tokens[j - 1].end]) > 3:
        if _DATELINE_RE.match(text, tokens[j - 1].end) and not match.is_code:
            return True  # "WASHINGTON (AP) —", "SAN DIEGO (AP) -", "LOS ANGELES:": a dateline names a place
    if j - i == 1 and not _salient_match(match) and _SPEAKS_RE.match(text, first.end):
        return False  # "Sandberg said", "Holloway told the club": a person speaks, a hamlet does not
    if j - i == 1 and not _salient_match(match) and _NUMBERED_RE.match(text, first.end):
        return False  # "Kanal 13", "Route 66": a channel, a road, a product, named and numbered
    prev = tokens[i - 1] if i > 0 and tokens[i - 1].sentence == first.sentence else None
    area = match.feature_kind in _AREAS
    small = not area and match.population < 100_000  # a city keeps its name: "Tripoli al-Gharb"
    if small and _ARTICLE_TAIL_RE.search(text, max(0, first.start - 40), first.start):
        return False  # "Maarat al-Numan", "Ras al-Ain", "Jisr ash-Shughur": the tail of a longer name
    if small and _ARTICLE_HEAD_RE.match(text, tokens[j - 1].end):
        return False  # "Ras al-Ain", "Deir al-Balah": the head of a longer name the gazetteer lacks
    if prev is not None and prev.norm in TITLES and not area and prev.end <= first.start and not prev.possessive:
        gap = text[prev.end : first.start]
        if gap.strip(" .") == "":
            return False  # "President Vladimir Putin", "spokesperson Anna Petrosyan"
    big = area or match.population >= 100_000
    # a sentence's capitalised first word is no part of the name after it ("Обстрел Донецка", "In Charkiw")
    opener = prev is not None and prev.sentence_start and _opening_word(text, prev, lower_words, lang)
    # an inflected place before a name ("Ukrayna'nın Harkov kentine"), or, outside English, a
    # capitalised everyday word ("Die Stadt Bachmut", "Dışişleri Bakanı Bakü'yü")
    opener = opener or (prev is not None and _no_name_part(text, prev, gaz_keys, lang))
    if (
        prev is not None
        and prev.cap
        and not area
        and not opener
        and not (j - i == 1 and _case_marked(first, gaz_keys, lang) and not is_given_name(prev.norm))
        and not prev.caseless
        and _adjacent(text, prev, first)
        and prev.norm not in COMPASS
    ):
        # the tail of a longer proper name: "Security Council", "David Smith", "OSCE Minsk Group"
        return False
    if j - i > 1:
        words = [text[t.start : t.end].lower() for t in tokens[i:j]]
        if all(w in CONNECTORS or _common_word(w, lang) for w in words):
            # "Red Cross", "Central Park": everyday words; an area's own name stays ("South Korea's …"),
            # and so does a building the curated table holds by that name ("outside the White House")
            named = big or (match.feature_kind == "facility" and match.is_own_name)
            return named and (not first.sentence_start or match.feature_kind in ("country", "admin1"))
        return True
    nxt = tokens[j] if j < len(tokens) and tokens[j].sentence == first.sentence else None
    return _keep_word(text, first, nxt, match, area, big, lower_words, gaz_keys, lang)


#: A sentence's first word this common is a word, not the first half of a name ("In", "After", "Dans").
_OPENER_ZIPF = 5.0


def _opening_word(text: str, token: _Token, lower_words: frozenset[str], lang: str) -> bool:
    """A sentence's first word that is an everyday word ("In Charkiw", "Обстрел Донецка"), not "Tom Udall"."""
    word = text[token.start : token.end]
    low = word.lower()
    if low in lower_words or _zipf(low, lang) >= _OPENER_ZIPF:
        return True
    return lang in ("ru", "uk") and is_common_word(word, lang)


def _no_name_part(text: str, token: _Token, gaz_keys, lang: str) -> bool:
    if any(f in gaz_keys for f in token.forms):
        return True
    if lang == "en":
        return False
    word = text[token.start : token.end]
    if lang in ("ru", "uk"):
        return is_common_word(word, lang)
    return _zipf(word.lower(), lang) >= _EVERYDAY_ZIPF


#: Languages that write a case ending on a noun phrase's last word only ("Rəcəb Tayyib Ərdoğan
#: Ankarada", "Նիկոլ Փաշինյանը Բրյուսելում"): a name read through its ending ends its phrase, and
#: the capitalised word before it (a person's name) is no first half of it.
PHRASE_FINAL_CASE = frozenset({"tr", "az", "hy"})


def _case_marked(token: _Token, gaz_keys, lang: str) -> bool:
    """A word with a case ending after a name: "İstanbul'da" (the apostrophe's), "Ankarada" (a stem that is one)."""
    if lang not in PHRASE_FINAL_CASE:
        return False
    if token.norm in token.forms:  # the token reads the name before its apostrophe, a suffix after it
        return True
    return token.norm not in gaz_keys and any(f in gaz_keys for f in token.forms)


#: Outside English a capitalised word this common before a name is a word, not part of the name
#: (German nouns: "Stadt", "Hafen"; Turkish titles: "Bakanı").
_EVERYDAY_ZIPF = 3.5
#: A word after a town's name this common is the noun of an organisation's name ("Post", "Commission",
#: "Fire", "Times"), not a surname ("Putin" is 4.1, "Nightingale" 3.3).
_ORGANISATION_NOUN_ZIPF = 4.5
#: Outside English a short capitalised word is taken for a word only when this common ("Das", "Bir").
_SHORT_WORD_ZIPF = 5.0
#: How common a word of a script without capitals may be and still be taken for a small
#: place: Arabic "من" (from) and "على" (on) are hamlets' names in GeoNames too. A town of
#: 1,000 may be Zipf 3.75, one of 100,000 Zipf 4.25.
_CASELESS_ZIPF = 3.5


def _keep_caseless(word: str, as_written: bool, match: Match, lang: str) -> bool:
    """A one-word name in a script without capitals: areas and big places, or words the language rarely uses.

    How common the word is is asked of the word as written ("الفصائل", factions), not of its
    normalised form (the hamza folded: "الفصايل", rare). A big place read through a clitic
    stripped (``as_written`` false) must be a rare word too: "السلطات" (the authorities) is
    Zipf 5, and its stem "سلطات" a name of Settat.
    """
    if match.is_code or match.is_abbreviation:
        return False
    if match.feature_kind in _AREAS:
        return True
    zipf = _zipf(word, lang)
    if match.population >= 100_000 and as_written:
        return True  # capitals are their languages' commonest words in the news ("غزة", "تهران")
    # a town may be as common a word as it is big: Saravan (60,000) is Zipf 4.1 in Persian news
    return match.population >= 1_000 and zipf < _CASELESS_ZIPF + math.log10(match.population) / 4 - 0.5


def _keep_word(
    text: str,
    token: _Token,
    nxt: _Token | None,
    match: Match,
    area: bool,
    big: bool,
    lower_words: frozenset[str],
    gaz_keys: frozenset[str],
    lang: str = "en",
) -> bool:
    """The rules for a one-word name: titles, codes, abbreviations, first names, everyday words."""
    word = text[token.start : token.end]
    if token.norm in TITLES:
        return False  # "Ms", "Gen", "Gov" are titles even when a place shares the letters
    if match.is_code and not match.is_abbreviation:  # an identifier, not a name
        return False
    if token.upper and len(word) <= 3:
        # "US", "UK", "EU" are abbreviations; "AM", "OK" are not places. Outside the Latin script
        # no country has a code: a short all-capital name of one is its abbreviation ("США", "ԱՄՆ")
        return match.is_abbreviation or (match.feature_kind == "country" and not word.isascii())
    if match.is_abbreviation and not token.upper and not token.dot_after:
        return False  # "Calif." and "Ill." are written with their dot; "Ill" alone is a word
    if not area and _is_first_name(text, token, nxt, match, gaz_keys, lower_words, lang):
        return False
    if lang == "en" and not big and _plural_of_word(word):
        return False  # "not just for Newcomers": a plural noun capitalised as a title, a hamlet's name
    if match.feature_kind != "country" and _common_word(word.lower(), lang) and _ORG_TAIL_RE.match(text, token.end):
        return False  # "the Centre for Monitoring", "the Ministry of Defence": an organisation's words
    return _keep_everyday_word(token, word, match, area, big, lower_words, lang)


def _is_first_name(
    text: str,
    token: _Token,
    nxt: _Token | None,
    match: Match,
    gaz_keys: frozenset[str],
    lower_words=frozenset(),
    lang: str = "en",
) -> bool:
    """A town's name written as a person's first name, followed by a capitalised word of that name."""
    if nxt is None or not nxt.cap or not _adjacent(text, token, nxt) or nxt.norm in SUFFIX_WORDS:
        return False
    if lang != "en" and (_case_marked(token, gaz_keys, lang) or not is_given_name(token.norm)):
        # outside English most places are named by a translation ("Gazze Şeridi'ne", "Bakıdan
        # Naxçıvana"), and a first name is a given name of the lexicon that takes no case ending
        return False
    if not match.is_own_name:
        return True  # "David Smith": a first name that is some town's other name
    if nxt.norm in lower_words or _zipf(nxt.norm, "en") >= _ORGANISATION_NOUN_ZIPF:
        return False  # "Washington Post", "Venice Commission", "Boise Fire Department": a place in a name
    # "Vladimir Putin", "Florence Nightingale": a first name, followed by a surname; not
    # "Kapan Airport" (a place inside a name) nor two places side by side
    return (
        match.population < 1_000_000
        and nxt.norm not in TITLES
        and nxt.norm not in NAME_PART_WORDS
        and _fold_token(text[nxt.start : nxt.end]) not in gaz_keys
    )


def _keep_everyday_word(
    token: _Token, word: str, match: Match, area: bool, big: bool, lower_words: frozenset[str], lang: str = "en"
) -> bool:
    """A one-word name that English also uses as a word: only big places, and areas, survive."""
    lower = word.lower()
    short_word = _zipf(lower, lang) >= (4.0 if lang == "en" else _SHORT_WORD_ZIPF)  # "Genf" is German for Geneva
    if len(word) <= 4 and not token.upper and short_word and not token.dot_after:
        return match.feature_kind in ("country", "continent", "region") and not match.is_abbreviation
    if lower in lower_words or _common_word(lower, lang):
        # "Police said", "on Thursday", "Reading the report": a capital is no sign of a
        # place for an everyday word; only big places survive, and at the start of a
        # sentence only areas the text never writes in lower case
        if token.sentence_start:
            return area and lower not in lower_words
        return big
    if token.sentence_start and not big and _english_word(lower, lang):
        return False  # "Artillery duels continued": a sentence's first word, a hamlet's name
    if token.sentence_start and not big and lang in ("ru", "uk") and is_common_word(word, lang):
        return False  # "Пожар вспыхнул": a noun opening the sentence, a hamlet's name
    return True
