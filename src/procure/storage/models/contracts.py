"""Contracts, the organisations appointed to them, their clauses and waivers.

A clause's rule parameters, filters, penalty and bonus are JSON: they are small value
objects always read and written whole, their keys depend on the rule kind, and the
mapping (procure.storage.mapping) turns them into the domain's exact Decimals.
"""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from procure.domain.vocabulary import CONTRACT_STATUSES
from procure.storage.models.base import UTCDateTime, new_id, one_of, table_of, utcnow

# "contractor": the contract's own contractor, invited when the buyer names it.
APPOINTMENT_ROLES = ("contractor", "subcontractor", "auditor")
# An appointment takes effect only once the appointed organisation has accepted it.
APPOINTMENT_STATUSES = ("pending", "accepted", "declined")


class ContractBase(SQLModel):
    reference: str = Field(min_length=1, max_length=100)
    title: str = Field(min_length=1, max_length=300)
    site: str = Field(default="", max_length=300)
    value_sek: int = Field(default=0, ge=0, sa_type=BigInteger)  # whole SEK
    currency: str = Field(default="SEK", min_length=3, max_length=3)
    start: date
    end: date  # inclusive
    status: str = Field(default="draft", max_length=20)
    extra_target_groups: list[str] = Field(default_factory=list, sa_type=JSON)


class ContractCreate(ContractBase):
    buyer_org_id: uuid.UUID
    contractor_org_id: uuid.UUID


class ContractUpdate(SQLModel):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    site: str | None = Field(default=None, max_length=300)
    value_sek: int | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    start: date | None = None
    end: date | None = None
    status: str | None = None
    extra_target_groups: list[str] | None = None
    contractor_org_id: uuid.UUID | None = None
    # The version the client last read: a change made meanwhile by someone else is
    # refused rather than silently overwritten.
    version: int | None = None


class Contract(ContractBase, table=True):
    __tablename__ = "contracts"
    __table_args__ = (
        UniqueConstraint("buyer_org_id", "reference"),
        CheckConstraint('"end" >= start', name="end_not_before_start"),
        CheckConstraint("value_sek >= 0", name="value_not_negative"),
        one_of("status", CONTRACT_STATUSES),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    buyer_org_id: uuid.UUID = Field(foreign_key="organisations.id", ondelete="RESTRICT", index=True)
    contractor_org_id: uuid.UUID = Field(
        foreign_key="organisations.id", ondelete="RESTRICT", index=True
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = Field(default=1)
    # Counts the changes to what the rules engine reads of the contract (its fields,
    # clauses, waivers, appointments and records), bumped in SQL in the same transaction
    # as each change (procure.storage.data_version): the key of cached compliance answers.
    # Never set by hand; read it with `data_version.current`, not from a loaded row.
    data_version: int = Field(default=1, sa_type=BigInteger)

    # SQLAlchemy bumps `version` on every UPDATE and adds "AND version = :old" to it,
    # so two writers racing on one row cannot both win (StaleDataError for the loser).
    @declared_attr.directive
    def __mapper_args__(cls: type[SQLModel]) -> dict[str, Any]:  # a class-level directive
        return {"version_id_col": table_of(cls).c.version}


class ContractPublic(ContractBase):
    id: uuid.UUID
    buyer_org_id: uuid.UUID
    contractor_org_id: uuid.UUID
    version: int


class AppointmentBase(SQLModel):
    role: str = Field(max_length=20)  # contractor | subcontractor | auditor


class Appointment(AppointmentBase, table=True):
    """An organisation invited to a contract as its contractor, a subcontractor or an
    auditor. It may see the contract only once it has accepted (status "accepted"):
    until then the contract is, to it, like any other tenant's."""

    __tablename__ = "appointments"
    __table_args__ = (
        UniqueConstraint("contract_id", "org_number", "role"),
        one_of("role", APPOINTMENT_ROLES),
        one_of("status", APPOINTMENT_STATUSES),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    contract_id: uuid.UUID = Field(foreign_key="contracts.id", ondelete="CASCADE", index=True)
    org_number: str = Field(max_length=20, index=True)  # normalised, as Organisation.org_number
    organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisations.id", ondelete="RESTRICT", index=True
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    status: str = Field(default="pending", max_length=20)
    responded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AppointmentCreate(AppointmentBase):
    organisation_id: uuid.UUID


class AppointmentPublic(AppointmentBase):
    id: uuid.UUID
    contract_id: uuid.UUID
    org_number: str
    status: str


class ClauseBase(SQLModel):
    code: str = Field(min_length=1, max_length=40)  # "SC-1"
    title: str = Field(min_length=1, max_length=300)
    text: str = ""  # the legal text, often Swedish
    rule: str = Field(max_length=40)  # a key of the engine's rule registry
    # Rule parameters plus the common `period` and `tolerance` (procure.domain.model.Clause).
    parameters: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # The keys of procure.domain.model.Filters that are set.
    filters: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    penalty: dict[str, Any] | None = Field(default=None, sa_type=JSON)  # Penalty's fields
    bonus: dict[str, Any] | None = Field(default=None, sa_type=JSON)  # Bonus's fields
    position: int = 0  # order in the contract (SC-10 sorts after SC-9, not after SC-1)


class ClauseCreate(ClauseBase):
    pass


class ClauseUpdate(SQLModel):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    text: str | None = None
    rule: str | None = Field(default=None, max_length=40)
    parameters: dict[str, Any] | None = None
    filters: dict[str, Any] | None = None
    penalty: dict[str, Any] | None = None
    bonus: dict[str, Any] | None = None
    position: int | None = None
    version: int | None = None  # the version the client last read


class Clause(ClauseBase, table=True):
    __tablename__ = "clauses"
    __table_args__ = (UniqueConstraint("contract_id", "code"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    contract_id: uuid.UUID = Field(foreign_key="contracts.id", ondelete="CASCADE", index=True)
    version: int = Field(default=1)

    @declared_attr.directive
    def __mapper_args__(cls: type[SQLModel]) -> dict[str, Any]:  # a class-level directive
        return {"version_id_col": table_of(cls).c.version}


class ClausePublic(ClauseBase):
    id: uuid.UUID
    contract_id: uuid.UUID
    version: int


class WaiverBase(SQLModel):
    period_start: date | None = None  # None: every period of the clause
    reason: str = Field(min_length=1)


class WaiverCreate(WaiverBase):
    pass


class Waiver(WaiverBase, table=True):
    """The buyer's good-faith waiver of a clause for a period."""

    __tablename__ = "waivers"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    clause_id: uuid.UUID = Field(foreign_key="clauses.id", ondelete="CASCADE", index=True)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="RESTRICT")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WaiverPublic(WaiverBase):
    id: uuid.UUID
    clause_id: uuid.UUID
    created_by: uuid.UUID | None
    created_at: datetime
