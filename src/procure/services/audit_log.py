"""Recording every change in the keyed, hash-chained audit log, and verifying the chains.

Every service that changes something calls `record` in the same transaction as the
change, so a change and its log entry are committed together or not at all. An entry
goes into its contract's chain (the contract id it carries), or into the installation's
chain when it belongs to no contract. Appending locks that chain's head row
(`AuditChain`), so writers to one chain take turns and positions stay gap-free, while
writers to different contracts never wait for each other.

The hashes are HMACs under a key derived from the installation secret
(`PROCURE_SECRET_KEY`): without it, nobody can re-hash a chain after changing it. The
heads printed in issued reports are recorded (`RecordedHead`); `verify` fails when one
of them is no longer in its chain, which is what cutting entries off the end looks like.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, bindparam, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from procure.domain.audit_chain import EMPTY_HEAD, ChainEntry, ChainProblem, Head, chain_key, entry_hash, verify_chain
from procure.services.access import Action, Principal, contract_for
from procure.storage.models import INSTALLATION_CHAIN, AuditChain, AuditLogEntry, Contract, RecordedHead, table_of

# Never copied into the log: personal data and secrets.
REDACTED_FIELDS = frozenset({"identity_hash", "personal_number", "password", "password_hash", "token_hash", "content"})


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


@lru_cache(maxsize=4)
def _derived_key(secret: bytes) -> bytes:
    return chain_key(secret)


def key() -> bytes:
    """The chains' HMAC key, derived from the installation secret of the settings."""
    from procure.settings import get_settings

    return _derived_key(get_settings().secret_key)


def chain_of(contract_id: uuid.UUID | None) -> uuid.UUID:
    """The chain an entry about this contract (None: about no contract) belongs to."""
    return contract_id if contract_id is not None else INSTALLATION_CHAIN


def entry_content(entry: AuditLogEntry) -> dict[str, Any]:
    """What the entry's hash covers; the same fields, in the same form, on write and verify."""
    return {
        "chain": str(entry.chain_id),
        "sequence": entry.sequence,
        "contract_id": str(entry.contract_id) if entry.contract_id else None,
        "actor_user_id": str(entry.actor_user_id) if entry.actor_user_id else None,
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "before": _plain(entry.before),
        "after": _plain(entry.after),
        "reason": entry.reason,
    }


def _upsert_head(dialect: str) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = table_of(AuditChain)
    return (
        insert(table)
        .values(id=bindparam("chain"), head_sequence=1, head_hash=EMPTY_HEAD.hash)
        .on_conflict_do_update(index_elements=[table.c.id], set_={"head_sequence": table.c.head_sequence + 1})
        .returning(table.c.head_sequence, table.c.head_hash)
    )


# Built once: building a statement costs about as much as running it.
_TAKE_NEXT_PLACE = {dialect: _upsert_head(dialect) for dialect in ("postgresql", "sqlite")}
_MOVE_HEAD = (
    table_of(AuditChain).update()
    .where(table_of(AuditChain).c.id == bindparam("chain"))
    .values(head_hash=bindparam("head_hash"))
)


def _take_next_place(connection: Connection, chain_id: uuid.UUID) -> tuple[int, str]:
    """Moves the chain's head on by one and returns (the new entry's position, the hash
    it follows). The one statement creates the chain on its first entry and otherwise
    locks its head row until the transaction ends: the next writer to this chain waits
    for the commit, writers to other chains do not."""
    sequence, prev_hash = connection.execute(_TAKE_NEXT_PLACE[connection.dialect.name], {"chain": chain_id}).one()
    return sequence, prev_hash


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
    """Append one entry to its chain; the caller commits it together with the change it describes."""
    chain_id = chain_of(contract_id)
    connection = session.connection()
    sequence, prev_hash = _take_next_place(connection, chain_id)
    entry = AuditLogEntry(
        chain_id=chain_id,
        sequence=sequence,
        contract_id=contract_id,
        actor_user_id=actor.user_id if actor else None,
        at=at or datetime.now(UTC),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        reason=reason,
        prev_hash=prev_hash,
        entry_hash="",
    )
    entry.entry_hash = entry_hash(key(), entry.prev_hash, entry_content(entry))
    connection.execute(_MOVE_HEAD, {"chain": chain_id, "head_hash": entry.entry_hash})
    session.add(entry)
    session.flush()
    return entry


# -- heads ------------------------------------------------------------------------------


def head(session: Session, chain_id: uuid.UUID) -> Head:
    """The chain's last entry (position and hash), as its head row has it."""
    row = session.exec(select(AuditChain.head_sequence, AuditChain.head_hash).where(AuditChain.id == chain_id)).first()
    return Head(row[0], row[1]) if row else EMPTY_HEAD


def record_head(session: Session, chain_id: uuid.UUID, seen: Head, report_id: uuid.UUID) -> RecordedHead | None:
    """Keep the head printed in report `report_id`: `verify` then fails if the chain is
    later cut short or rewritten below it. Nothing to keep for an empty chain."""
    if seen.sequence == 0:
        return None
    row = RecordedHead(chain_id=chain_id, sequence=seen.sequence, entry_hash=seen.hash, report_id=report_id)
    session.add(row)
    session.flush()
    return row


def _recorded_heads(session: Session, chain_id: uuid.UUID) -> list[Head]:
    current = head(session, chain_id)
    heads = [Head(current.sequence, current.hash, "the chain's head as the database keeps it")]
    for row in session.exec(select(RecordedHead).where(RecordedHead.chain_id == chain_id)):
        when = row.recorded_at.astimezone(UTC).isoformat(timespec="seconds")
        heads.append(Head(row.sequence, row.entry_hash, f"printed in report {row.report_id}, issued {when}"))
    return heads


# -- verification -----------------------------------------------------------------------


def _entries(session: Session, chain_id: uuid.UUID, batch: int = 1000) -> Iterator[ChainEntry]:
    rows = session.exec(
        select(AuditLogEntry).where(AuditLogEntry.chain_id == chain_id)
        .order_by(col(AuditLogEntry.sequence)).execution_options(yield_per=batch)
    )
    for entry in rows:
        yield ChainEntry(entry.sequence, entry.prev_hash, entry.entry_hash, entry_content(entry))


def verify_chain_of(session: Session, chain_id: uuid.UUID) -> ChainProblem | None:
    """The first entry of one chain that was altered, removed or reordered, or a recorded
    head no longer in it; None when the chain is intact."""
    # The heads are read before the entries: an entry appended meanwhile only adds to them.
    heads = _recorded_heads(session, chain_id)
    return verify_chain(_entries(session, chain_id), key(), heads)


@dataclass(frozen=True)
class ChainVerdict:
    chain_id: uuid.UUID
    name: str  # "contract OH-2016-REMONTHAGEN" | "the installation's chain"
    entries: int
    head: Head
    problem: ChainProblem | None


def chain_name(session: Session, chain_id: uuid.UUID) -> str:
    if chain_id == INSTALLATION_CHAIN:
        return "the installation's chain"
    contract = session.get(Contract, chain_id)
    return f"contract {contract.reference}" if contract else f"contract {chain_id}"


def verify_chains(session: Session) -> list[ChainVerdict]:
    """Every chain of the installation, verified (the command line's, and the operator's)."""
    verdicts = []
    for chain_id in session.exec(select(AuditChain.id).order_by(col(AuditChain.id))).all():
        problem = verify_chain_of(session, chain_id)
        verdicts.append(ChainVerdict(chain_id, chain_name(session, chain_id), entry_count(session, chain_id),
                                     head(session, chain_id), problem))
    return verdicts


def verify(session: Session) -> ChainVerdict | None:
    """The first chain that is not intact, or None when every chain is."""
    return next((verdict for verdict in verify_chains(session) if verdict.problem is not None), None)


def describe_problem(session: Session, chain_id: uuid.UUID, problem: ChainProblem) -> str:
    """The problem in words, naming the entry (what it records, and when) where it still exists."""
    entry = session.exec(
        select(AuditLogEntry).where(AuditLogEntry.chain_id == chain_id, AuditLogEntry.sequence == problem.sequence)
    ).first()
    if entry is None:
        return problem.detail
    at = entry.at.astimezone(UTC).isoformat(timespec="seconds")
    return f"{problem.detail} (entry {entry.sequence}: {entry.action} {entry.object_type} {entry.object_id} at {at})"


def entry_count(session: Session, chain_id: uuid.UUID | None = None) -> int:
    """Entries in one chain, or in all of them."""
    query = select(func.count()).select_from(AuditLogEntry)
    if chain_id is not None:
        query = query.where(AuditLogEntry.chain_id == chain_id)
    return session.exec(query).one()


def contract_trail(
    session: Session, principal: Principal, contract_id: uuid.UUID, limit: int = 50, offset: int = 0
) -> tuple[list[AuditLogEntry], int]:
    """The entries of one contract's chain, oldest first, for a principal allowed to audit it."""
    contract_for(session, principal, contract_id, Action.AUDIT)
    of_contract = select(AuditLogEntry).where(AuditLogEntry.chain_id == contract_id)
    total = session.exec(select(func.count()).select_from(of_contract.subquery())).one()
    rows = session.exec(of_contract.order_by(col(AuditLogEntry.sequence)).limit(limit).offset(offset)).all()
    return list(rows), total
