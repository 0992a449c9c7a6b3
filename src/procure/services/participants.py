"""Participants of a contract: pseudonymous people, and the same person counted twice.

A personal identity number, when given, is validated and reduced at once to its keyed
hash; the number itself goes no further than `_identity_hash`. The same person already
on this contract, or on another contract of the same buyer, is flagged rather than
refused (two contracts may legitimately employ one person one after the other, and only
a human can tell a double count from a second placement) — but only to whom the other
participant is no secret: an organisation hears of its own participants, the buyer of
its own contracts, and nobody's answer differs by what another organisation reported.
"""

from __future__ import annotations

import uuid

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from procure.domain.identity import InvalidIdentityNumber, personal_number_hash
from procure.domain.vocabulary import GENDERS, TARGET_GROUPS
from procure.services import audit_log
from procure.services.access import Action, ContractAccess, Party, Principal, contract_for
from procure.services.errors import Conflict, FieldProblem, InvalidInput, NotFound
from procure.services.period_lock import PeriodLocks, participant_intervals
from procure.storage.duplicates import same_person_elsewhere
from procure.storage.models import (
    Contract,
    Participant,
    ParticipantCreate,
    ParticipantPublic,
    ParticipantUpdate,
    Placement,
)


class DuplicateRef(BaseModel):
    contract_reference: str
    participant_ref: str


class ParticipantView(ParticipantPublic):
    # The same person (by personal number) among the participants the reader's own
    # organisation reported on the buyer's contracts; a buyer sees every one on its own
    # contracts. Never a count or a hint about another organisation's participants.
    possible_duplicate_of: list[DuplicateRef] = []


class ParticipantPage(BaseModel):
    items: list[ParticipantView]
    total: int
    limit: int
    offset: int
    # Only to the buyer of the contract: how many people (by personal number) more than
    # one organisation reported on it, without saying who.
    reported_by_several_organisations: int | None = None


def _identity_hash(personal_number: str, secret: bytes) -> str:
    try:
        return personal_number_hash(personal_number, secret)
    except InvalidIdentityNumber as error:
        # The message never repeats the number.
        raise InvalidInput(str(error), [FieldProblem(str(error), field="personal_number")]) from None


def _check_vocabulary(contract: Contract, target_groups: list[str] | None, gender: str | None) -> None:
    problems = []
    known = set(TARGET_GROUPS) | set(contract.extra_target_groups or ())
    for group in target_groups or ():
        if group not in known:
            problems.append(
                FieldProblem(f"{group} is not a target group of this contract: use one of {', '.join(sorted(known))}", field="target_groups")
            )
    if gender is not None and gender not in GENDERS:
        problems.append(FieldProblem(f"{gender} is not a gender: use one of {', '.join(GENDERS)}", field="gender"))
    if problems:
        raise InvalidInput(problems[0].message, problems)


def visible_participants(access: ContractAccess):
    """A select of the participants the party may see: a subcontractor only its own
    and those it has placed."""
    query = select(Participant).where(Participant.contract_id == access.contract.id)
    if access.reporting_org_id is not None:
        placed = select(Placement.participant_id).where(
            Placement.contract_id == access.contract.id, Placement.reported_by_org_id == access.reporting_org_id
        )
        query = query.where(
            (col(Participant.reported_by_org_id) == access.reporting_org_id) | col(Participant.id).in_(placed)
        )
    return query


def owned_by(principal: Principal, contract: Contract):
    """The condition "this participant is the principal's organisation's own": reported by
    it (a participant stored without a reporting organisation is the contractor's)."""
    org = principal.organisation_id
    if org is None:
        return col(Participant.id).is_(None)
    own = col(Participant.reported_by_org_id) == org
    if contract.contractor_org_id == org:
        own = own | col(Participant.reported_by_org_id).is_(None)
    return own


def own_participants(access: ContractAccess, principal: Principal):
    """A select of the participants the principal may attach placements to and change:
    its own organisation's only. References belong to the organisation that reports
    them, so one organisation's call never finds another's participant by reference."""
    return select(Participant).where(Participant.contract_id == access.contract.id, owned_by(principal, access.contract))


def owner_of(participant_reported_by: uuid.UUID | None, contract: Contract) -> uuid.UUID:
    return participant_reported_by or contract.contractor_org_id


def duplicates_of(session: Session, principal: Principal, participant: Participant) -> list[DuplicateRef]:
    """Other participants with the same identity hash on the buyer's contracts that the
    principal may hear of: its own organisation's, or, for the buyer, all of its own
    contracts'. Nothing about any other participant, not even how many there are."""
    if not participant.identity_hash or principal.organisation_id is None:
        return []
    contract = session.get(Contract, participant.contract_id)
    assert contract is not None
    is_buyer = principal.role == "buyer" and contract.buyer_org_id == principal.organisation_id
    if principal.role != "contractor" and not is_buyer:
        return []
    return [
        DuplicateRef(contract_reference=other_contract.reference, participant_ref=other.ref)
        for other, other_contract in same_person_elsewhere(session, contract.buyer_org_id, participant.identity_hash)
        if other.id != participant.id
        and (is_buyer or owner_of(other.reported_by_org_id, other_contract) == principal.organisation_id)
    ]


def reported_by_several_organisations(session: Session, contract: Contract) -> int:
    """How many people (by identity hash) more than one organisation reported on the contract."""
    owner = func.coalesce(Participant.reported_by_org_id, contract.contractor_org_id)
    people = (
        select(Participant.identity_hash)
        .where(Participant.contract_id == contract.id, col(Participant.identity_hash).is_not(None))
        .group_by(col(Participant.identity_hash))
        .having(func.count(func.distinct(owner)) > 1)
    )
    return session.exec(select(func.count()).select_from(people.subquery())).one()


def view(session: Session, principal: Principal, participant: Participant) -> ParticipantView:
    return ParticipantView(
        **ParticipantPublic.model_validate(participant, from_attributes=True).model_dump(),
        possible_duplicate_of=duplicates_of(session, principal, participant),
    )


def list_participants(
    session: Session, principal: Principal, contract_id: uuid.UUID, *, limit: int = 50, offset: int = 0
) -> ParticipantPage:
    access = contract_for(session, principal, contract_id, Action.READ)
    query = visible_participants(access)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(Participant.ref)).limit(limit).offset(offset)).all()
    return ParticipantPage(
        items=[view(session, principal, row) for row in rows], total=total, limit=limit, offset=offset,
        reported_by_several_organisations=(
            reported_by_several_organisations(session, access.contract) if access.party is Party.BUYER else None
        ),
    )


def create_participant(
    session: Session, principal: Principal, contract_id: uuid.UUID, data: ParticipantCreate, secret: bytes
) -> ParticipantView:
    access = contract_for(session, principal, contract_id, Action.REPORT)
    if "/" in data.ref:
        # As in the CSV import: a slash makes placement ids ambiguous, and a report's
        # placements.csv with such a reference could not be read back.
        message = f"{data.ref} contains '/': use letters, digits and dashes, such as P-0017"
        raise InvalidInput(message, [FieldProblem(message, field="ref")])
    _check_vocabulary(access.contract, data.target_groups, data.gender)
    identity_hash = _identity_hash(data.personal_number, secret) if data.personal_number else None
    taken = session.exec(
        select(Participant.id).where(Participant.contract_id == access.contract.id, Participant.ref == data.ref)
    ).first()
    if taken is not None:
        raise Conflict(f"participant {data.ref} is already reported on this contract: choose another reference",
                       [FieldProblem("already used on this contract", field="ref")])
    participant = Participant(
        **data.model_dump(include={"ref", "target_groups", "gender", "birth_year"}),
        contract_id=access.contract.id,
        identity_hash=identity_hash,
        reported_by_org_id=principal.organisation_id,
    )
    session.add(participant)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"participant {data.ref} is already reported on this contract: choose another reference") from None
    audit_log.record(session, principal, "create", "participant", participant.id,
                     after=audit_log.snapshot(participant), contract_id=access.contract.id)
    result = view(session, principal, participant)
    session.commit()
    return result


def get_participant(
    session: Session, access: ContractAccess, participant_id: uuid.UUID | str, principal: Principal | None = None
) -> Participant:
    """The participant, if the party may see it; with `principal`, only if it is that
    organisation's own (to change it or place it). NotFound otherwise."""
    try:
        key = participant_id if isinstance(participant_id, uuid.UUID) else uuid.UUID(str(participant_id))
    except ValueError:
        raise NotFound(f"participant {participant_id} not found") from None
    query = visible_participants(access) if principal is None else own_participants(access, principal)
    row = session.exec(query.where(Participant.id == key)).first()
    if row is None:
        raise NotFound(f"participant {participant_id} not found")
    return row


def update_participant(
    session: Session,
    principal: Principal,
    contract_id: uuid.UUID,
    participant_id: uuid.UUID,
    data: ParticipantUpdate,
    secret: bytes,
) -> ParticipantView:
    access = contract_for(session, principal, contract_id, Action.REPORT)
    participant = get_participant(session, access, participant_id, principal)
    _check_vocabulary(access.contract, data.target_groups, data.gender)
    # Its details count for each of its placements: read before anything changes.
    locks, intervals = PeriodLocks.of(session, access.contract.id), participant_intervals(session, participant.id)
    before = audit_log.snapshot(participant)
    changes = data.model_dump(exclude_unset=True, include={"target_groups", "gender", "birth_year"})
    for name, value in changes.items():
        setattr(participant, name, value)
    identity_changed = False
    if data.personal_number:
        new_hash = _identity_hash(data.personal_number, secret)
        identity_changed = new_hash != participant.identity_hash
        participant.identity_hash = new_hash
    after = audit_log.snapshot(participant)
    if after != before or identity_changed:
        try:  # a submitted period among its placements needs a reason; nothing is stored without one
            reason = locks.require_reason(intervals, data.reason, "the participant has placements")
        except InvalidInput:
            session.rollback()
            raise
        session.add(participant)
        session.flush()
        audit_log.record(session, principal, "update", "participant", participant.id,
                         before=before, after=after, contract_id=access.contract.id,
                         reason=reason or ("personal number changed" if identity_changed and after == before else None))
    result = view(session, principal, participant)
    session.commit()
    return result
