"""Importing a placements CSV into a contract: all or nothing, idempotent, in bulk, streamed.

Shared by `POST /api/contracts/{id}/placements/import` and `procure placements import`.
The file is read row by row (procure.formats.records_csv: every cell error by row and
column); this module adds what needs the database — employers that are no party to the
contract, rows a subcontractor may not touch, changes to placements of a submitted
period — and writes BATCH_ROWS rows at a time with bulk statements (one `executemany`
per table and kind of change, not one ORM object per row), all in one transaction that
is rolled back when any row is wrong, so a bad file writes nothing. After the first
error nothing more is written, but every row is still read and checked, so that the
answer lists every error of the file.

Memory is bounded by the batch, not by the file: a row is parsed, checked and let go,
and what the rows change waits to be written for at most BATCH_ROWS rows. What stays is
per contract: its participants (those the file adds too), its stored placements that
rows may match (both read once, at the start), and the key (participant, start, type)
and row number of each placement of the file, to find one given twice.

Idempotent: a placement is identified by participant ref, start date and type (the
placements table's unique key). A row that matches a stored placement updates the
fields that differ; one that matches and differs in nothing is left alone; so the same
file imported twice changes nothing, not even the audit log. The columns present in
the file are authoritative (an empty cell clears the value); a column the file does not
have leaves the stored values as they are. A participant's details may be given on any
one of its rows (the others left empty), as with records_csv.read_placements.
"""

from __future__ import annotations

import hashlib
import math
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import bindparam, delete, insert, select, update
from sqlmodel import Session, col

from procure.formats import records_csv
from procure.formats.csv_table import Table
from procure.formats.errors import InputError, InputErrors
from procure.services import audit_log
from procure.services.access import Action, ContractAccess, Principal, contract_for
from procure.services.errors import TooBusy
from procure.services.period_lock import PeriodLocks, lock_message
from procure.services.placements import contract_employers, default_employer, employer_problem, validation_problems
from procure.storage.models import Contract, ImportFailure, Participant, Placement, new_id, table_of, utcnow

# The largest CSV body accepted (413 beyond it): about 100,000 rows.
MAX_IMPORT_BYTES = 20 * 1024 * 1024
# Failed imports one user may make within FAILED_IMPORT_WINDOW; beyond, every import of
# the user is refused (429) until the oldest failure leaves the window.
MAX_FAILED_IMPORTS = 10
FAILED_IMPORT_WINDOW = timedelta(minutes=15)
# Rows read, checked and written at a time: bounds the memory of an import and the size
# of one statement's parameter list.
BATCH_ROWS = 5000

# (rows read, bytes read, bytes in the file); the byte counts are None for a text source.
Progress = Callable[[int, int | None, int | None], None]

_PARTICIPANTS = table_of(Participant)
_PLACEMENTS = table_of(Placement)
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
# A participant's value when none of its rows gives one.
_PARTICIPANT_DEFAULTS: dict[str, Any] = {"target_groups": (), "gender": "undisclosed", "birth_year": None, "identity_hash": None}
# One bit per participant column, for the columns the file has given a value in.
_GIVEN_BIT = {column: 1 << position for position, column in enumerate(_PARTICIPANT_FIELDS)}

class ImportResult(BaseModel):
    file_sha256: str
    rows: int
    created: int
    updated: int
    unchanged: int
    participants_created: int
    participants_updated: int


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _Person:
    """A participant of the contract, as stored or as this import makes it, and what the
    import has seen of it in the file."""

    __slots__ = ("ref", "id", "reported_by_org_id", "target_groups", "gender", "birth_year", "identity_hash",
                 "first_row", "given", "created", "updated", "locked")

    def __init__(self, ref: str, id: uuid.UUID | None, reported_by_org_id: uuid.UUID | None, *, target_groups: Any,
                 gender: str, birth_year: int | None, identity_hash: str | None, created: bool):
        self.ref = ref
        self.id = id  # None for a new participant until it is written or placed: ids cost memory
        self.reported_by_org_id = reported_by_org_id
        self.target_groups = target_groups
        self.gender = gender
        self.birth_year = birth_year
        self.identity_hash = identity_hash
        self.first_row: int | None = None  # its first row in the file
        self.given = 0  # the _GIVEN_BIT of each column a row of the file has given a value in
        self.created = created  # by this import
        self.updated = False  # a stored participant this import changed
        self.locked = False  # a change refused: it has placements in a submitted period

    def values(self) -> dict[str, Any]:
        values = {field: getattr(self, field) for field in _PARTICIPANT_FIELDS.values()}
        values["target_groups"] = list(values["target_groups"])
        return values


class _Import:
    """One import in progress. Each row goes in with `add` and is checked at once, against
    the contract's records and the file's earlier rows; what the rows change is written
    BATCH_ROWS rows at a time, and `finish` writes the rest. Errors go to the table's list.

    The contract's stored participants and placements are read once, at the start, with
    one query each: a lookup per batch would be planned (on PostgreSQL) on statistics
    that know nothing yet of the rows the import itself has written, and crawl.
    """

    def __init__(self, session: Session, access: ContractAccess, table: Table, reason: str | None,
                 reported_by: uuid.UUID | None):
        contract: Contract = access.contract
        self.session = session
        self.access = access
        self.contract_id = contract.id
        self.buyer_org_id = contract.buyer_org_id
        self.contractor_org_id = contract.contractor_org_id
        self.table = table
        self.error = table.error
        self.reason = reason
        # A subcontractor's organisation: it may change only what it reported itself.
        self.restricted_to = access.reporting_org_id
        self.reported_by = reported_by
        self.now = utcnow()
        self.columns = set(table.header)
        self.allowed = contract_employers(session, contract)
        self.employers: dict[str | None, tuple[uuid.UUID | None, str | None]] = {}
        self.locks = PeriodLocks.of(session, contract.id)
        self.person_intervals: dict[uuid.UUID, list[tuple[date, date | None]]] | None = None
        self.people = {
            row.ref: _Person(row.ref, row.id, row.reported_by_org_id, target_groups=row.target_groups,
                             gender=row.gender, birth_year=row.birth_year, identity_hash=row.identity_hash,
                             created=False)
            for row in session.execute(
                select(_PARTICIPANTS.c.id, _PARTICIPANTS.c.ref, _PARTICIPANTS.c.reported_by_org_id,
                       *(_PARTICIPANTS.c[field] for field in _PARTICIPANT_FIELDS.values()))
                .where(_PARTICIPANTS.c.contract_id == contract.id)
            )
        }
        self.stored_placements = {
            (row.participant_id, row.start, row.placement_type): row
            for row in session.execute(
                select(_PLACEMENTS.c.id, _PLACEMENTS.c.participant_id, _PLACEMENTS.c.start,
                       _PLACEMENTS.c.placement_type, _PLACEMENTS.c.reported_by_org_id,
                       *(_PLACEMENTS.c[field] for field in _PLACEMENT_FIELDS.values()))
                .where(_PLACEMENTS.c.contract_id == contract.id)
            )
        }
        # (participant ref, start, type) → the file row of the placement
        self.placement_rows: dict[tuple[str, date, str], int] = {}
        self.rows_read = self.rows_imported = self.created = self.updated = self.unchanged = 0
        self.participants_created = self.participants_updated = 0
        # What the rows since the last flush change: at most a batch's worth.
        self.pending_rows = 0
        self.new_people: dict[str, _Person] = {}  # by reference
        self.changed_people: dict[str, _Person] = {}  # by reference
        self.new_placements: list[dict[str, Any]] = []
        self.changed_placements: list[dict[str, Any]] = []

    def add(self, row: int, values: dict[str, Any], valid: bool) -> None:
        self.rows_read += 1
        self.pending_rows += 1
        employer, problem = self._employer(values.get("employer_org_number"))
        if problem:
            self.error(problem, row, "employer_org_number")
        ref = values.get("participant_ref")
        if ref is not None:
            person = self.people.get(ref)
            if person is None:
                person = self.people[ref] = _Person(ref, None, self.reported_by, **_PARTICIPANT_DEFAULTS, created=True)
                self.new_people[ref] = person
            elif not person.created and (person.reported_by_org_id or self.contractor_org_id) != self.reported_by:
                # References belong to the organisation that reports them: another's
                # participant is neither attached to, nor changed, nor compared with.
                self.error(f"{ref} is a participant reference of another organisation on this contract: "
                           "use a reference of your own", row, "participant_ref")
                person = None
            if person is not None:
                if person.first_row is None:
                    person.first_row = row
                if self._participant(row, values, person) and valid:
                    self._placement(row, values, person, employer, problem)
        if self.pending_rows >= BATCH_ROWS:
            self.flush()

    def _participant(self, row: int, values: dict[str, Any], person: _Person) -> bool:
        """Apply a row's participant values; False when they contradict an earlier row's
        (an error for each)."""
        agreed = True
        first_row = person.first_row
        assert first_row is not None  # set by the caller before
        for column, field in _PARTICIPANT_FIELDS.items():
            if column not in values:
                continue
            value, current = values[column], getattr(person, field)
            bit = _GIVEN_BIT[column]
            if person.given & bit:
                if not records_csv.same_participant_value(column, current, value):
                    self.error(records_csv.disagreement(person.ref, column, current, first_row), row, column)
                    agreed = False
                continue
            person.given |= bit
            if not records_csv.same_participant_value(column, current, value):
                self._change_participant(person, {field: value})
        return agreed

    def _change_participant(self, person: _Person, changes: dict[str, Any]) -> None:
        # A stored participant (not created by this import) has its id.
        if not person.created and person.id is not None and not person.updated and self.locks.periods and (
                person.locked or self._locked(person.first_row, self._intervals_of(person.id),
                                              f"{person.ref} has placements")):
            person.locked = True
            return
        for field, value in changes.items():
            setattr(person, field, value)
        if person.ref not in self.new_people:
            self.changed_people[person.ref] = person
        if not person.created and not person.updated:
            person.updated = True
            self.participants_updated += 1

    def _intervals_of(self, participant_id: uuid.UUID) -> list[tuple[date, date | None]]:
        """The stored placements of a participant, whose figures its details count for."""
        if self.person_intervals is None:
            self.person_intervals = {}
            for (owner, _start, _kind), row in self.stored_placements.items():
                self.person_intervals.setdefault(owner, []).append((row.start, row.end))
        return self.person_intervals.get(participant_id, [])

    def _employer(self, number: str | None) -> tuple[uuid.UUID | None, str | None]:
        known = self.employers.get(number)
        if known is None:
            problem = employer_problem(self.access, self.allowed, number, None)
            employer = None if problem else self.allowed[number] if number else default_employer(self.access)
            known = self.employers[number] = (employer, problem)
        return known

    def _placement(self, row: int, values: dict[str, Any], person: _Person, employer: uuid.UUID | None,
                   employer_problem: str | None) -> None:
        start, kind = values["start"], values["placement_type"]
        key = (person.ref, start, kind)
        first_row = self.placement_rows.get(key)
        if first_row is not None:
            self.error(records_csv.repeated_placement(person.ref, kind, start, first_row), row)
            return
        self.placement_rows[key] = row
        if employer_problem:
            return
        self.rows_imported += 1
        fields = {
            "end": values.get("end"),
            "planned_end": values.get("planned_end"),
            "hours_per_week": values.get("hours_per_week"),
            "days_per_week": values.get("days_per_week"),
            "supervisor_trained": values.get("supervisor_trained"),
            "status": values.get("status", "active"),
            "outcome": values.get("outcome"),
            "outcome_date": values.get("outcome_date"),
            "employed_before_start": values.get("employed_before_start", False),
            "employer_org_id": employer,
        }
        stored = None if person.created else self.stored_placements.get((person.id, start, kind))
        if stored is None:
            if self._locked(row, [(start, fields["end"])]):
                return
            if person.id is None:
                person.id = new_id()
            self.created += 1
            self.new_placements.append(
                {"id": new_id(), "contract_id": self.contract_id, "participant_id": person.id,
                 "placement_type": kind, "start": start, "reported_by_org_id": self.reported_by,
                 "created_at": self.now, "updated_at": self.now, "version": 1, **fields}
            )
            return
        change = self._placement_change(row, stored, fields)
        if change is not None:
            self.updated += 1
            self.changed_placements.append(change)

    def _placement_change(self, row: int, stored: Any, fields: dict[str, Any]) -> dict[str, Any] | None:
        """The update of a stored placement, or None when the row changes nothing or may not."""
        changes = {
            field: fields[field]
            for column, field in _PLACEMENT_FIELDS.items()
            if column in self.columns and getattr(stored, field) != fields[field]
        }
        if not changes:
            self.unchanged += 1
            return None
        if self.restricted_to is not None and stored.reported_by_org_id != self.restricted_to:
            self.error("this placement was reported by another organisation: you may not change it", row)
            return None
        merged = {field: getattr(stored, field) for field in _PLACEMENT_FIELDS.values()} | changes
        problems = validation_problems({**merged, "start": stored.start, "placement_type": stored.placement_type})
        for problem in problems:
            self.error(problem.message, row, problem.field)
        if problems:
            return None
        if self._locked(row, [(stored.start, stored.end), (stored.start, merged["end"])]):
            return None
        return {"b_id": stored.id, **{f"b_{k}": v for k, v in merged.items()}, "b_updated_at": self.now}

    def _locked(self, row: int | None, intervals: list[tuple[date, date | None]],
                what: str = "this placement is") -> bool:
        """Whether the change touches a submitted period without a reason (an error then)."""
        period = None if self.reason else self.locks.period(intervals)
        if period is not None:
            self.error(lock_message(period, what), row)
        return period is not None

    def finish(self) -> None:
        """Settle the participant values no row gave, and write the rest. A column the
        file has, with its cells empty on every row of a stored participant, clears the
        participant's value (rows may leave details empty that another row gives)."""
        present = sum(bit for column, bit in _GIVEN_BIT.items() if column in self.columns)
        for person in self.people.values():
            missing = present & ~person.given
            if person.first_row is None or person.created or not missing:
                continue
            changes = {
                field: _PARTICIPANT_DEFAULTS[field]
                for column, field in _PARTICIPANT_FIELDS.items()
                if missing & _GIVEN_BIT[column]
                and not records_csv.same_participant_value(column, getattr(person, field), _PARTICIPANT_DEFAULTS[field])
            }
            if changes:
                self._change_participant(person, changes)
                if len(self.changed_people) >= BATCH_ROWS:
                    self.flush()
        self.flush()

    def flush(self) -> None:
        """Write what the rows since the last flush change. Once the file is known to be
        bad nothing more is written: it is all rolled back anyway."""
        if not self.table.errors:
            for person in self.new_people.values():
                if person.id is None:
                    person.id = new_id()
            if self.new_people:
                self.session.execute(
                    insert(_PARTICIPANTS),
                    [{"id": person.id, "contract_id": self.contract_id, "ref": person.ref,
                      "reported_by_org_id": person.reported_by_org_id, "created_at": self.now, **person.values()}
                     for person in self.new_people.values()],
                )
            if self.changed_people:
                self.session.execute(
                    update(_PARTICIPANTS)
                    .where(_PARTICIPANTS.c.id == bindparam("b_id"))
                    .values({field: bindparam(f"b_{field}") for field in _PARTICIPANT_FIELDS.values()}),
                    [{"b_id": person.id, **{f"b_{field}": value for field, value in person.values().items()}}
                     for person in self.changed_people.values()],
                )
            if self.new_placements:
                self.session.execute(insert(_PLACEMENTS), self.new_placements)
            if self.changed_placements:
                self.session.execute(
                    update(_PLACEMENTS)
                    .where(_PLACEMENTS.c.id == bindparam("b_id"))
                    .values(
                        {field: bindparam(f"b_{field}") for field in _PLACEMENT_FIELDS.values()}
                        | {"updated_at": bindparam("b_updated_at"), "version": _PLACEMENTS.c.version + 1}
                    ),
                    self.changed_placements,
                )
        self.participants_created += len(self.new_people)
        self.pending_rows = 0
        self.new_people, self.changed_people, self.new_placements, self.changed_placements = {}, {}, [], []


def check_import_throttle(session: Session, principal: Principal, now: datetime | None = None) -> None:
    """TooBusy when the user has failed MAX_FAILED_IMPORTS imports within the
    window. Counted in the database, so every app process agrees."""
    if principal.user_id is None:
        return
    now = now or utcnow()
    recent = session.execute(
        select(col(ImportFailure.at))
        .where(col(ImportFailure.user_id) == principal.user_id, col(ImportFailure.at) > now - FAILED_IMPORT_WINDOW)
        .order_by(col(ImportFailure.at).desc())
        .limit(MAX_FAILED_IMPORTS)
    ).scalars().all()
    if len(recent) >= MAX_FAILED_IMPORTS:
        wait = max(1, math.ceil((min(recent) + FAILED_IMPORT_WINDOW - now).total_seconds()))
        raise TooBusy(
            f"{MAX_FAILED_IMPORTS} imports of yours failed within {int(FAILED_IMPORT_WINDOW.total_seconds() // 60)} "
            f"minutes: correct the file and try again in {wait} seconds",
            retry_after=wait,
        )


def record_failed_import(session: Session, principal: Principal, contract_id: uuid.UUID, rows: int,
                         errors: int) -> None:
    """Count a failed import against the user's throttle and log it: counts only, never
    what the file held. Commits; call it after the import's own work is rolled back."""
    now = utcnow()
    if principal.user_id is not None:
        session.execute(delete(ImportFailure).where(
            col(ImportFailure.user_id) == principal.user_id, col(ImportFailure.at) <= now - FAILED_IMPORT_WINDOW))
        session.add(ImportFailure(user_id=principal.user_id, at=now))
    audit_log.record(session, principal, "import_failed", "placements", str(contract_id),
                     after={"rows": rows, "errors": errors}, contract_id=contract_id, at=now)
    session.commit()


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
    record_failure: bool = True,
) -> ImportResult:
    """Import the placements CSV at `path` into the contract, all or nothing.

    Raises InputErrors (every problem by row and column, the first MAX_ERRORS of them;
    nothing written), NotFound, Forbidden, TooBusy (the user's failed imports).
    Commits on success, with one audit-log entry for the whole import (counts and the
    file's SHA-256), or none when the file changed nothing. A failed import is counted
    against the user and logged with its counts (`record_failed_import`), unless
    `record_failure` is False (a dry run that the caller rolls back records it itself).
    """
    access = contract_for(session, principal, contract_id, Action.REPORT)
    check_import_throttle(session, principal)
    reason = (reason or "").strip() or None
    digest = file_sha256(path)
    job: _Import | None = None
    try:
        with records_csv.open_placements(path, name) as table:
            job = _Import(session, access, table, reason, principal.organisation_id)
            if progress:
                progress(0, 0, table.size)
            rows = records_csv.placement_rows(
                table, secret=secret, extra_target_groups=access.contract.extra_target_groups or ()
            )
            for row, values, valid in rows:
                job.add(row, values, valid)
                if progress and not job.pending_rows:  # a batch was written
                    progress(job.rows_read, table.bytes_read(), table.size)
            job.finish()
            if progress:
                progress(job.rows_read, table.size, table.size)
        if table.errors:
            raise InputErrors(sorted(table.errors, key=lambda error: (error.row or 0, error.column or "")),
                              total=table.errors.total)
        if not job.rows_imported:
            # A file with only its header is a wrong export, not "nothing to report": say so.
            raise InputErrors([InputError("has a header but no rows: put one placement on each row below it", source=name, row=2)])
        result = ImportResult(
            file_sha256=digest,
            rows=job.rows_imported,
            created=job.created,
            updated=job.updated,
            unchanged=job.unchanged,
            participants_created=job.participants_created,
            participants_updated=job.participants_updated,
        )
        if result.created or result.updated or result.participants_created or result.participants_updated:
            audit_log.record(
                session, principal, "import", "placements", digest,
                after={"file": name, **result.model_dump()}, contract_id=access.contract.id, reason=reason,
            )
        session.commit()
    except InputErrors as failure:
        session.rollback()
        failure.rows_read = job.rows_read if job else 0
        if record_failure:
            record_failed_import(session, principal, access.contract.id, failure.rows_read, failure.total)
        raise
    except BaseException:
        session.rollback()
        raise
    return result
