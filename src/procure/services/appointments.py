"""Invitations to contracts, as the invited organisation sees and answers them.

A buyer names a contract's contractor and appoints subcontractors and auditors; each of
these is an invitation (procure.services.contracts.invite) that takes effect only when
the invited organisation accepts it. Until then the contract answers 404 to it and is
absent from its lists (procure.services.access). An invitation shows only what the
organisation needs to decide: the contract's reference and title, the buyer's name and
the role offered.

Who answers: any user of the invited organisation whose role fits the invitation (a
`contractor` user for a contractor or subcontractor invitation, an `auditor` user for an
auditor invitation). An invitation of a number whose organisation is of another kind is
never shown to it (it was stored by number only, like an unknown number).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from procure.services import audit_log
from procure.services.access import Principal
from procure.services.errors import Conflict, NotFound
from procure.storage.models import Appointment, Contract, Organisation

# The invitation roles an organisation of a kind may accept, and the user role that answers.
ROLES_OF_KIND = {"contractor": ("contractor", "subcontractor"), "audit": ("auditor",)}
USER_ROLE_OF_KIND = {"contractor": "contractor", "audit": "auditor"}


@dataclass(frozen=True)
class Invitation:
    id: uuid.UUID
    role: str  # contractor | subcontractor | auditor
    status: str  # pending | accepted | declined
    contract_reference: str
    contract_title: str
    buyer_name: str
    invited_at: datetime
    responded_at: datetime | None
    contract_id: uuid.UUID | None  # only once accepted: before, the contract is not the organisation's to open


def _organisation(session: Session, principal: Principal) -> Organisation | None:
    if principal.organisation_id is None or principal.is_admin:
        return None
    organisation = session.get(Organisation, principal.organisation_id)
    if organisation is None or USER_ROLE_OF_KIND.get(organisation.kind) != principal.role:
        return None
    return organisation


def _mine(organisation: Organisation):
    return select(Appointment, Contract, Organisation).join(
        Contract, col(Contract.id) == Appointment.contract_id
    ).join(Organisation, col(Organisation.id) == Contract.buyer_org_id).where(
        Appointment.org_number == organisation.org_number,
        col(Appointment.role).in_(ROLES_OF_KIND[organisation.kind]),
        # A contractor invitation is the contractor's only while the contract names it.
        (Appointment.role != "contractor") | (Contract.contractor_org_id == organisation.id),
    )


def _invitation(appointment: Appointment, contract: Contract, buyer: Organisation) -> Invitation:
    return Invitation(
        id=appointment.id, role=appointment.role, status=appointment.status, contract_reference=contract.reference,
        contract_title=contract.title, buyer_name=buyer.name, invited_at=appointment.created_at,
        responded_at=appointment.responded_at,
        contract_id=contract.id if appointment.status == "accepted" else None,
    )


def invitations(session: Session, principal: Principal, status: str | None = None) -> list[Invitation]:
    """The invitations of the principal's organisation, pending first, newest first."""
    organisation = _organisation(session, principal)
    if organisation is None:
        return []
    query = _mine(organisation)
    if status:
        query = query.where(Appointment.status == status)
    rows = session.exec(query.order_by(col(Appointment.created_at).desc())).all()
    found = [_invitation(*row) for row in rows]
    return sorted(found, key=lambda i: i.status != "pending")


def _one(session: Session, principal: Principal, appointment_id: uuid.UUID | str) -> tuple[Organisation, Appointment, Contract, Organisation]:
    """The principal's organisation's invitation, or NotFound (also for anyone else's)."""
    organisation = _organisation(session, principal)
    try:
        key = appointment_id if isinstance(appointment_id, uuid.UUID) else uuid.UUID(str(appointment_id))
    except ValueError:
        key = None
    row = session.exec(_mine(organisation).where(Appointment.id == key)).first() if organisation and key else None
    if row is None:
        raise NotFound(f"invitation {appointment_id} not found")
    return (organisation, *row)


def _answer(session: Session, principal: Principal, appointment_id: uuid.UUID | str, status: str) -> Invitation:
    organisation, appointment, contract, buyer = _one(session, principal, appointment_id)
    if appointment.status == status:
        return _invitation(appointment, contract, buyer)  # answered already: the same answer again
    if appointment.status != "pending":
        raise Conflict(
            f"this invitation was {appointment.status} already"
            + ("; the buyer may invite you again" if appointment.status == "declined" else "; ask the buyer to end the appointment")
        )
    before = audit_log.snapshot(appointment)
    appointment.status = status
    appointment.organisation_id = organisation.id
    appointment.responded_at = datetime.now(UTC)
    session.add(appointment)
    session.flush()
    audit_log.record(session, principal, "accept" if status == "accepted" else "decline", "appointment", appointment.id,
                     before=before, after=audit_log.snapshot(appointment), contract_id=contract.id)
    session.commit()
    return _invitation(appointment, contract, buyer)


def accept(session: Session, principal: Principal, appointment_id: uuid.UUID | str) -> Invitation:
    """Accept the invitation: from now on the organisation is party to the contract."""
    return _answer(session, principal, appointment_id, "accepted")


def decline(session: Session, principal: Principal, appointment_id: uuid.UUID | str) -> Invitation:
    """Decline the invitation: the contract stays invisible to the organisation."""
    return _answer(session, principal, appointment_id, "declined")
