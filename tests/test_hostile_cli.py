"""The command line on broken input: exit status 2 and one line that says what is wrong and what to do.

Exit status 1 stays reserved for "a name is unresolved" in ``geocode``; no traceback escapes.
"""

from __future__ import annotations

import io
import sys

import pytest

from geoconflict.cli import main

EVENTS = "event_date,location,latitude,longitude\n2020-10-15,Kapan,39.2076,46.4068\n"


@pytest.fixture
def events(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS, encoding="utf-8")
    return path


def _fails_clearly(capsys, argv, *needles):
    assert main([str(a) for a in argv]) == 2
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if not line.startswith("warning:")]
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_zone_file_that_is_a_folder(capsys, tmp_path, events):
    _fails_clearly(capsys, ["map", events, "--zone-file", tmp_path, "-o", tmp_path / "m.html"], "is a folder")


def test_zone_file_that_is_a_table(capsys, tmp_path, events):
    _fails_clearly(capsys, ["map", events, "--zone-file", events, "-o", tmp_path / "m.html"], "outline", "--zone NAME")


def test_zone_file_that_is_not_an_outline(capsys, tmp_path, events):
    bad = tmp_path / "zone.geojson"
    bad.write_text("not json at all", encoding="utf-8")
    _fails_clearly(capsys, ["map", events, "--zone-file", bad, "-o", tmp_path / "m.html"], "--zone-file")


def test_boundaries_that_are_a_folder(capsys, tmp_path, events):
    _fails_clearly(capsys, ["join", events, "--boundaries", tmp_path, "-o", tmp_path / "j.gpkg"], "is a folder")


def test_boundaries_in_metres_name_the_option(capsys, tmp_path, events):
    import geopandas as gpd
    from shapely import box

    units = gpd.GeoDataFrame({"name": ["Box"], "code": ["B"]}, geometry=[box(44, 39, 47, 40)], crs=4326)
    path = tmp_path / "metres.geojson"
    path.write_text(units.to_crs(32638).set_crs(None, allow_override=True).to_json(), encoding="utf-8")
    argv = ["join", events, "--boundaries", path, "--level", "1", "--no-name-check", "-o", tmp_path / "j.gpkg"]
    _fails_clearly(capsys, argv, "--boundaries-crs")
    assert main([str(a) for a in [*argv, "--boundaries-crs", "EPSG:32638"]]) == 0


def test_output_on_a_full_device(capsys, tmp_path, events):
    if not __import__("os").path.exists("/dev/full"):
        pytest.skip("needs /dev/full (Linux)")
    _fails_clearly(capsys, ["map", events, "--tiles", "none", "-o", "/dev/full"], "No space left", "/dev/full")
    _fails_clearly(capsys, ["join", events, "--boundaries", events, "-o", "/dev/full"])


def test_output_under_an_existing_file(capsys, tmp_path, events):
    article = tmp_path / "a.txt"
    article.write_text("Shelling hit Kapan.", encoding="utf-8")
    _fails_clearly(capsys, ["geoparse", article, "-o", events / "out.geojson"], "is a file, not a folder")
    _fails_clearly(capsys, ["map", events, "--tiles", "none", "-o", events / "m.html"])


def test_engine_dask_without_dask(capsys, tmp_path, events, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if "dask" in name else real(name, *a))
    argv = ["join", events, "--boundaries", events, "--engine", "dask", "-o", tmp_path / "j.gpkg"]
    _fails_clearly(capsys, argv, "pip install 'geoconflict[scale]'")


def test_cache_dir_that_is_a_file(capsys, tmp_path, events):
    _fails_clearly(capsys, ["boundaries", "fetch", "ARM", "--cache-dir", events], "--cache-dir", "is a file")
    argv = ["join", events, "--boundaries", "ARM", "--cache-dir", events, "-o", tmp_path / "j.gpkg"]
    _fails_clearly(capsys, argv, "is a file")


def test_bom_only_and_broken_tables(capsys, tmp_path):
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf")
    _fails_clearly(capsys, ["map", bom, "-o", tmp_path / "m.html"], "is empty")


def test_all_null_boundary_geometries(capsys, tmp_path, events):
    path = tmp_path / "empty.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null, '
        '"properties": {"shapeName": "A", "shapeISO": "AM-AG", "shapeGroup": "ARM", "shapeType": "ADM1"}}]}',
        encoding="utf-8",
    )
    argv = ["join", events, "--boundaries", path, "--no-name-check", "-o", tmp_path / "j.gpkg"]
    _fails_clearly(capsys, argv, "no boundary unit has a geometry")


def test_geocode_stdin_that_is_not_utf8(capsys, monkeypatch, gazetteer):
    stdin = io.TextIOWrapper(io.BytesIO("Капан\nЕреван\n".encode("cp1251")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    code = main(["geocode", "-"])
    captured = capsys.readouterr()
    assert code in (0, 1)  # resolved or unresolved: never a decoding failure
    assert "read as cp1251" in captured.err
    assert "Капан" in captured.out and "Traceback" not in captured.err


def test_geocode_unresolved_is_still_1(capsys, gazetteer):
    assert main(["geocode", "Zzyzzyqx"]) == 1


@pytest.mark.parametrize(("missing", "hint"), [("xlrd", "pip install xlrd"), ("dask_geopandas", "geoconflict[scale]")])
def test_a_missing_package_is_exit_2_with_what_to_install(capsys, monkeypatch, tmp_path, missing, hint):
    import geoconflict.cli.join as join_command

    def run(args):
        raise ModuleNotFoundError(f"No module named {missing!r}", name=missing)

    monkeypatch.setattr(join_command, "run", run)
    _fails_clearly(capsys, ["join", "x.csv", "--boundaries", "ARM", "-o", tmp_path / "j.gpkg"], hint)
