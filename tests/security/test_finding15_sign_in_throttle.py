"""Finding 15: lockout as a weapon; forwarded addresses trusted.

The attacker knows the victim's email and fails on purpose, from their own address, to
lock the victim out; or sends a forged X-Forwarded-For to make their failures count
against someone else's address (or to escape their own count). Failures are counted per
account *and client address*, with growing delays, in the database; forwarded headers
are believed only from the proxies in PROCURE_TRUSTED_PROXIES.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from datetime import timedelta

import pytest

from procure.forwarded import forwarded_client
from procure.app import create_app
from procure.services import sign_in_throttle
from procure.settings import ConfigurationError, get_settings, load_settings
from security_world import VICTIM_EMAIL, VICTIM_PASSWORD, api_sign_in, at_address, csrf_token
from serving import client_from, procure_server

ATTACKER = "203.0.113.66"
VICTIM_AT = "198.51.100.7"
WRONG = {"email": VICTIM_EMAIL, "password": "Gissning-Nummer-Ett-Två"}
RIGHT = {"email": VICTIM_EMAIL, "password": VICTIM_PASSWORD}
ATTEMPTS = 20  # twice the old lockout's ten


@pytest.fixture
def long_waits(monkeypatch) -> None:
    """The first wait is ten minutes rather than a second, so that no test depends on how
    fast it runs."""
    monkeypatch.setattr(sign_in_throttle, "FIRST_DELAY", timedelta(minutes=10))


def test_finding_15_an_attackers_failures_do_not_lock_the_victim_out(people, clean_database, long_waits) -> None:
    """Finding 15: lockout as a weapon (the victim signs in from another address)."""
    app = create_app(engine=clean_database)
    attack = at_address(app, ATTACKER, *[("POST", "/api/auth/token", {"json": WRONG})] * ATTEMPTS)
    assert [r.status_code for r in attack[: sign_in_throttle.FREE_FAILURES]] == [401] * sign_in_throttle.FREE_FAILURES
    assert {r.status_code for r in attack[sign_in_throttle.FREE_FAILURES:]} == {429}
    assert int(attack[-1].headers["Retry-After"]) > 0
    # Even the right password waits at the attacker's address…
    [guessed] = at_address(app, ATTACKER, ("POST", "/api/auth/token", {"json": RIGHT}))
    assert guessed.status_code == 429
    # …while the victim, elsewhere, signs in as usual.
    [victim] = at_address(app, VICTIM_AT, ("POST", "/api/auth/token", {"json": RIGHT}))
    assert victim.status_code == 201, victim.text


def test_finding_15_every_app_process_shares_the_count(people, new_client, long_waits) -> None:
    """Finding 15: lockout as a weapon (throttles shared by all processes, in the database);
    the pages answer a readable 429 page."""
    first, second = new_client(), new_client()  # two apps: nothing in memory is shared
    for _ in range(sign_in_throttle.FREE_FAILURES):
        assert first.post("/api/auth/token", json=WRONG).status_code == 401
    response = api_sign_in(second)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 60
    assert "too many failed sign-in attempts" in response.json()["error"]

    page = second.post("/sign-in", data={**RIGHT, "_csrf_token": csrf_token(second)}, follow_redirects=False)
    assert page.status_code == 429
    assert page.headers["content-type"].startswith("text/html"), page.text
    assert int(page.headers["Retry-After"]) > 60
    assert "För många misslyckade inloggningar" in page.text


def test_finding_15_behind_a_trusted_proxy_each_client_counts_apart(people, clean_database, long_waits) -> None:
    """Finding 15: forwarded addresses trusted (only from a named proxy, and then per client)."""
    settings = dataclasses.replace(get_settings(), trusted_proxies=("10.0.0.5/32",))
    app = create_app(settings=settings, engine=clean_database)
    via_proxy = {"headers": {"X-Forwarded-For": f"{VICTIM_AT}, {ATTACKER}"}}  # the attacker forged the first hop
    attack = at_address(app, "10.0.0.5", *[("POST", "/api/auth/token", {"json": WRONG, **via_proxy})] * ATTEMPTS)
    assert attack[-1].status_code == 429
    [victim] = at_address(app, "10.0.0.5", ("POST", "/api/auth/token",
                                            {"json": RIGHT, "headers": {"X-Forwarded-For": VICTIM_AT}}))
    assert victim.status_code == 201, victim.text
    # From an address that is not a trusted proxy the header counts for nothing.
    [forged] = at_address(app, ATTACKER, ("POST", "/api/auth/token",
                                          {"json": RIGHT, "headers": {"X-Forwarded-For": "192.0.2.1"}}))
    assert forged.status_code == 429


def test_finding_15_the_forwarded_client_is_the_first_untrusted_hop() -> None:
    """Finding 15: forwarded addresses trusted (how the client is read)."""
    trusted = [ipaddress.ip_network("10.0.0.0/24")]
    assert forwarded_client("10.0.0.5", "198.51.100.7, 10.0.0.9", trusted) == "198.51.100.7"
    assert forwarded_client("10.0.0.5", "1.2.3.4, 198.51.100.7", trusted) == "198.51.100.7"
    assert forwarded_client("127.0.0.1", "198.51.100.7", trusted) == "127.0.0.1"
    assert forwarded_client("10.0.0.5", "not an address", trusted) == "10.0.0.5"
    assert forwarded_client("127.0.0.1", "198.51.100.7", []) == "127.0.0.1"


def test_finding_15_trusted_proxies_setting() -> None:
    """Finding 15: forwarded addresses trusted (the setting, default none)."""
    base = {"PROCURE_SECRET_KEY": "k" * 32}
    assert load_settings(base).trusted_proxies == ()
    assert load_settings({**base, "PROCURE_TRUSTED_PROXIES": "10.0.0.5, 192.168.1.0/24"}).trusted_proxies == (
        "10.0.0.5/32", "192.168.1.0/24")
    with pytest.raises(ConfigurationError) as raised:
        load_settings({**base, "PROCURE_TRUSTED_PROXIES": "10.0.0.5,proxy.local"})
    assert "PROCURE_TRUSTED_PROXIES" in str(raised.value) and "'proxy.local'" in str(raised.value)


def test_finding_15_a_forged_forwarded_address_from_loopback_is_not_believed(people, database_url, tmp_path) -> None:
    """Finding 15: forwarded addresses trusted from loopback (a real `procure serve`)."""
    with procure_server(database_url, tmp_path) as base:
        # The attacker, on the server's own machine, pins failures on the victim's address:
        # more than enough to slow that address down, were the header believed.
        with client_from("127.0.0.1", base) as attacker:
            for n in range(sign_in_throttle.ADDRESS_FREE_FAILURES + 5):
                attacker.post("/api/auth/token", json={"email": f"nobody{n}@example.test", "password": "Fel-Fel-Fel-Fel"},
                              headers={"X-Forwarded-For": "127.0.0.3"})
        with client_from("127.0.0.3", base) as victim:
            response = victim.post("/api/auth/token", json=RIGHT)
    assert response.status_code == 201, response.text
