"""The in-memory form of a gazetteer entry while the index is being built."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Version of the on-disk index layout; an index written by another version is rebuilt.
FORMAT_VERSION = 3

# Flags carried by each (name, place) posting.
PRIMARY = 1  # the place's own name (or its plain-ASCII form)
ABBREV = 2  # an abbreviation written in capitals ("UK", "U.S."): case-sensitive in text
DEMONYM = 4  # "Ukrainian", "Azerbaijani": names the place through its people
CODE = 8  # an identifier ("ARM", "AZ-NX", airport codes): never matched in running text
STRIPPED = 16  # the key lost an administrative suffix the place's kind does not carry ("Texas City" -> "texas")

# What a key is as an English word, stored with its answer (``answer_words.npy``) so that
# the commonest query skips two word-list lookups:
WORD = 1  # in ``words.marisa``: an English word ("parties", "nice")
EVERYDAY = 2  # in ``everyday.marisa``: an everyday word ("police", "market")

#: Feature kinds, in the order their codes are stored. Physical features (seas and open
#: water, rivers, lakes and reservoirs, ranges and heights, islands) and facilities
#: (airports, plants, dams, ports, crossings, buildings) follow the areas of people.
KINDS = (
    "town",
    "admin2",
    "admin1",
    "country",
    "region",
    "continent",
    "sea",
    "river",
    "lake",
    "mountain",
    "island",
    "facility",
)
#: The kinds that are physical features.
PHYSICAL_KINDS = frozenset({"sea", "river", "lake", "mountain", "island"})
KIND_CODE = {k: i for i, k in enumerate(KINDS)}

#: Sources, in the order their codes are stored.
SOURCES = (
    "geonames",
    "geoconflict",
    "countryinfo",
    "pycountry",
    "geonames-admin1",
    "geonames-admin2",
    "naturalearth",
    "airportsdata",
)
SOURCE_CODE = {s: i for i, s in enumerate(SOURCES)}


@dataclass
class PlaceRecord:
    """One place while building: a town, a division, a country or a region."""

    name: str
    kind: str
    country_code: str
    lat: float
    lon: float
    population: int = 0
    admin1: str = ""
    source: str = "geonames"
    source_id: str = ""
    names: dict[str, int] = field(default_factory=dict)  # spelling -> flags
    geometry: object | None = None  # shapely geometry for areas
    admin1_code: str = ""  # GeoNames admin1 code, only used while building
    note: str = ""
    prior_scale: float = 1.0  # < 1 for a division named after its own main town

    def add_name(self, spelling: str, flags: int = 0) -> None:
        spelling = spelling.strip()
        if spelling:
            self.names[spelling] = self.names.get(spelling, 0) | flags
