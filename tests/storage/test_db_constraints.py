"""What the database itself refuses, whichever code path writes to it."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from procure.storage.models import Clause, Contract, Organisation, Participant, Placement
from storage.conftest import add_organisation

pytestmark = pytest.mark.storage


def _contract(buyer: Organisation, contractor: Organisation, reference: str) -> Contract:
    return Contract(
        reference=reference,
        title="Kvarteret Tallen",
        buyer_org_id=buyer.id,
        contractor_org_id=contractor.id,
        start=date(2017, 1, 1),
        end=date(2018, 12, 31),
    )


def test_a_buyer_cannot_reuse_a_contract_reference(session: Session, contract: Contract, buyer, contractor) -> None:
    session.add(_contract(buyer, contractor, contract.reference))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_another_buyer_may_use_the_same_reference(session: Session, contract: Contract, contractor) -> None:
    other_buyer = add_organisation(session, "Familjebostäder AB", "556035-9555", "buyer")
    session.add(_contract(other_buyer, contractor, contract.reference))
    session.flush()
    references = session.exec(select(Contract.reference)).all()
    assert references == [contract.reference, contract.reference]


def _participant(session: Session, contract: Contract, ref: str = "P-0001") -> Participant:
    participant = Participant(contract_id=contract.id, ref=ref, target_groups=["newcomer"])
    session.add(participant)
    session.flush()
    return participant


def _placement(contract: Contract, participant: Participant, start: date, end: date | None) -> Placement:
    return Placement(
        contract_id=contract.id,
        participant_id=participant.id,
        placement_type="internship",
        start=start,
        end=end,
        hours_per_week=Decimal("37.5"),
        days_per_week=Decimal("3"),
    )


def test_a_placement_cannot_end_before_it_starts(session: Session, contract: Contract) -> None:
    participant = _participant(session, contract)
    session.add(_placement(contract, participant, date(2017, 5, 1), date(2017, 4, 30)))
    with pytest.raises(IntegrityError, match="end_not_before_start"):
        session.flush()
    session.rollback()


def test_a_one_day_placement_and_an_ongoing_one_are_fine(session: Session, contract: Contract) -> None:
    participant = _participant(session, contract)
    session.add(_placement(contract, participant, date(2017, 5, 1), date(2017, 5, 1)))
    session.add(_placement(contract, participant, date(2017, 6, 1), None))
    session.flush()
    assert len(session.exec(select(Placement)).all()) == 2


def test_the_same_placement_cannot_be_stored_twice(session: Session, contract: Contract) -> None:
    # What makes a repeated CSV import idempotent rather than doubling the counts.
    participant = _participant(session, contract)
    session.add(_placement(contract, participant, date(2017, 5, 1), date(2017, 7, 1)))
    session.flush()
    session.add(_placement(contract, participant, date(2017, 5, 1), date(2017, 8, 1)))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_participant_refs_are_unique_per_contract(session: Session, contract: Contract) -> None:
    _participant(session, contract, "P-0017")
    session.add(Participant(contract_id=contract.id, ref="P-0017"))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_vocabularies_are_checked(session: Session, contract: Contract) -> None:
    participant = _participant(session, contract)
    placement = _placement(contract, participant, date(2017, 5, 1), None)
    placement.placement_type = "volunteering"
    session.add(placement)
    with pytest.raises(IntegrityError, match="placement_type_known"):
        session.flush()
    session.rollback()


def test_foreign_keys_are_enforced(session: Session, contract: Contract) -> None:
    # SQLite enforces them only with PRAGMA foreign_keys=ON, which the engine sets.
    import uuid

    session.add(Participant(contract_id=uuid.uuid4(), ref="P-0001"))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_a_concurrent_change_is_refused_not_overwritten(session: Session, contract: Contract) -> None:
    assert contract.version == 1
    # Someone else changes the contract after we read it …
    session.execute(
        text("UPDATE contracts SET title = 'theirs', version = version + 1 WHERE id = :id"),
        {"id": contract.id.hex if session.bind.dialect.name == "sqlite" else contract.id},
    )
    # … so our change, based on version 1, must fail rather than silently win.
    contract.title = "ours"
    with pytest.raises(StaleDataError):
        session.flush()
    session.rollback()


def test_an_update_bumps_the_version(session: Session, contract: Contract) -> None:
    contract.title = "Remonthagen, etapp 2"
    session.flush()
    assert contract.version == 2


def test_timestamps_come_back_timezone_aware(session: Session, contract: Contract) -> None:
    session.expire_all()
    stored = session.get(Contract, contract.id)
    assert stored.created_at.tzinfo is not None
    assert stored.created_at.utcoffset().total_seconds() == 0
    assert abs((datetime.now(timezone.utc) - stored.created_at).total_seconds()) < 3600


def test_clause_parameters_keep_exact_decimals(session: Session, contract: Contract) -> None:
    session.add(
        Clause(
            contract_id=contract.id,
            code="SC-2",
            title="Share of hours",
            rule="hours_share",
            parameters={"share": Decimal("0.05"), "period": "year"},
            filters={"min_weeks": Decimal("8"), "target_groups": ["newcomer"]},
            penalty={"per_breach_sek": 100_000},
        )
    )
    session.flush()
    session.expire_all()
    clause = session.exec(select(Clause).where(Clause.code == "SC-2")).one()
    assert clause.parameters == {"share": Decimal("0.05"), "period": "year"}
    assert isinstance(clause.parameters["share"], Decimal)
    assert clause.filters == {"min_weeks": 8, "target_groups": ["newcomer"]}
    assert clause.penalty == {"per_breach_sek": 100_000}


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(session: Session) -> None:
    if session.bind.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
