"""Fixtures of the security regression tests: the API parties (tests/api) and a stored
contract with placements that reports can be made of."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

for folder in ("api", "web"):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / folder))

# The API tests' parties and the page tests' signed-in clients (not both in one test:
# they create the same organisations).
from api.conftest import api_client, tenants  # noqa: E402,F401
from web.conftest import app_client, signed_in, world  # noqa: E402,F401

CONTRACTS = Path(__file__).parents[2] / "contracts"
SECRET = b"security-tests-secret-0123456789abcdef"


@pytest.fixture
def contract_id(clean_database: Engine, tenants) -> uuid.UUID:  # noqa: F811
    """Remonthagen with its placements, reported by Skanska (Östersundshem's contract)."""
    from procure.formats.contract_toml import load_contract_file
    from procure.services.access import Principal
    from procure.services.contracts import import_contract
    from procure.services.placement_import import import_placements

    with Session(clean_database, expire_on_commit=False) as session:
        contract = import_contract(session, None, load_contract_file(CONTRACTS / "remonthagen.toml")).contract
        contractor = tenants.users["contractor"]
        acting = Principal(contractor.id, contractor.email, "contractor", contractor.organisation_id)
        import_placements(session, acting, contract.id, CONTRACTS / "remonthagen.placements.csv", secret=SECRET)
        session.commit()
        return contract.id
