"""geoconflict: map conflict incidents — place names to places, incidents to regions, maps and GIS files.

The public API is re-exported here. Heavy dependencies (geopandas, folium, dask)
load lazily, on first use, so ``import geoconflict`` and the gazetteer start fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# public name -> module that defines it; imported on first attribute access
_LAZY = {
    "Gazetteer": "geoconflict.gazetteer",
    "Match": "geoconflict.gazetteer",
    "read_incidents": "geoconflict.incidents",
    "extract_incidents": "geoconflict.extract",
    "ConflictZone": "geoconflict.zones",
    "load_boundaries": "geoconflict.boundaries",
    "join_admin": "geoconflict.join",
    "incident_map": "geoconflict.maps",
    "fetch_acled": "geoconflict.sources",
    "fetch_ucdp": "geoconflict.sources",
    "sync_acled": "geoconflict.sources",
    "sync_ucdp": "geoconflict.sources",
    "read_store": "geoconflict.sources",
}

__all__ = [
    "ConflictZone",
    "Gazetteer",
    "Match",
    "extract_incidents",
    "fetch_acled",
    "fetch_ucdp",
    "geoparse",
    "incident_map",
    "join_admin",
    "load_boundaries",
    "read_incidents",
    "read_store",
    "sync_acled",
    "sync_ucdp",
]

# geoparse is bound eagerly (its module is light: re and names only) so that the
# function, not the submodule of the same name, is what ``geoconflict.geoparse`` means.
from .geoparse import geoparse  # noqa: E402

if TYPE_CHECKING:  # pragma: no cover
    from .boundaries import load_boundaries
    from .extract import extract_incidents
    from .gazetteer import Gazetteer, Match
    from .incidents import read_incidents
    from .join import join_admin
    from .maps import incident_map
    from .sources import fetch_acled, fetch_ucdp, read_store, sync_acled, sync_ucdp
    from .zones import ConflictZone


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'geoconflict' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
