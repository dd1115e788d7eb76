"""Tokens: sentences, words, and the word lists detection reads (titles, connectors, compass words)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..names import KIND_HINTS, normalize_variants
from ._lang import CASELESS_LANGS, is_caseless, strip_elision, word_forms

#: Words after which a capitalised name is a person's (or an office's), not a place.
TITLES = frozenset(
    """mr mrs ms miss dr prof president minister premier chancellor spokesman spokeswoman spokesperson
    general gen lt col maj capt sgt adm commander colonel major captain sergeant admiral marshal senator
    sen rep representative gov governor mayor judge justice pope king queen prince princess sheikh imam
    rabbi rev reverend father sir lord lady dame ambassador envoy secretary chairman chairwoman director
    chief officer deputy mp
    президент министр генерал премьер губернатор мэр глава посол міністр прем'єр голова посол
    bakan bakani cumhurbaskani baskani sozcusu valisi nazir prezident sefir bashchi
    ministre premier generale presidente ministro general gobernador alcalde embajador
    prasident bundeskanzler kanzler aussenminister botschafter burgermeister""".split()
)
#: Lower-case words that may sit inside a place name ("Bosnia and Herzegovina" is indexed whole).
CONNECTORS = frozenset(
    """of de del la le du des al el upon on am an der den di da do dos das and y sur en na на""".split()
)
SUFFIX_WORDS = frozenset(k for k in KIND_HINTS if " " not in k)
#: Leading words a name can shed when the whole does not resolve ("South Florida").
COMPASS = frozenset(
    """north south east west northern southern eastern western central upper lower greater northeast
    northwest southeast southwest northeastern northwestern southeastern southwestern""".split()
)
#: Lower-case words a facility's name goes on with: "Kabul airport", "Bagram air base", "the port of
#: Odesa", "the Kakhovka dam", "the Zaporizhzhia nuclear power plant" (the whole must be a name the
#: gazetteer holds; "Bagram" alone is a village in Iran).
FACILITY_WORDS = frozenset(
    """airport airfield air base port seaport harbour harbor dam bridge nuclear power plant station
    refinery terminal crossing checkpoint""".split()
)
#: Arabic articles joined to the next word by a hyphen, inside names: "Deir ez-Zor", "Jisr
#: ash-Shughur", "Ras al-Ain" (a name goes on through one, see :func:`_hyphen_article`).
HYPHEN_ARTICLES = frozenset("al el ad an ar as ash at az ath ed en er es et ez ul ud".split())
MAX_TOKENS = 6
_KEEP_LOWER = CONNECTORS | SUFFIX_WORDS | TITLES | FACILITY_WORDS

#: A word: letters joined by apostrophes, dots (U.S.) or the Persian zero-width non-joiner. A hyphen
#: ends a word: "Nelson-Creston", "Kent-based", "Nigeria-Ukrainian" name places in their parts, and
#: "Nagorno-Karabakh" is found whole, its parts being adjacent (see :func:`_adjacent`).
_TOKEN_RE = re.compile(r"\w+(?:[’'.\u200c]\w+)*\.?")
#: Sentence ends: Latin and Arabic marks, the Armenian full stop (։) and question mark, line breaks.
_SENTENCE_END_RE = re.compile(r"[.!?…։؟۔][\"'”’»)\]]*\s+|[։؟]|\n\s*")
#: No end after an initial or a title's dot ("Gino D. Bassett", "Mr. Aliyev", "Sen. Ben Sasse").
_NO_END_BEFORE_DOT = frozenset("Mr Mrs Ms Dr St Sen Gen Rep Gov Prof Lt Col Sgt Capt".split())
_WORD_BEFORE_RE = re.compile(r"(\w+)$")
_POSSESSIVE = ("’s", "'s", "’", "'")
#: The longest sentence read as one: a text without full stops (a table dump, a list of
#: 128 KB) is cut here, at a space, so the work and the memory per sentence stay bounded.
MAX_SENTENCE = 1_000


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
    forms: tuple[str, ...] = ()  # dictionary forms besides norm ("донецк" for "Донецке")
    caseless: bool = False  # a word of a script without capitals: a candidate although not capitalised


@lru_cache(maxsize=200_000)
def _fold_token(word: str) -> str:
    return normalize_variants(word)[0]


@lru_cache(maxsize=1)
def _wordfreq_langs() -> frozenset[str]:
    try:
        from wordfreq import available_languages
    except ImportError:  # pragma: no cover - optional refinement
        return frozenset()
    return frozenset(available_languages())


@lru_cache(maxsize=100_000)
def _zipf(word: str, lang: str) -> float:
    """How common a word is in ``lang`` (wordfreq's Zipf scale; 0 for a language it lacks)."""
    if lang not in _wordfreq_langs():
        return 0.0
    from wordfreq import zipf_frequency

    # the "small" lists hold every word down to Zipf 3, all the rules ask about, in a tenth of
    # the memory: the large Russian list alone takes 130 MB
    return zipf_frequency(word, lang, wordlist="small")


#: Outside English a frequency list cannot tell a town from a word: the places the wars are
#: reported from ("Бахмут", "Xankəndi", "Gazze") are among the news' commonest words. There only
#: the very commonest words ("После", "Bu", "Dans": Zipf 5 and up) count as words.
_OTHER_LANG_ZIPF = 5.0


#: German capitalises every noun: there, as in English, a capital is no sign of a name.
_CAPITALISED_NOUNS = frozenset({"en", "de"})
#: A sentence's first word this common, outside English, is a word ("Miles de personas").
_OTHER_LANG_OPENER_ZIPF = 4.5


def _common_word(word: str, lang: str = "en") -> bool:
    """True for everyday words ("Police", "Reading", "Ill") that are also place names."""
    return _zipf(word, lang) >= (4.0 if lang in _CAPITALISED_NOUNS else _OTHER_LANG_ZIPF)


def _english_word(word: str, lang: str = "en") -> bool:
    """True for words the language uses at all (zipf >= 3 in English), place names of note aside."""
    return _zipf(word, lang) >= (3.0 if lang == "en" else _OTHER_LANG_OPENER_ZIPF)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``; the spans cover the whole text.

    Examples
    --------
    >>> text = "Shells hit Tartar. Two were hurt."
    >>> [text[a:b].strip() for a, b in sentence_spans(text)]
    ['Shells hit Tartar.', 'Two were hurt.']
    """
    spans, start = [], 0
    for m in _SENTENCE_END_RE.finditer(text):
        if text[m.start()] == "." and _abbreviation_before(text, m.start()):
            continue
        _bounded(text, start, m.end(), spans)
        start = m.end()
    if start < len(text):
        _bounded(text, start, len(text), spans)
    return spans or [(0, len(text))]


def _abbreviation_before(text: str, dot: int) -> bool:
    """The word before this dot is an initial or a title ("D.", "Mr."): the sentence goes on."""
    w = _WORD_BEFORE_RE.search(text, max(0, dot - 5), dot)
    if w is None:
        return False
    word = w.group(1)
    return (len(word) == 1 and word.isupper()) or word in _NO_END_BEFORE_DOT


def _bounded(text: str, a: int, b: int, spans: list[tuple[int, int]]) -> None:
    """Append ``(a, b)``, cut into pieces of at most :data:`MAX_SENTENCE` characters at spaces."""
    while b - a > MAX_SENTENCE:
        cut = text.rfind(" ", a + MAX_SENTENCE // 2, a + MAX_SENTENCE)
        cut = cut + 1 if cut > a else a + MAX_SENTENCE
        spans.append((a, cut))
        a = cut
    spans.append((a, b))


def _hyphen_article(word: str, text: str, end: int) -> bool:
    """``word`` is an Arabic article joined by a hyphen to what follows ("ez-Zor")."""
    return word in HYPHEN_ARTICLES and text.startswith("-", end)


def _tokenize(text: str, sentences: list[tuple[int, int]], lang: str = "en") -> list[_Token]:
    """The tokens detection looks at: capitalised words and the small words that join or follow names.

    Other lower-case words are skipped; the gap they leave keeps names apart. In a
    script without capitals (Arabic, Persian) every word is a candidate.
    """
    tokens = []
    keep_lower = _KEEP_LOWER
    n = len(text)
    all_words = lang in CASELESS_LANGS
    finditer = _TOKEN_RE.finditer
    for si, (a, b) in enumerate(sentences):
        first = True
        for m in finditer(text, a, b):
            word = m.group()
            c0 = word[0]
            if (
                c0.islower()
                and "'" not in word
                and "’" not in word
                and word.rstrip(".").lower() not in keep_lower
                and not _hyphen_article(word, text, m.end())
            ):
                first = False  # most words: lower case, no connector, suffix or title ("of", "province")
                continue
            start, end = m.span()
            apostrophe = "'" in word or "’" in word
            if apostrophe:
                bare = strip_elision(word)  # "d'Alep", "l'Ukraine", "L'Azerbaïdjan"
                if bare is not word and bare[:1].isupper():
                    start, word = start + len(word) - len(bare), bare
                c0 = word[0]
            article = c0.islower() and _hyphen_article(word, text, end)
            caseless = False if c0.isupper() or article else _caseless_candidate(word, all_words, keep_lower)
            if caseless is None:
                first = False
                continue
            dot = word.endswith(".")
            if dot:
                word, end = word[:-1], end - 1
            possessive = False
            if apostrophe and ("'" in word or "’" in word):
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
                    _fold_token(_name_part(word, lang)),
                    c0.isupper() or caseless,
                    len(word) > 1 and word.isupper(),
                    dot or (end < n and text[end] == "."),
                    si,
                    first,
                    possessive,
                    word_forms(word, lang) if lang != "en" or not word.isalpha() else (),
                    caseless,
                )
            )
            first = False
    return tokens


#: Languages whose apostrophe always ends a proper name: what follows is its suffix ("Van'da" is
#: in Van, not "Vanda", Vantaa's Swedish name; "Bakü'yü", "Kahramanmaraş'ın").
_APOSTROPHE_ENDS_NAME = frozenset({"tr", "az"})


def _name_part(word: str, lang: str) -> str:
    """The word, or in Turkish and Azerbaijani the name before its apostrophe."""
    if lang in _APOSTROPHE_ENDS_NAME and ("'" in word or "’" in word):
        head = re.split(r"['’]", word, maxsplit=1)[0]
        return head or word
    return word


def _caseless_candidate(word: str, all_words: bool, keep_lower: frozenset[str]) -> bool | None:
    """None for a word detection skips; else whether it is a candidate of a script without capitals."""
    c0 = word[0]
    if c0.isupper():
        return False
    if c0.islower():
        return False if word.rstrip(".").lower() in keep_lower else None
    if is_caseless(c0) and (all_words or len(word) > 2):
        return True
    return None  # digits


def _adjacent(text: str, a: _Token, b: _Token) -> bool:
    """Two tokens belong to one name only when separated by spaces or a hyphen."""
    gap = text[a.end : b.start]
    return a.sentence == b.sentence and not a.possessive and (gap == " " or gap == "-" or gap == ". ")
