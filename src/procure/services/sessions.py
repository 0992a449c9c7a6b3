"""Page sessions, kept in the database so that every app process agrees at once.

The browser's cookie carries a long random key; the table `web_sessions` keeps its
SHA-256 (like a bearer token's), the user, and when the session began, was last used
and ends. A session ends on signing out, when its user's password changes or the user
is deactivated (`end_all_sessions`), after `IDLE` without a request, and `LIFETIME`
after signing in whatever happens.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from procure.services.tokens import token_hash
from procure.storage.models import User, WebSession

LIFETIME = timedelta(hours=10)  # a working day on site
IDLE = timedelta(hours=1)
# `last_seen_at` is written at most this often: a page view is not a write every time.
TOUCH_EVERY = timedelta(minutes=1)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def start_session(session: Session, user: User, now: datetime | None = None) -> str:
    """A new session for `user`; returns the key for the cookie (never stored)."""
    now = _now(now)
    key = secrets.token_urlsafe(32)
    session.add(WebSession(key_hash=token_hash(key), user_id=user.id, created_at=now, last_seen_at=now,
                           expires_at=now + LIFETIME))
    # Sessions that ended long ago are of no use to anyone: cleared as new ones begin.
    session.execute(delete(WebSession).where(col(WebSession.user_id) == user.id, col(WebSession.expires_at) < now - LIFETIME))
    session.commit()
    return key


def user_of_session(session: Session, key: str | None, now: datetime | None = None) -> User | None:
    """The active user whose live session `key` is, or None; marks the session used."""
    if not key:
        return None
    now = _now(now)
    found = session.exec(
        select(WebSession, User).join(User, col(User.id) == WebSession.user_id).where(WebSession.key_hash == token_hash(key))
    ).first()
    if found is None:
        return None
    row, user = found
    if row.revoked_at is not None or row.expires_at <= now or row.last_seen_at + IDLE <= now or not user.is_active:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        session.execute(update(WebSession).where(col(WebSession.id) == row.id).values(last_seen_at=now))
        session.commit()
    return user


def end_session(session: Session, key: str | None, now: datetime | None = None) -> None:
    """Sign out: the session `key` ends in every process."""
    if not key:
        return
    session.execute(
        update(WebSession)
        .where(col(WebSession.key_hash) == token_hash(key), col(WebSession.revoked_at).is_(None))
        .values(revoked_at=_now(now))
    )
    session.commit()


def end_all_sessions(session: Session, user_id: uuid.UUID, now: datetime | None = None) -> None:
    """Every live session of the user ends (a new password, deactivation); the caller commits."""
    session.execute(
        update(WebSession)
        .where(col(WebSession.user_id) == user_id, col(WebSession.revoked_at).is_(None))
        .values(revoked_at=_now(now))
    )
