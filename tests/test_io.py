"""GIS files written by io.write, read back with GDAL's ogrinfo: feature counts, field names and types."""

import json
import re
import shutil
import subprocess

import geopandas as gpd
import pandas as pd
import pytest
from shapely import Point, box

from geoconflict.io import SHAPEFILE_NAMES, write
from geoconflict.join import join_admin

OGRINFO = shutil.which("ogrinfo")
needs_ogrinfo = pytest.mark.skipif(
    OGRINFO is None, reason="needs GDAL's ogrinfo (Debian package gdal-bin) to read the files back"
)


def ogrinfo(path) -> tuple[int, dict[str, str], str]:
    """Feature count, {field: type} and geometry type of the single layer of ``path``, as GDAL reports them."""
    run = subprocess.run([OGRINFO, "-ro", "-so", "-al", str(path)], capture_output=True, text=True, check=True)
    text = run.stdout
    count = int(re.search(r"^Feature Count: (\d+)", text, re.M).group(1))
    geometry = re.search(r"^Geometry: (.+)$", text, re.M).group(1)
    fields = dict(re.findall(r"^(\w+): (\w+(?:\(\w+\))?) \(", text.split("Data axis to CRS axis mapping")[-1], re.M))
    return count, fields, geometry


@pytest.fixture(scope="module")
def joined():
    """Incidents as a QGIS user would export them after the admin join (made-up units and events)."""
    units = gpd.GeoDataFrame(
        {
            "admin_level": [1, 1],
            "name": ["West", "East"],
            "code": ["AM-W", "AM-E"],
            "parent_code": ["AM", "AM"],
            "parent_name": ["Armenia", "Armenia"],
            "country_code": ["AM", "AM"],
        },
        geometry=[box(44, 40, 45, 41), box(45, 40, 46, 41)],
        crs=4326,
    )
    events = gpd.GeoDataFrame(
        {
            "event_date": pd.to_datetime(["2020-10-14", "2020-10-15", None]),
            "location": ["West village", "East town", "Offshore"],
            "fatalities": [0, 3, 1],
            "notes": ["shelling <b>reported</b>", "a 'claim' & a denial", None],
            "admin1": ["West", "East", None],  # the source's own coding
            "timestamp": [1602633600, 1602720000, 1602806400],
        },
        geometry=[Point(44.5, 40.5), Point(46.004, 40.5), Point(50, 50)],
        crs=4326,
    )
    return join_admin(events, units)


COMMON = {
    "location": "String",
    "admin0": "String",
    "admin1": "String",
    "admin1_code": "String",
    "admin1_source": "String",
    "admin_match": "String",
    "admin_distance_m": "Real",
}


@needs_ogrinfo
@pytest.mark.parametrize(
    ("ext", "expected", "geometry"),
    [
        ("gpkg", {**COMMON, "event_date": "Date", "fatalities": "Integer64"}, "Point"),
        ("geojson", {**COMMON, "event_date": "Date", "fatalities": "Integer"}, "Point"),
        ("fgb", {**COMMON, "event_date": "DateTime", "fatalities": "Integer64"}, "Point"),  # FlatGeobuf has no Date
        (
            "shp",
            {
                SHAPEFILE_NAMES.get(k, k)[:10]: v
                for k, v in {**COMMON, "event_date": "Date", "fatalities": "Integer64"}.items()
            },
            "Point",
        ),
        ("kml", {"Name": "String", "admin1": "String", "admin_distance_m": "Real", "timestamp_": "String"}, None),
        ("csv", {**COMMON, "event_date": "Date", "fatalities": "Integer64"}, None),
    ],
)
def test_files_open_in_ogrinfo_with_the_expected_fields(tmp_path, joined, ext, expected, geometry):
    path = write(joined, tmp_path / f"incidents.{ext}")
    count, fields, geom = ogrinfo(path)
    assert count == len(joined) == 3
    for name, kind in expected.items():
        assert fields.get(name) == kind, f"{ext}: field {name!r} is {fields.get(name)!r}, expected {kind!r}: {fields}"
    if geometry:
        assert geom == geometry


@needs_ogrinfo
def test_shapefile_names_are_short_unique_and_readable(tmp_path, joined):
    _, fields, _ = ogrinfo(write(joined, tmp_path / "incidents.shp"))
    assert all(len(f) <= 10 for f in fields)
    assert {"adm1_code", "adm1_src", "adm_match", "adm_dist_m", "event_date"} <= set(fields)


@needs_ogrinfo
def test_csv_carries_wkt_geometry_and_types_for_gdal_and_qgis(tmp_path, joined):
    path = write(joined, tmp_path / "incidents.csv")
    assert path.with_suffix(".csvt").exists()
    run = subprocess.run([OGRINFO, "-ro", "-al", "-q", str(path)], capture_output=True, text=True, check=True).stdout
    assert "POINT (44.5 40.5)" in run
    back = pd.read_csv(path)
    assert back["event_date"].tolist()[:2] == ["2020-10-14", "2020-10-15"]
    assert back["admin_match"].tolist() == ["inside", "nearest", "none"]


@needs_ogrinfo
def test_kml_placemarks_are_labelled_and_text_escaped(tmp_path, joined):
    path = write(joined, tmp_path / "incidents.kml")
    kml = path.read_text(encoding="utf-8")
    assert "<name>West village</name>" in kml
    assert "shelling &lt;b&gt;reported&lt;/b&gt;" in kml and "<b>" not in kml


@needs_ogrinfo
def test_datetimes_with_a_time_stay_datetimes(tmp_path, joined):
    frame = joined.assign(reported_at=pd.to_datetime(["2020-10-14 06:30", "2020-10-15 21:00", None]))
    _, fields, _ = ogrinfo(write(frame, tmp_path / "t.gpkg"))
    assert fields["reported_at"] == "DateTime"
    assert fields["event_date"] == "Date"


def test_geoparquet_keeps_types_and_crs(tmp_path, joined):
    import pyarrow.parquet as pq

    path = write(joined, tmp_path / "incidents.parquet")
    table = pq.read_table(path)
    geo = json.loads(table.schema.metadata[b"geo"])
    assert geo["primary_column"] == "geometry"
    types = {f.name: str(f.type) for f in table.schema}
    assert types["event_date"] == "date32[day]"
    assert types["fatalities"] == "int64"
    assert types["admin_distance_m"] == "double"
    assert types["admin1"] in ("string", "large_string")
    back = gpd.read_parquet(path)
    assert len(back) == 3 and back.crs.to_epsg() == 4326
    if OGRINFO and "Parquet" in subprocess.run([OGRINFO, "--formats"], capture_output=True, text=True).stdout:
        count, fields, _ = ogrinfo(path)
        assert count == 3 and fields["event_date"] == "Date"
