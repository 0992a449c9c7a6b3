"""Organisations, users and tokens for API tests (fixtures in conftest.py).

`tenants` builds two tenants that know nothing of each other: Östersundshem (buyer) with
Skanska (contractor), Jämtbygg (a subcontractor) and Revisionsbyrån Mitt (an audit
firm); and Hemstaden (buyer) with Norrbygg (contractor). Each has a signed-in user whose
bearer headers are in `tenants.headers[name]`. Tokens are issued directly (no password
hashing), so building them is quick.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlmodel import Session

from procure.services.tokens import issue_token
from procure.storage.models import Organisation, User

ORGANISATIONS = {
    # name: (organisation name, org number, kind)
    "buyer": ("Östersundshem AB", "556110-1816", "buyer"),
    "contractor": ("Skanska Sverige AB", "556033-4285", "contractor"),
    "subcontractor": ("Jämtbygg Installation AB", "556234-5677", "contractor"),
    "auditor": ("Revisionsbyrån Mitt AB", "556345-6788", "audit"),
    "other_buyer": ("Hemstaden Bostäder AB", "556567-8900", "buyer"),
    "other_contractor": ("Norrbygg Entreprenad AB", "556789-0123", "contractor"),
}
USERS = {
    # name: (email, role, organisation name or None)
    "buyer": ("buyer@ostersundshem.test", "buyer", "buyer"),
    "contractor": ("contractor@skanska.test", "contractor", "contractor"),
    "subcontractor": ("ue@jamtbygg.test", "contractor", "subcontractor"),
    "auditor": ("auditor@revision.test", "auditor", "auditor"),
    "admin": ("admin@procure.test", "admin", None),
    "other_buyer": ("buyer@hemstaden.test", "buyer", "other_buyer"),
    "other_contractor": ("contractor@norrbygg.test", "contractor", "other_contractor"),
}


@dataclass
class Tenants:
    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def org_number(self, name: str) -> str:
        return self.organisations[name].org_number


def add_user(session: Session, email: str, role: str, organisation_id: uuid.UUID | None) -> tuple[User, dict[str, str]]:
    """A user with a bearer token; the password hash is a placeholder nobody can sign in with."""
    user = User(email=email, role=role, organisation_id=organisation_id, password_hash="!")
    session.add(user)
    session.flush()
    token, _row = issue_token(session, user, datetime.now(timezone.utc))
    return user, {"Authorization": f"Bearer {token}"}




def populate_tenants(session: Session, built) -> None:
    """Store ORGANISATIONS and USERS, filling `built`'s organisations, users and headers."""
    for name, (title, number, kind) in ORGANISATIONS.items():
        organisation = Organisation(name=title, org_number=number, kind=kind)
        session.add(organisation)
        built.organisations[name] = organisation
    session.flush()
    for name, (email, role, org) in USERS.items():
        org_id = built.organisations[org].id if org else None
        built.users[name], built.headers[name] = add_user(session, email, role, org_id)
    session.commit()
