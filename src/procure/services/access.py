"""Who may do what to which contract: the one place where authorization is decided.

Handlers never check roles themselves; they ask `contract_for(...)` for the contract
with the action they are about to perform. A contract the user's organisation has no
part in is answered as NotFound — the same answer as a contract that does not exist —
so that nobody can learn another tenant's contracts by probing ids.

An organisation is party to a contract as its contractor, a subcontractor or an auditor
only through an appointment it has accepted: a buyer names the contractor and appoints
the others, but until the appointed organisation accepts, the contract is to it like
any other tenant's (404, absent from its lists). Only the buyer is party by creating it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from procure.services.errors import Forbidden, NotFound
from procure.storage.models import Appointment, Contract

ACCEPTED = "accepted"


class Action(StrEnum):
    READ = "read"  # the contract, its clauses, placements in scope, compliance
    EDIT = "edit"  # the contract, clauses, appointments, waivers
    REPORT = "report"  # participants, placements, labour hours, period report submissions
    REVIEW = "review"  # accept or return period reports
    AUDIT = "audit"  # audit log, audit reports, evidence exports


class Party(StrEnum):
    BUYER = "buyer"
    CONTRACTOR = "contractor"
    SUBCONTRACTOR = "subcontractor"
    AUDITOR = "auditor"


# What each party to a contract may do. An admin is party to no contract.
PERMISSIONS: dict[Party, frozenset[Action]] = {
    Party.BUYER: frozenset({Action.READ, Action.EDIT, Action.REVIEW, Action.AUDIT}),
    Party.CONTRACTOR: frozenset({Action.READ, Action.REPORT}),
    Party.SUBCONTRACTOR: frozenset({Action.READ, Action.REPORT}),
    Party.AUDITOR: frozenset({Action.READ, Action.AUDIT}),
}

ACTION_WORDS = {
    Action.READ: "read this contract",
    Action.EDIT: "change this contract",
    Action.REPORT: "report on this contract",
    Action.REVIEW: "accept or return period reports",
    Action.AUDIT: "read the audit trail of this contract",
}


@dataclass(frozen=True)
class Principal:
    """The signed-in user as the services see it."""

    user_id: uuid.UUID | None  # None: the operator (command line, demo), no user
    email: str
    role: str  # buyer | contractor | auditor | admin
    organisation_id: uuid.UUID | None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class ContractAccess:
    contract: Contract
    party: Party
    # A subcontractor sees and changes only what its own organisation reported.
    reporting_org_id: uuid.UUID | None = None

    def allows(self, action: Action) -> bool:
        return action in PERMISSIONS[self.party]


def _party(session: Session, principal: Principal, contract: Contract) -> Party | None:
    org = principal.organisation_id
    if org is None or principal.is_admin:
        return None
    if principal.role == "buyer" and contract.buyer_org_id == org:
        return Party.BUYER
    if principal.role == "contractor":
        if contract.contractor_org_id == org and _appointed(session, contract.id, org, "contractor"):
            return Party.CONTRACTOR
        if _appointed(session, contract.id, org, "subcontractor"):
            return Party.SUBCONTRACTOR
    if principal.role == "auditor" and _appointed(session, contract.id, org, "auditor"):
        return Party.AUDITOR
    return None


def _appointed(session: Session, contract_id: uuid.UUID, org_id: uuid.UUID, role: str) -> bool:
    """Whether the organisation accepted an appointment in this role (pending is not enough)."""
    found = session.exec(
        select(col(Appointment.id)).where(
            col(Appointment.contract_id) == contract_id,
            col(Appointment.organisation_id) == org_id,
            col(Appointment.role) == role,
            col(Appointment.status) == ACCEPTED,
        )
    ).first()
    return found is not None


def contract_for(
    session: Session, principal: Principal, contract_id: uuid.UUID | str, action: Action
) -> ContractAccess:
    """The contract, if the principal may perform `action` on it.

    NotFound when the contract does not exist or the principal's organisation is no party
    to it; Forbidden when it is a party whose role does not allow the action.
    """
    try:
        key = contract_id if isinstance(contract_id, uuid.UUID) else uuid.UUID(str(contract_id))
    except ValueError:
        raise NotFound(f"contract {contract_id} not found") from None
    contract = session.get(Contract, key)
    party = _party(session, principal, contract) if contract is not None else None
    if contract is None or party is None:
        raise NotFound(f"contract {contract_id} not found")
    access = ContractAccess(
        contract, party, principal.organisation_id if party is Party.SUBCONTRACTOR else None
    )
    if not access.allows(action):
        raise Forbidden(f"as {party.value} of this contract you may not {ACTION_WORDS[action]}")
    return access


def visible_contracts(principal: Principal) -> SelectOfScalar[Contract]:
    """A select of the contracts the principal may read (empty for an admin)."""
    query = select(Contract)
    org = principal.organisation_id
    contract_id = col(Contract.id)
    if org is None or principal.is_admin:
        return query.where(contract_id.is_(None))
    appointed = select(col(Appointment.contract_id)).where(
        col(Appointment.organisation_id) == org, col(Appointment.status) == ACCEPTED
    )
    role = col(Appointment.role)
    if principal.role == "buyer":
        return query.where(col(Contract.buyer_org_id) == org)
    if principal.role == "contractor":
        return query.where(
            or_(
                and_(col(Contract.contractor_org_id) == org, contract_id.in_(appointed.where(role == "contractor"))),
                contract_id.in_(appointed.where(role == "subcontractor")),
            )
        )
    if principal.role == "auditor":
        return query.where(contract_id.in_(appointed.where(role == "auditor")))
    return query.where(contract_id.is_(None))


def require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise Forbidden("only an administrator may manage organisations and users")
