"""Detection over a whole document: names found, rules applied, and the document's own evidence about people.

Examples
--------
>>> from geoconflict.geoparse import find_mentions
>>> text = "They met Sheryl Sandberg in Lyon. Sandberg said the talks would go on."
>>> [m.text for m in find_mentions(text)]
['Lyon']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lang import country_names
from ._rules import _AREAS, _Detector, _keep, _lowercase_words
from ._tokens import COMPASS, CONNECTORS, TITLES, _adjacent, _fold_token, _Token, _tokenize, _zipf

if TYPE_CHECKING:  # pragma: no cover
    from ..gazetteer import Gazetteer, Match

#: Alliances and organisations the gazetteer holds as regions (their members' area) but a
#: reader never takes for a place: "NATO said", "the CSTO summit" (GeoWebNews counts NATO as
#: no toponym 20 times in its evaluation split). Written in the scripts the news uses.
ORGANISATIONS = frozenset(
    """nato otan нато csto одкб osce обсе aukus opec опек brics брикс sco шос interpol europol frontex""".split()
)
#: The shortest word taken for a surname after a first name ("Sheryl Sandberg"); "Kim Il" aside.
_MIN_TAIL = 3


def _detect(gaz: Gazetteer, text: str, sentences: list[tuple[int, int]], lang: str, mention_type) -> list:
    """The mentions detection finds: the longest indexed names the rules of :func:`_keep` accept.

    ``mention_type`` is :class:`~geoconflict.geoparse.Mention` (passed in, so this module
    never imports the package's front).
    """
    tokens = _tokenize(text, sentences, lang)
    lower_words = _lowercase_words(text)
    keys = gaz.name_keys
    surnames = _surnames(text, tokens, keys, lang)
    out = []
    countries = country_names(lang)
    for i, j, key in _Detector(gaz, countries).spans(text, tokens):
        a, b = tokens[i].start, tokens[j - 1].end
        name = text[a:b]
        lookup = name if key == _fold_token(name) else key
        m = gaz.resolve(lookup)
        if (m is None or m.feature_kind != "country") and key in countries:
            country = gaz.country(countries[key])  # matched on its code: resolve its name instead
            m = gaz.resolve(country.name) if country is not None else m
        if m is None or _dropped(m, key, j - i, surnames):
            continue
        if not _keep(text, tokens, i, j, m, lower_words, keys, lang):
            continue
        mention = mention_type(a, b, name, tokens[i].sentence, m, lookup=lookup)
        mention.kind, mention.reason = _kind_and_reason(tokens, i, j, m, name, lookup)
        if i > 0 and tokens[i - 1].possessive and tokens[i - 1].sentence == tokens[i].sentence:
            mention.context_hint["possessive"] = text[tokens[i - 1].start : tokens[i - 1].end]
        out.append(mention)
    return out


def _dropped(m: Match, key: str, size: int, surnames: frozenset[str]) -> bool:
    """An organisation's name, or a one-word name this document uses as a person's surname."""
    if key in ORGANISATIONS:
        return True
    return size == 1 and key in surnames and m.feature_kind not in _AREAS


def _surnames(text: str, tokens: list[_Token], keys, lang: str) -> frozenset[str]:
    """Words this document writes after a first name ("Sheryl Sandberg", "Conor McGregor").

    The pair is no name the gazetteer knows, and its first word is no place name, title
    or compass word: the second is a surname, here and wherever the text writes it alone.
    """
    out = set()
    for k in range(len(tokens) - 1):
        t, u = tokens[k], tokens[k + 1]
        if not (t.cap and u.cap) or t.caseless or t.upper or u.upper or not _adjacent(text, t, u):
            continue
        if t.norm in TITLES or t.norm in COMPASS or t.norm in CONNECTORS or len(u.norm) < _MIN_TAIL:
            continue
        if t.sentence_start or _zipf(t.norm, lang) >= 4:
            continue  # "Later Talin", "Police Sandberg": a word before a name, not a first name
        if t.norm in keys or f"{t.norm} {u.norm}" in keys or next(keys.iterkeys(f"{t.norm} {u.norm} "), None):
            continue
        if k + 2 < len(tokens) and tokens[k + 2].cap and _adjacent(text, u, tokens[k + 2]):
            continue  # "Sheryl Sandberg Foundation"? "Bank of America Tower": a longer name, not a person
        out.add(u.norm)
    return frozenset(out)


def _kind_and_reason(tokens: list[_Token], i: int, j: int, m: Match, name: str, lookup: str) -> tuple[str, str]:
    """The mention's kind (place / demonym / in_name) and why detection took it."""
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
        and nxt.cap
        and not nxt.caseless
        and nxt.sentence == first.sentence
        and nxt.start - tokens[j - 1].end == 1
    ):
        return "in_name", why + ", inside a longer name"
    return "place", why
