"""``geoconflict sync`` and ``geoconflict events``, and the store as every command's input."""

from __future__ import annotations

import pytest
from sourcefixtures import PASSWORD, UCDP_TOKEN, USER, acled_rows, ucdp_rows

from geoconflict.cli import main
from geoconflict.sources.loopback import ACLEDServer, UCDPServer

from conftest import shared_file

pytestmark = pytest.mark.shared_data


@pytest.fixture
def acled_api(monkeypatch):
    monkeypatch.setenv("ACLED_USERNAME", USER)
    monkeypatch.setenv("ACLED_PASSWORD", PASSWORD)
    with ACLEDServer(acled_rows(), users={USER: PASSWORD}, lifetime=120) as s:
        yield s


def test_sync_then_events_to_a_geopackage(tmp_path, acled_api, capsys):
    store = str(tmp_path / "store")
    argv = ["sync", "acled", "--country", "Armenia", "--since", "2020-09-27", "--store", store]
    assert main([*argv, "--base-url", acled_api.url]) == 0
    err = capsys.readouterr().err
    assert (
        "acled (country=Armenia, event_date=2020-09-27, event_date_where=>=)" in err
        and "added" in err
        and "events in" in err
    )
    assert main([*argv, "--base-url", acled_api.url]) == 0  # safe to run twice
    assert "0 added" in capsys.readouterr().err

    out = tmp_path / "armenia.gpkg"
    assert main(["events", "--source", "acled", "--country", "Armenia", "--store", store, "-o", str(out)]) == 0
    err = capsys.readouterr().err
    import pyogrio

    back = pyogrio.read_dataframe(out)
    expected = sum(r["event_date"] >= "2020-09-27" for r in acled_rows())
    assert len(back) == expected and f"{expected:,} events written" in err

    assert main(["sync", "status", "--store", store]) == 0
    assert "acled\t" in capsys.readouterr().out


def test_sync_ucdp_and_events_summary(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("UCDP_TOKEN", UCDP_TOKEN)
    store = str(tmp_path)
    with UCDPServer({"23.1": ucdp_rows()}, tokens={UCDP_TOKEN}, lifetime=60) as api:
        assert (
            main(["sync", "ucdp", "--version", "23.1", "--country", "482", "--store", store, "--base-url", api.url])
            == 0
        )
        assert "release 23.1" in capsys.readouterr().err
        assert (
            main(["sync", "ucdp", "--version", "23.1", "--country", "482", "--store", store, "--base-url", api.url])
            == 0
        )
        assert "already synced" in capsys.readouterr().err
    assert main(["events", "--source", "ucdp", "--country", "482", "--store", store]) == 0
    assert "1,848 events, 1991-08-08 … 2022-12-30" in capsys.readouterr().err


def test_the_store_as_input_of_map_and_join(tmp_path, acled_api, capsys):
    store = tmp_path / "s"
    assert main(["sync", "acled", "--country", "Armenia", "--store", str(store), "--base-url", acled_api.url]) == 0
    spec = f"store:acled?country=Armenia&since=2020-09-27&until=2020-11-10&store={store}"
    html = tmp_path / "map.html"
    assert main(["map", spec, "--tiles", "none", "--offline", "-o", str(html)]) == 0
    assert "39 incidents mapped" in capsys.readouterr().err and html.stat().st_size > 0
    adm1 = shared_file("boundaries", "geoboundaries", "ARM", "geoBoundaries-ARM-ADM1_simplified.geojson")
    out = tmp_path / "joined.csv"
    assert main(["join", spec, "--boundaries", str(adm1), "--no-name-check", "-o", str(out)]) == 0
    assert "39 incidents written" in capsys.readouterr().err


def test_a_bad_store_input_and_refusals_are_exit_2(tmp_path, acled_api, capsys, monkeypatch):
    assert main(["map", f"store:acled?colour=red&store={tmp_path}", "-o", str(tmp_path / "m.html")]) == 2
    assert "unknown filter(s) colour" in capsys.readouterr().err
    monkeypatch.setenv("ACLED_PASSWORD", "not-" + PASSWORD)
    assert main(["sync", "acled", "--country", "Armenia", "--store", str(tmp_path), "--base-url", acled_api.url]) == 2
    err = capsys.readouterr().err
    assert "ACLED refused the sign-in" in err and PASSWORD not in err
