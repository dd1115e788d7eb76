"""join_admin: real boundaries (geoBoundaries, Natural Earth), ACLED's own coding, areas, the index cache, dask."""

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely import LineString, Point, box

from geoconflict import join as join_module
from geoconflict.boundaries import BoundaryWarning, load_boundaries
from geoconflict.cli import build_parser
from geoconflict.join import admin_index, join_admin
from geoconflict.names import normalize

from conftest import distance_km, shared_file

GB = ("boundaries", "geoboundaries")
AZE_ADM2 = (*GB, "AZE", "geoBoundaries-AZE-ADM2.geojson")
AZE_ADM1 = (*GB, "AZE", "geoBoundaries-AZE-ADM1_simplified.geojson")
ARM_ADM1 = (*GB, "ARM", "geoBoundaries-ARM-ADM1_simplified.geojson")
NE_ADM0 = ("boundaries", "naturalearth", "ne_50m_admin_0_countries_caucasus.geojson")
ACLED = ("events", "acled_hdx_conflict_data_arm.csv")

ORDUBAD = (38.9096, 46.0227)
# on the Aras, which is the border with Iran here: 250 m south of Ordubad District's simplified outline
ARAS = (38.88204, 46.00245)


def _points(rows, crs=4326):
    """Incidents from (label, lat, lon) rows; None coordinates give an empty geometry."""
    geoms = [Point(lon, lat) if lat is not None else None for _, lat, lon in rows]
    return gpd.GeoDataFrame({"label": [r[0] for r in rows]}, geometry=geoms, crs=4326).to_crs(crs)


@pytest.fixture(scope="module")
def aze_adm2():
    return load_boundaries(shared_file(*AZE_ADM2), check_names=False)


@pytest.fixture(scope="module")
def aze_adm2_ne():
    return load_boundaries([shared_file(*AZE_ADM2), shared_file(*NE_ADM0)], check_names=False)


@pytest.fixture(scope="module")
def arm_adm1():
    return load_boundaries(shared_file(*ARM_ADM1), check_names=False)


@pytest.fixture(scope="module")
def acled():
    path = shared_file(*ACLED)
    df = pd.read_csv(path, skiprows=[1])  # HDX: the second row holds HXL hashtags
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["longitude"], df["latitude"]), crs=4326)


@pytest.fixture(scope="module")
def toy():
    """Two unit squares side by side (West, East) of one made-up country, and its outline at level 0."""
    return gpd.GeoDataFrame(
        {
            "admin_level": [1, 1, 0],
            "name": ["West", "East", "Armenia"],
            "code": ["W", "E", "AM"],
            "parent_code": ["AM", "AM", None],
            "parent_name": ["Armenia", "Armenia", None],
            "country_code": ["AM", "AM", "AM"],
        },
        geometry=[box(44, 40, 45, 41), box(45, 40, 46, 41), box(44, 40, 46, 41)],
        crs=4326,
    )


# --------------------------------------------------------------------- the real story
def test_ordubad_joins_to_azerbaijan_ordubad_district_and_nakhchivan_ar(aze_adm2_ne):
    out = join_admin(_points([("Ordubad", *ORDUBAD)]), aze_adm2_ne).iloc[0]
    assert out["admin0"] == "Azerbaijan"
    assert out["admin0_code"] == "AZ"
    assert out["admin2"] == "Ordubad District"
    assert out["admin1"] == "Nakhchivan Autonomous Republic"  # the parent, from the project's table
    assert out["admin1_code"] == "AZ-NX"
    assert out["admin_match"] == "inside"
    assert out["admin_distance_m"] == 0


@pytest.mark.parametrize(
    ("layers", "admin0"),
    [
        pytest.param("adm2", "Azerbaijan", id="adm2-only"),  # the country from the units' own country code
        pytest.param("adm2+ne", "Iran", id="with-natural-earth"),  # NE 1:50m draws the border north of the river
    ],
)
def test_point_on_the_aras_border_takes_the_nearest_unit_flagged(layers, admin0, aze_adm2, aze_adm2_ne):
    boundaries = aze_adm2 if layers == "adm2" else aze_adm2_ne
    out = join_admin(_points([("Aras", *ARAS)]), boundaries).iloc[0]
    assert out["admin2"] == "Ordubad District"
    assert out["admin1"] == "Nakhchivan Autonomous Republic"
    assert out["admin0"] == admin0
    assert out["admin_match"] == "nearest"
    assert 100 < out["admin_distance_m"] < 500
    # the same point with the nearest-unit rule off stays unplaced at level 2
    off = join_admin(_points([("Aras", *ARAS)]), boundaries, tolerance_m=0).iloc[0]
    assert pd.isna(off["admin2"])


def test_far_points_and_missing_geometries_keep_their_rows(aze_adm2_ne):
    rows = [
        ("Caspian Sea", 40.0, 51.0),
        ("Ordubad", *ORDUBAD),
        ("no coordinates", None, None),
        ("Yerevan", 40.1776, 44.5126),  # in Natural Earth's Armenia, beyond every AZE district
        ("Ordubad again", *ORDUBAD),
    ]
    inc = _points(rows)
    inc.index = [10, 3, 7, 1, 99]
    before = inc.copy()
    out = join_admin(inc, aze_adm2_ne)
    assert_geodataframe_equal(inc, before)  # input untouched
    assert list(out.index) == [10, 3, 7, 1, 99]
    assert list(out.columns) == [
        "label",
        "admin0",
        "admin0_code",
        "admin1",
        "admin1_code",
        "admin2",
        "admin2_code",
        "admin_match",
        "admin_distance_m",
        "geometry",
    ]
    assert out["label"].tolist() == [r[0] for r in rows]
    assert out["admin_match"].tolist() == ["none", "inside", "missing", "partial", "inside"]
    assert out.loc[3, "admin0"] == "Azerbaijan"
    assert out.loc[1, "admin0"] == "Armenia" and pd.isna(out.loc[1, "admin2"])
    assert out[["admin0", "admin1", "admin2"]].loc[[10, 7]].isna().all().all()
    assert np.isnan(out.loc[10, "admin_distance_m"]) and out.loc[1, "admin_distance_m"] == 0


def test_acled_admin1_agrees_with_geoboundaries_arm_adm1(acled, arm_adm1):
    out = join_admin(acled, arm_adm1)
    assert len(out) == len(acled) == 4960
    assert out["admin1_source"].tolist() == acled["admin1"].tolist()  # ACLED's coding kept beside ours
    assert out["admin2_source"].tolist() == acled["admin2"].tolist()
    ours = out["admin1"].map(lambda v: normalize(v) if isinstance(v, str) else None)
    theirs = out["admin1_source"].map(normalize)
    agree = ours == theirs
    disagreements = out.loc[~agree, ["location", "latitude", "longitude", "admin1_source", "admin1", "admin_match"]]
    print(f"\n{int(agree.sum())} of {len(out)} agree with ACLED's admin1; disagreements:\n{disagreements.to_string()}")
    assert agree.sum() >= 4950
    # the nearest-unit rule placed exactly the events a bare point-in-polygon join leaves out
    bare = gpd.sjoin(acled, arm_adm1[["name", "geometry"]], how="left", predicate="intersects")
    bare = bare[~bare.index.duplicated()]
    nearest = out["admin_match"] == "nearest"
    print(f"nearest-unit rule: {int(nearest.sum())} events, up to {out['admin_distance_m'].max():.0f} m outside")
    assert nearest.sum() == bare["name"].isna().sum() == out.attrs["admin_join"]["nearest"] == 445
    assert (nearest == bare["name"].isna()).all()
    assert set(out["admin_match"]) == {"inside", "nearest"}
    assert out.loc[nearest, "admin_distance_m"].between(1, 2000).all()
    # border villages the simplified polygons leave out land in their own province
    villages = out.drop_duplicates("location").set_index("location")
    for village, province in [("Bagratashen", "Tavush"), ("Tigranashen", "Ararat"), ("Khnatsakh", "Syunik")]:
        if village in villages.index:
            assert villages.loc[village, "admin1"] == province


def test_levels_the_boundaries_hold_say_what_they_say(gazetteer):
    # the real AZE ADM1 file has its two names swapped upstream: the join reports the file, the load warned
    with pytest.warns(BoundaryWarning, match="contradict the gazetteer"):
        both = load_boundaries([shared_file(*AZE_ADM1), shared_file(*AZE_ADM2)])
    out = join_admin(_points([("Ordubad", *ORDUBAD)]), both).iloc[0]
    assert (out["admin1"], out["admin1_code"]) == ("Contiguous Azerbaijan", "AZ-CAZ")
    assert out["admin2"] == "Ordubad District"


# --------------------------------------------------------------------- rules
@pytest.mark.parametrize(
    ("geometry", "expected"),
    [
        pytest.param(box(44.2, 40.2, 45.3, 40.8), "West", id="area-mostly-west"),
        pytest.param(box(44.8, 40.2, 45.9, 40.8), "East", id="area-mostly-east"),
        pytest.param(LineString([(44.9, 40.5), (45.8, 40.5)]), "East", id="line-mostly-east"),
        pytest.param(box(46.001, 40.2, 46.01, 40.3), "East", id="area-just-outside"),
        pytest.param(box(50, 50, 51, 51), None, id="area-far-away"),
        pytest.param(Point(45, 40.5), "West", id="point-on-shared-edge-first-unit"),
    ],
)
def test_areas_and_lines_take_the_largest_overlap(toy, geometry, expected):
    inc = gpd.GeoDataFrame({"id": [1]}, geometry=[geometry], crs=4326)
    out = join_admin(inc, toy).iloc[0]
    assert (out["admin1"] if isinstance(out["admin1"], str) else None) == expected


def test_projected_incidents_give_the_same_answer(toy):
    rows = [("a", 40.5, 44.5), ("b", 40.5, 46.01), ("c", 10, 10)]
    ref = join_admin(_points(rows), toy)
    utm = join_admin(_points(rows, crs=32638), toy)
    assert utm.crs.to_epsg() == 32638  # geometry kept as given
    cols = ["admin0", "admin1", "admin1_code", "admin_match", "admin_distance_m"]
    pd.testing.assert_frame_equal(ref[cols], utm[cols])


def test_tolerance_is_metres_on_the_ground(toy):
    # 0.01 degree east of East at 40.5 N
    d = distance_km(40.5, 46.0, 40.5, 46.01) * 1000
    inc = _points([("x", 40.5, 46.01)])
    assert join_admin(inc, toy, tolerance_m=d + 5)["admin_distance_m"].iloc[0] == pytest.approx(d, rel=2e-3)
    assert join_admin(inc, toy, tolerance_m=d - 5)["admin_match"].iloc[0] == "none"


def test_input_admin_columns_are_kept_as_source(toy):
    inc = _points([("a", 40.5, 44.5)])
    inc["admin1"] = "Their West"
    inc["admin2"] = "Their district"
    inc["admin1_source"] = "older coding"
    out = join_admin(inc, toy)
    assert out.loc[0, "admin1"] == "West"
    assert out.loc[0, "admin1_source_2"] == "Their West"
    assert out.loc[0, "admin2_source"] == "Their district"
    assert out.loc[0, "admin1_source"] == "older coding"
    assert "admin2" not in out.columns  # never mixed with a level the boundaries do not hold
    assert out.attrs["admin_join"]["kept_as_source"] == {"admin1": "admin1_source_2", "admin2": "admin2_source"}
    assert inc.loc[0, "admin1"] == "Their West"


def test_repeated_index_labels_and_the_summary(toy):
    inc = _points([("a", 40.5, 44.5), ("b", 40.5, 46.01), ("c", None, None), ("d", 10, 10)])
    inc.index = ["x", "x", "y", "x"]
    out = join_admin(inc, toy)
    assert list(out.index) == ["x", "x", "y", "x"]
    assert out["admin1"].tolist()[:2] == ["West", "East"]
    summary = out.attrs["admin_join"]
    assert (summary["rows"], summary["inside"], summary["nearest"], summary["none"], summary["missing"]) == (
        4,
        1,
        1,
        1,
        1,
    )


def test_a_dataframe_with_latitude_longitude_is_read_as_points(toy):
    df = pd.DataFrame({"latitude": [40.5, "bad"], "longitude": [45.5, 45.5]})
    out = join_admin(df, toy)
    assert out["admin1"].iloc[0] == "East"
    assert out["admin_match"].tolist() == ["inside", "missing"]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [({"tolerance_m": -1}, "tolerance_m"), ({"engine": "spark"}, "engine")],
)
def test_bad_options(toy, kwargs, error):
    with pytest.raises(ValueError, match=error):
        join_admin(_points([("a", 40.5, 44.5)]), toy, **kwargs)


def test_spatial_index_is_built_once_and_reused(toy, monkeypatch):
    built = []
    original = join_module.AdminIndex.__init__

    def counting(self, b):
        built.append(1)
        original(self, b)

    monkeypatch.setattr(join_module.AdminIndex, "__init__", counting)
    boundaries = toy.copy()
    inc = _points([("a", 40.5, 44.5)])
    first = join_admin(inc, boundaries)
    for _ in range(3):
        assert_geodataframe_equal(join_admin(inc, boundaries), first)
    assert len(built) == 1
    assert admin_index(boundaries) is admin_index(boundaries)
    boundaries.loc[0, "name"] = "Renamed West"  # a changed table is indexed again
    assert join_admin(inc, boundaries)["admin1"].iloc[0] == "Renamed West"
    assert len(built) == 2


def test_raw_boundary_frames_are_normalised(arm_adm1):
    raw = gpd.read_file(shared_file(*ARM_ADM1))
    inc = _points([("Kapan", 39.2076, 46.4068)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = join_admin(inc, raw).iloc[0]
    assert (out["admin0"], out["admin1"], out["admin1_code"]) == ("Armenia", "Syunik", "AM-SU")


def _far_near_inside(units, n, seed=0):
    """Points inside the units, within a few km of their edges (both sides), over the region and the world."""
    import shapely

    rng = np.random.default_rng(seed)
    edge = shapely.union_all(units.geometry.values).boundary
    on = shapely.line_interpolate_point(edge, rng.uniform(0, 1, n), normalized=True)
    scale = rng.choice([0.003, 0.01, 0.02, 0.03], n)  # degrees off the edge: ~300 m to ~3 km
    x = shapely.get_x(on) + rng.normal(0, 1, n) * scale
    y = shapely.get_y(on) + rng.normal(0, 1, n) * scale
    region = rng.random(n) < 0.25
    x[region], y[region] = rng.uniform(40, 52, region.sum()), rng.uniform(36, 44, region.sum())
    world = rng.random(n) < 0.1
    x[world], y[world] = rng.uniform(-180, 180, world.sum()), rng.uniform(-60, 70, world.sum())
    geoms = np.asarray(gpd.points_from_xy(x, y), dtype=object)
    geoms[:3] = [None, Point(), LineString([(46.0, 38.9), (46.0, 38.9)])]  # missing, empty, a line with no length
    geoms[3] = box(46.0, 38.9, 46.05, 38.95)
    return gpd.GeoDataFrame({"i": np.arange(n)}, geometry=list(geoms), crs=4326)


def test_fast_path_gives_the_full_nearest_search_rows(aze_adm2, monkeypatch):
    inc = _far_near_inside(aze_adm2, 4000)
    fast = join_admin(inc, aze_adm2)
    assert {"inside", "nearest", "none", "missing"} <= set(fast["admin_match"])
    # the same join with every pre-filter switched off: every row is a candidate everywhere
    everywhere = (-180.0, -90.0, 180.0, 90.0)
    monkeypatch.setattr(join_module.AdminIndex, "reach_box", lambda self, tolerance_m: everywhere)
    monkeypatch.setattr(join_module, "_within_reach", lambda lv, points, tolerance_m: np.ones(len(points.x), bool))
    monkeypatch.setattr(join_module._Level, "reach", lambda self, tolerance_m: box(*everywhere))
    full = join_admin(inc, aze_adm2.copy())  # a new object: a new index
    assert_geodataframe_equal(fast, full)
    # and where a bare point-in-polygon join finds a unit, it is the same unit
    bare = gpd.sjoin(inc, aze_adm2[["name", "geometry"]], how="left", predicate="intersects")
    bare = bare[~bare.index.duplicated()]
    points = inc.geom_type.eq("Point").to_numpy() & bare["name"].notna().to_numpy()
    assert (fast["admin2"].to_numpy()[points] == bare["name"].to_numpy()[points]).all()


def test_text_columns_are_the_same_built_sparse_or_taken():
    values = np.array(["Ordubad District", None, "Şərur District", ""], dtype=object)  # a unit without a parent
    rng = np.random.default_rng(2)
    for share in (0.0, 0.01, 0.5):  # the first two take the sparse path
        idx = np.where(rng.random(5000) < share, rng.integers(0, 4, 5000), -1)
        out = join_module._take_text(values, idx, pd.RangeIndex(5000))
        expected = [None if i < 0 or values[i] is None else values[i] for i in idx]
        assert [None if pd.isna(v) else v for v in out] == expected


# --------------------------------------------------------------------- dask
@pytest.fixture(scope="module")
def dask_client():
    pytest.importorskip("dask_geopandas", reason="the dask path needs the [scale] extra (dask-geopandas)")
    distributed = pytest.importorskip("distributed", reason="the dask path needs the [scale] extra (distributed)")
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _mixed_incidents(acled):
    """ACLED events, shuffled, with an odd index, a missing geometry, an area and a point at sea."""
    inc = acled.sample(frac=1, random_state=5).head(1500).copy()
    inc.index = np.arange(len(inc)) * 7 + 3
    extra = gpd.GeoDataFrame(
        {"location": ["nowhere", "Syunik-ish area", "sea"]},
        geometry=[None, box(46.0, 39.2, 46.3, 39.5), Point(51, 40)],
        crs=4326,
        index=[-1, -2, -3],
    )
    return pd.concat([inc, extra])


def test_dask_engine_gives_the_in_memory_answer(dask_client, acled, arm_adm1):
    inc = _mixed_incidents(acled)
    ref = join_admin(inc, arm_adm1)
    out = join_admin(inc, arm_adm1, engine="dask", npartitions=4)
    assert_geodataframe_equal(out, ref)


def test_dask_frame_in_dask_frame_out(dask_client, acled, aze_adm2_ne):
    import dask
    import dask_geopandas

    inc = _mixed_incidents(acled)
    ref = join_admin(inc, aze_adm2_ne)
    with dask.config.set({"dataframe.convert-string": False}):
        ddf = dask_geopandas.from_geopandas(inc, npartitions=3, sort=False)
        lazy = join_admin(ddf, aze_adm2_ne)
        assert isinstance(lazy, dask_geopandas.GeoDataFrame)
        out = lazy.compute()
    assert_geodataframe_equal(out, ref)
    with pytest.raises(ValueError, match="engine='dask'"):
        join_admin(ddf, aze_adm2_ne, engine="pandas")


# --------------------------------------------------------------------- CLI
def test_cli_join_writes_every_event(tmp_path, capsys):
    parser = build_parser()
    out_path = tmp_path / "acled_admin.gpkg"
    args = parser.parse_args(
        ["join", str(shared_file(*ACLED)), "--boundaries", str(shared_file(*ARM_ADM1)), "-o", str(out_path)]
    )
    assert args.func(args) == 0
    assert "4960 incidents written" in capsys.readouterr().err
    back = gpd.read_file(out_path)
    assert len(back) == 4960
    assert {"admin0", "admin1", "admin1_code", "admin1_source", "admin_match", "admin_distance_m"} <= set(back.columns)
    assert (back["admin_match"] == "nearest").sum() == 445
