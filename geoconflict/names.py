"""Place-name normalisation: the one place where spellings are made comparable.

Every module that compares names (the gazetteer index, the geoparser, boundary
name checks, zone names) calls these functions, so a spelling that matches in one
place matches everywhere.

Two levels of key are produced:

``normalize(name)``
    The *exact* key: case-folded, diacritics removed, Azerbaijani/Turkish letters
    folded (ə→a, ı→i, ş→s, ç→c, ğ→g …), apostrophes and modifier letters dropped,
    hyphens and runs of space collapsed, administrative suffixes ("City", "Şəhəri",
    "Rayon", "district", "province" …) and a leading "the" removed.
``phonetic_key(key)``
    A lossy *transliteration-tolerant* key built from the exact key: the variants
    different romanisations produce for the same sound collapse (kh/x/h, gh/g,
    dzh/dj/zh/j/c, sh/s, ch/c, q/g, ye-/e-, -iy/-y/-i endings, doubled letters,
    spaces). "Naxçıvan" and "Nakhchivan" share a phonetic key; so do "Qubadlı"
    and "Gubadly". Matches on this key rank below exact matches.

Examples
--------
>>> normalize("Naxçıvan Şəhəri")
'naxcivan'
>>> normalize("Syunik'i Marz")
'syunik'
>>> phonetic_key(normalize("Naxçıvan")) == phonetic_key(normalize("Nakhchivan"))
True
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "KIND_HINTS",
    "deletions",
    "english_key",
    "is_latin",
    "normalize",
    "normalize_variants",
    "normalize_with_hint",
    "phonetic_key",
]

# Letters that NFKD does not decompose into a base letter plus a mark, or whose
# conventional romanisation is not the bare base letter.
_LETTERS = str.maketrans(
    {
        "ə": "a",
        "Ə": "a",
        "ı": "i",
        "İ": "i",
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ħ": "h",
        "ŋ": "ng",
    }
)

# Apostrophes, modifier letters and quotes vanish ("Kotayk'" = "Kotayk",
# "Geghark'unik'" = "Gegharkunik", "Ma'arib" = "Maarib").
_DROP = "'’‘ʼʻʾʿ`´ʹʺ\"“”«»"
# Separators become a single space.
_SEPARATORS = "-‐‑‒–—_/.,;:()[]{}·•|"
_CHAR_MAP = str.maketrans({**{c: None for c in _DROP}, **{c: " " for c in _SEPARATORS}})

# Administrative suffixes and prefixes, normalised, mapped to the feature kind they
# signal. Longer phrases first so "autonomous republic" is not half-stripped.
KIND_HINTS: dict[str, str] = {
    "autonomous republic": "admin1",
    "exclave": "admin1",
    "enclave": "admin1",
    "autonomous region": "admin1",
    "autonomous oblast": "admin1",
    "governorate": "admin1",
    "province": "admin1",
    "provinz": "admin1",
    "prefecture": "admin1",
    "oblast": "admin1",
    "oblasti": "admin1",
    "region": "admin1",
    "state": "admin1",
    "marz": "admin1",
    "marzi": "admin1",
    "ostan": "admin1",
    "vilayet": "admin1",
    "velayat": "admin1",
    "ili": "admin1",
    "district": "admin2",
    "rayon": "admin2",
    "rayonu": "admin2",
    "raion": "admin2",
    "rajon": "admin2",
    "county": "admin2",
    "municipality": "admin2",
    "city": "town",
    "town": "town",
    "village": "town",
    "sahari": "town",
    "seheri": "town",
    "shahari": "town",
    "shakhar": "town",
    "kendi": "town",
    "qesebesi": "town",
    # the generic words of other languages' division names (GeoNames and ISO 3166-2 keep
    # them: "Zhejiang Sheng", "Guangxi Zhuangzu Zizhiqu", "Almaty Oblysy", "Krasnodarskiy Kray")
    "sheng": "admin1",
    "zizhiqu": "admin1",
    "zhuangzu zizhiqu": "admin1",
    "huizu zizhiqu": "admin1",
    "uygur zizhiqu": "admin1",
    "weiwu'er zizhiqu": "admin1",
    "shi": "admin1",
    "oblys": "admin1",
    "oblysy": "admin1",
    "krai": "admin1",
    "kray": "admin1",
    "krai'": "admin1",
    "respublika": "admin1",
    "respublikasi": "admin1",
    "okrug": "admin1",
    "autonomous okrug": "admin1",
    "wilayah": "admin1",
    "wilayat": "admin1",
    "muhafazah": "admin1",
    "muhafazat": "admin1",
    "gouvernorat": "admin1",
    "provincia": "admin1",
    "departement": "admin1",
    "department": "admin1",
    "voivodeship": "admin1",
    "wojewodztwo": "admin1",
    "ostani": "admin1",
    "velayati": "admin1",
    "eyalet": "admin1",
    "kraj": "admin1",
    "ken": "admin1",
    "raionul": "admin2",
    "rajoni": "admin2",
    "nahiyah": "admin2",
    "qadaa": "admin2",
    "river": "river",
    "nehri": "river",
    "cayi": "river",
    "reservoir": "lake",
    "lake": "lake",
    "mountains": "mountain",
    "range": "mountain",
    "район": "admin2",
    "область": "admin1",
    "город": "town",
    "провинция": "admin1",
    "марз": "admin1",
}
_SUFFIX_RE = re.compile(
    r"^(?P<stem>.+?)\s+(?:i\s+)?(?P<suffix>"
    + "|".join(sorted((re.escape(k) for k in KIND_HINTS), key=len, reverse=True))
    + r")$"
)
_PREFIX_RE = re.compile(
    r"^(?:the|city of|town of|province of|region of|district of|county of|borough of"
    r"|departement de la|departement de l|departement des|departement du|departement de|departement d"
    r"|provincia de|provincia di|province de|wilayat|muhafazat|ostan e|ostan\-e)\s+(?=\S)"
)
_ARM_GENITIVE_RE = re.compile(r"['’ʼ]i\s+(marz|region)\b", re.IGNORECASE)
_PREFIXES = (
    "the ",
    "city of ",
    "town of ",
    "province of ",
    "region of ",
    "district of ",
    "county of ",
    "borough of ",
    "departement ",
    "provincia ",
    "province de ",
    "wilayat ",
    "muhafazat ",
    "ostan ",
)
#: The kind a prefix announces, by its first word ("Muhafazat Halab" is the governorate,
#: not the city of Aleppo; "Province of Kandahar" the province).
_PREFIX_HINTS = {
    "city": "town",
    "town": "town",
    "province": "admin1",
    "provincia": "admin1",
    "region": "admin1",
    "departement": "admin1",
    "wilayat": "admin1",
    "muhafazat": "admin1",
    "ostan": "admin1",
    "district": "admin2",
    "county": "admin2",
    "borough": "admin2",
}
# Dots after single letters belong to abbreviations: "U.S." is "US", "D.C." is "DC".
_INITIAL_DOT = re.compile(r"\b(\w)\.")


#: The letters of :data:`_LETTERS` as one pattern: ``str.translate`` walks every character of a
#: non-ASCII string through a dict (a quarter of the index build), a search finds the few.
_LETTERS_RE = re.compile("[" + "".join(re.escape(chr(k)) for k in _LETTERS) + "]")
_LETTER_OF = {chr(k): v if isinstance(v, str) else chr(v) for k, v in _LETTERS.items()}


def _letters(s: str) -> str:
    """``s.translate(_LETTERS)``, fast when no such letter is there (most names)."""
    return _LETTERS_RE.sub(lambda m: _LETTER_OF[m.group()], s) if _LETTERS_RE.search(s) else s


def _fold(name: str) -> str:
    """Case-fold and strip diacritics, keeping letters of every script."""
    s = name
    if "i" in s and ("'" in s or "’" in s or "ʼ" in s):
        s = _ARM_GENITIVE_RE.sub(r" \1", s)
    if "." in s:
        s = _INITIAL_DOT.sub(r"\1", s)
    if s.isascii():
        s = s.lower()  # no ASCII letter is in _LETTERS, and casefold is lower on ASCII
    else:
        s = _letters(s).casefold()
        if not s.isascii():
            s = unicodedata.normalize("NFKD", _letters(s))
            s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.translate(_CHAR_MAP).split())


@lru_cache(maxsize=262_144)
def normalize_variants(name: str) -> tuple[str, str, str | None]:
    """Return the full key, the key without an administrative suffix, and the suffix's kind.

    The full key keeps suffixes ("california city"), so a town whose name
    contains one is still told apart from the area it is named after.

    Examples
    --------
    >>> normalize_variants("California City")
    ('california city', 'california', 'town')
    >>> normalize_variants("the Sahel")
    ('sahel', 'sahel', None)
    >>> normalize_variants("Muhafazat Halab")
    ('halab', 'halab', 'admin1')
    """
    if name.isascii() and name.isalpha():  # the common case, "Kapan": nothing to fold but case
        s = name.lower()
        return s, s, None
    s = _fold(name)
    if " " not in s:
        return s, s, None
    hint = None
    if s.startswith(_PREFIXES):
        p = _PREFIX_RE.match(s)
        if p is not None:
            hint = _PREFIX_HINTS.get(p.group(0).split()[0])
            s = s[p.end() :]
    m = _SUFFIX_RE.match(s)
    if m:
        return s, m.group("stem"), KIND_HINTS[m.group("suffix")]
    return s, s, hint


def normalize_with_hint(name: str) -> tuple[str, str | None]:
    """Return the exact key of ``name`` and the feature kind its suffix signals.

    Parameters
    ----------
    name : str
        A place name as written ("Ordubad District", "Şərur rayonu").

    Returns
    -------
    tuple of (str, str or None)
        The normalised key and ``"town"``, ``"admin1"``, ``"admin2"`` or ``None``
        when the name carried no administrative suffix. A name made only of a
        suffix ("Region") keeps it.

    Examples
    --------
    >>> normalize_with_hint("Şərur rayonu")
    ('sarur', 'admin2')
    >>> normalize_with_hint("Yerevan")
    ('yerevan', None)
    """
    _full, key, hint = normalize_variants(name)
    return key, hint


def normalize(name: str) -> str:
    """Return the exact comparison key of a place name.

    Examples
    --------
    >>> normalize("Nagorno-Karabakh")
    'nagorno karabakh'
    >>> normalize("Xankəndi Şəhəri")
    'xankandi'
    """
    return normalize_with_hint(name)[0]


# The rewrite rules of the phonetic key, in order: multi-letter sounds before the single
# letters they contain. :func:`phonetic_key` runs each only where a letter every match
# contains is in the key: a regex call costs more than the test, and most keys hold few of
# those letters (the index build makes 700,000 phonetic keys).
_SPACE_RE = re.compile(r"\s+")
_J_RE = re.compile(r"dzh|dj|zh|tch|tsch|ch|c|j")  # each holds c, j or z
_H_RE = re.compile(r"kh|x|h")
_G_RE = re.compile(r"gh|q")
_S_RE = re.compile(r"sh|sch")  # each holds h
_YE_RE = re.compile(r"^ye")
_FINAL_I_RE = re.compile(r"(iy|yy|yi|ii|y)$")
_DOUBLE_RE = re.compile(r"(.)\1+")


@lru_cache(maxsize=262_144)
def phonetic_key(key: str) -> str:
    """Return the transliteration-tolerant key of an already normalised name.

    Examples
    --------
    >>> phonetic_key("qubadli") == phonetic_key("gubadly")
    True
    >>> phonetic_key("yerevan") == phonetic_key("erevan")
    True
    """
    s = key if key.isalnum() else _SPACE_RE.sub("", key)  # whitespace is never alphanumeric
    if "c" in s or "j" in s or "z" in s:
        s = _J_RE.sub("j", s)
    if "h" in s or "x" in s:
        s = _H_RE.sub("h", s)
    if "g" in s or "q" in s:
        s = _G_RE.sub("g", s)
    if "h" in s:
        s = _S_RE.sub("s", s)
    if "ph" in s:
        s = s.replace("ph", "f")
    if "w" in s:
        s = s.replace("w", "v")
    if "ou" in s:
        s = s.replace("ou", "u")
    if s.startswith("ye"):
        s = _YE_RE.sub("e", s)
    if s.endswith(("y", "i")):
        s = _FINAL_I_RE.sub("i", s)
    return _DOUBLE_RE.sub(r"\1", s)


def deletions(key: str, depth: int) -> set[str]:
    """All strings obtained from ``key`` by deleting up to ``depth`` characters.

    The deletion neighbourhood (as in SymSpell) lets fuzzy matching find names
    within a small edit distance by exact lookups instead of a scan.

    Examples
    --------
    >>> sorted(deletions("abc", 1))
    ['ab', 'abc', 'ac', 'bc']
    """
    out = {key}
    frontier = {key}
    for _ in range(depth):
        nxt = set()
        for s in frontier:
            for i in range(len(s)):
                nxt.add(s[:i] + s[i + 1 :])
        nxt -= out
        out |= nxt
        frontier = nxt
    return out


def is_latin(key: str) -> bool:
    """True when a normalised key is written in plain a–z letters, digits and spaces."""
    return key.isascii()


#: Azerbaijani and Turkish letters as English-language reporting spells them ("Şuşa" is
#: "Shusha", "Ağdam" "Aghdam", "Xocalı" "Khojaly"). The exact key folds ş to s, which
#: makes "Şuşa" the Tunisian "Susa"; this key keeps the sound.
_TURKIC_TO_ENGLISH = str.maketrans(
    {"ş": "sh", "Ş": "Sh", "ç": "ch", "Ç": "Ch", "ğ": "gh", "Ğ": "Gh", "ı": "i", "İ": "I", "ə": "a", "Ə": "A"}
)
_TURKIC_LETTERS = frozenset("şŞçÇğĞıİəƏ")


def english_key(name: str) -> str | None:
    """The exact key of a name with Azerbaijani/Turkish letters spelt as English reporting spells them.

    None when the name holds none of those letters (its key is :func:`normalize`'s).

    Examples
    --------
    >>> english_key("Şuşa"), normalize("Şuşa")
    ('shusha', 'susa')
    >>> english_key("Xocalı"), english_key("Xankəndi"), english_key("Xankendi")
    ('khocali', 'khankandi', None)
    >>> english_key("Ermənistan")
    'ermanistan'
    """
    if name.isascii() or not _TURKIC_LETTERS.intersection(name):
        return None
    # Turkish writes no "x": beside these letters it is Azerbaijani, the sound English spells "kh"
    s = name.replace("x", "kh").replace("X", "Kh")
    return normalize(s.translate(_TURKIC_TO_ENGLISH))
