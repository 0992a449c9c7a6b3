"""Fixtures of the security findings' tests (the people are in security_world.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from procure.app import create_app
from security_world import People, build_people


@pytest.fixture
def people(clean_database: Engine) -> People:
    return build_people(clean_database)


@pytest.fixture
def new_client(clean_database: Engine) -> Iterator[Callable[[], TestClient]]:
    """`new_client()`: a client with cookies of its own, on an app of its own (as another
    browser talking to another app process would be, but for the database)."""
    clients: list[TestClient] = []

    def make() -> TestClient:
        client = TestClient(app=create_app(engine=clean_database))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def api_client(clean_database: Engine) -> Iterator[TestClient]:
    with TestClient(app=create_app(engine=clean_database)) as client:
        yield client
