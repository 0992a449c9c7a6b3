"""Fixtures of the reliability suite (the world itself is in reliability_world.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from litestar.testing import TestClient
from reliability_world import Tenants, World, add_contract
from api_fixtures import tenants  # noqa: F401  (the API tests' two tenants)
from sqlalchemy import Engine

from procure.app import create_app




@pytest.fixture
def client(clean_database: Engine) -> Iterator[TestClient]:
    with TestClient(app=create_app(engine=clean_database)) as test_client:
        yield test_client


@pytest.fixture
def world(clean_database: Engine, tenants: Tenants, client: TestClient) -> World:
    contract_id = add_contract(clean_database, tenants)
    built = World(tenants, contract_id)
    contractor = tenants.headers["contractor"]
    participant = client.post(
        f"/api/contracts/{contract_id}/participants",
        json={"ref": "P-0001", "target_groups": ["long_term_unemployed"], "gender": "female"},
        headers=contractor,
    )
    assert participant.status_code == 201, participant.text
    built.ids["participant_id"] = uuid.UUID(participant.json()["id"])
    placement = client.post(
        f"/api/contracts/{contract_id}/placements",
        json={"participant_ref": "P-0001", "placement_type": "internship", "start": "2016-04-01", "end": "2016-09-30"},
        headers=contractor,
    )
    assert placement.status_code == 201, placement.text
    built.ids["placement_id"] = uuid.UUID(placement.json()["id"])
    built.ids["contract_id"] = contract_id
    return built
