"""No credential in any file the project writes or in any message: syncs, refusals, outputs, logs, reprs.

Every credential used (the account, its password, the UCDP token, and every access and
refresh token the server handed out) is looked for, byte for byte, in every file written
under the test's folder and the cache, in stdout and stderr, in the log records at DEBUG,
in warnings, in exception messages and in the reprs of the objects a user sees.
"""

from __future__ import annotations

import logging
import pickle
import time
import warnings

import pytest
from sourcefixtures import PASSWORD, UCDP_TOKEN, USER, acled_rows, ucdp_rows

from geoconflict.cli import main
from geoconflict.settings import cache_root
from geoconflict.sources import (
    AccessDenied,
    ACLEDClient,
    AuthError,
    UCDPClient,
    fetch_acled,
    read_store,
    sync_acled,
    sync_ucdp,
)
from geoconflict.sources._rows import Secret
from geoconflict.sources.loopback import ACLEDServer, UCDPServer

pytestmark = pytest.mark.shared_data

OTHER_USER, OTHER_PASSWORD = "nodata-91c2@example.org", "pw-nodata-5e7b-never-print"


def _files_written(root, since: float):
    if not root.exists():
        return []
    return [p for p in root.rglob("*") if p.is_file() and p.stat().st_mtime >= since - 1]


def test_no_credential_anywhere(tmp_path, monkeypatch, capfd, caplog):
    started = time.time()
    caplog.set_level(logging.DEBUG)
    messages: list[str] = []
    users = {USER: PASSWORD, OTHER_USER: OTHER_PASSWORD}
    store = tmp_path / "store"
    with (
        warnings.catch_warnings(record=True) as caught,
        ACLEDServer(acled_rows(), users=users, no_access={OTHER_USER}, token_ttl=60, lifetime=120) as acled,
        UCDPServer({"23.1": ucdp_rows()}, tokens={UCDP_TOKEN}, lifetime=120) as ucdp,
    ):
        warnings.simplefilter("always")
        monkeypatch.setenv("ACLED_USERNAME", USER)
        monkeypatch.setenv("ACLED_PASSWORD", PASSWORD)
        monkeypatch.setenv("UCDP_TOKEN", UCDP_TOKEN)
        # the command line: syncs (a 60 s token: refreshed before every page), reads, outputs
        assert main(["sync", "acled", "--country", "Armenia", "--limit", "1000", "--store", str(store),
                     "--base-url", acled.url]) == 0  # fmt: skip
        acled.expire_tokens()
        assert main(["sync", "acled", "--country", "Armenia", "--store", str(store), "--base-url", acled.url]) == 0
        assert main(["sync", "ucdp", "--version", "23.1", "--store", str(store), "--base-url", ucdp.url]) == 0
        assert main(["sync", "status", "--store", str(store)]) == 0
        for out in ("a.gpkg", "a.csv", "a.geojson", "a.parquet"):
            assert main(["events", "--source", "acled", "--store", str(store), "-o", str(tmp_path / out)]) == 0
        assert main(["events", "--source", "ucdp", "--store", str(store), "-o", str(tmp_path / "u.gpkg")]) == 0
        spec = f"store:acled?country=Armenia&store={store}"
        assert main(["map", spec, "--tiles", "none", "--offline", "-o", str(tmp_path / "m.html")]) == 0
        # refusals through the command line
        monkeypatch.setenv("ACLED_PASSWORD", "wrong-" + PASSWORD)
        assert main(["sync", "acled", "--store", str(store), "--base-url", acled.url]) == 2
        monkeypatch.setenv("ACLED_USERNAME", OTHER_USER)
        monkeypatch.setenv("ACLED_PASSWORD", OTHER_PASSWORD)
        assert main(["sync", "acled", "--store", str(store), "--base-url", acled.url]) == 2
        monkeypatch.setenv("UCDP_TOKEN", "wrong-" + UCDP_TOKEN)
        assert main(["sync", "ucdp", "--version", "24.1", "--store", str(store), "--base-url", ucdp.url]) == 2
        # the library: results, errors and the objects a user prints
        result = sync_acled("Armenia", username=USER, password=PASSWORD, base_url=acled.url, store=store)
        messages += [str(result), repr(result)]
        result = sync_ucdp("23.1", token=UCDP_TOKEN, base_url=ucdp.url, store=store)
        messages += [str(result), repr(result)]
        client = ACLEDClient(USER, PASSWORD, base_url=acled.url)
        client.get("acled", {"limit": 1})
        messages += [repr(client), str(client), repr(vars(client)), repr(UCDPClient(UCDP_TOKEN, ucdp.url))]
        for call, exc in (
            (lambda: fetch_acled(username=USER, password="x" + PASSWORD, base_url=acled.url), AuthError),
            (lambda: fetch_acled(username=OTHER_USER, password=OTHER_PASSWORD, base_url=acled.url), AccessDenied),
            (lambda: UCDPClient("wrong-" + UCDP_TOKEN, ucdp.url).get(ucdp.url + "/api/gedevents/23.1"), AuthError),
        ):
            with pytest.raises(exc) as err:
                call()
            messages += [str(err.value), repr(err.value)]
        messages.append(repr(read_store("acled", store=store, warn=False).attrs["report"]))
        issued = list(acled.issued)

    captured = capfd.readouterr()
    messages += [captured.out, captured.err, caplog.text, *(str(w.message) for w in caught)]
    secrets = [USER, PASSWORD, OTHER_USER, OTHER_PASSWORD, UCDP_TOKEN, *issued]
    assert len(issued) >= 10  # the syncs did sign in and refresh: there were tokens to leak
    text = "\n".join(messages)
    assert "refused the sign-in" in text and "no access to ACLED data" in text  # the refusals were seen
    assert not [s for s in secrets if s in text]
    files = _files_written(tmp_path, started) + _files_written(cache_root(), started)
    assert any(p.suffix == ".duckdb" for p in files) and len(files) >= 7
    leaks = [(p.name, s[:6]) for p in files for s in secrets if s.encode() in p.read_bytes()]
    assert not leaks


def test_a_secret_never_prints_nor_pickles():
    s = Secret(PASSWORD)
    assert PASSWORD not in f"{s} {s!r} {[s]} { ({'p': s}) }"
    with pytest.raises(TypeError):
        pickle.dumps(s)
