"""The same person reported on several contracts of one buyer, found by the keyed hash
of their personal number (the number itself is never stored)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import Session, col, select

from procure.storage.models import Contract, Participant


def same_person_elsewhere(
    session: Session, buyer_org_id: uuid.UUID, identity_hash: str, exclude_contract_id: uuid.UUID | None = None
) -> Sequence[tuple[Participant, Contract]]:
    """Participants with this identity hash on the buyer's contracts (uses ix_participants_identity_hash)."""
    query = (
        select(Participant, Contract)
        .join(Contract, col(Participant.contract_id) == Contract.id)
        .where(Participant.identity_hash == identity_hash, Contract.buyer_org_id == buyer_org_id)
        .order_by(col(Contract.reference), col(Participant.ref))
    )
    if exclude_contract_id is not None:
        query = query.where(Participant.contract_id != exclude_contract_id)
    return session.exec(query).all()
