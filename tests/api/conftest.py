"""Shared API test fixtures: the app on the test database, and two tenants with users.

Helpers to build more organisations and users are in api_parties.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_parties import ORGANISATIONS, USERS, Tenants, add_user
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from procure.app import create_app
from procure.storage.models import Organisation


@pytest.fixture
def api_client(clean_database: Engine) -> Iterator[TestClient]:
    with TestClient(app=create_app(engine=clean_database)) as client:
        yield client


@pytest.fixture
def tenants(clean_database: Engine) -> Tenants:
    built = Tenants()
    with Session(clean_database, expire_on_commit=False) as session:
        for name, (title, number, kind) in ORGANISATIONS.items():
            organisation = Organisation(name=title, org_number=number, kind=kind)
            session.add(organisation)
            built.organisations[name] = organisation
        session.flush()
        for name, (email, role, org) in USERS.items():
            org_id = built.organisations[org].id if org else None
            built.users[name], built.headers[name] = add_user(session, email, role, org_id)
        session.commit()
    return built
