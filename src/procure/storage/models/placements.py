"""Placements: a participant's internship, employment, apprenticeship … on a contract."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from procure.domain.vocabulary import OUTCOMES, PLACEMENT_STATUSES, PLACEMENT_TYPES
from procure.storage.models.base import UTCDateTime, new_id, one_of, table_of, utcnow


class PlacementBase(SQLModel):
    placement_type: str = Field(max_length=20)
    start: date
    end: date | None = None  # planned or actual; None while open-ended and ongoing
    planned_end: date | None = None  # kept when a placement ends early
    hours_per_week: Decimal | None = Field(default=None, ge=0, le=168, max_digits=5, decimal_places=2)
    # At the workplace; the rest of the week may be language training (3 + 2 SFI).
    days_per_week: Decimal | None = Field(default=None, ge=0, le=7, max_digits=3, decimal_places=1)
    supervisor_trained: bool | None = None
    status: str = Field(default="active", max_length=20)
    outcome: str | None = Field(default=None, max_length=30)
    outcome_date: date | None = None
    employed_before_start: bool = False


class PlacementCreate(PlacementBase):
    participant_id: uuid.UUID
    employer_org_id: uuid.UUID | None = None


class PlacementUpdate(SQLModel):
    placement_type: str | None = None
    start: date | None = None
    end: date | None = None
    planned_end: date | None = None
    hours_per_week: Decimal | None = Field(default=None, ge=0, le=168)
    days_per_week: Decimal | None = Field(default=None, ge=0, le=7)
    supervisor_trained: bool | None = None
    status: str | None = None
    outcome: str | None = None
    outcome_date: date | None = None
    employed_before_start: bool | None = None
    employer_org_id: uuid.UUID | None = None
    version: int | None = None  # the version the client last read
    # Required by the service once the placement's period has been reported.
    reason: str | None = None


class Placement(PlacementBase, table=True):
    __tablename__ = "placements"
    __table_args__ = (
        # The natural key of a reported placement: importing the same CSV twice finds
        # the rows it wrote the first time instead of adding them again. Its index,
        # led by contract_id, also serves "the placements of a contract".
        UniqueConstraint("contract_id", "participant_id", "start", "placement_type"),
        CheckConstraint('"end" IS NULL OR "end" >= start', name="end_not_before_start"),
        CheckConstraint(
            "planned_end IS NULL OR planned_end >= start", name="planned_end_not_before_start"
        ),
        CheckConstraint("hours_per_week BETWEEN 0 AND 168", name="hours_per_week_range"),
        CheckConstraint("days_per_week BETWEEN 0 AND 7", name="days_per_week_range"),
        one_of("placement_type", PLACEMENT_TYPES),
        one_of("status", PLACEMENT_STATUSES),
        one_of("outcome", OUTCOMES),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    contract_id: uuid.UUID = Field(foreign_key="contracts.id", ondelete="CASCADE")
    participant_id: uuid.UUID = Field(
        foreign_key="participants.id", ondelete="CASCADE", index=True
    )
    employer_org_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisations.id", ondelete="RESTRICT", index=True
    )
    reported_by_org_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisations.id", ondelete="RESTRICT"
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = Field(default=1)

    @declared_attr.directive
    def __mapper_args__(cls: type[SQLModel]) -> dict[str, Any]:  # a class-level directive
        return {"version_id_col": table_of(cls).c.version}


class PlacementPublic(PlacementBase):
    id: uuid.UUID
    contract_id: uuid.UUID
    participant_id: uuid.UUID
    employer_org_id: uuid.UUID | None
    version: int
