"""The placements CSV import against a plain executemany of the same rows.

    python bench/import_bench.py [--rows 100000] [--seed 1] [--database-url URL] [--memory]

Generates a seeded placements CSV (bench/synthetic.py), imports it into a fresh,
migrated database through the import service (parsing, checks, bulk writes, the audit
entry, one transaction), then inserts the same participants and placements with one
plain `executemany` per table into a second contract of the same database, and prints
both times and their ratio (the goal: within 3×). The re-import of the unchanged file
(idempotent: nothing written) is timed too. With --memory the file is imported once
more, into a third contract, under tracemalloc, and the peak of the memory Python
allocated for it is printed (the import streams: it holds a batch of rows, not the file).

Without --database-url a SQLite file in a temporary directory is used; with a
postgresql+psycopg:// URL a uniquely named database is created on that server and
dropped afterwards.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).parent))
import synthetic  # noqa: E402

from procure.formats import records_csv  # noqa: E402
from procure.services.access import Principal  # noqa: E402
from procure.services.placement_import import import_placements  # noqa: E402
from procure.storage import migrations  # noqa: E402
from procure.storage.database import create_database_engine  # noqa: E402
from procure.storage.models import Appointment, Contract, Organisation, Participant, Placement, User, new_id, utcnow  # noqa: E402

SECRET = b"b" * 40


@contextmanager
def fresh_database(url: str | None) -> Iterator[str]:
    if url is None:
        with tempfile.TemporaryDirectory() as directory:
            yield f"sqlite:///{directory}/bench.sqlite3"
        return
    name = f"procure_bench_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def setup(session: Session) -> tuple[Principal, Contract, Contract, Contract]:
    """Buyer, contractor, three subcontractors, a contractor user and three contracts."""
    orgs = {o.org_number: Organisation(name=o.name, org_number=o.org_number, kind=o.kind or "contractor")
            for o in (synthetic.BUYER, synthetic.CONTRACTOR, *synthetic.SUBCONTRACTORS)}
    session.add_all(orgs.values())
    session.flush()
    user = User(email="bench@skanska.test", role="contractor", organisation_id=orgs[synthetic.CONTRACTOR.org_number].id, password_hash="!")
    session.add(user)
    contracts = []
    for reference in ("BENCH-IMPORT", "BENCH-EXECUTEMANY", "BENCH-MEMORY"):
        contract = Contract(reference=reference, title=reference, buyer_org_id=orgs[synthetic.BUYER.org_number].id,
                            contractor_org_id=orgs[synthetic.CONTRACTOR.org_number].id, start=synthetic.START,
                            end=synthetic.END, status="active")
        session.add(contract)
        session.flush()
        session.add_all(Appointment(contract_id=contract.id, organisation_id=orgs[o.org_number].id, org_number=o.org_number,
                                    role=role, status="accepted")  # accepted, as the organisations would
                        for o, role in [(synthetic.CONTRACTOR, "contractor"), *((s, "subcontractor") for s in synthetic.SUBCONTRACTORS)])
        contracts.append(contract)
    session.commit()
    principal = Principal(user_id=user.id, email=user.email, role="contractor", organisation_id=user.organisation_id)
    return principal, contracts[0], contracts[1], contracts[2]


def plain_rows(csv_path: Path, contract: Contract, employers: dict[str, object]) -> tuple[list[dict], list[dict]]:
    """The same participants and placements as column dicts, ready for executemany."""
    people, placements = records_csv.read_placements(csv_path, secret=SECRET)
    now = utcnow()
    ids = {p.ref: new_id() for p in people}
    participant_rows = [
        {"id": ids[p.ref], "contract_id": contract.id, "ref": p.ref, "target_groups": list(p.target_groups),
         "gender": p.gender, "birth_year": p.birth_year, "identity_hash": p.identity_hash,
         "reported_by_org_id": contract.contractor_org_id, "created_at": now}
        for p in people
    ]
    placement_rows = [
        {"id": new_id(), "contract_id": contract.id, "participant_id": ids[p.participant_ref],
         "placement_type": p.placement_type, "start": p.start, "end": p.end, "planned_end": p.planned_end,
         "hours_per_week": p.hours_per_week, "days_per_week": p.days_per_week,
         "supervisor_trained": p.supervisor_trained, "status": p.status, "outcome": p.outcome,
         "outcome_date": p.outcome_date, "employed_before_start": p.employed_before_start,
         "employer_org_id": employers[p.employer_org_number], "reported_by_org_id": contract.contractor_org_id,
         "created_at": now, "updated_at": now, "version": 1}
        for p in placements
    ]
    return participant_rows, placement_rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="postgresql+psycopg://user@host:5432/db (default: a temporary SQLite file)")
    parser.add_argument("--memory", action="store_true", help="also the peak memory of an import (tracemalloc, slow)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as directory, fresh_database(args.database_url) as url:
        out = Path(directory)
        synthetic.write(out, args.rows, args.seed, date(2018, 3, 31))
        csv_path = out / "placements.csv"
        print(f"database {make_url(url).get_backend_name()}, {args.rows} rows, {csv_path.stat().st_size / 1e6:.1f} MB CSV")
        migrations.upgrade(url)
        engine = create_database_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            principal, imported, plain, measured = setup(session)
            employers = {o.org_number: o.id for o in session.exec(Organisation.__table__.select()).all()}

            started = time.perf_counter()
            result = import_placements(session, principal, imported.id, csv_path, secret=SECRET)
            import_seconds = time.perf_counter() - started
            assert result.created == args.rows, result

            started = time.perf_counter()
            again = import_placements(session, principal, imported.id, csv_path, secret=SECRET)
            reimport_seconds = time.perf_counter() - started
            assert (again.created, again.updated) == (0, 0), again

            if args.memory:
                tracemalloc.start()
                import_placements(session, principal, measured.id, csv_path, secret=SECRET)
                peak_bytes = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()

        people, rows = plain_rows(csv_path, plain, employers)
        with engine.connect() as connection:
            started = time.perf_counter()
            with connection.begin():
                connection.execute(insert(Participant.__table__), people)
                connection.execute(insert(Placement.__table__), rows)
            plain_seconds = time.perf_counter() - started
        engine.dispose()

    print(f"import service      {import_seconds:8.2f} s  ({args.rows / import_seconds:,.0f} rows/s)")
    print(f"plain executemany   {plain_seconds:8.2f} s  ({args.rows / plain_seconds:,.0f} rows/s)")
    print(f"ratio               {import_seconds / plain_seconds:8.2f} ×  (goal: within 3 ×)")
    print(f"re-import (no-op)   {reimport_seconds:8.2f} s")
    if args.memory:
        print(f"import peak memory  {peak_bytes / 1e6:8.1f} MB  (Python allocations, tracemalloc)")


if __name__ == "__main__":
    main()
