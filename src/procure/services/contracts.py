"""Contracts: listing, creating, changing, importing from TOML, exporting, appointments.

Contract fields are validated by the contract TOML loader (procure.formats.contract_toml)
rather than by rules of their own here: a contract the API accepts is exactly a contract
a `contracts/*.toml` file may describe, and vice versa. Every change is recorded in the
audit log in the same transaction.
"""

from __future__ import annotations

import tomllib
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import tomli_w
from sqlalchemy import func, or_
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from procure.domain import model as domain
from procure.domain.identity import InvalidIdentityNumber, normalise_org_number
from procure.formats.contract_toml import dump_contract, load_contract
from procure.formats.errors import InputErrors
from procure.services import audit_log
from procure.services.access import Action, Principal, contract_for, visible_contracts
from procure.services.errors import Conflict, FieldProblem, Forbidden, InvalidInput, NotFound
from procure.storage.mapping import (
    clause_columns,
    clause_to_domain,
    load_contract_records,
)
from procure.storage.mapping import (
    load_contract as load_domain_contract,
)
from procure.storage.models import Appointment, Clause, Contract, Organisation, Waiver

APPOINTMENT_KINDS = {"subcontractor": "contractor", "auditor": "audit"}
HEAD_FIELDS = ("title", "site", "value_sek", "currency", "start", "end", "status", "extra_target_groups")  # of domain.Contract


# -- reading ---------------------------------------------------------------------------


def list_contracts(
    session: Session,
    principal: Principal,
    *,
    status: str | None = None,
    reference: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[tuple[Contract, Organisation, Organisation]], int]:
    """The readable contracts, filtered, with their buyer and contractor; and the total."""
    visible = visible_contracts(principal).subquery()
    query = select(Contract).where(col(Contract.id).in_(select(visible.c.id)))
    if status:
        query = query.where(Contract.status == status)
    if reference:
        query = query.where(func.lower(Contract.reference).contains(reference.lower(), autoescape=True))
    if q:
        needle = q.lower()
        query = query.where(
            or_(
                func.lower(Contract.title).contains(needle, autoescape=True),
                func.lower(Contract.site).contains(needle, autoescape=True),
            )
        )
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    contracts = session.exec(
        query.order_by(col(Contract.start).desc(), col(Contract.reference)).limit(limit).offset(offset)
    ).all()
    org_ids = {c.buyer_org_id for c in contracts} | {c.contractor_org_id for c in contracts}
    organisations = {o.id: o for o in session.exec(select(Organisation).where(col(Organisation.id).in_(org_ids))).all()}
    items = [(c, organisations[c.buyer_org_id], organisations[c.contractor_org_id]) for c in contracts]
    return items, total


def organisations_of(session: Session, contract: Contract) -> tuple[Organisation, Organisation]:
    buyer = session.get(Organisation, contract.buyer_org_id)
    contractor = session.get(Organisation, contract.contractor_org_id)
    assert buyer is not None and contractor is not None  # foreign keys
    return buyer, contractor


def clauses_of(session: Session, contract_id: uuid.UUID) -> list[Clause]:
    return list(
        session.exec(
            select(Clause).where(Clause.contract_id == contract_id).order_by(col(Clause.position), col(Clause.code))
        ).all()
    )


def appointments_of(session: Session, contract_id: uuid.UUID) -> list[tuple[Appointment, Organisation | None]]:
    """The contract's subcontractor and auditor appointments, pending ones included, with
    their organisation where the number is registered (the contractor's is not listed: it
    is the contract's own field)."""
    return list(
        session.exec(
            select(Appointment, Organisation)
            .outerjoin(Organisation, col(Organisation.id) == Appointment.organisation_id)
            .where(Appointment.contract_id == contract_id, Appointment.role != "contractor")
            .order_by(col(Appointment.role), col(Appointment.org_number))
        ).all()
    )


def contractor_appointment(session: Session, contract: Contract) -> Appointment | None:
    """The invitation of the contract's current contractor."""
    return session.exec(
        select(Appointment).where(
            Appointment.contract_id == contract.id,
            Appointment.organisation_id == contract.contractor_org_id,
            Appointment.role == "contractor",
        )
    ).first()


def organisation_by_number(session: Session, org_number: str) -> Organisation | None:
    return session.exec(select(Organisation).where(Organisation.org_number == org_number)).first()


# -- validation through the TOML loader ------------------------------------------------


def _toml_problems(errors: InputErrors) -> InvalidInput:
    """The loader's errors as API problems; lines are dropped, they refer to no file the user wrote."""
    problems = [FieldProblem(error.message, field=error.field) for error in errors.errors]
    count = len(problems)
    return InvalidInput(f"the contract is not valid ({count} problem{'s' if count != 1 else ''}); nothing was saved", problems)


def _plain_toml(value: Any) -> Any:
    """A JSON value as tomli-w takes it: nulls mean "not given" and are left out."""
    if isinstance(value, dict):
        return {str(k): _plain_toml(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_plain_toml(v) for v in value]
    return value


def toml_document(contract: domain.Contract, extra_clause: dict[str, Any] | None = None) -> str:
    """`contract` as TOML, with one more clause table written as given (not yet validated)."""
    text = dump_contract(contract)
    if extra_clause is None:
        return text
    # Through the parsed document: tomli-w writes a short array of tables inline, which
    # appended to the text would land inside the last [[clause]].
    document = tomllib.loads(text, parse_float=Decimal)
    try:
        document.setdefault("clause", []).append(_plain_toml(extra_clause))
        return tomli_w.dumps(document)
    except (TypeError, ValueError) as error:
        raise InvalidInput(
            "the clause cannot be read",
            [FieldProblem(f"holds a value that is not text, number, true/false, list or table ({error})")],
        ) from None
    except RecursionError:
        raise InvalidInput("the clause cannot be read",
                           [FieldProblem("holds lists or tables nested too deeply")]) from None


def validate_contract(contract: domain.Contract, extra_clause: dict[str, Any] | None = None) -> domain.Contract:
    """The contract as the TOML loader reads it back, or InvalidInput with its every problem."""
    try:
        return load_contract(toml_document(contract, extra_clause), source="request")
    except InputErrors as errors:
        raise _toml_problems(errors) from None


# -- organisations ---------------------------------------------------------------------


@dataclass
class ImportOutcome:
    contract: Contract
    created: bool
    changes: list[str] = field(default_factory=list)


def ensure_organisation(
    session: Session, organisation: domain.Organisation, actor: Principal | None, changes: list[str], where: str
) -> Organisation:
    """The stored organisation with this number, created with its kind when unknown."""
    row = organisation_by_number(session, organisation.org_number)
    if row is None:
        row = Organisation(name=organisation.name, org_number=organisation.org_number, kind=organisation.kind)
        session.add(row)
        session.flush()
        audit_log.record(session, actor, "create", "organisation", row.id, after=audit_log.snapshot(row))
        changes.append(f"created organisation {row.name} ({row.org_number}, {row.kind})")
        return row
    if row.kind != organisation.kind:
        raise InvalidInput(
            f"{row.name} ({row.org_number}) is registered as {row.kind}, so it cannot be the {where}",
            [FieldProblem(f"{row.org_number} is registered as {row.kind}, not {organisation.kind}", field=where)],
        )
    return row


# -- creating and changing -------------------------------------------------------------


def _domain_head(contract: Contract, buyer: Organisation, contractor: Organisation) -> domain.Contract:
    return domain.Contract(
        reference=contract.reference,
        title=contract.title,
        buyer=domain.Organisation(buyer.name, buyer.org_number, buyer.kind),
        contractor=domain.Organisation(contractor.name, contractor.org_number, contractor.kind),
        start=contract.start,
        end=contract.end,
        value_sek=contract.value_sek,
        currency=contract.currency,
        site=contract.site,
        status=contract.status,
        extra_target_groups=tuple(contract.extra_target_groups or ()),
    )


def _own_buyer_organisation(session: Session, principal: Principal) -> Organisation:
    if principal.role != "buyer" or principal.organisation_id is None:
        raise Forbidden("only a buyer may create contracts, for the buyer's own organisation")
    organisation = session.get(Organisation, principal.organisation_id)
    assert organisation is not None
    return organisation


def _contractor(session: Session, org_number: str, field_name: str) -> Organisation:
    try:
        number = normalise_org_number(org_number)
    except InvalidIdentityNumber as error:
        raise InvalidInput("the contractor's organisation number is not valid", [FieldProblem(str(error), field=field_name)]) from None
    organisation = organisation_by_number(session, number)
    if organisation is None:
        raise InvalidInput(
            f"no organisation with number {number} is registered",
            [FieldProblem(f"no organisation {number}: an administrator registers it first", field=field_name)],
        )
    if organisation.kind != "contractor":
        raise InvalidInput(
            f"{organisation.name} ({number}) is a {organisation.kind}, not a contractor",
            [FieldProblem(f"{number} is registered as {organisation.kind}, not contractor", field=field_name)],
        )
    return organisation


def create_contract(session: Session, principal: Principal, values: dict[str, Any], contractor_org_number: str) -> Contract:
    """A new contract of the principal's (buyer) organisation with the given contractor."""
    buyer = _own_buyer_organisation(session, principal)
    contractor = _contractor(session, contractor_org_number, "contractor_org_number")
    reference = values["reference"]
    if session.exec(select(Contract.id).where(Contract.buyer_org_id == buyer.id, Contract.reference == reference)).first():
        raise Conflict(
            f"your organisation already has a contract {reference}",
            [FieldProblem("is already used by another contract of your organisation", field="reference")],
        )
    row = Contract(buyer_org_id=buyer.id, contractor_org_id=contractor.id, **values)
    validate_contract(_domain_head(row, buyer, contractor))
    session.add(row)
    session.flush()
    audit_log.record(session, principal, "create", "contract", row.id, after=audit_log.snapshot(row), contract_id=row.id)
    invite_contractor(session, principal, row, contractor, [])
    session.commit()
    return row


def check_version(kind: str, given: int | None, current: int) -> None:
    if given is None:
        raise InvalidInput(
            f"say which version of the {kind} you changed",
            [FieldProblem("is required: the version you read, so that a change made meanwhile is not overwritten", field="version")],
        )
    if given != current:
        raise Conflict(
            f"the {kind} was changed by someone else since you read it (version {given}, now {current}); reload and try again"
        )


def flush_versioned(session: Session, kind: str) -> None:
    """Flush a change of a versioned row; another writer's change in between is a conflict."""
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise Conflict(f"the {kind} was changed by someone else just now; reload and try again") from None


def update_contract(session: Session, principal: Principal, contract_id: uuid.UUID, changes: dict[str, Any]) -> Contract:
    row = contract_for(session, principal, contract_id, Action.EDIT).contract
    check_version("contract", changes.pop("version", None), row.version)
    before = audit_log.snapshot(row)
    contractor_number = changes.pop("contractor_org_number", None)
    new_contractor = None
    with session.no_autoflush:  # nothing reaches the database before it is valid
        if contractor_number is not None:
            new_contractor = _contractor(session, contractor_number, "contractor_org_number")
            row.contractor_org_id = new_contractor.id
        for name, value in changes.items():
            setattr(row, name, value)
        buyer, contractor = organisations_of(session, row)
        # The whole contract, clauses and waivers included: a shorter term or a value of 0
        # can make a stored clause or waiver invalid, and the loader says which.
        head = _domain_head(row, buyer, contractor)
        current = load_domain_contract(session, row.id)
        validate_contract(replace(current, **{name: getattr(head, name) for name in (*HEAD_FIELDS, "contractor")}))
    session.add(row)
    flush_versioned(session, "contract")
    audit_log.record(session, principal, "update", "contract", row.id, before=before, after=audit_log.snapshot(row), contract_id=row.id)
    if new_contractor is not None:
        invite_contractor(session, principal, row, new_contractor, [])
    session.commit()
    return row


# -- TOML import and export ------------------------------------------------------------


def import_contract_toml(session: Session, principal: Principal, text: str, source: str = "request") -> ImportOutcome:
    """Import a contract TOML as the principal, who must be a buyer of the file's buyer."""
    contract = load_contract(text, source=source)  # InputErrors: 422 with line and field
    if principal.role != "buyer" or principal.organisation_id is None:
        raise Forbidden("only a buyer may import contracts")
    own = session.get(Organisation, principal.organisation_id)
    if own is None or own.org_number != contract.buyer.org_number:
        raise InvalidInput(
            f"the file's buyer is {contract.buyer.org_number}, but you sign in for {own.org_number if own else 'no organisation'}: "
            "a buyer imports only its own organisation's contracts",
            [FieldProblem(f"must be your organisation's number {own.org_number if own else ''}".strip(), field="contract.buyer.org_number")],
        )
    return import_contract(session, principal, contract)


def import_contract(session: Session, actor: Principal | None, contract: domain.Contract, *, accept: bool = False) -> ImportOutcome:
    """Store a loaded contract: created, or made equal to the file when its buyer already has
    the reference. Organisations not yet known are created with their kind. Appointments are
    added, never removed (an appointment is taken back explicitly); the contractor and every
    appointed organisation are invited, pending until they accept, unless `accept` (only
    the operator's command line passes it: `procure contracts load --accept-appointments`,
    and `procure demo`). Commits."""
    changes: list[str] = []
    buyer = ensure_organisation(session, contract.buyer, actor, changes, "contract.buyer")
    contractor = ensure_organisation(session, contract.contractor, actor, changes, "contract.contractor")
    row = session.exec(
        select(Contract).where(Contract.buyer_org_id == buyer.id, Contract.reference == contract.reference)
    ).first()
    created = row is None
    head: dict[str, Any] = {
        "title": contract.title, "site": contract.site, "value_sek": contract.value_sek, "currency": contract.currency,
        "start": contract.start, "end": contract.end, "status": contract.status,
        "extra_target_groups": list(contract.extra_target_groups), "contractor_org_id": contractor.id,
    }  # fmt: skip
    if row is None:
        row = Contract(reference=contract.reference, buyer_org_id=buyer.id, **head)
        session.add(row)
        session.flush()
        audit_log.record(session, actor, "import", "contract", row.id, after=audit_log.snapshot(row), contract_id=row.id)
        changes.append(f"created contract {row.reference}")
    elif any(getattr(row, name) != value for name, value in head.items()):
        before = audit_log.snapshot(row)
        for name, value in head.items():
            setattr(row, name, value)
        session.add(row)
        session.flush()
        audit_log.record(session, actor, "import", "contract", row.id, before=before, after=audit_log.snapshot(row), contract_id=row.id)
        changes.append(f"updated contract {row.reference}")

    invite_contractor(session, actor, row, contractor, changes, accept=accept)
    for role, organisations, where in (("subcontractor", contract.subcontractors, "contract.subcontractors"), ("auditor", contract.auditors, "contract.auditors")):
        for organisation in organisations:
            stored = ensure_organisation(session, organisation, actor, changes, where)
            appoint(session, actor, row, stored, role, changes, accept=accept)

    _sync_clauses(session, actor, row, contract, changes)
    session.commit()
    return ImportOutcome(row, created, changes)


OPERATOR_ACCEPTS = "accepted by the operator on the organisation's behalf"


def invite(session: Session, actor: Principal | None, contract: Contract, org_number: str, role: str,
           organisation: Organisation | None, changes: list[str], *, accept: bool = False) -> Appointment:
    """Invite the organisation with this (normalised) number, registered or not, unless it
    already is; a declined invitation is renewed. Pending until it accepts, or accepted at
    once when the operator says so (`accept`). Logged ("invite", and "accept" for the
    operator's acceptance)."""
    existing = session.exec(
        select(Appointment).where(
            Appointment.contract_id == contract.id, Appointment.org_number == org_number, Appointment.role == role
        )
    ).first()
    if existing is not None and existing.status != "declined" and not (accept and existing.status == "pending"):
        return existing
    if existing is None:
        appointment = Appointment(contract_id=contract.id, org_number=org_number, role=role,
                                  organisation_id=organisation.id if organisation else None)
        session.add(appointment)
        session.flush()
        audit_log.record(session, actor, "invite", "appointment", appointment.id, after=audit_log.snapshot(appointment), contract_id=contract.id)
    else:
        appointment = existing
        if appointment.status == "declined":
            before = audit_log.snapshot(appointment)
            appointment.status, appointment.responded_at = "pending", None
            session.add(appointment)
            session.flush()
            audit_log.record(session, actor, "invite", "appointment", appointment.id, before=before,
                             after=audit_log.snapshot(appointment), contract_id=contract.id, reason="invited again after a decline")
    name = f"{organisation.name} ({org_number})" if organisation else org_number
    changes.append(f"invited {name} as {role} of {contract.reference}")
    if accept and organisation is not None:
        accept_on_behalf(session, actor, appointment, organisation)
        changes.append(f"accepted the appointment of {name} as {role} of {contract.reference} on its behalf")
    return appointment


def accept_on_behalf(session: Session, actor: Principal | None, appointment: Appointment, organisation: Organisation) -> None:
    """Accept a pending appointment for the organisation, as the operator (logged as such)."""
    if appointment.status == "accepted":
        return
    before = audit_log.snapshot(appointment)
    appointment.status, appointment.responded_at = "accepted", datetime.now(UTC)
    appointment.organisation_id = organisation.id
    session.add(appointment)
    session.flush()
    audit_log.record(session, actor, "accept", "appointment", appointment.id, before=before,
                     after=audit_log.snapshot(appointment), contract_id=appointment.contract_id, reason=OPERATOR_ACCEPTS)


def appoint(session: Session, actor: Principal | None, contract: Contract, organisation: Organisation, role: str,
            changes: list[str], *, accept: bool = False) -> Appointment:
    """Invite a registered organisation (no checks of its kind); see `invite`."""
    return invite(session, actor, contract, organisation.org_number, role, organisation, changes, accept=accept)


def accept_pending_on_behalf(session: Session, actor: Principal | None, contract: Contract) -> int:
    """Accept, as the operator, every pending appointment of the contract whose number is
    registered with the kind its role needs; how many."""
    pending = session.exec(
        select(Appointment, Organisation)
        .join(Organisation, col(Organisation.org_number) == Appointment.org_number)
        .where(Appointment.contract_id == contract.id, Appointment.status == "pending")
    ).all()
    accepted = 0
    for appointment, organisation in pending:
        if organisation.kind == {"auditor": "audit"}.get(appointment.role, "contractor"):
            accept_on_behalf(session, actor, appointment, organisation)
            accepted += 1
    return accepted


def invite_contractor(session: Session, actor: Principal | None, contract: Contract, contractor: Organisation,
                      changes: list[str], *, accept: bool = False) -> Appointment:
    """Invite the contract's contractor; the invitation of a contractor it replaced is
    withdrawn (logged), so the former contractor no longer sees the contract."""
    for old in session.exec(
        select(Appointment).where(Appointment.contract_id == contract.id, Appointment.role == "contractor",
                                  Appointment.org_number != contractor.org_number)
    ).all():
        before = audit_log.snapshot(old)
        session.delete(old)
        session.flush()
        audit_log.record(session, actor, "delete", "appointment", old.id, before=before, contract_id=contract.id,
                         reason="the contract has another contractor")
    return appoint(session, actor, contract, contractor, "contractor", changes, accept=accept)


def _sync_clauses(session: Session, actor: Principal | None, row: Contract, contract: domain.Contract, changes: list[str]) -> None:
    stored = {clause.code: clause for clause in clauses_of(session, row.id)}
    wanted = {clause.code for clause in contract.clauses}
    for code, stored_clause in stored.items():
        if code not in wanted:
            before = audit_log.snapshot(stored_clause)
            session.delete(stored_clause)
            session.flush()
            audit_log.record(session, actor, "delete", "clause", stored_clause.id, before=before, contract_id=row.id)
            changes.append(f"removed clause {code}")
    for position, clause in enumerate(contract.clauses):
        existing = stored.get(clause.code)
        columns = clause_columns(clause, position)
        if existing is None:
            existing = Clause(contract_id=row.id, **columns)
            session.add(existing)
            session.flush()
            audit_log.record(session, actor, "create", "clause", existing.id, after=audit_log.snapshot(existing), contract_id=row.id)
            changes.append(f"added clause {clause.code}")
        elif clause_to_domain(existing) != clause or existing.position != position:
            before = audit_log.snapshot(existing)
            for name, value in columns.items():
                setattr(existing, name, value)
            session.add(existing)
            session.flush()
            audit_log.record(session, actor, "update", "clause", existing.id, before=before, after=audit_log.snapshot(existing), contract_id=row.id)
            changes.append(f"changed clause {clause.code}")
        _sync_waivers(session, actor, row, existing, [w for w in contract.waivers if w.clause_code == clause.code], changes)


def _sync_waivers(session: Session, actor: Principal | None, contract: Contract, clause: Clause, waivers: list[domain.Waiver], changes: list[str]) -> None:
    stored = list(session.exec(select(Waiver).where(Waiver.clause_id == clause.id)).all())
    wanted = [(w.period_start, w.reason) for w in waivers]
    kept: list[tuple[date | None, str]] = []
    for waiver in stored:
        key = (waiver.period_start, waiver.reason)
        if key in wanted and key not in kept:
            kept.append(key)
            continue
        before = audit_log.snapshot(waiver)
        session.delete(waiver)
        session.flush()
        audit_log.record(session, actor, "delete", "waiver", waiver.id, before=before, contract_id=contract.id)
        changes.append(f"removed a waiver of {clause.code}")
    for period_start, reason in wanted:
        if (period_start, reason) in kept:
            kept.remove((period_start, reason))
            continue
        waiver = Waiver(clause_id=clause.id, period_start=period_start, reason=reason, created_by=actor.user_id if actor else None)
        session.add(waiver)
        session.flush()
        audit_log.record(session, actor, "create", "waiver", waiver.id, after=audit_log.snapshot(waiver), contract_id=contract.id)
        changes.append(f"waived {clause.code}" + (f" for the period from {period_start.isoformat()}" if period_start else ""))


def export_contract_toml(session: Session, contract_id: uuid.UUID) -> str:
    contract, _records = load_contract_records(session, contract_id)
    return dump_contract(contract)


# -- appointments ----------------------------------------------------------------------


INVITATION_RECORDED = "invitation recorded; it takes effect when the organisation accepts"


def add_appointment(session: Session, principal: Principal, contract_id: uuid.UUID, org_number: str, role: str) -> str:
    """Invite the organisation with this number as subcontractor or auditor of the contract.

    The answer is the same whether the number is registered, registered with another kind,
    or already invited: the invitation is stored by number and takes effect only when an
    organisation of that number and of the role's kind accepts it. Only a malformed number,
    an unknown role, or the contract's own buyer or contractor are refused (the buyer knows
    those already)."""
    contract = contract_for(session, principal, contract_id, Action.EDIT).contract
    if role not in APPOINTMENT_KINDS:
        raise InvalidInput("unknown role", [FieldProblem(f"{role!r} is not one of subcontractor, auditor", field="role")])
    try:
        number = normalise_org_number(org_number)
    except InvalidIdentityNumber as error:
        raise InvalidInput("the organisation number is not valid", [FieldProblem(str(error), field="org_number")]) from None
    buyer, contractor = organisations_of(session, contract)
    if number in (buyer.org_number, contractor.org_number):
        raise InvalidInput(
            f"{number} is already a party to this contract",
            [FieldProblem("is the contract's buyer or contractor", field="org_number")],
        )
    organisation = organisation_by_number(session, number)
    if organisation is not None and organisation.kind != APPOINTMENT_KINDS[role]:
        organisation = None  # stored by number only: it can never accept (see appointments.acceptable)
    invite(session, principal, contract, number, role, organisation, [])
    session.commit()
    return INVITATION_RECORDED


def remove_appointment(session: Session, principal: Principal, contract_id: uuid.UUID, appointment_id: uuid.UUID) -> None:
    contract = contract_for(session, principal, contract_id, Action.EDIT).contract
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.contract_id != contract.id:
        raise NotFound(f"appointment {appointment_id} not found on this contract")
    if appointment.role == "contractor":
        raise InvalidInput("the contractor is not removed but replaced: change the contract's contractor")
    before = audit_log.snapshot(appointment)
    session.delete(appointment)
    session.flush()
    audit_log.record(session, principal, "delete", "appointment", appointment.id, before=before, contract_id=contract.id)
    session.commit()


__all__ = [
    "ImportOutcome", "add_appointment", "appointments_of", "appoint", "check_version", "clauses_of", "contractor_appointment",
    "accept_on_behalf", "accept_pending_on_behalf", "invite", "invite_contractor",
    "create_contract", "ensure_organisation", "export_contract_toml", "import_contract", "import_contract_toml",
    "list_contracts", "organisations_of", "remove_appointment", "toml_document", "update_contract", "validate_contract",
]  # fmt: skip


def contract_by_reference(session: Session, reference: str, buyer_org_number: str | None = None) -> Contract:
    """The contract with this reference (of this buyer, when several buyers use it), for
    the command line, where the operator has the whole database and no principal."""
    query = select(Contract).where(Contract.reference == reference)
    if buyer_org_number:
        try:
            number = normalise_org_number(buyer_org_number)
        except InvalidIdentityNumber as error:
            raise InvalidInput(f"--buyer: {error}", [FieldProblem(str(error), field="buyer")]) from None
        query = query.join(Organisation, col(Organisation.id) == Contract.buyer_org_id).where(Organisation.org_number == number)
    found = session.exec(query).all()
    if not found:
        raise NotFound(f"no contract with the reference {reference}" + (f" of buyer {buyer_org_number}" if buyer_org_number else ""))
    if len(found) > 1:
        raise InvalidInput(f"several buyers have a contract {reference}: give the buyer's organisation number (--buyer)")
    return found[0]
