"""Geoparsing: people, firms and institutions named like places are no place mentions (issue 12, item 2).

Every text here is composed for these tests (news of several conflicts and of everyday life);
each method has its cases, and beside them the places that look like people's names but
that the context writes as places.
"""

import pytest

from geoconflict.geoparse import find_mentions


def _found(text):
    return [m.text for m in find_mentions(text) if m.match is not None]


@pytest.mark.parametrize(
    ("text", "person"),
    [
        # a lexicon given name before a lexicon surname: the surname is no country or region
        ("The striker Andrew Jordan scored twice against the visitors.", "Jordan"),
        ("Veteran reporter Bill Holland covered the trial for years.", "Holland"),
        ("Composer Lin-Manuel Miranda wrote the score.", "Miranda"),
        ("The designer Mario de Santiago sold the rights to a London firm.", "Santiago"),
        # a given name before a surname, though the given name is a big city's
        ("The novel was adapted by Victoria Rowell for the stage.", "Victoria"),
        ("Letters should go to Elizabeth Sullivan, the editor.", "Elizabeth"),
        # kin, pets, a work's maker, an honorific, an age
        ("She lives with her husband and her son, Sebastian, near the harbour.", "Sebastian"),
        ("The old shepherd said Levi is his best dog.", "Levi"),
        ("The orchestra played music by Haydn, Chopin and Liszt.", "Chopin"),
        ("The programme opened with a sonata by Haydn.", "Haydn"),
        ("Mr Tyler declined to comment on the ruling.", "Tyler"),
        ("Julia, 34, was treated for shrapnel wounds.", "Julia"),
        # a name of the lexicon that speaks, where no big place, area or capital has the name
        ('"We will rebuild the school," said Wu, a teacher.', "Wu"),
        ("Wu said the shipment had been delayed at the border.", "Wu"),
    ],
)
def test_people_are_not_places(text, person):
    assert person not in _found(text)


def test_one_sense_per_discourse():
    """Once the text writes a word as someone's, its bare uses later are that someone too."""
    text = (
        "The retired sergeant walks every morning with his son, Levi. "
        "Levi carries the shopping. Neighbours say Levi never misses a day."
    )
    assert "Levi" not in _found(text)
    # the firm: its headquarters and its shoppers, not a town in Turkey
    text = "Zara's headquarters are in Spain. Zara opened new stores across Europe."
    found = _found(text)
    assert "Zara" not in found and "Spain" in found and "Europe" in found


def test_an_area_surname_needs_the_person_context():
    """A bare country in a text that names someone of that surname stays the country unless it acts as a person."""
    text = "Lin-Manuel Miranda toured Venezuela. Miranda tweeted on Thursday. Miranda's son was born in February."
    assert _found(text) == ["Venezuela"]
    text = "Lawyer Andrew Jordan flew to Amman. Jordan has closed its border with Syria."
    assert {"Jordan", "Amman", "Syria"} <= set(_found(text))


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Floods hit towns in Victoria overnight.", "Victoria"),
        ("Georgia's capital braced for more protests.", "Georgia"),
        ("The minister flew to Jordan on Monday.", "Jordan"),
        ("The truck was stopped in Lincoln, Nebraska.", "Lincoln"),
        ("Chad's army said it repelled the attack.", "Chad"),
        ("Sudan said the talks in Jeddah had failed.", "Sudan"),
        ("Israel said the strikes would continue.", "Israel"),
        ("Kyiv said the drones came from the south.", "Kyiv"),
        ("Florence Nightingale's hospital stood in Scutari, far from Florence.", "Florence"),
        ("Police in Austin said the bridge was closed.", "Austin"),
        ("A drone struck the Kremlin, officials in Moscow said.", "Moscow"),
        ("Refugees from Hebron, Jenin and Gaza reached the crossing.", "Jenin"),
        ("Shells fell on Goris, Kapan and Sisian.", "Goris"),
    ],
)
def test_places_that_look_like_names_stay(text, place):
    assert place in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "The White House announced new sanctions on Thursday.",
        "The opposition called on the Verkhovna Rada to repeal the law.",
        "The Verkhovna Rada Committee on Corruption met on Monday.",
        "The Kremlin denied any role in the blast.",
    ],
)
def test_institutions_acting_are_not_places(text):
    assert not {"White House", "Verkhovna Rada", "Kremlin"} & set(_found(text))


def test_a_building_where_something_happens_stays():
    assert "White House" in _found("Protesters gathered outside the White House at noon.")
    assert "Verkhovna Rada" in _found("A fire broke out inside the Verkhovna Rada building overnight.")
