"""Stored rows come back as the domain values the rules engine reads."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session

from procure.domain import model as domain
from procure.storage.mapping import ContractNotFound, clause_columns, load_contract_records
from procure.storage.models import (
    Appointment, Clause, Contract, LabourHours, Organisation, Participant, PeriodReport,
    Placement, User, Waiver,
)
from storage.conftest import add_organisation

pytestmark = pytest.mark.storage

SC1 = domain.Clause(
    code="SC-1",
    title="Internships for newcomers and unemployed youth",
    rule="placement_count",
    text="Leverantören ska under avtalstiden erbjuda minst 20 praktikplatser …",
    parameters={"target": 20, "period": "contract", "tolerance": Decimal("0.1")},
    filters=domain.Filters(
        placement_types=("internship", "apprenticeship", "employment"),
        target_groups=("newcomer", "unemployed_youth"),
        min_weeks=Decimal("8"),
        min_days_per_week=Decimal("2.5"),
        exclude_employed_before_start=True,
    ),
    penalty=domain.Penalty(per_unit_sek=25_000, cap_sek=500_000),
    bonus=domain.Bonus(per_unit_sek=10_000),
)
SC2 = domain.Clause(
    code="SC-2",
    title="Social value",
    rule="social_value",
    parameters={
        "share_of_value": Decimal("0.05"),
        "values": {"internship": Decimal("2500"), "employment": Decimal("4000.5")},
        "outcomes": ("job_matching", "education"),
    },
)


def test_a_stored_contract_maps_onto_the_domain(session: Session, contract: Contract, buyer, contractor) -> None:
    subcontractor = add_organisation(session, "Bygg & Mark i Jämtland AB", "556677-8899", "contractor")
    auditor = add_organisation(session, "Revisionsbyrån AB", "556012-3456", "audit")
    session.add(Appointment(contract_id=contract.id, organisation_id=subcontractor.id, org_number=subcontractor.org_number,
                            role="subcontractor", status="accepted"))
    session.add(Appointment(contract_id=contract.id, organisation_id=auditor.id, org_number=auditor.org_number,
                            role="auditor", status="accepted"))
    contract.extra_target_groups = ["local_residents"]
    # Stored in the opposite order to their positions: the mapping orders by position.
    sc2 = Clause(contract_id=contract.id, **clause_columns(SC2, position=2))
    sc1 = Clause(contract_id=contract.id, **clause_columns(SC1, position=1))
    session.add_all([sc2, sc1])
    user = User(email="inspector@ostersundshem.se", role="buyer", organisation_id=buyer.id, password_hash="x")
    session.add(user)
    session.flush()
    session.add(Waiver(clause_id=sc2.id, reason="no candidates offered", period_start=date(2017, 3, 1), created_by=user.id))

    anna = Participant(contract_id=contract.id, ref="P-0001", target_groups=["newcomer"], gender="female", birth_year=1990, identity_hash="ab" * 32)
    omar = Participant(contract_id=contract.id, ref="P-0002", target_groups=["unemployed_youth", "newcomer"], gender="male")
    session.add_all([anna, omar])
    session.flush()
    first = Placement(
        contract_id=contract.id, participant_id=anna.id, employer_org_id=subcontractor.id,
        placement_type="internship", start=date(2016, 4, 4), end=date(2016, 6, 10),
        planned_end=date(2016, 7, 1), hours_per_week=Decimal("37.5"), days_per_week=Decimal("3"),
        supervisor_trained=True, status="ended_early", outcome="education", outcome_date=date(2016, 8, 15),
    )
    ongoing = Placement(
        contract_id=contract.id, participant_id=omar.id, employer_org_id=None,
        placement_type="employment", start=date(2016, 9, 1), employed_before_start=True,
    )
    session.add_all([ongoing, first])
    session.add(LabourHours(contract_id=contract.id, month=date(2016, 4, 1), employer_org_id=subcontractor.id, hours=Decimal("1520.25")))
    session.add(LabourHours(contract_id=contract.id, month=date(2016, 4, 1), employer_org_id=contractor.id, hours=Decimal("8000")))
    session.add(PeriodReport(contract_id=contract.id, period="2016-Q2", period_start=date(2016, 4, 1), period_end=date(2016, 6, 30), submitted_on=date(2016, 7, 12)))
    session.flush()
    session.expire_all()  # read back from the database, not the identity map

    got_contract, records = load_contract_records(session, contract.id)

    assert got_contract == domain.Contract(
        reference="OH-2016-REMONTHAGEN",
        title="Remonthagen, new rental housing",
        site="Remonthagen, Östersund",
        buyer=domain.Organisation("Östersundshem AB", "556110-1816", "buyer"),
        contractor=domain.Organisation("Skanska Sverige AB", "556033-4285", "contractor"),
        start=date(2016, 3, 1),
        end=date(2018, 6, 30),
        value_sek=180_000_000,
        currency="SEK",
        status="active",
        subcontractors=(domain.Organisation("Bygg & Mark i Jämtland AB", "556677-8899", "contractor"),),
        auditors=(domain.Organisation("Revisionsbyrån AB", "556012-3456", "audit"),),
        extra_target_groups=("local_residents",),
        clauses=(SC1, SC2),
        waivers=(domain.Waiver("SC-2", "no candidates offered", date(2017, 3, 1)),),
    )
    assert isinstance(got_contract.clauses[1].parameters["share_of_value"], Decimal)

    assert records.participants == (
        domain.Participant("P-0001", ("newcomer",), "female", 1990, "ab" * 32),
        domain.Participant("P-0002", ("unemployed_youth", "newcomer"), "male", None, None),
    )
    assert records.placements == (
        domain.Placement(
            id=str(first.id), participant_ref="P-0001", placement_type="internship",
            start=date(2016, 4, 4), end=date(2016, 6, 10), employer_org_number="556677-8899",
            hours_per_week=Decimal("37.5"), days_per_week=Decimal("3"), supervisor_trained=True,
            status="ended_early", outcome="education", outcome_date=date(2016, 8, 15),
            planned_end=date(2016, 7, 1),
        ),
        domain.Placement(
            id=str(ongoing.id), participant_ref="P-0002", placement_type="employment",
            start=date(2016, 9, 1), end=None, employer_org_number=None, status="active",
            employed_before_start=True,
        ),
    )
    assert records.labour_hours == (
        domain.LabourHours(date(2016, 4, 1), "556033-4285", Decimal("8000")),
        domain.LabourHours(date(2016, 4, 1), "556677-8899", Decimal("1520.25")),
    )
    assert records.period_reports == (domain.PeriodReport("2016-Q2", date(2016, 7, 12)),)


def test_a_contract_with_nothing_reported_has_empty_records(session: Session, contract: Contract) -> None:
    got_contract, records = load_contract_records(session, contract.id)
    assert got_contract.clauses == () and got_contract.subcontractors == ()
    assert records == domain.ContractRecords()


def test_an_unknown_contract_is_not_found(session: Session) -> None:
    with pytest.raises(ContractNotFound):
        load_contract_records(session, uuid.uuid4())
