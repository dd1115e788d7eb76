"""Administrative boundaries: local files and geoBoundaries downloads, one schema, checked.

:func:`load_boundaries` reads any file pyogrio reads (geoBoundaries, GADM, Natural
Earth, OCHA COD-AB layouts) or downloads geoBoundaries by ISO3 code into the user
cache; it repairs invalid polygons, derives parents, and warns when unit names
contradict the gazetteer. Names load lazily, so importing this package (the CLI
does) costs nothing until a function is used.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

_LAZY = {
    "load_boundaries": "._load",
    "read_layers": "._load",
    "normalize_schema": "._schema",
    "SCHEMA": "._schema",
    "BoundaryWarning": "._schema",
    "country_name": "._schema",
    "fetch_geoboundaries": "._geoboundaries",
    "BoundaryDownloadError": "._geoboundaries",
    "DEFAULT_BASE_URL": "._geoboundaries",
    "cached_metadata": "._geoboundaries",
    "check_names": "._checks",
    "repair_geometries": "._checks",
    "derive_parents": "._hierarchy",
}

__all__ = [
    "DEFAULT_BASE_URL",
    "SCHEMA",
    "BoundaryDownloadError",
    "BoundaryWarning",
    "cached_metadata",
    "check_names",
    "country_name",
    "derive_parents",
    "fetch_geoboundaries",
    "load_boundaries",
    "normalize_schema",
    "read_layers",
    "repair_geometries",
]

if TYPE_CHECKING:  # pragma: no cover
    from ._checks import check_names, repair_geometries
    from ._geoboundaries import DEFAULT_BASE_URL, BoundaryDownloadError, cached_metadata, fetch_geoboundaries
    from ._hierarchy import derive_parents
    from ._load import load_boundaries, read_layers
    from ._schema import SCHEMA, BoundaryWarning, country_name, normalize_schema


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
