"""Signing in and out: tokens, their expiry and revocation, and throttled failures."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from procure.services import accounts
from procure.services.passwords import needs_rehash
from procure.services.sign_in_throttle import (
    ADDRESS_FREE_FAILURES,
    FORGET_AFTER,
    FREE_FAILURES,
    MAX_DELAY,
    SignInThrottle,
)
from procure.services.tokens import WRONG_CREDENTIALS, issue_token
from procure.settings import get_settings
from procure.storage.models import ApiToken, AuditLogEntry, Organisation, SignInFailures, User, UserCreate

PASSWORD = "korrekt häst batteri"


@pytest.fixture
def anna(clean_database: Engine) -> User:
    """A buyer user with a real password, created as the console operator would."""
    with Session(clean_database, expire_on_commit=False) as session:
        organisation = Organisation(name="Östersundshem AB", org_number="556110-1816", kind="buyer")
        session.add(organisation)
        session.commit()
        return accounts.create_user(
            session,
            None,
            UserCreate(email="Anna.Berg@Ostersundshem.se", role="buyer", organisation_id=organisation.id, password=PASSWORD),
        )


def sign_in(client: TestClient, email: str, password: str):
    return client.post("/api/auth/token", json={"email": email, "password": password})


def test_sign_in_gives_a_token_that_identifies_the_user(api_client: TestClient, anna: User) -> None:
    response = sign_in(api_client, "ANNA.BERG@ostersundshem.se", PASSWORD)
    assert response.status_code == 201, response.text
    body = response.json()
    assert datetime.fromisoformat(body["expires_at"]) > datetime.now(timezone.utc) + timedelta(days=1)

    me = api_client.get("/api/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json() == {
        "user_id": str(anna.id),
        "email": "anna.berg@ostersundshem.se",
        "role": "buyer",
        "organisation_id": str(anna.organisation_id),
        "organisation_name": "Östersundshem AB",
        "is_org_admin": False,
    }


@pytest.mark.parametrize(
    "email, password",
    [("anna.berg@ostersundshem.se", "fel lösenord här"), ("nobody@ostersundshem.se", PASSWORD)],
    ids=["wrong password", "unknown email"],
)
def test_wrong_email_or_password_get_the_same_answer(api_client: TestClient, anna: User, email: str, password: str) -> None:
    response = sign_in(api_client, email, password)
    assert response.status_code == 401
    assert response.json() == {"error": WRONG_CREDENTIALS}
    assert "token" not in response.text


def test_an_inactive_user_cannot_sign_in(api_client: TestClient, anna: User, clean_database: Engine) -> None:
    with Session(clean_database) as session:
        session.get(User, anna.id).is_active = False
        session.commit()
    response = sign_in(api_client, anna.email, PASSWORD)
    assert response.status_code == 401
    assert response.json() == {"error": WRONG_CREDENTIALS}


def test_a_malformed_sign_in_request_is_a_400_naming_the_field(api_client: TestClient) -> None:
    response = api_client.post("/api/auth/token", json={"email": "anna@example.se"})
    assert response.status_code == 400
    assert "password" in response.text


def throttle() -> SignInThrottle:
    return SignInThrottle(get_settings().secret_key)


def test_failed_attempts_are_throttled_with_retry_after(api_client: TestClient, anna: User, clean_database: Engine) -> None:
    for _ in range(FREE_FAILURES - 1):
        assert sign_in(api_client, anna.email, "fel lösenord här").status_code == 401
    # Many more failures from this client (TestClient's address is "testclient").
    with Session(clean_database) as session:
        for _ in range(12):
            throttle().failed(session, anna.email, "testclient")
    # Now even the right password waits.
    response = sign_in(api_client, anna.email, PASSWORD)
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= MAX_DELAY.total_seconds()
    assert "too many failed sign-in attempts" in response.json()["error"]


def test_a_successful_sign_in_clears_the_accounts_failures(api_client: TestClient, anna: User, clean_database: Engine) -> None:
    # Failures that stay below the limit are forgotten by a successful sign-in.
    for _ in range(FREE_FAILURES - 1):
        assert sign_in(api_client, anna.email, "fel lösenord här").status_code == 401
    assert sign_in(api_client, anna.email, PASSWORD).status_code == 201
    account_key, address_key = throttle().keys(anna.email, "testclient")
    with Session(clean_database) as session:
        left = {row.key: row.failures for row in session.exec(select(SignInFailures)).all()}
    assert left == {address_key: FREE_FAILURES - 1}, "the address's count stays"


def test_the_wait_grows_with_each_failure_and_is_forgotten_later(session: Session) -> None:
    limiter = SignInThrottle(b"k" * 32)
    now = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
    waits = []
    for _ in range(FREE_FAILURES + 3):
        limiter.failed(session, "anna@example.se", "10.0.0.1", now)
        waits.append(limiter.retry_after(session, "anna@example.se", "10.0.0.1", now))
    assert waits == [None] * (FREE_FAILURES - 1) + [1, 2, 4, 8]
    assert limiter.retry_after(session, "anna@example.se", "10.0.0.1", now + timedelta(seconds=8)) is None
    for _ in range(30):
        limiter.failed(session, "anna@example.se", "10.0.0.1", now)
    assert limiter.retry_after(session, "anna@example.se", "10.0.0.1", now) == MAX_DELAY.total_seconds()
    # The same account from another address, and another account, may try at once.
    assert limiter.retry_after(session, "anna@example.se", "10.0.0.2", now) is None
    assert limiter.retry_after(session, "bo@example.se", "10.0.0.1", now) is None
    # A key with no failure for FORGET_AFTER starts again from nothing.
    later = now + FORGET_AFTER + timedelta(seconds=1)
    assert limiter.retry_after(session, "anna@example.se", "10.0.0.1", later) is None
    limiter.failed(session, "anna@example.se", "10.0.0.1", later)
    assert limiter.retry_after(session, "anna@example.se", "10.0.0.1", later) is None
    rows = session.exec(select(SignInFailures)).all()
    assert sorted(row.failures for row in rows) == [1, 1], "stale counts restart (and old keys are cleared)"


def test_one_address_trying_many_accounts_is_slowed_down(session: Session) -> None:
    limiter = SignInThrottle(b"k" * 32)
    now = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
    for n in range(ADDRESS_FREE_FAILURES + 2):
        limiter.failed(session, f"user{n}@example.se", "10.0.0.9", now)
    assert limiter.retry_after(session, "new@example.se", "10.0.0.9", now) == 4
    assert limiter.retry_after(session, "new@example.se", "10.0.0.10", now) is None
    # A success clears the account's count from that address, never the address's.
    limiter.succeeded(session, "user0@example.se", "10.0.0.9")
    assert limiter.retry_after(session, "user0@example.se", "10.0.0.9", now) == 4


def test_an_expired_token_is_refused(api_client: TestClient, anna: User, clean_database: Engine) -> None:
    with Session(clean_database) as session:
        user = session.get(User, anna.id)
        old, _ = issue_token(session, user, datetime.now(timezone.utc) - timedelta(days=31))
        fresh, _ = issue_token(session, user, datetime.now(timezone.utc))
        session.commit()
    assert api_client.get("/api/me", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200
    response = api_client.get("/api/me", headers={"Authorization": f"Bearer {old}"})
    assert response.status_code == 401
    assert "expired" in response.json()["error"]


def test_signing_out_revokes_only_the_token_used(api_client: TestClient, anna: User, clean_database: Engine) -> None:
    first = sign_in(api_client, anna.email, PASSWORD).json()["token"]
    second = sign_in(api_client, anna.email, PASSWORD).json()["token"]

    response = api_client.delete("/api/auth/token", headers={"Authorization": f"Bearer {first}"})
    assert response.status_code == 204
    assert api_client.get("/api/me", headers={"Authorization": f"Bearer {first}"}).status_code == 401
    assert api_client.get("/api/me", headers={"Authorization": f"Bearer {second}"}).status_code == 200
    # Revoking twice, or without a token, is refused.
    assert api_client.delete("/api/auth/token", headers={"Authorization": f"Bearer {first}"}).status_code == 401
    assert api_client.delete("/api/auth/token").status_code == 401

    with Session(clean_database) as session:
        actions = session.exec(
            select(AuditLogEntry.action).where(AuditLogEntry.object_type == "api_token").order_by(AuditLogEntry.sequence)
        ).all()
        tokens = session.exec(select(ApiToken).where(ApiToken.user_id == anna.id)).all()
    assert actions == ["issue", "issue", "revoke"]
    assert sorted(t.revoked_at is not None for t in tokens) == [False, True]


def test_signing_in_rehashes_a_password_hashed_with_old_parameters(
    api_client: TestClient, anna: User, clean_database: Engine
) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with Session(clean_database) as session:
        session.get(User, anna.id).password_hash = weak
        session.commit()
    assert needs_rehash(weak)

    assert sign_in(api_client, anna.email, PASSWORD).status_code == 201
    with Session(clean_database) as session:
        stored = session.get(User, anna.id).password_hash
    assert stored != weak and not needs_rehash(stored)
    assert sign_in(api_client, anna.email, PASSWORD).status_code == 201
