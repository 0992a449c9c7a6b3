"""A demonstration installation: the `contracts/` examples with their placements, and
one signed-in user per role.

Idempotent: organisations, users, appointments, contracts and records that are already
there are left alone, so running it twice changes nothing (not even the audit log).
The demo password is for trying procure out on one's own machine only; never run the
demo on an installation that real people use.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from procure.domain import model as domain
from procure.formats.contract_toml import load_contract_file
from procure.formats.records_csv import read_period_reports
from procure.services import audit_log
from procure.services.access import Principal
from procure.services.contracts import appoint, ensure_organisation, import_contract
from procure.services.passwords import DEMO_PASSWORD, hash_without_checks
from procure.services.placement_import import import_placements
from procure.services.reporting import hours_from_csv, report_hours, submit_report
from procure.storage.models import Contract, Organisation, PeriodReport, User

BUYER = domain.Organisation("Östersundshem AB", "556110-1816", "buyer")
CONTRACTOR = domain.Organisation("Skanska Sverige AB", "556033-4285", "contractor")
# Illustrative, Luhn-valid numbers: the same as contracts/remonthagen.toml's.
SUBCONTRACTOR = domain.Organisation("Jämtbygg Installation AB", "556234-5677", "contractor")
AUDITOR = domain.Organisation("Revisionsbyrån Mitt AB", "556345-6788", "audit")

# email, role, organisation (None: an operator of the installation)
DEMO_USERS: tuple[tuple[str, str, domain.Organisation | None], ...] = (
    ("buyer@ostersundshem.example", "buyer", BUYER),
    ("contractor@skanska.example", "contractor", CONTRACTOR),
    ("subcontractor@ue.example", "contractor", SUBCONTRACTOR),
    ("auditor@revision.example", "auditor", AUDITOR),
    ("admin@procure.example", "admin", None),
)


@dataclass
class DemoOutcome:
    changes: list[str] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)  # (email, what the user is)


def example_files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.glob("*.toml") if not path.name.endswith(".cases.toml"))


def _acting_as(organisation_id: uuid.UUID, role: str) -> Principal:
    # The demo reports on behalf of each contract's contractor without a person behind
    # it: the audit log shows these entries with no user, like `procure contracts load`.
    return Principal(user_id=None, email="procure demo", role=role, organisation_id=organisation_id)


def _ensure_user(session: Session, email: str, role: str, organisation: Organisation | None, outcome: DemoOutcome) -> None:
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        return
    user = User(
        email=email,
        role=role,
        full_name=f"Demo {role}",
        organisation_id=organisation.id if organisation else None,
        # The demo's published password, set without the strength check on purpose: an
        # external screenshot tool signs in with it. Every path where a user sets a
        # password (API, pages, `procure users create`) refuses it.
        password_hash=hash_without_checks(DEMO_PASSWORD),
    )
    session.add(user)
    session.flush()
    audit_log.record(session, None, "create", "user", user.id, after=audit_log.snapshot(user))
    outcome.changes.append(f"created user {email} ({role})")


def _records(session: Session, contract: Contract, path: Path, secret: bytes, outcome: DemoOutcome) -> None:
    """The example's placements, labour hours and period reports, reported as its contractor."""
    stem = path.name.removesuffix(".toml")
    contractor = _acting_as(contract.contractor_org_id, "contractor")
    placements = path.with_name(f"{stem}.placements.csv")
    if placements.exists():
        result = import_placements(session, contractor, contract.id, placements, secret=secret, name=placements.name)
        if result.created or result.updated:
            outcome.changes.append(f"imported {result.created} placements of {contract.reference} ({placements.name})")
    hours = path.with_name(f"{stem}.hours.csv")
    if hours.exists():
        counts = report_hours(session, contractor, contract.id, hours_from_csv(hours.read_bytes()))
        if counts.created or counts.updated:
            outcome.changes.append(f"reported labour hours of {contract.reference} ({hours.name})")
    reports = path.with_name(f"{stem}.reports.csv")
    if reports.exists():
        stored = set(session.exec(select(PeriodReport.period).where(PeriodReport.contract_id == contract.id)).all())
        for report in read_period_reports(reports):
            if report.submitted_on is None or report.period in stored:
                continue
            submit_report(session, contractor, contract.id, report.period, today=max(date.today(), report.submitted_on), submitted_on=report.submitted_on)
            outcome.changes.append(f"submitted the {report.period} report of {contract.reference}")


def run_demo(session: Session, contracts_dir: Path, secret: bytes) -> DemoOutcome:
    """Create (or find) the demo organisations, users, contracts and records. Commits."""
    outcome = DemoOutcome()
    organisations = {
        party.org_number: ensure_organisation(session, party, None, outcome.changes, party.kind)
        for party in (BUYER, CONTRACTOR, SUBCONTRACTOR, AUDITOR)
    }
    for email, role, party in DEMO_USERS:
        _ensure_user(session, email, role, organisations[party.org_number] if party else None, outcome)
        outcome.logins.append((email, "subcontractor" if party is SUBCONTRACTOR else role))
    session.commit()

    for path in example_files(contracts_dir):
        imported = import_contract(session, None, load_contract_file(path), accept=True)  # a working demo
        outcome.changes.extend(imported.changes)
        contract = imported.contract
        for party, role in ((SUBCONTRACTOR, "subcontractor"), (AUDITOR, "auditor")):
            organisation = organisations[party.org_number]
            if organisation.id not in (contract.buyer_org_id, contract.contractor_org_id):
                appoint(session, None, contract, organisation, role, outcome.changes, accept=True)
        session.commit()
        _records(session, contract, path, secret, outcome)
    return outcome
