"""Organisations, users with passwords and a contract, for the page tests.

Two tenants that know nothing of each other: Östersundshem (buyer) with Skanska
(contractor), Jämtbygg (appointed subcontractor) and Revisionsbyrån Mitt (appointed
auditor) on the Remonthagen contract; and Hemstaden (buyer) with Norrbygg (contractor)
on a contract of their own. Every user signs in with PASSWORD.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from procure.formats.contract_toml import load_contract
from procure.services.contracts import import_contract
from procure.services.passwords import hash_password
from appointment_consent import accept_appointments
from procure.storage.models import Organisation, User

PASSWORD = "correct horse battery"
CONTRACTS_DIR = Path(__file__).resolve().parents[2] / "contracts"

ORGANISATIONS = {
    "buyer": ("Östersundshem AB", "556110-1816", "buyer"),
    "contractor": ("Skanska Sverige AB", "556033-4285", "contractor"),
    "subcontractor": ("Jämtbygg Installation AB", "556234-5677", "contractor"),
    "auditor": ("Revisionsbyrån Mitt AB", "556345-6788", "audit"),
    "other_buyer": ("Hemstaden Bostäder AB", "556567-8900", "buyer"),
    "other_contractor": ("Norrbygg Entreprenad AB", "556789-0123", "contractor"),
}
USERS = {
    "buyer": ("buyer@ostersundshem.test", "buyer", "buyer"),
    "contractor": ("contractor@skanska.test", "contractor", "contractor"),
    "subcontractor": ("ue@jamtbygg.test", "contractor", "subcontractor"),
    "auditor": ("auditor@revision.test", "auditor", "auditor"),
    "other_buyer": ("buyer@hemstaden.test", "buyer", "other_buyer"),
    "other_contractor": ("contractor@norrbygg.test", "contractor", "other_contractor"),
}

OTHER_CONTRACT_TOML = """
[contract]
reference = "HS-2020-NORR"
title = "Hemstaden north block"
buyer = { name = "Hemstaden Bostäder AB", org_number = "556567-8900" }
contractor = { name = "Norrbygg Entreprenad AB", org_number = "556789-0123" }
value_sek = 40_000_000
start = 2020-01-01
end = 2021-12-31

[[clause]]
code = "SC-1"
title = "Internships"
rule = "placement_count"
target = 4
min_weeks = 8
"""


@dataclass
class World:
    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    contract_id: uuid.UUID | None = None
    other_contract_id: uuid.UUID | None = None

    def email(self, name: str) -> str:
        return USERS[name][0]


def build_world(engine: Engine, with_contracts: bool = True) -> World:
    world = World()
    password_hash = hash_password(PASSWORD)  # once: argon2 is slow on purpose
    with Session(engine, expire_on_commit=False) as session:
        for name, (title, number, kind) in ORGANISATIONS.items():
            world.organisations[name] = Organisation(name=title, org_number=number, kind=kind)
            session.add(world.organisations[name])
        session.flush()
        for name, (email, role, org) in USERS.items():
            user = User(email=email, role=role, organisation_id=world.organisations[org].id, password_hash=password_hash)
            session.add(user)
            world.users[name] = user
        session.commit()
        if with_contracts:
            text = (CONTRACTS_DIR / "remonthagen.toml").read_text(encoding="utf-8")
            world.contract_id = import_contract(session, None, load_contract(text, "remonthagen.toml")).contract.id
            world.other_contract_id = import_contract(session, None, load_contract(OTHER_CONTRACT_TOML)).contract.id
            accept_appointments(session)  # as the appointed organisations would
    return world


AS_OF = date(2017, 6, 30)
