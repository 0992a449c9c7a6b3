"""Finding 5: sessions outlive sign-out.

The attacker holds a copy of the victim's page session cookie (a shared computer, a
leaked proxy log) and replays it after the victim signed out, changed the password or
was deactivated. The session lives on the server and ends in every app process at once.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import update
from sqlmodel import Session

from procure.services.sessions import IDLE
from procure.storage.models import WebSession
from procure.web.sessions import SESSION_COOKIE
from security_world import (
    NEW_PASSWORD,
    VICTIM_PASSWORD,
    api_sign_in,
    is_signed_in,
    page_sign_in,
    page_sign_out,
)


def copied_session(victim, attacker) -> None:
    """The attacker's browser gets a copy of the victim's session cookie."""
    attacker.cookies.set(SESSION_COOKIE, victim.cookies.get(SESSION_COOKIE), domain="testserver.local")


def victim_and_attacker(new_client):
    victim, attacker = new_client(), new_client()
    assert page_sign_in(victim).status_code == 303
    copied_session(victim, attacker)
    assert is_signed_in(attacker), "the copied cookie works while the victim is signed in"
    return victim, attacker


def test_finding_5_a_session_cookie_replayed_after_sign_out_is_refused(people, new_client) -> None:
    """Finding 5: sessions outlive sign-out (sign-out, through another app process)."""
    victim, attacker = victim_and_attacker(new_client)
    # The victim signs out through another app (another process but for the database).
    elsewhere = new_client()
    copied_session(victim, elsewhere)
    elsewhere.cookies.set("procure_csrf", victim.cookies.get("procure_csrf"), domain="testserver.local")
    assert page_sign_out(elsewhere).status_code == 303
    assert not is_signed_in(attacker)
    assert not is_signed_in(victim)


def test_finding_5_a_session_cookie_replayed_after_a_password_change_is_refused(people, new_client, api_client) -> None:
    """Finding 5: sessions outlive sign-out (the victim changes the password)."""
    victim, attacker = victim_and_attacker(new_client)
    token = api_sign_in(api_client).json()["token"]
    changed = api_client.patch(f"/api/users/{people.victim.id}", headers={"Authorization": f"Bearer {token}"},
                               json={"password": NEW_PASSWORD, "current_password": VICTIM_PASSWORD})
    assert changed.status_code == 200, changed.text
    assert not is_signed_in(attacker)
    assert not is_signed_in(victim), "every session of the user ends"
    assert page_sign_in(victim, password=NEW_PASSWORD).status_code == 303 and is_signed_in(victim)


def test_finding_5_a_session_cookie_replayed_after_an_admin_resets_the_password_is_refused(people, new_client, api_client) -> None:
    """Finding 5: sessions outlive sign-out (an administrator sets a new password)."""
    _victim, attacker = victim_and_attacker(new_client)
    reset = api_client.patch(f"/api/users/{people.victim.id}", headers=people.admin_headers, json={"password": NEW_PASSWORD})
    assert reset.status_code == 200, reset.text
    assert not is_signed_in(attacker)


def test_finding_5_a_session_cookie_replayed_after_deactivation_and_reactivation_is_refused(people, new_client, api_client) -> None:
    """Finding 5: sessions outlive sign-out (deactivation; reactivating does not revive them)."""
    _victim, attacker = victim_and_attacker(new_client)
    url = f"/api/users/{people.victim.id}"
    assert api_client.patch(url, headers=people.admin_headers, json={"is_active": False}).status_code == 200
    assert not is_signed_in(attacker)
    assert api_client.patch(url, headers=people.admin_headers, json={"is_active": True}).status_code == 200
    assert not is_signed_in(attacker), "the session ended with the deactivation"


def test_finding_5_an_idle_session_ends(people, new_client, clean_database) -> None:
    """Finding 5: sessions outlive sign-out (idle timeout)."""
    _victim, attacker = victim_and_attacker(new_client)
    with Session(clean_database) as session:
        session.execute(update(WebSession).values(last_seen_at=datetime.now(timezone.utc) - IDLE))
        session.commit()
    assert not is_signed_in(attacker)
