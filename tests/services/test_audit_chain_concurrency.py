"""Issue 15, item 4: audit chains per contract, so writers to different contracts never
wait for each other, while writers to one chain still take turns (gap-free positions).

The waiting is tested on PostgreSQL, where writers run at once: one transaction holds an
append to contract A's chain open while another appends to contract B's with a short
lock_timeout. (SQLite has one writer for the whole file whatever procure does.)
"""

from __future__ import annotations

import threading
import uuid
from datetime import date

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from procure.services import audit_log
from procure.storage.models import AuditLogEntry, Contract, Organisation

WRITERS, EACH = 4, 10


@pytest.fixture
def two_contracts(clean_database: Engine) -> tuple[uuid.UUID, uuid.UUID]:
    with Session(clean_database, expire_on_commit=False) as session:
        buyer = Organisation(name="Östersundshem AB", org_number="556110-1816", kind="buyer")
        contractor = Organisation(name="Skanska Sverige AB", org_number="556033-4285", kind="contractor")
        session.add_all([buyer, contractor])
        session.flush()
        contracts = [
            Contract(reference=reference, title=reference, buyer_org_id=buyer.id, contractor_org_id=contractor.id,
                     start=date(2016, 3, 1), end=date(2018, 6, 30))
            for reference in ("OH-A", "OH-B")
        ]
        session.add_all(contracts)
        session.commit()
        return contracts[0].id, contracts[1].id


def append(session: Session, contract_id: uuid.UUID, note: str) -> AuditLogEntry:
    return audit_log.record(session, None, "update", "contract", contract_id, after={"note": note},
                            contract_id=contract_id)


def set_lock_timeout(session: Session, milliseconds: int) -> None:
    session.execute(text(f"SET LOCAL lock_timeout = '{milliseconds}ms'"))


def test_a_writer_to_another_contract_does_not_wait(clean_database: Engine, two_contracts) -> None:
    if clean_database.dialect.name != "postgresql":
        pytest.skip("writers run at once only on PostgreSQL")
    a, b = two_contracts
    with Session(clean_database) as first:
        held = append(first, a, "held open")  # A's head row stays locked until `first` ends
        with Session(clean_database) as second:
            set_lock_timeout(second, 500)
            entry = append(second, b, "not waiting")
            second.commit()
            assert entry.sequence == 1
        # The control: a second writer to A's chain does wait (and gives up after the timeout).
        with Session(clean_database) as third:
            set_lock_timeout(third, 100)
            with pytest.raises(OperationalError, match="lock timeout"):
                append(third, a, "must wait")
            third.rollback()
        first.commit()
        assert held.sequence == 1
    with Session(clean_database) as session:
        assert append(session, a, "after the commit").sequence == 2
        session.commit()
        assert audit_log.verify(session) is None


def test_concurrent_appends_to_one_chain_are_gapless_and_verify(clean_database: Engine, two_contracts) -> None:
    a, _b = two_contracts
    start, failures = threading.Barrier(WRITERS), []

    def writer(number: int) -> None:
        try:
            start.wait()
            for count in range(EACH):
                with Session(clean_database) as session:
                    append(session, a, f"writer {number}, entry {count}")
                    session.commit()
        except Exception as error:  # reported below, with the thread's own error
            failures.append(repr(error))

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with Session(clean_database) as session:
        positions = session.exec(
            select(AuditLogEntry.sequence).where(AuditLogEntry.chain_id == a).order_by(AuditLogEntry.sequence)
        ).all()
        assert positions == list(range(1, WRITERS * EACH + 1))
        assert audit_log.head(session, a).sequence == WRITERS * EACH
        assert audit_log.verify_chain_of(session, a) is None
