"""Retention (GDPR): pseudonymising the participants of contracts that ended long ago.

N years after a contract's end (`PROCURE_RETENTION_YEARS`) its participants keep only
what past compliance results are computed from: the contractor's reference, target
groups, gender and the placements. The birth year goes, and so does the keyed hash of
the personal number: it is replaced by a random token, the same for every participant
of the contract who had the same hash, so that "same person counted twice" on that
contract is still found (a re-computed result stays identical) while nothing links the
token to the person or to any other contract. Evidence files lose their content and
their name (a name such as "anna_andersson_avtal.pdf" is personal); their SHA-256,
size and type stay, so an issued report's inputs still read the same.

Running it again changes nothing: rows already pseudonymised are recognised.
"""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, col, select

from procure.services import audit_log
from procure.services.evidence import REMOVED_FILENAME
from procure.storage.models import Contract, EvidenceFile, Participant, Placement

# A pseudonym is shorter than a keyed hash (64 hex digits) and cannot be mistaken for one.
PSEUDONYM_PREFIX = "retained-"
_KEYED_HASH = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class ContractRetention:
    """What retention does (or did) to one contract; counts only, no personal data."""

    contract_id: uuid.UUID
    reference: str
    end: date
    participants: int  # participants with a birth year or a personal-number hash to drop
    evidence_files: int  # evidence files with content or a name to remove


def cutoff(today: date, years: int) -> date:
    """Contracts that ended before this day are due: their end is more than `years` ago."""
    return today - relativedelta(years=years)


def _participants_due(contract_id: uuid.UUID):
    return and_(
        col(Participant.contract_id) == contract_id,
        or_(
            col(Participant.birth_year).is_not(None),
            and_(col(Participant.identity_hash).is_not(None),
                 ~col(Participant.identity_hash).startswith(PSEUDONYM_PREFIX)),
        ),
    )


def _evidence_due(contract_id: uuid.UUID):
    return and_(
        col(EvidenceFile.placement_id).in_(select(Placement.id).where(Placement.contract_id == contract_id)),
        or_(col(EvidenceFile.filename) != REMOVED_FILENAME, func.length(EvidenceFile.content) > 0),
    )


def _count(session: Session, model: type, condition) -> int:
    return session.exec(select(func.count()).select_from(model).where(condition)).one()


def due(session: Session, years: int, today: date) -> list[ContractRetention]:
    """The contracts past retention with something left to pseudonymise, oldest end first."""
    expired = session.exec(
        select(col(Contract.id), col(Contract.reference), col(Contract.end))
        .where(Contract.end < cutoff(today, years))
        .order_by(col(Contract.end), col(Contract.reference))
    ).all()
    found = []
    for contract_id, reference, end in expired:
        item = ContractRetention(
            contract_id, reference, end,
            participants=_count(session, Participant, _participants_due(contract_id)),
            evidence_files=_count(session, EvidenceFile, _evidence_due(contract_id)),
        )
        if item.participants or item.evidence_files:
            found.append(item)
    return found


def _pseudonymise_contract(session: Session, item: ContractRetention, years: int, today: date) -> None:
    hashes = session.exec(
        select(Participant.identity_hash).distinct().where(
            Participant.contract_id == item.contract_id, col(Participant.identity_hash).is_not(None)
        )
    ).all()
    for identity_hash in hashes:
        if identity_hash is not None and _KEYED_HASH.fullmatch(identity_hash):
            session.execute(
                update(Participant)
                .where(col(Participant.contract_id) == item.contract_id, col(Participant.identity_hash) == identity_hash)
                .values(identity_hash=PSEUDONYM_PREFIX + secrets.token_hex(16))
            )
    session.execute(
        update(Participant)
        .where(col(Participant.contract_id) == item.contract_id, col(Participant.birth_year).is_not(None))
        .values(birth_year=None)
    )
    session.execute(
        update(EvidenceFile)
        .where(_evidence_due(item.contract_id))
        .values(content=b"", filename=REMOVED_FILENAME)
        .execution_options(synchronize_session=False)
    )
    audit_log.record(
        session, None, "pseudonymise", "contract", item.contract_id,
        after={"participants": item.participants, "evidence_files": item.evidence_files,
               "retention_years": years, "contract_end": item.end},
        contract_id=item.contract_id,
        reason=f"retention: the contract ended more than {years} years before {today.isoformat()}",
    )


def run(session: Session, years: int, today: date, *, dry_run: bool = False) -> list[ContractRetention]:
    """Pseudonymise every contract due on `today`; each contract in its own transaction.

    With `dry_run` only reports what would be done. Returns the contracts concerned.
    """
    found = due(session, years, today)
    if dry_run:
        session.rollback()
        return found
    for item in found:
        _pseudonymise_contract(session, item, years, today)
        session.commit()
    return found
