"""The API tests' fixtures, shared with the security tests: the app on the test database
(`api_client`), and two tenants with users (`tenants`, built by api_parties)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_parties import Tenants, populate_tenants
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from procure.app import create_app


@pytest.fixture
def api_client(clean_database: Engine) -> Iterator[TestClient]:
    with TestClient(app=create_app(engine=clean_database)) as client:
        yield client


@pytest.fixture
def tenants(clean_database: Engine) -> Tenants:
    built = Tenants()
    with Session(clean_database, expire_on_commit=False) as session:
        populate_tenants(session, built)
    return built
