"""A contract's data version moves with every change to what the rules engine reads of
it, in the same transaction, whether the change is an ORM row or a bulk statement
(procure.storage.data_version); and with nothing else."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import bindparam, insert, update
from sqlmodel import Session

from procure.services import audit_log
from procure.storage import data_version
from procure.storage.models import (
    Appointment, Clause, Contract, LabourHours, Organisation, Participant, PeriodReport, Placement,
    Waiver,
)

from storage.conftest import add_organisation


def version(session: Session, contract: Contract) -> int:
    return data_version.current(session, contract.id)


@pytest.fixture
def stored(session: Session, contract: Contract):
    """A participant, a placement and a clause with a waiver, committed."""
    person = Participant(contract_id=contract.id, ref="P-1", target_groups=["newcomer"])
    clause = Clause(contract_id=contract.id, code="SC-1", title="Internships", rule="placement_count",
                    parameters={"target": 2})
    session.add_all([person, clause])
    session.flush()
    placement = Placement(contract_id=contract.id, participant_id=person.id, placement_type="internship",
                          start=date(2016, 4, 1), end=date(2016, 6, 1))
    waiver = Waiver(clause_id=clause.id, reason="a good reason")
    session.add_all([placement, waiver])
    session.commit()
    return person, placement, clause, waiver


def test_a_new_contract_starts_at_one(session: Session, contract: Contract) -> None:
    assert version(session, contract) == 1


def changes(stored, contract: Contract):
    person, placement, clause, waiver = stored

    def edit(obj, **values):
        def change(session: Session) -> None:
            for name, value in values.items():
                setattr(obj, name, value)
            session.add(obj)
        return change

    def add(make):
        return lambda session: session.add(make(session))

    def delete(obj):
        return lambda session: session.delete(obj)

    return {
        "contract field": edit(contract, value_sek=90_000_000),
        "clause added": add(lambda s: Clause(contract_id=contract.id, code="SC-2", title="More", rule="supervision")),
        "clause changed": edit(clause, parameters={"target": 3}),
        "clause removed": delete(clause),
        "waiver added": add(lambda s: Waiver(clause_id=clause.id, reason="another")),
        "waiver removed": delete(waiver),
        "participant changed": edit(person, target_groups=["disability"]),
        "placement added": add(lambda s: Placement(contract_id=contract.id, participant_id=person.id,
                                                   placement_type="employment", start=date(2017, 1, 1))),
        "placement changed": edit(placement, end=date(2016, 9, 1)),
        "placement removed": delete(placement),
        "labour hours": add(lambda s: LabourHours(contract_id=contract.id, month=date(2016, 5, 1), hours=Decimal(900),
                                                  employer_org_id=contract.contractor_org_id)),
        "period report": add(lambda s: PeriodReport(contract_id=contract.id, period="2016-05",
                                                    period_start=date(2016, 5, 1), period_end=date(2016, 5, 31),
                                                    submitted_on=date(2016, 6, 10))),
        "appointment": add(lambda s: Appointment(
            contract_id=contract.id, role="subcontractor", org_number="556677-8899",
            organisation_id=add_organisation(s, "Jämtbygg AB", "556677-8899", "contractor").id)),
    }


CHANGES = ["contract field", "clause added", "clause changed", "clause removed", "waiver added", "waiver removed",
           "participant changed", "placement added", "placement changed", "placement removed", "labour hours",
           "period report", "appointment"]


@pytest.mark.parametrize("change", CHANGES)
def test_every_kind_of_change_moves_the_version_in_its_own_transaction(session, contract, stored, change) -> None:
    before = version(session, contract)
    changes(stored, contract)[change](session)
    session.flush()
    assert version(session, contract) == before + 1
    assert contract.id in data_version.changed_here(session)
    session.commit()
    assert version(session, contract) == before + 1
    assert data_version.changed_here(session) == frozenset()


def test_a_rolled_back_change_leaves_the_version(session, contract, stored) -> None:
    before = version(session, contract)
    stored[1].end = date(2016, 12, 1)
    session.add(stored[1])
    session.flush()
    session.rollback()
    assert version(session, contract) == before
    assert data_version.changed_here(session) == frozenset()


def test_what_the_engine_never_reads_leaves_the_version(session, contract, stored) -> None:
    before = version(session, contract)
    session.add(Organisation(name="Elsewhere AB", org_number="556400-1237", kind="buyer"))
    audit_log.record(session, None, "issue", "report", uuid.uuid4(), contract_id=contract.id)
    session.commit()
    assert version(session, contract) == before


def test_another_contract_keeps_its_version(session, contract, stored, buyer, contractor) -> None:
    other = Contract(reference="OTHER", title="Other", buyer_org_id=buyer.id, contractor_org_id=contractor.id,
                     start=date(2016, 1, 1), end=date(2017, 1, 1))
    session.add(other)
    session.commit()
    stored[1].end = date(2016, 12, 1)
    session.add(stored[1])
    session.commit()
    assert version(session, other) == 1


def test_renaming_a_party_moves_the_versions_of_its_contracts(session, contract, stored, contractor) -> None:
    before = version(session, contract)
    contractor.name = "Skanska Sverige Aktiebolag"
    session.add(contractor)
    session.commit()
    assert version(session, contract) == before + 1


def test_bulk_statements_move_the_versions_of_the_contracts_they_touch(session, contract, stored) -> None:
    person, placement, _clause, _waiver = stored
    table = Placement.__table__
    before = version(session, contract)
    session.execute(insert(table), [
        {"id": uuid.uuid4(), "contract_id": contract.id, "participant_id": person.id, "placement_type": kind,
         "start": date(2017, 2, 1), "status": "active", "employed_before_start": False, "version": 1,
         "created_at": contract.created_at, "updated_at": contract.created_at}
        for kind in ("summer_job", "training")])
    assert version(session, contract) > before
    before = version(session, contract)
    session.execute(update(table).where(table.c.id == bindparam("b_id")).values(status=bindparam("b_status")),
                    [{"b_id": placement.id, "b_status": "completed"}])
    assert version(session, contract) > before
    before = version(session, contract)
    session.execute(update(Participant).where(Participant.contract_id == contract.id).values(birth_year=None))
    assert version(session, contract) > before
    session.commit()
