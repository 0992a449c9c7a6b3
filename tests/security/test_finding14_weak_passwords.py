"""Finding 14: weak passwords pass.

The attacker guesses: a repeated letter, the user's organisation and a year, or the demo's
published password. Every place a password is set refuses what is easy to guess for
someone who knows the user's email and organisation (zxcvbn, score 3 or more), so the
guess never becomes a working password. Only `procure demo` sets `procure-demo`.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from procure.cli import cli
from procure.services.passwords import DEMO_PASSWORD
from procure.storage.models import User
from security_world import VICTIM_PASSWORD, api_sign_in

# Weak for this user in particular: zxcvbn rates it 4 without knowing the user's
# organisation, 1 knowing it.
GUESSES = ["aaaaaaaaaa", "ostersundshem2026", DEMO_PASSWORD]
IDS = ["repeated letter", "organisation and year", "the demo's password"]


def refused(response) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert "password" in body["error"] and any(p.get("field") == "password" for p in body.get("problems", []))


@pytest.mark.parametrize("guess", GUESSES, ids=IDS)
def test_finding_14_an_admin_cannot_give_a_new_user_a_guessable_password(people, api_client, guess) -> None:
    """Finding 14: weak passwords pass (API, creating a user)."""
    email = "nyanstalld@ostersundshem.test"
    response = api_client.post("/api/users", headers=people.admin_headers, json={
        "email": email, "role": "buyer", "organisation_id": str(people.organisation.id), "password": guess,
    })
    refused(response)
    assert api_sign_in(api_client, email, guess).status_code == 401


@pytest.mark.parametrize("guess", GUESSES, ids=IDS)
def test_finding_14_a_user_cannot_change_to_a_guessable_password(people, api_client, guess) -> None:
    """Finding 14: weak passwords pass (API, changing one's own password)."""
    token = api_sign_in(api_client).json()["token"]
    response = api_client.patch(f"/api/users/{people.victim.id}", headers={"Authorization": f"Bearer {token}"},
                                json={"password": guess, "current_password": VICTIM_PASSWORD})
    refused(response)
    assert api_sign_in(api_client, password=guess).status_code == 401


@pytest.mark.parametrize("guess", GUESSES, ids=IDS)
def test_finding_14_the_console_refuses_a_guessable_password(people, clean_database, guess) -> None:
    """Finding 14: weak passwords pass (`procure users create`)."""
    email = "konsol@ostersundshem.test"
    result = CliRunner().invoke(cli, ["users", "create", email, "--role", "buyer", "--org-number", "556110-1816"],
                                input=guess + "\n", catch_exceptions=False)
    assert result.exit_code == 2
    assert "password" in result.stderr and "Traceback" not in result.stderr
    with Session(clean_database) as session:
        assert session.exec(select(User).where(User.email == email)).first() is None
