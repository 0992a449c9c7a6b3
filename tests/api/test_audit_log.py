"""GET /api/contracts/{id}/audit-log: the contract's entries, and its chain's state.

Positions (`sequence`) are those of the contract's own chain; the entries that belong to
no contract are in the installation's chain and neither shown nor counted here.
"""

from __future__ import annotations

from datetime import date

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, delete, update
from sqlmodel import Session

from procure.services import audit_log
from procure.storage.models import INSTALLATION_CHAIN, Appointment, AuditLogEntry, Contract

TABLE = AuditLogEntry.__table__


@pytest.fixture
def contract(tenants, clean_database: Engine) -> Contract:
    """Remonthagen with an appointed auditor; five entries alternate between it and nothing
    (its chain gets entries 1–3, the installation's 1–2)."""
    with Session(clean_database, expire_on_commit=False) as session:
        contract = Contract(
            reference="OH-2016-REMONTHAGEN",
            title="Remonthagen, new rental housing",
            buyer_org_id=tenants.organisations["buyer"].id,
            contractor_org_id=tenants.organisations["contractor"].id,
            start=date(2016, 3, 1),
            end=date(2018, 6, 30),
        )
        session.add(contract)
        session.flush()
        for name in ("auditor", "contractor"):  # accepted directly: the entries below are the test's
            session.add(Appointment(contract_id=contract.id, organisation_id=tenants.organisations[name].id,
                                    org_number=tenants.org_number(name), role=name, status="accepted"))
        for number in range(1, 6):
            audit_log.record(
                session,
                None,
                "update",
                "contract" if number % 2 else "organisation",
                contract.id if number % 2 else tenants.organisations["buyer"].id,
                after={"title": f"version {number}"},
                contract_id=contract.id if number % 2 else None,
            )
        session.commit()
    return contract


def trail(client: TestClient, contract: Contract, headers: dict, **params):
    return client.get(f"/api/contracts/{contract.id}/audit-log", headers=headers, params=params)


@pytest.mark.parametrize("who", ["buyer", "auditor"])
def test_the_trail_lists_the_contracts_entries_and_an_intact_chain(
    api_client: TestClient, tenants, contract: Contract, clean_database: Engine, who: str
) -> None:
    response = trail(api_client, contract, tenants.headers[who])
    assert response.status_code == 200, response.text
    body = response.json()
    assert [e["sequence"] for e in body["items"]] == [1, 2, 3]
    assert [e["after"]["title"] for e in body["items"]] == ["version 1", "version 3", "version 5"]
    assert {e["contract_id"] for e in body["items"]} == {str(contract.id)}
    assert (body["total"], body["limit"], body["offset"]) == (3, 50, 0)
    with Session(clean_database) as session:
        head = audit_log.head(session, contract.id)
    assert head.sequence == 3
    assert body["chain"] == {"intact": True, "problem": None, "head_hash": head.hash, "head_sequence": 3}


def test_the_trail_is_paginated(api_client: TestClient, tenants, contract: Contract) -> None:
    body = trail(api_client, contract, tenants.headers["buyer"], limit=2, offset=1).json()
    assert [e["sequence"] for e in body["items"]] == [2, 3]
    assert body["total"] == 3
    assert trail(api_client, contract, tenants.headers["buyer"], limit=501).status_code == 400


@pytest.mark.parametrize(
    "who, status",
    [("contractor", 403), ("subcontractor", 404), ("other_buyer", 404), ("admin", 404)],
)
def test_only_buyer_and_auditors_read_the_trail(api_client: TestClient, tenants, contract: Contract, who: str, status: int) -> None:
    response = trail(api_client, contract, tenants.headers[who])
    assert response.status_code == status
    assert "sequence" not in response.text


def at(chain_id, sequence: int):
    return (TABLE.c.chain_id == chain_id) & (TABLE.c.sequence == sequence)


def alter_after(connection, chain_id) -> None:
    connection.execute(update(TABLE).where(at(chain_id, 2)).values(after={"title": "forged"}))


def remove(connection, chain_id) -> None:
    connection.execute(delete(TABLE).where(at(chain_id, 2)))


def swap(connection, chain_id) -> None:
    connection.execute(update(TABLE).where(at(chain_id, 2)).values(sequence=-1))
    connection.execute(update(TABLE).where(at(chain_id, 3)).values(sequence=2))
    connection.execute(update(TABLE).where(at(chain_id, -1)).values(sequence=3))


@pytest.mark.parametrize(
    "tamper, problem, words",
    [
        (alter_after, "altered", "entry 2 was changed after it was written (entry 2: update contract"),
        (remove, "removed", "entries 2–2 are missing before entry 3"),
        (swap, "reordered", "entry 2 does not follow the entry before it (entry 2: update contract"),
    ],
    ids=["altered", "removed", "reordered"],
)
def test_the_chain_status_names_a_tampered_entry(
    api_client: TestClient, tenants, contract: Contract, clean_database: Engine, tamper, problem: str, words: str
) -> None:
    with clean_database.begin() as connection:
        tamper(connection, contract.id)
    chain = trail(api_client, contract, tenants.headers["auditor"]).json()["chain"]
    assert chain["intact"] is False
    assert (chain["problem"]["sequence"], chain["problem"]["problem"]) == (2, problem)
    assert words in chain["problem"]["detail"]


def test_tampering_with_another_chain_is_not_this_contracts_to_see(
    api_client: TestClient, tenants, contract: Contract, clean_database: Engine
) -> None:
    # The installation's chain holds other tenants' events: its state and its entries
    # are the operator's (`procure audit verify`), not a contract's readers'.
    with clean_database.begin() as connection:
        alter_after(connection, INSTALLATION_CHAIN)
    chain = trail(api_client, contract, tenants.headers["auditor"]).json()["chain"]
    assert chain["intact"] is True and chain["problem"] is None
