"""The sentence-level event frame: targets, offsets, datelines, claims, denials, counts, dates, links, Russian, cost.

Every text here is written for these tests.
"""

import base64
import json
import random
from pathlib import Path

import pandas as pd
import pytest

from geoconflict.extract import extract_incidents
from geoconflict.geodesy import haversine_km
from geoconflict.schema import ACLED_EVENT_TYPES, CLAIM_SOURCE_KINDS, CLAIM_STATUSES, DATE_PRECISIONS

DEV = Path(__file__).resolve().parent.parent / "data" / "extract" / "dev.json"


def one(text, date="2023-06-06"):
    inc = extract_incidents(text, date=date)
    assert len(inc) == 1, inc[["location", "sentence"]].values.tolist()
    return inc.iloc[0]


# ------------------------------------------------------------------ places


def test_every_place_hit_is_its_own_incident():
    inc = extract_incidents("Warplanes struck targets in Sanaa, Hodeidah and Saada overnight.", date="2024-01-12")
    assert sorted(inc["matched_name"]) == ["Al Ḩudaydah", "Sa'dah", "Sanaa"]
    assert set(inc["date_precision"]) == {"overnight"}
    assert set(inc["event_date"]) == {pd.Timestamp("2024-01-11")}


def test_offset_is_a_displaced_point_with_a_radius():
    r = one("A depot 15 km south of Kramatorsk was hit by missiles, the ministry said.")
    kram = extract_incidents("Missiles hit Kramatorsk.").iloc[0]
    assert r["reference"] == "Kramatorsk" and r["offset_km"] == 15 and r["offset_bearing"] == 180
    assert haversine_km(kram["latitude"], kram["longitude"], r["latitude"], r["longitude"]) == pytest.approx(
        15, abs=0.2
    )
    assert r["latitude"] < kram["latitude"]
    assert r["geo_precision"] == 2 and 2 <= r["location_radius_km"] < 15


def test_offset_with_a_conversion_in_brackets():
    r = one("Shells hit a school about 20 km (12 miles) north of Kherson on Monday.")
    assert r["reference"] == "Kherson" and r["offset_km"] == 20 and r["offset_bearing"] == 0


def test_nautical_miles_without_a_direction_keep_the_reference_with_a_wide_radius():
    r = one("A missile struck a tanker 50 nautical miles off Aden, the navy said.", "2024-03-07")
    assert r["matched_name"] == "Aden" and r["offset_km"] == pytest.approx(92.6)
    assert pd.isna(r["offset_bearing"]) and r["location_radius_km"] == pytest.approx(92.6)


def test_dateline_is_the_fallback_place():
    r = one(
        "DJIBO, Burkina Faso — Jihadists ambushed a convoy near the town on Monday, killing 11 soldiers.", "2022-09-27"
    )
    assert r["matched_name"] == "Djibo" and r["fatalities"] == 11
    assert r["event_date"] == pd.Timestamp("2022-09-26") and r["event_type"] == "Battles"


def test_origin_is_a_column_not_an_incident():
    r = one("EILAT, Israel — A drone launched from Yemen struck a building near the port, the army said.", "2024-07-19")
    assert r["matched_name"] == "Eilat" and r["origin"] == "Yemen"


def test_a_river_named_in_passing_is_no_incident():
    inc = extract_incidents("Artillery pounded Nikopol across the Dnipro river on Sunday.", date="2023-11-06")
    assert list(inc["matched_name"]) == ["Nikopol"]


def test_the_road_between_two_towns_is_one_incident():
    r = one("A drone struck a car on the road between Tyre and Naqoura on Sunday, killing two.", "2024-03-04")
    assert r["matched_name"] == "Tyre" and r["reference"] == "Naqoura" and r["fatalities"] == 2


def test_a_town_inside_a_sea_name_is_not_the_target():
    inc = extract_incidents("Rebels fired missiles at a tanker in the Gulf of Aden, the navy said.")
    assert "Aden" not in set(inc["matched_name"])


# ------------------------------------------------------------------ claims and denials


@pytest.mark.parametrize(
    ("text", "claimed_by", "kind"),
    [
        ("Ukraine said Russian drones hit Izmail overnight.", "Ukraine", "government"),
        (
            "Shelling hit Kherson, the head of the regional administration said.",
            "head of the regional administration",
            "local official",
        ),
        ("Shells hit Goris on Friday, according to the town's mayor.", "town's mayor", "local official"),
        ("Rockets struck Sderot, the Israeli army said.", "Israeli army", "military"),
        ("Drones hit Kupiansk, military sources said.", "military sources", "anonymous"),
        ("Gunmen attacked Umm Kadada, witnesses said.", "witnesses", "anonymous"),
        ("Hezbollah said it fired rockets at a post near Metula.", "Hezbollah", "armed group"),
        (
            "A blast hit a vessel 10 miles west of Mocha, a shipping security firm said.",
            "shipping security firm",
            "company",
        ),
        ("An airstrike hit Rafah, Gaza's health authorities said.", "Gaza's health authorities", "government"),
        (
            "Warplanes bombed Saraqib, the Syrian Observatory for Human Rights said.",
            "Syrian Observatory for Human Rights",
            "UN/NGO",
        ),
        ("A drone struck a car near Tyre, Lebanon's state news agency said.", "Lebanon's state news agency", "media"),
        (
            "Shells hit Kherson, according to a statement from the regional administration.",
            "regional administration",
            "local official",
        ),
    ],
)
def test_claim_forms(text, claimed_by, kind):
    r = one(text)
    assert r["claimed_by"] == claimed_by
    assert r["claim_source_kind"] == kind
    assert r["claim_status"] == "claimed"


@pytest.mark.parametrize(
    ("denial", "who"),
    [
        ("Baku dismissed it as propaganda.", "Baku"),
        ("Russia rejected the claims.", "Russia"),
        ("The RSF denied attacking civilian areas.", "RSF"),
        ("Moscow denied that any depot was damaged.", "Moscow"),
        ("Moscow called the claims baseless.", "Moscow"),
    ],
)
def test_denial_forms(denial, who):
    r = one(f"Officials in Kherson said Russian shells hit the city centre on Monday. {denial}")
    assert r["claim_status"] == "disputed" and r["disputed_by"] == who


def test_a_quote_said_by_someone_after_it():
    r = one('"We were shelled all night," said a resident of Kharkiv.')
    assert r["matched_name"] == "Kharkiv" and r["claimed_by"] == "resident of Kharkiv"
    assert r["claim_source_kind"] == "anonymous"


def test_declining_to_comment_is_no_denial():
    r = one("The army said rebels seized Wad Madani. The rebels declined to comment.")
    assert r["claim_status"] == "claimed" and pd.isna(r["disputed_by"])


def test_a_later_sentence_names_the_source_and_counts():
    r = one(
        "Russian shells hit Kupiansk on Tuesday, killing a woman. Four more were wounded, the governor said.",
        "2023-10-25",
    )
    assert r["claimed_by"] == "governor" and r["fatalities"] == 1 and r["injuries"] == 4


def test_a_confirmation_by_another_party():
    r = one("The Houthis said they targeted a ship off the coast of Hodeidah. The U.S. military confirmed the attack.")
    assert r["claim_status"] == "confirmed"


# ------------------------------------------------------------------ counts and dates


@pytest.mark.parametrize(
    ("text", "dead", "hurt"),
    [
        ("Three soldiers died and seven were hurt when a drone hit a checkpoint near Shebekino.", 3, 7),
        ("A drone hit a house in Sisian; nobody was harmed.", 0, 0),
        ("Rockets landed near Ashkelon, causing no damage.", 0, 0),
        ("Shelling of Kherson killed two people and injured five.", 2, 5),
        ("At least 46 people, half of them children, were killed in a raid near Bunia.", 46, None),
        ("Gunmen killed twenty-two villagers in Umm Kadada.", 22, None),
        ("Jihadists attacked the base in Ménaka, and dozens of soldiers were killed.", None, None),
    ],
)
def test_casualties(text, dead, hurt):
    r = one(text)
    assert (None if pd.isna(r["fatalities"]) else r["fatalities"]) == dead
    assert (None if pd.isna(r["injuries"]) else r["injuries"]) == hurt


@pytest.mark.parametrize(
    ("words", "day", "precision"),
    [
        ("yesterday", "2023-06-05", "day"),
        ("last night", "2023-06-05", "overnight"),
        ("the day before", "2023-06-05", "day"),
        ("over the weekend", "2023-06-03", "weekend"),
        ("last week", "2023-05-29", "week"),
        ("on Sunday", "2023-06-04", "day"),
        ("on 2 June", "2023-06-02", "day"),
    ],
)
def test_dates(words, day, precision):
    r = one(f"Shells hit Kherson {words}.", "2023-06-06")  # a Tuesday
    assert r["event_date"] == pd.Timestamp(day) and r["date_precision"] == precision


def test_a_day_later():
    inc = extract_incidents("Drones hit Kiryat Shmona on Sunday. A day later jets struck Baalbek.", date="2024-08-06")
    assert list(inc["event_date"].dt.day) == [4, 5]


# ------------------------------------------------------------------ no incident


@pytest.mark.parametrize(
    "text",
    [
        "Armenia's Defence Ministry said its air defences intercepted two drones headed for Yerevan.",
        "Delegations met in Jeddah for ceasefire talks, the foreign ministry said.",
        "At a news conference in Damascus, the minister condemned the raid.",
        "Hundreds of people protested in Port Sudan against the war.",
        "The navy said its destroyers shot down 18 drones over the southern Red Sea, and no ships were damaged.",
    ],
)
def test_no_incident(text):
    assert extract_incidents(text, date="2024-01-10").empty


def test_a_past_year_is_background():
    assert extract_incidents("In 2020, Azerbaijani forces shelled Stepanakert for weeks.", date="2023-06-06").empty


def test_empty_frame_has_every_column():
    inc = extract_incidents("Nothing happened.")
    assert {"claim_source_kind", "injuries", "date_precision", "origin", "reference"} <= set(inc.columns)


# ------------------------------------------------------------------ actors and vocabularies


def test_actors_acled_style():
    r = one("Rapid Support Forces shelled the market in El Fasher on Saturday, killing 15.", "2024-05-13")
    assert r["actor1"] == "Rapid Support Forces" and r["actor1_acled"] == "Rapid Support Forces"
    r = one("Russian missiles struck Kharkiv on Sunday.", "2023-07-10")
    assert r["actor1_acled"] == "Military Forces of Russia"


def test_values_come_from_the_schema_vocabularies():
    paragraphs = json.loads(DEV.read_text(encoding="utf-8"))["paragraphs"]
    text = "\n\n".join(p["text"] for p in paragraphs[:30])
    inc = extract_incidents(text, date="2024-01-01")
    assert len(inc) > 20
    for t, s in zip(inc["event_type"], inc["sub_event_type"], strict=True):
        assert s in ACLED_EVENT_TYPES[t]
    assert set(inc["claim_source_kind"].dropna()) <= set(CLAIM_SOURCE_KINDS)
    assert set(inc["claim_status"]) <= set(CLAIM_STATUSES)
    assert set(inc["date_precision"].dropna()) <= set(DATE_PRECISIONS)


# ------------------------------------------------------------------ Russian


def test_russian_claim_relative_date_and_casualties():
    r = one("По данным губернатора, беспилотник вчера вечером атаковал город Шебекино, пострадавших нет.", "2023-09-18")
    assert r["matched_name"] == "Shebekino" and r["event_date"] == pd.Timestamp("2023-09-17")
    assert r["claimed_by"] == "губернатора" and r["fatalities"] == 0


def test_russian_denial_and_dateline():
    r = one("Украинская сторона сообщила об обстреле города Херсон, однако Москва опровергла эти сведения.")
    assert r["claim_status"] == "disputed" and r["disputed_by"] == "Москва"
    r = one("ХАРЬКОВ, 10 июля — В результате ракетного удара погибли три человека, ещё 11 ранены.", "2023-07-10")
    assert r["matched_name"] == "Kharkiv" and (r["fatalities"], r["injuries"]) == (3, 11)


# ------------------------------------------------------------------ cost


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "A" * n,
        lambda n: base64.b64encode(random.Random(1).randbytes(n)).decode()[:n],
        lambda n: ("Shelling hit Tartar, the Defence Ministry of Azerbaijan said. " * (n // 60 + 1))[:n],
    ],
    ids=["one letter", "base64", "repeated news"],
)
def test_hostile_lengths_complete(make):
    """100,000 characters of one letter or base64 give no incident (main took minutes on them: the
    linear-time figure, 10k vs 100k characters, is measured by bench/extract.py, not asserted here)."""
    out = extract_incidents(make(100_000), date="2020-10-16")
    if make(20).startswith("Shelling"):
        assert len(out) >= 1 and set(out["matched_name"]) == {"Tartar"}
    else:
        assert out.empty


# ------------------------------------------------------------------ files


@pytest.mark.parametrize("ext", ["gpkg", "geojson", "csv"])
def test_new_columns_survive_the_writers(tmp_path, ext):
    from geoconflict.io import write

    inc = extract_incidents(
        "A depot 15 km south of Kramatorsk was hit by missiles, military sources said. Russia rejected the claims.",
        date="2023-05-22",
    )
    path = tmp_path / f"out.{ext}"
    write(inc, path)
    if ext == "csv":
        back = pd.read_csv(path)
    else:
        import geopandas as gpd

        back = gpd.read_file(path)
    for col in ("claim_source_kind", "date_precision", "offset_km", "reference", "injuries", "disputed_by"):
        assert col in back.columns, col
    assert back["claim_source_kind"].iloc[0] == "anonymous"
    assert float(back["offset_km"].iloc[0]) == 15.0


# ------------------------------------------------------------------ kinds the gazetteer is adding (seas, facilities)


def _mention(text, name, kind, lat=14.0, lon=41.0, cc=""):
    from geoconflict.gazetteer import Match
    from geoconflict.geoparse import Mention

    match = Match(name, name, name.lower(), "exact", "test", "1", cc, "", kind, lat, lon, 0, 1.0)
    return Mention(text.index(name), text.index(name) + len(name), name, 0, match)


def test_a_sea_hit_is_a_target_at_sea_and_a_river_in_passing_is_not():
    from geoconflict.extract import _precision
    from geoconflict.extract._places import targets

    text = "Missiles hit a tanker in the Red Sea after crossing the Nile river."
    sea, river = _mention(text, "Red Sea", "sea"), _mention(text, "Nile", "river")
    places, _ = targets(text, 0, [sea, river], russian=False)
    assert [p.mention.text for p in places] == ["Red Sea"]
    assert _precision(places[0]) == 7


def test_a_facility_is_an_exact_target():
    from geoconflict.extract import _precision
    from geoconflict.extract._places import targets

    text = "A drone hit the Zaporizhzhia Nuclear Power Plant on Sunday."
    plant = _mention(text, "Zaporizhzhia Nuclear Power Plant", "facility", 47.5, 34.6, "UA")
    places, _ = targets(text, 0, [plant], russian=False)
    assert len(places) == 1 and _precision(places[0]) == 1


def test_the_verb_lie_is_no_denial():
    from geoconflict.extract._speakers import denials

    assert denials("The exclave borders Iran and Turkey, and lies far from the line of contact.") == []
    assert [who for _, who in denials("Baku said the reports were lies.")] == ["Baku"]
