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

import numpy as np

from ._records import KIND_CODE

NAME_EXACT = 1.0
NAME_PHONETIC = 0.93
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
    "town": {KIND_CODE["town"]},
    "admin2": {KIND_CODE["admin2"], KIND_CODE["admin1"]},
    "admin1": {KIND_CODE["admin1"], KIND_CODE["region"], KIND_CODE["admin2"]},
}


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (vectorised); geodesic precision is not needed to rank."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(a, dtype=float)) for a in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def context_factors(
    lat: np.ndarray,
    lon: np.ndarray,
    cc: np.ndarray,
    kind: np.ndarray,
    *,
    country_id: int | None = None,
    near: tuple[float, float] | None = None,
    context_ccs: frozenset[int] = frozenset(),
    context_points: tuple[tuple[float, float], ...] = (),
    kind_hint: str | None = None,
    multi_country_id: int = -1,
) -> np.ndarray:
    """Multiply together the context factors for arrays of candidates."""
    f = np.ones(len(lat))
    if country_id is not None:
        f *= np.where(cc == country_id, 1.0, np.where(cc == multi_country_id, MULTI_COUNTRY, COUNTRY_MISMATCH))
    if near is not None:
        d = haversine_km(lat, lon, near[0], near[1])
        f *= 1.0 / (1.0 + d / NEAR_SCALE_KM)
    if context_ccs:
        same = np.isin(cc, list(context_ccs))
        f *= np.where(same, 1.0, 0.6)
    if context_points:
        pts = np.asarray(context_points, dtype=float)
        d = haversine_km(lat[:, None], lon[:, None], pts[None, :, 0], pts[None, :, 1]).min(axis=1)
        f *= 0.5 + 0.5 / (1.0 + d / CONTEXT_SCALE_KM)
    if kind_hint in _KIND_HINT_OK:
        f *= np.where(np.isin(kind, list(_KIND_HINT_OK[kind_hint])), 1.0, KIND_MISMATCH)
    return f
