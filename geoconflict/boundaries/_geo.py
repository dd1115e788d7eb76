"""Metric helpers shared by the boundary checks and the admin join.

Distances in metres are measured in the UTM zone of the point they start from
(scale error well under 1 % within a few hundred kilometres of the zone), areas in
an equal-area projection. Geometries are projected once per zone and cached by the
callers.

Examples
--------
>>> int(utm_epsg(np.array([45.4]), np.array([39.2]))[0])
32638
>>> int(utm_epsg(np.array([-58.4]), np.array([-34.6]))[0])
32721
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely

__all__ = ["EQUAL_AREA_EPSG", "expand_bounds", "project", "utm_epsg"]

#: WGS 84 / NSIDC EASE-Grid 2.0 Global: areas (not shapes) are true everywhere.
EQUAL_AREA_EPSG = 6933

# metres per degree of latitude (a lower bound, so searches never come up short)
_M_PER_DEG_LAT = 110_574.0
_M_PER_DEG_LON_EQUATOR = 111_320.0


def utm_epsg(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """EPSG code of the UTM zone of each (lon, lat): 326zz north, 327zz south."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    zone = np.clip(np.floor((lon + 180.0) / 6.0).astype(int) + 1, 1, 60)
    return np.where(lat >= 0, 32600, 32700) + zone


@lru_cache(maxsize=256)
def _transformer(epsg: int):
    from pyproj import Transformer

    return Transformer.from_crs(4326, epsg, always_xy=True)


#: Edges longer than this (degrees) get intermediate vertices before projection, so a
#: straight edge in longitude/latitude stays where it was (a 1° edge would move ~4 m).
MAX_SEGMENT_DEG = 0.05


def project(geoms: np.ndarray, epsg: int) -> np.ndarray:
    """Project EPSG:4326 geometries (x = longitude) to ``epsg``, densifying long edges first."""
    tr = _transformer(int(epsg))
    geoms = np.asarray(geoms, dtype=object)
    lines = shapely.get_type_id(geoms) > 0  # points need no densifying
    if lines.any():
        geoms = geoms.copy()
        geoms[lines] = shapely.segmentize(geoms[lines], MAX_SEGMENT_DEG)

    def _tx(coords: np.ndarray) -> np.ndarray:
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, _tx)


def expand_bounds(bounds: np.ndarray, metres: float) -> tuple[np.ndarray, np.ndarray]:
    """Boxes around (minx, miny, maxx, maxy) rows, at least ``metres`` wider on every side, and a radius in degrees.

    Every point within ``metres`` of a row's geometry lies in its box and within the
    returned number of degrees of it (the longitude span, the larger one).
    """
    bounds = np.asarray(bounds, dtype=float).reshape(-1, 4)
    dlat = metres / _M_PER_DEG_LAT * 1.02
    max_abs_lat = np.minimum(np.maximum(np.abs(bounds[:, 1]), np.abs(bounds[:, 3])) + dlat, 89.9)
    dlon = metres / (_M_PER_DEG_LON_EQUATOR * np.cos(np.radians(max_abs_lat))) * 1.02
    boxes = shapely.box(bounds[:, 0] - dlon, bounds[:, 1] - dlat, bounds[:, 2] + dlon, bounds[:, 3] + dlat)
    return boxes, np.maximum(dlon, dlat)
