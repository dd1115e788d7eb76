"""People and organisations: a given-name and surname lexicon, and what a document says about who a word is.

The lexicon is Faker's person data (every locale it ships, read from the installed package,
never downloaded): 31,000 given names and 30,000 surnames of some 80 languages. A word being
in it proves nothing alone ("Georgia", "Jordan", "Lincoln" are given names too); the rules
ask it only where the text already writes a pattern of a person's name ("Andrew Jordan",
"said Wu", "her son, Sebastian").
"""

from __future__ import annotations

import re
from functools import lru_cache

from ._tokens import CONNECTORS, _adjacent, _fold_token, _Token

#: Nouns of kin and pets: "his son, Sebastian", "her daughter Florence", "Levi is his service dog",
#: "Miranda's son": the name beside one is someone's, not a place's.
KIN_NOUNS = frozenset(
    """son sons daughter daughters wife husband mother father mom dad brother sister grandson granddaughter
    grandmother grandfather grandchildren uncle aunt nephew niece cousin boyfriend girlfriend fiance fiancee
    widow widower stepson stepdaughter twin baby child dog puppy cat horse pet""".split()
)
#: Nouns of a firm after its possessive: "Zara's headquarters", "Amazon's shareholders"; a town
#: has no shareholders, and "Kyiv's mayor", "Chad's army" (offices and forces) are not here.
FIRM_NOUNS = frozenset(
    """headquarters shareholders shares stock stores shoppers customers subscribers founder cofounder
    brand brands products career album albums fans""".split()
)
#: A kin noun right before a name, a comma between or not ("a 3-year-old son, Sebastian").
_KIN_BEFORE_RE = re.compile(r"\b(?:" + "|".join(sorted(KIN_NOUNS)) + r"),? $")
#: After the name: "is his service dog", "was her husband".
_KIN_AFTER_RE = re.compile(
    r" (?:is|was) (?:his|her|their|my|our) (?:[a-z-]+ )?(?:" + "|".join(sorted(KIN_NOUNS)) + r")\b"
)
#: Works and their makers before a name: "music by Haydn, Chopin", "a piece by Haydn", "created by
#: Victoria Rowell", "directed by Jordan Peele"; a statement or a strike "by Moscow" is not here.
_MAKER_BEFORE_RE = re.compile(
    r"\b(?:music|songs?|works?|pieces?|paintings?|novels?|books?|films?|plays?|poems?|sonatas?|symphony"
    r"|symphonies|concertos?|operas?|portraits?|sculptures?|written|directed|composed|produced|created"
    r"|painted|sung|authored|illustrated|choreographed|narrated|starring|featuring) by $"
)
#: A personal honorific right before a name: "Mr Levi", "Dr. Chiesa" (offices are in TITLES).
HONORIFICS = frozenset("mr mrs ms miss dr sir dame madam mme herr frau".split())
#: An age in commas after a name: "Ahmed, 45, was wounded"; "Goris, 20 km away" has a unit.
_AGE_AFTER_RE = re.compile(r", \d{1,3},")
#: Speech right before a name: "said Wu, who was born in Taiwan"; the name ends its clause there.
_SAID_BEFORE_RE = re.compile(r"\b(?:said|says|added|wrote|asked|told reporters|according to) $")
_CLAUSE_END_RE = re.compile(r"[,.;]")
#: Particles inside a surname: "Mario de Santiago", "Ursula von der Leyen".
PARTICLES = frozenset("de da di del della van von der bin ibn le".split())


@lru_cache(maxsize=1)
def person_lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """(given names, surnames), folded as tokens are, from every locale of Faker's person provider.

    Empty sets when Faker is absent: the rules that ask the lexicon then take no one for a person.
    """
    try:
        import importlib
        import pkgutil

        import faker.providers.person as person
    except ImportError:  # pragma: no cover - a dependency; the rules degrade to the lexicon-free ones
        return frozenset(), frozenset()
    given: set[str] = set()
    family: set[str] = set()
    for info in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{info.name}").Provider
        for attr, value in vars(provider).items():
            if attr.startswith(("first_name", "first_romanized")):
                given.update(_names(value))
            elif attr.startswith(("last_name", "last_romanized")):
                family.update(_names(value))
    return frozenset(given), frozenset(family)


def _names(value) -> set[str]:
    """The one-word names of a Faker list or weighted dict ("Mary Ann" and properties skipped)."""
    if not isinstance(value, dict | list | tuple | set | frozenset):
        return set()
    return {_fold_token(v) for v in value if isinstance(v, str) and v.isalpha()}


def is_given_name(norm: str) -> bool:
    return norm in person_lexicon()[0]


def is_surname(norm: str) -> bool:
    return norm in person_lexicon()[1]


def given_name_before(text: str, tokens: list[_Token], k: int) -> int | None:
    """Index of the given name that opens the name ending at token ``k`` ("Andrew |Jordan|", "Mario de |Santiago|")."""
    if k == 0:
        return None
    prev = tokens[k - 1]
    if prev.norm in PARTICLES and k >= 2 and text[prev.end : tokens[k].start] == " ":
        if text[tokens[k - 2].end : prev.start] == " ":
            prev, k = tokens[k - 2], k - 1
    if not prev.cap or prev.upper or prev.norm in CONNECTORS or not _adjacent(text, prev, tokens[k]):
        return None
    return k - 1 if is_given_name(prev.norm) else None


def person_context(text: str, tokens: list[_Token], k: int, lang: str) -> bool:
    """The text writes token ``k`` as someone's name: kin, a work's maker, an honorific, an age.

    English phrasings only (the news of other languages says these otherwise).
    """
    t = tokens[k]
    if lang != "en" or not t.cap or t.upper:
        return False
    before = text[max(0, t.start - 40) : t.start]
    if _KIN_BEFORE_RE.search(before) or _MAKER_BEFORE_RE.search(before) or _maker_list(text, tokens, k):
        return True
    if k > 0 and tokens[k - 1].norm in HONORIFICS and tokens[k - 1].sentence == t.sentence:
        return text[tokens[k - 1].end : t.start].strip(". ") == ""
    if t.possessive:
        word = re.match(r"(?:’s|'s|’|') (\w+)", text[t.end : t.end + 30])
        return word is not None and word.group(1) in KIN_NOUNS | FIRM_NOUNS
    return bool(_KIN_AFTER_RE.match(text, t.end) or _AGE_AFTER_RE.match(text, t.end))


def said_before(text: str, t: _Token) -> bool:
    """ "said Wu, who …": a speech verb before a name that ends its clause."""
    return bool(_SAID_BEFORE_RE.search(text, max(0, t.start - 20), t.start) and _CLAUSE_END_RE.match(text, t.end))


def _maker_list(text: str, tokens: list[_Token], k: int) -> bool:
    """Token ``k`` is a later member of a list after "by": "music by Haydn, Chopin, Liszt and Debussy"."""
    while k > 0:
        prev, t = tokens[k - 1], tokens[k]
        gap = text[prev.end : t.start]
        if gap not in (", ", " and ", ", and ") or not prev.cap or prev.sentence != t.sentence:
            return False
        k -= 1
        if _MAKER_BEFORE_RE.search(text, max(0, tokens[k].start - 40), tokens[k].start):
            return True
    return False
