"""Parents of administrative units: which level-1 unit each level-2 unit belongs to.

A unit's parent comes, in this order, from

1. the source itself (GADM ``GID_1``, COD-AB ``ADM1_PCODE`` …), kept as given;
2. the units one level up loaded with it: the one that overlaps it most;
3. the project's table ``data/boundaries/adm2_parents.csv`` (facts the project writes itself,
   e.g. the districts of Azerbaijan's Nakhchivan Autonomous Republic, which geoBoundaries'
   AZE ADM2 set lists without a parent);
4. ISO 3166-2 parent relations (``pycountry``), matched by name within the country.

Examples
--------
>>> parent_from_table("AZ", "Ordubad District")
('AZ-NX', 'Nakhchivan Autonomous Republic')
>>> parent_from_table("AZ", "Goranboy District") is None
True
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from ..names import normalize, normalize_with_hint, phonetic_key
from ._schema import STR_DTYPE

__all__ = ["PARENTS_TABLE", "derive_parents", "parent_from_iso", "parent_from_table"]

PARENTS_TABLE = Path(__file__).resolve().parent.parent.parent / "data" / "boundaries" / "adm2_parents.csv"

# pycountry subdivision types that name towns rather than districts
_TOWN_TYPES = {"municipality", "city", "town", "metropolitan city", "city with county rights", "capital city"}


@lru_cache(maxsize=1)
def _table() -> dict[tuple[str, str], tuple[str, str]]:
    out: dict[tuple[str, str], tuple[str, str]] = {}
    if not PARENTS_TABLE.exists():
        return out
    with PARENTS_TABLE.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            names = [row["name"], *[a for a in (row.get("aliases") or "").split("|") if a]]
            for n in names:
                out[(row["country_code"], normalize(n))] = (row["parent_code"], row["parent_name"])
    return out


def parent_from_table(country_code: str | None, name: str | None) -> tuple[str, str] | None:
    """(parent_code, parent_name) of a unit from the project's table, or None."""
    if not country_code or not name:
        return None
    return _table().get((country_code, normalize(name)))


@lru_cache(maxsize=256)
def _iso_index(country_code: str) -> dict[str, list[tuple[str, bool, str, str]]]:
    """key -> [(code, is_town, parent_code, parent_name)] for the country's ISO subdivisions with a parent."""
    import pycountry

    subs = list(pycountry.subdivisions.get(country_code=country_code) or [])
    by_code = {s.code: s for s in subs}
    out: dict[str, list[tuple[str, bool, str, str]]] = {}
    for s in subs:
        if not s.parent_code:
            continue
        parent = by_code.get(s.parent_code)
        if parent is None:
            continue
        entry = (s.code, s.type.lower() in _TOWN_TYPES, parent.code, parent.name)
        key = normalize(s.name)
        for k in {key, "~" + phonetic_key(key)}:
            out.setdefault(k, []).append(entry)
    return out


def parent_from_iso(country_code: str | None, name: str | None) -> tuple[str, str] | None:
    """(parent_code, parent_name) from ISO 3166-2 parent relations, when the name matches one subdivision.

    Examples
    --------
    >>> parent_from_iso("FR", "Gironde")
    ('FR-NAQ', 'Nouvelle-Aquitaine')
    """
    if not country_code or not name:
        return None
    index = _iso_index(country_code)
    if not index:
        return None
    key, hint = normalize_with_hint(name)
    found = index.get(key) or index.get("~" + phonetic_key(key)) or []
    if len(found) > 1 and hint is not None:
        want_town = hint == "town"
        found = [f for f in found if f[1] == want_town] or found
    parents = {(f[2], f[3]) for f in found}
    return parents.pop() if len(parents) == 1 else None


def _largest_overlap(child: np.ndarray, parents: np.ndarray) -> np.ndarray:
    """Index into ``parents`` of the polygon overlapping each child most (-1: none)."""
    out = np.full(len(child), -1, dtype="int64")
    if not len(child) or not len(parents):
        return out
    tree = shapely.STRtree(parents)
    ci, pi = tree.query(child, predicate="intersects")
    if not len(ci):
        return out
    # areas in degrees are fine here: candidates of one child share its latitude
    area = shapely.area(shapely.intersection(child[ci], parents[pi]))
    order = np.lexsort((pi, -area, ci))
    ci, pi, area = ci[order], pi[order], area[order]
    first = np.unique(ci, return_index=True)[1]
    keep = first[area[first] > 0]
    out[ci[keep]] = pi[keep]
    return out


def derive_parents(gdf) -> tuple[object, dict[str, int]]:
    """Fill missing ``parent_code``/``parent_name`` of units below level 1; returns a new frame and counts.

    The counts say how many parents came from each rule (``loaded``, ``table``,
    ``iso3166``) and how many units of level 2 or more still have none (``missing``).
    """
    out = gdf.copy()
    counts = {"source": 0, "loaded": 0, "table": 0, "iso3166": 0, "missing": 0}
    levels = out["admin_level"].to_numpy()
    pcode = out["parent_code"].to_numpy(dtype=object, na_value=None).copy()
    pname = out["parent_name"].to_numpy(dtype=object, na_value=None).copy()
    names = out["name"].to_numpy(dtype=object, na_value=None)
    ccs = out["country_code"].to_numpy(dtype=object, na_value=None)
    codes = out["code"].to_numpy(dtype=object, na_value=None)
    geoms = np.asarray(out.geometry.values, dtype=object)
    for lvl in sorted({int(v) for v in levels if v >= 2}):
        rows = np.flatnonzero(levels == lvl)
        has = np.array([pcode[i] is not None for i in rows], dtype=bool)
        counts["source"] += int(has.sum())
        todo = rows[~has]
        up = np.flatnonzero(levels == lvl - 1)
        if len(todo) and len(up):
            hit = _largest_overlap(geoms[todo], geoms[up])
            for i, h in zip(todo, hit, strict=True):
                if h >= 0 and (ccs[i] is None or ccs[up[h]] in (None, ccs[i])):
                    pcode[i], pname[i] = codes[up[h]], names[up[h]]
                    counts["loaded"] += 1
            todo = np.array([i for i in todo if pcode[i] is None], dtype="int64")
        for i in todo:
            found = parent_from_table(ccs[i], names[i])
            rule = "table"
            if found is None:
                found, rule = parent_from_iso(ccs[i], names[i]), "iso3166"
            if found is None:
                counts["missing"] += 1
                continue
            pcode[i], pname[i] = found
            counts[rule] += 1
    out["parent_code"] = pd.Series(pcode, index=out.index, dtype=STR_DTYPE)
    out["parent_name"] = pd.Series(pname, index=out.index, dtype=STR_DTYPE)
    return out, counts
