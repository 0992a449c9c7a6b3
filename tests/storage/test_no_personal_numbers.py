"""A personal identity number never reaches the database, only its keyed hash."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlmodel import Session, SQLModel

from procure.domain.identity import personal_number_hash
from procure.storage.models import Contract, Participant, ParticipantCreate, Placement

pytestmark = pytest.mark.storage

SECRET = b"s" * 32
PERSONNUMMER = "19121212-1212"  # Skatteverket's test number
DIGITS = ("191212121212", "1212121212", "121212-1212")
FORBIDDEN_COLUMN_WORDS = ("personnummer", "personal_number", "pnr", "ssn")


def test_no_table_has_a_column_for_one() -> None:
    columns = [column.name for table in SQLModel.metadata.sorted_tables for column in table.columns]
    assert "identity_hash" in columns
    assert not [name for name in columns if any(word in name for word in FORBIDDEN_COLUMN_WORDS)]


def test_create_model_drops_it_from_dumps_and_reprs() -> None:
    incoming = ParticipantCreate(ref="P-0001", personal_number=PERSONNUMMER)
    assert incoming.personal_number == PERSONNUMMER  # the service can still hash it
    assert "personal_number" not in incoming.model_dump()
    assert "1212" not in repr(incoming)


def test_only_the_hash_is_stored(session: Session, contract: Contract) -> None:
    incoming = ParticipantCreate(
        ref="P-0001", target_groups=["newcomer"], gender="female", birth_year=1991,
        personal_number=PERSONNUMMER,
    )
    participant = Participant(
        **incoming.model_dump(),
        contract_id=contract.id,
        identity_hash=personal_number_hash(incoming.personal_number, SECRET),
    )
    session.add(participant)
    session.flush()
    session.add(
        Placement(
            contract_id=contract.id, participant_id=participant.id,
            placement_type="internship", start=date(2017, 1, 9),
        )
    )
    session.flush()

    stored_text: list[str] = []
    for table in SQLModel.metadata.sorted_tables:
        for row in session.execute(select(table)).all():
            stored_text.extend(str(value) for value in row if value is not None)

    assert personal_number_hash(PERSONNUMMER, SECRET) in stored_text
    for digits in DIGITS:
        assert not [value for value in stored_text if digits in value]
