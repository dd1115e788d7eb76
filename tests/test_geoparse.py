"""Geoparsing: detection rules, document context, the mentions= path, and two benchmarks."""

import xml.etree.ElementTree as ET
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from geoconflict import geoparse
from geoconflict.geoparse import COLUMNS, find_mentions

from conftest import distance_km, shared_file


def _rows(text, **kw):
    """(mention, name, country) of the place mentions; demonyms too when ``demonyms=True`` is asked for.

    geoparse returns demonyms by default since issue 12, marked ``mention_kind="demonym"``:
    the place rows these tests check are the rows that are not demonyms.
    """
    g = geoparse(text, **kw)
    if not kw.get("demonyms"):
        g = g[g["mention_kind"] != "demonym"]
    return [(r.mention, r.name, r.country_code) for r in g.itertuples()]


def test_dev_cases_found_and_located(dev_cases):
    found = total = 0
    missed = []
    for case in dev_cases["cases"]:
        g = geoparse(case["text"])
        for gold in case["gold"]:
            total += 1
            a = case["text"].find(gold["mention"])
            b = a + len(gold["mention"])
            tol = gold.get("tol_km", dev_cases["tol_km"])
            hits = g[(g.start < b) & (g.end > a)]
            if any(distance_km(r.latitude, r.longitude, gold["lat"], gold["lon"]) <= tol for r in hits.itertuples()):
                found += 1
            else:
                missed.append(gold["mention"])
    print(f"dev_cases: {found}/{total} found and located; missed: {missed}")
    assert found / total >= 0.95


def _gwn_split():
    root = ET.parse(shared_file("benchmarks", "GWN.xml")).getroot()
    texts, tops = [], []
    for art in root.iter("article"):
        for t in art.iter("toponym"):
            gid = t.find("geonamesID")
            if gid is None or not (gid.text or "").strip():
                continue
            tops.append(
                (
                    len(texts),
                    int(t.find("start").text),
                    int(t.find("end").text),
                    float(t.find("latitude").text),
                    float(t.find("longitude").text),
                )
            )
        texts.append(art.find("text").text)
    return texts, tops[int(len(tops) * 0.7) :]


def test_geowebnews_resolution_split():
    """GeoWebNews (Gritta et al. 2019), gold spans of the last 30 % of geocoded toponyms."""
    texts, split = _gwn_split()
    assert len(split) == 721
    by_doc = defaultdict(list)
    for t in split:
        by_doc[t[0]].append(t)
    correct = 0
    for doc, tops in by_doc.items():
        mentions = find_mentions(texts[doc], mentions=[(a, b) for _, a, b, _, _ in tops])
        for (_, _, _, lat, lon), m in zip(tops, mentions, strict=True):
            mt = m.match
            if mt is None:
                continue
            if distance_km(mt.latitude, mt.longitude, lat, lon) <= 161 or (
                mt.is_area and mt.geometry.contains(Point(lon, lat))
            ):
                correct += 1
    print(f"GeoWebNews split: {correct}/721 = {correct / 721:.1%} within 161 km")
    assert correct / 721 >= 0.90


def test_seed_article():
    text = shared_file("examples", "seed_article.txt").read_text(encoding="utf-8")
    g = geoparse(text, date="2020-10-15", source="seed")
    by_mention = {r.mention: r for r in g.itertuples()}
    assert by_mention["Orduba"].name == "Ordubad"
    assert by_mention["Orduba"].country_code == "AZ"
    assert by_mention["Nakhchivan region"].feature_kind == "admin1"
    assert "Nagorno-Karabakh" in by_mention
    # days, people and an organisation named after a city are not places here
    assert not {"Thursday", "Friday", "Saturday", "Vladimir", "Shushan", "Stepanian", "Council"} & set(by_mention)
    assert set(g["date"]) == {"2020-10-15"}
    assert set(g["source"]) == {"seed"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # transliterations of one place
        (
            "Residents of Khankendi, which Armenians call Stepanakert, sheltered in basements.",
            [("Khankendi", "Khankendi", "AZ"), ("Stepanakert", "Khankendi", "AZ")],
        ),
        ("Shelling was reported in Şuşa and in Shushi.", [("Şuşa", "Shusha", "AZ"), ("Shushi", "Shusha", "AZ")]),
        # a namesake abroad loses to the one the text is about
        (
            "Protesters gathered in Armavir and in Gyumri, in western Armenia.",
            [("Armavir", "Armavir", "AM"), ("Gyumri", "Gyumri", "AM"), ("Armenia", "Armenia", "AM")],
        ),
        ("Talin, in Armenia's Aragatsotn province, held a vigil.", None),
        # an abbreviation with its dot, and the apposition that follows a town
        (
            "He fell ill in Springfield, Ill., on a visit.",
            [("Springfield", "Springfield", "US"), ("Ill", "Illinois", "US")],
        ),
        (
            "U.S. and UK diplomats met in Geneva.",
            [("U.S", "United States", "US"), ("UK", "United Kingdom", "GB"), ("Geneva", "Geneva", "CH")],
        ),
        # common words, days, months, titles and people are not places
        ("Police said on Thursday that the March rally would go ahead.", []),
        ("President Vladimir Putin spoke to Mr Paris by phone.", []),
        ("Artillery duels continued through the night.", []),
        ("A speech by Florence Nightingale was read aloud.", []),
        # a place inside the name of something there stays a place
        ("Kapan Airport reopened after the shelling.", [("Kapan", "Kapan", "AM")]),
    ],
)
def test_own_texts(text, expected):
    rows = _rows(text)
    if expected is None:
        assert rows[0][0] == "Talin"
        assert rows[0][2] == "AM"
        return
    assert rows == expected


def test_demonyms_are_optional():
    text = "Armenian forces said Azerbaijani drones struck near Kapan."
    assert [r[0] for r in _rows(text)] == ["Kapan"]
    with_demonyms = _rows(text, demonyms=True)
    assert [(m, cc) for m, _, cc in with_demonyms] == [("Armenian", "AM"), ("Azerbaijani", "AZ"), ("Kapan", "AM")]


def test_possessive_country_steers_the_namesake():
    rows = _rows("Fragments were found in Astara, in Iran's Ardabil province.")
    assert rows[0][2] == "IR"
    rows = _rows("Troops moved through Astara, in Azerbaijan's south.")
    assert rows[0][2] == "AZ"


def test_frame_schema_and_order():
    g = geoparse("Ordubad lies south of Julfa; Kapan lies east of both.", source="wire")
    assert list(g.columns) == [*COLUMNS, "geometry"]
    assert g.crs.to_epsg() == 4326
    assert list(g["start"]) == sorted(g["start"])
    assert (g["end"] > g["start"]).all()
    for r in g.itertuples():
        assert "Ordubad lies south" in r.sentence
        assert r.mention == "Ordubad lies south of Julfa; Kapan lies east of both."[r.start : r.end]


def test_areas_or_points():
    g = geoparse("Fighting spread across Nagorno-Karabakh.")
    assert g.geometry.iloc[0].geom_type in ("Polygon", "MultiPolygon")
    g = geoparse("Fighting spread across Nagorno-Karabakh.", areas=False)
    assert g.geometry.iloc[0].geom_type == "Point"


def test_given_mentions_are_resolved_in_context():
    text = "Volunteers gathered in Talin and Garni before travelling east."
    spans = [(23, 28), (33, 38)]
    g = geoparse(text, mentions=spans)
    assert list(g["mention"]) == ["Talin", "Garni"]
    assert list(g["country_code"]) == ["AM", "AM"]


def test_unresolvable_mention_is_reported_not_dropped():
    text = "Crowds met at the Qwxyzzt Plaza in Yerevan."
    a = text.index("Qwxyzzt")
    g = geoparse(text, mentions=[(a, a + len("Qwxyzzt Plaza")), (text.index("Yerevan"), len(text) - 1)])
    assert list(g["mention"]) == ["Yerevan"]
    assert g.attrs["unresolved"][0]["mention"] == "Qwxyzzt Plaza"
    assert g.attrs["unresolved"][0]["reason"]


@pytest.mark.parametrize("span", [(-1, 3), (5, 2), (0, 10_000)])
def test_bad_spans_are_errors(span):
    with pytest.raises(ValueError, match="outside the text"):
        geoparse("Yerevan", mentions=[span])


def test_empty_and_placeless_texts():
    for text in ("", "   ", "Nothing here names a place at all."):
        g = geoparse(text)
        assert len(g) == 0
        assert list(g.columns) == [*COLUMNS, "geometry"]


def test_frame_is_what_the_general_constructor_builds():
    """The frame built from arrays has the columns, dtypes, index and values pandas' own constructor gives."""
    import datetime

    import pandas as pd

    from geoconflict.geoparse._frame import _general_frame

    text = "Shelling hit Goris and Kapan; talks in Moscow and Armenia went on. Baku denied it."
    for date in (None, "2020-10-01", pd.Timestamp("2020-10-01"), datetime.date(2020, 10, 1)):
        g = geoparse(text, date=date, source="wire")
        rows = [tuple(r) for r in g.drop(columns="geometry").itertuples(index=False)]
        general = _general_frame(rows, list(g.geometry))
        pd.testing.assert_frame_equal(g, general, check_exact=True)
        pd.testing.assert_index_equal(g.columns, general.columns, exact=True)
        pd.testing.assert_index_equal(g.index, general.index, exact=True)
        assert g.crs == general.crs and g.active_geometry_name == "geometry"
    assert geoparse(text)["date"].dtype == object
    assert str(geoparse(text, date="2020-10-01")["date"].dtype) == "str"


def test_empty_frames_are_independent():
    """The empty frame is built once and copied: what a caller does to one does not reach the next."""
    import pandas as pd

    from geoconflict.geoparse._frame import _general_frame

    a = geoparse("Nothing here names a place at all.")
    pd.testing.assert_frame_equal(a, _general_frame([], []), check_exact=True)
    a["extra"] = 1
    a.attrs["unresolved"].append("x")
    b = geoparse("Nothing here names a place either.")
    assert list(b.columns) == [*COLUMNS, "geometry"] and b.attrs["unresolved"] == []
    assert b.crs.to_epsg() == 4326


def test_not_a_string():
    with pytest.raises(TypeError):
        geoparse(b"Yerevan")


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("AaBbKkOoRrSsTtUuZzəıŞşçğ '’.,-–\n\"()!?0123456789")) | st.characters(),
        max_size=300,
    )
)
def test_any_text_parses_and_spans_match(text):
    g = geoparse(text)
    for r in g.itertuples():
        assert text[r.start : r.end] == r.mention
        assert -90 <= r.latitude <= 90


def test_geoparse_many_keeps_each_text_apart():
    from geoconflict.geoparse import geoparse_many

    g = geoparse_many(["Shelling hit Kapan.", "Nothing here.", "Protests in Gyumri and Vanadzor."], source="wire")
    assert g["doc"].tolist() == [0, 2, 2]
    assert g["mention"].tolist() == ["Kapan", "Gyumri", "Vanadzor"]
    assert set(g["source"]) == {"wire"}
    assert g.crs.to_epsg() == 4326


@pytest.mark.parametrize(
    ("text", "mention", "kind"),
    [
        ("Drones struck an oil depot in Russia's Belgorod region.", "Belgorod region", "admin1"),
        ("Shelling hit villages in the Donetsk region overnight.", "Donetsk region", "admin1"),
        ("Fighting raged in Chin State after the junta's airstrikes.", "Chin State", "admin1"),
        ("Troops crossed the Aras river at dawn.", "Aras river", "river"),
    ],
)
def test_a_kind_word_after_a_name_chooses_the_kind(text, mention, kind):
    g = geoparse(text)
    row = g[g["mention"] == mention]
    assert len(row) == 1 and row["feature_kind"].iloc[0] == kind, g[["mention", "name", "feature_kind"]]


@pytest.mark.parametrize(
    "text", ["No U.S. city has such a policy.", "A grant from the U.S. Department of Transportation arrived."]
)
def test_a_country_before_a_kind_word_stays_the_country(text):
    g = geoparse(text)
    assert list(g["country_code"]) == ["US"] and list(g["feature_kind"]) == ["country"], g[["mention", "name"]]


def test_a_name_may_begin_with_an_article():
    g = geoparse("The RSF seized El Fasher as floods hit Des Moines and strikes hit Al Hudaydah.")
    assert {"SD", "US", "YE"} <= set(g["country_code"])
    assert set(g["mention"]) == {"El Fasher", "Des Moines", "Al Hudaydah"}
    assert geoparse("El presidente habló ayer.").empty  # an article alone is no name


@pytest.mark.parametrize(
    ("text", "mention", "cc"),
    [
        ("The Taliban seized Bagram air base as foreign troops left.", "Bagram air base", "AF"),
        ("Russian forces blew up the Kakhovka dam overnight.", "Kakhovka dam", "UA"),
        ("A drone struck the Zaporizhzhia nuclear power plant.", "Zaporizhzhia nuclear power plant", "UA"),
        ("Missiles hit grain silos at the Odesa port.", "Odesa port", "UA"),
    ],
)
def test_a_facility_is_found_with_its_lower_case_words(text, mention, cc):
    g = geoparse(text)
    row = g[g["mention"] == mention]
    assert len(row) == 1, g[["mention", "name"]]
    assert (row["feature_kind"].iloc[0], row["country_code"].iloc[0]) == ("facility", cc)


def test_arabic_names_with_a_hyphenated_article():
    g = geoparse("Strikes hit Deir ez-Zor and Jisr ash-Shughur, and residents of as-Suwayda protested.")
    assert list(g["country_code"]) == ["SY", "SY", "SY"], g[["mention", "name"]]
    assert "Deir ez-Zor" in set(g["mention"])
    # a head or a tail of a longer name the gazetteer lacks is no town of its own
    assert geoparse("Kurdish forces left Ras al-Ain.").empty  # not Ras, India
    assert list(geoparse("HTS attacked Saraqib and Maarat al-Numan.")["country_code"]) == ["SY"]  # not Numan, Nigeria


def test_a_close_spelling_of_a_city_after_a_preposition_of_place():
    g = geoparse("A tanker was attacked off Hodeidah, the UKMTO said.")
    assert list(g["country_code"]) == ["YE"] and "close spelling" in g["reason"].iloc[0]
    # a person's name, an English word or a hamlet's lookalike is not taken
    assert geoparse("The minister met Nauert in private.").empty
