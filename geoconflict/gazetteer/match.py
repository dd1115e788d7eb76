"""The result of resolving a name: :class:`Match`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ._records import ABBREV, CODE, DEMONYM, PRIMARY

#: Matches scoring below this are not answers by default (``Gazetteer.resolve(min_score=…)``).
#: Chosen on the labelled sets of ``bench/gazetteer.py``: below it a misspelling match is
#: as often a lookalike as the place meant ("Arcach" for Urganch scored 0.40).
DEFAULT_MIN_SCORE = 0.45


@dataclass(frozen=True)
class Match:
    """A place a name was resolved to.

    Attributes
    ----------
    query : str
        The name as written.
    name : str
        The place's own name in the gazetteer.
    matched_name : str
        The normalised spelling that matched (an alternate name, a transliteration,
        or the closest name for a misspelling).
    match_type : {"exact", "phonetic", "fuzzy", "online"}
        How the name matched.
    source, source_id : str
        Where the place comes from (``"geonames"`` with its GeoNames id,
        ``"geoconflict"`` for the curated overlay, ``"countryinfo"`` …).
    country_code : str
        ISO 3166-1 alpha-2 code, empty for regions spanning several countries.
    admin1 : str
        Name of the first-level division, where known.
    feature_kind : {"town", "admin2", "admin1", "country", "region", "continent"}
    latitude, longitude : float
        A representative point (for areas, a point inside the area).
    population : int
    score : float
        Confidence in [0, 1]: how well the name matched (1 for an exact match,
        lower for transliteration and misspelling matches) times how clearly this
        place beat the best *distinct* alternative (a tie with a namesake far away
        halves it).
    note : str
        Provenance of the geometry when it is an approximation.
    place_id : int
        Row of the place in the gazetteer index (stable for one index build).
    """

    query: str
    name: str
    matched_name: str
    match_type: str
    source: str
    source_id: str
    country_code: str
    admin1: str
    feature_kind: str
    latitude: float
    longitude: float
    population: int
    score: float
    note: str = ""
    place_id: int = -1
    _wkb: bytes = field(default=b"", repr=False, compare=False)
    #: flags of the (name, place) pair that matched (see ``_records``): abbreviation, demonym …
    name_flags: int = field(default=0, repr=False, compare=False)

    @cached_property
    def point(self):
        """The representative point as a shapely ``Point`` (x = longitude)."""
        from shapely import Point

        return Point(self.longitude, self.latitude)

    @cached_property
    def geometry(self):
        """The place's area where one is known (regions, divisions, countries), else its point."""
        if self._wkb:
            import shapely

            return shapely.from_wkb(self._wkb)
        return self.point

    @property
    def is_area(self) -> bool:
        return bool(self._wkb)

    @property
    def area_km2(self) -> float:
        """Surface of the place's area in km² (0 for a point)."""
        if not self._wkb:
            return 0.0
        import math

        return self.geometry.area * 111.32 * 110.57 * math.cos(math.radians(self.latitude))

    @property
    def radius_km(self) -> float:
        """Radius of the circle with the same surface as the area (0 for a point)."""
        import math

        return math.sqrt(self.area_km2 / math.pi)

    @property
    def is_demonym(self) -> bool:
        """The name matched as a demonym ("Ukrainian" for Ukraine)."""
        return bool(self.name_flags & DEMONYM)

    @property
    def is_abbreviation(self) -> bool:
        """The name matched as an abbreviation ("UK", "Calif.")."""
        return bool(self.name_flags & ABBREV)

    @property
    def is_code(self) -> bool:
        """The name matched as an identifier ("ARM", "AZ-NX", an airport code), never a name in running text."""
        return bool(self.name_flags & CODE)

    @property
    def is_own_name(self) -> bool:
        """The name matched is the place's own name (or its plain-ASCII form), not an alternate spelling."""
        return bool(self.name_flags & PRIMARY)

    def to_dict(self, *, geometry: bool = False) -> dict[str, Any]:
        """A plain dict (for JSON); ``geometry=True`` adds the WKT of the geometry."""
        d = {
            k: getattr(self, k)
            for k in (
                "query",
                "name",
                "matched_name",
                "match_type",
                "source",
                "source_id",
                "country_code",
                "admin1",
                "feature_kind",
                "latitude",
                "longitude",
                "population",
                "score",
                "note",
            )
        }
        d["score"] = round(float(d["score"]), 4)
        if geometry:
            d["geometry"] = self.geometry.wkt
        return d
