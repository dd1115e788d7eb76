"""The incident schema and its vocabularies, in one place.

Every module that reads, makes, classifies, joins or draws incidents takes its
words from here: the location-precision scale (:data:`GEO_PRECISION`), what a
gazetteer kind means on it (:data:`KIND_PRECISION`), how specific a kind is
(:data:`KIND_RANK`), how far a location of each precision may be from the truth
(:data:`PRECISION_RADIUS_KM`), and the column names the tables of the world use
for dates, places and area names. Nothing here imports the rest of the package.

Examples
--------
>>> GEO_PRECISION[4]
'first-level unit (province, region)'
>>> KIND_RANK["town"] < KIND_RANK["admin1"] < KIND_RANK["country"]
True
>>> first_column(["id", "date_start", "date"], DATE_COLUMNS)
'date'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = [
    "ACLED_EVENT_TYPES",
    "AREA_NAME_COLUMNS",
    "ARMED_GROUPS",
    "CLAIM_SOURCE_KINDS",
    "CLAIM_STATUSES",
    "DATE_COLUMNS",
    "DATE_PRECISIONS",
    "GEO_PRECISION",
    "KIND_PRECISION",
    "KIND_RANK",
    "LINE_OR_SEA_KINDS",
    "NAMED_PLACE_PRECISION",
    "PLACE_COLUMNS",
    "PRECISION_RADIUS_KM",
    "ZONE_STATUSES",
    "first_column",
]

#: The project's location-precision scale, shared by every source (ACLED's 1–3 and
#: UCDP GED's where_prec 1–7 are mapped onto it when a table is read).
GEO_PRECISION = {
    1: "exact location",
    2: "near a named place (within about 10–25 km)",
    3: "second-level unit (district)",
    4: "first-level unit (province, region)",
    5: "a line or fuzzy area",
    6: "country",
    7: "at sea or in the air",
}

#: A gazetteer feature kind → the scale: the precision of an incident placed at a place of that kind.
#: Seas and open water are 7 (ACLED codes maritime events to the body of water, "Red Sea");
#: a river, lake, range or island is a line or fuzzy area (5); a facility (an airport, a
#: power plant, a port) is a point a strike is placed at exactly (1).
KIND_PRECISION = {
    "town": 1,
    "admin2": 3,
    "admin1": 4,
    "region": 5,
    "country": 6,
    "continent": 6,
    "sea": 7,
    "river": 5,
    "lake": 5,
    "mountain": 5,
    "island": 4,
    "facility": 1,
    "landmark": 1,
    "border": 5,
}

#: A table row that names a town but gives no coordinates is placed at the town's
#: centre, which may be 10–25 km from where it happened ("shelling of Martuni" covers
#: the villages around it): at best "near a named place".
NAMED_PLACE_PRECISION = 2

#: How specific a feature kind is: 0 the most (a town, a facility) … 5 the least (a continent,
#: an ocean or sea).
KIND_RANK = {
    "town": 0,
    "admin2": 1,
    "admin1": 2,
    "region": 3,
    "country": 4,
    "continent": 5,
    "facility": 0,
    "landmark": 0,
    "border": 3,
    "island": 2,
    "lake": 2,
    "river": 3,
    "mountain": 3,
    "sea": 5,
}

#: Kinds that are lines or open water: named in passing ("across the Dnipro river", "on the
#: border") they place nothing; an attack is placed at them only when it hits them.
LINE_OR_SEA_KINDS = frozenset({"river", "border", "sea", "lake", "mountain"})

#: How far the true location of an event may be from its coordinates, km, by
#: :data:`GEO_PRECISION`. None: the coordinates say nothing useful (a country's centroid).
PRECISION_RADIUS_KM: dict[int, float | None] = {1: 2.0, 2: 10.0, 3: 50.0, 4: 150.0, 5: 100.0, 6: None, 7: None}

#: ACLED's event types and the sub-event types incidents extracted from text use.
ACLED_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Suicide bomb",
        "Grenade",
    ),
    "Violence against civilians": ("Attack", "Abduction/forced disappearance"),
}

#: Who a claim comes from (``claim_source_kind``), the most specific first.
CLAIM_SOURCE_KINDS = (
    "government",
    "military",
    "local official",
    "armed group",
    "UN/NGO",
    "media",
    "company",
    "anonymous",
)

#: ``claim_status``: no source named / a source named / a party denies it / a second party confirms it.
CLAIM_STATUSES = ("reported", "claimed", "disputed", "confirmed")

#: ``date_precision``: how much the ``event_date`` says. "document": the text gives no date,
#: the article's date stands in.
DATE_PRECISIONS = ("day", "overnight", "weekend", "week", "document")

#: Armed groups as news writes them → the ACLED-style actor name.
ARMED_GROUPS = {
    "rapid support forces": "Rapid Support Forces",
    "rsf": "Rapid Support Forces",
    "m23": "M23: March 23 Movement",
    "march 23 movement": "M23: March 23 Movement",
    "adf": "ADF: Allied Democratic Forces",
    "allied democratic forces": "ADF: Allied Democratic Forces",
    "houthis": "Ansar Allah (Houthis)",
    "houthi": "Ansar Allah (Houthis)",
    "ansar allah": "Ansar Allah (Houthis)",
    "hezbollah": "Hezbollah",
    "hamas": "Hamas Movement",
    "islamic jihad": "Palestinian Islamic Jihad",
    "wagner": "Wagner Group",
    "sdf": "SDF: Syrian Democratic Forces",
    "syrian democratic forces": "SDF: Syrian Democratic Forces",
    "jnim": "JNIM: Group for Support of Islam and Muslims",
    "islamic state": "Islamic State",
    "isis": "Islamic State",
    "al-shabaab": "Al Shabaab",
    "al shabaab": "Al Shabaab",
    "taliban": "Taliban",
    "hts": "HTS: Hayat Tahrir al Sham",
    "hayat tahrir al-sham": "HTS: Hayat Tahrir al Sham",
    "boko haram": "Boko Haram",
    "codeco": "CODECO: Cooperative for Development of Congo",
    "wazalendo": "Wazalendo",
}

#: ``zone_status`` values, in the order maps and summaries use (code 0, 1, 2).
ZONE_STATUSES = ("inside", "near", "outside")

#: Date columns, most specific first: ACLED's ``event_date``, generic ``date``, UCDP GED's ``date_start``.
DATE_COLUMNS = ("event_date", "date", "date_start", "day")

#: Columns that name where an incident happened, in tables with no coordinates.
PLACE_COLUMNS = ("location", "place", "place_name", "placename", "town", "city", "village", "name", "locality")

#: Columns that name an area (a zone or an admin unit): a breakaway area's own name
#: (Natural Earth's BRK_NAME, "Nagorno-Karabakh") before its sovereign's, then the names
#: geoBoundaries (shapeName), GADM (NAME_1/2), OCHA COD-AB (ADM1_EN) and others use.
AREA_NAME_COLUMNS = (
    "BRK_NAME",
    "name",
    "shapeName",
    "name_en",
    "NAME_EN",
    "NAME",
    "ADM2_EN",
    "ADM1_EN",
    "NAME_2",
    "NAME_1",
    "NAME_SORT",
    "ADMIN",
    "admin",
)


def first_column(columns: Iterable[str], names: Sequence[str]) -> str | None:
    """The first of ``names`` that is among ``columns`` (exact spelling), or None."""
    have = set(columns)
    return next((n for n in names if n in have), None)
