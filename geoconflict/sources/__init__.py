"""Live event data: ACLED's and UCDP's APIs, and a local store synced incrementally.

:func:`fetch_acled` / :func:`fetch_ucdp` page through an API to the end and return
incidents (validated by :func:`~geoconflict.incidents.read_incidents`);
:func:`sync_acled` / :func:`sync_ucdp` keep a DuckDB store up to date and resume after
an interruption; :func:`read_store` answers a country-and-period question from it.
Credentials come from arguments or environment variables and are never written or
printed. :mod:`geoconflict.sources.loopback` has stand-in servers for tests and demos.

Examples
--------
>>> from geoconflict.sources import ACLEDQuery
>>> ACLEDQuery(country="Armenia").key()
'acled?{"country":"Armenia"}'
"""

from __future__ import annotations

from ._http import AccessDenied, AuthError, SourceError
from .acled import ACLEDClient, ACLEDQuery, fetch_acled
from .store import EventStore, default_store_path
from .sync import SyncResult, read_store, sync_acled, sync_ucdp
from .ucdp import UCDPClient, UCDPQuery, fetch_ucdp

__all__ = [
    "ACLEDClient",
    "ACLEDQuery",
    "AccessDenied",
    "AuthError",
    "EventStore",
    "SourceError",
    "SyncResult",
    "UCDPClient",
    "UCDPQuery",
    "default_store_path",
    "fetch_acled",
    "fetch_ucdp",
    "read_store",
    "sync_acled",
    "sync_ucdp",
]
