"""Recording every change in the hash-chained audit log, and verifying the chain.

Every service that changes something calls `record` in the same transaction as the
change, so a change and its log entry are committed together or not at all. The chain is
installation-wide: appends are serialised (an advisory lock on PostgreSQL; SQLite has a
single writer anyway) so that sequence numbers stay gap-free.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any, Iterator, Mapping

from sqlalchemy import func, text
from sqlmodel import Session, select

from procure.domain.audit_chain import GENESIS_HASH, ChainEntry, ChainProblem, entry_hash, verify_chain
from procure.services import freshness
from procure.services.access import Action, Principal, contract_for
from procure.storage.models import AuditLogEntry

# Never copied into the log: personal data and secrets.
REDACTED_FIELDS = frozenset({"identity_hash", "personal_number", "password", "password_hash", "token_hash", "content"})

_CHAIN_LOCK_KEY = 0x70726F63  # "proc": any constant shared by every app server


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items() if k not in REDACTED_FIELDS}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal: exact, as text
        return str(value)
    if isinstance(value, float):
        # As text too: the database's JSON reader turns a stored 0.05 into Decimal("0.05"),
        # which would come back as "0.05" and no longer match the hash written over 0.05.
        return repr(value)
    return value


def snapshot(row: Any) -> dict[str, Any]:
    """The loggable state of a table row (or any model), personal data left out."""
    data = row.model_dump() if hasattr(row, "model_dump") else dict(row)
    return _plain(data)


def entry_content(entry: AuditLogEntry) -> dict[str, Any]:
    """What the entry's hash covers; the same fields, in the same form, on write and verify."""
    return {
        "sequence": entry.sequence,
        "contract_id": str(entry.contract_id) if entry.contract_id else None,
        "actor_user_id": str(entry.actor_user_id) if entry.actor_user_id else None,
        "at": entry.at.astimezone(timezone.utc).isoformat(timespec="microseconds"),
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "before": _plain(entry.before),
        "after": _plain(entry.after),
        "reason": entry.reason,
    }


def _lock_chain(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=_CHAIN_LOCK_KEY))


def record(
    session: Session,
    actor: Principal | None,
    action: str,
    object_type: str,
    object_id: Any,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    contract_id: uuid.UUID | None = None,
    reason: str | None = None,
    at: datetime | None = None,
) -> AuditLogEntry:
    """Append one entry; the caller commits it together with the change it describes."""
    _lock_chain(session)
    last = session.exec(select(AuditLogEntry).order_by(AuditLogEntry.sequence.desc()).limit(1)).first()
    entry = AuditLogEntry(
        sequence=(last.sequence + 1) if last else 1,
        contract_id=contract_id,
        actor_user_id=actor.user_id if actor else None,
        at=at or datetime.now(timezone.utc),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        reason=reason,
        prev_hash=last.entry_hash if last else GENESIS_HASH,
        entry_hash="",
    )
    entry.entry_hash = entry_hash(entry.prev_hash, entry_content(entry))
    session.add(entry)
    session.flush()
    freshness.note_change(session)
    return entry


def _chain(session: Session, batch: int = 1000) -> Iterator[ChainEntry]:
    rows = session.exec(select(AuditLogEntry).order_by(AuditLogEntry.sequence).execution_options(yield_per=batch))
    for entry in rows:
        yield ChainEntry(entry.sequence, entry.prev_hash, entry.entry_hash, entry_content(entry))


def verify(session: Session) -> ChainProblem | None:
    """The first entry that was altered, removed or reordered, or None when intact."""
    return verify_chain(_chain(session))


def describe_problem(session: Session, problem: ChainProblem) -> str:
    """The problem in words, naming the entry (what it records, and when) where it still exists."""
    entry = session.exec(select(AuditLogEntry).where(AuditLogEntry.sequence == problem.sequence)).first()
    if entry is None:
        return problem.detail
    at = entry.at.astimezone(timezone.utc).isoformat(timespec="seconds")
    return f"{problem.detail} (entry {entry.sequence}: {entry.action} {entry.object_type} {entry.object_id} at {at})"


def head_hash(session: Session) -> str:
    last = session.exec(select(AuditLogEntry).order_by(AuditLogEntry.sequence.desc()).limit(1)).first()
    return last.entry_hash if last else GENESIS_HASH


def entry_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AuditLogEntry)).one()


def contract_trail(
    session: Session, principal: Principal, contract_id: uuid.UUID, limit: int = 50, offset: int = 0
) -> tuple[list[AuditLogEntry], int]:
    """The entries about one contract, oldest first, for a principal allowed to audit it."""
    contract_for(session, principal, contract_id, Action.AUDIT)
    of_contract = select(AuditLogEntry).where(AuditLogEntry.contract_id == contract_id)
    total = session.exec(select(func.count()).select_from(of_contract.subquery())).one()
    rows = session.exec(of_contract.order_by(AuditLogEntry.sequence).limit(limit).offset(offset)).all()
    return list(rows), total
