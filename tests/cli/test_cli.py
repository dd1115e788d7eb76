import json
import subprocess
import sys

import pytest

from geoconflict.cli import main


def test_geocode_json(capsys, gazetteer):
    assert main(["geocode", "Orduba", "Naxçıvan", "--country", "AZ", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["matches"][0]["name"] for r in out] == ["Ordubad", "Naxçıvan"]
    assert all(0 < r["matches"][0]["score"] <= 1 for r in out)


def test_geocode_unresolved_name_reported_and_exit_1(capsys, gazetteer):
    assert main(["geocode", "Yerevan", "Zzyzzyqx"]) == 1
    captured = capsys.readouterr()
    assert "Yerevan" in captured.out
    assert "Zzyzzyqx\tUNRESOLVED" in captured.out
    assert "1 of 2 names unresolved" in captured.err


def test_geocode_candidates(capsys, gazetteer):
    assert main(["geocode", "Armavir", "--limit", "3"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3 and "(RU" in lines[0]


def test_geocode_bad_country_is_a_clear_error(capsys, gazetteer):
    assert main(["geocode", "Yerevan", "--country", "Atlantis"]) == 2
    assert "unknown country" in capsys.readouterr().err


@pytest.mark.parametrize("module", ["geopandas", "folium", "pandas", "dask"])
def test_import_and_resolve_stay_light(module, gazetteer):
    code = (
        "import sys, geoconflict\n"
        "geoconflict.Gazetteer.default().resolve('Orduba')\n"
        f"print({module!r} in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_console_script_reads_stdin(gazetteer):
    out = subprocess.run(
        [sys.executable, "-m", "geoconflict", "geocode", "-", "--country", "Armenia"],
        input="Talin\nGarni\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Talin" in out and "Garni" in out and "(AM, town)" in out


def test_geoparse_cli_table_and_files(tmp_path, gazetteer):
    article = tmp_path / "a.txt"
    article.write_text("A missile hit the area near Orduba, in Azerbaijan's Nakhchivan region.", encoding="utf-8")
    assert main(["geoparse", str(article), "-o", str(tmp_path / "m.geojson")]) == 0
    import geopandas as gpd

    g = gpd.read_file(tmp_path / "m.geojson")
    assert list(g["mention"]) == ["Orduba", "Azerbaijan", "Nakhchivan region"]
    assert set(g["source"]) == {str(article)}


def test_geoparse_cli_reads_non_utf8(tmp_path, capsys, gazetteer):
    article = tmp_path / "latin1.txt"
    article.write_bytes("Shelling near Kapan – and in Goris.".encode("cp1252"))
    assert main(["geoparse", str(article), "--csv"]) == 0
    captured = capsys.readouterr()
    assert "not UTF-8" in captured.err
    assert "Kapan" in captured.out
    assert "Goris" in captured.out


def test_geoparse_cli_missing_file(capsys):
    assert main(["geoparse", "/nonexistent/article.txt"]) == 2
    assert "No such file" in capsys.readouterr().err


def test_shapefile_refuses_mixed_geometries(tmp_path, capsys, gazetteer):
    article = tmp_path / "a.txt"
    article.write_text("Fighting in Nagorno-Karabakh spread to Kapan.", encoding="utf-8")
    assert main(["geoparse", str(article), "-o", str(tmp_path / "m.shp")]) == 2
    assert "one geometry type" in capsys.readouterr().err
    assert main(["geoparse", str(article), "--points", "-o", str(tmp_path / "m.shp")]) == 0


def test_extract_cli_with_zone(tmp_path, capsys, gazetteer):
    article = tmp_path / "a.txt"
    article.write_text(
        "Azerbaijan's Defence Ministry said a missile fired by Armenian forces hit the area near Orduba, "
        "in Azerbaijan's Nakhchivan region, on Thursday. Armenia's Defence Ministry denied it.",
        encoding="utf-8",
    )
    assert main(["extract", str(article), "--date", "2020-10-16", "--zone", "Nagorno-Karabakh"]) == 0
    out = capsys.readouterr().out
    assert "2020-10-15\tOrduba → Ordubad" in out
    assert "outside" in out
    assert main(["extract", str(article), "--date", "2020-10-16", "-o", str(tmp_path / "i.geojson")]) == 0
    import geopandas as gpd

    g = gpd.read_file(tmp_path / "i.geojson")
    assert g["claim_status"].tolist() == ["disputed"]


def test_extract_cli_bad_date(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("Shelling hit Tartar.", encoding="utf-8")
    assert main(["extract", str(article), "--date", "someday"]) == 2
    assert "not a date" in capsys.readouterr().err


def test_version(capsys):
    import geoconflict

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"geoconflict {geoconflict.__version__}"


def test_shared_options_take_the_library_defaults():
    """One default per option, from the library's settings: fetch, join and map agree."""
    from geoconflict import settings
    from geoconflict.cli import build_parser

    parser = build_parser()
    fetch = parser.parse_args(["boundaries", "fetch", "ARM"])
    join = parser.parse_args(["join", "e.csv", "--boundaries", "ARM", "-o", "x.gpkg"])
    mapped = parser.parse_args(["map", "e.csv", "--boundaries", "ARM"])
    for args in (fetch, join, mapped):
        assert args.timeout == settings.NETWORK_TIMEOUT_S
        assert args.retries == settings.NETWORK_RETRIES
        assert args.cache_dir is None and args.base_url is None
    assert join.tolerance_m == settings.TOLERANCE_M
    assert parser.parse_args(["map", "e.csv", "--cache-dir", "/tmp/c"]).cache_dir == "/tmp/c"


def test_every_command_has_its_module():
    from geoconflict.cli import COMMANDS, build_parser

    names = {c.__name__.rsplit(".", 1)[1] for c in COMMANDS}
    assert names == {"geocode", "geoparse", "extract", "boundaries", "join", "map", "sync", "events"}
    for command in ("geocode", "geoparse", "extract", "boundaries", "join", "map", "sync", "events"):
        with pytest.raises(SystemExit):
            build_parser().parse_args([command, "--help"])
