"""How many were killed and hurt: numbers in words and digits next to a death or injury word.

"killing at least three people and wounding 11", "three soldiers died and seven were
hurt", "seven of its soldiers and a civilian contractor were killed" (8), "nobody was
harmed" (0), "погибли три человека, ещё 11 ранены". Each count is read from the clause of
its own verb: the words between the verb and the previous boundary (punctuation, another
casualty word, "when"), or after an active verb up to the next one.
"""

from __future__ import annotations

import re

from . import _lexicon as lx

_BOUNDARY = re.compile(
    r"[,;:()—–]|\b(?:when|after|as|while|in|during|since|but|including|among|said|says|saying|that)\b"
    r"|(?<!\w)(?:в|после|когда)(?!\w)"
)
_PASSIVE = re.compile(r"\b(?:were|was|been|are|is|be)\s+(?:\w+\s+)?$")
_AFTER_STOP = re.compile(r"[,;:()—–]|\b(?:including|among|in|on|near|when|after|during|by)\b|\bat\b(?!\s+least)")
_QUALIFIERS = frozenset(
    {"at", "least", "some", "about", "around", "nearly", "almost", "more", "than", "over", "up", "to"}
)
_ACTIVE = re.compile(
    r"^(?:kill(?:ing|ed|s)|wound(?:ing|ed|s)|injur(?:ing|ed|es)|left|leaving|погибл\w*|ранен\w*|убит\w*)$", re.I
)


def _value(word: str) -> int | None:
    """A count written in digits or words ("11", "eleven", "twenty-two"), else None."""
    w = word.lower().replace(",", "")
    if w.isdigit():
        return int(w)
    if "-" in w:
        tens, _, unit = w.partition("-")
        if tens in lx.NUMBER_WORDS and unit in lx.NUMBER_WORDS:
            return lx.NUMBER_WORDS[tens] + lx.NUMBER_WORDS[unit]
    return lx.NUMBER_WORDS.get(w)


def _numbers_before(text: str) -> int | None:
    """The sum of the counts of a clause that ends at a passive verb ("two people and a child were killed").

    When the clause holds none ("At least 46 people, half of them children, were killed"),
    the clauses before it are read (up to three).
    """
    cuts = [0] + [b.end() for b in _BOUNDARY.finditer(text)]
    for c in (lx.DEATH, lx.INJURY):
        for m in c.finditer(text):
            cuts.append(m.end())
    cuts.sort()
    n = _sum_listed(text[cuts[-1] :], first_only=False)
    k = len(cuts) - 1
    while n is None and k > 0 and k > len(cuts) - 4 and text[cuts[k] - 1 : cuts[k]] == ",":
        n = _sum_listed(text[cuts[k - 1] : cuts[k]], first_only=False)
        k -= 1
    return n


def _sum_listed(clause: str, *, first_only: bool) -> int | None:
    """Counts joined by "and" ("a senior official and six others"); "a"/"an" only at a list item's start."""
    total, seen, item_start = 0, False, True
    for m in re.finditer(r"[\w’'-]+", clause):
        w = m.group()
        low = w.lower()
        v = _value(w)
        if low in ("a", "an", "single") and not item_start:
            v = None
        if v is not None and not re.fullmatch(r"\d{4}", w):  # a year is not a count
            if "year-old" in clause[m.end() : m.end() + 10].lower() or clause[m.end() : m.end() + 1] == "-":
                v = None if low not in ("a", "an") else v
            if v is not None:
                total += v
                seen = True
                item_start = False
                if first_only:
                    return total
                continue
        if low in ("and", "и"):
            item_start = True
        elif low not in _QUALIFIERS:
            item_start = False
    return total if seen else None


def _count(sentence: str, rx: re.Pattern) -> int | None:
    """The count next to the first casualty word of ``rx`` in a sentence that states one."""
    for m in rx.finditer(sentence):
        word = m.group()
        before = sentence[max(0, m.start() - 120) : m.start()]
        if (_ACTIVE.match(word) or _cyrillic(word)) and not _PASSIVE.search(before):
            n = _count_after(sentence, m.end())  # "killing three people", "погибли три человека"
            if n is not None:
                return n
        n = _numbers_before(before)
        if n is not None:
            return n
    return None


def _count_after(sentence: str, start: int) -> int | None:
    """The count an active casualty verb takes, up to the next casualty word or clause boundary."""
    end = len(sentence)
    for c in (lx.DEATH, lx.INJURY):
        nxt = c.search(sentence, start)
        if nxt:
            end = min(end, nxt.start())
    stop = _AFTER_STOP.search(sentence, start, end)
    return _sum_listed(sentence[start : stop.start() if stop else end], first_only=False)


def _cyrillic(s: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in s)


def casualties(sentence: str) -> tuple[int | None, int | None]:
    """``(fatalities, injuries)`` a sentence states, None where it states nothing.

    Examples
    --------
    >>> casualties("Three soldiers died and seven were hurt when a drone hit a checkpoint.")
    (3, 7)
    >>> casualties("Shelling killed at least three people and wounded 11, the governor said.")
    (3, 11)
    >>> casualties("The strike caused no casualties.")
    (0, 0)
    >>> casualties("Seven of its soldiers and a civilian contractor were killed.")
    (8, None)
    """
    sentence = lx.low(sentence)  # the patterns are lower case (see _lexicon)
    dead = _count(sentence, lx.DEATH)
    hurt = _count(sentence, lx.INJURY)
    if lx.NO_CASUALTIES.search(sentence):
        return (0 if dead is None else dead), (0 if hurt is None else hurt)
    if dead is None and lx.NO_DEATHS.search(sentence):
        dead = 0
    return dead, hurt
