"""The GeoDataFrame :func:`~geoconflict.geoparse.geoparse` returns, built column by column.

An article gives a few dozen mentions, and pandas' general constructor (a Series per
column, their indexes aligned, every column's type inferred) used to cost more than
finding them. Here each column is an array of the type the constructor would infer,
handed to pandas as it is.

Examples
--------
>>> empty = mentions_frame([], None)
>>> list(empty.columns) == [*COLUMNS, "geometry"], str(empty.crs), len(empty)
(True, 'EPSG:4326', 0)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

COLUMNS = [
    "mention",
    "start",
    "end",
    "sentence",
    "name",
    "country_code",
    "admin1",
    "feature_kind",
    "match_score",
    "match_type",
    "latitude",
    "longitude",
    "gazetteer_source",
    "source_id",
    "date",
    "source",
    "mention_kind",
    "reason",
]

_NUMBER_COLUMNS = frozenset({"start", "end", "match_score", "latitude", "longitude"})
#: Text columns hold Python strings (object dtype): pandas' Arrow strings take four times the
#: memory to build, 140 MB for the 52,000 mentions of 1 MB of "shelling near Goris"
_TEXT_COLUMNS = frozenset(COLUMNS) - _NUMBER_COLUMNS - {"date"}


@lru_cache(maxsize=1)
def _wgs84():
    from pyproj import CRS

    return CRS.from_epsg(4326)


def mentions_frame(rows: Sequence[tuple], geoms: Sequence[Any]) -> geopandas.GeoDataFrame:
    """The GeoDataFrame of ``rows`` (tuples in the order of :data:`COLUMNS`) and their geometries, EPSG:4326.

    Examples
    --------
    >>> from shapely import Point
    >>> row = ("Goris", 0, 5, "Goris.", "Goris", "AM", "Syunik", "town", 0.9, "exact", 39.5, 46.4,
    ...        "geonames", "1", None, None, "place", "why")
    >>> g = mentions_frame([row], [Point(46.4, 39.5)])
    >>> g["start"].dtype, g["mention"].dtype, g.geometry.iloc[0].x
    (dtype('int64'), dtype('O'), 46.4)
    """
    if not rows:
        return _empty_frame().copy()
    arrays = _arrays(rows)
    if arrays is None:  # a column whose type only pandas' inference can tell
        return _general_frame(rows, geoms)
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    index = pd.RangeIndex(len(rows))
    shapes = np.empty(len(geoms), dtype=object)
    shapes[:] = geoms
    # public constructors only: each column handed over with its type (text as object Series, so
    # pandas infers no str dtype), the geometry as one array with its CRS
    columns = {
        c: pd.Series(a, index=index, dtype=object, copy=False) if a.dtype == object else a
        for c, a in zip(COLUMNS, arrays, strict=True)
    }
    columns["geometry"] = gpd.GeoSeries(shapes, index=index, crs=_wgs84())
    return gpd.GeoDataFrame(columns, index=index, geometry="geometry", copy=False)


def _arrays(rows: Sequence[tuple]) -> list | None:
    """Each column as the array pandas would infer from its values; None when that needs pandas itself."""
    import numpy as np

    n = len(rows)
    out = []
    for column, values in zip(COLUMNS, zip(*rows, strict=True), strict=True):
        if column in _TEXT_COLUMNS:
            a = np.empty(n, dtype=object)
            a[:] = values
        elif column in _NUMBER_COLUMNS:
            a = np.array(values)
            if a.dtype.kind not in "if":  # a None among the numbers, say
                return None
        elif all(v is None for v in values):  # the date, when none is given: what pandas infers
            a = np.full(n, None, dtype=object)
        else:
            return None  # a date: pandas decides its type (a string, a timestamp, a date)
        out.append(a)
    return out


def _general_frame(rows: Sequence[tuple], geoms: Sequence[Any]) -> geopandas.GeoDataFrame:
    """The frame through pandas' general constructor: every column's type inferred from its values."""
    import geopandas as gpd
    import pandas as pd

    values = zip(*rows, strict=True) if rows else ([] for _ in COLUMNS)
    frame = pd.DataFrame(
        {c: pd.Series(v, dtype=object) if c in _TEXT_COLUMNS else v for c, v in zip(COLUMNS, values, strict=True)}
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, index=frame.index, crs=_wgs84()), copy=False)


@lru_cache(maxsize=1)
def _empty_frame() -> geopandas.GeoDataFrame:
    """The frame of a text that names no place (many do): built once, copied for each."""
    return _general_frame([], [])
