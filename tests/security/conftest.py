"""Fixtures of the security regression tests (issue 12): the app on the test database,
the parties of tests/api (api_parties.py) and their Remonthagen contract."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.append(str(Path(__file__).parent.parent / "api"))  # api_parties, contract_setup (last: not its conftest)

from api_parties import Tenants, populate_tenants
from contract_setup import add_contract
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


@pytest.fixture
def contract_id(tenants, clean_database):
    return add_contract(clean_database, tenants)
