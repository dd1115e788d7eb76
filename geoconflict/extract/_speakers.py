"""Who says it: the speaker of a claim or a denial, what kind of source it is, and who attacked.

Speakers are read from the words next to a speech verb ("…, the regional governor
said", "according to residents", "Moscow denied …", "сообщили в областной
администрации"), a bounded window of tokens either side: the cost of a sentence is
proportional to its length whatever it holds.
"""

from __future__ import annotations

import re

from ..schema import ARMED_GROUPS
from . import _lexicon as lx

#: Head nouns of a speaker ("the ministry", "witnesses", "a shipping security firm").
SPEAKER_NOUNS = frozenset(
    """ministry ministries government authorities authority officials official military army forces troops command
    spokesman spokeswoman spokesperson spokesmen president presidency office governor mayor administration
    administrator sources source witnesses witness residents medics doctors activists agency service services
    police staff observatory group firm company channel network media television radio coordinator director head
    chief commander movement rebels militants insurgents junta council committee monitor mission navy intelligence
    prosecutors prosecutor kremlin statement hospital ngo organisation organization operator emergency media outlet
    officer officers paramilitary militia fighters jihadists authority agencies governorate department force
    guard resident activist medic doctor journalist correspondent reporter""".split()
)
#: Words that qualify a speaker's head noun ("local", "regional", "state news").
SPEAKER_MODIFIERS = frozenset(
    """local regional provincial district city town municipal state news security medical health foreign defence
    defense interior military shipping civil society emergency border nearby camp general interim senior unnamed
    several two three air naval armed de facto self-declared separatist rebel southern northern eastern western
    central""".split()
)
#: Words inside a speaker's name ("head of the regional administration", "medics at the hospital").
_LINKS = frozenset({"of", "for", "at", "in", "and", "from"})
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our"})
#: Words between a speaker and the verb that belong to neither ("the ministry also said").
_SKIP = frozenset({"also", "later", "earlier", "had", "has", "have", "then", "separately", "previously", "further"})
_PRONOUNS = frozenset({"it", "they", "he", "she", "we"})
#: Russian words that end a speaker phrase.
_RU_STOP = frozenset({"что", "однако", "но", "а", "и", "об", "о", "это", "эти", "также"})
_TOKEN = re.compile(r"[\w][\w.’'-]*|[^\w\s]")
_WINDOW = 160


def _tokens(text: str) -> list[str]:
    """Words and punctuation marks, in order."""
    # a sentence's full stop is not part of its last word; "U.S." keeps its dots
    return [w[:-1] if w.endswith(".") and w.count(".") == 1 and len(w) > 1 else w for w in _TOKEN.findall(text)]


def _bare(word: str) -> str:
    """A word without its possessive ending, lower case."""
    return word.lower().removesuffix("’s").removesuffix("'s").rstrip("’'")


def _accept(word: str) -> bool:
    """A word that can be part of an English speaker's name."""
    if word[0].isupper() or any(c.isdigit() for c in word):
        return True
    low = word.lower()
    if low.endswith(("’s", "'s", "s’", "s'")):
        return True  # "the district's head", "the rebels' channel"
    return low in SPEAKER_NOUNS or low in SPEAKER_MODIFIERS or ("-" in low and low.split("-")[-1] in {"led", "backed"})


def speaker_before(sentence: str, pos: int) -> str | None:
    """The speaker written right before ``pos`` (a speech verb) in an English sentence; "it" for a pronoun."""
    words = _tokens(sentence[max(0, pos - _WINDOW) : pos])
    while words and (words[-1].lower() in _SKIP or words[-1].lower().endswith("ly")):
        words.pop()
    if words and words[-1].lower() in _PRONOUNS:
        return "it"
    taken: list[str] = []
    while words and len(taken) < 12:
        w = words[-1]
        low = w.lower()
        if low in _DETERMINERS:
            if len(words) > 1 and words[-2].lower() in _LINKS and taken:
                taken.append(words.pop())
                continue
            break
        if low in _LINKS and taken and len(words) > 1 and _accept(words[-2]):
            taken.append(words.pop())
            continue
        if not w[0].isalnum() or not _accept(w):
            break
        taken.append(words.pop())
    return _speaker(list(reversed(taken)))


def speaker_after(sentence: str, pos: int) -> str | None:
    """The speaker written after ``pos`` ("according to |the town's mayor", "said |the ministry")."""
    words = _tokens(sentence[pos : pos + _WINDOW])
    if words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    taken: list[str] = []
    for k, w in enumerate(words[:12]):
        low = w.lower()
        if low in _LINKS or low in _DETERMINERS:
            nxt = words[k + 1 : k + 3]
            # "head of the regional administration": a link, maybe a determiner, then a name word
            if (
                taken
                and nxt
                and (_accept(nxt[0]) or (nxt[0].lower() in _DETERMINERS and len(nxt) > 1 and _accept(nxt[1])))
            ):
                taken.append(w)
                continue
            break
        if not w[0].isalnum() or not _accept(w):
            break
        taken.append(w)
    return _speaker(taken)


def _speaker(words: list[str]) -> str | None:
    """The speaker from the words taken: no dangling links or leading article; a country or a head noun required."""
    while words and (words[-1].lower() in _LINKS or words[-1].lower() in _DETERMINERS):
        words.pop()
    while words and words[0].lower() in _LINKS:
        words.pop(0)
    if not words:
        return None
    if not any(w[0].isupper() or _bare(w) in SPEAKER_NOUNS for w in words):
        return None
    if words[0] in ("The", "A", "An", "But", "And", "Meanwhile", "However"):
        words = words[1:]
    if len(words) > 2 and words[0].lower() == "statement" and words[1].lower() in ("from", "by", "of"):
        words = words[2:]  # "a statement from the ministry": the ministry
        if words[0].lower() in _DETERMINERS:
            words = words[1:]
    return " ".join(words) or None


def russian_speaker(sentence: str, start: int, end: int, *, subject_first: bool = False) -> str | None:
    """The speaker of a Russian speech verb at ``start:end``: the words after it, else the words before it.

    Reports put the source after the verb ("сообщили в областной администрации"); a
    denial puts it first ("Москва опровергла"): ``subject_first`` reads the words before first.
    """
    after = _tokens(sentence[end : end + _WINDOW])
    if after and after[0].lower() in ("в", "во"):
        after = after[1:]
    before = list(reversed(_tokens(sentence[max(0, start - _WINDOW) : start])))
    runs = [list(reversed(_ru_run(before))), _ru_run(after)]
    if not subject_first:
        runs.reverse()
    return next((" ".join(r) for r in runs if r), None)


def _ru_run(words: list[str]) -> list[str]:
    """The words up to the first punctuation mark or function word (at most five)."""
    out = []
    for w in words[:5]:
        if not w[0].isalnum() or w.lower() in _RU_STOP:
            break
        out.append(w)
    return out


def claims(sentence: str) -> list[tuple[int, str]]:
    """``(position, speaker)`` of every attribution in a sentence: "X said", "according to X", "по данным X"."""
    out = []
    low = lx.low(sentence)
    for m in lx.CLAIM_VERB.finditer(low):
        if _cyrillic(m.group()):
            who = russian_speaker(sentence, m.start(), m.end())
        else:
            who = speaker_before(sentence, m.start())
            if who is None and _inverted(sentence, m.start()):
                who = speaker_after(sentence, m.end())
        if who:
            out.append((m.start(), who))
    for m in lx.ACCORDING.finditer(low):
        who = (
            speaker_after(sentence, m.end())
            if not _cyrillic(m.group())
            else " ".join(_ru_run(_tokens(sentence[m.end() : m.end() + _WINDOW])))
        )
        if who:
            out.append((m.start(), who))
    return out


def _inverted(sentence: str, pos: int) -> bool:
    """ "…, said the ministry": the verb opens its clause."""
    before = sentence[:pos].rstrip().rstrip("\"”’'»")  # '"We were shelled all night," said a resident'
    return before.endswith((",", "—", "–", ":", ".", "!", "?")) or not before.strip()


def _cyrillic(s: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in s)


def denials(sentence: str) -> list[tuple[int, str | None]]:
    """``(position, denier or None)`` of every denial in a sentence; silence ("declined to comment") is none."""
    out: list[tuple[int, str | None]] = []
    low = lx.low(sentence)
    for m in lx.DENIAL_VERB.finditer(low):
        if lx.NOT_A_DENIAL.search(low, max(0, m.start() - 20), m.end() + 20):
            continue
        if _cyrillic(m.group()):
            out.append((m.start(), russian_speaker(sentence, m.start(), m.end(), subject_first=True)))
            continue
        tail = sentence[m.end() : m.end() + 6]
        who = speaker_after(sentence, m.end() + 4) if tail.startswith(" by ") else speaker_before(sentence, m.start())
        out.append((m.start(), None if who == "it" else who))
    if not out:
        m = lx.DENIAL_WORDS.search(low)
        if m:
            verb = lx.CLAIM_VERB.search(low)
            who = speaker_before(sentence, verb.start()) if verb and not _cyrillic(verb.group()) else None
            if who is None and not _cyrillic(sentence[:20]):
                who = speaker_after(sentence, 0)  # "Moscow called the claims baseless": the sentence's subject
            out.append((m.start(), None if who == "it" else who))
    return out


# ----------------------------------------------------------------------------- source kinds
_KINDS: list[tuple[str, re.Pattern]] = [
    (
        "anonymous",
        r"\b(?:sources?|witness(?:es)?|residents?|activists?|unnamed|people familiar)\b|источник|очевид|жител",
    ),
    (
        "UN/NGO",
        r"\b(?:UN|U\.N\.|united nations|observatory|ngos?|red cross|red crescent|msf|amnesty|human rights|civil society"
        r"|humanitarian|monitors?|medics|doctors|hospital|health workers|ocha|unicef)\b|ООН|правозащит",
    ),
    (
        "armed group",
        r"\b(?:rebels?|militants?|movement|insurgents?|fighters|jihadists?|militia|paramilitary|"
        + "|".join(re.escape(k) for k in ARMED_GROUPS)
        + r")\b|повстанц|боевик",
    ),
    (
        "local official",
        r"\b(?:governor|mayor|head|administration|administrator|prefect|council|municipal\w*|district)\b|губернатор|глав|администрац|мэр",
    ),
    (
        "military",
        r"\b(?:defen[cs]e|military|army|forces|troops|command|general staff|navy|air force|commanders?|intelligence)\b"
        r"|минобороны|министерство обороны|военн|ВСУ|штаб|командовани",
    ),
    ("media", r"\b(?:agency|news|television|tv|channel|media|newspaper|radio|outlet)\b|СМИ|агентств|телеканал"),
    ("company", r"\b(?:firm|company|operator|owner|insurer)\b"),
]
_KIND_RES = [(k, re.compile(p, re.IGNORECASE)) for k, p in _KINDS]


def source_kind(speaker: str | None) -> str | None:
    """The kind of a claim's source (schema.CLAIM_SOURCE_KINDS); a country, capital or ministry is "government".

    Examples
    --------
    >>> [source_kind(s) for s in ("military sources", "the regional governor", "Ukraine", "the Houthis")]
    ['anonymous', 'local official', 'government', 'armed group']
    """
    if not speaker:
        return None
    for kind, rx in _KIND_RES:
        if rx.search(speaker):
            return kind
    return "government"


# ----------------------------------------------------------------------------- actors
_FORCE = re.compile(
    r"\b(?:forces|troops|army|military|soldiers|rebels|fighters|militants|jihadists|gunmen|paramilitar(?:y|ies)"
    r"|militia|units|warplanes|jets|aircraft|drones?|missiles?|rockets?|artillery|shells?|tanks|airstrikes?"
    r"|air ?strikes?|navy|side)\b",
    re.IGNORECASE,
)
_ATTACKER = re.compile(
    r"\b(?:fired|launched|carried out|conducted|shelled|attacked|targeted|backed|blamed on)\s+by\s+(?:the\s+)?"
)
_ACTOR_WORD = re.compile(r"(?<![\w-])(?:[A-Z][\w’'-]*|and)(?![\w’'-])")


def attacker(sentence: str) -> str | None:
    """The attacking side as written: "fired by Armenian forces", else "Russian drones", "M23 rebels", "RSF".

    Examples
    --------
    >>> attacker("A missile fired by Armenian forces hit the area near Orduba.")
    'Armenian forces'
    >>> attacker("Rapid Support Forces shelled the market.")
    'Rapid Support Forces'
    """
    m = _ATTACKER.search(sentence)
    if m:
        words = _tokens(sentence[m.end() : m.end() + 80])[:4]
        head = next((k for k, w in enumerate(words) if _FORCE.fullmatch(w)), None)
        if head is not None:
            return " ".join(words[: head + 1])
    for f in _FORCE.finditer(sentence):
        words = _tokens(sentence[max(0, f.start() - 60) : f.start()])
        named: list[str] = []
        while words and len(named) < 4 and (_ACTOR_WORD.fullmatch(words[-1]) or words[-1].lower() in ARMED_GROUPS):
            named.append(words.pop())
        while named and named[-1] == "and":
            named.pop()
        named = [w for w in reversed(named) if w not in ("The", "A", "An")]
        if named:
            return " ".join([*named, f.group()])
    for w in _tokens(sentence):
        if w.lower() in ARMED_GROUPS and w[0].isupper():
            return w
    first = _tokens(sentence[:40])[:3]
    return next((w for w in first if w.lower() in _UNNAMED), None)  # "Gunmen killed …"


_GROUP_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(k) for k in sorted(ARMED_GROUPS, key=len, reverse=True)) + r")(?!\w)", re.I
)

#: Countries whose gazetteer name is not the short name ACLED's actor names use.
_SHORT_NAMES = {
    "Russian Federation": "Russia",
    "Syrian Arab Republic": "Syria",
    "Palestine, State of": "Palestine",
    "Iran, Islamic Republic of": "Iran",
    "Congo, The Democratic Republic of the": "Democratic Republic of Congo",
}
#: Armed men the text does not name: ACLED's "Unidentified Armed Group".
_UNNAMED = frozenset({"gunmen", "militants", "jihadists", "fighters", "rebels", "assailants", "attackers"})


def short_name(country: str) -> str:
    """A country's name as ACLED's actor names write it ("Russian Federation" → "Russia")."""
    return _SHORT_NAMES.get(country, country)


def acled_actor(actor: str | None, demonym_country) -> str | None:
    """An ACLED-style name for an actor as written: an armed group's name, or "Military Forces of <country>".

    ``demonym_country(word)`` gives the country a demonym or country name stands for, or None.
    """
    if not actor:
        return None
    m = _GROUP_RE.search(actor)
    if m:
        return ARMED_GROUPS[m.group().lower()]
    for w in actor.split():
        country = demonym_country(w.removesuffix("’s").removesuffix("'s"))
        if country:
            return f"Military Forces of {_SHORT_NAMES.get(country, country)}"
    if actor.split()[-1].lower() in _UNNAMED:
        return "Unidentified Armed Group"
    return None


_OPPONENT = re.compile(
    r"\b(?:clash(?:ed|es)? with|fighting with|fought|battles? with|ambushed|repelled an?|attacks? by|against|"
    r"positions of|between)\s+(?:the\s+)?"
)
_SIDE_NOUNS = frozenset(
    "forces troops army military soldiers rebels fighters militants jihadists gunmen paramilitary militia units "
    "positions convoy police".split()
)
_VICTIMS = re.compile(
    r"\b(?:civilians?|villagers|residents|passengers|displaced|children|women|worshippers|farmers|herders|people)\b"
)


def opponent(sentence: str, side1: str | None) -> str | None:
    """The other side as written: "clashed with |Kurdish-led forces|", "between |the M23| and the army"; or "Civilians".

    Examples
    --------
    >>> opponent("Turkish-backed fighters clashed with Kurdish-led forces in Tal Abyad.", "Turkish-backed fighters")
    'Kurdish-led forces'
    >>> opponent("Gunmen killed 22 villagers in Umm Kadada.", "Gunmen")
    'Civilians'
    """
    for m in _OPPONENT.finditer(sentence):
        words = _tokens(sentence[m.end() : m.end() + 80])[:5]
        taken: list[str] = []
        for w in words:
            low = w.lower()
            if w[0].isupper() or low in ARMED_GROUPS or low in _SIDE_NOUNS or low.endswith("-led"):
                taken.append(w)
                if low in _SIDE_NOUNS:
                    break
            else:
                break
        phrase = " ".join(taken)
        if phrase and m.group().startswith("between") and side1 and phrase in side1:
            # "between the M23 and the army": the side after "and"
            rest = re.match(r"\s+and\s+(?:the\s+)?([\w’'-]+)", sentence[m.end() + len(phrase) :])
            phrase = rest.group(1) if rest else ""
        if phrase and phrase != side1 and (side1 is None or phrase not in side1):
            return phrase
    if _VICTIMS.search(sentence.lower()):
        return "Civilians"
    return None
