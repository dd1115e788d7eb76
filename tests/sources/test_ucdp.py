"""UCDP GED: read_incidents on the real file, and fetch_ucdp against a loopback API serving it."""

from __future__ import annotations

import numpy as np
import pytest
from sourcefixtures import UCDP_TOKEN, ucdp_rows

from geoconflict.incidents import read_incidents
from geoconflict.sources import AuthError, SourceError, fetch_ucdp
from geoconflict.sources.loopback import UCDPServer

from conftest import shared_file

pytestmark = pytest.mark.shared_data


@pytest.fixture
def api():
    with UCDPServer({"23.1": ucdp_rows()}, tokens={UCDP_TOKEN}, lifetime=120) as s:
        yield s


def test_read_incidents_on_the_real_ucdp_file():
    path = shared_file("events", "ucdp_ged_v23_1_caf.geojson")
    import geopandas as gpd

    raw = gpd.read_file(path)
    events = read_incidents(path, warn=False)
    report = events.attrs["report"]
    assert len(events) == 1848 == report.rows
    assert report.ok and not report.flagged and events["valid"].all()  # none unreported: none flagged at all
    assert events["dataset"].eq("UCDP GED").all()
    assert (events["geo_precision"].to_numpy() == raw["where_prec"].to_numpy()).all()
    assert (events["precision_raw"] == "ucdp:" + raw["where_prec"].astype(str)).all()
    assert (events["fatalities"].to_numpy() == raw["best"].to_numpy()).all()
    assert (events["fatalities_low"].to_numpy() == raw["low"].to_numpy()).all()
    assert (events["fatalities_high"].to_numpy() == raw["high"].to_numpy()).all()
    # kept as published, including the 20 events whose low/best/high are out of order upstream (e.g. id 30272)
    disorder = (events["fatalities_low"] > events["fatalities"]) | (events["fatalities"] > events["fatalities_high"])
    assert int(disorder.sum()) == 20


def test_fetch_every_page_of_a_release(api):
    seen = []
    events = fetch_ucdp(
        "23.1",
        482,
        token=UCDP_TOKEN,
        base_url=api.url,
        page_size=500,
        warn=False,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert len(events) == 1848 and events["source_event_id"].is_unique
    assert [int(p["page"]) for p in api.requests_to("/api/gedevents")] == [0, 1, 2, 3]
    assert seen[-1] == (1848, 1848)
    assert events["ucdp_version"].eq("23.1").all()
    rows = ucdp_rows()
    by_id = {str(r["id"]): r for r in rows}
    first = events.iloc[0]
    assert first["geo_precision"] == by_id[first["source_event_id"]]["where_prec"]
    assert first["fatalities"] == by_id[first["source_event_id"]]["best"]
    deaths = events[["deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"]].sum(axis=1).to_numpy()
    assert np.array_equal(deaths, events["fatalities"].to_numpy())  # GED: best = the deaths by side, summed
    assert events.attrs["report"].ok


def test_filters_are_sent_as_ucdp_names_them(api):
    events = fetch_ucdp(
        "23.1",
        482,
        since="2020-01-01",
        until="2020-12-31",
        type_of_violence=3,
        token=UCDP_TOKEN,
        base_url=api.url,
        warn=False,
    )
    params = api.requests_to("/api/gedevents")[0]
    assert params == {
        "pagesize": "1000",
        "page": "0",
        "Country": "482",
        "StartDate": "2020-01-01",
        "EndDate": "2020-12-31",
        "TypeOfViolence": "3",
    }
    assert len(events) > 0 and events["event_type"].eq("One-sided violence").all()
    assert events["event_date"].dt.year.eq(2020).all()


def test_the_token_is_required_and_never_printed(api, monkeypatch):
    monkeypatch.delenv("UCDP_TOKEN", raising=False)
    with pytest.raises(AuthError, match=r"\$UCDP_TOKEN"):
        fetch_ucdp("23.1", base_url=api.url)
    with pytest.raises(AuthError, match="rejected the access token") as err:
        fetch_ucdp("23.1", token="wrong-" + UCDP_TOKEN, base_url=api.url)
    assert UCDP_TOKEN not in str(err.value)


def test_an_unknown_release_is_a_clear_error(api):
    with pytest.raises(SourceError, match="no such dataset or version"):
        fetch_ucdp("99.1", token=UCDP_TOKEN, base_url=api.url)
    with pytest.raises(ValueError, match=r"looks like 24\.1"):
        fetch_ucdp("latest", token=UCDP_TOKEN, base_url=api.url)


def test_next_page_urls_to_another_host_are_not_followed():
    # a mirror that names the upstream host in NextPageUrl: the token must stay on our host
    with UCDPServer({"23.1": ucdp_rows()}, tokens={UCDP_TOKEN}, next_host="upstream.invalid", lifetime=60) as api:
        events = fetch_ucdp("23.1", token=UCDP_TOKEN, base_url=api.url, page_size=1000, warn=False)
        assert len(events) == 1848
        assert [int(p["page"]) for p in api.requests_to("/api/gedevents")] == [0, 1]
