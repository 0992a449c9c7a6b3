"""The placements import as a stream: checked and written a batch at a time, all or nothing.

BATCH_ROWS is made small here so that a file of a few dozen rows spans several batches,
as a file of 100,000 rows does with the real batch size.
"""

from __future__ import annotations

import gc
import tracemalloc
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from procure.formats.errors import InputErrors
from procure.services import placement_import
from procure.services.access import Principal
from procure.storage.models import Appointment, AuditLogEntry, Contract, Organisation, Participant, Placement, User

SECRET = b"s" * 40
BUYER, CONTRACTOR, SUBCONTRACTOR, STRANGER = "556110-1816", "556033-4285", "556677-8899", "559012-3450"
HEADER = "participant_ref,gender,birth_year,personnummer,placement_type,start,end,hours_per_week,employer_org_number,status"
TABLES = (Participant.__table__, Placement.__table__, AuditLogEntry.__table__)


@dataclass
class World:
    engine: Engine
    contract_id: object
    other_contract_id: object
    contractor: Principal
    subcontractor: Principal


@pytest.fixture
def world(clean_database: Engine, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setattr(placement_import, "BATCH_ROWS", 10)
    with Session(clean_database, expire_on_commit=False) as session:
        orgs = {
            number: Organisation(name=name, org_number=number, kind=kind)
            for number, name, kind in (
                (BUYER, "Östersundshem AB", "buyer"),
                (CONTRACTOR, "Skanska Sverige AB", "contractor"),
                (SUBCONTRACTOR, "Jämtbygg AB", "contractor"),
                (STRANGER, "Storsjö El AB", "contractor"),
            )
        }
        session.add_all(orgs.values())
        session.flush()
        users = [
            User(email=f"site@{name}.test", role="contractor", organisation_id=orgs[number].id, password_hash="!")
            for name, number in (("skanska", CONTRACTOR), ("jamtbygg", SUBCONTRACTOR))
        ]
        session.add_all(users)
        contracts = [
            Contract(reference=reference, title=reference, buyer_org_id=orgs[BUYER].id,
                     contractor_org_id=orgs[CONTRACTOR].id, start=date(2016, 3, 1), end=date(2018, 6, 30), status="active")
            for reference in ("OH-2016-REMONTHAGEN", "OH-2017-LUGNVIK")
        ]
        session.add_all(contracts)
        session.flush()
        appointed = [(c, CONTRACTOR, "contractor") for c in contracts] + [(contracts[0], SUBCONTRACTOR, "subcontractor")]
        session.add_all([Appointment(contract_id=c.id, organisation_id=orgs[n].id, org_number=n, role=r, status="accepted")
                         for c, n, r in appointed])  # accepted (directly: this log is to stay empty)
        session.commit()
        principals = [Principal(user.id, user.email, "contractor", user.organisation_id) for user in users]
    return World(clean_database, contracts[0].id, contracts[1].id, *principals)


def line(n: int, *, employer: str = CONTRACTOR, gender: str = "female", birth_year: str = "1990",
         personnummer: str = "", start: date | None = None) -> str:
    start = start or date(2016, 3, 1) + timedelta(days=n % 700)
    end = start + timedelta(weeks=8, days=-1)
    return f"P-{n:05d},{gender},{birth_year},{personnummer},internship,{start},{end},24,{employer},completed"


def write(tmp_path: Path, lines: list[str], name: str = "placements.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def run(world: World, path: Path, *, as_: Principal | None = None, contract_id=None, **options):
    with Session(world.engine, expire_on_commit=False) as session:
        return placement_import.import_placements(
            session, as_ or world.contractor, contract_id or world.contract_id, path, secret=SECRET, **options
        )


def errors_of(world: World, path: Path, **options) -> list:
    with pytest.raises(InputErrors) as caught:
        run(world, path, **options)
    return caught.value.errors


def snapshot(engine: Engine) -> list[list[tuple]]:
    """The rows of TABLES; of the audit log, all but the entries of failed imports (which
    log their counts, issue 12)."""
    with engine.connect() as connection:
        return [
            [tuple(row) for row in connection.execute(select(table).order_by(*table.primary_key.columns))
             if table is not AuditLogEntry.__table__ or row.action != "import_failed"]
            for table in TABLES
        ]


def count(engine: Engine, model) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_bad_row_in_the_last_batch_writes_nothing_of_the_earlier_batches(world, tmp_path):
    lines = [line(n) for n in range(1, 56)]
    lines[52] = lines[52].replace("internship", "internhsip")
    errors = errors_of(world, write(tmp_path, lines))
    assert [(e.row, e.column) for e in errors] == [(54, "placement_type")]
    assert snapshot(world.engine) == [[], [], []]
    with Session(world.engine) as session:
        [failure] = session.execute(select(AuditLogEntry)).scalars().all()
    assert (failure.action, failure.after) == ("import_failed", {"rows": 55, "errors": 1})


def test_a_failed_import_leaves_what_was_there_as_it_was(world, tmp_path):
    run(world, write(tmp_path, [line(n) for n in range(1, 16)]))
    before = snapshot(world.engine)
    lines = [line(n, gender="male") for n in range(1, 40)]  # 15 changed participants, 24 new
    lines[-1] = lines[-1].replace(CONTRACTOR, STRANGER)
    [error] = errors_of(world, write(tmp_path, lines))
    assert (error.row, error.column) == (40, "employer_org_number")
    assert snapshot(world.engine) == before


def test_every_error_of_a_long_file_is_listed_in_row_order(world, tmp_path):
    lines = [line(n) for n in range(1, 61)]
    lines[3] = lines[3].replace(",24,", ",240,")  # row 5: hours out of range
    lines[25] = line(26, employer=STRANGER)  # row 27: not party to the contract
    lines[41] = lines[2]  # row 43: the placement of row 4 again
    lines[58] = line(59, start=date(2016, 3, 1)).replace("P-00059", "P-00001").replace("female", "male")  # row 60
    errors = errors_of(world, write(tmp_path, lines))
    assert [(e.row, e.column) for e in errors] == [
        (5, "hours_per_week"), (27, "employer_org_number"), (43, None), (60, "gender"),
    ]
    assert "already in row 4" in errors[2].message
    assert "P-00001 has gender female in row 2" in errors[3].message
    assert count(world.engine, Placement) == 0


def test_the_same_file_twice_changes_nothing_not_even_the_audit_log(world, tmp_path):
    path = write(tmp_path, [line(n) for n in range(1, 36)])
    first = run(world, path)
    assert (first.rows, first.created, first.participants_created) == (35, 35, 35)
    before = snapshot(world.engine)
    again = run(world, path)
    assert (again.created, again.updated, again.unchanged, again.participants_updated) == (0, 0, 35, 0)
    assert snapshot(world.engine) == before
    assert len(before[2]) == 1


def test_a_participants_details_given_on_a_row_of_a_later_batch_only(world, tmp_path):
    # The first row of P-00001 leaves gender and birth year empty; row 31 gives them.
    lines = [line(1, gender="", birth_year="")] + [line(n) for n in range(2, 30)]
    lines.append(line(1, start=date(2017, 5, 2)))
    path = write(tmp_path, lines)
    run(world, path)
    with Session(world.engine) as session:
        person = session.execute(select(Participant).where(Participant.ref == "P-00001")).scalar_one()
    assert (person.gender, person.birth_year) == ("female", 1990)
    before = snapshot(world.engine)
    again = run(world, path)
    assert (again.participants_updated, again.updated) == (0, 0)
    assert snapshot(world.engine) == before


def test_an_emptied_column_clears_a_stored_value_and_a_missing_one_keeps_it(world, tmp_path):
    run(world, write(tmp_path, [line(n) for n in range(1, 25)]))
    emptied = [line(n, gender="") for n in range(1, 25)]
    result = run(world, write(tmp_path, emptied, "emptied.csv"))
    with Session(world.engine) as session:
        assert set(session.execute(select(Participant.gender)).scalars()) == {"undisclosed"}
    run(world, write(tmp_path, [line(n, gender="male") for n in range(1, 25)], "male.csv"))
    assert (result.participants_updated, result.updated) == (24, 0)
    without = tmp_path / "without.csv"  # no gender column at all
    without.write_text("\n".join([HEADER.replace("gender,", ""), *(row.replace(",,", ",", 1) for row in emptied)]) + "\n")
    kept = run(world, without)
    assert kept.participants_updated == 0
    with Session(world.engine) as session:
        assert set(session.execute(select(Participant.gender)).scalars()) == {"male"}


def test_a_subcontractor_may_not_change_the_contractors_participant_in_a_late_batch(world, tmp_path):
    run(world, write(tmp_path, [line(1)]))
    lines = [line(n, employer=SUBCONTRACTOR) for n in range(2, 30)]
    lines.append(line(1, employer=SUBCONTRACTOR, gender="male", start=date(2017, 1, 9)))
    errors = errors_of(world, write(tmp_path, lines, "sub.csv"), as_=world.subcontractor)
    assert [(e.row, e.column) for e in errors] == [(30, "participant_ref")]
    assert "another organisation" in errors[0].message
    assert count(world.engine, Placement) == 1


def test_a_change_to_a_submitted_period_in_a_late_batch_needs_a_reason(world, tmp_path):
    from procure.storage.models import PeriodReport

    path = write(tmp_path, [line(n) for n in range(1, 30)])
    run(world, path)
    with Session(world.engine) as session:
        session.add(PeriodReport(contract_id=world.contract_id, period="2016-Q1", period_start=date(2016, 1, 1),
                                 period_end=date(2016, 3, 31), state="submitted", submitted_on=date(2016, 4, 5)))
        session.commit()
    changed = write(tmp_path, [line(n) for n in range(1, 29)] + [line(29).replace(",24,", ",30,")], "changed.csv")
    [error] = errors_of(world, changed)
    assert error.row == 30 and "2016-Q1" in error.message
    assert run(world, changed, reason="hours corrected").updated == 1


def test_a_person_reported_on_another_contract_is_counted_once_from_any_batch(world, tmp_path):
    number = "19121212-1212"
    run(world, write(tmp_path, [line(1, personnummer=number)], "other.csv"), contract_id=world.other_contract_id)
    lines = [line(n) for n in range(1, 26)]
    lines[21] = line(22, personnummer=number)
    lines.append(line(22, personnummer=number, start=date(2018, 1, 8)))
    result = run(world, write(tmp_path, lines))
    assert result.created == 26
    from procure.services.participants import list_participants

    with Session(world.engine) as session:
        [flagged] = [item for item in list_participants(session, world.contractor, world.contract_id).items
                     if item.possible_duplicate_of]
    assert flagged.ref == "P-00022"
    assert [(d.contract_reference, d.participant_ref) for d in flagged.possible_duplicate_of] == [("OH-2017-LUGNVIK", "P-00001")]


def test_progress_follows_the_rows_and_bytes_read_to_the_end(world, tmp_path):
    path = write(tmp_path, [line(n) for n in range(1, 46)])
    calls = []
    run(world, path, progress=lambda rows, read, size: calls.append((rows, read, size)))
    assert len(calls) >= 5
    assert calls[0] == (0, 0, path.stat().st_size)
    assert calls[-1] == (45, path.stat().st_size, path.stat().st_size)
    assert [rows for rows, _, _ in calls] == sorted(rows for rows, _, _ in calls)


def _peak_memory_of_import(world: World, path: Path, contract_id) -> int:
    gc.collect()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    run(world, path, contract_id=contract_id)
    return tracemalloc.get_traced_memory()[1] - before


def test_memory_grows_with_the_batch_not_with_the_file(world, tmp_path, monkeypatch):
    monkeypatch.setattr(placement_import, "BATCH_ROWS", 400)
    small = write(tmp_path, [line(n) for n in range(1, 801)], "small.csv")
    large = write(tmp_path, [line(n) for n in range(1, 8001)], "large.csv")
    tracemalloc.start()
    try:
        run(world, write(tmp_path, [line(n) for n in range(1, 401)], "warm.csv"), contract_id=world.other_contract_id)
        small_peak = _peak_memory_of_import(world, small, world.contract_id)
        with Session(world.engine) as session:
            session.execute(Placement.__table__.delete())
            session.execute(Participant.__table__.delete())
            session.commit()
        large_peak = _peak_memory_of_import(world, large, world.contract_id)
    finally:
        tracemalloc.stop()
    # Holding every row, ten times the rows take about ten times the memory (7.5× here
    # before the import streamed). What still grows is a key per placement and per
    # participant, a tenth of what a row takes.
    assert large_peak < 5 * small_peak, (small_peak, large_peak)
