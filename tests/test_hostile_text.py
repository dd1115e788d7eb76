"""Text that exhausts time or memory: extraction stays linear, geoparse's memory stays bounded."""

from __future__ import annotations

import base64
import itertools
import random

import pytest

from geoconflict.extract import extract_incidents
from geoconflict.geoparse import MAX_SENTENCE_CHARS, geoparse, sentence_spans


def _blob(n: int) -> str:
    rng = random.Random(10)
    return base64.b64encode(bytes(rng.getrandbits(8) for _ in range(n * 3 // 4))).decode()[:n]


@pytest.mark.parametrize("make", [lambda n: "A" * n, lambda n: "a" * n, _blob, lambda n: "Aa " * (n // 3)])
def test_extraction_of_text_without_words_completes_empty(gazetteer, make):
    # 100,000 characters: quadratic regexes took minutes on these (bench/extract.py measures the time)
    assert extract_incidents(make(100_000), date="2020-10-16").empty


def test_speakers_on_a_run_of_capitals():
    from geoconflict.extract._speakers import claims

    assert claims("A" * 100_000) == []
    assert claims("Shelling hit Tartar, the Defence Ministry said.")  # the same finder still finds a speaker


def test_a_list_without_full_stops_keeps_memory_bounded(gazetteer):
    names = ["Kapan", "Goris", "Stepanakert", "Shusha", "Tartar", "Ordubad"]
    text = ", ".join(names * 3000)[:128_000]
    spans = sentence_spans(text)
    assert max(b - a for a, b in spans) <= MAX_SENTENCE_CHARS
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a == b0 for (_, a), (b0, _) in itertools.pairwise(spans))  # they cover the text
    g = geoparse(text)
    assert len(g) > 10_000
    if "sentence" in g.columns:
        assert g["sentence"].astype(str).str.len().max() <= MAX_SENTENCE_CHARS
    # every mention is still found: cuts fall at spaces, never inside a name
    assert set(g["mention"]) <= set(names)


def test_made_up_names_after_prepositions_ask_a_bounded_number_of_misspelling_searches(monkeypatch):
    import importlib

    from geoconflict.gazetteer import Gazetteer

    _detect = importlib.import_module("geoconflict.geoparse._detect")  # the module, not its function
    gaz = Gazetteer.default()
    asked = []
    real = gaz.resolve

    def counting(name, **kw):
        asked.append(name)
        return real(name, **kw)

    text = " ".join(f"in Kqz{i}vb" for i in range(3000))  # made-up names, each after a preposition
    monkeypatch.setattr(gaz, "resolve", counting)
    _detect._close_spellings(gaz, text, _detect._tokenize(text, [(0, len(text))], "en"), [], frozenset(), None)
    assert len(asked) <= _detect.CLOSE_SPELLING_BUDGET + len(text) // _detect.CLOSE_SPELLING_CHARS
