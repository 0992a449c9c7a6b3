"""Small builders for storage tests: a buyer, a contractor and a contract, stored."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from procure.storage.models import Contract, Organisation


def add_organisation(session: Session, name: str, org_number: str, kind: str) -> Organisation:
    organisation = Organisation(name=name, org_number=org_number, kind=kind)
    session.add(organisation)
    session.flush()
    return organisation


@pytest.fixture
def buyer(session: Session) -> Organisation:
    return add_organisation(session, "Östersundshem AB", "556110-1816", "buyer")


@pytest.fixture
def contractor(session: Session) -> Organisation:
    return add_organisation(session, "Skanska Sverige AB", "556033-4285", "contractor")


@pytest.fixture
def contract(session: Session, buyer: Organisation, contractor: Organisation) -> Contract:
    contract = Contract(
        reference="OH-2016-REMONTHAGEN",
        title="Remonthagen, new rental housing",
        site="Remonthagen, Östersund",
        buyer_org_id=buyer.id,
        contractor_org_id=contractor.id,
        value_sek=180_000_000,
        start=date(2016, 3, 1),
        end=date(2018, 6, 30),
        status="active",
    )
    session.add(contract)
    session.flush()
    return contract
