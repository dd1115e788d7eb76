"""The opt-in online fallback, with a fake geopy geocoder (no network)."""

import pytest
from geopy.exc import GeocoderTimedOut, GeocoderUnavailable
from geopy.location import Location

from geoconflict.gazetteer.online import OnlineGeocoder, OnlineGeocodingError


class FakeGeocoder:
    """Answers like a geopy geocoder; records every query."""

    def __init__(self, answers=None, error=None):
        self.answers = answers or {}
        self.error = error
        self.queries = []

    def geocode(self, query, exactly_one=True, timeout=None):
        self.queries.append((query, timeout))
        if self.error:
            raise self.error
        if query in self.answers:
            lat, lon = self.answers[query]
            return Location(f"{query.split(',')[0]}, Somewhere", (lat, lon), {"place_id": 4242})
        return None


@pytest.fixture
def no_sleep(monkeypatch):
    """A fake clock for geopy's RateLimiter: sleeping advances it instantly and is recorded."""
    now = [1000.0]
    sleeps = []

    def sleep(self, seconds):
        sleeps.append(seconds)
        now[0] += seconds

    monkeypatch.setattr("geopy.extra.rate_limiter.RateLimiter._sleep", sleep)
    monkeypatch.setattr("geopy.extra.rate_limiter.RateLimiter._clock", lambda self: now[0])
    return sleeps


def test_offline_answer_never_asks_online(gazetteer, tmp_path, no_sleep):
    fake = FakeGeocoder()
    gaz = gazetteer.with_online(fake, cache_path=tmp_path / "c.sqlite")
    assert gaz.resolve("Yerevan").source == "geonames"
    assert fake.queries == []


def test_unknown_name_goes_online_once_and_is_cached(gazetteer, tmp_path, no_sleep):
    fake = FakeGeocoder({"Qwpmrtz Village, AM": (40.5, 44.7)})
    gaz = gazetteer.with_online(fake, cache_path=tmp_path / "c.sqlite", timeout=3)
    m = gaz.resolve("Qwpmrtz Village", country="AM")
    assert m.match_type == "online" and m.source == "online:FakeGeocoder"
    assert (m.latitude, m.longitude, m.country_code) == (40.5, 44.7, "AM")
    assert m.source_id == "4242"
    assert fake.queries == [("Qwpmrtz Village, AM", 3)]
    # a new gazetteer on the same cache file does not ask again, not even for a miss
    fake2 = FakeGeocoder()
    gaz2 = gazetteer.with_online(fake2, cache_path=tmp_path / "c.sqlite")
    assert gaz2.resolve("Qwpmrtz Village", country="AM").latitude == 40.5
    assert gaz2.resolve("Zzyzzyqx") is None
    assert gaz2.resolve("Zzyzzyqx") is None
    assert [q for q, _ in fake2.queries] == ["Zzyzzyqx"]


def test_requests_are_rate_limited(tmp_path, no_sleep):
    fake = FakeGeocoder()
    online = OnlineGeocoder(fake, min_delay_seconds=1.5, cache_path=tmp_path / "c.sqlite")
    for name in ("a1", "a2", "a3"):
        online.lookup(name)
    assert len(fake.queries) == 3
    assert no_sleep == [1.5, 1.5]


@pytest.mark.parametrize("error", [GeocoderTimedOut("timed out"), GeocoderUnavailable("unreachable")])
def test_network_failure_is_a_clear_error(gazetteer, tmp_path, no_sleep, error):
    gaz = gazetteer.with_online(FakeGeocoder(error=error), cache_path=tmp_path / "c.sqlite", max_retries=1)
    with pytest.raises(OnlineGeocodingError, match="resolve offline only"):
        gaz.resolve("Qwpmrtz Hamlet")
