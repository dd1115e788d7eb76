"""When a one-word query is an English word rather than a place name.

Applied to the resolver's answer after ranking (so not part of the stored answers
the index fingerprint covers). The word lists are in the index (``words.marisa``,
``everyday.marisa``, from wordfreq at build time).
"""

from __future__ import annotations

from ._records import EVERYDAY, WORD
from .match import Match

#: A one-word query that is an English word is read as the word unless the place is big:
#: written in lower case ("police", "man", "nice", "court") it names only a country,
#: continent or sea, or a city of a million, by its own name ("paris", not "states" for
#: the United States); capitalised and an everyday word ("Police", "Market", "Border") a
#: country, continent or sea by any name ("Britain"), another place of 100,000 only by its
#: own name ("Nice", "Reading", "Split"), and any place as an abbreviation ("Ill." for
#: Illinois). GeoWebNews' expressions ("authorities", "the border") are such words.
WORD_PLACE_LOWER = 1_000_000
WORD_PLACE_CAPITALISED = 100_000
_WORD_KINDS = frozenset({"country", "continent", "sea"})


def word_may_name(ix, name: str, m: Match, *, words: int | None = None) -> bool:
    """Whether the one-word query ``name``, which may be an English word, names the place ``m``.

    ``words`` is what ``name.lower()`` is as a word (the ``WORD``/``EVERYDAY`` bits of
    ``_records``) when the caller knows it; else the word lists are asked.

    Examples
    --------
    >>> from geoconflict import Gazetteer
    >>> gaz = Gazetteer.default()
    >>> gaz.resolve("police") is None, gaz.resolve("paris").country_code, gaz.resolve("Nice").country_code
    (True, 'FR', 'FR')
    """
    if m.match_type == "online" or name.isupper():
        return True
    if words is None:
        key = name.lower()
        words = (WORD if key in ix.words else 0) | (EVERYDAY if key in ix.everyday else 0)
    if name.islower():
        if not words & WORD:
            return True
        big = m.feature_kind in _WORD_KINDS or m.population >= WORD_PLACE_LOWER
        return big and m.is_own_name
    if not words & EVERYDAY or m.is_abbreviation:
        return True
    return m.feature_kind in _WORD_KINDS or (m.population >= WORD_PLACE_CAPITALISED and m.is_own_name)
