"""The people of the security findings' tests: a victim with a real password, an admin with
a token, and the ways an attacker reaches the app (a page client, a client at a chosen
network address).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import datetime, timezone

import httpx
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from procure.services import accounts
from procure.services.tokens import issue_token
from procure.storage.models import Organisation, User, UserCreate

VICTIM_EMAIL = "vera.viktorsson@ostersundshem.test"
VICTIM_PASSWORD = "Gran-Tjäle-Kvarn-Nio"
NEW_PASSWORD = "Myr-Lavin-Fjällripa-Tolv"
CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


@dataclass
class People:
    organisation: Organisation
    victim: User
    admin_headers: dict[str, str]


def build_people(engine: Engine) -> People:
    with Session(engine, expire_on_commit=False) as session:
        organisation = Organisation(name="Östersundshem AB", org_number="556110-1816", kind="buyer")
        session.add(organisation)
        session.commit()
        victim = accounts.create_user(
            session, None,
            UserCreate(email=VICTIM_EMAIL, full_name="Vera Viktorsson", role="buyer",
                       organisation_id=organisation.id, password=VICTIM_PASSWORD),
        )
        admin = User(email="admin@procure.test", role="admin", password_hash="!")
        session.add(admin)
        session.flush()
        token, _ = issue_token(session, admin, datetime.now(timezone.utc))
        session.commit()
    return People(organisation, victim, {"Authorization": f"Bearer {token}"})


def csrf_token(client: TestClient | httpx.Client, path: str = "/sign-in") -> str:
    found = CSRF_FIELD.search(client.get(path).text)
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def page_sign_in(client, email: str = VICTIM_EMAIL, password: str = VICTIM_PASSWORD):
    return client.post("/sign-in", data={"email": email, "password": password, "_csrf_token": csrf_token(client)},
                       follow_redirects=False)


def page_sign_out(client):
    return client.post("/sign-out", data={"_csrf_token": csrf_token(client, "/contracts")}, follow_redirects=False)


def is_signed_in(client) -> bool:
    """Whether the client's cookies open a page that needs a signed-in user."""
    response = client.get("/contracts", follow_redirects=False)
    if response.status_code == 200:
        return True
    assert response.status_code in (302, 303, 401), response.status_code
    assert "/sign-in" in response.headers.get("location", "/sign-in")
    return False


def api_sign_in(client, email: str = VICTIM_EMAIL, password: str = VICTIM_PASSWORD):
    return client.post("/api/auth/token", json={"email": email, "password": password})


def at_address(app: Litestar, address: str, *requests: tuple[str, str, dict]) -> list[httpx.Response]:
    """Send `requests` (method, path, keyword arguments) to `app` as a client at `address`."""

    async def send() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
            return [await client.request(method, path, **kwargs) for method, path, kwargs in requests]

    return asyncio.run(send())
