"""Importing a placements CSV into a contract: all or nothing, idempotent, in bulk.

Shared by `POST /api/contracts/{id}/placements/import` and `procure placements import`.
The file is read by procure.formats.records_csv (every cell error by row and column);
this module adds what needs the database — employers that are no party to the
contract, rows a subcontractor may not touch, changes to placements of a submitted
period — and then writes everything in one transaction with bulk statements (one
`executemany` per table and kind of change, not one ORM object per row).

Idempotent: a placement is identified by participant ref, start date and type (the
placements table's unique key). A row that matches a stored placement updates the
fields that differ; one that matches and differs in nothing is left alone; so the same
file imported twice changes nothing, not even the audit log. The columns present in
the file are authoritative (an empty cell clears the value); a column the file does not
have leaves the stored values as they are.
"""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session

from procure.domain import model as domain
from procure.domain.identity import InvalidIdentityNumber, normalise_org_number
from procure.formats import records_csv
from procure.formats.cells import CellError, parse_date
from procure.formats.csv_table import normalise_header, open_table, sniff_delimiter
from procure.formats.errors import InputError, InputErrors
from procure.services import audit_log
from procure.services.access import Action, ContractAccess, Principal, contract_for
from procure.services.placements import (
    LOCKING_STATES,
    contract_employers,
    default_employer,
    employer_problem,
    lock_message,
    validation_problems,
)
from procure.storage.models import Contract, Participant, PeriodReport, Placement, new_id, utcnow

# The largest CSV body accepted (413 beyond it): about 100,000 rows.
MAX_IMPORT_BYTES = 20 * 1024 * 1024
# Rows per executemany: bounds the size of one statement's parameter list.
BATCH_ROWS = 5000

Progress = Callable[[str, int, int], None]  # (what, done, total)

_PARTICIPANTS = Participant.__table__
_PLACEMENTS = Placement.__table__
# CSV column → placement field, for the fields a row may change.
_PLACEMENT_FIELDS = {
    "end": "end",
    "planned_end": "planned_end",
    "hours_per_week": "hours_per_week",
    "days_per_week": "days_per_week",
    "supervisor_trained": "supervisor_trained",
    "status": "status",
    "outcome": "outcome",
    "outcome_date": "outcome_date",
    "employed_before_start": "employed_before_start",
    "employer_org_number": "employer_org_id",
}
_PARTICIPANT_FIELDS = {
    "target_groups": "target_groups",
    "gender": "gender",
    "birth_year": "birth_year",
    "personnummer": "identity_hash",
}
_DEFAULTS = {"status": "active", "employed_before_start": False, "gender": "undisclosed", "target_groups": []}


class ImportResult(BaseModel):
    file_sha256: str
    rows: int
    created: int
    updated: int
    unchanged: int
    participants_created: int
    participants_updated: int
    # Participants whose personal number is already reported on another contract of the
    # same buyer; see each participant's `possible_duplicate_of` for details.
    possible_duplicates: int


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def header_columns(path: Path) -> set[str]:
    """The columns a file has (its rows were validated by records_csv already)."""
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
    cells = next(csv.reader(io.StringIO(first), delimiter=sniff_delimiter(first)), [])
    return {normalise_header(cell) for cell in cells if cell.strip()}


def _row_numbers(path: Path, name: str) -> dict[str, int]:
    """Placement id → spreadsheet row, to place errors found after parsing. Only read
    when there are such errors."""
    table = open_table(path, name, records_csv.PLACEMENT_COLUMNS + records_csv.EXTENSION_COLUMNS, ())
    index = {column: position for position, column in enumerate(table.header)}
    rows: dict[str, int] = {}

    def cell(cells: list[str], column: str) -> str:
        position = index.get(column)
        return cells[position].strip() if position is not None and position < len(cells) else ""

    for row, cells in table.rows:
        try:
            start = parse_date(cell(cells, "start"))
        except CellError:
            continue
        key = records_csv.placement_id(cell(cells, "participant_ref"), start, cell(cells, "placement_type").lower())
        rows.setdefault(key, row)
    return rows


def _employer_errors(session: Session, access: ContractAccess, path: Path, name: str) -> list[InputError]:
    """Rows whose (valid) employer may not be reported by this party; the cell errors of
    the file are records_csv's."""
    table = open_table(path, name, records_csv.PLACEMENT_COLUMNS + records_csv.EXTENSION_COLUMNS, ())
    if "employer_org_number" not in table.header:
        return []
    position = table.header.index("employer_org_number")
    allowed = contract_employers(session, access.contract)
    errors = []
    for row, cells in table.rows:
        text = cells[position].strip() if position < len(cells) else ""
        try:
            number = normalise_org_number(text) if text else None
        except InvalidIdentityNumber:
            continue
        problem = employer_problem(access, allowed, number, None)
        if problem:
            errors.append(InputError(problem, source=name, row=row, column="employer_org_number"))
    return errors


def _same(field: str, stored: Any, new: Any) -> bool:
    if field == "target_groups":
        return set(stored or ()) == set(new or ())
    return stored == new


def _chunks(rows: list[dict[str, Any]], size: int = BATCH_ROWS) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class _Plan:
    """What an import will write, worked out before anything is written."""

    def __init__(self) -> None:
        self.new_participants: list[dict[str, Any]] = []
        self.changed_participants: list[dict[str, Any]] = []
        self.new_placements: list[dict[str, Any]] = []
        self.changed_placements: list[dict[str, Any]] = []
        self.unchanged = 0
        self.problems: list[tuple[str, str | None, str]] = []  # (placement id, column, message)


def _plan(
    session: Session,
    access: ContractAccess,
    columns: set[str],
    participants: tuple[domain.Participant, ...],
    placements: tuple[domain.Placement, ...],
    reason: str | None,
    reporting_org: uuid.UUID | None,
) -> _Plan:
    contract: Contract = access.contract
    plan = _Plan()
    now = utcnow()
    reporter = access.reporting_org_id
    allowed = contract_employers(session, contract)
    first_placement = {}
    for placement in placements:
        first_placement.setdefault(placement.participant_ref, placement.id)

    stored_people = {
        row.ref: row
        for row in session.execute(
            select(
                _PARTICIPANTS.c.id, _PARTICIPANTS.c.ref, _PARTICIPANTS.c.target_groups, _PARTICIPANTS.c.gender,
                _PARTICIPANTS.c.birth_year, _PARTICIPANTS.c.identity_hash, _PARTICIPANTS.c.reported_by_org_id,
            ).where(_PARTICIPANTS.c.contract_id == contract.id)
        )
    }
    person_ids: dict[str, uuid.UUID] = {}
    for person in participants:
        values = {
            "target_groups": list(person.target_groups),
            "gender": person.gender,
            "birth_year": person.birth_year,
            "identity_hash": person.identity_hash,
        }
        stored = stored_people.get(person.ref)
        if stored is None:
            person_id = new_id()
            plan.new_participants.append(
                {"id": person_id, "contract_id": contract.id, "ref": person.ref, "reported_by_org_id": reporting_org,
                 "created_at": now, **values}
            )
        else:
            person_id = stored.id
            changes = {
                field: values[field]
                for column, field in _PARTICIPANT_FIELDS.items()
                if column in columns and not _same(field, getattr(stored, field), values[field])
            }
            if changes:
                if reporter is not None and stored.reported_by_org_id != reporter:
                    plan.problems.append(
                        (first_placement[person.ref], "participant_ref",
                         f"{person.ref} is already reported on this contract by another organisation with other details: use another reference")
                    )
                else:
                    merged = {field: getattr(stored, field) for field in _PARTICIPANT_FIELDS.values()} | changes
                    plan.changed_participants.append({"b_id": stored.id, **{f"b_{k}": v for k, v in merged.items()}})
        person_ids[person.ref] = person_id

    stored_placements = {
        (row.participant_id, row.start, row.placement_type): row
        for row in session.execute(
            select(
                _PLACEMENTS.c.id, _PLACEMENTS.c.participant_id, _PLACEMENTS.c.start, _PLACEMENTS.c.placement_type,
                _PLACEMENTS.c.reported_by_org_id, *(_PLACEMENTS.c[field] for field in _PLACEMENT_FIELDS.values()),
            ).where(_PLACEMENTS.c.contract_id == contract.id)
        )
    }
    locks = [
        (row.period, row.period_start, row.period_end)
        for row in session.execute(
            select(PeriodReport.period, PeriodReport.period_start, PeriodReport.period_end).where(
                PeriodReport.contract_id == contract.id, PeriodReport.state.in_(LOCKING_STATES)
            )
        )
    ]

    def locked(intervals: list[tuple[date, date | None]]) -> str | None:
        for period, first, last in locks:
            if any(start <= last and (end is None or end >= first) for start, end in intervals):
                return period
        return None

    employers: dict[str | None, tuple[uuid.UUID | None, str | None]] = {}
    for placement in placements:
        number = placement.employer_org_number
        if number not in employers:
            problem = employer_problem(access, allowed, number, None)
            employers[number] = (None, problem) if problem else (allowed[number] if number else default_employer(access), None)
        employer, problem = employers[number]
        if problem:
            plan.problems.append((placement.id, "employer_org_number", problem))
            continue
        values = {
            "end": placement.end,
            "planned_end": placement.planned_end,
            "hours_per_week": placement.hours_per_week,
            "days_per_week": placement.days_per_week,
            "supervisor_trained": placement.supervisor_trained,
            "status": placement.status,
            "outcome": placement.outcome,
            "outcome_date": placement.outcome_date,
            "employed_before_start": placement.employed_before_start,
            "employer_org_id": employer,
        }
        participant_id = person_ids[placement.participant_ref]
        stored = stored_placements.get((participant_id, placement.start, placement.placement_type))
        if stored is None:
            plan.new_placements.append(
                {"id": new_id(), "contract_id": contract.id, "participant_id": participant_id,
                 "placement_type": placement.placement_type, "start": placement.start,
                 "reported_by_org_id": reporting_org, "created_at": now, "updated_at": now, "version": 1,
                 **values}
            )
            continue
        changes = {
            field: values[field]
            for column, field in _PLACEMENT_FIELDS.items()
            if column in columns and not _same(field, getattr(stored, field), values[field])
        }
        if not changes:
            plan.unchanged += 1
            continue
        if reporter is not None and stored.reported_by_org_id != reporter:
            plan.problems.append((placement.id, None, "this placement was reported by another organisation: you may not change it"))
            continue
        merged = {field: getattr(stored, field) for field in _PLACEMENT_FIELDS.values()} | changes
        problems = validation_problems({**merged, "start": stored.start, "placement_type": stored.placement_type})
        if problems:
            plan.problems.extend((placement.id, problem.field, problem.message) for problem in problems)
            continue
        period = locked([(stored.start, stored.end), (stored.start, merged["end"])])
        if period is not None and reason is None:
            plan.problems.append((placement.id, None, lock_message(period)))
            continue
        plan.changed_placements.append({"b_id": stored.id, **{f"b_{k}": v for k, v in merged.items()}, "b_updated_at": now})
    return plan


def _possible_duplicates(session: Session, contract: Contract, hashes: set[str]) -> int:
    if not hashes:
        return 0
    found: set[str] = set()
    ordered = sorted(hashes)
    for start in range(0, len(ordered), 1000):
        found.update(
            session.execute(
                select(_PARTICIPANTS.c.identity_hash)
                .join(Contract.__table__, Contract.__table__.c.id == _PARTICIPANTS.c.contract_id)
                .where(
                    Contract.__table__.c.buyer_org_id == contract.buyer_org_id,
                    _PARTICIPANTS.c.contract_id != contract.id,
                    _PARTICIPANTS.c.identity_hash.in_(ordered[start : start + 1000]),
                )
            ).scalars()
        )
    return len(found)


def _write(session: Session, plan: _Plan, progress: Progress | None) -> None:
    total = len(plan.new_participants) + len(plan.changed_participants) + len(plan.new_placements) + len(plan.changed_placements)
    done = 0

    def step(rows: list[dict[str, Any]], statement: Any) -> None:
        nonlocal done
        for chunk in _chunks(rows):
            session.execute(statement, chunk)
            done += len(chunk)
            if progress:
                progress("writing", done, total)

    step(plan.new_participants, insert(_PARTICIPANTS))
    step(
        plan.changed_participants,
        update(_PARTICIPANTS)
        .where(_PARTICIPANTS.c.id == bindparam("b_id"))
        .values({field: bindparam(f"b_{field}") for field in _PARTICIPANT_FIELDS.values()}),
    )
    step(plan.new_placements, insert(_PLACEMENTS))
    step(
        plan.changed_placements,
        update(_PLACEMENTS)
        .where(_PLACEMENTS.c.id == bindparam("b_id"))
        .values(
            {field: bindparam(f"b_{field}") for field in _PLACEMENT_FIELDS.values()}
            | {"updated_at": bindparam("b_updated_at"), "version": _PLACEMENTS.c.version + 1}
        ),
    )


def import_placements(
    session: Session,
    principal: Principal,
    contract_id: uuid.UUID | str,
    path: Path,
    *,
    secret: bytes,
    name: str = "placements.csv",
    reason: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import the placements CSV at `path` into the contract, all or nothing.

    Raises InputErrors (every problem by row and column; nothing written), NotFound,
    Forbidden. Commits on success, with one audit-log entry for the whole import
    (counts and the file's SHA-256), or none when the file changed nothing.
    """
    access = contract_for(session, principal, contract_id, Action.REPORT)
    reason = (reason or "").strip() or None
    if progress:
        progress("reading", 0, 1)
    try:
        participants, placements = records_csv.read_placements(
            path, secret=secret, name=name, extra_target_groups=access.contract.extra_target_groups or ()
        )
    except InputErrors as problems:
        # List the employers that are no party to the contract too, so one pass fixes all.
        more = _employer_errors(session, access, path, name) if any(e.row for e in problems.errors) else []
        raise InputErrors(sorted([*problems.errors, *more], key=lambda e: (e.row or 0, e.column or ""))) from None
    if not placements:
        # A file with only its header is a wrong export, not "nothing to report": say so.
        raise InputErrors([InputError("has a header but no rows: put one placement on each row below it", source=name, row=2)])
    if progress:
        progress("reading", 1, 1)
    plan = _plan(session, access, header_columns(path), participants, placements, reason, principal.organisation_id)
    if plan.problems:
        rows = _row_numbers(path, name)
        errors = sorted(
            (InputError(message, source=name, row=rows.get(key), column=column) for key, column, message in plan.problems),
            key=lambda error: (error.row or 0, error.column or ""),
        )
        raise InputErrors(errors)
    digest = file_sha256(path)
    try:
        _write(session, plan, progress)
        result = ImportResult(
            file_sha256=digest,
            rows=len(placements),
            created=len(plan.new_placements),
            updated=len(plan.changed_placements),
            unchanged=plan.unchanged,
            participants_created=len(plan.new_participants),
            participants_updated=len(plan.changed_participants),
            possible_duplicates=_possible_duplicates(
                session, access.contract, {p.identity_hash for p in participants if p.identity_hash}
            ),
        )
        if result.created or result.updated or result.participants_created or result.participants_updated:
            audit_log.record(
                session, principal, "import", "placements", digest,
                after={"file": name, **result.model_dump()}, contract_id=access.contract.id, reason=reason,
            )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return result
