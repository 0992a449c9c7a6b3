"""Compliance of a stored contract: the rules engine on what is stored, as of a date.

The result is the engine's own (`ContractResult.to_json()` is SPEC's shape, the same as
`procure evaluate --format json` prints), so the API, the CLI and the PDF report can
never disagree about a figure.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from procure.engine import ContractResult, evaluate
from procure.services.access import Action, Principal, contract_for
from procure.storage.mapping import load_contract_records
from procure.storage.models import Placement


def evaluate_contract(session: Session, contract_id: uuid.UUID, as_of: date) -> ContractResult:
    """The engine's result for the stored contract and everything reported on it."""
    contract, records = load_contract_records(session, contract_id)
    return evaluate(contract, records, as_of)


def own_placement_ids(session: Session, contract_id: uuid.UUID, organisation_id: uuid.UUID) -> set[str]:
    """The placements an organisation reported or employs on a contract."""
    rows = session.exec(
        select(Placement.id).where(
            Placement.contract_id == contract_id,
            or_(col(Placement.reported_by_org_id) == organisation_id, col(Placement.employer_org_id) == organisation_id),
        )
    ).all()
    return {str(row) for row in rows}


def restrict_to(result: dict[str, Any], placement_ids: set[str]) -> dict[str, Any]:
    """The result with only these placements in its counted and excluded lists; the figures
    stay the contract's (a subcontractor sees how the contract stands, not others' people)."""
    clauses = []
    for clause in result["clauses"]:
        clause = dict(clause)
        clause["counted"] = [item for item in clause["counted"] if item["placement_id"] in placement_ids]
        clause["excluded"] = [item for item in clause["excluded"] if item["placement_id"] in placement_ids]
        clauses.append(clause)
    return {**result, "clauses": clauses}


def compliance(session: Session, principal: Principal, contract_id: uuid.UUID | str, as_of: date) -> dict[str, Any]:
    """The compliance JSON a principal may see."""
    access = contract_for(session, principal, contract_id, Action.READ)
    result = evaluate_contract(session, access.contract.id, as_of).to_json()
    if access.reporting_org_id is not None:
        result = restrict_to(result, own_placement_ids(session, access.contract.id, access.reporting_org_id))
    return result
