"""read_incidents: real ACLED, UCDP-shaped and generic tables, validation, hostile input."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoconflict.incidents import CANONICAL_COLUMNS, read_incidents

from conftest import shared_file


@pytest.fixture(scope="module")
def acled():
    return read_incidents(shared_file("events", "acled_hdx_conflict_data_arm.csv"), warn=False)


def test_real_acled_extract(acled):
    assert len(acled) == 4960
    assert not acled["source_event_id"].astype(str).str.startswith("#").any()  # no HXL row among the events
    assert str(acled["event_date"].dtype).startswith("datetime64")
    assert acled["event_date"].notna().all()
    assert acled["event_date"].min() >= pd.Timestamp("2018-01-01")
    assert acled["event_date"].max() <= pd.Timestamp("2020-12-05")
    assert set(acled["geo_precision"].dropna().unique()) <= {1, 2, 4}
    assert (acled["precision_raw"].str.startswith("acled:")).all()
    assert acled["valid"].all()
    assert set(acled["dataset"]) == {"ACLED"}
    assert set(acled["country_code"]) == {"AM"}
    assert acled.crs.to_epsg() == 4326
    assert "HXL" in str(acled.attrs["report"])
    for col in CANONICAL_COLUMNS:
        assert col in acled.columns


def test_ucdp_ged_shaped_table(tmp_path):
    path = tmp_path / "ged.csv"
    pd.DataFrame(
        {
            "id": [1, 2, 3],
            "year": [2020, 2020, 2020],
            "type_of_violence": [1, 3, 1],
            "conflict_name": ["Azerbaijan: Nagorno-Karabakh"] * 3,
            "side_a": ["Government of Azerbaijan"] * 3,
            "side_b": ["Republic of Artsakh"] * 3,
            "country": ["Azerbaijan"] * 3,
            "adm_1": ["Nakhchivan", "", ""],
            "where_coordinates": ["Ordubad town", "Stepanakert", "Azerbaijan"],
            "where_prec": [1, 2, 6],
            "latitude": [38.9096, 39.8177, 40.5],
            "longitude": [46.0227, 46.7528, 47.5],
            "date_start": ["2020-10-15", "2020-10-02", "2020-10-01"],
            "date_end": ["2020-10-15", "2020-10-03", "2020-10-31"],
            "best": [0, 3, 10],
            "low": [0, 2, 5],
            "high": [0, 5, 20],
        }
    ).to_csv(path, index=False)
    g = read_incidents(path, warn=False)
    assert set(g["dataset"]) == {"UCDP GED"}
    assert list(g["geo_precision"]) == [1, 2, 6]
    assert list(g["precision_raw"]) == ["ucdp:1", "ucdp:2", "ucdp:6"]
    assert list(g["fatalities_best"]) == [0, 3, 10]
    assert g["date_end"].iloc[2] == pd.Timestamp("2020-10-31")
    assert g["event_type"].iloc[1] == "One-sided violence"
    assert g["valid"].all()


def test_names_only_table_is_geocoded():
    df = pd.DataFrame({"place": ["Orduba", "Kapan", "Zzyzzyqx"], "date": ["2020-10-15", "2020-10-16", "2020-10-17"]})
    g = read_incidents(df, warn=False)
    assert g["matched_name"].iloc[0] == "Ordubad"
    assert g["geo_precision"].iloc[0] == 2
    assert abs(g.geometry.iloc[0].y - 38.91) < 0.05
    assert g["valid"].tolist() == [True, True, False]
    assert "unknown_name" in g["issues"].iloc[2]
    assert g.geometry.iloc[2] is None


@pytest.mark.parametrize(
    ("lat", "lon", "issue", "valid"),
    [
        (38.9096, 46.0227, "", True),
        (95.0, 46.0, "out_of_range", False),
        (0.0, 0.0, "null_island", False),
        (46.0227, 38.9096, "swapped_coordinates", True),  # Ordubad given as (lon, lat), in range both ways
        (np.nan, np.nan, "missing_coordinates", False),
        ("forty", 46.0, "bad_number", True),  # the name still places it: flagged, geocoded
    ],
)
def test_coordinate_checks(lat, lon, issue, valid):
    df = pd.DataFrame({"location": ["Ordubad"], "latitude": [lat], "longitude": [lon], "country": ["Azerbaijan"]})
    if issue == "missing_coordinates":
        df["location"] = [None]
    g = read_incidents(df, warn=False)
    assert (issue in g["issues"].iloc[0]) if issue else g["issues"].iloc[0] == ""
    assert bool(g["valid"].iloc[0]) is valid
    if issue == "swapped_coordinates":
        assert g.geometry.iloc[0].y == pytest.approx(38.9096)


def test_swapped_detected_by_name_without_country():
    df = pd.DataFrame({"location": ["Kapan", "Yerevan"], "latitude": [46.4068, 40.18], "longitude": [39.2076, 44.51]})
    g = read_incidents(df, warn=False)
    assert g["issues"].tolist() == ["swapped_coordinates", ""]


def test_dates_and_duplicates():
    df = pd.DataFrame(
        {
            "event_id_cnty": ["A1", "A2", "A2", "A3"],
            "event_date": ["2020-10-15", "15 October 2020", "not a date", ""],
            "latitude": [40.1, 40.1, 40.1, 40.1],
            "longitude": [44.5, 44.5, 44.5, 44.5],
        }
    )
    g = read_incidents(df, warn=False)
    assert g["event_date"].iloc[1] == pd.Timestamp("2020-10-15")
    assert "bad_date" in g["issues"].iloc[2]
    assert "duplicate_id" in g["issues"].iloc[2]
    assert "missing_date" in g["issues"].iloc[3]
    assert g["valid"].all()  # a bad date does not lose the location


def test_hostile_csv_every_row_accounted_for(tmp_path):
    lines = [
        "event_id_cnty,event_date,location,latitude,longitude,notes",
        'X1,2020-10-15,Ordubad,38.9096,46.0227,"a note, with a comma"',
        "X2,2020-13-45,Kapan,39.2076,46.4068,bad date",
        "X3,2020-10-15,Vardenis,abc,45.73,bad latitude",
        "X4,2020-10-15,Sisian,46.027,39.5219,swapped",
        'X5,2020-10-15,Goris,39.5,46.3,"unterminated quote',
        "X6,2020-10-15,Meghri,38.9,46.24,too,many,fields",
        "X7,2020-10-15,Kajaran,39.15,46.16,ok",
    ]
    data = "\n".join(lines).encode() + b"\nX8,2020-10-15,Agarak,38.86,46.19,caf\xe9 latin-1 byte\n"
    path = tmp_path / "hostile.csv"
    path.write_bytes(data)
    with pytest.warns(UserWarning, match="rows read"):
        g = read_incidents(path)
    rep = g.attrs["report"]
    ids_in_table = set(g["event_id_cnty"].dropna())
    unparsed = " ".join(u["text"] for u in rep.unparsed_lines)
    for k in range(1, 9):
        assert f"X{k}" in ids_in_table or f"X{k}" in unparsed, f"X{k} lost"
    by_id = g.set_index("event_id_cnty")
    assert by_id.loc["X1", "valid"]
    assert "bad_date" in by_id.loc["X2", "issues"]
    assert "bad_number" in by_id.loc["X3", "issues"]
    assert "swapped_coordinates" in by_id.loc["X4", "issues"]
    # one byte that is not UTF-8 in an otherwise ASCII file: the file's encoding is guessed and named
    assert rep.encoding not in (None, "utf-8")
    assert any(n.startswith("encoding: ") for n in rep.notes)
    assert by_id.loc["X8", "notes"] == "café latin-1 byte"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(
            st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=6)),
            st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=6)),
            st.one_of(st.dates().map(str), st.text(max_size=12)),
            st.text(max_size=20),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_any_table_keeps_every_row(rows):
    df = pd.DataFrame(rows, columns=["latitude", "longitude", "event_date", "notes"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = read_incidents(df, geocode=False)
    assert len(g) == len(df)
    assert list(g["notes"]) == list(df["notes"])
    ok = g["valid"].to_numpy()
    assert (g.geometry[~ok].isna()).all()
    assert g.geometry[ok].notna().all()
    assert ((g.geometry[ok].y.abs() <= 90) & (g.geometry[ok].x.abs() <= 180)).all()
    assert (g.loc[~ok, "issues"] != "").all()


@settings(max_examples=25, deadline=None)
@given(blob=st.binary(min_size=1, max_size=400))
def test_random_bytes_never_crash(tmp_path_factory, blob):
    path = tmp_path_factory.mktemp("fuzz") / "f.csv"
    path.write_bytes(b"event_id_cnty,event_date,latitude,longitude\n" + blob)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = read_incidents(path, geocode=False)
    rep = g.attrs["report"]
    assert len(g) + len(rep.unparsed_lines) >= 1 or blob.strip() == b""


def test_empty_file_is_a_clear_error(tmp_path):
    (tmp_path / "e.csv").write_text("")
    with pytest.raises(ValueError, match="empty"):
        read_incidents(tmp_path / "e.csv")


def test_missing_file_and_unknown_format(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_incidents(tmp_path / "nope.csv")
    (tmp_path / "x.docx").write_text("x")
    with pytest.raises(ValueError, match="cannot read"):
        read_incidents(tmp_path / "x.docx")


@pytest.mark.parametrize("ext", ["geojson", "gpkg", "parquet"])
def test_gis_formats_round_trip(tmp_path, ext, acled):
    from geoconflict.io import write

    sample = acled.head(50)
    path = write(sample, tmp_path / f"events.{ext}")
    back = read_incidents(path, warn=False)
    assert len(back) == 50
    assert back["valid"].all()
    assert np.allclose(back.geometry.x, sample.geometry.x)


def test_excel_table(tmp_path):
    path = tmp_path / "events.xlsx"
    pd.DataFrame({"town": ["Kapan", "Goris"], "date": ["2020-10-27", "2020-10-20"]}).to_excel(path, index=False)
    g = read_incidents(path, warn=False)
    assert g["matched_name"].tolist() == ["Kapan", "Goris"]
    assert g["valid"].all()
