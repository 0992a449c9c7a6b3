"""Fixtures of the security findings' tests: the app, the people of security_world.py,
the two tenants of the API tests, a contract of each buyer, and a contract with placements
that reports can be made of."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from procure.app import create_app
from procure.storage.models import Contract
from security_world import People, build_people

# api_parties, contract_setup, web_world; appended, so that tests/api/conftest.py does not shadow ours
for folder in ("api", "web"):
    sys.path.append(str(Path(__file__).resolve().parents[1] / folder))
from api_fixtures import api_client, tenants  # noqa: E402,F401
from api_parties import Tenants  # noqa: E402
from appointment_consent import accept_appointments  # noqa: E402
from contract_setup import add_contract  # noqa: E402
# The page tests' signed-in clients (not together with `tenants` in one test: both create
# the same organisations).
from web.conftest import app_client, signed_in, world  # noqa: E402,F401

CONTRACTS = Path(__file__).parents[2] / "contracts"
SECRET = b"security-tests-secret-0123456789abcdef"


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


def _contract_of(engine: Engine, tenants: Tenants, buyer: str, contractor: str, reference: str) -> uuid.UUID:
    with Session(engine, expire_on_commit=False) as session:
        contract = Contract(
            reference=reference, title=f"{reference}, new rental housing",
            buyer_org_id=tenants.organisations[buyer].id, contractor_org_id=tenants.organisations[contractor].id,
            start=date(2016, 3, 1), end=date(2018, 6, 30),
        )
        session.add(contract)
        session.commit()
        return contract.id


@pytest.fixture
def contracts(clean_database: Engine, tenants: Tenants) -> dict[str, uuid.UUID]:
    """Tenant A's contract (Östersundshem–Skanska) and tenant B's (Hemstaden–Norrbygg),
    stored directly: no audit-log entries and no appointments, so only their buyers see them."""
    return {
        "A": _contract_of(clean_database, tenants, "buyer", "contractor", "OH-2016-REMONTHAGEN"),
        "B": _contract_of(clean_database, tenants, "other_buyer", "other_contractor", "HS-2017-NORRBACKEN"),
    }


@pytest.fixture
def contract_id(tenants: Tenants, clean_database: Engine) -> uuid.UUID:
    """Remonthagen with its subcontractor and auditor appointed (tests/api/contract_setup.py)."""
    return add_contract(clean_database, tenants)


@pytest.fixture
def reported_contract_id(clean_database: Engine, tenants: Tenants) -> uuid.UUID:
    """Remonthagen with its placements, reported by Skanska (Östersundshem's contract)."""
    from procure.formats.contract_toml import load_contract_file
    from procure.services.access import Principal
    from procure.services.contracts import import_contract
    from procure.services.placement_import import import_placements

    with Session(clean_database, expire_on_commit=False) as session:
        contract = import_contract(session, None, load_contract_file(CONTRACTS / "remonthagen.toml")).contract
        contractor = tenants.users["contractor"]
        acting = Principal(contractor.id, contractor.email, "contractor", contractor.organisation_id)
        accept_appointments(session, contract.id)
        import_placements(session, acting, contract.id, CONTRACTS / "remonthagen.placements.csv", secret=SECRET)
        session.commit()
        return contract.id
