"""Stored rows onto the domain dataclasses the rules engine reads, and clause values back.

The engine knows nothing of the database: `load_contract_records` reads one contract
with everything reported on it and hands back plain immutable values. The JSON columns
of a clause hold the domain's values with tuples as lists and Decimals as JSON numbers;
reading them back turns every non-integral number into an exact Decimal again.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import fields
from decimal import Decimal
from typing import Any

from sqlalchemy import String, cast, type_coerce
from sqlalchemy import select as core_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from procure.domain import model as domain
from procure.storage.database import json_deserializer
from procure.storage.models import (
    Appointment,
    Clause,
    Contract,
    LabourHours,
    Organisation,
    Participant,
    PeriodReport,
    Placement,
    Waiver,
)

_DECIMAL_FILTERS = ("min_weeks", "min_days_per_week", "min_hours_per_week")
_TUPLE_FILTERS = ("placement_types", "target_groups")
_BOOL_FILTERS = ("require_trained_supervisor", "exclude_employed_before_start")


class ContractNotFound(LookupError):
    pass


def _decimal(value: Any) -> Decimal:
    # Through str: Decimal(0.05) would be 0.05000000000000000277…
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _from_json(value: Any) -> Any:
    if isinstance(value, float):
        return _decimal(value)
    if isinstance(value, list):
        return tuple(_from_json(item) for item in value)
    if isinstance(value, dict):
        return {key: _from_json(item) for key, item in value.items()}
    return value


def _to_json(value: Any) -> Any:
    if isinstance(value, (tuple, list, set, frozenset)):
        return [_to_json(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _to_json(item) for key, item in value.items()}
    return value


# --- domain -> row values -------------------------------------------------------------


def parameters_to_json(parameters: Mapping[str, Any]) -> dict[str, Any]:
    return _to_json(parameters)


def filters_to_json(filters: domain.Filters) -> dict[str, Any]:
    """Only the filters that apply, so that a stored clause reads like its TOML."""
    stored: dict[str, Any] = {}
    for name in _TUPLE_FILTERS + _DECIMAL_FILTERS:
        if (value := getattr(filters, name)) is not None:
            stored[name] = _to_json(value)
    for name in _BOOL_FILTERS:
        if getattr(filters, name):
            stored[name] = True
    return stored


def penalty_to_json(penalty: domain.Penalty | domain.Bonus | None) -> dict[str, Any] | None:
    if penalty is None:
        return None
    return {f.name: getattr(penalty, f.name) for f in fields(penalty)}


def clause_columns(clause: domain.Clause, position: int = 0) -> dict[str, Any]:
    """The column values of a Clause row for a domain clause: `Clause(contract_id=…, **clause_columns(c))`."""
    return {
        "code": clause.code,
        "title": clause.title,
        "text": clause.text,
        "rule": clause.rule,
        "parameters": parameters_to_json(clause.parameters),
        "filters": filters_to_json(clause.filters),
        "penalty": penalty_to_json(clause.penalty),
        "bonus": penalty_to_json(clause.bonus),
        "position": position,
    }


# --- rows -> domain -------------------------------------------------------------------


def filters_from_json(stored: Mapping[str, Any] | None) -> domain.Filters:
    stored = stored or {}
    values: dict[str, Any] = {}
    for name in _TUPLE_FILTERS:
        if stored.get(name) is not None:
            values[name] = tuple(str(item) for item in stored[name])
    for name in _DECIMAL_FILTERS:
        if stored.get(name) is not None:
            values[name] = _decimal(stored[name])
    for name in _BOOL_FILTERS:
        values[name] = bool(stored.get(name, False))
    return domain.Filters(**values)


def _money(stored: Mapping[str, Any], name: str) -> int | None:
    value = stored.get(name)
    return None if value is None else int(value)


def penalty_from_json(stored: Mapping[str, Any] | None) -> domain.Penalty | None:
    if not stored:
        return None
    return domain.Penalty(
        per_unit_sek=_money(stored, "per_unit_sek") or 0,
        per_breach_sek=_money(stored, "per_breach_sek") or 0,
        cap_sek=_money(stored, "cap_sek"),
    )


def bonus_from_json(stored: Mapping[str, Any] | None) -> domain.Bonus | None:
    if not stored:
        return None
    return domain.Bonus(per_unit_sek=_money(stored, "per_unit_sek") or 0, cap_sek=_money(stored, "cap_sek"))


def organisation_to_domain(row: Organisation) -> domain.Organisation:
    return domain.Organisation(name=row.name, org_number=row.org_number, kind=row.kind)


def clause_to_domain(row: Clause) -> domain.Clause:
    return domain.Clause(
        code=row.code,
        title=row.title,
        rule=row.rule,
        text=row.text,
        parameters=_from_json(dict(row.parameters or {})),
        filters=filters_from_json(row.filters),
        penalty=penalty_from_json(row.penalty),
        bonus=bonus_from_json(row.bonus),
    )


def _appointed(session: Session, contract_id: uuid.UUID, role: str) -> tuple[domain.Organisation, ...]:
    rows = session.exec(
        select(Organisation)
        .join(Appointment, col(Appointment.organisation_id) == Organisation.id)
        .where(Appointment.contract_id == contract_id, Appointment.role == role, Appointment.status != "declined")
        .order_by(Organisation.org_number)
    ).all()
    return tuple(organisation_to_domain(row) for row in rows)


def load_contract(session: Session, contract_id: uuid.UUID) -> domain.Contract:
    row = session.get(Contract, contract_id)
    if row is None:
        raise ContractNotFound(f"no contract with id {contract_id}")
    buyer = session.get(Organisation, row.buyer_org_id)
    contractor = session.get(Organisation, row.contractor_org_id)
    assert buyer is not None and contractor is not None  # foreign keys guarantee both
    clauses = session.exec(
        select(Clause).where(Clause.contract_id == contract_id).order_by(col(Clause.position), col(Clause.code))
    ).all()
    waivers = session.exec(
        select(Clause.code, Waiver)
        .join(Waiver, col(Waiver.clause_id) == Clause.id)
        .where(Clause.contract_id == contract_id)
        .order_by(col(Clause.position), col(Clause.code), col(Waiver.created_at))
    ).all()
    return domain.Contract(
        reference=row.reference,
        title=row.title,
        buyer=organisation_to_domain(buyer),
        contractor=organisation_to_domain(contractor),
        start=row.start,
        end=row.end,
        value_sek=row.value_sek,
        currency=row.currency,
        site=row.site,
        status=row.status,
        subcontractors=_appointed(session, contract_id, "subcontractor"),
        auditors=_appointed(session, contract_id, "auditor"),
        extra_target_groups=tuple(row.extra_target_groups or ()),
        clauses=tuple(clause_to_domain(clause) for clause in clauses),
        waivers=tuple(
            domain.Waiver(clause_code=code, reason=waiver.reason, period_start=waiver.period_start)
            for code, waiver in waivers
        ),
    )


def _uuid_text(stored: str) -> str:
    """str(uuid.UUID(…)) of a uuid column cast to text, without building the UUID (about
    six times faster): PostgreSQL casts to the canonical form, SQLite stores 32 hex digits."""
    if len(stored) == 36:
        return stored
    return f"{stored[:8]}-{stored[8:12]}-{stored[12:16]}-{stored[16:20]}-{stored[20:]}"


def load_records(session: Session, contract_id: uuid.UUID) -> domain.ContractRecords:
    # Only the columns the engine reads, through Core (the session's connection, so the
    # same transaction): whole ORM rows (every foreign key a UUID object, timestamps, the
    # identity map) took about two thirds of a compliance request's loading on 1,000
    # placements. The tuples go straight into the domain dataclasses.
    connection = session.connection()
    participant_rows = connection.execute(
        core_select(
            col(Participant.ref), type_coerce(Participant.target_groups, String), col(Participant.gender),
            col(Participant.birth_year), col(Participant.identity_hash),
        )
        .where(col(Participant.contract_id) == contract_id)
        .order_by(col(Participant.ref))
    ).all()
    employer = aliased(Organisation)
    placement_rows = connection.execute(
        core_select(
            cast(Placement.id, String), col(Participant.ref), col(Placement.placement_type), col(Placement.start),
            col(Placement.end), col(employer.org_number), col(Placement.hours_per_week), col(Placement.days_per_week),
            col(Placement.supervisor_trained), col(Placement.status), col(Placement.outcome),
            col(Placement.outcome_date), col(Placement.planned_end), col(Placement.employed_before_start),
        )
        .join(Participant, col(Placement.participant_id) == Participant.id)
        .outerjoin(employer, col(Placement.employer_org_id) == employer.id)
        .where(col(Placement.contract_id) == contract_id)
        .order_by(col(Placement.start), col(Participant.ref), col(Placement.placement_type))
    ).all()
    hours_rows = connection.execute(
        select(col(LabourHours.month), col(Organisation.org_number), col(LabourHours.hours))
        .join(Organisation, col(LabourHours.employer_org_id) == Organisation.id)
        .where(LabourHours.contract_id == contract_id)
        .order_by(col(LabourHours.month), col(Organisation.org_number))
    ).all()
    report_rows = connection.execute(
        select(col(PeriodReport.period), col(PeriodReport.submitted_on))
        .where(PeriodReport.contract_id == contract_id)
        .order_by(col(PeriodReport.period_start))
    ).all()
    # Hundreds of people share a handful of target-group lists: each distinct stored
    # text is decoded once (decoding every row's was a sixth of the loading on SQLite;
    # PostgreSQL's driver hands back lists already).
    groups_of: dict[str, tuple[str, ...]] = {}

    def target_groups(stored: str | list[str] | None) -> tuple[str, ...]:
        if not isinstance(stored, str):
            return tuple(stored or ())
        if stored not in groups_of:
            groups_of[stored] = tuple(json_deserializer(stored) or ())
        return groups_of[stored]

    return domain.ContractRecords(
        participants=tuple(
            domain.Participant(
                ref=ref, target_groups=target_groups(groups), gender=gender, birth_year=birth_year,
                identity_hash=identity_hash,
            )
            for ref, groups, gender, birth_year, identity_hash in participant_rows
        ),
        placements=tuple(
            domain.Placement(
                id=_uuid_text(id_),
                participant_ref=ref,
                placement_type=placement_type,
                start=start,
                end=end,
                employer_org_number=org_number,
                hours_per_week=hours_per_week,
                days_per_week=days_per_week,
                supervisor_trained=supervisor_trained,
                status=status,
                outcome=outcome,
                outcome_date=outcome_date,
                planned_end=planned_end,
                employed_before_start=employed_before_start,
            )
            for (
                id_, ref, placement_type, start, end, org_number, hours_per_week, days_per_week,
                supervisor_trained, status, outcome, outcome_date, planned_end, employed_before_start,
            ) in placement_rows
        ),
        labour_hours=tuple(
            domain.LabourHours(month=month, employer_org_number=org_number, hours=hours)
            for month, org_number, hours in hours_rows
        ),
        period_reports=tuple(
            domain.PeriodReport(period=period, submitted_on=submitted_on) for period, submitted_on in report_rows
        ),
    )


def load_contract_records(
    session: Session, contract_id: uuid.UUID
) -> tuple[domain.Contract, domain.ContractRecords]:
    """The contract with its clauses and waivers, and everything reported on it."""
    return load_contract(session, contract_id), load_records(session, contract_id)
