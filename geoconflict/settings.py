"""Settings every module and command reads: the cache root, network bounds, shared defaults.

One place for each: a default changed here changes the library and the command
line together (the CLI takes its option defaults from these constants). Nothing
here imports the rest of the package.

Environment variables
---------------------
``GEOCONFLICT_CACHE_DIR``
    Root of every cache (gazetteer index, downloaded boundaries, online answers).
    Default: the user cache folder that :mod:`platformdirs` names.
``GEOCONFLICT_GEOBOUNDARIES_URL``
    The geoBoundaries API root (a mirror, or a local server in tests).
``GEOCONFLICT_ACLED_URL``, ``GEOCONFLICT_UCDP_URL``
    The ACLED and UCDP API roots (a mirror, or a local server in tests).
``ACLED_USERNAME``, ``ACLED_PASSWORD``
    A myACLED account (e-mail and password) for the OAuth password grant.
``ACLED_ACCESS_TOKEN``
    An ACLED OAuth access token obtained elsewhere (instead of the password).
``UCDP_TOKEN``
    The access token UCDP's API requires (sent as ``x-ucdp-access-token``).

Examples
--------
>>> cache_dir("boundaries") == cache_root() / "boundaries"
True
>>> cache_dir("boundaries", root="/data/gc").as_posix()
'/data/gc/boundaries'
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "ACLED_PASSWORD_ENV",
    "ACLED_TOKEN_ENV",
    "ACLED_URL_ENV",
    "ACLED_USERNAME_ENV",
    "API_MAX_RESPONSE_BYTES",
    "API_RETRIES",
    "API_TOTAL_TIME_S",
    "CACHE_ENV",
    "GEOBOUNDARIES_URL_ENV",
    "NEAR_KM",
    "NETWORK_RETRIES",
    "NETWORK_TIMEOUT_S",
    "TOLERANCE_M",
    "UCDP_TOKEN_ENV",
    "UCDP_URL_ENV",
    "cache_dir",
    "cache_root",
]

CACHE_ENV = "GEOCONFLICT_CACHE_DIR"
GEOBOUNDARIES_URL_ENV = "GEOCONFLICT_GEOBOUNDARIES_URL"
ACLED_URL_ENV = "GEOCONFLICT_ACLED_URL"
UCDP_URL_ENV = "GEOCONFLICT_UCDP_URL"
ACLED_USERNAME_ENV = "ACLED_USERNAME"
ACLED_PASSWORD_ENV = "ACLED_PASSWORD"
ACLED_TOKEN_ENV = "ACLED_ACCESS_TOKEN"
UCDP_TOKEN_ENV = "UCDP_TOKEN"

#: Seconds one network attempt may take. geoBoundaries' API answers in well under a
#: second, but its GitHub-hosted files for large countries take several: 20 s leaves room
#: for those and still ends a hang on an unreachable network quickly.
NETWORK_TIMEOUT_S = 20.0
#: Further attempts after a network error (a dropped connection mid-download is common).
NETWORK_RETRIES = 2

#: Further attempts of one event-API request after a 429, a 5xx or a dropped connection.
#: More than NETWORK_RETRIES: both APIs rate-limit (UCDP: 5,000 requests a day) and a
#: long sync should wait out a busy minute rather than stop.
API_RETRIES = 5
#: Seconds a whole fetch or sync may take, waits included: an hour pulls a few hundred
#: thousand ACLED rows; past it the sync stops and resumes where it was on the next run.
API_TOTAL_TIME_S = 3600.0
#: Bytes one API response may have: a 5,000-row ACLED page is about 8 MB of JSON.
API_MAX_RESPONSE_BYTES = 256 * 1024 * 1024

#: Distance (metres) within which a point outside every admin unit takes the nearest one.
#: Simplified geoBoundaries outlines leave border villages up to ~1.5 km outside
#: (ACLED's Armenian border events: 445 of 4,960 placed this way, at most 1.51 km).
TOLERANCE_M = 2000.0

#: Default width of the "near" band around a conflict zone, km. Kapan and Davit Bek, a
#: few hundred metres from the pre-2020 Nagorno-Karabakh outline, are near; Vardenis (18 km) is not.
NEAR_KM = 10.0


def cache_root() -> Path:
    """The folder that holds geoconflict's caches (``$GEOCONFLICT_CACHE_DIR`` or the user cache)."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("geoconflict", appauthor=False))


def cache_dir(kind: str, root: str | os.PathLike | None = None) -> Path:
    """The cache folder for one ``kind`` of data (``"gazetteer"``, ``"boundaries"`` …) under ``root``."""
    return (Path(root) if root is not None else cache_root()) / kind
