"""Geoparsing in the languages the wars are reported in (issue 12, item 4): one test per method.

The sentences are new (neither the dev set's nor the held-out set's); each test names the
method it shows. The held-out set itself is scored at the end, as a guard against regressions.
"""

import json
from pathlib import Path

import pytest

from geoconflict import geoparse
from geoconflict.geoparse._lang import calendar_words, country_names, is_adjective_of, word_forms

HELDOUT = json.loads(
    (Path(__file__).parent / "data" / "geoparse_multilingual_heldout.json").read_text(encoding="utf-8")
)


def _places(text, lang=None):
    """(mention, place name, mention kind) of each row."""
    g = geoparse(text, lang=lang)
    return [tuple(r) for r in g[["mention", "name", "mention_kind"]].values.tolist()]


# --- the dictionary form keeps the name's capitals: "doha", "kiev" are English words to the gazetteer


@pytest.mark.parametrize(
    ("text", "name"),
    [("Yardım konvoyu Doha'dan yola çıktı.", "Doha"), ("Heyet Kiev'den Varşova'ya geçti.", "Kyiv")],
)
def test_stem_of_a_capitalised_name_is_a_name(text, name):
    assert name in [n for _, n, _ in _places(text)]


# --- the stem as written, not folded: "şuşa" folds to "susa", a name of Sousse


def test_stem_as_written():
    assert [n for _, n, _ in _places("Noyabr ayında Şuşada festival keçiriləcək.")] == ["Shusha"]


# --- in Turkish and Azerbaijani the apostrophe ends the name: "Van'da" is no "Vanda" (Vantaa)


def test_apostrophe_ends_a_turkish_name():
    assert "Vantaa" not in [n for _, n, _ in _places("Pazar günü Van'da gösteri yapıldı.")]
    rows = _places("Cumhurbaşkanı, Zelenskiy'i Kahramanmaraş'ta ağırladı.")
    assert [(m, n) for m, n, _ in rows] == [("Kahramanmaraş'ta", "Kahramanmaraş")]


# --- a federation's short name: stripped of case endings only where ISO writes a genitive


def test_turkish_demonym_is_no_short_name_of_russia():
    assert "rus" not in country_names("tr")
    assert "rusya" in country_names("tr")
    assert "ռուսաստան" in country_names("hy")  # "Ռուսաստանի Դաշնություն", the genitive stripped
    assert [n for _, n, _ in _places("Rus diplomatlar Ankara'ya geldi.")] == ["Ankara"]


def test_arabic_union_is_no_short_name_of_russia():
    assert [n for _, n, _ in _places("عقد الاتحاد الأوروبي اجتماعا في بروكسل.")] == ["Brussels"]


# --- Persian adjectives of origin are demonyms; the ezafe after a vowel is not


def test_persian_adjective_of_origin_is_a_demonym():
    assert is_adjective_of("ایرانی", "ایران", "fa")
    assert not is_adjective_of("اروپای", "اروپا", "fa")  # "اروپای شرقی": the ezafe, Europe itself
    assert not is_adjective_of("ایرانی", "ایران", "ar")
    rows = _places("نیروهای ایرانی در سوریه مستقر شدند.")
    assert ("ایرانی", "Iran", "demonym") in rows
    assert ("سوریه", "Syria", "place") in rows


@pytest.mark.parametrize(
    ("text", "demonym", "place"),
    [
        ("Suriyeli mülteciler Gaziantep'te yaşıyor.", "Syria", "Gaziantep"),
        ("Rus ve Ukraynalı yetkililer İstanbul'da buluştu.", "Ukraine", "Istanbul"),
    ],
)
def test_turkish_suffix_of_origin_is_a_demonym(text, demonym, place):
    rows = [(n, k) for _, n, k in _places(text)]
    assert rows == [(demonym, "demonym"), (place, "place")]


# --- Armenian endings after a vowel take the glide յ


@pytest.mark.parametrize(("word", "stem"), [("Սիրիայի", "սիրիա"), ("Գազայում", "գազա"), ("Լիբանանից", "լիբանան")])
def test_armenian_glide_endings(word, stem):
    assert stem in word_forms(word, "hy")


def test_armenian_name_after_a_vowel_is_found():
    assert [n for _, n, _ in _places("Սիրիայի հյուսիսում բախումներ են եղել։")] == ["Syria"]


# --- Turkic and Armenian case endings close the phrase: a person's name before is not the place's


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Prezident İlham Əliyev Gəncədə çıxış edib.", "Ganja"),
        ("Dışişleri Bakanı Hakan Fidan Kahire'ye gitti.", "Cairo"),
        ("Արարատ Միրզոյանը Մոսկվայում է։", "Moscow"),
    ],
)
def test_case_ending_after_a_persons_name(text, name):
    assert (name, "place") in [(n, k) for _, n, k in _places(text)]


def test_two_places_in_their_cases_side_by_side():
    rows = _places("Bakıdan Gəncəyə gedən qatar gecikib.")
    assert [(n, k) for _, n, k in rows] == [("Baku", "place"), ("Ganja", "place")]


# --- months and weekdays of the text's language (CLDR, through Babel) are dates


def test_calendar_words_come_from_the_cldr():
    assert {"montag", "mai", "marz"} <= calendar_words("de")
    assert {"mart", "pazar", "cuma"} <= calendar_words("tr")
    assert calendar_words("en") == frozenset()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Am Montag und im Mai kam es in Cherson zu Angriffen.", "Kherson"),
        ("Mart ayında Gəncədə yeni məktəb açılıb.", "Ganja"),
    ],
)
def test_month_and_weekday_are_no_towns(text, name):
    assert [n for _, n, _ in _places(text)] == [name]


# --- Arabic script: how common a word is, as written; a clitic stripped does not make a town


@pytest.mark.parametrize(
    ("text", "name"),
    [("أكدت الفصائل المسلحة سيطرتها على حماة.", "Ḩamāh"), ("قالت السلطات في الموصل إن الوضع مستقر.", "Mosul")],
)
def test_arabic_common_nouns_are_no_towns(text, name):
    assert [n for _, n, _ in _places(text)] == [name]


# --- German compass words written on to a name


def test_german_compass_compounds():
    rows = _places("Kämpfe in Nordsyrien und in der Westukraine dauern an.")
    assert [n for _, n, _ in rows] == ["Syria", "Ukraine"]
    assert "ostsee" not in " ".join(word_forms("Ostsee", "de"))  # a sea: "See" is too short a rest


# --- an abbreviation of a country in a script without codes


def test_cyrillic_abbreviation_of_a_country():
    rows = _places("Посол США прибыл в Ереван.")
    assert [n for _, n, _ in rows] == ["United States", "Yerevan"]


# --- an article hyphened on to a name may begin it


def test_hyphened_article_begins_a_name():
    assert [n for _, n, _ in _places("Les combats ont repris à El-Obeïd.")] == ["El Obeid"]


# --- a two-letter lemma the dictionary gives (uk); the instrumental of a short adjective (ru)


@pytest.mark.parametrize("text", ["Бої під Часовим Яром тривають.", "Бои под Часовым Яром не утихают."])
def test_two_letter_lemma_and_short_adjective_in_a_longer_name(text):
    assert [n for _, n, _ in _places(text)] == ["Chasiv Yar"]


# --- the held-out set: floors under today's figures, to catch regressions (the targets are 90 / 5)

#: Found floors per language, a few points under the figures when the set was first scored with
#: these methods; the misses left are mostly names the gazetteer lacks (see the issue's report).
HELDOUT_FOUND_FLOOR = 0.80
HELDOUT_FALSE_CEILING = 0.05


@pytest.mark.parametrize("lang", sorted(HELDOUT["cases"]))
def test_heldout_set_found_and_false(lang):
    found = total = false = returned = 0
    for text, gold in HELDOUT["cases"][lang]:
        spans = [(text.find(g), text.find(g) + len(g)) for g in gold]
        g = geoparse(text)
        g = g[g["mention_kind"] != "demonym"]
        rows = list(zip(g["start"], g["end"], strict=True))
        total += len(spans)
        found += sum(any(s < b and e > a for s, e in rows) for a, b in spans)
        returned += len(rows)
        false += sum(not any(s < b and e > a for a, b in spans) for s, e in rows)
    assert len(HELDOUT["cases"][lang]) >= 15
    assert found / total >= HELDOUT_FOUND_FLOOR
    assert false / max(1, returned) <= HELDOUT_FALSE_CEILING
