"""Hostile and broken tables: real ACLED and UCDP GED rows mutated, and every broken file the issue names.

The property tests take rows of the real files in ../shared/data (skipped with a reason
when absent; the files are read in place, never copied), break some of them — a stray
quote at the start of a field, an extra field, a quoted separator, a line break, U+2028,
NEL or a CR inside a quoted field — write them in an encoding, and check that

* every data line is a row returned or a line reported unparsed (nothing dropped), and
* every value of every untouched row is what the unbroken file gives.
"""

from __future__ import annotations

import csv
import io
import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoconflict.incidents import read_incidents

from conftest import shared_file

ACLED = ("events", "acled_hdx_conflict_data_arm.csv")
UCDP = ("events", "ucdp_ged_v23_1_caf.geojson")
FAST = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _read(path, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_incidents(path, geocode=False, **options)


# --------------------------------------------------------------------- real rows
@pytest.fixture(scope="module")
def acled_rows():
    with open(shared_file(*ACLED), encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1], rows[2:]  # header, HDX's row of HXL hashtags, events


@pytest.fixture(scope="module")
def ucdp_rows():
    doc = json.loads(shared_file(*UCDP).read_text(encoding="utf-8"))
    header = [*doc["features"][0]["properties"], "latitude", "longitude"]
    rows = []
    for f in doc["features"]:
        lon, lat = f["geometry"]["coordinates"][:2]
        rows.append(["" if v is None else str(v) for v in f["properties"].values()] + [repr(lat), repr(lon)])
    return header, None, rows


def _text(header, hxl, rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")  # CRLF: a CR inside a field is quoted
    w.writerow(header)
    if hxl:
        w.writerow(hxl)
    w.writerows(rows)
    return buf.getvalue()


#: what a mutation does to one row's line: (kind, field index seed, extra seed)
MUTATIONS = st.sampled_from(
    ["stray_quote", "extra_field", "quoted_separator", "line_break", "u2028", "nel", "cr", "many_lines"]
)


def _mutate(row: list[str], kind: str, k: int) -> tuple[list[str] | str, str | None]:
    """The mutated row (fields, or a raw line for what csv cannot write) and the field's new value if it is data."""
    row = list(row)
    k %= len(row)
    inserts = {
        "quoted_separator": "a, b; c\tand d",
        "line_break": "first line\nsecond line",
        "u2028": "before\u2028after",
        "nel": "before\x85after",
        "cr": "before\rafter",
        "many_lines": "\n".join(f"line {n}, of a long note" for n in range(30)),
    }
    if kind in inserts:
        row[k] = inserts[kind]
        return row, inserts[kind]
    if kind == "extra_field":
        return [*row, "one field too many"], None
    # a stray quote at the start of a field: `…,"5 killed,…`, the other fields as csv writes them
    raw = ['"' + p.replace('"', '""') + '"' if any(ch in p for ch in ',"\r\n') else p for p in row]
    k = next((j % len(raw) for j in range(k, k + len(raw)) if not raw[j % len(raw)].startswith('"')), k)
    raw[k] = '"' + raw[k].removeprefix('"')  # a field csv quoted already gets its opening quote doubled
    return ",".join(raw), None


def _write(path, header, hxl, rows, encoding):
    lines = [_text(header, hxl, [])]
    for r in rows:
        lines.append(r + "\r\n" if isinstance(r, str) else _text([], None, [r]))
    path.write_bytes("".join(lines).encode(encoding))


def _norm(v):
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        return round(float(v), 9)
    if isinstance(v, str):
        try:
            return round(float(v), 9)
        except ValueError:
            return v or None
    return v


def _check(tmp_path, table, picks, mutations, encoding, id_col):
    header, hxl, events = table
    sample = [events[i % len(events)] for i in picks]
    ids = [r[header.index(id_col)] for r in sample]
    if len(set(ids)) < len(ids):
        return  # the same event twice: duplicate-id flags would differ, not what this checks
    clean = tmp_path / "clean.csv"
    _write(clean, header, hxl, sample, "utf-8")
    baseline = _read(clean).set_index("source_event_id")
    broken_rows, touched, expect = [], set(), {}
    for n, row in enumerate(sample):
        if n in mutations:
            kind, k = mutations[n]
            if header[k % len(header)] == id_col:
                k += 1
            out, value = _mutate(row, kind, k)
            broken_rows.append(out)
            touched.add(ids[n])
            if value is not None:
                expect[ids[n]] = (header[k % len(header)], value)
        else:
            broken_rows.append(row)
    broken = tmp_path / f"broken-{encoding}.csv"
    _write(broken, header, hxl, broken_rows, encoding)
    g = _read(broken)
    rep = g.attrs["report"]
    # every data line accounted for: a row, or a line reported unparsed (a broken record that spans
    # lines, its cell holding a line break, is reported line by line)
    spans_lines = any("\n" in f or "\r" in f for r in sample for f in r) or "line_break" in str(mutations)
    if spans_lines or "many_lines" in str(mutations):
        assert len(g) <= len(sample) <= len(g) + len(rep.unparsed_lines), str(rep)
    else:
        assert len(g) + len(rep.unparsed_lines) == len(sample), str(rep)
    kept = set(g["source_event_id"].dropna()) | {rid for u in rep.unparsed_lines for rid in ids if rid in u["text"]}
    assert set(ids) <= kept, f"rows lost: {set(ids) - kept} ({rep})"
    kinds = [kind for kind, _ in mutations.values()]
    # one stray quote is always found; two on lines of their own can pair up (a known limit of the fast check)
    if kinds.count("stray_quote") % 2 == 1 or "extra_field" in kinds:
        assert not rep.ok
    got = g.set_index("source_event_id")
    for rid in ids:
        if rid in touched:
            continue
        assert rid in got.index, f"untouched row {rid} lost: {rep}"
        a, b = baseline.loc[rid], got.loc[rid]
        for col in baseline.columns:
            if col in ("geometry", "issues", "valid") or col not in got.columns:
                continue
            assert _norm(a[col]) == _norm(b[col]), f"{rid}.{col}: {a[col]!r} -> {b[col]!r} ({rep})"
        assert a["issues"] == b["issues"]
    return got, expect


@FAST
@given(
    picks=st.lists(st.integers(0, 10_000), min_size=3, max_size=15),
    mutations=st.dictionaries(st.integers(0, 14), st.tuples(MUTATIONS, st.integers(0, 60)), max_size=4),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_mutated_acled_rows(tmp_path_factory, acled_rows, picks, mutations, encoding):
    mutations = {n: m for n, m in mutations.items() if n < len(picks)}
    out = _check(tmp_path_factory.mktemp("acled"), acled_rows, picks, mutations, encoding, "event_id_cnty")
    if out:
        got, expect = out
        for rid, (col, value) in expect.items():  # a quoted value comes back whole, whatever it holds
            cell = got.loc[rid, col] if rid in got.index and col in got.columns else None
            if isinstance(cell, str) or col in ("notes", "actor1", "location", "source"):
                assert cell == value, f"{rid}.{col}: {value!r} -> {cell!r}"


@FAST
@given(
    picks=st.lists(st.integers(0, 10_000), min_size=3, max_size=15),
    mutations=st.dictionaries(st.integers(0, 14), st.tuples(MUTATIONS, st.integers(0, 60)), max_size=4),
    encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]),
)
def test_mutated_ucdp_rows(tmp_path_factory, ucdp_rows, picks, mutations, encoding):
    mutations = {n: m for n, m in mutations.items() if n < len(picks)}
    _check(tmp_path_factory.mktemp("ucdp"), ucdp_rows, picks, mutations, encoding, "id")


# --------------------------------------------------------------------- the cases the issue names
HEADER = "event_id_cnty,event_date,location,latitude,longitude,notes"


def _lines(n: int) -> list[str]:
    return [f"E{k},2020-10-{1 + k % 28:02d},Kapan,39.2076,46.4068,note {k}" for k in range(n)]


def test_a_stray_quote_does_not_swallow_the_following_lines(tmp_path):
    lines = _lines(2000)
    lines[10] = 'E10,2020-10-11,Kapan,39.2076,46.4068,"5 killed'
    lines[1500] = 'E1500,2020-10-16,Kapan,39.2076,46.4068,"a quoted, note"'
    path = tmp_path / "stray.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    g = _read(path)
    rep = g.attrs["report"]
    assert len(g) == 2000 and not rep.unparsed_lines
    assert not rep.ok
    assert g["issues"].iloc[10] == "stray_quote"
    assert g["notes"].iloc[10] == "5 killed" and g["notes"].iloc[11] == "note 11"
    assert g["notes"].iloc[1500] == "a quoted, note"
    (entry,) = [f for f in rep.flagged if f["issue"] == "stray_quote"]
    assert entry["row"] == 10 and entry["detail"].startswith("line 12: ")


def test_stray_quotes_on_many_lines_are_each_reported(tmp_path):
    lines = _lines(300)
    for k in range(5, 300, 50):
        lines[k] = lines[k].replace("note", '"note')
    path = tmp_path / "strays.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    g = _read(path)
    assert len(g) == 300
    assert [f["row"] for f in g.attrs["report"].flagged if f["issue"] == "stray_quote"] == list(range(5, 300, 50))


def test_multi_line_cells_stay_whole_in_the_careful_re_read(tmp_path):
    note = "\n".join(f"line {n} of the note" for n in range(30))
    lines = _lines(5)
    lines[1] = f'E1,2020-10-02,Kapan,39.2076,46.4068,"{note}"'
    lines[3] = "E3,2020-10-04,Kapan,39.2076,46.4068,one,field,too,many"  # sends the file to the careful reader
    path = tmp_path / "cells.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    g = _read(path)
    rep = g.attrs["report"]
    assert g["notes"].tolist() == ["note 0", note, "note 2", "note 4"]
    assert [u["line"] for u in rep.unparsed_lines] == [34]  # the header, E0, E1 on 30 lines, E2, then E3


@pytest.mark.parametrize("char", ["\u2028", "\x85", "\r", "\u2029", "\x0b"])
def test_unusual_line_breaks_survive_write_and_read(tmp_path, char):
    import geopandas as gpd
    from shapely import Point

    from geoconflict.io import write

    gdf = gpd.GeoDataFrame(
        {"location": ["Kapan", "Goris"], "notes": [f"a{char}b", "plain"]},
        geometry=[Point(46.4068, 39.2076), Point(46.3, 39.5)],
        crs=4326,
    )
    for careful in (False, True):
        path = write(gdf, tmp_path / f"breaks{careful}.csv")
        if careful:  # a broken line elsewhere sends the file through the line-by-line reader
            path.write_bytes(path.read_bytes() + b"x,y,z,1,2,3,4,5,6\r\n")
        g = _read(path)
        assert g["notes"].tolist()[:2] == [f"a{char}b", "plain"]


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-16", "Обстрел Вардениса; Վարդենիս"),
        ("utf-16-le", "Обстрел Вардениса"),
        ("utf-32", "Обстрел Вардениса"),
        ("utf-8-sig", "Обстрел Вардениса; Վարդենիս"),
        ("cp1251", "Обстрел Вардениса и Капана сообщили в министерстве обороны"),
        ("cp1252", "Défense: tirs près de Kapan déclaré par le ministère"),
    ],
)
def test_encodings_are_detected_and_named(tmp_path, encoding, text):
    lines = [HEADER] + [f"E{k},2020-10-15,Kapan,39.2076,46.4068,{text} {k}" for k in range(40)]
    data = ("\n".join(lines) + "\n").encode(encoding)
    if encoding == "utf-16-le":
        data = "\ufeff".encode("utf-16-le") + data  # a BOM, as Excel writes "Unicode text"
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(data)
    g = _read(path)
    assert g["notes"].tolist() == [f"{text} {k}" for k in range(40)]
    rep = g.attrs["report"]
    assert rep.encoding is not None
    if not encoding.startswith("utf-8"):
        assert any(n.startswith("encoding: ") for n in rep.notes), rep.notes
    assert not any("\x00" in str(v) for v in g["location"])


def test_non_utf8_bytes_after_a_utf8_start_are_detected_there(tmp_path):
    lines = [HEADER, *_lines(30000)]  # > 64 KB of ASCII before the first byte that is not UTF-8
    data = ("\n".join(lines) + "\n").encode() + "E99999,2020-10-15,Kapan,39.2,46.4,Обстрел\n".encode("cp1251")
    path = tmp_path / "late.csv"
    path.write_bytes(data)
    g = _read(path)
    assert len(g) == 30001
    assert g["notes"].iloc[-1] == "Обстрел" or "\ufffd" not in g["notes"].iloc[-1]
    assert "from byte" in " ".join(g.attrs["report"].notes)


def test_a_bom_only_file_is_a_clear_error(tmp_path):
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xef\xbb\xbf\r\n"):
        path = tmp_path / "bom.csv"
        path.write_bytes(bom)
        with pytest.raises(ValueError, match="is empty"):
            read_incidents(path)


def test_a_duplicate_column_and_a_ragged_line(tmp_path):
    path = tmp_path / "dupes.csv"
    path.write_text(
        "event_date,location,latitude,longitude,notes,notes\n"
        "2020-10-15,Kapan,39.2,46.4,a,b\n"
        "2020-10-16,Goris,39.5,46.3,c,d,e\n",
        encoding="utf-8",
    )
    g = _read(path)
    rep = g.attrs["report"]
    assert g["notes"].tolist() == ["a"] and g["notes.1"].tolist() == ["b"]
    assert [u["line"] for u in rep.unparsed_lines] == [3]
    assert any("repeated column names" in n for n in rep.notes)


@pytest.mark.parametrize("says", ["ACLED", "UCDP GED"])
def test_a_dataset_column_without_the_datasets_columns(says):
    df = pd.DataFrame(
        {"dataset": [says, "mine"], "location": ["Kapan", "Goris"], "lat": [39.2, 39.5], "lon": [46.4, 46.3]}
    )
    g = _read(df)
    assert g["dataset"].tolist() == [says, "mine"]  # data, kept per row; the columns decide the layout
    assert g["valid"].all()


def test_every_excel_sheet_with_events_is_read_and_the_others_named(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"town": ["Kapan"], "date": ["2020-10-27"]}).to_excel(xl, sheet_name="October", index=False)
        pd.DataFrame({"town": ["Goris"], "date": ["2020-11-02"]}).to_excel(xl, sheet_name="November", index=False)
        pd.DataFrame({"about": ["made by hand"]}).to_excel(xl, sheet_name="README", index=False)
    with pytest.warns(UserWarning, match="not read: sheet 'README'"):
        g = read_incidents(path, geocode=False)
    assert g["town"].tolist() == ["Kapan", "Goris"]
    assert g["sheet"].tolist() == ["October", "November"]
    assert g.attrs["report"].skipped == ["sheet 'README'"] and not g.attrs["report"].ok


@pytest.mark.parametrize(
    ("dates", "dayfirst", "expected", "flagged"),
    [
        (["10/15/2020", "11/01/2020"], None, ["2020-10-15", "2020-11-01"], False),  # month-first, shown by 15
        (["15/10/2020", "01/11/2020"], None, ["2020-10-15", "2020-11-01"], False),  # day-first, shown by 15
        (["11/01/2020", "10/02/2020"], None, ["2020-01-11", "2020-02-10"], True),  # undecided: flagged
        (["11/01/2020", "10/02/2020"], False, ["2020-11-01", "2020-10-02"], False),  # the user decides
        (["11/01/2020", "10/02/2020"], True, ["2020-01-11", "2020-02-10"], False),
        (["10/15/2020", "11/01/2020"], True, ["2020-10-15", "2020-11-01"], False),  # the values win over dayfirst
    ],
)
def test_day_and_month_order_is_decided_per_column(dates, dayfirst, expected, flagged):
    df = pd.DataFrame({"event_date": dates, "latitude": [40.1, 40.2], "longitude": [44.5, 44.6]})
    g = _read(df, dayfirst=dayfirst)
    assert [d.date().isoformat() for d in g["event_date"]] == expected
    assert all(("ambiguous_date" in i) is flagged for i in g["issues"])


def test_latitude_95_with_a_name_and_no_country_is_invalid():
    df = pd.DataFrame({"location": ["Kapan"], "latitude": [95.0], "longitude": [46.4]})
    g = _read(df)
    assert g["issues"].iloc[0] == "out_of_range" and not g["valid"].iloc[0]
    assert g.geometry.iloc[0] is None
    assert np.isnan(g["latitude"].iloc[0])


def test_a_points_geometry_wins_over_stale_properties(tmp_path):
    import geopandas as gpd
    from shapely import Point

    gdf = gpd.GeoDataFrame(
        {"location": ["Kapan", "Goris"], "latitude": [10.0, 39.5], "longitude": [10.0, 46.3]},
        geometry=[Point(46.4068, 39.2076), Point(46.3, 39.5)],
        crs=4326,
    )
    path = tmp_path / "stale.geojson"
    gdf.to_file(path)
    g = _read(path)
    assert g["latitude"].tolist() == [39.2076, 39.5]
    assert g["issues"].tolist() == ["coordinates_disagree", ""]
    assert g.geometry.iloc[0].equals(Point(46.4068, 39.2076))


def test_polygons_stay_areas_and_out_of_range_ones_are_invalid(tmp_path):
    import geopandas as gpd
    from shapely import box

    gdf = gpd.GeoDataFrame(
        {"location": ["Syunik", "Nowhere"], "event_date": ["2020-10-15", "2020-10-16"]},
        geometry=[box(45.9, 38.8, 46.6, 39.8), box(400, 380, 440, 400)],
        crs=4326,
    )
    path = tmp_path / "areas.geojson"
    gdf.to_file(path)
    g = read_incidents(path, warn=False)  # geocoding on: the area must not be replaced by the name's point
    assert g.geometry.iloc[0].equals(box(45.9, 38.8, 46.6, 39.8))
    assert g["matched_name"].isna().all()
    assert g["valid"].tolist() == [True, False]
    assert g["issues"].tolist() == ["", "out_of_range"]
    assert g.geometry.iloc[1] is None
    assert g["geo_precision"].iloc[0] == 5  # "a fuzzy area": the file states no precision


def test_a_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="is a folder"):
        read_incidents(tmp_path)


def test_exports_are_formula_safe_and_read_back_as_written(tmp_path):
    import geopandas as gpd
    from shapely import Point

    from geoconflict.io import write

    payloads = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tx", "\rx"]
    gdf = gpd.GeoDataFrame(
        {"notes": payloads, "fatalities": [-1, 2, 3, 4, 5, 6], "code": ["-12.5"] * 6},
        geometry=[Point(44.5, 40.1)] * 6,
        crs=4326,
    )
    csv_path = write(gdf, tmp_path / "x.csv")
    with open(csv_path, encoding="utf-8", newline="") as fh:
        cells = list(csv.reader(fh))
    assert [row[0] for row in cells[1:]] == ["'" + p for p in payloads]
    assert [row[1] for row in cells[1:]][:1] == ["-1"] and cells[1][2] == "-12.5"  # numbers stay numbers
    raw = write(gdf, tmp_path / "raw.csv", formula_safe=False).read_text(encoding="utf-8")
    assert '"=HYPERLINK(""http://evil.example"",""x"")"' in raw
    import openpyxl

    sheet = openpyxl.load_workbook(write(gdf, tmp_path / "x.xlsx")).active
    values = [sheet.cell(row=r, column=1).value for r in range(2, 8)]
    assert all(v.startswith("'") for v in values), values
    assert sheet.cell(row=2, column=1).data_type == "s"  # text, not a formula
    assert sheet.cell(row=2, column=2).value == -1
    kml = write(gdf, tmp_path / "x.kml").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in kml and ">=HYPERLINK" not in kml
    for path in (csv_path, tmp_path / "x.xlsx"):
        assert _read(path)["notes"].tolist()[:5] == payloads[:5]
