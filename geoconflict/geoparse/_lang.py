"""Languages: which one a text is in, and the dictionary forms a word may stand for.

A place name in Russian, Turkish, Armenian or Arabic is written inflected: "в
Донецке", "Hatay'da", "Երևանում", "بالخرطوم". Detection looks a word up under its
own form first, then under the forms this module gives (lemmas from ``pymorphy3``
for Russian and Ukrainian; case endings, suffixes, prefixes and elisions stripped
by rule for the others): the gazetteer's trie decides which form is a name.

Examples
--------
>>> detect_language("Обстрел Донецка продолжился всю ночь, сообщили власти.")
'ru'
>>> "херсон" in word_forms("Херсоном", "ru")
True
>>> "hatay" in word_forms("Hatay'da", "tr")
True
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..names import normalize_variants

__all__ = [
    "CASELESS_LANGS",
    "LANGS",
    "calendar_words",
    "country_names",
    "detect_language",
    "is_adjective_of",
    "is_caseless",
    "is_common_word",
    "word_forms",
]

#: The languages detection knows how to read (issue 12: the languages the wars this
#: project maps are reported in); a text in another language is read as English is.
LANGS = ("en", "ru", "uk", "az", "tr", "hy", "ar", "fa", "fr", "de", "es")
#: Languages whose script has no capitals: every word is a candidate, not only capitalised ones.
CASELESS_LANGS = frozenset({"ar", "fa"})
#: How much text the detector reads: a news article's first paragraphs say its language.
_SAMPLE = 1000

_ARABIC_RE = re.compile(r"[\u0600-\u06ff]")
#: Letters Persian writes and Arabic does not (پ چ ژ گ and the Persian ye and kaf).
_PERSIAN_RE = re.compile(r"[پچژگیک]")
_ARMENIAN_RE = re.compile(r"[\u0531-\u058f]")
#: Letters Arabic writes where Persian writes its own (ي ك for ی ک) and the tā' marbūṭa (ة).
_ARABIC_ONLY_RE = re.compile(r"[يكةى]")


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's model (shipped in the package: nothing is downloaded), restricted to :data:`LANGS`."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=False)
    ident.set_languages(list(LANGS))
    return ident


def detect_language(text: str) -> str:
    """The language of ``text``, one of :data:`LANGS` (``"en"`` for an empty text).

    Scripts that only one or two of the languages write settle it at once (Armenian;
    Arabic vs Persian by the letters only Persian has); otherwise ``py3langid`` decides.

    Examples
    --------
    >>> detect_language("Ստեփանակերտում հնչել են պայթյուններ։")
    'hy'
    >>> detect_language("Des tirs ont visé la ville de Kharkiv dans la nuit.")
    'fr'
    """
    sample = text[:_SAMPLE]
    if not sample.strip():
        return "en"
    if _ARMENIAN_RE.search(sample):
        return "hy"
    if _ARABIC_RE.search(sample):
        return "fa" if len(_PERSIAN_RE.findall(sample)) > len(_ARABIC_ONLY_RE.findall(sample)) else "ar"
    if "ə" in sample or "Ə" in sample:  # the schwa only Azerbaijani's Latin alphabet has
        return "az"
    by_script = _cyrillic(sample) or _english(sample)
    return by_script or _identifier().classify(sample)[0]


#: Letters only Ukrainian (і ї є ґ) or only Russian (ы э ъ ё) writes, of the two Cyrillic languages read.
_UKRAINIAN_RE = re.compile(r"[іїєґІЇЄҐ]")
_RUSSIAN_RE = re.compile(r"[ыэъёЫЭЪЁ]")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
#: English function words: a text where they are this share of the words is English, and the
#: detector's model (100 MB in memory) need not be loaded for the commonest case.
_ENGLISH_WORDS = frozenset("the and of to in is was for on that with by said from at as has have were are".split())
_ENGLISH_SHARE = 0.12
_WORDS_RE = re.compile(r"[^\W\d_]+")


def _cyrillic(sample: str) -> str | None:
    if not _CYRILLIC_RE.search(sample):
        return None
    uk, ru = len(_UKRAINIAN_RE.findall(sample)), len(_RUSSIAN_RE.findall(sample))
    if uk > ru:
        return "uk"
    return "ru" if ru > uk else None


def _english(sample: str) -> str | None:
    if not sample.isascii():
        return None
    words = _WORDS_RE.findall(sample.lower())
    if len(words) >= 8 and sum(w in _ENGLISH_WORDS for w in words) >= _ENGLISH_SHARE * len(words):
        return "en"
    return None


@lru_cache(maxsize=16)
def country_names(lang: str) -> dict[str, str]:
    """Country names in ``lang`` (normalised) → ISO alpha-2, from pycountry's ISO 3166 translations.

    The gazetteer's country names are English and ISO's; "Азербайджан", "Ռուսաստան" or
    "روسیه" are found through these (issue 12: a third of the places in Russian news were countries).

    Examples
    --------
    >>> country_names("ru")["азербаиджан"]
    'AZ'
    """
    if lang == "en":
        return {}
    import gettext

    import pycountry

    try:
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return {}
    out: dict[str, str] = {}
    for c in pycountry.countries:
        for name in {c.name, getattr(c, "common_name", c.name)}:
            local = tr.gettext(name)
            if local == name:
                continue
            for form in _short_forms(name, local, lang):
                out.setdefault(form, c.alpha_2)
    return out


@lru_cache(maxsize=16)
def calendar_words(lang: str) -> frozenset[str]:
    """The names of the months and weekdays in ``lang`` (normalised), from the CLDR through Babel.

    Turkish, Azerbaijani and German capitalise them ("Mart ayında", "am Montag"), and every
    language does at a sentence's start; many are some town's name too (Mart, Texas; Mai, Kenya;
    Pazar, Rize). Both the format forms ("марта", "մարտի") and the stand-alone ones are taken.

    Examples
    --------
    >>> sorted(w for w in calendar_words("tr") if w.startswith("ma"))
    ['mart', 'mayis']
    """
    if lang == "en":
        return frozenset()
    from babel import UnknownLocaleError
    from babel.dates import get_day_names, get_month_names

    out: set[str] = set()
    try:
        for context in ("format", "stand-alone"):
            for names in (get_month_names("wide", context, lang), get_day_names("wide", context, lang)):
                out.update(_key(n) for n in names.values())
    except (UnknownLocaleError, ValueError):
        return frozenset()
    return frozenset(out)


#: Languages whose "X Federation" puts the country's noun first ("Rusya Federasyonu", "روسیه فدرال");
#: elsewhere the first word is an adjective ("Российская", "Russische") or the federation itself
#: ("Fédération", Arabic "الاتّحاد الرّوسي": "الاتحاد" is any union, "الاتحاد الأفريقي" too).
_NOUN_FIRST = frozenset({"tr", "az", "hy", "fa"})
#: Of those, the languages that write that noun in the genitive ("Ռուսաստանի Դաշնություն"), to be
#: stripped; Turkish and Azerbaijani write it bare ("Rusya", "Rusiya"), and stripping their endings
#: leaves "Rus", the demonym, and "Rusi", neither a country's name.
_GENITIVE_HEAD = frozenset({"hy"})


def _short_forms(english: str, local: str, lang: str) -> list[str]:
    """A translated ISO name and the short forms the news uses.

    ISO's formal names ("Iran, Islamic Republic of", "Russian Federation") are not what a
    reporter writes: the part before a comma is ("İran"), and so is the first word of a
    federation's name ("Rusya", "Ռուսաստան"), with its case endings stripped.
    """
    forms = [_key(local)]
    head = None
    if "," in english and "," in local:
        head = local.split(",", 1)[0]
    elif english.endswith(" Federation") and " " in local and lang in _NOUN_FIRST:
        head = local.split()[0]
    if head:
        forms.append(_key(head))
        if lang in _GENITIVE_HEAD:
            forms += list(word_forms(head, lang))
    return [f for f in forms if f]


def is_caseless(word: str) -> bool:
    """True for a word in a script without capitals (Arabic, Persian, Hebrew, CJK …)."""
    return word[:1].isalpha() and not word[:1].isupper() and not word[:1].islower()


@lru_cache(maxsize=2)
def _morph(lang: str):
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


#: Turkish and Azerbaijani case and possessive endings, longest first. A name takes them
#: after an apostrophe ("Hatay'da", "Kahramanmaraş'ın") or fused ("Bakıda", "Tərtərə").
_TURKIC_SUFFIXES = tuple(
    sorted(
        """da de ta te dan den tan ten nda nde ndan nden na ne ya ye a e ı i u ü yı yi yu yü nın nin nun nün ın in
        un ün la le yla yle daki deki taki teki dakı ndakı ndaki lı li lu lü ə yə də dən nə nın dakı ya ye ki
        dır dir lılar liler lular lüler""".split(),
        key=len,
        reverse=True,
    )
)
#: Russian and Ukrainian case endings and the nominative they come from, for the towns the
#: dictionaries lack ("Покровська" → "Покровськ", "Гянджі" → "Гянджа", "Авдіївці" → "Авдіївка");
#: the instrumental of a possessive adjective's short form: "под Часовым Яром" (Часов Яр),
#: "під Покровським".
_SLAVIC_ENDINGS = (
    ("ым", ""),
    ("им", ""),
    ("ою", "а"),
    ("ою", "я"),
    ("ой", "а"),
    ("ей", "я"),
    ("ом", ""),
    ("ем", ""),
    ("ем", "ь"),
    ("ві", ""),
    ("ці", "ка"),
    ("ке", "ка"),
    ("а", ""),
    ("я", "ь"),
    ("у", ""),
    ("ю", "ь"),
    ("і", "а"),
    ("і", ""),
    ("і", "я"),
    ("е", ""),
    ("е", "а"),
    ("и", "а"),
    ("ы", "а"),
    ("ї", "я"),
    ("у", "а"),
    ("ю", "я"),
)
#: Armenian case endings and articles ("Երևանում" in Yerevan, "Գորիսի" of Goris, "Շուշիից" from Shushi);
#: after a vowel the ending takes a glide յ ("Ուկրաինայի" of Ukraine, "Գազայում" in Gaza, "Սիրիայից").
_ARMENIAN_SUFFIXES = (
    "ներում",
    "ներից",
    "յում",
    "յից",
    "յով",
    "յին",
    "յի",
    "ում",
    "ից",
    "ով",
    "ին",
    "ի",
    "ը",
    "ն",
    "ց",
)
#: Arabic proclitics fused to a name: and, by/in, for, as, so, and the article ("وبالخرطوم").
_ARABIC_PREFIXES = ("وبال", "وال", "بال", "لل", "فال", "كال", "ال", "و", "ب", "ل", "ف", "ك")
#: Persian suffixes after a name: the ezafe ye and plural or object markers.
_PERSIAN_SUFFIXES = ("‌ها", "ها", "‌ای", "ی", "را")
#: French and Italian elisions before a name ("d'Alep", "l'Ukraine", "jusqu'à").
_ELISION_RE = re.compile(r"^(?:d|l|qu|jusqu|lorsqu|dell|nell|all|sull)['’](?=\w)", re.IGNORECASE)
#: An article written on to a name in Latin script ("al-Fashir", "el-Obeid").
_ARTICLE_RE = re.compile(r"^(?:al|el|ad|ar|as|ash|az|an|at)[-‐]", re.IGNORECASE)
#: Shortest stem a rule may leave: three letters ("Bakı" → "Bak" is not a name, "Baku" is). A
#: dictionary's lemma may be shorter: "Яру" is "Яр", of "Часів Яр" (found as "Часового Яру").
_MIN_STEM = 3


#: Letters after which a Persian ی is the ezafe ("اروپای شرقی", eastern Europe; "آسیای میانه"),
#: not the adjective of origin it is after a consonant ("اسرائیلی" Israeli, "افغانستانی" Afghan).
_EZAFE_AFTER = ("ا", "و")


#: The Turkish and Azerbaijani suffix of origin: "Suriyeli mülteciler" (Syrian refugees),
#: "Ukraynalı yetkililer", "Ankaralı"; with the plural, "Suriyeliler".
_TURKIC_ORIGIN = ("lılar", "liler", "lular", "lüler", "lılər", "lilər", "lı", "li", "lu", "lü")


def is_adjective_of(word: str, key: str, lang: str) -> bool:
    """True for an adjective of origin that is ``key``, a name, and its suffix: a demonym.

    Persian writes the nisba ی ("نیروهای اسرائیلی", Israeli forces, not forces in Israel),
    Turkish and Azerbaijani -lı/-li/-lu/-lü ("Suriyeli mülteciler", Syrian refugees).

    Examples
    --------
    >>> is_adjective_of("اوکراینی", "اوکراین", "fa"), is_adjective_of("اروپای", "اروپا", "fa")
    (True, False)
    >>> is_adjective_of("Suriyeli", "suriye", "tr"), is_adjective_of("Suriye'de", "suriye", "tr")
    (True, False)
    """
    if lang in ("tr", "az"):
        low = word.lower()
        return any(low.endswith(s) and _key(word[: -len(s)]) == key for s in _TURKIC_ORIGIN)
    if lang != "fa" or not word.endswith("ی"):
        return False
    stem = word[:-1]
    return not stem.endswith(_EZAFE_AFTER) and _key(stem) == key


def strip_elision(word: str) -> str:
    """``word`` without a French or Italian elided article ("d'Alep" → "Alep").

    Examples
    --------
    >>> strip_elision("d'Alep"), strip_elision("Alep")
    ('Alep', 'Alep')
    """
    m = _ELISION_RE.match(word)
    return word[m.end() :] if m else word


@lru_cache(maxsize=100_000)
def word_forms(word: str, lang: str) -> tuple[str, ...]:
    """Normalised forms ``word`` may stand for in ``lang``, besides its own (its own not included).

    Examples
    --------
    >>> word_forms("Երևանում", "hy")[0]
    'երեւան'
    >>> word_forms("بالخرطوم", "ar")[:2]
    ('خرطوم', 'الخرطوم')
    """
    own = _key(word)
    raw = _raw_forms(word, lang)
    out: list[str] = []
    short: frozenset[str] | None = None
    for form in raw:
        k = _key(form)
        if not k or k == own or k in out:
            continue
        if len(k) < _MIN_STEM:
            if short is None:  # rare: a two-letter form, kept when the dictionary vouches for it
                short = frozenset(_key(x) for x in _lemmas(word, lang)) if lang in ("ru", "uk") else frozenset()
            if k not in short:
                continue
        out.append(k)
    return tuple(out)


def _key(word: str) -> str:
    return normalize_variants(word)[0]


def _raw_forms(word: str, lang: str) -> list[str]:
    """The candidate dictionary forms, by the rules of the word's language (and script)."""
    forms: list[str] = []
    if _ARTICLE_RE.match(word):
        forms.append(_ARTICLE_RE.sub("", word))
    if "'" in word or "’" in word:
        head = re.split(r"['’]", word, maxsplit=1)[0]
        forms.append(head)  # "Hatay'da", "Kharkiv's"
    if lang in ("ru", "uk") and not word.isascii():
        forms += _lemmas(word, lang)
        forms += _replace_endings(word, _SLAVIC_ENDINGS)
    elif lang in ("tr", "az"):
        forms += _strip_suffixes(word, _TURKIC_SUFFIXES)
    elif lang == "hy" or _ARMENIAN_RE.match(word):
        forms += _strip_suffixes(word, _ARMENIAN_SUFFIXES)
    elif lang in ("ar", "fa") or _ARABIC_RE.match(word):
        forms += _strip_prefixes(word, _ARABIC_PREFIXES)
        forms += _strip_suffixes(word, _PERSIAN_SUFFIXES)
    elif lang == "de":
        forms += _german_forms(word)
    return forms


#: German compass words written on to a place's name: "in der Ostukraine", "im Nordirak",
#: "Nordostsyrien" (longest first); what is left is the place the region lies in.
_GERMAN_COMPASS = ("nordost", "nordwest", "südost", "südwest", "zentral", "nord", "süd", "ost", "west")
#: The shortest name left after a compass word: "Ostsee", "Nordsee" are seas, no "See".
_MIN_COMPASS_REST = 4


def _german_forms(word: str) -> list[str]:
    """The genitive's s stripped ("Charkiws", "Gazas"); a compass word stripped ("Ostukraine")."""
    forms = [word[:-1]] if word.endswith("s") else []
    low = word.lower()
    for c in _GERMAN_COMPASS:
        if low.startswith(c) and len(word) - len(c) >= _MIN_COMPASS_REST:
            rest = word[len(c) :]
            forms += [rest, rest[:-1]] if rest.endswith("s") else [rest]  # "Nordsyriens"
            break
    return forms


def _lemmas(word: str, lang: str) -> list[str]:
    """pymorphy3's dictionary forms, the ones it tags as place names (Geox) first."""
    parses = _morph(lang).parse(word)
    geo = [p.normal_form for p in parses if "Geox" in p.tag.grammemes]
    return geo + [p.normal_form for p in parses[:4] if p.normal_form not in geo]


#: pymorphy3's tags of proper names: a word with one of these may be (part of) a name.
_NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"})


@lru_cache(maxsize=50_000)
def is_common_word(word: str, lang: str) -> bool:
    """True for a Russian or Ukrainian word the dictionary knows as no name ("Обстрел", "Пожар").

    Examples
    --------
    >>> is_common_word("Обстрел", "ru"), is_common_word("Донецке", "ru")
    (True, False)
    """
    morph = _morph(lang)
    if not morph.word_is_known(word.lower()):
        return False
    return not any(p.tag.grammemes & _NAME_TAGS for p in morph.parse(word))


def _replace_endings(word: str, endings: tuple[tuple[str, str], ...]) -> list[str]:
    low = word.lower()
    return [word[: -len(e)] + r for e, r in endings if low.endswith(e) and len(word) - len(e) >= _MIN_STEM]


def _strip_suffixes(word: str, suffixes: tuple[str, ...]) -> list[str]:
    low = word.lower()
    return [word[: -len(s)] for s in suffixes if low.endswith(s) and len(word) - len(s) >= _MIN_STEM]


def _strip_prefixes(word: str, prefixes: tuple[str, ...]) -> list[str]:
    out = []
    for p in prefixes:
        if word.startswith(p) and len(word) - len(p) >= _MIN_STEM:
            rest = word[len(p) :]
            out.append(rest)
            if p.endswith("ال"):
                out.append("ال" + rest)  # names indexed with their article ("الخرطوم")
    return out
