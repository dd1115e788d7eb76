"""Bounded requests: 429 with Retry-After, 5xx, the time bound, the size cap, an unreachable host."""

from __future__ import annotations

import socket
import time

import pytest

from geoconflict.sources._http import Http, SourceError, retry_after_seconds
from geoconflict.sources.loopback import UCDPServer

TOKEN = {"x-ucdp-access-token": "t"}


@pytest.fixture
def api():
    with UCDPServer({"23.1": [{"id": i, "country_id": 482} for i in range(5)]}, tokens={"t"}, lifetime=60) as s:
        yield s


def _url(api) -> str:
    return api.url + "/api/gedevents/23.1"


def test_429_waits_for_retry_after_then_succeeds(api):
    waits: list[float] = []
    api.fail(429, times=2, retry_after="3")
    http = Http(sleep=waits.append, max_time=30)
    resp = http.request("GET", _url(api), params={"pagesize": 10}, headers=TOKEN)
    assert resp.status == 200 and resp.json()["TotalCount"] == 5
    assert waits == [3.0, 3.0]  # the server's word, not our backoff
    assert http.requests == 3


def test_a_500_is_retried_with_backoff(api):
    waits: list[float] = []
    api.fail(500)
    resp = Http(sleep=waits.append, backoff=0.2).request("GET", _url(api), headers=TOKEN)
    assert resp.status == 200
    assert len(waits) == 1 and 0.1 <= waits[0] <= 0.2


def test_persistent_500_is_returned_after_the_retries(api):
    api.fail(500, times=10)
    http = Http(sleep=lambda s: None, retries=3)
    assert http.request("GET", _url(api), headers=TOKEN).status == 500
    assert http.requests == 4


def test_a_retry_after_past_the_time_bound_stops_at_once(api):
    api.fail(429, retry_after="3600")
    slept = []
    with pytest.raises(SourceError, match="time bound"):
        Http(max_time=5, sleep=slept.append).request("GET", _url(api), headers=TOKEN)
    assert slept == []  # it stops at once instead of waiting an hour


def test_the_size_cap(api):
    with pytest.raises(SourceError, match="more than 50 bytes"):
        Http(max_bytes=50).request("GET", _url(api), headers=TOKEN)


def test_an_unreachable_host_is_a_clear_error_not_a_hang():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(SourceError, match=r"cannot reach 127\.0\.0\.1"):
        Http(retries=1, backoff=0.05, timeout=2).request("GET", f"http://127.0.0.1:{port}/api")


def test_retry_after_as_an_http_date():
    future = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    assert 25 <= retry_after_seconds(future) <= 31
    assert retry_after_seconds("Mon, 01 Jan 1990 00:00:00 GMT") == 0.0
