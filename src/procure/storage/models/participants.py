"""Participants: pseudonymous people of the target groups, one row per contract.

There is deliberately no column for a personal identity number. When one is given it is
reduced to `identity_hash` (HMAC-SHA256 with the installation's secret) before it gets
here; the hash is indexed so that the same person counted on two contracts of one buyer
is found with one lookup, although each contract keeps its own participant row (the
contractor's own reference `ref` is only unique within a contract).
"""

import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from procure.domain.vocabulary import GENDERS
from procure.storage.models.base import UTCDateTime, new_id, one_of, utcnow


class ParticipantBase(SQLModel):
    ref: str = Field(min_length=1, max_length=60)  # chosen by the contractor, "P-0017"
    target_groups: list[str] = Field(default_factory=list, sa_type=JSON)
    gender: str = Field(default="undisclosed", max_length=20)
    birth_year: int | None = Field(default=None, ge=1900, le=2100)


class ParticipantCreate(ParticipantBase):
    # Hashed by the service on arrival and then dropped: excluded from every dump and
    # repr so that it cannot leak into a log line or a stored row by accident.
    personal_number: str | None = Field(default=None, repr=False, exclude=True)


class ParticipantUpdate(SQLModel):
    target_groups: list[str] | None = None
    gender: str | None = None
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    personal_number: str | None = Field(default=None, repr=False, exclude=True)
    # Why, when the participant has placements in a period whose report is submitted.
    reason: str | None = None


class Participant(ParticipantBase, table=True):
    __tablename__ = "participants"
    __table_args__ = (
        UniqueConstraint("contract_id", "ref"),
        one_of("gender", GENDERS),
        CheckConstraint("birth_year BETWEEN 1900 AND 2100", name="birth_year_plausible"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    contract_id: uuid.UUID = Field(foreign_key="contracts.id", ondelete="CASCADE", index=True)
    identity_hash: str | None = Field(default=None, max_length=64, index=True, repr=False)
    reported_by_org_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisations.id", ondelete="RESTRICT"
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ParticipantPublic(ParticipantBase):
    """Never the identity hash: even keyed, it is personal data and of no use to a reader."""

    id: uuid.UUID
    contract_id: uuid.UUID
