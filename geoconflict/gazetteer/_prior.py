"""Context-free prior of a (name, place) pair, computed once when the index is built.

The prior says what is known before any context: the feature kind (a country
outranks a town of the same name), the population of a town, and how the name
matched the place (its own name, an alternate name, a demonym, a code).
"""

from __future__ import annotations

import math

from ._records import ABBREV, CODE, DEMONYM, PRIMARY, STRIPPED

# Priors of areas, on the same scale as towns (see town_prior).
#: A sea outranks the division named after it ("Red Sea" is the sea, not Egypt's governorate);
#: a river, lake, range or island ranks like a town of some 10,000 people: a town keeps its
#: name ("Tartar", 18,000 people, is the town; "the Tartar river" the river; "Dnipro" the
#: city) and a hamlet loses it ("Aras", "Kura"); a facility is asked for by its full name ("Kabul
#: airport"), which towns rarely share.
_KIND_PRIOR = {
    "continent": 0.93,
    "region": 0.88,
    "sea": 0.89,
    "river": 0.6,
    "lake": 0.59,
    "mountain": 0.61,
    "island": 0.59,
    "facility": 0.72,
}
#: A division ranks like a town of its total population, a little lower, within
#: these bounds: a large city outranks the division of the same name ("Washington").
_DIVISION_SCALE = 0.95
_DIVISION_FLOOR = {"admin1": 0.5, "admin2": 0.45}
_DIVISION_CAP = {"admin1": 0.66, "admin2": 0.6}
#: A name that matched only once an administrative suffix was dropped.
STRIPPED_SCALE = 0.75


def town_prior(population: int) -> float:
    """Prior of a populated place: 0.25 for a hamlet, about 0.76 for a million."""
    return 0.25 + 0.6 * min(1.0, math.log10(max(population, 0) + 1) / 7.0)


def country_prior(population: int) -> float:
    """Prior of a country: above any town; among countries, the populous first ("American" is the US)."""
    return 0.9 + 0.09 * min(1.0, math.log10(max(population, 0) + 1) / 9.0)


def place_prior(kind: str, population: int) -> float:
    """Prior of a place before the name is considered."""
    if kind == "town":
        return town_prior(population)
    if kind == "country":
        return country_prior(population)
    if kind in _DIVISION_FLOOR:
        return min(_DIVISION_CAP[kind], max(_DIVISION_FLOOR[kind], _DIVISION_SCALE * town_prior(population)))
    return _KIND_PRIOR[kind]


def prior(kind: str, population: int, flags: int, scale: float = 1.0) -> float:
    """The context-free prior of a (name, place) posting."""
    base = place_prior(kind, population) * scale
    if flags & STRIPPED:
        base *= STRIPPED_SCALE
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
