"""Audit chains per contract, keyed; recorded heads.

The audit log was one installation-wide chain of plain SHA-256 hashes. It becomes one
chain per contract plus one for the installation's own events (`audit_chains`, whose
row per chain is each chain's head), each entry's `sequence` its position in its chain,
and its hash an HMAC under a key derived from the installation secret
(PROCURE_SECRET_KEY, as `procure db upgrade` reads it). `audit_heads` keeps the heads
printed in issued reports.

Existing entries are re-chained with the settings' secret, after the old chain has been
verified: a chain that was already broken stops the upgrade (nothing is changed), so the
migration never launders tampering into a valid keyed chain. Downgrading verifies the
keyed chains and rebuilds the one unkeyed chain, ordered by time.

The hashing is spelled out here rather than imported: this migration must go on
producing exactly these (version 1) hashes whatever later code does.

Revision ID: a1c0e5510004
Revises: 375247070caf
Create Date: 2026-12-02 13:10:00

"""
from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any, Sequence, Union

import sqlalchemy as sa
from alembic import op

from procure.settings import ConfigurationError

# revision identifiers, used by Alembic.
revision: str = 'a1c0e5510004'
down_revision: Union[str, Sequence[str], None] = 'a1c0e5510003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

GENESIS = "0" * 64
INSTALLATION_CHAIN = uuid.UUID(int=0)
KEY_LABEL = b"procure audit chain: entry hashes, v1"
BATCH = 1000

log = sa.table(
    "audit_log",
    sa.column("id", sa.Uuid()), sa.column("chain_id", sa.Uuid()), sa.column("sequence", sa.BigInteger()),
    sa.column("contract_id", sa.Uuid()), sa.column("actor_user_id", sa.Uuid()),
    sa.column("at", sa.DateTime(timezone=True)), sa.column("action", sa.String()),
    sa.column("object_type", sa.String()), sa.column("object_id", sa.String()),
    sa.column("before", sa.JSON()), sa.column("after", sa.JSON()), sa.column("reason", sa.String()),
    sa.column("prev_hash", sa.String()), sa.column("entry_hash", sa.String()),
)
chains = sa.table(
    "audit_chains", sa.column("id", sa.Uuid()), sa.column("head_sequence", sa.BigInteger()),
    sa.column("head_hash", sa.String()),
)


class BrokenAuditLog(ConfigurationError):
    """The log to be converted is not intact: converting it would hide that. (A
    ConfigurationError: `procure db upgrade` says it in one line, without a traceback.)"""


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "as_tuple"):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return value


def _text(value: Any) -> str | None:
    return str(value) if value else None


def _at(value: datetime) -> str:
    value = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
    return value.isoformat(timespec="microseconds")


def _content(row: Any, sequence: int, chain: uuid.UUID | None) -> dict[str, Any]:
    content = {
        "sequence": sequence, "contract_id": _text(row.contract_id), "actor_user_id": _text(row.actor_user_id),
        "at": _at(row.at), "action": row.action, "object_type": row.object_type, "object_id": row.object_id,
        "before": _plain(row.before), "after": _plain(row.after), "reason": row.reason,
    }
    if chain is not None:  # version 1 names the chain too
        content["chain"] = str(chain)
    return content


def _digest(key: bytes | None, prev_hash: str, content: dict[str, Any]) -> str:
    message = (prev_hash + json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                                      default=str)).encode("utf-8")
    if key is None:  # version 0: plain SHA-256
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _key() -> bytes:
    from procure.settings import get_settings  # `procure db upgrade` runs with procure's settings

    return hmac.new(get_settings().secret_key, KEY_LABEL, hashlib.sha256).digest()


def _rows(order: Sequence[Any], chained: bool) -> Iterator[Any]:
    columns = [column for column in log.c if chained or column.name != "chain_id"]
    yield from op.get_bind().execute(sa.select(*columns).order_by(*order).execution_options(yield_per=BATCH))


def _broken(where: str, sequence: int, what: str) -> BrokenAuditLog:
    return BrokenAuditLog(
        f"the audit log is broken ({where}, entry {sequence}: {what}); the upgrade stopped and changed "
        "nothing: run `procure audit verify` with the previous version, and restore the database from a "
        "backup taken before the tampering"
    )


def _new_chains() -> tuple[list[dict[str, Any]], dict[uuid.UUID, tuple[int, str]]]:
    """Verifies the one unkeyed chain and works out the keyed chains per contract."""
    changes: list[dict[str, Any]] = []
    heads: dict[uuid.UUID, tuple[int, str]] = {}
    key: bytes | None = None
    expected, previous = 1, GENESIS
    for row in _rows([log.c.sequence], chained=False):
        if row.sequence != expected or row.prev_hash != previous:
            raise _broken("the installation-wide chain", expected, "missing or out of order")
        if _digest(None, row.prev_hash, _content(row, row.sequence, None)) != row.entry_hash:
            raise _broken("the installation-wide chain", row.sequence, "changed after it was written")
        expected, previous = expected + 1, row.entry_hash
        key = key or _key()  # the settings are read only when there is something to re-chain
        chain = row.contract_id or INSTALLATION_CHAIN
        position, prev_hash = heads.get(chain, (0, GENESIS))
        digest = _digest(key, prev_hash, _content(row, position + 1, chain))
        changes.append({"row_id": row.id, "chain_id": chain, "sequence": position + 1,
                        "prev_hash": prev_hash, "entry_hash": digest})
        heads[chain] = (position + 1, digest)
    return changes, heads


def _old_chain() -> list[dict[str, Any]]:
    """Verifies the keyed chains and works out the one unkeyed chain, oldest first."""
    key: bytes | None = None
    expected: dict[uuid.UUID, tuple[int, str]] = {}
    ordered = []
    for row in _rows([log.c.chain_id, log.c.sequence], chained=True):
        key = key or _key()
        position, previous = expected.get(row.chain_id, (0, GENESIS))
        where = f"the chain {row.chain_id}"
        if row.sequence != position + 1 or row.prev_hash != previous:
            raise _broken(where, position + 1, "missing or out of order")
        if not hmac.compare_digest(_digest(key, row.prev_hash, _content(row, row.sequence, row.chain_id)),
                                   str(row.entry_hash)):
            raise _broken(where, row.sequence, "changed after it was written")
        expected[row.chain_id] = (row.sequence, row.entry_hash)
        ordered.append(row)
    ordered.sort(key=lambda row: (_at(row.at), str(row.chain_id), row.sequence))
    changes, previous = [], GENESIS
    for sequence, row in enumerate(ordered, start=1):
        digest = _digest(None, previous, _content(row, sequence, None))
        changes.append({"row_id": row.id, "sequence": sequence, "prev_hash": previous, "entry_hash": digest})
        previous = digest
    return changes


def _apply(changes: list[dict[str, Any]], columns: Sequence[str]) -> None:
    statement = log.update().where(log.c.id == sa.bindparam("row_id")).values(
        {column: sa.bindparam(column) for column in columns})
    for start in range(0, len(changes), BATCH):
        op.get_bind().execute(statement, changes[start:start + BATCH])


def upgrade() -> None:
    changes, heads = _new_chains()  # before anything changes: a broken log stops here

    op.create_table('audit_chains',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('head_sequence', sa.BigInteger(), nullable=False),
    sa.Column('head_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chains'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain_id', sa.Uuid(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_audit_log_sequence'), type_='unique')

    if heads:
        op.get_bind().execute(chains.insert(), [
            {"id": chain, "head_sequence": position, "head_hash": digest}
            for chain, (position, digest) in heads.items()
        ])
    _apply(changes, ("chain_id", "sequence", "prev_hash", "entry_hash"))

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.alter_column('chain_id', existing_type=sa.Uuid(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_log_chain_id_sequence'), ['chain_id', 'sequence'])
        batch_op.create_foreign_key(batch_op.f('fk_audit_log_chain_id_audit_chains'), 'audit_chains', ['chain_id'], ['id'], ondelete='RESTRICT')

    op.create_table('audit_heads',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('chain_id', sa.Uuid(), nullable=False),
    sa.Column('sequence', sa.BigInteger(), nullable=False),
    sa.Column('entry_hash', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('report_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['chain_id'], ['audit_chains.id'], name=op.f('fk_audit_heads_chain_id_audit_chains'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['report_id'], ['issued_reports.id'], name=op.f('fk_audit_heads_report_id_issued_reports'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_heads'))
    )
    with op.batch_alter_table('audit_heads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_heads_chain_id'), ['chain_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_heads_report_id'), ['report_id'], unique=False)


def downgrade() -> None:
    changes = _old_chain()  # before anything changes: a broken chain stops here

    with op.batch_alter_table('audit_heads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_heads_report_id'))
        batch_op.drop_index(batch_op.f('ix_audit_heads_chain_id'))
    op.drop_table('audit_heads')

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_log_chain_id_audit_chains'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_audit_log_chain_id_sequence'), type_='unique')
    _apply(changes, ("sequence", "prev_hash", "entry_hash"))
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_audit_log_sequence'), ['sequence'])
        batch_op.drop_column('chain_id')
    op.drop_table('audit_chains')
