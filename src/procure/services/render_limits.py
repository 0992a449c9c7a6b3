"""How many report renders one user may have in progress, counted in the database.

A report takes seconds of CPU to render; a user asking for many at once (24 PDFs from
one auditor's script) must not slow everyone else. Each render a user waits for holds
one of their RENDERS_PER_USER numbered slots, a `render_leases` row; beyond them the
request is refused with TooBusy (429, Retry-After). The rows are shared by every app
process, and a unique (user, slot) constraint makes taking a slot atomic on SQLite and
PostgreSQL alike. A slot whose process died is freed when its lease expires.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from procure.services.errors import TooBusy
from procure.storage.models import RenderLease

RENDERS_PER_USER = 2
LEASE = timedelta(minutes=5)  # far longer than any render; only a dead process's slot waits this long
RETRY_AFTER_SECONDS = 5


def _acquire(session: Session, user_id: uuid.UUID, now: datetime) -> uuid.UUID:
    session.exec(delete(RenderLease).where(col(RenderLease.user_id) == user_id, col(RenderLease.expires_at) < now))
    session.commit()
    for slot in range(RENDERS_PER_USER):
        lease = RenderLease(user_id=user_id, slot=slot, expires_at=now + LEASE)
        session.add(lease)
        try:
            session.commit()
            return lease.id
        except IntegrityError:
            session.rollback()
    raise TooBusy(
        f"you already have {RENDERS_PER_USER} reports being made; wait for them, then try again "
        f"(in about {RETRY_AFTER_SECONDS} seconds)",
        retry_after=RETRY_AFTER_SECONDS,
    )


@contextmanager
def render_slot(bind_from: Session, user_id: uuid.UUID | None) -> Iterator[None]:
    """Hold one of the user's render slots while the body runs; TooBusy when none is
    free. No user (the command line's operator): no limit. The slot is taken and freed
    in sessions of its own, so that the request's transaction is not touched."""
    if user_id is None:
        yield
        return
    bind = bind_from.get_bind()
    with Session(bind, expire_on_commit=False) as session:
        lease_id = _acquire(session, user_id, datetime.now(UTC))
    try:
        yield
    finally:
        with Session(bind) as session:
            session.exec(delete(RenderLease).where(col(RenderLease.id) == lease_id))
            session.commit()

