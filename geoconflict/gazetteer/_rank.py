"""Evidence used to rank the places a name could mean.

The rank of a candidate is a product of factors, each in (0, 1]:

``prior``
    What is known before any context (see :mod:`._prior`), stored in the index.
``name``
    How the text matched the key: exact, through the transliteration-tolerant
    key, or fuzzily (scaled by similarity).
context factors
    A country hint, a ``near`` point, co-mentioned places and the feature kind a
    suffix announced ("… province"). These are what make the small Armenian
    Armavir beat the larger Russian one when the text is about Armenia.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..geodesy import haversine_np
from ._records import KIND_CODE

NAME_EXACT = 1.0
NAME_PHONETIC = 0.93
#: A match on the name without its suffix when the full name matched too.
SUFFIX_DROPPED = 0.9
NAME_FUZZY = 0.9  # times similarity ** FUZZY_POWER
#: Steep, so that among misspelling matches the closest spelling wins and
#: population only breaks near-ties.
FUZZY_POWER = 6
#: Similarity lost when the first letter differs: misspellings rarely change it.
FIRST_LETTER_PENALTY = 0.1
#: An all-capitals query ("US", "UK") is an abbreviation: other readings are discounted.
CAPS_NON_ABBREV = 0.6
#: An abbreviation posting matched by a query not in capitals ("us").
ABBREV_LOWERCASE = 0.7

COUNTRY_MISMATCH = 0.3
MULTI_COUNTRY = 0.6  # a region spanning countries, under a country hint
KIND_MISMATCH = 0.7
NEAR_SCALE_KM = 200.0
CONTEXT_SCALE_KM = 300.0
#: Context factors: a candidate outside the text's countries, and one far from its places.
CONTEXT_COUNTRY_MISMATCH = 0.7
CONTEXT_FAR = 0.6
BIG_AREA_CONTEXT_FLOOR = 0.85
#: candidates further apart than this are different places, not one place and its area
DISTINCT_KM = 100.0


def fuzzy_similarity(query_key: str, candidate_key: str) -> float:
    """Similarity in [0, 1] of two phonetic keys, for misspelling matches."""
    from rapidfuzz.distance import Levenshtein

    sim = Levenshtein.normalized_similarity(query_key, candidate_key)
    if query_key[:1] != candidate_key[:1]:
        sim -= FIRST_LETTER_PENALTY
    return sim


def fuzzy_factor(sim: float) -> float:
    return NAME_FUZZY * sim**FUZZY_POWER


_KIND_HINT_OK = {
    "town": frozenset({KIND_CODE["town"]}),
    "admin2": frozenset({KIND_CODE["admin2"], KIND_CODE["admin1"]}),
    "admin1": frozenset({KIND_CODE["admin1"], KIND_CODE["region"], KIND_CODE["admin2"]}),
    # "the Aras river", "Sarsang reservoir", "Nuba Mountains", "Kabul airport"
    "river": frozenset({KIND_CODE["river"]}),
    "lake": frozenset({KIND_CODE["lake"]}),
    "sea": frozenset({KIND_CODE["sea"]}),
    "mountain": frozenset({KIND_CODE["mountain"], KIND_CODE["region"]}),
    "island": frozenset({KIND_CODE["island"]}),
    "facility": frozenset({KIND_CODE["facility"]}),
}
KIND_HINTS_USED = frozenset(_KIND_HINT_OK)
_BIG_AREAS = frozenset({KIND_CODE[k] for k in ("country", "continent", "region", "sea", "river", "lake", "mountain")})


def _kind_mask(kinds) -> np.ndarray:
    mask = np.zeros(len(KIND_CODE), dtype=bool)
    mask[list(kinds)] = True
    return mask


_BIG_AREA_MASK = _kind_mask(_BIG_AREAS)
_KIND_HINT_MASK = {hint: _kind_mask(kinds) for hint, kinds in _KIND_HINT_OK.items()}


@dataclass(frozen=True)
class Evidence:
    """The context of one lookup; :meth:`factor` scores a candidate against it."""

    country_id: int | None = None
    near: tuple[float, float] | None = None
    context_ccs: frozenset[int] = frozenset()
    context_points: tuple[tuple[float, float], ...] = ()
    kind_hint: str | None = None
    multi_country_id: int = -1

    @property
    def empty(self) -> bool:
        return (
            self.country_id is None
            and self.near is None
            and not self.context_ccs
            and not self.context_points
            and self.kind_hint not in _KIND_HINT_OK
        )

    @staticmethod
    def _city_floor(population) -> np.ndarray:
        """World cities are salient like countries: a text about Kentucky may still name London."""
        pop = np.maximum(np.asarray(population, dtype=float), 1.0)
        return np.clip((np.log10(pop) - 5.0) / 1.5, 0.0, 1.0) * BIG_AREA_CONTEXT_FLOOR

    def factors(self, lat, lon, cc, kind, radius_km, population=0) -> np.ndarray:
        """The product of the context factors, for arrays of candidates at once."""
        lat, lon, radius_km = (np.asarray(a, dtype=float) for a in (lat, lon, radius_km))
        cc, kind = np.asarray(cc, dtype=np.int64), np.asarray(kind, dtype=np.int64)
        f = np.ones(len(lat))
        if self.country_id is not None:
            mult = np.where(cc == self.multi_country_id, MULTI_COUNTRY, COUNTRY_MISMATCH)
            f *= np.where(cc == self.country_id, 1.0, mult)
        if self.near is not None:
            d = np.maximum(0.0, haversine_np(lat, lon, self.near[0], self.near[1]) - radius_km)
            f /= 1.0 + d / NEAR_SCALE_KM
        if self.context_ccs or self.context_points:
            g = np.ones(len(lat))
            if self.context_ccs:
                g *= np.where(self._cc_mask[cc], 1.0, CONTEXT_COUNTRY_MISMATCH)
            if self.context_points:
                pts = self._points
                d = haversine_np(lat[:, None], lon[:, None], pts[None, :, 0], pts[None, :, 1]).min(axis=1)
                d = np.maximum(0.0, d - radius_km)
                g *= CONTEXT_FAR + (1.0 - CONTEXT_FAR) / (1.0 + d / CONTEXT_SCALE_KM)
            g = np.maximum(g, np.where(_BIG_AREA_MASK[kind], BIG_AREA_CONTEXT_FLOOR, self._city_floor(population)))
            f *= g
        ok = _KIND_HINT_MASK.get(self.kind_hint)
        if ok is not None:
            f *= np.where(ok[kind], 1.0, KIND_MISMATCH)
        return f

    def agrees(self, lat: float, lon: float, cc: int, km: float) -> bool:
        """Whether any evidence speaks for a place here: its country, or a point within ``km``."""
        return bool(self.agrees_many(np.array([lat]), np.array([lon]), np.array([cc]), km)[0])

    def agrees_many(self, lat: np.ndarray, lon: np.ndarray, cc: np.ndarray, km: float) -> np.ndarray:
        """:meth:`agrees` for arrays of places at once."""
        out = np.zeros(len(lat), dtype=bool)
        if self.country_id is not None:
            out |= cc == self.country_id
        if self.context_ccs:
            out |= self._cc_mask[np.asarray(cc, dtype=np.int64)]
        points = ([self.near] if self.near is not None else []) + list(self.context_points)
        if points:
            pts = np.asarray(points, dtype=float)
            d = haversine_np(lat[:, None], lon[:, None], pts[None, :, 0], pts[None, :, 1])
            out |= (d <= km).any(axis=1)
        return out

    @cached_property
    def _cc_mask(self) -> np.ndarray:
        mask = np.zeros(65536, dtype=bool)  # country ids are uint16
        mask[list(self.context_ccs)] = True
        return mask

    @cached_property
    def _points(self) -> np.ndarray:
        return np.asarray(self.context_points, dtype=float)
