"""Placements of a contract: listed, reported, changed, ended, given an outcome.

Who sees what: the buyer, the contractor and the auditors see every placement of a
contract; a subcontractor only those its own organisation reported, and any other is
answered as not found. A placement in a period whose report has been submitted is not
changed (or added) silently: the change needs a reason, which goes into the audit log
(procure.services.period_lock).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, func, select

from procure.domain.identity import InvalidIdentityNumber, normalise_org_number
from procure.domain.vocabulary import OUTCOMES, PLACEMENT_STATUSES, PLACEMENT_TYPES
from procure.services import audit_log
from procure.services.access import Action, ContractAccess, Principal, contract_for
from procure.services.errors import Conflict, FieldProblem, InvalidInput, NotFound
from procure.services.participants import get_participant, own_participants
from procure.services.period_lock import require_reason
from procure.storage.models import (
    Appointment,
    Contract,
    Organisation,
    Participant,
    Placement,
    PlacementPublic,
    PlacementUpdate,
    utcnow,
)
from procure.storage.models.placements import PlacementBase

ENDED_STATUSES = ("completed", "ended_early")


class PlacementCreateRequest(PlacementBase):
    """A new placement: the participant by id or by reference, the employer by id or by
    organisation number (default: the reporting organisation, or the contractor)."""

    participant_id: uuid.UUID | None = None
    participant_ref: str | None = None
    employer_org_id: uuid.UUID | None = None
    employer_org_number: str | None = None
    # Why, when the placement falls in a period whose report is submitted.
    reason: str | None = None


class PlacementView(PlacementPublic):
    participant_ref: str
    employer_org_number: str | None = None
    reported_by_org_id: uuid.UUID | None = None


class PlacementPage(BaseModel):
    items: list[PlacementView]
    total: int
    limit: int
    offset: int


# --- employers and locks, shared with the import and the labour hours -----------------


def contract_employers(session: Session, contract: Contract) -> dict[str, uuid.UUID]:
    """Organisation number → id of the organisations that may employ on the contract:
    the contractor and the subcontractors that accepted their appointment."""
    rows = session.exec(
        select(Organisation.org_number, Organisation.id).where(
            (col(Organisation.id) == contract.contractor_org_id)
            | col(Organisation.id).in_(
                select(Appointment.organisation_id).where(
                    Appointment.contract_id == contract.id, Appointment.role == "subcontractor",
                    Appointment.status == "accepted",
                )
            )
        )
    ).all()
    return dict(rows)


def employer_problem(
    access: ContractAccess, allowed: dict[str, uuid.UUID], org_number: str | None, org_id: uuid.UUID | None
) -> str | None:
    """Why this employer may not be reported by this party, or None when it may."""
    if org_id is None and org_number is None:
        return None
    if org_id is None:
        org_id = allowed.get(org_number or "")
        if org_id is None:
            return f"{org_number} is neither the contractor nor an appointed subcontractor of this contract"
    elif org_id not in allowed.values():
        return f"organisation {org_id} is neither the contractor nor an appointed subcontractor of this contract"
    if access.reporting_org_id is not None and org_id != access.reporting_org_id:
        return "a subcontractor reports only placements of its own organisation"
    return None


def default_employer(access: ContractAccess) -> uuid.UUID:
    return access.reporting_org_id or access.contract.contractor_org_id


def _resolve_employer(
    session: Session, access: ContractAccess, org_id: uuid.UUID | None, org_number: str | None
) -> uuid.UUID:
    if org_number is not None:
        try:
            org_number = normalise_org_number(org_number)
        except InvalidIdentityNumber as error:
            raise InvalidInput(str(error), [FieldProblem(str(error), field="employer_org_number")]) from None
    allowed = contract_employers(session, access.contract)
    problem = employer_problem(access, allowed, org_number, org_id)
    if problem:
        field = "employer_org_number" if org_number is not None else "employer_org_id"
        raise InvalidInput(problem, [FieldProblem(problem, field=field)])
    if org_id is None and org_number is not None:
        org_id = allowed[org_number]
    return org_id or default_employer(access)


def validation_problems(values: dict[str, Any]) -> list[FieldProblem]:
    """What is wrong with a placement's values (vocabularies, dates, hours, days)."""
    problems: list[FieldProblem] = []

    def code(name: str, allowed: Iterable[str], what: str) -> None:
        value = values.get(name)
        if value is not None and value not in allowed:
            problems.append(FieldProblem(f"{value} is not {what}: use one of {', '.join(allowed)}", field=name))

    code("placement_type", PLACEMENT_TYPES, "a placement type")
    code("status", PLACEMENT_STATUSES, "a placement status")
    code("outcome", OUTCOMES, "an outcome")
    start = values.get("start")
    for name in ("end", "planned_end", "outcome_date"):
        value = values.get(name)
        if start is not None and value is not None and value < start:
            problems.append(FieldProblem(f"{value.isoformat()} is before the start {start.isoformat()}", field=name))
    for name, high in (("hours_per_week", 168), ("days_per_week", 7)):
        value = values.get(name)
        if value is not None and not Decimal(0) <= Decimal(value) <= Decimal(high):
            problems.append(FieldProblem(f"{value} is not between 0 and {high}", field=name))
    if values.get("status") in ENDED_STATUSES and values.get("end") is None:
        problems.append(FieldProblem(f"a placement with status {values['status']} needs its end date", field="end"))
    if values.get("outcome_date") is not None and values.get("outcome") is None:
        problems.append(FieldProblem("an outcome date needs an outcome", field="outcome"))
    return problems


def _raise_problems(problems: list[FieldProblem]) -> None:
    if problems:
        raise InvalidInput(problems[0].message if len(problems) == 1 else f"the placement has {len(problems)} errors", problems)


# --- reading ---------------------------------------------------------------------------


def visible_placements(access: ContractAccess):
    query = select(Placement).where(Placement.contract_id == access.contract.id)
    if access.reporting_org_id is not None:
        query = query.where(Placement.reported_by_org_id == access.reporting_org_id)
    return query


def placement_for(
    session: Session, principal: Principal, contract_id: uuid.UUID, placement_id: uuid.UUID | str, action: Action
) -> tuple[ContractAccess, Placement]:
    """The placement, if the principal may do `action` to it; NotFound when it may not see it."""
    access = contract_for(session, principal, contract_id, action)
    try:
        key = placement_id if isinstance(placement_id, uuid.UUID) else uuid.UUID(str(placement_id))
    except ValueError:
        raise NotFound(f"placement {placement_id} not found") from None
    row = session.exec(visible_placements(access).where(Placement.id == key)).first()
    if row is None:
        raise NotFound(f"placement {placement_id} not found")
    return access, row


def _views(session: Session, rows: list[Placement]) -> list[PlacementView]:
    if not rows:
        return []
    refs = dict(
        session.exec(
            select(Participant.id, Participant.ref).where(col(Participant.id).in_({r.participant_id for r in rows}))
        ).all()
    )
    numbers = dict(
        session.exec(
            select(Organisation.id, Organisation.org_number).where(
                col(Organisation.id).in_({r.employer_org_id for r in rows if r.employer_org_id})
            )
        ).all()
    )
    return [
        PlacementView(
            **PlacementPublic.model_validate(row, from_attributes=True).model_dump(),
            participant_ref=refs[row.participant_id],
            employer_org_number=None if row.employer_org_id is None else numbers.get(row.employer_org_id),
            reported_by_org_id=row.reported_by_org_id,
        )
        for row in rows
    ]


def view(session: Session, row: Placement) -> PlacementView:
    return _views(session, [row])[0]


def list_placements(
    session: Session,
    principal: Principal,
    contract_id: uuid.UUID,
    *,
    status: str | None = None,
    participant_ref: str | None = None,
    employer: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> PlacementPage:
    access = contract_for(session, principal, contract_id, Action.READ)
    query = visible_placements(access)
    if status is not None:
        if status not in PLACEMENT_STATUSES:
            raise InvalidInput(f"{status} is not a placement status: use one of {', '.join(PLACEMENT_STATUSES)}",
                               [FieldProblem("unknown status", field="status")])
        query = query.where(Placement.status == status)
    if participant_ref is not None:
        query = query.where(
            col(Placement.participant_id).in_(
                select(Participant.id).where(Participant.contract_id == access.contract.id, Participant.ref == participant_ref)
            )
        )
    if employer is not None:
        query = query.where(Placement.employer_org_id == _employer_filter(session, employer))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    participant = aliased(Participant)
    rows = session.exec(
        query.join(participant, col(Placement.participant_id) == participant.id)
        .order_by(col(Placement.start), col(participant.ref), col(Placement.placement_type))
        .limit(limit)
        .offset(offset)
    ).all()
    return PlacementPage(items=_views(session, list(rows)), total=total, limit=limit, offset=offset)


def _employer_filter(session: Session, employer: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(employer)
    except ValueError:
        pass
    try:
        number = normalise_org_number(employer)
    except InvalidIdentityNumber as error:
        raise InvalidInput(str(error), [FieldProblem(str(error), field="employer")]) from None
    return session.exec(select(Organisation.id).where(Organisation.org_number == number)).first()


# --- writing ---------------------------------------------------------------------------


def create_placement(
    session: Session, principal: Principal, contract_id: uuid.UUID, data: PlacementCreateRequest
) -> PlacementView:
    access = contract_for(session, principal, contract_id, Action.REPORT)
    if data.participant_id is not None:
        participant = get_participant(session, access, data.participant_id, principal)
    elif data.participant_ref:
        participant = session.exec(own_participants(access, principal).where(Participant.ref == data.participant_ref)).first()
        if participant is None:
            message = (f"participant {data.participant_ref} is not one your organisation reported on this contract: "
                       "add the participant first")
            raise InvalidInput(message, [FieldProblem(message, field="participant_ref")])
    else:
        message = "give the participant, by participant_id or participant_ref"
        raise InvalidInput(message, [FieldProblem(message, field="participant_id")])
    values = data.model_dump(include=set(PlacementBase.model_fields))
    _raise_problems(validation_problems(values))
    employer_id = _resolve_employer(session, access, data.employer_org_id, data.employer_org_number)
    reason = require_reason(session, access.contract.id, [(data.start, data.end)], data.reason)
    placement = Placement(
        **values,
        contract_id=access.contract.id,
        participant_id=participant.id,
        employer_org_id=employer_id,
        reported_by_org_id=principal.organisation_id,
    )
    session.add(placement)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            f"{participant.ref} already has a {data.placement_type} placement starting {data.start.isoformat()} "
            "on this contract: change that one instead"
        ) from None
    audit_log.record(session, principal, "create", "placement", placement.id,
                     after=audit_log.snapshot(placement), contract_id=access.contract.id, reason=reason)
    session.commit()
    return view(session, placement)


def update_placement(
    session: Session, principal: Principal, contract_id: uuid.UUID, placement_id: uuid.UUID, data: PlacementUpdate
) -> PlacementView:
    """A change, an end (`end` + status completed/ended_early) or an outcome."""
    access, placement = placement_for(session, principal, contract_id, placement_id, Action.REPORT)
    if data.version is None:
        message = f"give the version of the placement you read (now {placement.version}), so that nobody's change is overwritten"
        raise InvalidInput(message, [FieldProblem(message, field="version")])
    if data.version != placement.version:
        raise Conflict(
            f"the placement was changed by someone else since you read it (version {data.version}, "
            f"now {placement.version}); reload and try again"
        )
    changes = data.model_dump(exclude_unset=True, exclude={"version", "reason"})
    employer_id = changes.pop("employer_org_id", None)
    current = placement.model_dump(include=set(PlacementBase.model_fields))
    merged = {**current, **changes}
    if (
        merged.get("status") == "ended_early"
        and current.get("status") != "ended_early"
        and merged.get("planned_end") is None
        and current.get("end") is not None
        and merged.get("end") != current.get("end")
    ):
        # Keep the planned end so that full_time_months can judge the share served.
        merged["planned_end"] = current["end"]
    _raise_problems(validation_problems(merged))
    merged_employer: uuid.UUID | None
    if employer_id is not None and employer_id != placement.employer_org_id:
        merged_employer = _resolve_employer(session, access, employer_id, None)
    else:
        merged_employer = placement.employer_org_id
    changed = {k: v for k, v in merged.items() if current.get(k) != v}
    if merged_employer != placement.employer_org_id:
        changed["employer_org_id"] = merged_employer
    if not changed:
        return view(session, placement)
    reason = require_reason(
        session, access.contract.id, [(placement.start, placement.end), (merged["start"], merged["end"])], data.reason
    )
    before = audit_log.snapshot(placement)
    for name, value in changed.items():
        setattr(placement, name, value)
    placement.updated_at = utcnow()
    session.add(placement)
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise Conflict("the placement was changed by someone else just now; reload and try again") from None
    except IntegrityError:
        session.rollback()
        raise Conflict("the participant already has a placement of this type starting that day on this contract") from None
    audit_log.record(session, principal, "update", "placement", placement.id, before=before,
                     after=audit_log.snapshot(placement), contract_id=access.contract.id, reason=reason)
    session.commit()
    return view(session, placement)
