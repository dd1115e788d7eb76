"""fetch_acled against a loopback ACLED serving the real Armenian extract: OAuth, paging, filters, refusals."""

from __future__ import annotations

import pytest
from sourcefixtures import PASSWORD, USER, acled_rows

from geoconflict.incidents import read_incidents
from geoconflict.sources import AccessDenied, AuthError, fetch_acled
from geoconflict.sources.loopback import ACLEDServer

from conftest import shared_file

pytestmark = pytest.mark.shared_data


@pytest.fixture
def api():
    users = {USER: PASSWORD, "nodata@example.org": "pw2"}
    with ACLEDServer(acled_rows(), users=users, no_access={"nodata@example.org"}, lifetime=120) as s:
        yield s


def _fetch(api, **kw):
    return fetch_acled(username=USER, password=PASSWORD, base_url=api.url, warn=False, **kw)


def test_every_real_event_once_through_pages(api):
    events = _fetch(api, limit=1000)
    assert len(events) == 4960 and events["source_event_id"].is_unique
    pages = [int(p["page"]) for p in api.requests_to("/api/acled/read")]
    assert pages == [1, 2, 3, 4, 5]  # 4,960 rows: the fifth page is short, so it is the last
    grants = [p["grant_type"] for p in api.requests_to("/oauth/token")]
    assert grants == ["password"] and api.requests_to("/oauth/token")[0]["client_id"] == "acled"
    # the same validation as reading the file: same rows, same report
    direct = read_incidents(shared_file("events", "acled_hdx_conflict_data_arm.csv"), warn=False)
    assert set(events["source_event_id"]) == set(direct["source_event_id"])
    assert events["valid"].sum() == direct["valid"].sum()
    assert events.attrs["report"].rows == 4960 and events["dataset"].eq("ACLED").all()
    assert events["timestamp"].notna().all() and (events["iso"] == 51).all()


def test_filters_country_dates_between_and_event_type(api):
    autumn = _fetch(api, country="Armenia", since="2020-09-27", until="2020-11-10")
    params = api.requests_to("/api/acled/read")[0]
    assert params["event_date_where"] == "BETWEEN" and params["event_date"] == "2020-09-27|2020-11-10"
    rows = [r for r in acled_rows() if "2020-09-27" <= r["event_date"] <= "2020-11-10"]
    assert len(autumn) == len(rows) == 39
    strikes = _fetch(api, iso=51, since="2020-09-27", event_type="Explosions/Remote violence")
    assert len(strikes) and strikes["event_type"].eq("Explosions/Remote violence").all()
    assert (strikes["event_date"] >= "2020-09-27").all()
    assert len(_fetch(api, country="Atlantis")) == 0


def test_token_expired_mid_fetch_is_refreshed(api):
    def expire_after_two_pages(done, total):
        if done == 2000:
            api.expire_tokens()

    events = _fetch(api, limit=1000, progress=expire_after_two_pages)
    assert len(events) == 4960 and events["source_event_id"].is_unique
    grants = [p["grant_type"] for p in api.requests_to("/oauth/token")]
    assert grants == ["password", "refresh_token"]
    pages = [int(p["page"]) for p in api.requests_to("/api/acled/read")]
    assert pages == [1, 2, 3, 3, 4, 5]  # page 3 refused once (401), asked again with the new token


def test_a_token_near_its_expiry_is_refreshed_before_use():
    with ACLEDServer(acled_rows()[:30], users={USER: PASSWORD}, token_ttl=60, lifetime=60) as api:
        events = _fetch(api, limit=10)  # 60 s is inside the refresh margin: a new token before each page
    assert len(events) == 30
    grants = [p["grant_type"] for p in api.requests_to("/oauth/token")]
    assert grants[0] == "password" and grants[1:] == ["refresh_token"] * (len(grants) - 1) and len(grants) >= 4


def test_a_refused_refresh_token_falls_back_to_the_password(api):
    def drop_everything(done, total):
        if done == 1000:
            api.expire_tokens()
            api._refresh.clear()

    assert len(_fetch(api, limit=1000, progress=drop_everything)) == 4960
    assert [p["grant_type"] for p in api.requests_to("/oauth/token")] == ["password", "refresh_token", "password"]


def test_wrong_password_is_an_auth_error_without_the_password(api):
    with pytest.raises(AuthError) as err:
        fetch_acled(username=USER, password="wrong-" + PASSWORD, base_url=api.url)
    assert "credentials were incorrect" in str(err.value)
    assert PASSWORD not in str(err.value) and USER not in str(err.value)


def test_an_account_without_data_access_says_so(api):
    with pytest.raises(AccessDenied) as err:
        fetch_acled(username="nodata@example.org", password="pw2", base_url=api.url)
    msg = str(err.value)
    assert "no access to ACLED data through the API" in msg and "API access" in msg
    assert "pw2" not in msg and "nodata@example.org" not in msg


def test_no_credentials_names_the_variables(api, monkeypatch):
    for v in ("ACLED_USERNAME", "ACLED_PASSWORD", "ACLED_ACCESS_TOKEN"):
        monkeypatch.delenv(v, raising=False)
    with pytest.raises(AuthError, match=r"\$ACLED_USERNAME and \$ACLED_PASSWORD"):
        fetch_acled("Armenia", base_url=api.url)


def test_credentials_from_the_environment(api, monkeypatch):
    monkeypatch.setenv("ACLED_USERNAME", USER)
    monkeypatch.setenv("ACLED_PASSWORD", PASSWORD)
    monkeypatch.setenv("GEOCONFLICT_ACLED_URL", api.url)
    assert len(fetch_acled("Armenia", since="2020-12-01", warn=False)) > 0


def test_events_at_sea_are_asked_for_by_the_body_of_water():
    sea = {**acled_rows()[0], "event_id_cnty": "XSE1", "country": "Red Sea", "iso": "", "admin1": ""}
    with ACLEDServer([*acled_rows()[:5], sea], users={USER: PASSWORD}, lifetime=60) as api:
        events = _fetch(api, country="Red Sea")
    assert events["source_event_id"].tolist() == ["XSE1"]


def test_an_access_token_instead_of_a_password(api):
    import json
    import urllib.parse
    import urllib.request

    form = {"username": USER, "password": PASSWORD, "grant_type": "password", "client_id": "acled"}
    req = urllib.request.Request(api.url + "/oauth/token", data=urllib.parse.urlencode(form).encode())
    token = json.load(urllib.request.urlopen(req))["access_token"]
    assert len(fetch_acled("Armenia", since="2020-12-01", token=token, base_url=api.url, warn=False)) > 0
    api.expire_tokens()  # and without a password to sign in again, an expired token is a clear error
    with pytest.raises(AuthError, match="rejected or expired") as err:
        fetch_acled("Armenia", token=token, base_url=api.url)
    assert token not in str(err.value)
