"""Shared fixtures: the real data in ../shared/data (skipped with a reason when absent) and the gazetteer."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("GEOCONFLICT_SHARED_DATA", REPO.parent / "shared" / "data"))


def shared_file(*parts: str) -> Path:
    """A file under ../shared/data, or a skip naming what is missing."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the shared test data, ../shared/data beside the repository); not present here")
    return path


@pytest.fixture(scope="session")
def gazetteer():
    from geoconflict import Gazetteer

    return Gazetteer.default()


@pytest.fixture(scope="session")
def dev_cases() -> dict:
    return json.loads(shared_file("examples", "dev_cases.json").read_text(encoding="utf-8"))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    from pyproj import Geod

    return Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)[2] / 1000.0
