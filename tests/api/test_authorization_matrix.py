"""Who may call which route on whose object: every route × every role × own / other tenant's object.

The expected statuses are written out in MATRIX, one row per route of the app. A route
that has no row fails `test_every_route_has_a_row`, so a new route cannot slip in
without someone deciding who may call it. Each request is one a permitted caller would
get through with (a valid body, a current version, a fresh object to delete), so the
status shows the authorization decision and not a validation error.

Objects: "A" is tenant A's contract (Östersundshem buying from Skanska, with Jämtbygg
appointed as subcontractor and Revisionsbyrån Mitt as auditor) or, for the routes that
are not about contracts, tenant A's buyer organisation or buyer user; "B" is tenant
B's (Hemstaden buying from Norrbygg). The columns are the roles below: tenant A's
buyer, contractor, subcontractor and auditor, the operator (admin), and tenant B's
buyer and contractor.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, delete
from sqlmodel import Session, SQLModel, select
from stdnum import luhn

from procure.app import create_app
from procure.formats.contract_toml import load_contract_file
from procure.services.access import Principal
from procure.services.contracts import appoint, import_contract
from procure.services.passwords import hash_password
from procure.services.placement_import import import_placements
from procure.services.tokens import issue_token
from procure.storage.models import (
    Appointment,
    Clause,
    Contract,
    EvidenceFile,
    Organisation,
    Participant,
    PeriodReport,
    Placement,
    User,
    Waiver,
)

ROLES = ("buyer", "contractor", "subcontractor", "auditor", "admin", "other_buyer", "other_contractor")

# route: (statuses on object A, statuses on object B), in the order of ROLES.
MATRIX: dict[str, tuple[str, str]] = {
    # fmt: off
    # Public, or about the signed-in user only.
    "GET /api/health":                  ("200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "GET /api/ready":                   ("200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "POST /api/auth/token":             ("201 201 201 201 201 201 201", "201 201 201 201 201 201 201"),
    "DELETE /api/auth/token":           ("204 204 204 204 204 204 204", "204 204 204 204 204 204 204"),
    "GET /api/me":                      ("200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    # Organisations and users: the operator's. Object A/B is a tenant's buyer
    # organisation or buyer user; a user may read and rename only themself.
    "GET /api/organisations":                      ("403 403 403 403 200 403 403", "403 403 403 403 200 403 403"),
    "POST /api/organisations":                     ("403 403 403 403 201 403 403", "403 403 403 403 201 403 403"),
    "GET /api/organisations/{organisation_id}":    ("403 403 403 403 200 403 403", "403 403 403 403 200 403 403"),
    "PATCH /api/organisations/{organisation_id}":  ("403 403 403 403 200 403 403", "403 403 403 403 200 403 403"),
    "GET /api/users":                              ("403 403 403 403 200 403 403", "403 403 403 403 200 403 403"),
    "POST /api/users":                             ("403 403 403 403 201 403 403", "403 403 403 403 201 403 403"),
    "GET /api/users/{user_id}":                    ("200 403 403 403 200 403 403", "403 403 403 403 200 200 403"),
    "PATCH /api/users/{user_id}":                  ("200 403 403 403 200 403 403", "403 403 403 403 200 200 403"),
    # Invitations: each organisation lists its own; only the invited organisation answers
    # one (object A: an invitation of Jämtbygg to contract B; B: of Norrbygg to contract A).
    "GET /api/appointments":                          ("200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "POST /api/appointments/{appointment_id}/accept":  ("404 404 200 404 404 404 404", "404 404 404 404 404 404 200"),
    "POST /api/appointments/{appointment_id}/decline": ("404 404 200 404 404 404 404", "404 404 404 404 404 404 200"),
    # Contracts: everyone lists what they may see; only a buyer creates or imports (for
    # its own organisation: another buyer's file is 422); the operator sees no contract.
    "GET /api/contracts":               ("200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "POST /api/contracts":              ("201 403 403 403 403 201 403", "201 403 403 403 403 201 403"),
    "POST /api/contracts/import":       ("200 403 403 403 403 422 403", "422 403 403 403 403 200 403"),
    # Read: the parties; another tenant and the operator: 404.
    "GET /api/contracts/{contract_id}":                            ("200 200 200 200 404 404 404", "404 404 404 404 404 200 200"),
    "GET /api/contracts/{contract_id}/export":                     ("200 200 200 200 404 404 404", "404 404 404 404 404 200 200"),
    "GET /api/contracts/{contract_id}/clauses":                    ("200 200 200 200 404 404 404", "404 404 404 404 404 200 200"),
    "GET /api/contracts/{contract_id}/clauses/{clause_id}":        ("200 200 200 200 404 404 404", "404 404 404 404 404 200 200"),
    "GET /api/contracts/{contract_id}/clauses/{clause_id}/waivers": ("200 200 200 200 404 404 404", "404 404 404 404 404 200 200"),
    "GET /api/contracts/{contract_id}/compliance":                 ("200 200 200 200 404 404 404", "404 404 404 404 404 200 200"),
    "GET /api/contracts/{contract_id}/participants":               ("200 200 200 200 404 404 404", "404 404 404 404 404 200 200"),
    "GET /api/contracts/{contract_id}/placements":                 ("200 200 200 200 404 404 404", "404 404 404 404 404 200 200"),
    "GET /api/contracts/{contract_id}/hours":                      ("200 200 200 200 404 404 404", "404 404 404 404 404 200 200"),
    "GET /api/contracts/{contract_id}/reports":                    ("200 200 200 200 404 404 404", "404 404 404 404 404 200 200"),
    # A placement the contractor reported: a subcontractor does not see it (404).
    "GET /api/contracts/{contract_id}/placements/{placement_id}":                        ("200 200 404 200 404 404 404", "404 404 404 404 404 200 200"),
    "GET /api/contracts/{contract_id}/placements/{placement_id}/evidence":               ("200 200 404 200 404 404 404", "404 404 404 404 404 200 200"),
    "GET /api/contracts/{contract_id}/placements/{placement_id}/evidence/{evidence_id}": ("200 200 404 200 404 404 404", "404 404 404 404 404 200 200"),
    # Audit trail: the buyer and the auditors.
    "GET /api/contracts/{contract_id}/audit-log":                  ("200 403 403 200 404 404 404", "404 404 404 404 404 200 403"),
    "GET /api/contracts/{contract_id}/report.pdf":                 ("200 403 403 200 404 404 404", "404 404 404 404 404 200 403"),
    "GET /api/contracts/{contract_id}/evidence.csv":               ("200 403 403 200 404 404 404", "404 404 404 404 404 200 403"),
    "GET /api/contracts/{contract_id}/evidence.xlsx":              ("200 403 403 200 404 404 404", "404 404 404 404 404 200 403"),
    # Verifying a report (object A/B: one issued for that contract): anyone signed in;
    # the details are left out of the answer for those who may not read the contract.
    "POST /api/reports/verify":         ("200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    # Edit: the buyer only; the other parties 403.
    "PATCH /api/contracts/{contract_id}":                                          ("200 403 403 403 404 404 404", "404 404 404 404 404 200 403"),
    "POST /api/contracts/{contract_id}/appointments":                              ("202 403 403 403 404 404 404", "404 404 404 404 404 202 403"),
    "DELETE /api/contracts/{contract_id}/appointments/{appointment_id}":           ("204 403 403 403 404 404 404", "404 404 404 404 404 204 403"),
    "POST /api/contracts/{contract_id}/clauses":                                   ("201 403 403 403 404 404 404", "404 404 404 404 404 201 403"),
    "PATCH /api/contracts/{contract_id}/clauses/{clause_id}":                      ("200 403 403 403 404 404 404", "404 404 404 404 404 200 403"),
    "DELETE /api/contracts/{contract_id}/clauses/{clause_id}":                     ("204 403 403 403 404 404 404", "404 404 404 404 404 204 403"),
    "POST /api/contracts/{contract_id}/clauses/{clause_id}/waivers":               ("201 403 403 403 404 404 404", "404 404 404 404 404 201 403"),
    "DELETE /api/contracts/{contract_id}/clauses/{clause_id}/waivers/{waiver_id}": ("204 403 403 403 404 404 404", "404 404 404 404 404 204 403"),
    # Review: the buyer.
    "POST /api/contracts/{contract_id}/reports/{report_id}/accept": ("200 403 403 403 404 404 404", "404 404 404 404 404 200 403"),
    "POST /api/contracts/{contract_id}/reports/{report_id}/return": ("200 403 403 403 404 404 404", "404 404 404 404 404 200 403"),
    # Report: the contractor and subcontractors (only on what they reported themselves;
    # the period report is the contractor's alone).
    "POST /api/contracts/{contract_id}/participants":                              ("403 201 201 403 404 404 404", "404 404 404 404 404 403 201"),
    "PATCH /api/contracts/{contract_id}/participants/{participant_id}":            ("403 200 404 403 404 404 404", "404 404 404 404 404 403 200"),
    "POST /api/contracts/{contract_id}/placements":                                ("403 201 201 403 404 404 404", "404 404 404 404 404 403 201"),
    "PATCH /api/contracts/{contract_id}/placements/{placement_id}":                ("403 200 404 403 404 404 404", "404 404 404 404 404 403 200"),
    "POST /api/contracts/{contract_id}/placements/import":                         ("403 200 200 403 404 404 404", "404 404 404 404 404 403 200"),
    "POST /api/contracts/{contract_id}/placements/{placement_id}/evidence":        ("403 201 404 403 404 404 404", "404 404 404 404 404 403 201"),
    "POST /api/contracts/{contract_id}/hours":                                     ("403 200 200 403 404 404 404", "404 404 404 404 404 403 200"),
    "POST /api/contracts/{contract_id}/reports":                                   ("403 201 403 403 404 404 404", "404 404 404 404 404 403 201"),
}  # fmt: on

CONTRACTS = Path(__file__).parents[2] / "contracts"
PASSWORD = "matrix-password-1"
PASSWORD_HASH = hash_password(PASSWORD)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ORGANISATIONS = {
    "buyer": ("Östersundshem AB", "556110-1816", "buyer"),
    "contractor": ("Skanska Sverige AB", "556033-4285", "contractor"),
    "subcontractor": ("Jämtbygg Installation AB", "556234-5677", "contractor"),
    "auditor": ("Revisionsbyrån Mitt AB", "556345-6788", "audit"),
    "other_buyer": ("Hemstaden Bostäder AB", "556567-8900", "buyer"),
    "other_contractor": ("Norrbygg Entreprenad AB", "556789-0123", "contractor"),
}


def route_keys(app) -> set[str]:
    keys = set()
    for route in app.routes:
        for method in getattr(route, "methods", ()):
            if method in ("HEAD", "OPTIONS") or not route.path.startswith("/api"):
                continue
            path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)  # {contract_id:uuid} → {contract_id}
            keys.add(f"{method} {path}")
    return keys


# -- the world ---------------------------------------------------------------------------


@dataclass
class World:
    engine: Engine
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    contracts: dict[str, Contract] = field(default_factory=dict)
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))
    months: itertools.count = field(default_factory=lambda: itertools.count(1))  # of the contract term

    def next(self) -> int:
        return next(self.counter)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def contract(self, obj: str) -> Contract:
        return self.contracts[obj]

    def buyer_org(self, obj: str) -> Organisation:
        return self.orgs["buyer" if obj == "A" else "other_buyer"]

    def contractor_org(self, obj: str) -> Organisation:
        return self.orgs["contractor" if obj == "A" else "other_contractor"]

    def org_number(self) -> str:
        digits = f"55990{self.next():04d}"
        digits += luhn.calc_check_digit(digits)
        return f"{digits[:6]}-{digits[6:]}"

    # Fresh objects, made directly in the database, for the request to act on.

    def clause(self, obj: str) -> Clause:
        with self.session() as session:
            first = session.exec(select(Clause).where(Clause.contract_id == self.contract(obj).id).order_by(Clause.position)).first()
            row = Clause(contract_id=self.contract(obj).id, **{**_columns(first), "code": f"M-{self.next()}", "position": 99})
            session.add(row)
            session.commit()
            return row

    def waiver(self, obj: str) -> tuple[Clause, Waiver]:
        clause = self.clause(obj)
        with self.session() as session:
            row = Waiver(clause_id=clause.id, reason="Matrix")
            session.add(row)
            session.commit()
            return clause, row

    def organisation(self, kind: str) -> Organisation:
        with self.session() as session:
            org = Organisation(name=f"Företag {self.next()} AB", org_number=self.org_number(), kind=kind)
            session.add(org)
            session.commit()
            return org

    def invitation(self, obj: str) -> Appointment:
        """A fresh pending invitation: A's of Jämtbygg to contract B, B's of Norrbygg to contract A."""
        contract, org = (self.contract("B"), self.orgs["subcontractor"]) if obj == "A" else (self.contract("A"), self.orgs["other_contractor"])
        with self.session() as session:
            session.execute(delete(Appointment).where(Appointment.contract_id == contract.id, Appointment.org_number == org.org_number))
            row = Appointment(contract_id=contract.id, organisation_id=org.id, org_number=org.org_number, role="subcontractor")
            session.add(row)
            session.commit()
            return row

    def appointment(self, obj: str) -> Appointment:
        org = self.organisation("contractor")
        with self.session() as session:
            row = Appointment(contract_id=self.contract(obj).id, organisation_id=org.id, org_number=org.org_number,
                              role="subcontractor", status="accepted")
            session.add(row)
            session.commit()
            return row

    def month(self, obj: str) -> date:
        """A month of the contract's term that no report has used yet."""
        n, start = next(self.months), self.contract(obj).start
        return date(start.year + (start.month - 1 + n) // 12, (start.month - 1 + n) % 12 + 1, 1)

    def report(self, obj: str) -> PeriodReport:
        with self.session() as session:
            month = self.month(obj)
            row = PeriodReport(
                contract_id=self.contract(obj).id, period=f"{month:%Y-%m}", period_start=month,
                period_end=month.replace(day=28), submitted_on=month.replace(day=28), state="submitted",
            )  # fmt: skip
            session.add(row)
            session.commit()
            return row

    def placement(self, obj: str) -> Placement:
        with self.session() as session:
            return session.exec(
                select(Placement).where(Placement.contract_id == self.contract(obj).id).order_by(Placement.start)
            ).first()

    def participant(self, obj: str) -> Participant:
        with self.session() as session:
            return session.exec(select(Participant).where(Participant.contract_id == self.contract(obj).id)).first()

    def new_participant(self, obj: str, role: str) -> Participant:
        """A participant reported by the role's organisation (a subcontractor sees only its own)."""
        reporter = self.orgs[role].id if role in ORGANISATIONS else self.contract(obj).contractor_org_id
        with self.session() as session:
            row = Participant(contract_id=self.contract(obj).id, ref=f"M-{self.next()}", reported_by_org_id=reporter)
            session.add(row)
            session.commit()
            return row

    def evidence(self, obj: str) -> EvidenceFile:
        with self.session() as session:
            row = EvidenceFile(
                placement_id=self.placement(obj).id, filename="avtal.pdf", content_type="application/pdf",
                size_bytes=len(PDF), sha256="0" * 64, content=PDF,
            )  # fmt: skip
            session.add(row)
            session.commit()
            return row

    def current(self, model: Any, key: Any) -> Any:
        with self.session() as session:
            return session.get(model, key)

    def fresh_headers(self, role: str) -> dict[str, str]:
        with self.session() as session:
            token, _row = issue_token(session, self.users[role], datetime.now(timezone.utc))
            session.commit()
        return {"Authorization": f"Bearer {token}"}


def _columns(clause: Clause) -> dict[str, Any]:
    return {name: getattr(clause, name) for name in ("title", "text", "rule", "parameters", "filters", "penalty", "bonus")}


def build_world(engine: Engine) -> World:
    world = World(engine)
    with world.session() as session:
        for name, (title, number, kind) in ORGANISATIONS.items():
            world.orgs[name] = Organisation(name=title, org_number=number, kind=kind)
            session.add(world.orgs[name])
        session.flush()
        for role in ROLES:
            user = User(
                email=f"{role}@matrix.test",
                role={"subcontractor": "contractor", "other_buyer": "buyer", "other_contractor": "contractor"}.get(role, role),
                organisation_id=world.orgs[role].id if role != "admin" else None,
                password_hash=PASSWORD_HASH,
            )
            session.add(user)
            session.flush()
            world.users[role] = user
            token, _row = issue_token(session, user, datetime.now(timezone.utc))
            world.headers[role] = {"Authorization": f"Bearer {token}"}
        session.commit()
        for obj, example in (("A", "remonthagen"), ("B", "value-based")):
            contract = import_contract(session, None, load_contract_file(CONTRACTS / f"{example}.toml"), accept=True).contract
            world.contracts[obj] = contract
            acting = Principal(user_id=None, email="matrix", role="contractor", organisation_id=contract.contractor_org_id)  # type: ignore[arg-type]
            import_placements(session, acting, contract.id, CONTRACTS / f"{example}.placements.csv", secret=b"m" * 32)
        appoint(session, None, world.contracts["A"], world.orgs["auditor"], "auditor", [], accept=True)
        session.commit()
    return world


# -- requests: one a permitted caller would get through with -----------------------------

Request = Callable[[World, str, str], dict[str, Any]]


def contract_url(suffix: str = "") -> Request:
    return lambda w, obj, role: {"url": f"/api/contracts/{w.contract(obj).id}{suffix}"}


def _csv_row(w: World, obj: str, role: str) -> bytes:
    employer = w.orgs[role].org_number if role in ORGANISATIONS else w.contractor_org(obj).org_number
    return (
        "participant_ref,target_groups,gender,birth_year,placement_type,start,end,employer_org_number\n"
        f"M-{w.next()},newcomer,female,1990,internship,2017-03-06,2017-05-26,{employer}\n"
    ).encode()


def _placement_patch(w: World, obj: str, role: str) -> dict[str, Any]:
    placement = w.placement(obj)
    return {
        "url": f"/api/contracts/{w.contract(obj).id}/placements/{placement.id}",
        "json": {"hours_per_week": 39, "version": placement.version, "reason": "Rättelse"},
    }


_ISSUED: dict[tuple[int, str], bytes] = {}


def _issued_report(w: World, obj: str) -> bytes:
    """A report issued for the contract (rendered once per world and contract)."""
    from procure.services.reports import issue_report_by_reference

    if (id(w), obj) not in _ISSUED:
        with w.session() as session:
            contract = w.contract(obj)
            _ISSUED[id(w), obj] = issue_report_by_reference(
                session, contract.reference, date(2017, 12, 31), buyer_org_number=w.buyer_org(obj).org_number
            ).pdf
    return _ISSUED[id(w), obj]


REQUESTS: dict[str, Request] = {
    "GET /api/health": lambda w, obj, role: {"url": "/api/health"},
    "GET /api/ready": lambda w, obj, role: {"url": "/api/ready"},
    "POST /api/auth/token": lambda w, obj, role: {
        "url": "/api/auth/token", "json": {"email": w.users[role].email, "password": PASSWORD}, "headers": {},
    },
    "DELETE /api/auth/token": lambda w, obj, role: {"url": "/api/auth/token", "headers": w.fresh_headers(role)},
    "GET /api/me": lambda w, obj, role: {"url": "/api/me"},
    "GET /api/organisations": lambda w, obj, role: {"url": "/api/organisations"},
    "POST /api/organisations": lambda w, obj, role: {
        "url": "/api/organisations", "json": {"name": f"Ny {w.next()} AB", "org_number": w.org_number(), "kind": "contractor"},
    },
    "GET /api/organisations/{organisation_id}": lambda w, obj, role: {"url": f"/api/organisations/{w.buyer_org(obj).id}"},
    "PATCH /api/organisations/{organisation_id}": lambda w, obj, role: {
        "url": f"/api/organisations/{w.buyer_org(obj).id}", "json": {"name": w.buyer_org(obj).name},
    },
    "GET /api/users": lambda w, obj, role: {"url": "/api/users"},
    "POST /api/users": lambda w, obj, role: {
        "url": "/api/users",
        "json": {"email": f"new{w.next()}@matrix.test", "role": "buyer", "organisation_id": str(w.buyer_org(obj).id), "password": PASSWORD},
    },
    "GET /api/users/{user_id}": lambda w, obj, role: {"url": f"/api/users/{w.users['buyer' if obj == 'A' else 'other_buyer'].id}"},
    "PATCH /api/users/{user_id}": lambda w, obj, role: {
        "url": f"/api/users/{w.users['buyer' if obj == 'A' else 'other_buyer'].id}", "json": {"full_name": "Anna Andersson"},
    },
    "GET /api/contracts": lambda w, obj, role: {"url": "/api/contracts"},
    "POST /api/contracts": lambda w, obj, role: {
        "url": "/api/contracts",
        "json": {
            "reference": f"M-{w.next()}", "title": "Matrix", "start": "2019-01-01", "end": "2019-12-31",
            "contractor_org_number": w.contractor_org(obj).org_number,
        },
    },
    "POST /api/contracts/import": lambda w, obj, role: {
        "url": "/api/contracts/import",
        "content": (CONTRACTS / ("remonthagen.toml" if obj == "A" else "value-based.toml")).read_bytes(),
        "headers": {"Content-Type": "application/toml"},
    },
    "GET /api/contracts/{contract_id}": contract_url(),
    "PATCH /api/contracts/{contract_id}": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}",
        "json": {"site": "Matrix", "version": w.current(Contract, w.contract(obj).id).version},
    },
    "GET /api/contracts/{contract_id}/export": contract_url("/export"),
    "POST /api/contracts/{contract_id}/appointments": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/appointments",
        "json": {"org_number": w.organisation("contractor").org_number, "role": "subcontractor"},
    },
    "DELETE /api/contracts/{contract_id}/appointments/{appointment_id}": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/appointments/{w.appointment(obj).id}",
    },
    "GET /api/contracts/{contract_id}/clauses": contract_url("/clauses"),
    "POST /api/contracts/{contract_id}/clauses": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/clauses",
        "json": {"code": f"M-{w.next()}", "title": "Matrix", "rule": "placement_count", "target": 1},
    },
    "GET /api/contracts/{contract_id}/clauses/{clause_id}": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/clauses/{w.clause(obj).id}",
    },
    "PATCH /api/contracts/{contract_id}/clauses/{clause_id}": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/clauses/{w.clause(obj).id}", "json": {"title": "Ändrad", "version": 1},
    },
    "DELETE /api/contracts/{contract_id}/clauses/{clause_id}": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/clauses/{w.clause(obj).id}",
    },
    "GET /api/contracts/{contract_id}/clauses/{clause_id}/waivers": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/clauses/{w.clause(obj).id}/waivers",
    },
    "POST /api/contracts/{contract_id}/clauses/{clause_id}/waivers": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/clauses/{w.clause(obj).id}/waivers", "json": {"reason": "Byggstopp"},
    },
    "DELETE /api/contracts/{contract_id}/clauses/{clause_id}/waivers/{waiver_id}": lambda w, obj, role: {
        "url": "/api/contracts/{}/clauses/{}/waivers/{}".format(w.contract(obj).id, *(x.id for x in w.waiver(obj))),
    },
    "GET /api/contracts/{contract_id}/compliance": contract_url("/compliance?as_of=2017-12-31"),
    "GET /api/appointments": lambda w, obj, role: {"url": "/api/appointments"},
    "POST /api/appointments/{appointment_id}/accept": lambda w, obj, role: {"url": f"/api/appointments/{w.invitation(obj).id}/accept"},
    "POST /api/appointments/{appointment_id}/decline": lambda w, obj, role: {"url": f"/api/appointments/{w.invitation(obj).id}/decline"},
    "GET /api/contracts/{contract_id}/audit-log": contract_url("/audit-log"),
    "GET /api/contracts/{contract_id}/report.pdf": contract_url("/report.pdf?as_of=2017-12-31"),
    "GET /api/contracts/{contract_id}/evidence.csv": contract_url("/evidence.csv?as_of=2017-12-31"),
    "GET /api/contracts/{contract_id}/evidence.xlsx": contract_url("/evidence.xlsx?as_of=2017-12-31"),
    "POST /api/reports/verify": lambda w, obj, role: {
        "url": "/api/reports/verify", "files": {"file": ("report.pdf", _issued_report(w, obj), "application/pdf")},
    },
    "GET /api/contracts/{contract_id}/participants": contract_url("/participants"),
    "POST /api/contracts/{contract_id}/participants": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/participants", "json": {"ref": f"M-{w.next()}", "target_groups": ["newcomer"]},
    },
    "PATCH /api/contracts/{contract_id}/participants/{participant_id}": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/participants/{w.participant(obj).id}", "json": {"birth_year": 1990},
    },
    "GET /api/contracts/{contract_id}/placements": contract_url("/placements"),
    "POST /api/contracts/{contract_id}/placements": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/placements",
        "json": {"participant_ref": w.new_participant(obj, role).ref, "placement_type": "mentorship", "start": "2017-03-01"},
    },
    "GET /api/contracts/{contract_id}/placements/{placement_id}": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/placements/{w.placement(obj).id}",
    },
    "PATCH /api/contracts/{contract_id}/placements/{placement_id}": _placement_patch,
    "POST /api/contracts/{contract_id}/placements/import": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/placements/import",
        "content": _csv_row(w, obj, role), "headers": {"Content-Type": "text/csv"},
    },
    "GET /api/contracts/{contract_id}/placements/{placement_id}/evidence": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/placements/{w.placement(obj).id}/evidence",
    },
    "POST /api/contracts/{contract_id}/placements/{placement_id}/evidence": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/placements/{w.placement(obj).id}/evidence",
        "files": {"file": ("avtal.pdf", PDF, "application/pdf")},
    },
    "GET /api/contracts/{contract_id}/placements/{placement_id}/evidence/{evidence_id}": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/placements/{w.placement(obj).id}/evidence/{w.evidence(obj).id}",
    },
    "GET /api/contracts/{contract_id}/hours": contract_url("/hours"),
    "POST /api/contracts/{contract_id}/hours": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/hours",
        "json": [{"month": "2017-03", "employer_org_number": (w.orgs[role] if role == "subcontractor" else w.contractor_org(obj)).org_number, "hours": 1000 + w.next()}],
    },
    "GET /api/contracts/{contract_id}/reports": contract_url("/reports"),
    "POST /api/contracts/{contract_id}/reports": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/reports", "json": {"period": f"{w.month(obj):%Y-%m}"},
    },
    "POST /api/contracts/{contract_id}/reports/{report_id}/accept": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/reports/{w.report(obj).id}/accept", "json": {},
    },
    "POST /api/contracts/{contract_id}/reports/{report_id}/return": lambda w, obj, role: {
        "url": f"/api/contracts/{w.contract(obj).id}/reports/{w.report(obj).id}/return", "json": {"comment": "Komplettera"},
    },
}


def _delete_everything(engine: Engine) -> None:
    import procure.storage.models  # noqa: F401

    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(delete(table))


@pytest.fixture(scope="module")
def world(engine: Engine) -> Iterator[World]:
    """One world for every row: each request makes the objects it acts on, so the rows
    do not depend on one another. Emptied before and after, like `clean_database`."""
    _delete_everything(engine)
    yield build_world(engine)
    _delete_everything(engine)


@pytest.fixture(scope="module")
def client(world: World) -> Iterator[TestClient]:
    with TestClient(app=create_app(engine=world.engine)) as client:
        yield client


def test_every_route_has_a_row(client: TestClient) -> None:
    routes = route_keys(client.app)
    assert sorted(routes - MATRIX.keys()) == [], "routes without a row in MATRIX: decide who may call them"
    assert sorted(MATRIX.keys() - routes) == [], "rows in MATRIX for routes that no longer exist"
    assert sorted(routes - REQUESTS.keys()) == [], "routes without a request in REQUESTS"


def statuses(client: TestClient, world: World, route: str, obj: str) -> str:
    method, _path = route.split(" ", 1)
    found = []
    for role in ROLES:
        request = REQUESTS[route](world, obj, role)
        headers = request.pop("headers", None)
        # A request's own headers add to the role's token; `{}` means "send no token".
        headers = {} if headers == {} else world.headers[role] | (headers or {})
        response = client.request(method, headers=headers, **request)
        found.append(str(response.status_code))
    return " ".join(found)


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_authorization(client: TestClient, world: World, route: str) -> None:
    found = (statuses(client, world, route, "A"), statuses(client, world, route, "B"))
    assert found == MATRIX[route], f"{route}: {' | '.join(ROLES)}"


def test_a_new_route_is_seen_and_has_no_row() -> None:
    """The enumeration the first test relies on: a route added under /api shows up, in the
    form of MATRIX's keys (typed path parameters without their type)."""
    from litestar import Litestar, Router, get
    from litestar.params import FromPath

    @get("/things/{thing_id:uuid}", sync_to_thread=False)
    def thing(thing_id: FromPath[str]) -> None:  # pragma: no cover - never called
        return None

    keys = route_keys(Litestar([Router("/api", route_handlers=[thing])]))
    assert keys == {"GET /api/things/{thing_id}"}
    assert not keys & MATRIX.keys()
