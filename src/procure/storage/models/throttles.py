"""Failed placement imports, per user: the state of the import throttle.

In the database rather than in one process's memory, so that every app process (and the
command line) counts the same failures. Only the user and the time: what the file held
is not kept, and the audit log has the counts of each failure.
"""

import uuid
from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from procure.storage.models.base import UTCDateTime, new_id, utcnow


class ImportFailure(SQLModel, table=True):
    __tablename__ = "import_failures"
    __table_args__ = (Index(None, "user_id", "at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
