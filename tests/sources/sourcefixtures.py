"""Real rows for the loopback servers, and the credentials the tests use (distinct, so a grep finds them)."""

from __future__ import annotations

import functools

from geoconflict.sources.loopback import acled_rows_from_csv, ucdp_rows_from_geojson

from conftest import shared_file

USER = "analyst-7f3a@example.org"
PASSWORD = "pw-Q9x!lF2v-never-print"
UCDP_TOKEN = "ucdp-token-3c8e1d-never-print"


@functools.lru_cache(maxsize=1)
def _acled_rows() -> tuple:
    return tuple(acled_rows_from_csv(shared_file("events", "acled_hdx_conflict_data_arm.csv")))


@functools.lru_cache(maxsize=1)
def _ucdp_rows() -> tuple:
    return tuple(ucdp_rows_from_geojson(shared_file("events", "ucdp_ged_v23_1_caf.geojson")))


def acled_rows() -> list[dict]:
    """The 4,960 real ACLED Armenia events, as ACLED's API sends them (fresh copies)."""
    return [dict(r) for r in _acled_rows()]


def ucdp_rows() -> list[dict]:
    """The 1,848 real UCDP GED v23.1 events in the Central African Republic, as the API sends them."""
    return [dict(r) for r in _ucdp_rows()]


def many_acled_rows(n: int) -> list[dict]:
    """``n`` events: the real Armenian rows repeated under new ids (ARM100000 …), distinct by id."""
    base = _acled_rows()
    return [{**base[i % len(base)], "event_id_cnty": f"ARM{100000 + i}"} for i in range(n)]
