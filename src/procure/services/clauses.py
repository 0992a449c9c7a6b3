"""Clauses and waivers of a contract, changed one at a time.

A clause arrives as the TOML clause table (code, title, text, rule, the rule's
parameters and the filters flat, penalty, bonus). It is validated by the contract TOML
loader itself, on the stored contract with the new clause added, so the API and the
`contracts/*.toml` files accept and refuse exactly the same clauses with the same field
names; a second validator here could only drift from it.
"""

from __future__ import annotations

import tomllib
import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from procure.domain import model as domain
from procure.formats.contract_toml import dump_contract
from procure.services import audit_log
from procure.services.access import Action, Principal, contract_for
from procure.services.contracts import check_version, clauses_of, flush_versioned, validate_contract
from procure.services.errors import FieldProblem, InvalidInput, NotFound
from procure.storage.mapping import clause_columns, clause_to_domain
from procure.storage.mapping import load_contract as load_domain_contract
from procure.storage.models import Clause, Contract, Waiver

# Not part of the TOML clause table: where the clause stands, and the version read.
CONTROL_KEYS = ("position", "version")
_PLACEHOLDER = domain.Organisation("-", "556110-1816")


def clause_table(clause: domain.Clause) -> dict[str, Any]:
    """A clause as its TOML table, flat, exactly as `dump_contract` writes it."""
    holder = domain.Contract("-", "-", _PLACEHOLDER, _PLACEHOLDER, date.min, date.min, clauses=(clause,))
    return tomllib.loads(dump_contract(holder), parse_float=Decimal)["clause"][0]


def json_numbers(value: Any) -> Any:
    """Decimals as JSON numbers (whole ones as integers) rather than strings."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: json_numbers(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_numbers(item) for item in value]
    return value


def validate_clause(session: Session, contract: Contract, table: dict[str, Any], replacing: Clause | None = None) -> domain.Clause:
    """The clause as the TOML loader reads it, in the context of its contract (its value,
    own target groups and the other clauses' codes); InvalidInput naming each field."""
    stored = load_domain_contract(session, contract.id)
    others = tuple(c for c in stored.clauses if replacing is None or c.code != replacing.code)
    # Waivers are checked on their own; here they would only refer to a renamed clause.
    loaded = validate_contract(replace(stored, clauses=others, waivers=()), extra_clause=table)
    return loaded.clauses[-1]


def _clause_of(session: Session, contract: Contract, clause_id: uuid.UUID | str) -> Clause:
    try:
        key = clause_id if isinstance(clause_id, uuid.UUID) else uuid.UUID(str(clause_id))
    except ValueError:
        raise NotFound(f"clause {clause_id} not found") from None
    clause = session.get(Clause, key)
    if clause is None or clause.contract_id != contract.id:
        raise NotFound(f"clause {clause_id} not found on this contract")
    return clause


def _split(body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    table = {key: value for key, value in body.items() if key not in CONTROL_KEYS}
    control = {key: body[key] for key in CONTROL_KEYS if key in body}
    position = control.get("position")
    if position is not None and (not isinstance(position, int) or isinstance(position, bool) or position < 0):
        raise InvalidInput("the position is not valid", [FieldProblem("must be a whole number ≥ 0", field="position")])
    return table, control


def list_clauses(session: Session, principal: Principal, contract_id: uuid.UUID) -> list[Clause]:
    contract = contract_for(session, principal, contract_id, Action.READ).contract
    return clauses_of(session, contract.id)


def get_clause(session: Session, principal: Principal, contract_id: uuid.UUID, clause_id: uuid.UUID | str) -> Clause:
    """The clause; NotFound also for a clause id that is not a UUID (a form's text)."""
    contract = contract_for(session, principal, contract_id, Action.READ).contract
    return _clause_of(session, contract, clause_id)


def create_clause(session: Session, principal: Principal, contract_id: uuid.UUID, body: dict[str, Any]) -> Clause:
    contract = contract_for(session, principal, contract_id, Action.EDIT).contract
    table, control = _split(body)
    clause = validate_clause(session, contract, table)
    position = control.get("position")
    if position is None:
        last = session.exec(select(func.max(Clause.position)).where(Clause.contract_id == contract.id)).one()
        position = 0 if last is None else last + 1
    row = Clause(contract_id=contract.id, **clause_columns(clause, position))
    session.add(row)
    session.flush()
    audit_log.record(session, principal, "create", "clause", row.id, after=audit_log.snapshot(row), contract_id=contract.id)
    session.commit()
    return row


def update_clause(
    session: Session, principal: Principal, contract_id: uuid.UUID, clause_id: uuid.UUID, body: dict[str, Any]
) -> Clause:
    """Change some keys of the clause table; a key given as null is removed (no filter, no penalty)."""
    contract = contract_for(session, principal, contract_id, Action.EDIT).contract
    row = _clause_of(session, contract, clause_id)
    changes, control = _split(body)
    check_version("clause", control.get("version"), row.version)
    table = clause_table(clause_to_domain(row))
    for key, value in changes.items():
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value
    clause = validate_clause(session, contract, table, replacing=row)
    before = audit_log.snapshot(row)
    position = control.get("position")
    for name, value in clause_columns(clause, row.position if position is None else position).items():
        setattr(row, name, value)
    session.add(row)
    flush_versioned(session, "clause")
    audit_log.record(session, principal, "update", "clause", row.id, before=before, after=audit_log.snapshot(row), contract_id=contract.id)
    session.commit()
    return row


def delete_clause(session: Session, principal: Principal, contract_id: uuid.UUID, clause_id: uuid.UUID) -> None:
    contract = contract_for(session, principal, contract_id, Action.EDIT).contract
    row = _clause_of(session, contract, clause_id)
    before = audit_log.snapshot(row)
    session.delete(row)
    session.flush()
    audit_log.record(session, principal, "delete", "clause", row.id, before=before, contract_id=contract.id)
    session.commit()


# -- waivers ---------------------------------------------------------------------------


def list_waivers(session: Session, principal: Principal, contract_id: uuid.UUID, clause_id: uuid.UUID) -> list[Waiver]:
    contract = contract_for(session, principal, contract_id, Action.READ).contract
    clause = _clause_of(session, contract, clause_id)
    return list(session.exec(select(Waiver).where(Waiver.clause_id == clause.id).order_by(col(Waiver.created_at))).all())


def add_waiver(
    session: Session, principal: Principal, contract_id: uuid.UUID, clause_id: uuid.UUID, period_start: date | None, reason: str
) -> Waiver:
    """The buyer waives the clause for the period starting on `period_start` (every period when None)."""
    contract = contract_for(session, principal, contract_id, Action.EDIT).contract
    clause = _clause_of(session, contract, clause_id)
    problems = []
    if not reason or not reason.strip():
        problems.append(FieldProblem("give the reason for the waiver; it is shown in reports", field="reason"))
    if period_start is not None and not contract.start <= period_start <= contract.end:
        problems.append(
            FieldProblem(
                f"{period_start.isoformat()} is outside the contract term {contract.start.isoformat()}–{contract.end.isoformat()}",
                field="period_start",
            )
        )
    if problems:
        raise InvalidInput("the waiver is not valid; nothing was saved", problems)
    row = Waiver(clause_id=clause.id, period_start=period_start, reason=reason.strip(), created_by=principal.user_id)
    session.add(row)
    session.flush()
    audit_log.record(session, principal, "create", "waiver", row.id, after=audit_log.snapshot(row), contract_id=contract.id)
    session.commit()
    return row


def delete_waiver(
    session: Session, principal: Principal, contract_id: uuid.UUID, clause_id: uuid.UUID, waiver_id: uuid.UUID
) -> None:
    contract = contract_for(session, principal, contract_id, Action.EDIT).contract
    clause = _clause_of(session, contract, clause_id)
    row = session.get(Waiver, waiver_id)
    if row is None or row.clause_id != clause.id:
        raise NotFound(f"waiver {waiver_id} not found on this clause")
    before = audit_log.snapshot(row)
    session.delete(row)
    session.flush()
    audit_log.record(session, principal, "delete", "waiver", row.id, before=before, contract_id=contract.id)
    session.commit()
