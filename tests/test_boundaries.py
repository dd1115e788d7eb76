"""load_boundaries: schemas, real geoBoundaries/Natural Earth files, checks, parents, the geoBoundaries download."""

import contextlib
import functools
import hashlib
import http.server
import json
import socket
import threading
import warnings
from pathlib import Path

import geopandas as gpd
import pytest
from shapely import Polygon, box

from geoconflict.boundaries import (
    SCHEMA,
    BoundaryDownloadError,
    BoundaryWarning,
    fetch_geoboundaries,
    load_boundaries,
    normalize_schema,
)
from geoconflict.cli import build_parser

from conftest import REPO, shared_file

GB = ("boundaries", "geoboundaries")
AZE_ADM2 = (*GB, "AZE", "geoBoundaries-AZE-ADM2.geojson")
AZE_ADM1 = (*GB, "AZE", "geoBoundaries-AZE-ADM1_simplified.geojson")
ARM_ADM1 = (*GB, "ARM", "geoBoundaries-ARM-ADM1_simplified.geojson")
NE_ADM0 = ("boundaries", "naturalearth", "ne_50m_admin_0_countries_caucasus.geojson")
NAKHCHIVAN_UNITS = [
    "Babek District",
    "Julfa District",
    "Kangarli District",
    "Ordubad District",
    "Sadarak District",
    "Shahbuz District",
    "Sharur District",
    "Nakhchivan City",
]


def _frame(props: dict, geoms=None):
    n = len(next(iter(props.values())))
    geoms = geoms or [box(44 + i, 39, 44.9 + i, 40) for i in range(n)]
    return gpd.GeoDataFrame(props, geometry=geoms, crs=4326)


def _quiet_load(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BoundaryWarning)
        return load_boundaries(*args, **kwargs)


# --------------------------------------------------------------------- schemas
@pytest.mark.parametrize(
    ("props", "expected"),
    [
        pytest.param(
            {
                "shapeName": ["Syunik"],
                "shapeISO": ["AM-SU"],
                "shapeID": ["s1"],
                "shapeGroup": ["ARM"],
                "shapeType": ["ADM1"],
            },
            (1, "Syunik", "AM-SU", "AM", "Armenia", "AM"),
            id="geoboundaries-iso",
        ),
        pytest.param(
            {
                "shapeName": ["Ordubad District"],
                "shapeISO": ["AZE"],
                "shapeID": ["id-9"],
                "shapeGroup": ["AZE"],
                "shapeType": ["ADM2"],
            },
            (2, "Ordubad District", "id-9", None, None, "AZ"),
            id="geoboundaries-shapeid",
        ),
        pytest.param(
            {"GID_0": ["AZE"], "COUNTRY": ["Azerbaijan"], "GID_1": ["AZE.44_1"], "NAME_1": ["Naxçıvan"]},
            (1, "Naxçıvan", "AZE.44_1", "AZ", "Azerbaijan", "AZ"),
            id="gadm-1",
        ),
        pytest.param(
            {
                "GID_0": ["AZE"],
                "NAME_0": ["Azerbaijan"],
                "GID_1": ["AZE.44_1"],
                "NAME_1": ["Naxçıvan"],
                "GID_2": ["AZE.44.6_1"],
                "NAME_2": ["Ordubad"],
            },
            (2, "Ordubad", "AZE.44.6_1", "AZE.44_1", "Naxçıvan", "AZ"),
            id="gadm-2",
        ),
        pytest.param(
            {
                "ADM0_EN": ["Armenia"],
                "ADM0_PCODE": ["AM"],
                "ADM1_EN": ["Syunik"],
                "ADM1_PCODE": ["AM09"],
                "ADM2_EN": ["Kapan"],
                "ADM2_PCODE": ["AM0901"],
            },
            (2, "Kapan", "AM0901", "AM09", "Syunik", "AM"),
            id="cod-ab-2",
        ),
        pytest.param(
            {"ADM0_FR": ["Mali"], "ADM0_PCODE": ["ML"], "ADM1_FR": ["Gao"], "ADM1_PCODE": ["ML07"]},
            (1, "Gao", "ML07", "ML", "Mali", "ML"),
            id="cod-ab-french",
        ),
        pytest.param(
            {"featurecla": ["Admin-0 country"], "ADMIN": ["Azerbaijan"], "ISO_A2": ["AZ"], "ADM0_A3": ["AZE"]},
            (0, "Azerbaijan", "AZ", None, None, "AZ"),
            id="naturalearth-0",
        ),
        pytest.param(
            {"featurecla": ["Admin-0 country"], "ADMIN": ["France"], "ISO_A2": ["-99"], "ADM0_A3": ["FRA"]},
            (0, "France", "FR", None, None, "FR"),
            id="naturalearth-0-no-iso-a2",
        ),
        pytest.param(
            {
                "featurecla": ["Admin-0 breakaway and disputed"],
                "ADMIN": ["Azerbaijan"],
                "BRK_NAME": ["Nagorno-Karabakh"],
                "BRK_A3": ["B38"],
                "ISO_A2": ["-99"],
                "SOV_A3": ["AZE"],
                "ADM0_A3": ["AZE"],
            },
            (0, "Nagorno-Karabakh", "B38", None, None, "AZ"),
            id="naturalearth-breakaway",
        ),
        pytest.param(
            {
                "featurecla": ["Admin-1 states provinces"],
                "name": ["Syunik"],
                "adm1_code": ["ARM-1750"],
                "iso_3166_2": ["AM-SU"],
                "iso_a2": ["AM"],
                "admin": ["Armenia"],
            },
            (1, "Syunik", "AM-SU", "AM", "Armenia", "AM"),
            id="naturalearth-1",
        ),
    ],
)
def test_schema_normalisation(props, expected):
    raw = _frame(props)
    out = normalize_schema(raw)
    assert list(out.columns) == SCHEMA
    row = out.iloc[0]
    got = tuple(None if (v != v or v is None) else (int(v) if k == "admin_level" else v) for k, v in row.items())[:-1]
    assert got == expected
    assert list(raw.columns) == [*props, "geometry"]  # input untouched


def test_generic_layout_needs_a_level_and_a_name():
    raw = _frame({"name": ["Somewhere"], "code": ["X1"]})
    with pytest.raises(ValueError, match="level"):
        normalize_schema(raw)
    assert normalize_schema(raw, level=3)["admin_level"].tolist() == [3]
    with pytest.raises(ValueError, match="cannot tell which column"):
        normalize_schema(_frame({"foo": ["bar"]}), level=1)


def test_level_contradicting_the_file_is_an_error():
    raw = _frame(
        {"shapeName": ["Syunik"], "shapeISO": ["AM-SU"], "shapeID": ["s"], "shapeGroup": ["ARM"], "shapeType": ["ADM1"]}
    )
    with pytest.raises(ValueError, match="level 1, not level 2"):
        normalize_schema(raw, level=2)


def test_projected_input_comes_back_in_wgs84():
    raw = _frame({"name": ["Box"], "code": ["B"]}).to_crs(32638)
    out = normalize_schema(raw, level=1)
    assert out.crs.to_epsg() == 4326
    assert out.total_bounds == pytest.approx([44, 39, 44.9, 40], abs=1e-6)


# --------------------------------------------------------------------- real files
def test_shared_files_are_the_ones_the_tests_expect():
    manifest = json.loads((REPO / "data" / "boundaries" / "sources.json").read_text(encoding="utf-8"))
    for entry in manifest["test_files"]:
        path = shared_file(*entry["path"].split("/"))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest == entry["sha256"], f"{path} changed (sha256 {digest}); update data/boundaries/sources.json"


def test_geoboundaries_aze_adm2_with_nakhchivan_parents(gazetteer):
    path = shared_file(*AZE_ADM2)
    with warnings.catch_warnings():
        warnings.simplefilter("error", BoundaryWarning)  # no false name contradictions in this set
        adm2 = load_boundaries(path)
    assert len(adm2) == 79
    assert set(adm2["admin_level"]) == {2}
    assert set(adm2["country_code"]) == {"AZ"}
    assert adm2.geometry.is_valid.all()
    nx = adm2[adm2["parent_code"] == "AZ-NX"]
    assert sorted(nx["name"]) == sorted(NAKHCHIVAN_UNITS)
    assert set(nx["parent_name"]) == {"Nakhchivan Autonomous Republic"}
    report = adm2.attrs["boundaries"]
    assert report["parents"]["table"] == 8
    assert report["parents"]["missing"] == 71
    assert report["name_conflicts"] == []
    assert report["sources"] == [{"source": str(path)}]


@pytest.mark.parametrize("parts", [ARM_ADM1, NE_ADM0], ids=["arm-adm1", "ne-admin0"])
def test_consistent_files_raise_no_name_warning(parts, gazetteer):
    with warnings.catch_warnings():
        warnings.simplefilter("error", BoundaryWarning)
        units = load_boundaries(shared_file(*parts))
    assert units.attrs["boundaries"]["name_conflicts"] == []


def test_swapped_aze_adm1_names_are_reported_not_fixed(gazetteer):
    path = shared_file(*AZE_ADM1)
    with pytest.warns(BoundaryWarning, match="contradict the gazetteer") as record:
        adm1 = load_boundaries(path)
    message = str(record[0].message)
    assert "'Nakhchivan Autonomous Republic' (AZ-NX" in message
    assert "'Contiguous Azerbaijan' (AZ-CAZ)" in message
    # the data is kept exactly as published: the exclave polygon still says "Contiguous Azerbaijan"
    raw = gpd.read_file(path)
    assert adm1["name"].tolist() == raw["shapeName"].tolist()
    exclave = adm1.to_crs(6933).area.idxmin()
    assert adm1.loc[exclave, "name"] == "Contiguous Azerbaijan"
    (conflict,) = adm1.attrs["boundaries"]["name_conflicts"]
    assert (conflict["unit"], conflict["in_unit"]) == ("Nakhchivan Autonomous Republic", "Contiguous Azerbaijan")
    assert conflict["distance_km"] > 50


def test_two_swapped_names_are_called_swapped(gazetteer):
    arm = normalize_schema(gpd.read_file(shared_file(*ARM_ADM1)))
    names = arm["name"].tolist()
    i, j = names.index("Syunik"), names.index("Tavush")
    names[i], names[j] = names[j], names[i]
    arm["name"] = names
    with pytest.warns(BoundaryWarning, match="'Syunik' and 'Tavush' look swapped|'Tavush' and 'Syunik' look swapped"):
        load_boundaries(arm)


def test_several_levels_form_a_hierarchy(gazetteer):
    both = _quiet_load([shared_file(*AZE_ADM1), shared_file(*AZE_ADM2)])
    assert both["admin_level"].value_counts().to_dict() == {2: 79, 1: 2}
    adm1_codes = set(both.loc[both["admin_level"] == 1, "code"])
    adm2 = both[both["admin_level"] == 2]
    assert set(adm2["parent_code"]) <= adm1_codes
    assert both.attrs["boundaries"]["parents"]["loaded"] == 79
    # the parent is the polygon's, named as the file names it (swapped upstream)
    assert adm2.set_index("name").loc["Ordubad District", "parent_name"] == "Contiguous Azerbaijan"


def test_level_filter_on_a_file(gazetteer):
    path = shared_file(*ARM_ADM1)
    assert len(_quiet_load(path, level=1)) == 11
    with pytest.raises(ValueError, match="level 1"):
        load_boundaries(path, level=2, check_names=False)


@pytest.mark.parametrize("ext", ["gpkg", "shp", "fgb", "parquet"])
def test_any_format_pyogrio_reads(tmp_path, ext):
    raw = gpd.read_file(shared_file(*ARM_ADM1))
    path = tmp_path / f"arm.{ext}"
    if ext == "parquet":
        raw.to_parquet(path)
    else:
        raw.to_file(path, engine="pyogrio")
    units = load_boundaries(path, check_names=False)
    assert sorted(units["name"]) == sorted(raw["shapeName"])
    assert set(units["code"]) == set(raw["shapeISO"])


def test_every_polygon_layer_of_a_geopackage(tmp_path):
    path = tmp_path / "two.gpkg"
    gpd.read_file(shared_file(*NE_ADM0)).to_file(path, layer="countries", engine="pyogrio")
    gpd.read_file(shared_file(*ARM_ADM1)).to_file(path, layer="arm_adm1", engine="pyogrio")
    units = load_boundaries(path, check_names=False)
    assert units["admin_level"].value_counts().to_dict() == {1: 11, 0: 5}
    assert len(load_boundaries(path, level=0, check_names=False)) == 5


def test_invalid_geometry_is_repaired_and_reported(tmp_path):
    bowtie = Polygon([(45, 39), (46, 40), (46, 39), (45, 40)])
    path = tmp_path / "bad.geojson"
    _frame({"name": ["Bowtie", "Square"], "code": ["B", "S"]}, [bowtie, box(47, 39, 48, 40)]).to_file(path)
    with pytest.warns(BoundaryWarning, match=r"repaired 1 invalid boundary geometry with make_valid: 'Bowtie' \(B\)"):
        units = load_boundaries(path, level=1, check_names=False)
    assert units.geometry.is_valid.all()
    assert units.geometry.iloc[0].geom_type == "MultiPolygon"
    assert units.geometry.iloc[0].area == pytest.approx(0.5)
    assert units.attrs["boundaries"]["repaired"][0]["reason"].startswith("Self-intersection")


def test_warnings_point_at_the_callers_line():
    # the checks run several named steps deep; the warning names the line that called geoconflict
    no_crs = gpd.GeoDataFrame({"name": ["A"]}, geometry=[box(44, 39, 45, 40)])
    bowtie = _frame({"name": ["Bowtie"], "code": ["B"]}, [Polygon([(45, 39), (46, 40), (46, 39), (45, 40)])])
    calls = [
        lambda: normalize_schema(no_crs, level=1),
        lambda: load_boundaries(no_crs, level=1, check_names=False),
        lambda: load_boundaries(bowtie, level=1, check_names=False),
    ]
    for call in calls:
        with pytest.warns(BoundaryWarning) as record:
            call()
        assert [Path(w.filename).resolve() for w in record] == [Path(__file__).resolve()]


def test_non_polygons_are_refused():
    lines = gpd.GeoDataFrame(
        {"name": ["a"], "code": ["a"]}, geometry=gpd.GeoSeries.from_wkt(["LINESTRING (0 0, 1 1)"]), crs=4326
    )
    with pytest.raises(ValueError, match="must be polygons"):
        load_boundaries(lines, level=1, check_names=False)


def test_parent_from_iso_3166_2_when_no_table_row():
    gironde = _frame(
        {
            "shapeName": ["Gironde"],
            "shapeISO": ["FR-33"],
            "shapeID": ["g"],
            "shapeGroup": ["FRA"],
            "shapeType": ["ADM2"],
        },
        [box(-1.3, 44.2, 0.3, 45.6)],
    )
    units = load_boundaries(gironde, check_names=False)
    assert units[["parent_code", "parent_name"]].iloc[0].tolist() == ["FR-NAQ", "Nouvelle-Aquitaine"]
    assert units.attrs["boundaries"]["parents"]["iso3166"] == 1


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="ISO 3166-1 alpha-3"):
        load_boundaries(tmp_path / "nope.geojson")


# --------------------------------------------------------------------- download
class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):
        state = self.server.state
        state["requests"].append(self.path)
        route = state["routes"].get(self.path)
        if route:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up, as it should
                route(self)
            return
        faults = state["faults"].get(self.path)
        if faults:
            self.send_error(faults.pop(0))
            return
        super().do_GET()


@pytest.fixture
def gb_server(tmp_path):
    """A loopback geoBoundaries API serving the real shared files, with metadata written here."""
    root = tmp_path / "www"
    files = root / "files"
    files.mkdir(parents=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    server.state = {"requests": [], "faults": {}, "routes": {}}
    base = f"http://127.0.0.1:{server.server_port}"

    def publish(iso3, level, parts, *, count=None, simplified=True, body=None, url=None, **extra):
        name = Path(parts[-1]).name
        target = files / f"{iso3}-{level}-{name}"
        if body is not None:
            target.write_bytes(body)
        elif not target.exists():  # published again (another link to the same file)
            target.symlink_to(shared_file(*parts))
        url = url or f"{base}/files/{target.name}"
        meta = {
            "boundaryISO": iso3,
            "boundaryType": f"ADM{level}",
            "boundaryLicense": "test licence",
            "gjDownloadURL": url,
            "admUnitCount": str(count) if count is not None else "",
        }
        if simplified:
            meta["simplifiedGeometryGeoJSON"] = url
        meta.update(extra)
        d = root / "api" / "gbOpen" / iso3 / f"ADM{level}"
        d.mkdir(parents=True, exist_ok=True)
        (d / "index.html").write_text(json.dumps(meta), encoding="utf-8")
        return f"/files/{target.name}"

    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield {
        "base_url": f"{base}/api",
        "root": base,
        "port": server.server_port,
        "publish": publish,
        "state": server.state,
        "cache": tmp_path / "cache",
    }
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_download_cache_and_offline_reuse(gb_server, closed_port, gazetteer):
    gb_server["publish"]("AZE", 2, AZE_ADM2, count=79, simplified=False)
    opts = {"cache_dir": gb_server["cache"], "retries": 0}
    adm2 = load_boundaries("AZE", level=2, base_url=gb_server["base_url"], **opts)
    assert len(adm2) == 79
    assert adm2.attrs["boundaries"]["sources"][0]["licence"] == "test licence"
    cached = Path(adm2.attrs["boundaries"]["sources"][0]["path"])
    assert cached.read_bytes() == shared_file(*AZE_ADM2).read_bytes()
    meta = json.loads(cached.with_suffix(".meta.json").read_text())
    assert meta["features"] == 79
    assert meta["sha256"] == hashlib.sha256(cached.read_bytes()).hexdigest()
    assert not list(cached.parent.glob("*.part"))
    # offline afterwards: the API is unreachable, the cached file answers
    n = len(gb_server["state"]["requests"])
    again = load_boundaries("aze", level=2, base_url=f"http://127.0.0.1:{closed_port}", **opts)
    assert again["name"].tolist() == adm2["name"].tolist()
    assert len(gb_server["state"]["requests"]) == n


def test_download_several_countries(gb_server, gazetteer):
    gb_server["publish"]("AZE", 1, AZE_ADM1, count=2)
    gb_server["publish"]("ARM", 1, ARM_ADM1, count=11)
    with pytest.warns(BoundaryWarning, match="Contiguous Azerbaijan"):
        units = load_boundaries(["AZE", "ARM"], base_url=gb_server["base_url"], cache_dir=gb_server["cache"])
    assert units["country_code"].value_counts().to_dict() == {"AM": 11, "AZ": 2}


def test_unreachable_api_fails_fast_and_says_what_to_do(closed_port, tmp_path):
    # a refused connection is an error after the configured attempts, not a hang (no timing is asserted)
    with pytest.raises(BoundaryDownloadError) as err:
        load_boundaries("AZE", level=1, base_url=f"http://127.0.0.1:{closed_port}", cache_dir=tmp_path)
    message = str(err.value)
    assert "could not reach the geoBoundaries API" in message
    assert "3 attempt(s)" in message
    assert "load_boundaries('path/to/" in message and "--boundaries FILE" in message
    assert not any(tmp_path.rglob("*.geojson"))


def test_server_error_is_retried(gb_server):
    gb_server["publish"]("ARM", 1, ARM_ADM1, count=11)
    gb_server["state"]["faults"]["/api/gbOpen/ARM/ADM1/"] = [503]
    path = fetch_geoboundaries(
        "ARM", 1, base_url=gb_server["base_url"], cache_dir=gb_server["cache"], retries=1, backoff=0
    )
    assert gb_server["state"]["requests"].count("/api/gbOpen/ARM/ADM1/") == 2
    assert len(gpd.read_file(path)) == 11


@pytest.mark.parametrize(
    ("publish", "fault", "match"),
    [
        pytest.param(
            {"body": b'{"type": "FeatureCollection", "features": [{"type": '}, None, "valid JSON", id="truncated"
        ),
        pytest.param({"count": 12}, None, "holds 11 units but the geoBoundaries metadata announces 12", id="count"),
        pytest.param({"body": b'{"type": "Topology"}'}, None, "not .*FeatureCollection", id="not-geojson"),
        pytest.param(
            {"body": b"version https://git-lfs.github.com/spec/v1\noid sha256:00\n"},
            None,
            "Git LFS pointer",
            id="lfs-pointer",
        ),
        pytest.param({"count": 11}, 404, "has no gbOpen ADM1 boundaries for ARM", id="404"),
        pytest.param({"count": 11}, 500, "HTTP 500", id="500"),
    ],
)
def test_bad_downloads_are_refused_and_leave_nothing(gb_server, publish, fault, match):
    gb_server["publish"]("ARM", 1, ARM_ADM1, **publish)
    if fault:
        gb_server["state"]["faults"]["/api/gbOpen/ARM/ADM1/"] = [fault, fault]
    with pytest.raises(BoundaryDownloadError, match=match):
        fetch_geoboundaries(
            "ARM", 1, base_url=gb_server["base_url"], cache_dir=gb_server["cache"], retries=1, backoff=0
        )
    assert not [p for p in gb_server["cache"].rglob("*") if p.is_file()]


def test_damaged_cache_is_downloaded_again(gb_server):
    gb_server["publish"]("ARM", 1, ARM_ADM1, count=11)
    opts = {"base_url": gb_server["base_url"], "cache_dir": gb_server["cache"], "retries": 0}
    path = fetch_geoboundaries("ARM", 1, **opts)
    path.write_bytes(path.read_bytes()[:-10])
    assert fetch_geoboundaries("ARM", 1, **opts) == path
    assert path.read_bytes() == shared_file(*ARM_ADM1).read_bytes()
    assert len([r for r in gb_server["state"]["requests"] if r.startswith("/files/")]) == 2


def test_cli_boundaries_fetch(gb_server, closed_port, capsys):
    gb_server["publish"]("ARM", 1, ARM_ADM1, count=11)
    parser = build_parser()
    args = parser.parse_args(
        [
            "boundaries",
            "fetch",
            "ARM",
            "--level",
            "1",
            "--base-url",
            gb_server["base_url"],
            "--cache-dir",
            str(gb_server["cache"]),
        ]
    )
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("ARM\tADM1\t11 units\t") and "licence: test licence" in out
    args = parser.parse_args(
        [
            "boundaries",
            "fetch",
            "AZE",
            "--base-url",
            f"http://127.0.0.1:{closed_port}",
            "--cache-dir",
            str(gb_server["cache"]),
            "--retries",
            "0",
        ]
    )
    assert args.func(args) == 1
    assert "could not reach the geoBoundaries API" in capsys.readouterr().err


# --------------------------------------------------------------------- download integrity (hostile servers)
def _fetch(gb_server, **options):
    opts = {"base_url": gb_server["base_url"], "cache_dir": gb_server["cache"], "retries": 0, "backoff": 0}
    return fetch_geoboundaries("ARM", 1, **{**opts, **options})


def _nothing_cached(gb_server) -> bool:
    return not [p for p in gb_server["cache"].rglob("*") if p.is_file()]


def _tampered() -> bytes:
    """The real ARM ADM1 file with one coordinate moved: same units, same size, different bytes."""
    raw = shared_file(*ARM_ADM1).read_bytes()
    doc = json.loads(raw)
    doc["features"][0]["properties"]["shapeName"] = "Somewhere else"
    return json.dumps(doc).encode()


def test_a_file_not_matching_the_published_hash_is_refused(gb_server):
    real = hashlib.sha256(shared_file(*ARM_ADM1).read_bytes()).hexdigest()
    gb_server["publish"]("ARM", 1, ARM_ADM1, count=11, body=_tampered(), sha256=real)
    with pytest.raises(BoundaryDownloadError, match="does not match its published SHA-256"):
        _fetch(gb_server)
    assert _nothing_cached(gb_server)


def test_the_published_hash_is_checked_and_recorded(gb_server):
    real = hashlib.sha256(shared_file(*ARM_ADM1).read_bytes()).hexdigest()
    gb_server["publish"]("ARM", 1, ARM_ADM1, count=11, simplifiedGeometryGeoJSONSHA256=real)
    path = _fetch(gb_server)
    assert json.loads(path.with_suffix(".meta.json").read_text())["sha256"] == real
    with pytest.raises(BoundaryDownloadError, match="published SHA-256"):  # the caller's own hash too
        _fetch(gb_server, refresh=True, sha256="0" * 64)


def test_a_cached_file_changed_in_place_is_downloaded_again(gb_server):
    gb_server["publish"]("ARM", 1, ARM_ADM1, count=11)
    path = _fetch(gb_server)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1  # same size, one bit
    path.write_bytes(bytes(data))
    assert _fetch(gb_server).read_bytes() == shared_file(*ARM_ADM1).read_bytes()


def _redirect_to(location):
    def route(handler):
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return route


def test_a_redirect_to_another_host_is_refused_unless_allowed(gb_server):
    real = gb_server["publish"]("ARM", 1, ARM_ADM1, count=11)
    foreign = f"http://localhost:{gb_server['port']}{real}"  # same server, another host name
    gb_server["state"]["routes"]["/files/moved"] = _redirect_to(foreign)
    gb_server["publish"]("ARM", 1, ARM_ADM1, count=11, url=f"{gb_server['root']}/files/moved")
    with pytest.raises(BoundaryDownloadError, match="redirects to another host, 'localhost': refused"):
        _fetch(gb_server)
    assert _nothing_cached(gb_server)
    path = _fetch(gb_server, allow_hosts=["localhost"])
    assert json.loads(path.with_suffix(".meta.json").read_text())["url"] == foreign  # where it really came from


@pytest.mark.parametrize("link", ["file:///etc/passwd", "data:application/json,{}", "ftp://example.org/x.geojson"])
def test_links_that_are_not_http_are_a_clear_error(gb_server, link):
    gb_server["publish"]("ARM", 1, ARM_ADM1, count=11, url=link)
    with pytest.raises(BoundaryDownloadError, match=r"not an http\(s\) address"):
        _fetch(gb_server)
    gb_server["state"]["routes"]["/files/to-file"] = _redirect_to(link)
    gb_server["publish"]("ARM", 1, ARM_ADM1, count=11, url=f"{gb_server['root']}/files/to-file")
    with pytest.raises(BoundaryDownloadError, match=r"not an http\(s\) address"):
        _fetch(gb_server)


def test_sizes_are_capped_while_streaming(gb_server):
    gb_server["publish"]("ARM", 1, ARM_ADM1, count=11)
    with pytest.raises(BoundaryDownloadError, match=r"announces .* bytes, more than the 1,000 accepted"):
        _fetch(gb_server, max_bytes=1000)

    def endless(handler):  # no Content-Length: only counting the stream can stop it
        handler.send_response(200)
        handler.end_headers()
        for _ in range(400):  # 100 MB at most, should the client not stop
            handler.wfile.write(b" " * (1 << 18))

    gb_server["state"]["routes"]["/files/endless"] = endless
    gb_server["publish"]("ARM", 1, ARM_ADM1, count=11, url=f"{gb_server['root']}/files/endless")
    with pytest.raises(BoundaryDownloadError, match="sent more than the 2,000,000 bytes accepted"):
        _fetch(gb_server, max_bytes=2_000_000)
    assert _nothing_cached(gb_server)


def test_a_trickling_server_is_abandoned_at_the_total_deadline(gb_server):
    import time

    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        for _ in range(100):  # 10 bytes every 0.1 s: no read ever times out
            handler.wfile.write(b"          ")
            handler.wfile.flush()
            time.sleep(0.1)

    gb_server["state"]["routes"]["/files/slow"] = trickle
    gb_server["publish"]("ARM", 1, ARM_ADM1, count=11, url=f"{gb_server['root']}/files/slow")
    # the message says the deadline ended it (the server would trickle for 10 s); timings are the bench's business
    with pytest.raises(BoundaryDownloadError, match="took more than 1 s in all and was abandoned"):
        _fetch(gb_server, timeout=5, total_timeout=1)
    assert _nothing_cached(gb_server)


def test_metadata_past_its_cap_is_refused(gb_server):
    def huge(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(1_500_000_000))
        handler.end_headers()

    gb_server["state"]["routes"]["/api/gbOpen/ARM/ADM1/"] = huge
    with pytest.raises(BoundaryDownloadError, match="announces 1,500,000,000 bytes"):
        _fetch(gb_server)


def test_a_cache_dir_that_is_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(ValueError, match="is a file: pass a folder"):
        fetch_geoboundaries("ARM", 1, cache_dir=tmp_path / "f")


def test_boundaries_in_metres_without_a_crs_are_refused_with_the_fix(tmp_path):
    units = _frame({"name": ["Box"], "code": ["B"]}).to_crs(32638)
    path = tmp_path / "metres.geojson"
    path.write_text(units.set_crs(None, allow_override=True).to_json(), encoding="utf-8")  # no crs member
    with pytest.raises(ValueError, match=r"metres, probably: .*crs='EPSG:32638'.*--boundaries-crs"):
        load_boundaries(path, level=1, check_names=False)
    fixed = load_boundaries(path, level=1, check_names=False, crs="EPSG:32638")
    assert fixed.total_bounds == pytest.approx([44, 39, 44.9, 40], abs=1e-6)
    with pytest.raises(ValueError, match="metres, probably"):
        load_boundaries(units.set_crs(None, allow_override=True), level=1, check_names=False)


def test_a_folder_or_an_unreadable_file_is_a_clear_error(tmp_path):
    (tmp_path / "units.geojson").write_text("{}")
    with pytest.raises(ValueError, match=r"is a folder \(it holds units.geojson\)"):
        load_boundaries(tmp_path)
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="cannot read boundaries from"):
        load_boundaries(tmp_path / "units.geojson", level=1)
