"""extract_incidents: the seed article, claims and denials, dates, casualties, texts we write."""

import pandas as pd
import pytest

from geoconflict.extract import extract_incidents
from geoconflict.zones import ConflictZone

from conftest import shared_file


@pytest.fixture(scope="module")
def seed_incidents():
    text = shared_file("examples", "seed_article.txt").read_text(encoding="utf-8")
    return extract_incidents(text, date="2020-10-16", source="seed article")


def test_seed_article_ordubad_incident(seed_incidents):
    assert len(seed_incidents) == 1
    inc = seed_incidents.iloc[0]
    assert inc["location"] == "Orduba"
    assert inc["matched_name"] == "Ordubad"
    assert inc["admin1"] == "Nakhchivan Autonomous Republic"
    assert inc["country_code"] == "AZ"
    assert inc["event_type"] == "Explosions/Remote violence"
    assert inc["sub_event_type"] == "Shelling/artillery/missile attack"
    assert inc["claimed_by"] == "Azerbaijan’s Defence Ministry"
    assert inc["claim_status"] == "disputed"
    assert "Armenian Defence Ministry" in inc["disputed_by"]
    assert inc["fatalities"] == 0
    assert inc["actor1"] == "Armenian forces"
    assert inc["event_date"] == pd.Timestamp("2020-10-15")  # "on Thursday", article of Friday 16 October
    assert "Orduba" in inc["sentence"]
    assert inc["source"] == "seed article"
    assert inc["geo_precision"] == 2  # "the area near Orduba"


def test_seed_incident_is_outside_the_zone(seed_incidents):
    offline = ConflictZone.from_names(["Nagorno-Karabakh"]).classify(seed_incidents).iloc[0]
    assert offline["zone_status"] == "outside"
    assert offline["zone_distance_km"] > 30
    ne = ConflictZone.from_file(shared_file("boundaries", "naturalearth", "ne_10m_nagorno_karabakh.geojson"))
    real = ne.classify(seed_incidents).iloc[0]
    assert real["zone_status"] == "outside"
    assert 30 < real["zone_distance_km"] < 50  # about 40 km from Natural Earth's pre-2020 outline


@pytest.mark.parametrize(
    ("text", "date", "expected"),
    [
        (
            "Armenia's Defence Ministry said Azerbaijani drones struck Kapan yesterday, killing two civilians.",
            "2020-10-20",
            {
                "location": "Kapan",
                "sub_event_type": "Air/drone strike",
                "event_date": pd.Timestamp("2020-10-19"),
                "fatalities": 2,
                "claimed_by": "Armenia's Defence Ministry",
                "claim_status": "claimed",
            },
        ),
        (
            "Shells struck near Qubadli and Zangilan on 14 October as the front moved south.",
            "2020-10-20",
            {"event_date": pd.Timestamp("2020-10-14"), "claim_status": "reported", "geo_precision": 2},
        ),
        (
            "Clashes were reported in Tavush province, according to the Armenian Defence Ministry.",
            None,
            {
                "location": "Tavush province",
                "event_type": "Battles",
                "geo_precision": 4,
                "claimed_by": "Armenian Defence Ministry",
            },
        ),
    ],
)
def test_own_texts(text, date, expected):
    inc = extract_incidents(text, date=date)
    assert len(inc) >= 1
    row = inc.iloc[0]
    for k, v in expected.items():
        assert row[k] == v, (k, row[k])


def test_two_places_in_one_sentence_are_two_incidents():
    inc = extract_incidents("Shells struck near Qubadli and Zangilan as the front moved south.")
    assert sorted(inc["matched_name"]) == ["Qubadlı", "Zangilan"]


def test_denial_by_named_party():
    text = (
        "Azerbaijan's Defence Ministry said Armenian forces shelled Tartar on Monday. "
        "The Armenian government rejected the claim, saying no shells were fired at Tartar."
    )
    inc = extract_incidents(text, date="2020-10-07")
    row = inc.iloc[0]
    assert row["claim_status"] == "disputed"
    assert row["disputed_by"] == "The Armenian government".removeprefix("The ")
    assert row["event_date"] == pd.Timestamp("2020-10-05")


def test_no_attack_no_incident():
    inc = extract_incidents("Foreign ministers of Armenia and Azerbaijan met in Moscow for talks.")
    assert len(inc) == 0
    assert "claim_status" in inc.columns


def test_bad_document_date_is_an_error():
    with pytest.raises(ValueError, match="not a date"):
        extract_incidents("Shelling hit Tartar.", date="next week")


def test_shipped_example_article():
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "examples" / "nakhchivan_claim.txt").read_text(encoding="utf-8")
    inc = extract_incidents(text, date="2020-10-16")
    zone = ConflictZone.from_names(["Nagorno-Karabakh"])
    out = zone.classify(inc).set_index("matched_name")
    assert list(out.index) == ["Ordubad", "Khankendi", "Shusha", "Vardenis"]
    assert out.loc["Ordubad", "zone_status"] == "outside"
    assert out.loc["Ordubad", "claim_status"] == "disputed"
    assert out.loc["Ordubad", "event_date"] == pd.Timestamp("2020-10-15")
    assert out.loc["Ordubad", "fatalities"] == 0
    assert out.loc["Khankendi", "zone_status"] == "inside"
    assert out.loc["Shusha", "zone_status"] == "inside"
    assert out.loc["Vardenis", "sub_event_type"] == "Air/drone strike"
    assert out.loc["Vardenis", "country_code"] == "AM"
