"""Finding 6: password change without the current password.

The attacker holds one of the victim's bearer tokens (or a page session) for a while and
tries to make the account theirs for good by setting a new password with PATCH on the
victim's own user. The current password is required, and a changed password ends the
user's other sessions and tokens.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from sqlmodel import Session

from procure.services import sign_in_throttle
from procure.services.passwords import verify_password
from procure.storage.models import User
from security_world import NEW_PASSWORD, VICTIM_PASSWORD, api_sign_in, is_signed_in, page_sign_in


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    "body",
    [{"password": NEW_PASSWORD}, {"password": NEW_PASSWORD, "current_password": "Fel-Gissning-Igen-Sju"}],
    ids=["no current password", "wrong current password"],
)
def test_finding_6_a_stolen_token_cannot_set_a_new_password(people, api_client, body) -> None:
    """Finding 6: password change without the current password."""
    stolen = api_sign_in(api_client).json()["token"]
    response = api_client.patch(f"/api/users/{people.victim.id}", headers=bearer(stolen), json=body)
    assert 400 <= response.status_code < 500
    assert "current_password" in response.text
    # Nothing changed: the victim's password still works, the attacker's does not.
    assert api_sign_in(api_client).status_code == 201
    assert api_sign_in(api_client, password=NEW_PASSWORD).status_code == 401


def test_finding_6_a_changed_password_ends_the_users_other_tokens_and_sessions(people, api_client, new_client) -> None:
    """Finding 6: password change without the current password (other sessions and tokens end)."""
    stolen_token = api_sign_in(api_client).json()["token"]
    stolen_page = new_client()
    assert page_sign_in(stolen_page).status_code == 303
    own = api_sign_in(api_client).json()["token"]

    changed = api_client.patch(f"/api/users/{people.victim.id}", headers=bearer(own),
                               json={"password": NEW_PASSWORD, "current_password": VICTIM_PASSWORD})
    assert changed.status_code == 200, changed.text
    assert api_client.get("/api/me", headers=bearer(stolen_token)).status_code == 401
    assert not is_signed_in(stolen_page)
    assert api_sign_in(api_client, password=NEW_PASSWORD).status_code == 201


def test_finding_6_guessing_the_current_password_is_throttled(people, api_client, clean_database, monkeypatch) -> None:
    """Finding 6: password change without the current password (no unlimited guessing
    of the current password with a stolen token)."""
    monkeypatch.setattr(sign_in_throttle, "FIRST_DELAY", timedelta(minutes=10))  # no test depends on its speed
    stolen = bearer(api_sign_in(api_client).json()["token"])
    url = f"/api/users/{people.victim.id}"
    guesses = [api_client.patch(url, headers=stolen, json={"password": NEW_PASSWORD, "current_password": f"Gissning-{n}-Tjäle"})
               for n in range(sign_in_throttle.FREE_FAILURES + 1)]
    assert [r.status_code for r in guesses] == [422] * sign_in_throttle.FREE_FAILURES + [429]
    assert int(guesses[-1].headers["Retry-After"]) > 60
    right = api_client.patch(url, headers=stolen, json={"password": NEW_PASSWORD, "current_password": VICTIM_PASSWORD})
    assert right.status_code == 429, "even the right guess waits"
    with Session(clean_database) as session:
        assert verify_password(session.get(User, people.victim.id).password_hash, VICTIM_PASSWORD), "nothing changed"
