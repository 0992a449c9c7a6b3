"""The audit log: entries chained as written, and tampering found by `procure audit verify`.

These entries belong to no contract, so they go into the installation's chain; the
chains per contract are tested in tests/security/.

Tampering is done as an intruder with database access would: plain SQL through
SQLAlchemy core, behind the application's back.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, delete, update
from sqlmodel import Session, select

from procure.cli import cli
from procure.domain.audit_chain import GENESIS_HASH, Head
from procure.services import audit_log
from procure.storage.models import INSTALLATION_CHAIN, AuditLogEntry

TABLE = AuditLogEntry.__table__


def write_entries(session: Session, count: int) -> list[AuditLogEntry]:
    written = []
    for number in range(1, count + 1):
        written.append(
            audit_log.record(
                session,
                None,
                "update",
                "organisation",
                uuid.UUID(int=number),
                before={"name": f"Bolag {number} AB"},
                after={"name": f"Bolag {number} Bygg AB", "share": 0.05, "hours": Decimal("37.50")},
            )
        )
    return written


def alter_after(connection, sequence: int) -> None:
    connection.execute(update(TABLE).where(TABLE.c.sequence == sequence).values(after={"name": "Förfalskat AB"}))


def remove(connection, sequence: int) -> None:
    connection.execute(delete(TABLE).where(TABLE.c.sequence == sequence))


def swap_with_next(connection, sequence: int) -> None:
    # Through a free number: sequence is unique.
    connection.execute(update(TABLE).where(TABLE.c.sequence == sequence).values(sequence=-1))
    connection.execute(update(TABLE).where(TABLE.c.sequence == sequence + 1).values(sequence=sequence))
    connection.execute(update(TABLE).where(TABLE.c.sequence == -1).values(sequence=sequence + 1))


TAMPERING: dict[str, tuple[Callable, str, str]] = {
    # name: (tamper with entry 3, problem, words naming the entry)
    "altered": (alter_after, "altered", "entry 3 was changed after it was written (entry 3: update organisation"),
    "removed": (remove, "removed", "entries 3–3 are missing before entry 4"),
    "reordered": (swap_with_next, "reordered", "entry 3 does not follow the entry before it (entry 3: update organisation"),
}


def test_entries_are_chained_in_order_and_verify(session: Session) -> None:
    entries = write_entries(session, 4)
    assert [e.sequence for e in entries] == [1, 2, 3, 4]
    assert entries[0].prev_hash == GENESIS_HASH
    assert [e.prev_hash for e in entries[1:]] == [e.entry_hash for e in entries[:-1]]
    assert audit_log.head(session, INSTALLATION_CHAIN) == Head(4, entries[-1].entry_hash)
    assert {e.chain_id for e in entries} == {INSTALLATION_CHAIN}
    assert audit_log.entry_count(session) == 4
    session.commit()
    session.expire_all()  # verify what the database gives back, not the objects in memory
    assert audit_log.verify(session) is None


def test_numbers_survive_the_round_trip_through_the_database(session: Session) -> None:
    # The JSON reader gives fractions back as Decimal; the hash must still match.
    [entry] = write_entries(session, 1)
    session.commit()
    session.expire_all()
    stored = session.exec(select(AuditLogEntry)).one()
    assert stored.after["share"] == "0.05" and stored.after["hours"] == "37.50"
    assert audit_log.verify(session) is None


def test_personal_data_and_secrets_are_never_logged(session: Session) -> None:
    entry = audit_log.record(
        session,
        None,
        "create",
        "participant",
        "P-0017",
        after={"reference": "P-0017", "identity_hash": "ab" * 32, "password_hash": "$argon2id$…", "nested": {"token_hash": "cd"}},
    )
    assert entry.after == {"reference": "P-0017", "nested": {}}


@pytest.mark.parametrize("kind", TAMPERING)
def test_tampering_is_found_and_the_entry_named(session: Session, kind: str) -> None:
    write_entries(session, 5)
    session.commit()
    tamper, problem, words = TAMPERING[kind]
    tamper(session.connection(), 3)
    session.expire_all()
    found = audit_log.verify(session)
    assert found.chain_id == INSTALLATION_CHAIN
    assert (found.problem.sequence, found.problem.problem) == (3, problem)
    assert words in audit_log.describe_problem(session, found.chain_id, found.problem)


def run_verify():
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    return runner.invoke(cli, ["audit", "verify"], catch_exceptions=False)


@pytest.mark.parametrize(("entries", "said"), [(3, "3 entries"), (1, "1 entry")])
def test_procure_audit_verify_reports_an_intact_log(clean_database: Engine, entries: int, said: str) -> None:
    with Session(clean_database) as session:
        write_entries(session, entries)
        session.commit()
        head = audit_log.head(session, INSTALLATION_CHAIN)
    result = run_verify()
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"audit log intact: {said} in 1 chain",
        f"  the installation's chain: head {head.sequence} {head.hash}",
    ]


def test_procure_audit_verify_on_an_empty_log(clean_database: Engine) -> None:
    result = run_verify()
    assert result.exit_code == 0
    assert result.stdout.strip() == "audit log intact: 0 entries in 0 chains"


@pytest.mark.parametrize("kind", TAMPERING)
def test_procure_audit_verify_names_the_tampered_entry(clean_database: Engine, kind: str) -> None:
    with Session(clean_database) as session:
        write_entries(session, 5)
        session.commit()
    tamper, problem, words = TAMPERING[kind]
    with clean_database.begin() as connection:
        tamper(connection, 3)
    result = run_verify()
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("audit log broken: the installation's chain: ")
    assert words in result.stderr
