"""What contractors report besides placements, and what the buyer and auditors receive:
monthly labour hours, period reports, and the PDF compliance reports issued."""

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from procure.storage.models.base import UTCDateTime, new_id, one_of, utcnow

PERIOD_REPORT_STATES = ("submitted", "accepted", "returned")
REPORT_LANGUAGES = ("sv", "en")


class LabourHoursBase(SQLModel):
    month: date  # the first day of the month
    hours: Decimal = Field(ge=0, max_digits=12, decimal_places=2)


class LabourHoursCreate(LabourHoursBase):
    employer_org_id: uuid.UUID


class LabourHours(LabourHoursBase, table=True):
    """Total hours worked on a contract in a month by one employing organisation."""

    __tablename__ = "labour_hours"
    __table_args__ = (
        UniqueConstraint("contract_id", "month", "employer_org_id"),
        CheckConstraint("hours >= 0", name="hours_not_negative"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    contract_id: uuid.UUID = Field(foreign_key="contracts.id", ondelete="CASCADE")
    employer_org_id: uuid.UUID = Field(foreign_key="organisations.id", ondelete="RESTRICT")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LabourHoursPublic(LabourHoursBase):
    id: uuid.UUID
    contract_id: uuid.UUID
    employer_org_id: uuid.UUID


class PeriodReportBase(SQLModel):
    period: str = Field(min_length=7, max_length=7)  # "2017-Q3" or "2017-09"
    period_start: date
    period_end: date  # inclusive
    submitted_on: date | None = None


class PeriodReportCreate(PeriodReportBase):
    pass


class PeriodReportUpdate(SQLModel):
    """The buyer's review of a submitted report."""

    state: str | None = None
    buyer_comment: str | None = None


class PeriodReport(PeriodReportBase, table=True):
    """A contractor's submission for a month or quarter; it locks that period's placements."""

    __tablename__ = "period_reports"
    __table_args__ = (
        UniqueConstraint("contract_id", "period"),
        CheckConstraint("period_end >= period_start", name="end_not_before_start"),
        one_of("state", PERIOD_REPORT_STATES),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    contract_id: uuid.UUID = Field(foreign_key="contracts.id", ondelete="CASCADE")
    state: str = Field(default="submitted", max_length=20)
    submitted_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="RESTRICT")
    buyer_comment: str | None = None
    reviewed_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="RESTRICT")
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PeriodReportPublic(PeriodReportBase):
    id: uuid.UUID
    contract_id: uuid.UUID
    state: str
    buyer_comment: str | None


class IssuedReport(SQLModel, table=True):
    """A compliance PDF handed out: its SHA-256 is what `POST /api/reports/verify` looks up."""

    __tablename__ = "issued_reports"
    __table_args__ = (one_of("lang", REPORT_LANGUAGES),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    contract_id: uuid.UUID = Field(foreign_key="contracts.id", ondelete="CASCADE", index=True)
    as_of: date
    lang: str = Field(max_length=2)
    sha256: str = Field(max_length=64, index=True)
    issued_to: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="RESTRICT")
    issued_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class IssuedReportPublic(SQLModel):
    id: uuid.UUID
    contract_id: uuid.UUID
    as_of: date
    lang: str
    sha256: str
    issued_at: datetime
