"""The audit log: every change, by whom and when, append-only and in keyed hash chains.

Each contract has its own chain, and one chain (`INSTALLATION_CHAIN`) holds the events
that belong to no contract (organisations, users, tokens). An entry's `sequence` is its
position in its own chain; its `entry_hash` covers its content and `prev_hash`, the hash
of the entry before it in that chain. `AuditChain` is each chain's head, the row a writer
locks to append; `RecordedHead` keeps the heads printed in issued reports, so that a
chain cut short or rewritten afterwards is found. The chaining itself is the audit
service's; this is only its storage.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from procure.storage.models.base import UTCDateTime, new_id, utcnow

# The chain of the events that belong to no contract; a contract's chain has its id.
INSTALLATION_CHAIN = uuid.UUID(int=0)


class AuditChain(SQLModel, table=True):
    """One chain's head: appending locks this row, so one chain's writers take turns while
    writers to other chains never wait for them."""

    __tablename__ = "audit_chains"

    id: uuid.UUID = Field(primary_key=True)  # the contract's id, or INSTALLATION_CHAIN
    head_sequence: int = Field(default=0, sa_type=BigInteger)
    head_hash: str = Field(max_length=64)


class AuditLogEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (
        # Gap-free position in its chain; unique so that two writers cannot take one place.
        UniqueConstraint("chain_id", "sequence"),
        Index(None, "contract_id", "sequence"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    chain_id: uuid.UUID = Field(foreign_key="audit_chains.id", ondelete="RESTRICT")
    sequence: int = Field(sa_type=BigInteger)
    contract_id: uuid.UUID | None = Field(default=None, foreign_key="contracts.id", ondelete="RESTRICT")
    actor_user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="RESTRICT")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    action: str = Field(max_length=40)  # create | update | delete | submit | …
    object_type: str = Field(max_length=40)
    object_id: str = Field(max_length=64)
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    reason: str | None = None
    prev_hash: str = Field(max_length=64)
    entry_hash: str = Field(max_length=64)


class RecordedHead(SQLModel, table=True):
    """A chain's head as an issued report printed it: it must stay in the chain."""

    __tablename__ = "audit_heads"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    chain_id: uuid.UUID = Field(foreign_key="audit_chains.id", ondelete="RESTRICT", index=True)
    sequence: int = Field(sa_type=BigInteger)
    entry_hash: str = Field(max_length=64)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    report_id: uuid.UUID = Field(foreign_key="issued_reports.id", ondelete="RESTRICT", index=True)


class AuditLogEntryPublic(SQLModel):
    sequence: int  # the position in the contract's own chain
    contract_id: uuid.UUID | None
    actor_user_id: uuid.UUID | None
    at: datetime
    action: str
    object_type: str
    object_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    prev_hash: str
    entry_hash: str
