"""Incremental syncs into the store: 50,000 events once each, deletions and additions, kills, faults, releases."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sourcefixtures import PASSWORD, UCDP_TOKEN, USER, acled_rows, many_acled_rows, ucdp_rows

from geoconflict.sources import EventStore, SourceError, read_store, sync_acled, sync_ucdp
from geoconflict.sources.loopback import ACLEDServer, UCDPServer

pytestmark = pytest.mark.shared_data

REPO = Path(__file__).resolve().parents[2]


def _ids(store) -> set[str]:
    with EventStore(store) as db:
        return set(db.con.execute("SELECT event_id_cnty FROM acled").df()["event_id_cnty"])


def _sync(api, store, **kw):
    return sync_acled("Armenia", username=USER, password=PASSWORD, base_url=api.url, store=store, **kw)


@pytest.fixture(scope="module")
def big_rows():
    return many_acled_rows(50_000)


def test_50000_events_in_pages_each_once_then_deletions_and_additions(tmp_path, big_rows):
    with ACLEDServer(big_rows, users={USER: PASSWORD}, lifetime=300) as api:
        first = _sync(api, tmp_path, limit=5000)
        assert (first.added, first.updated, first.deleted, first.rows) == (50_000, 0, 0, 50_000)
        pages = [int(p["page"]) for p in api.requests_to("/api/acled/read")]
        assert pages == list(range(1, 12))  # ten full pages, then the empty eleventh says it is over
        with EventStore(tmp_path) as db:
            n, distinct = db.con.execute("SELECT count(*), count(DISTINCT event_id_cnty) FROM acled").fetchone()
        assert n == distinct == 50_000

        gone = [f"ARM{100000 + i}" for i in range(0, 50_000, 5000)]  # 10 events deleted upstream
        api.delete(gone)
        api.add({**big_rows[i], "event_id_cnty": f"ARMNEW{i}"} for i in range(20))  # 20 new ones
        api.log.clear()
        second = _sync(api, tmp_path, limit=5000)
        assert (second.added, second.deleted, second.rows) == (20, 10, 50_010)
        assert _ids(tmp_path) == set(api.rows)  # exactly the server's set
        data = api.requests_to("/api/acled/read")
        assert len(data) == 1 and data[0]["timestamp_where"] == ">="  # only what changed was asked for
        assert api.requests_to("/api/deleted/read")

        # a third sync changes nothing and asks for one short page
        third = _sync(api, tmp_path, limit=5000)
        assert (third.added, third.deleted, third.rows) == (0, 0, 50_010)


def test_an_edited_event_replaces_the_stored_one(tmp_path):
    with ACLEDServer(acled_rows(), users={USER: PASSWORD}, lifetime=60) as api:
        _sync(api, tmp_path)
        api.update("ARM4966", notes="corrected: a smaller protest")
        again = _sync(api, tmp_path)
    assert (again.added, again.updated) == (0, 1)
    events = read_store("acled", country="Armenia", since="2020-12-05", store=tmp_path, warn=False)
    assert events.loc[events["source_event_id"] == "ARM4966", "notes"].item() == "corrected: a smaller protest"


def test_an_interrupted_sync_resumes_to_the_same_set(tmp_path):
    rows = acled_rows()
    with ACLEDServer(rows, users={USER: PASSWORD}, lifetime=120) as api:
        whole = _sync(api, tmp_path / "whole", limit=500)

        def stop_after_three_pages(done, total):
            if done >= 1500:
                raise KeyboardInterrupt  # as a user's Ctrl-C between two pages

        with pytest.raises(KeyboardInterrupt):
            _sync(api, tmp_path / "cut", limit=500, progress=stop_after_three_pages)
        assert len(_ids(tmp_path / "cut")) == 1500
        api.log.clear()
        resumed = _sync(api, tmp_path / "cut", limit=500)
    assert resumed.resumed and int(api.requests_to("/api/acled/read")[0]["page"]) == 3
    assert _ids(tmp_path / "cut") == _ids(tmp_path / "whole") == {r["event_id_cnty"] for r in rows}
    assert resumed.rows == whole.rows == 4960


def test_a_killed_sync_process_resumes_to_the_same_set(tmp_path):
    """SIGKILL in the middle of a sync (no cleanup at all), then the same sync again."""
    rows = acled_rows()
    with ACLEDServer(rows, users={USER: PASSWORD}, page_delay=0.25, lifetime=120) as api:
        code = (
            "import sys; from geoconflict.sources import sync_acled\n"
            "sync_acled('Armenia', base_url=sys.argv[1], store=sys.argv[2], limit=250)\n"
        )
        env = {**os.environ, "PYTHONPATH": str(REPO), "ACLED_USERNAME": USER, "ACLED_PASSWORD": PASSWORD}
        proc = subprocess.Popen([sys.executable, "-c", code, api.url, str(tmp_path / "killed")], env=env)
        try:
            deadline = time.monotonic() + 60
            # 14 of 20 pages (3.5 s): past the first group commit (two seconds' worth), well before the end
            while len(api.requests_to("/api/acled/read")) < 14 and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.05)
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        partial = _ids(tmp_path / "killed")
        assert 0 < len(partial) < len(rows)
        api.page_delay = 0
        resumed = _sync(api, tmp_path / "killed", limit=250)
    assert resumed.resumed
    assert _ids(tmp_path / "killed") == {r["event_id_cnty"] for r in rows}


def test_429_with_retry_after_and_a_500_mid_sync(tmp_path):
    with ACLEDServer(acled_rows(), users={USER: PASSWORD}, lifetime=120) as api:

        def trouble(done, total):
            if done == 1000:
                api.fail(429, retry_after="1", path="/api/acled/read")
            if done == 2000:
                api.fail(500, path="/api/acled/read")

        t = time.perf_counter()
        result = _sync(api, tmp_path, limit=1000, progress=trouble)
        assert time.perf_counter() - t >= 1.0  # the Retry-After was honoured
    assert result.rows == 4960 and _ids(tmp_path) == {r["event_id_cnty"] for r in acled_rows()}
    pages = [int(p["page"]) for p in api.requests_to("/api/acled/read")]
    assert sorted(set(pages)) == [1, 2, 3, 4, 5] and len(pages) == 7  # two pages asked twice: refused, then served


def test_a_server_that_keeps_failing_ends_with_a_clear_error_and_resumes_later(tmp_path):
    with ACLEDServer(acled_rows(), users={USER: PASSWORD}, lifetime=120) as api:
        api.fail(503, times=3, path="/api/acled/read")
        with pytest.raises(SourceError, match="HTTP 503"):
            _sync(api, tmp_path, limit=1000, retries=2)
        assert _sync(api, tmp_path, limit=1000).rows == 4960


# ---------------------------------------------------------------------------- UCDP releases
def _ucdp(api, store, version, **kw):
    return sync_ucdp(version, 482, token=UCDP_TOKEN, base_url=api.url, store=store, **kw)


def test_a_new_ucdp_release_replaces_the_old_for_the_same_query(tmp_path):
    old = ucdp_rows()
    new = [{**r, "best": r["best"] + 1} for r in old[48:]] + [{**old[0], "id": 9_000_000 + i} for i in range(5)]
    with UCDPServer({"23.1": old}, tokens={UCDP_TOKEN}, lifetime=120) as api:
        first = _ucdp(api, tmp_path, "23.1", page_size=500)
        assert first.rows == 1848 and first.pages == 4
        before = read_store("ucdp", country=482, store=tmp_path, warn=False)
        assert len(before) == 1848 and before["ucdp_version"].eq("23.1").all()
        assert before.attrs["report"].ok

        api.log.clear()
        same = _ucdp(api, tmp_path, "23.1")  # the release the query has: nothing asked
        assert same.up_to_date and not api.log

        api.publish("24.0.1", new)  # a candidate release
        second = _ucdp(api, tmp_path, "24.0.1", page_size=500)
    assert second.rows == len(new) == 1805
    after = read_store("ucdp", country="Central African Republic", store=tmp_path, warn=False)
    assert len(after) == 1805 and after["ucdp_version"].eq("24.0.1").all()
    assert set(after["source_event_id"]) == {str(r["id"]) for r in new}
    assert after["fatalities"].sum() == sum(r["best"] for r in new)
    with EventStore(tmp_path) as db:  # the old release is gone from the file, not just hidden
        assert db.con.execute("SELECT count(*) FROM ucdp WHERE _version = '23.1'").fetchone()[0] == 0


def test_an_interrupted_release_keeps_the_old_one_live_until_it_is_complete(tmp_path):
    old, new = ucdp_rows(), [{**r, "best": 0} for r in ucdp_rows()]
    with UCDPServer({"23.1": old, "24.1": new}, tokens={UCDP_TOKEN}, lifetime=120) as api:
        _ucdp(api, tmp_path, "23.1")

        def stop(done, total):
            if done >= 600:
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            _ucdp(api, tmp_path, "24.1", page_size=300, progress=stop)
        meanwhile = read_store("ucdp", store=tmp_path, warn=False)
        assert len(meanwhile) == 1848 and meanwhile["ucdp_version"].eq("23.1").all()
        api.log.clear()
        resumed = _ucdp(api, tmp_path, "24.1", page_size=300)
        assert resumed.resumed and int(api.requests_to("/api/gedevents")[0]["page"]) == 1
    after = read_store("ucdp", store=tmp_path, warn=False)
    assert len(after) == 1848 and after["ucdp_version"].eq("24.1").all() and after["fatalities"].sum() == 0


def test_read_store_country_and_period(tmp_path):
    with ACLEDServer(acled_rows(), users={USER: PASSWORD}, lifetime=60) as api:
        _sync(api, tmp_path)
    autumn = read_store("acled", country="armenia", since="2020-09-27", until="2020-11-10", store=tmp_path, warn=False)
    assert len(autumn) == 39 and autumn["valid"].all()
    assert autumn["sync_query"].str.startswith("acled?").all() and autumn["synced_at"].notna().all()
    assert len(read_store("acled", country=51, store=tmp_path, warn=False)) == 4960
    assert len(read_store("acled", country="Azerbaijan", store=tmp_path, warn=False)) == 0
    with pytest.raises(ValueError, match="unknown source"):
        read_store("gdelt", store=tmp_path)


def test_more_deletions_than_a_page(tmp_path):
    rows = acled_rows()
    with ACLEDServer(rows, users={USER: PASSWORD}, lifetime=60) as api:
        _sync(api, tmp_path, limit=1000)
        gone = sorted(api.rows)[:2500]  # three pages of the deleted endpoint at limit 1000
        api.delete(gone)
        again = _sync(api, tmp_path, limit=1000)
        assert [int(p["page"]) for p in api.requests_to("/api/deleted/read")] == [1, 2, 3]
    assert again.deleted == 2500 and _ids(tmp_path) == {r["event_id_cnty"] for r in rows} - set(gone)
