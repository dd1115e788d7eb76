"""Round trips: incidents written in every output format and read back keep every column's values.

Real ACLED and UCDP GED rows (../shared/data; skipped with a reason when absent), plus
rows built to carry what breaks formats: formulas, line breaks of every kind, areas,
invalid rows, every precision.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import Point, box

from geoconflict.incidents import read_incidents
from geoconflict.io import FORMATS, write

from conftest import shared_file

#: every output format; a Shapefile holds one geometry type, so it gets the points only
EXTENSIONS = sorted({ext for ext in FORMATS if ext not in (".json", ".geoparquet")})


def _read(source, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_incidents(source, **options)


def _norm(value):
    """A cell's value as every format can hold it: missing as None, numbers as floats, dates as days."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return (
            pd.Timestamp(value).tz_localize(None).isoformat()
            if pd.Timestamp(value).tz
            else pd.Timestamp(value).isoformat()
        )
    if isinstance(value, (int, float, np.integer, np.floating)):
        return round(float(value), 9)
    if isinstance(value, str):
        if value == "":
            return None  # a blank cell: CSV, Excel and dBASE cannot tell it from a missing one
        try:
            return round(float(value), 9) if value.strip() not in ("", "nan") and not value.isalpha() else value
        except ValueError:
            return value
    return value


def assert_same_values(before: gpd.GeoDataFrame, after: gpd.GeoDataFrame, label: str) -> None:
    assert len(after) == len(before), label
    for col in before.columns:
        if col == before.geometry.name:
            continue
        assert col in after.columns, f"{label}: column {col!r} lost ({sorted(after.columns)})"
        a = [_norm(v) for v in before[col].tolist()]
        b = [_norm(v) for v in after[col].tolist()]
        bad = [(i, x, y) for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        assert not bad, f"{label}: column {col!r} changed, e.g. row {bad[0][0]}: {bad[0][1]!r} -> {bad[0][2]!r}"
    same = before.geometry.geom_equals_exact(after.geometry.set_crs(4326, allow_override=True), tolerance=1e-9)
    assert (same | (before.geometry.isna() & after.geometry.isna())).all(), f"{label}: geometries changed"


@pytest.fixture(scope="module")
def acled():
    return _read(shared_file("events", "acled_hdx_conflict_data_arm.csv"))


@pytest.fixture(scope="module")
def ucdp():
    return _read(shared_file("events", "ucdp_ged_v23_1_caf.geojson"))


def _sample(gdf, n=60):
    """Rows of every geo_precision (ACLED's 3 is the project's 4, lost before)."""
    parts = [grp.head(n // 3) for _, grp in gdf.groupby(gdf["geo_precision"].astype("Int64"), dropna=False)]
    return pd.concat(parts).sort_index()


@pytest.mark.parametrize("ext", EXTENSIONS)
def test_acled_rows_survive_every_format(tmp_path, acled, ext):
    sample = _fit(_sample(acled), ext)
    assert 4 in set(sample["geo_precision"].dropna())
    back = _read(write(sample, tmp_path / f"events{ext}"))
    assert_same_values(sample.reset_index(drop=True), back, f"ACLED via {ext}")


@pytest.mark.parametrize("ext", EXTENSIONS)
def test_ucdp_rows_survive_every_format(tmp_path, ucdp, ext):
    sample = _fit(_sample(ucdp, 70), ext)
    back = _read(write(sample, tmp_path / f"events{ext}"))
    assert_same_values(sample.reset_index(drop=True), back, f"UCDP via {ext}")


def _fit(gdf, ext):
    """What the format can hold: a Shapefile keeps 254 bytes of text (more warns, tested below), no trailing blanks."""
    if ext != ".shp":
        return gdf
    text = [c for c in gdf.columns if gdf[c].dtype == object or pd.api.types.is_string_dtype(gdf[c])]
    return gdf.assign(
        **{c: gdf[c].map(lambda v: v[:120].rstrip() if isinstance(v, str) else v) for c in text if c != "geometry"}
    )


def test_shapefile_says_when_it_cuts_text(tmp_path):
    rows = _awkward_rows().assign(notes="x" * 300)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write(rows, tmp_path / "cut.shp")
    assert any("254 bytes of text per field: 6 value(s) of 'notes'" in str(w.message) for w in caught)


def _awkward_rows() -> gpd.GeoDataFrame:
    df = pd.DataFrame(
        {
            "event_id_cnty": ["W1", "W2", "W3", "W4", "W5", "W6"],
            "event_date": ["2020-10-15", "2020-10-16", "bad", "2020-10-18", "2020-10-19", "2020-10-20"],
            "location": ["Kapan", '=HYPERLINK("http://x","y")', "Goris", "@Sisian", "Vardenis", "Meghri"],
            "notes": ["line one\nline two", "a\u2028b", "c\x85d", "e\rf", "-2+3", "+7"],
            "latitude": [39.2076, 39.5, 95.0, 39.52, 40.18, 38.9],
            "longitude": [46.4068, 46.3, 46.0, 46.03, 45.72, 46.24],
            "geo_precision": [1, 2, 3, 4, 2, 1],
            "fatalities": [0, 3, None, 1, 2, 0],
        }
    )
    return _read(df)


@pytest.mark.parametrize("ext", EXTENSIONS)
def test_awkward_values_survive_every_format(tmp_path, ext):
    rows = _awkward_rows()
    assert rows["valid"].tolist() == [True, True, False, True, True, True]
    if ext in (".xlsx", ".kml"):  # XML reads a lone CR as a line feed (XML 1.0, end-of-line handling)
        rows = rows.assign(notes=rows["notes"].str.replace("\r", "\n"))
    back = _read(write(rows, tmp_path / f"awkward{ext}"))
    assert_same_values(rows, back, f"awkward rows via {ext}")


@pytest.mark.parametrize("ext", [e for e in EXTENSIONS if e != ".shp"])
def test_areas_stay_areas_in_every_format(tmp_path, ext):
    gdf = gpd.GeoDataFrame(
        {"location": ["Syunik", "Kapan"], "event_date": ["2020-10-15", "2020-10-16"]},
        geometry=[box(45.9, 38.8, 46.6, 39.8), Point(46.4068, 39.2076)],
        crs=4326,
    )
    incidents = _read(gdf)
    assert incidents.geometry.geom_type.tolist() == ["Polygon", "Point"]
    assert incidents["issues"].tolist() == ["", ""]  # the area is not placed by its name
    back = _read(write(incidents, tmp_path / f"areas{ext}"))
    assert_same_values(incidents, back, f"areas via {ext}")
