"""Schema normalisation: geoBoundaries, GADM, Natural Earth and COD-AB layouts to one table.

Every boundary table geoconflict uses has the columns of :data:`SCHEMA`:

``admin_level``  0 (country), 1, 2 … (int)
``name``         the unit's name as the source writes it
``code``         the source's identifier (ISO 3166-2, GID, P-code, shapeID …); level 0: ISO alpha-2
``parent_code``  code of the unit one level up (level 1: the country's alpha-2), where known
``parent_name``  name of that unit, where known
``country_code`` ISO 3166-1 alpha-2 (as the gazetteer and incidents use it)
``geometry``     polygons in EPSG:4326

Examples
--------
>>> import geopandas as gpd
>>> from shapely import box
>>> raw = gpd.GeoDataFrame(
...     {"shapeName": ["Syunik"], "shapeISO": ["AM-SU"], "shapeID": ["x1"], "shapeGroup": ["ARM"],
...      "shapeType": ["ADM1"]},
...     geometry=[box(45.9, 38.8, 46.6, 39.8)], crs=4326)
>>> normalize_schema(raw).drop(columns="geometry").iloc[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
{'admin_level': 1, 'name': 'Syunik', 'code': 'AM-SU', 'parent_code': 'AM',
 'parent_name': 'Armenia', 'country_code': 'AM'}
"""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "SCHEMA",
    "STR_DTYPE",
    "BoundaryWarning",
    "country_alpha2",
    "country_name",
    "detect_layout",
    "normalize_schema",
    "warn_boundary",
]

SCHEMA = ["admin_level", "name", "code", "parent_code", "parent_name", "country_code", "geometry"]

#: Codes some sources use that are not (yet) in ISO 3166-1.
_EXTRA_ALPHA3 = {"XKX": "XK", "KOS": "XK"}
_EXTRA_NAMES = {"XK": "Kosovo"}
_LANGS = ("EN", "FR", "ES", "PT", "RU", "AR", "REF")
#: Columns a table in no known layout may name its units by, in order of preference.
_GENERIC_NAMES = ("NAME", "NAME_EN", "NAMEEN", "ADMIN_NAME", "LABEL")
#: Values sources write for "no value" in text columns.
_PLACEHOLDERS = frozenset({"-99", "-1", "None", "nan", "NULL"})
#: The text dtype pandas uses (``str`` from pandas 3, else object).
STR_DTYPE = "str" if int(pd.__version__.split(".")[0]) >= 3 else object
# geoconflict's own folder: warnings point at the first frame outside it
_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)


class BoundaryWarning(UserWarning):
    """Something in boundary data needs the user's attention (repaired geometry, contradicting names …)."""


def warn_boundary(message: str) -> None:
    """Warn with :class:`BoundaryWarning`, attributed to the first caller outside geoconflict.

    The checks run a few named steps deep, and the depth differs between
    :func:`load_boundaries`, :func:`normalize_schema` and the admin join: a fixed
    ``stacklevel`` would point at one of geoconflict's own lines, which the user
    can neither read in the warning nor filter on.
    """
    level, frame = 2, sys._getframe(1)
    while frame is not None and str(Path(frame.f_code.co_filename).resolve()).startswith(_PACKAGE_DIR):
        level, frame = level + 1, frame.f_back
    warnings.warn(message, BoundaryWarning, stacklevel=level)


@lru_cache(maxsize=4096)
def country_alpha2(value: object) -> str | None:
    """ISO alpha-2 code for an alpha-2 or alpha-3 code; None for missing or unknown codes.

    Examples
    --------
    >>> country_alpha2("AZE"), country_alpha2("am"), country_alpha2("-99"), country_alpha2(None)
    ('AZ', 'AM', None, None)
    """
    if not isinstance(value, str):
        return None
    v = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{2,3}", v):
        return None
    import pycountry

    if len(v) == 2:
        return v if (pycountry.countries.get(alpha_2=v) or v in _EXTRA_NAMES) else None
    if v in _EXTRA_ALPHA3:
        return _EXTRA_ALPHA3[v]
    c = pycountry.countries.get(alpha_3=v)
    return c.alpha_2 if c else None


@lru_cache(maxsize=1024)
def country_name(alpha2: str | None) -> str | None:
    """Common English name of a country by alpha-2 code ("IR" -> "Iran").

    Examples
    --------
    >>> country_name("IR"), country_name("AZ"), country_name(None)
    ('Iran', 'Azerbaijan', None)
    """
    if not alpha2:
        return None
    if alpha2 in _EXTRA_NAMES:
        return _EXTRA_NAMES[alpha2]
    import pycountry

    c = pycountry.countries.get(alpha_2=alpha2)
    if c is None:
        return None
    return getattr(c, "common_name", None) or c.name


def _cols(df: pd.DataFrame) -> dict[str, str]:
    """Upper-cased column name -> actual column name (sources differ in case)."""
    return {str(c).upper(): c for c in df.columns if c != df.geometry.name}


def _max_level(cols: dict[str, str], pattern: str) -> int | None:
    levels = [int(m.group(1)) for c in cols if (m := re.fullmatch(pattern, c))]
    return max(levels) if levels else None


def detect_layout(df: pd.DataFrame) -> str:
    """Which source layout a table follows: ``geoconflict``, ``geoboundaries``, ``gadm``, ``cod-ab``,
    ``naturalearth-admin1``, ``naturalearth-admin0`` or ``generic``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> detect_layout(gpd.GeoDataFrame({"GID_0": ["AZE"], "GID_1": ["AZE.44_1"]}, geometry=[None]))
    'gadm'
    """
    cols = _cols(df)
    if {"ADMIN_LEVEL", "NAME", "CODE"} <= set(cols):
        return "geoconflict"
    if "SHAPENAME" in cols:
        return "geoboundaries"
    if _max_level(cols, r"GID_(\d)") is not None:
        return "gadm"
    if _max_level(cols, r"ADM(\d)_PCODE") is not None:
        return "cod-ab"
    if "ADM1_CODE" in cols or str(_first(df, cols, "FEATURECLA") or "").lower().startswith("admin-1"):
        return "naturalearth-admin1"
    if "ADM0_A3" in cols or "SOV_A3" in cols or "ISO_A2" in cols:
        return "naturalearth-admin0"
    return "generic"


def _first(df: pd.DataFrame, cols: dict[str, str], key: str):
    c = cols.get(key)
    if c is None or len(df) == 0:
        return None
    return df[c].iloc[0]


def _text(series: pd.Series | None, n: int) -> np.ndarray:
    """Strings or None (NaN, '', '-99' and other placeholders become None).

    Examples
    --------
    >>> _text(pd.Series(["Syunik", "-99", 12.0, None]), 4).tolist()
    ['Syunik', None, '12', None]
    """
    out = np.full(n, None, dtype=object)
    if series is None:
        return out
    for i, v in enumerate(series.to_numpy(dtype=object)):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            continue
        s = str(v).strip()
        if isinstance(v, float) and v.is_integer():
            s = str(int(v))  # codes read as floats (12.0) are integers
        if s and s not in _PLACEHOLDERS:
            out[i] = s
    return out


def _get(df: pd.DataFrame, cols: dict[str, str], *keys: str) -> pd.Series | None:
    for k in keys:
        if k in cols:
            return df[cols[k]]
    return None


def _level_from_type(values: pd.Series | None) -> np.ndarray | None:
    """Levels from type labels ("ADM2" -> 2); None unless every label holds a digit.

    Examples
    --------
    >>> _level_from_type(pd.Series(["ADM1", "ADM2"])).tolist(), _level_from_type(pd.Series(["State"]))
    ([1, 2], None)
    """
    if values is None:
        return None
    out = []
    for v in values.astype(str):
        m = re.search(r"(\d)", v)
        if not m:
            return None
        out.append(int(m.group(1)))
    return np.asarray(out, dtype="int64")


def _alpha2_array(values: np.ndarray) -> np.ndarray:
    return np.array([country_alpha2(v) for v in values], dtype=object)


def _name_col(cols: dict[str, str], prefix: str) -> str | None:
    """The name column of COD-AB level ``prefix`` ("ADM1"): English first, then any language."""
    for lang in _LANGS:
        if f"{prefix}_{lang}" in cols:
            return cols[f"{prefix}_{lang}"]
    for c, actual in cols.items():
        if re.fullmatch(rf"{prefix}_[A-Z]{{2}}", c):
            return actual
    return None


# ------------------------------------------------------------------ layout readers
class _Layer:
    """A source layer and the cleaned text of its columns, looked up case-insensitively."""

    def __init__(self, gdf, what: str):
        self.gdf, self.what = gdf, what
        self.cols = _cols(gdf)
        self.n = len(gdf)

    def text(self, *keys: str) -> np.ndarray:
        """The first of ``keys`` the layer has, as :func:`_text` (all None when it has none)."""
        return _text(_get(self.gdf, self.cols, *keys), self.n)

    def required(self, key: str) -> np.ndarray:
        """A column the layout guarantees (KeyError when it is absent after all)."""
        return _text(self.gdf[self.cols[key]], self.n)

    def named(self, column: str | None) -> np.ndarray:
        """An actual column name found by a search (None: all None)."""
        return _text(self.gdf[column] if column else None, self.n)

    def alpha2(self, *keys: str) -> np.ndarray:
        return _alpha2_array(self.text(*keys))


@dataclass
class _Fields:
    """What a layout reader found: the level (array, scalar or None: not recorded) and text columns."""

    level: np.ndarray | int | None
    name: np.ndarray
    code: np.ndarray
    country: np.ndarray
    parent_code: np.ndarray | None = None  # None: no parents in the source
    parent_name: np.ndarray | None = None


def _ladder(fields: _Fields, lvl: int, code_of: Callable[[int], np.ndarray], name_of: Callable[[int], np.ndarray]):
    """Parents for layouts that carry every level above their own (GADM, COD-AB).

    Level 0 units are coded by their country; level 1 units' parent is the country;
    deeper units take the columns of the level above (``code_of``/``name_of`` of it).
    """
    if lvl == 0:
        fields.code = fields.country.copy()
    elif lvl == 1:
        fields.parent_code = fields.country.copy()
        fields.parent_name = name_of(0)
    else:
        fields.parent_code = code_of(lvl - 1)
        fields.parent_name = name_of(lvl - 1)
    return fields


def _geoconflict_fields(layer: _Layer) -> _Fields:
    return _Fields(
        level=layer.gdf[layer.cols["ADMIN_LEVEL"]].to_numpy(dtype="int64"),
        name=layer.required("NAME"),
        code=layer.required("CODE"),
        country=layer.alpha2("COUNTRY_CODE"),
        parent_code=layer.text("PARENT_CODE"),
        parent_name=layer.text("PARENT_NAME"),
    )


def _geoboundaries_fields(layer: _Layer) -> _Fields:
    iso, ids = layer.text("SHAPEISO"), layer.text("SHAPEID")
    # shapeISO is an ISO 3166-2 code for some sets and just the country code for others
    iso_ok = (
        layer.n > 0
        and all(v is not None and re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", v) for v in iso)
        and len(set(iso)) == layer.n
    )
    return _Fields(
        level=_level_from_type(_get(layer.gdf, layer.cols, "SHAPETYPE", "LEVEL")),
        name=layer.required("SHAPENAME"),
        code=iso if iso_ok else (ids if any(v is not None for v in ids) else iso),
        country=layer.alpha2("SHAPEGROUP"),
    )


def _gadm_fields(layer: _Layer) -> _Fields:
    lvl = _max_level(layer.cols, r"GID_(\d)")
    fields = _Fields(
        level=lvl,
        name=layer.text(f"NAME_{lvl}", *(("COUNTRY", "NAME_0") if lvl == 0 else ())),
        code=layer.required(f"GID_{lvl}"),
        country=_alpha2_array(layer.required("GID_0")),
    )
    return _ladder(
        fields,
        lvl,
        code_of=lambda k: layer.text(f"GID_{k}"),
        name_of=lambda k: layer.text("COUNTRY", "NAME_0") if k == 0 else layer.text(f"NAME_{k}"),
    )


def _cod_ab_fields(layer: _Layer) -> _Fields:
    lvl = _max_level(layer.cols, r"ADM(\d)_PCODE")
    # P-codes start with the country's alpha-2 code
    c0 = layer.text("ADM0_PCODE")
    fields = _Fields(
        level=lvl,
        name=layer.named(_name_col(layer.cols, f"ADM{lvl}")),
        code=layer.required(f"ADM{lvl}_PCODE"),
        country=_alpha2_array(np.array([v[:2] if v else None for v in c0], dtype=object)),
    )
    return _ladder(
        fields,
        lvl,
        code_of=lambda k: layer.text(f"ADM{k}_PCODE"),
        name_of=lambda k: layer.named(_name_col(layer.cols, f"ADM{k}")),
    )


def _naturalearth_admin1_fields(layer: _Layer) -> _Fields:
    iso2, adm1 = layer.text("ISO_3166_2"), layer.text("ADM1_CODE")
    # an ISO 3166-2 code where Natural Earth has a real one ("AM-SU", not "AM-~"), else its own adm1_code
    code = np.array(
        [
            i if i and not i.endswith("~") and re.fullmatch(r"[A-Z]{2}-\w+", i) else a
            for i, a in zip(iso2, adm1, strict=True)
        ],
        dtype=object,
    )
    country = layer.alpha2("ISO_A2")
    country = np.where(pd.isna(country), layer.alpha2("ADM0_A3"), country)
    return _Fields(
        level=1,
        name=layer.text("NAME", "NAME_EN"),
        code=code,
        country=country,
        parent_code=country.copy(),
        parent_name=layer.text("ADMIN"),
    )


def _naturalearth_admin0_fields(layer: _Layer) -> _Fields:
    cla = layer.text("FEATURECLA")
    breakaway = np.array([bool(c) and ("breakaway" in c.lower() or "disputed" in c.lower()) for c in cla])
    country = layer.alpha2("ISO_A2")
    for key in ("ISO_A2_EH", "ISO_A3", "ADM0_A3", "SOV_A3"):  # iso_a2 is -99 for France, Norway, Kosovo …
        country = np.where(pd.isna(country), layer.alpha2(key), country)
    # a breakaway or disputed area belongs to its sovereign's country, under its own name and code
    sov = layer.alpha2("SOV_A3")
    country = np.where(breakaway & ~pd.isna(sov), sov, country)
    code = np.where(pd.isna(country), layer.text("ADM0_A3"), country)
    brk_name, brk_code = layer.text("BRK_NAME"), layer.text("BRK_A3")
    name = layer.text("ADMIN", "NAME_LONG", "NAME")
    return _Fields(
        level=0,
        name=np.where(breakaway & ~pd.isna(brk_name), brk_name, name),
        code=np.where(breakaway & ~pd.isna(brk_code), brk_code, code),
        country=country,
    )


def _generic_fields(layer: _Layer) -> _Fields:
    """A name column, perhaps a code column."""
    name_col = next((layer.cols[k] for k in _GENERIC_NAMES if k in layer.cols), None)
    if name_col is None:
        raise ValueError(
            f"{layer.what}: cannot tell which column names the units "
            f"(columns: {', '.join(map(str, layer.gdf.columns))}); "
            "recognised layouts: geoBoundaries (shapeName …), GADM (NAME_1, GID_1 …), Natural Earth "
            "(name, adm1_code, iso_a2 …), OCHA COD-AB (ADM1_EN, ADM1_PCODE …), or a 'name' column"
        )
    return _Fields(
        level=None,
        name=layer.named(name_col),
        code=layer.text("CODE", "ID", "ISO", "PCODE"),
        country=layer.alpha2("COUNTRY_CODE", "ISO_A2", "ISO3", "ISO_A3"),
    )


_READERS: dict[str, Callable[[_Layer], _Fields]] = {
    "geoconflict": _geoconflict_fields,
    "geoboundaries": _geoboundaries_fields,
    "gadm": _gadm_fields,
    "cod-ab": _cod_ab_fields,
    "naturalearth-admin1": _naturalearth_admin1_fields,
    "naturalearth-admin0": _naturalearth_admin0_fields,
    "generic": _generic_fields,
}


# ------------------------------------------------------------------ public
def normalize_schema(gdf, *, level: int | None = None, source: str | None = None):
    """Return a new boundary table in geoconflict's schema (:data:`SCHEMA`), EPSG:4326.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A boundary layer as read from its source file (not modified).
    level : int, optional
        The administrative level, for layouts that do not record it; when the layout
        does, a different ``level`` is an error.
    source : str, optional
        Where the layer came from, for messages.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns of :data:`SCHEMA`, one row per unit, in the source's order.

    Raises
    ------
    ValueError
        When no name column can be recognised, or ``level`` contradicts the data.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> gadm = gpd.GeoDataFrame(
    ...     {"GID_0": ["AZE"], "COUNTRY": ["Azerbaijan"], "GID_1": ["AZE.44_1"], "NAME_1": ["Naxçıvan"],
    ...      "GID_2": ["AZE.44.6_1"], "NAME_2": ["Ordubad"]},
    ...     geometry=[box(45.6, 38.8, 46.2, 39.2)], crs=4326)
    >>> normalize_schema(gadm)[["name", "code", "parent_code", "parent_name"]].iloc[0].tolist()
    ['Ordubad', 'AZE.44.6_1', 'AZE.44_1', 'Naxçıvan']
    """
    layer = _Layer(gdf, source or "boundary layer")
    fields = _READERS[detect_layout(gdf)](layer)
    levels = _resolve_level(fields.level, level, layer.n, layer.what)
    if not np.all(levels >= 0):
        raise ValueError(f"{layer.what}: administrative levels must be 0 or more")
    geometry = _wgs84(gdf.geometry, layer.n, layer.what)
    return _assemble(fields, levels, geometry)


def _resolve_level(detected, level: int | None, n: int, what: str) -> np.ndarray:
    """One level per row: the recorded one, or ``level`` where nothing is recorded (checked against each other)."""
    if detected is None:
        if level is None:
            raise ValueError(f"{what}: the administrative level is not recorded in the data; pass level=")
        return np.full(n, int(level), dtype="int64")
    arr = np.full(n, int(detected), dtype="int64") if np.isscalar(detected) else np.asarray(detected, dtype="int64")
    if level is not None and n and not np.all(arr == int(level)):
        found = sorted({int(v) for v in arr})
        if int(level) not in found:
            raise ValueError(f"{what} holds level {', '.join(map(str, found))}, not level {level}")
    return arr


#: How to give a layer its CRS, for messages.
CRS_HINT = (
    "give its CRS: load_boundaries(..., crs='EPSG:32638') or gdf.set_crs('EPSG:32638', allow_override=True) "
    "(your file's EPSG code), or `--boundaries-crs EPSG:32638` on the command line"
)


def _wgs84(geometry, n: int, what: str):
    """The layer's geometry in EPSG:4326; a layer without a CRS is taken as longitude/latitude when it fits.

    GeoJSON without a ``crs`` member is longitude/latitude by definition (RFC 7946), so
    GDAL says EPSG:4326 for a file in metres too: coordinates past ±180/±90 in a
    geographic CRS are refused, never matched against nothing.
    """
    minx, miny, maxx, maxy = _finite_bounds(geometry) if n else (0, 0, 0, 0)
    fits = minx >= -180.5 and maxx <= 180.5 and miny >= -90.5 and maxy <= 90.5
    if geometry.crs is None:
        if not fits:
            raise ValueError(
                f"{what} has no CRS and its coordinates (x {minx:,.0f} … {maxx:,.0f}, y {miny:,.0f} … {maxy:,.0f}) "
                f"are not longitude/latitude — metres, probably: {CRS_HINT}"
            )
        warn_boundary(f"{what} has no CRS; read as EPSG:4326 (longitude/latitude)")
        return geometry.set_crs(4326)
    if geometry.crs.is_geographic and not fits:
        raise ValueError(
            f"{what} says {geometry.crs.to_string()} (longitude/latitude) but its coordinates reach "
            f"x {minx:,.0f} … {maxx:,.0f}, y {miny:,.0f} … {maxy:,.0f} — metres, probably: {CRS_HINT}"
        )
    if not geometry.crs.equals("EPSG:4326"):
        return geometry.to_crs(4326)
    return geometry


def _finite_bounds(geometry) -> tuple[float, float, float, float]:
    """The bounds of the geometries that have coordinates (all-empty layers give zeros)."""
    b = geometry[geometry.notna() & ~geometry.is_empty].total_bounds
    return (0.0, 0.0, 0.0, 0.0) if np.isnan(b).any() else tuple(float(v) for v in b)


def _assemble(fields: _Fields, levels: np.ndarray, geometry):
    """The schema's frame; countries stand in for the code of level-0 units and the parent of level-1 units."""
    import geopandas as gpd

    n = len(levels)
    none = np.full(n, None, dtype=object)
    country = fields.country
    parent_code = none if fields.parent_code is None else fields.parent_code
    parent_name = none if fields.parent_name is None else fields.parent_name
    level1 = levels == 1
    code = np.where((levels == 0) & pd.isna(fields.code), country, fields.code)
    parent_code = np.where(level1 & pd.isna(parent_code), country, parent_code)
    parent_name = np.where(
        level1 & pd.isna(parent_name), np.array([country_name(c) for c in country], dtype=object), parent_name
    )
    return gpd.GeoDataFrame(
        {
            "admin_level": levels,
            "name": _str_array(fields.name),
            "code": _str_array(code),
            "parent_code": _str_array(parent_code),
            "parent_name": _str_array(parent_name),
            "country_code": _str_array(country),
        },
        geometry=np.asarray(geometry.values),
        crs=4326,
    )


def _str_array(values) -> pd.Series:
    """Strings with missing values, in the dtype pandas uses for text (``str`` from pandas 3, else object)."""
    vals = [None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in values]
    return pd.Series(vals, dtype=STR_DTYPE)
