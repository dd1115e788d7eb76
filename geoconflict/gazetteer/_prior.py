"""Context-free prior of a (name, place) pair, computed once when the index is built.

The prior says what is known before any context: the feature kind (a country
outranks a town of the same name), the population of a town, and how the name
matched the place (its own name, an alternate name, a demonym, a code).
"""

from __future__ import annotations

import math

from ._records import ABBREV, CODE, DEMONYM, PRIMARY

# Priors of areas, on the same scale as towns (see town_prior).
_KIND_PRIOR = {"country": 0.97, "continent": 0.93, "region": 0.88, "admin1": 0.58, "admin2": 0.52}


def town_prior(population: int) -> float:
    """Prior of a populated place: 0.25 for a hamlet, about 0.76 for a million."""
    return 0.25 + 0.6 * min(1.0, math.log10(max(population, 0) + 1) / 7.0)


def prior(kind: str, population: int, flags: int) -> float:
    """The context-free prior of a (name, place) posting."""
    base = town_prior(population) if kind == "town" else _KIND_PRIOR[kind]
    if flags & ABBREV:
        q = 0.92
    elif flags & CODE:
        q = 0.5
    elif flags & PRIMARY:
        q = 1.0
    elif flags & DEMONYM:
        q = 0.85
    else:
        q = 0.9
    return base * q
