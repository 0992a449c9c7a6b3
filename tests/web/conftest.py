"""Page test fixtures: the app on the test database, users with passwords, signed-in clients."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from procure.app import create_app
from web_world import PASSWORD, World, build_world

CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


@pytest.fixture
def world(clean_database: Engine) -> World:
    return build_world(clean_database)


@pytest.fixture
def app_client(clean_database: Engine) -> Iterator[TestClient]:
    with TestClient(app=create_app(engine=clean_database)) as client:
        yield client


def csrf_token(client: TestClient, path: str = "/sign-in") -> str:
    """The token a page's forms carry (the cookie is set on the same GET)."""
    found = CSRF_FIELD.search(client.get(path).text)
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    response = client.post("/sign-in", data={"email": email, "password": password, "_csrf_token": csrf_token(client)},
                           follow_redirects=False)
    assert response.status_code == 303, response.text


@pytest.fixture
def signed_in(clean_database: Engine, world: World) -> Iterator[Callable[[str], TestClient]]:
    """`signed_in("buyer")`: a client of its own, signed in as that user of the world."""
    clients: list[TestClient] = []

    def make(name: str) -> TestClient:
        client = TestClient(app=create_app(engine=clean_database))
        client.__enter__()
        clients.append(client)
        sign_in(client, world.email(name))
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)
