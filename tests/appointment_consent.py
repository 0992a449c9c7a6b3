"""Test helper: accept appointments, as the organisations would.

Appointments (the contractor's, subcontractors', auditors') take effect only once the
appointed organisation accepts them (procure.services.appointments). Fixtures that build a
contract for the contractor, subcontractor or auditor to work on call `accept_appointments`
afterwards, like an operator accepting on their behalf (logged as such).
"""

from __future__ import annotations

import uuid

from sqlalchemy import Engine
from sqlmodel import Session, select

from procure.services.contracts import accept_pending_on_behalf, invite
from procure.storage.models import Contract, Organisation


def accept_appointments(bind: Engine | Session, contract_id: uuid.UUID | None = None) -> int:
    """Accept every pending appointment (of one contract, or of all) whose organisation is
    registered; contracts stored directly, without their contractor's invitation, get it
    accepted too. Commits; returns how many were accepted."""
    if isinstance(bind, Session):
        return _accept(bind, contract_id)
    with Session(bind, expire_on_commit=False) as session:
        return _accept(session, contract_id)


def _accept(session: Session, contract_id: uuid.UUID | None) -> int:
    contracts = select(Contract)
    if contract_id is not None:
        contracts = contracts.where(Contract.id == contract_id)
    accepted = 0
    for contract in session.exec(contracts).all():
        contractor = session.get(Organisation, contract.contractor_org_id)
        invite(session, None, contract, contractor.org_number, "contractor", contractor, [])
        accepted += accept_pending_on_behalf(session, None, contract)
    session.commit()
    return accepted


def accept_invitations(client, *headers: dict[str, str]) -> int:
    """Accept, over the API as each of these users, every pending invitation of their
    organisation (`GET /api/appointments`, `POST /api/appointments/{id}/accept`)."""
    accepted = 0
    for header in headers:
        listed = client.get("/api/appointments", params={"status": "pending"}, headers=header)
        assert listed.status_code == 200, listed.text
        for invitation in listed.json():
            answer = client.post(f"/api/appointments/{invitation['id']}/accept", headers=header)
            assert answer.status_code == 200, answer.text
            accepted += 1
    return accepted


def accept_all(client, tenants) -> int:
    """`accept_invitations` as the contractor, subcontractor and auditor of `tenants`."""
    return accept_invitations(client, *(tenants.headers[name] for name in ("contractor", "subcontractor", "auditor", "other_contractor")))
