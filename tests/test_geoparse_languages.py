"""Geoparsing in the languages the wars are reported in (issue 12), on the project's own dev set."""

import json
from pathlib import Path

import pytest

from geoconflict import geoparse
from geoconflict.geoparse import detect_language, sentence_spans

DEV = json.loads((Path(__file__).parent / "data" / "geoparse_multilingual.json").read_text(encoding="utf-8"))
#: Issue 12: at least 90 % of the gold places found in every language, at most 5 % false mentions.
FOUND_FLOOR = 0.90
FALSE_CEILING = 0.05


def _score(cases, lang=None):
    found = total = false = returned = 0
    for text, gold in cases:
        spans = [(text.find(g), text.find(g) + len(g)) for g in gold]
        g = geoparse(text, lang=lang)
        g = g[g["mention_kind"] != "demonym"]  # "Türk heyeti": its country, marked, not a place mentioned
        rows = list(zip(g["start"], g["end"], strict=True))
        total += len(spans)
        found += sum(any(s < b and e > a for s, e in rows) for a, b in spans)
        returned += len(rows)
        false += sum(not any(s < b and e > a for a, b in spans) for s, e in rows)
    return found / total, false / max(1, returned)


@pytest.mark.parametrize("lang", sorted(DEV["cases"]))
def test_dev_set_found_and_false(lang):
    cases = DEV["cases"][lang]
    assert len(cases) >= 25
    found, false = _score(cases)
    print(f"{lang}: found {found:.1%}, false {false:.1%}")
    assert found >= FOUND_FLOOR
    assert false <= FALSE_CEILING


@pytest.mark.parametrize("lang", sorted(DEV["cases"]))
def test_language_is_detected(lang):
    text = " ".join(t for t, _ in DEV["cases"][lang][:8])
    assert detect_language(text) == lang


def test_mention_kind_and_reason():
    g = geoparse("Ukrainian troops shelled positions near Kapan Airport.")
    kinds = dict(zip(g["mention"], g["mention_kind"], strict=True))
    assert kinds == {"Ukrainian": "demonym", "Kapan": "in_name"}
    assert all(g["reason"].str.len() > 0)


def test_context_sets_the_home_country():
    g = geoparse("Protesters gathered in Armavir.", context=["AM", (40.18, 44.51)])  # a local paper in Yerevan
    assert g["country_code"].tolist() == ["AM"]


def test_one_sense_per_name():
    g = geoparse("Talin, in Armenia's Aragatsotn province, held a vigil. Later Talin buried its dead.")
    assert set(g[g["mention"] == "Talin"]["country_code"]) == {"AM"}


def test_long_text_without_full_stops_is_cut_into_bounded_sentences():
    text = "shelling near Goris " * 5_000
    spans = sentence_spans(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert max(b - a for a, b in spans) <= 1_000
    g = geoparse(text)
    assert len(g) == 5_000
    assert g["sentence"].str.len().max() <= 1_000
