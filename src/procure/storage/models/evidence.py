"""Evidence files attached to a placement (agreements, attendance lists, certificates).

The bytes are kept in the database, not on disk: application servers are stateless and
an installation may run several behind a load balancer (SPEC, Storage), so there is no
shared disk to put them on; a file then lives and dies in the same transaction as the
audit-log entry that records it, and one database backup holds everything. Files are
small scans and PDFs (the API caps their size). Listing pages should select the
metadata columns only, or use EvidenceFilePublic, which has no content.
"""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, LargeBinary
from sqlmodel import Field, SQLModel

from procure.storage.models.base import UTCDateTime, new_id, utcnow


class EvidenceFileBase(SQLModel):
    filename: str = Field(min_length=1, max_length=255)
    content_type: str = Field(default="application/octet-stream", max_length=100)


class EvidenceFile(EvidenceFileBase, table=True):
    __tablename__ = "evidence_files"
    __table_args__ = (CheckConstraint("size_bytes >= 0", name="size_not_negative"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    placement_id: uuid.UUID = Field(foreign_key="placements.id", ondelete="CASCADE", index=True)
    size_bytes: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=LargeBinary, repr=False)
    uploaded_by: uuid.UUID | None = Field(default=None, foreign_key="users.id", ondelete="RESTRICT")
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EvidenceFilePublic(EvidenceFileBase):
    id: uuid.UUID
    placement_id: uuid.UUID
    size_bytes: int
    sha256: str
    uploaded_at: datetime
