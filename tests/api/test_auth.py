"""Signing in and out: tokens, their expiry and revocation, and throttled failures."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from litestar.stores.memory import MemoryStore
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from procure.api.sign_in_throttle import MAX_FAILURES, STORE_NAME, WINDOW, SignInThrottle
from procure.services import accounts
from procure.services.passwords import needs_rehash
from procure.services.tokens import WRONG_CREDENTIALS, issue_token
from procure.storage.models import ApiToken, AuditLogEntry, Organisation, User, UserCreate

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


def test_failed_attempts_are_throttled_with_retry_after(api_client: TestClient, anna: User) -> None:
    for _ in range(MAX_FAILURES):
        assert sign_in(api_client, anna.email, "fel lösenord här").status_code == 401
    # Now even the right password waits.
    response = sign_in(api_client, anna.email, PASSWORD)
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= WINDOW.total_seconds()
    assert "too many failed sign-in attempts" in response.json()["error"]


def test_a_successful_sign_in_clears_the_emails_failures(api_client: TestClient, anna: User) -> None:
    # Failures that stay below the limit are forgotten by a successful sign-in.
    for _ in range(MAX_FAILURES - 1):
        assert sign_in(api_client, anna.email, "fel lösenord här").status_code == 401
    assert sign_in(api_client, anna.email, PASSWORD).status_code == 201
    store = api_client.app.stores.get(STORE_NAME)
    email_key = SignInThrottle.keys(anna.email, "x")[0]
    assert asyncio.run(store.get(email_key)) is None


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_throttle_counts_failures_per_email_across_addresses() -> None:
    clock = FakeClock()
    throttle = SignInThrottle(MemoryStore(), max_failures=3, window=timedelta(minutes=15), clock=clock)

    async def scenario() -> None:
        for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
            assert await throttle.retry_after("anna@example.se", address) is None
            await throttle.failed("anna@example.se", address)
            clock.now += 60
        # The email is locked from a fourth address too; another email is not.
        assert await throttle.retry_after("ANNA@example.se", "10.0.0.4") == 15 * 60 - 3 * 60
        assert await throttle.retry_after("bo@example.se", "10.0.0.4") is None
        # When the oldest failure leaves the window, one attempt may be made again.
        clock.now += 15 * 60 - 3 * 60
        assert await throttle.retry_after("anna@example.se", "10.0.0.4") is None

    asyncio.run(scenario())


def test_throttle_counts_failures_per_address_across_emails() -> None:
    clock = FakeClock()
    throttle = SignInThrottle(MemoryStore(), max_failures=3, clock=clock)

    async def scenario() -> None:
        for email in ("a@example.se", "b@example.se", "c@example.se"):
            await throttle.failed(email, "10.0.0.9")
        assert await throttle.retry_after("d@example.se", "10.0.0.9") == WINDOW.total_seconds()
        assert await throttle.retry_after("d@example.se", "10.0.0.10") is None
        # A success clears the email's count, never the address's.
        await throttle.succeeded("a@example.se", "10.0.0.9")
        assert await throttle.retry_after("a@example.se", "10.0.0.9") is not None

    asyncio.run(scenario())


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
