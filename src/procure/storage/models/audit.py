"""The audit log: every change, by whom and when, append-only and hash-chained.

Each entry's `entry_hash` covers its own content and `prev_hash`, the hash of the entry
before it by `sequence`; recomputing the chain finds a removed or altered entry. The
chaining itself is the audit service's; this is only its storage.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index
from sqlmodel import Field, SQLModel

from procure.storage.models.base import UTCDateTime, new_id, utcnow


class AuditLogEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "contract_id", "sequence"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    # Gap-free position in the one installation-wide chain; unique so that two writers
    # appending at once cannot both take the same place.
    sequence: int = Field(sa_type=BigInteger, unique=True)
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


class AuditLogEntryPublic(SQLModel):
    sequence: int
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
