"""Security regression tests (issue 12's findings): the app on the test database, the
API tests' two tenants, and signed-in page clients."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).parents[1] / "api"))

from api_parties import Tenants, populate_tenants  # noqa: E402

from procure.app import create_app  # noqa: E402


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

