"""Report renders in progress, one row per render a user is waiting for.

The count of a user's renders must hold across every app process, so it lives here
rather than in a process's memory: a row takes one of the user's numbered slots (the
unique constraint makes taking one atomic on SQLite and PostgreSQL alike), and is
deleted when the render is done. `expires_at` frees the slot of a process that died
mid-render.
"""

import uuid
from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from procure.storage.models.base import UTCDateTime, new_id


class RenderLease(SQLModel, table=True):
    __tablename__ = "render_leases"
    __table_args__ = (UniqueConstraint("user_id", "slot"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    slot: int
    expires_at: datetime = Field(sa_type=UTCDateTime)
