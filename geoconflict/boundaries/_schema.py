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
import warnings
from functools import lru_cache

import numpy as np
import pandas as pd

__all__ = ["SCHEMA", "BoundaryWarning", "country_alpha2", "country_name", "detect_layout", "normalize_schema"]

SCHEMA = ["admin_level", "name", "code", "parent_code", "parent_name", "country_code", "geometry"]

#: Codes some sources use that are not (yet) in ISO 3166-1.
_EXTRA_ALPHA3 = {"XKX": "XK", "KOS": "XK"}
_EXTRA_NAMES = {"XK": "Kosovo"}
_LANGS = ("EN", "FR", "ES", "PT", "RU", "AR", "REF")


class BoundaryWarning(UserWarning):
    """Something in boundary data needs the user's attention (repaired geometry, contradicting names …)."""


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
    ``naturalearth-admin1``, ``naturalearth-admin0`` or ``generic``."""
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
    """Strings or None (NaN, '', '-99' and other placeholders become None)."""
    out = np.full(n, None, dtype=object)
    if series is None:
        return out
    for i, v in enumerate(series.to_numpy(dtype=object)):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            continue
        s = str(v).strip()
        if isinstance(v, float) and v.is_integer():
            s = str(int(v))
        if s and s not in ("-99", "-1", "None", "nan", "NULL"):
            out[i] = s
    return out


def _get(df: pd.DataFrame, cols: dict[str, str], *keys: str) -> pd.Series | None:
    for k in keys:
        if k in cols:
            return df[cols[k]]
    return None


def _level_from_type(values: pd.Series | None) -> np.ndarray | None:
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
    for lang in _LANGS:
        if f"{prefix}_{lang}" in cols:
            return cols[f"{prefix}_{lang}"]
    for c, actual in cols.items():
        if re.fullmatch(rf"{prefix}_[A-Z]{{2}}", c):
            return actual
    return None


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
    import geopandas as gpd

    what = source or "boundary layer"
    layout = detect_layout(gdf)
    cols = _cols(gdf)
    n = len(gdf)
    parent_code = np.full(n, None, dtype=object)
    parent_name = np.full(n, None, dtype=object)
    detected: np.ndarray | int | None = None

    if layout == "geoconflict":
        detected = gdf[cols["ADMIN_LEVEL"]].to_numpy(dtype="int64")
        name = _text(gdf[cols["NAME"]], n)
        code = _text(gdf[cols["CODE"]], n)
        parent_code = _text(_get(gdf, cols, "PARENT_CODE"), n)
        parent_name = _text(_get(gdf, cols, "PARENT_NAME"), n)
        country = _alpha2_array(_text(_get(gdf, cols, "COUNTRY_CODE"), n))
    elif layout == "geoboundaries":
        detected = _level_from_type(_get(gdf, cols, "SHAPETYPE", "LEVEL"))
        name = _text(gdf[cols["SHAPENAME"]], n)
        group = _text(_get(gdf, cols, "SHAPEGROUP"), n)
        iso = _text(_get(gdf, cols, "SHAPEISO"), n)
        ids = _text(_get(gdf, cols, "SHAPEID"), n)
        # shapeISO is an ISO 3166-2 code for some sets and just the country code for others
        iso_ok = (
            n > 0
            and all(v is not None and re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", v) for v in iso)
            and len(set(iso)) == n
        )
        code = iso if iso_ok else (ids if any(v is not None for v in ids) else iso)
        country = _alpha2_array(group)
    elif layout == "gadm":
        lvl = _max_level(cols, r"GID_(\d)")
        detected = lvl
        name = _text(_get(gdf, cols, f"NAME_{lvl}", *(("COUNTRY", "NAME_0") if lvl == 0 else ())), n)
        code = _text(gdf[cols[f"GID_{lvl}"]], n)
        country = _alpha2_array(_text(gdf[cols["GID_0"]], n))
        if lvl == 0:
            code = country.copy()
        elif lvl == 1:
            parent_code = country.copy()
            parent_name = _text(_get(gdf, cols, "COUNTRY", "NAME_0"), n)
        else:
            parent_code = _text(_get(gdf, cols, f"GID_{lvl - 1}"), n)
            parent_name = _text(_get(gdf, cols, f"NAME_{lvl - 1}"), n)
    elif layout == "cod-ab":
        lvl = _max_level(cols, r"ADM(\d)_PCODE")
        detected = lvl
        name_col = _name_col(cols, f"ADM{lvl}")
        name = _text(gdf[name_col] if name_col else None, n)
        code = _text(gdf[cols[f"ADM{lvl}_PCODE"]], n)
        c0 = _text(_get(gdf, cols, "ADM0_PCODE"), n)
        country = _alpha2_array(np.array([v[:2] if v else None for v in c0], dtype=object))
        if lvl == 0:
            code = country.copy()
        elif lvl == 1:
            parent_code = country.copy()
            pn = _name_col(cols, "ADM0")
            parent_name = _text(gdf[pn] if pn else None, n)
        else:
            parent_code = _text(_get(gdf, cols, f"ADM{lvl - 1}_PCODE"), n)
            pn = _name_col(cols, f"ADM{lvl - 1}")
            parent_name = _text(gdf[pn] if pn else None, n)
    elif layout == "naturalearth-admin1":
        detected = 1
        name = _text(_get(gdf, cols, "NAME", "NAME_EN"), n)
        iso2 = _text(_get(gdf, cols, "ISO_3166_2"), n)
        adm1 = _text(_get(gdf, cols, "ADM1_CODE"), n)
        code = np.array(
            [
                i if i and not i.endswith("~") and re.fullmatch(r"[A-Z]{2}-\w+", i) else a
                for i, a in zip(iso2, adm1, strict=True)
            ],
            dtype=object,
        )
        country = _alpha2_array(_text(_get(gdf, cols, "ISO_A2"), n))
        a3 = _alpha2_array(_text(_get(gdf, cols, "ADM0_A3"), n))
        country = np.where(pd.isna(country), a3, country)
        parent_code = country.copy()
        parent_name = _text(_get(gdf, cols, "ADMIN"), n)
    elif layout == "naturalearth-admin0":
        detected = 0
        cla = _text(_get(gdf, cols, "FEATURECLA"), n)
        breakaway = np.array([bool(c) and ("breakaway" in c.lower() or "disputed" in c.lower()) for c in cla])
        name = _text(_get(gdf, cols, "ADMIN", "NAME_LONG", "NAME"), n)
        brk_name = _text(_get(gdf, cols, "BRK_NAME"), n)
        country = _alpha2_array(_text(_get(gdf, cols, "ISO_A2"), n))
        for key in ("ISO_A2_EH", "ISO_A3", "ADM0_A3", "SOV_A3"):
            alt = _alpha2_array(_text(_get(gdf, cols, key), n))
            country = np.where(pd.isna(country), alt, country)
        sov = _alpha2_array(_text(_get(gdf, cols, "SOV_A3"), n))
        country = np.where(breakaway & ~pd.isna(sov), sov, country)
        a3 = _text(_get(gdf, cols, "ADM0_A3"), n)
        code = np.where(pd.isna(country), a3, country)
        brk_code = _text(_get(gdf, cols, "BRK_A3"), n)
        name = np.where(breakaway & ~pd.isna(brk_name), brk_name, name)
        code = np.where(breakaway & ~pd.isna(brk_code), brk_code, code)
    else:  # generic: a name column, perhaps a code column
        name_col = next((cols[k] for k in ("NAME", "NAME_EN", "NAMEEN", "ADMIN_NAME", "LABEL") if k in cols), None)
        if name_col is None:
            raise ValueError(
                f"{what}: cannot tell which column names the units (columns: {', '.join(map(str, gdf.columns))}); "
                "recognised layouts: geoBoundaries (shapeName …), GADM (NAME_1, GID_1 …), Natural Earth "
                "(name, adm1_code, iso_a2 …), OCHA COD-AB (ADM1_EN, ADM1_PCODE …), or a 'name' column"
            )
        name = _text(gdf[name_col], n)
        code = _text(_get(gdf, cols, "CODE", "ID", "ISO", "PCODE"), n)
        country = _alpha2_array(_text(_get(gdf, cols, "COUNTRY_CODE", "ISO_A2", "ISO3", "ISO_A3"), n))

    levels = _resolve_level(detected, level, n, what)
    if not np.all(levels >= 0):
        raise ValueError(f"{what}: administrative levels must be 0 or more")
    geometry = gdf.geometry
    if geometry.crs is None:
        minx, miny, maxx, maxy = geometry.total_bounds if n else (0, 0, 0, 0)
        if not (minx >= -180.5 and maxx <= 180.5 and miny >= -90.5 and maxy <= 90.5):
            raise ValueError(f"{what} has no CRS and its coordinates are not longitude/latitude: set one")
        warnings.warn(f"{what} has no CRS; read as EPSG:4326 (longitude/latitude)", BoundaryWarning, stacklevel=3)
        geometry = geometry.set_crs(4326)
    elif not geometry.crs.equals("EPSG:4326"):
        geometry = geometry.to_crs(4326)

    level0 = levels == 0
    code = np.where(level0 & pd.isna(code), country, code)
    parent_code = np.where((levels == 1) & pd.isna(parent_code), country, parent_code)
    parent_name = np.where(
        (levels == 1) & pd.isna(parent_name), np.array([country_name(c) for c in country], dtype=object), parent_name
    )
    out = gpd.GeoDataFrame(
        {
            "admin_level": levels,
            "name": _str_array(name),
            "code": _str_array(code),
            "parent_code": _str_array(parent_code),
            "parent_name": _str_array(parent_name),
            "country_code": _str_array(country),
        },
        geometry=np.asarray(geometry.values),
        crs=4326,
    )
    return out


def _str_array(values) -> pd.Series:
    """Strings with missing values, in the dtype pandas uses for text (``str`` from pandas 3, else object)."""
    vals = [None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in values]
    return pd.Series(vals, dtype=STR_DTYPE)


def _resolve_level(detected, level: int | None, n: int, what: str) -> np.ndarray:
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


STR_DTYPE = "str" if int(pd.__version__.split(".")[0]) >= 3 else object
