"""ConflictZone: construction, geodesic distances, precision-aware classification; the real outline and ACLED."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geoconflict.incidents import read_incidents
from geoconflict.zones import ConflictZone

from conftest import shared_file


@pytest.fixture(scope="module")
def offline_zone():
    return ConflictZone.from_names(["Nagorno-Karabakh"])


@pytest.fixture(scope="module")
def ne_zone():
    return ConflictZone.from_file(shared_file("boundaries", "naturalearth", "ne_10m_nagorno_karabakh.geojson"))


def _points(*lonlat, **cols):
    return gpd.GeoDataFrame(cols or None, geometry=[Point(x, y) for x, y in lonlat], crs=4326)


def test_offline_zone_says_it_is_approximate(offline_zone):
    assert offline_zone.metadata["approximate"] is True
    assert "approximate" in offline_zone.label
    assert offline_zone.geometry.contains(Point(46.7528, 39.8177))  # Stepanakert


def test_dev_cases_zone_gold(offline_zone, dev_cases):
    wrong = []
    for case in dev_cases["cases"]:
        for gold in case["gold"]:
            if gold.get("zone") is None:
                continue
            got = offline_zone.classify(_points((gold["lon"], gold["lat"]))).iloc[0]["zone_status"]
            ok = got == "inside" if gold["zone"] == "inside" else got in ("outside", "near")
            if not ok:
                wrong.append((gold["mention"], gold["zone"], got))
    assert not wrong


def test_natural_earth_outline(ne_zone, dev_cases):
    assert ne_zone.name == "Nagorno-Karabakh"
    assert ne_zone.metadata["approximate"] is False
    for case in dev_cases["cases"]:
        for gold in case["gold"]:
            if gold.get("zone") == "outside":
                got = ne_zone.classify(_points((gold["lon"], gold["lat"]))).iloc[0]["zone_status"]
                assert got in ("outside", "near"), gold["mention"]


@pytest.mark.parametrize(
    ("lon", "lat", "expected_km", "tol"),
    [
        (46.0227, 38.9096, 40.0, 5.0),  # Ordubad: about 40 km from Natural Earth's pre-2020 outline
        (45.7316, 40.1827, 18.0, 3.0),  # Vardenis
        (46.7528, 39.8177, 0.0, 0.0),  # Stepanakert: inside
    ],
)
def test_geodesic_distance_to_edge(ne_zone, lon, lat, expected_km, tol):
    assert ne_zone.distance_km([lon], [lat])[0] == pytest.approx(expected_km, abs=tol)


def test_distance_matches_pyproj_for_a_simple_box():
    from pyproj import Geod

    zone = ConflictZone(box(44.0, 39.0, 45.0, 40.0), name="box")
    d = zone.distance_km([46.0], [39.5])[0]
    exact = Geod(ellps="WGS84").inv(46.0, 39.5, 45.0, 39.5)[2] / 1000
    assert d == pytest.approx(exact, rel=0.01)


def test_acled_autumn_2020_strikes(ne_zone):
    acled = read_incidents(shared_file("events", "acled_hdx_conflict_data_arm.csv"), warn=False)
    autumn = acled[acled["event_date"] >= "2020-09-27"]
    out = ne_zone.classify(autumn)
    counts = out["zone_status"].value_counts().to_dict()
    print("autumn-2020 events in Armenia vs Natural Earth's outline:", counts)
    by_town = out.groupby("location")["zone_status"].agg(lambda s: set(s))
    for town in ("Vardenis", "Sisian", "Gavar", "Yeraskh", "Aygehovit"):
        assert by_town[town] == {"outside"}, town
    for town in ("Davit Bek", "Kapan"):
        assert by_town[town] == {"near"}, town
    assert out["zone_distance_km"].notna().all()
    assert len(out) == len(autumn)


def test_precision_keeps_coarse_events_from_outside(ne_zone):
    # 35 km from the edge: exact, it is outside; coded to an unknown province, it may lie inside
    pts = _points((46.0, 39.1), (46.0, 39.1), (44.5, 40.2), (44.5, 40.2), geo_precision=[1, 4, 1, 6])
    out = ne_zone.classify(pts)
    assert out["zone_status"].tolist()[0] == "outside"
    assert out["zone_status_certain"].tolist()[0]
    assert out["zone_status"].tolist()[1] == "near"
    assert not out["zone_status_certain"].tolist()[1]
    assert out["zone_status"].tolist()[2] == "outside"
    assert out["zone_status"].tolist()[3] == "near"  # a country's centroid decides nothing
    assert not out["zone_status_certain"].tolist()[3]


def test_areas_are_classified(ne_zone):
    inside = ne_zone.geometry.buffer(-0.05)
    straddle = box(46.0, 39.5, 47.0, 40.0)
    far = box(44.0, 40.0, 44.2, 40.2)
    out = ne_zone.classify(gpd.GeoDataFrame(geometry=[inside, straddle, far], crs=4326))
    assert out["zone_status"].tolist() == ["inside", "near", "outside"]
    assert out["zone_status_certain"].tolist() == [True, False, True]
    assert out["zone_distance_km"].iloc[2] > 50


def test_rows_without_geometry_are_kept(ne_zone):
    g = gpd.GeoDataFrame({"id": [1, 2]}, geometry=[Point(46.75, 39.82), None], crs=4326)
    out = ne_zone.classify(g)
    assert len(out) == 2
    assert out["zone_status"].iloc[0] == "inside"
    assert pd.isna(out["zone_status"].iloc[1])
    assert np.isnan(out["zone_distance_km"].iloc[1])


def test_input_not_mutated_and_crs_handled(ne_zone):
    g = _points((46.0227, 38.9096)).to_crs(3857)
    before = g.copy()
    out = ne_zone.classify(g)
    pd.testing.assert_frame_equal(g, before)
    assert out["zone_status"].iloc[0] == "outside"


def test_from_places_and_boundaries():
    zone = ConflictZone.from_places(["Stepanakert", "Shusha"], 15, country="AZ")
    assert zone.metadata["approximate"]
    assert zone.distance_km([46.7528], [39.8177])[0] == 0
    assert zone.distance_km([46.7528], [40.1])[0] > 10
    gdf = gpd.GeoDataFrame({"name": ["A", "B"]}, geometry=[box(0, 0, 1, 1), box(2, 2, 3, 3)], crs=4326)
    only_a = ConflictZone.from_boundaries(gdf, ["a"])
    assert only_a.geometry.equals(box(0, 0, 1, 1))
    with pytest.raises(ValueError, match="no unit named"):
        ConflictZone.from_boundaries(gdf, ["C"])


@pytest.mark.parametrize(
    ("factory", "match"),
    [
        (lambda: ConflictZone.from_names(["Zzyzzyqx"]), "no region"),
        (lambda: ConflictZone.from_names(["Garni"]), "point, not an area"),
        (lambda: ConflictZone(Point(0, 0), name="p"), "must be an area"),
        (lambda: ConflictZone(box(0, 0, 1e6, 1e6), name="metres"), "not in longitude/latitude"),
        (lambda: ConflictZone.from_places(["Kapan"], 0), "buffer_km must be positive"),
    ],
)
def test_bad_zones_are_clear_errors(factory, match):
    with pytest.raises(ValueError, match=match):
        factory()


def test_zone_file_missing(tmp_path):
    with pytest.raises(FileNotFoundError):
        ConflictZone.from_file(tmp_path / "none.geojson")


# ---------------------------------------------------------------------------- zones over time (issue 14)
KALBAJAR = (46.0403, 40.1072)  # inside Natural Earth's pre-2020 area, ~33 km outside the NKAO-based approximation


@pytest.fixture(scope="module")
def timeline(ne_zone, offline_zone):
    """Natural Earth's pre-2020 outline until the ceasefire, the offline approximation after it."""
    return ConflictZone.over_time(
        [(ne_zone, "2020-09-27", "2020-11-09"), (offline_zone, "2020-11-10", None)], name="Nagorno-Karabakh"
    )


def test_over_time_classifies_by_each_incidents_date(timeline):
    gdf = _points(KALBAJAR, KALBAJAR, KALBAJAR, (46.7528, 39.8177), event_date=[
        "2020-10-15", "2020-11-25", "2020-11-09", "2020-12-01"
    ])  # fmt: skip
    out = timeline.classify(gdf)
    assert out["zone_status"].tolist() == ["inside", "outside", "inside", "inside"]
    before, after = "2020-09-27 – 2020-11-09", "from 2020-11-10"
    assert out["zone_period"].tolist() == [before, after, before, after]
    assert out["zone_distance_km"].iloc[1] == pytest.approx(33, abs=4)
    assert timeline.period_at("2020-11-10").zone.metadata["approximate"] is True
    assert "zone_period" not in gdf.columns  # the input is not changed


def test_over_time_flags_incidents_outside_every_period(timeline):
    gdf = _points(KALBAJAR, KALBAJAR, event_date=["2020-09-01", None])
    with pytest.warns(UserWarning, match=r"2 of 2 incidents have no zone status: 1 undated, 1 outside every period"):
        out = timeline.classify(gdf)
    assert out["zone_status"].isna().all() and out["zone_period"].isna().all()
    assert len(out) == 2  # flagged, not dropped


def test_over_time_refuses_overlapping_or_backward_periods(ne_zone, offline_zone):
    with pytest.raises(ValueError, match="overlap"):
        ConflictZone.over_time([(ne_zone, None, "2020-11-10"), (offline_zone, "2020-11-10", None)])
    with pytest.raises(ValueError, match="ends"):
        ConflictZone.over_time([(ne_zone, "2020-11-10", "2020-11-01")])
    with pytest.raises(ValueError, match="not a date"):
        ConflictZone.over_time([(ne_zone, "someday", None)])


def test_over_time_draws_on_a_map(timeline):
    from geoconflict.maps import incident_map

    gdf = _points(KALBAJAR, KALBAJAR, event_date=["2020-10-15", "2020-11-25"])
    m = incident_map(timeline.classify(gdf), zone=timeline, tiles=None)
    assert m.incident_stats["status"] == {"inside": 1, "near": 0, "outside": 1, "unknown": 0}
    page = m.get_root().render()
    assert ".setZonePeriods([" in page and "from 2020-11-10" in page


# --------------------------------------------------------------------- fast path = straightforward reference
def _reference_radius(gdf):
    """Each row's uncertainty radius (km, None for a centroid), row by row as the rules say."""
    from geoconflict.schema import PRECISION_RADIUS_KM
    from geoconflict.zones import _unit_radius_km

    if "geo_precision" not in gdf.columns:
        return [0.0] * len(gdf)
    out = []
    for i, p in enumerate(gdf["geo_precision"].to_numpy(dtype=object)):
        try:
            level = int(p)
        except (TypeError, ValueError):
            out.append(0.0)
            continue
        r = PRECISION_RADIUS_KM.get(level, 0.0)
        col = {3: "admin2", 4: "admin1"}.get(level)
        name = gdf[col].iloc[i] if col in gdf.columns else None
        if isinstance(name, str) and name:
            cc = gdf["country_code"].iloc[i] if "country_code" in gdf.columns else None
            size = _unit_radius_km(level, name, cc if isinstance(cc, str) else None)
            r = size or r
        out.append(r)
    return out


def _reference_classify(zone, gdf, near=None):
    """Status and certainty of points, one at a time, with the exact geodesic distance (``distance_km``)."""
    near = zone.near_km if near is None else near
    xs, ys = gdf.geometry.x.to_numpy(), gdf.geometry.y.to_numpy()
    d_all = zone.distance_km(xs, ys)
    statuses, certain = [], []
    for x, y, d, r in zip(xs, ys, d_all, _reference_radius(gdf), strict=True):
        if not np.isfinite(d):
            statuses.append(None)
            certain.append(False)
            continue
        st = "inside" if d == 0 else ("near" if d <= near else "outside")
        if r is None:
            st, ok = ("near", False) if st != "inside" else ("inside", False)
        elif st == "inside":
            ok = r == 0 or zone._depth_km(Point(x, y)) > r
        elif st == "near":
            ok = d - r > 0 and d + r <= near
        else:
            ok = d - r > near
            if d - r <= 0:
                st = "near"
        statuses.append(st)
        certain.append(bool(ok))
    return statuses, certain, d_all


def _mixed_points(zone, n, seed=0):
    """Points far, near and inside the zone, some on the thresholds' edges, with every kind of precision."""
    import shapely

    rng = np.random.default_rng(seed)
    edge = zone.geometry.boundary
    on = shapely.line_interpolate_point(edge, rng.uniform(0, 1, n), normalized=True)
    scale = rng.choice([0.001, 0.01, 0.1, 0.5, 2.0], n)  # degrees off the edge: metres to hundreds of km
    x = shapely.get_x(on) + rng.normal(0, 1, n) * scale
    y = shapely.get_y(on) + rng.normal(0, 1, n) * scale
    prec = rng.choice(np.array([1, 2, 3, 4, 5, 6, 7, None, "x", 2.0], dtype=object), n)
    return gpd.GeoDataFrame({"geo_precision": prec}, geometry=gpd.points_from_xy(x, y), crs=4326)


@pytest.mark.parametrize("grid", [True, False], ids=["edge-grid", "exact"])
def test_classify_matches_the_straightforward_reference(ne_zone, grid, monkeypatch):
    from geoconflict import zones

    monkeypatch.setattr(zones, "_GRID_MIN_POINTS", 0 if grid else 10**12)
    pts = _mixed_points(ne_zone, 6000)
    out = ne_zone.classify(pts)
    statuses, certain, d = _reference_classify(ne_zone, pts)
    assert out["zone_status"].tolist() == statuses
    assert out["zone_status_certain"].tolist() == certain
    # distances: exact where a status could hang on them, on the grid elsewhere (under 2 m per 100 km)
    ref = np.where(np.array(statuses, dtype=object) == "inside", 0.0, d)
    assert np.nanmax(np.abs(out["zone_distance_km"].to_numpy() - ref) - 2e-5 * ref) <= 0.001
    assert set(statuses) == {"inside", "near", "outside"}


@pytest.mark.parametrize("grid", [True, False], ids=["edge-grid", "exact"])
def test_acled_statuses_identical_to_the_reference(ne_zone, grid, monkeypatch):
    from geoconflict import zones

    monkeypatch.setattr(zones, "_GRID_MIN_POINTS", 0 if grid else 10**12)
    acled = read_incidents(shared_file("events", "acled_hdx_conflict_data_arm.csv"), warn=False)
    out = ne_zone.classify(acled)
    statuses, certain, _ = _reference_classify(ne_zone, acled)
    assert out["zone_status"].tolist() == statuses
    assert out["zone_status_certain"].tolist() == certain


def test_lambert_distance_is_within_a_metre_per_hundred_km():
    from pyproj import Geod

    from geoconflict.geodesy import lambert_km

    rng = np.random.default_rng(1)
    lat1, lon1 = rng.uniform(35, 45, 2000), rng.uniform(40, 52, 2000)
    lat2, lon2 = lat1 + rng.normal(0, 2, 2000), lon1 + rng.normal(0, 2, 2000)
    exact = Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)[2] / 1000
    assert np.abs(lambert_km(lat1, lon1, lat2, lon2) - exact).max() <= 0.001 + 1e-5 * exact.max()
