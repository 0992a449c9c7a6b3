"""Bearer tokens for integrations: long random strings, stored only as their SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from sqlmodel import Session, select

from procure.services.access import Principal
from procure.storage.models import ApiToken, User

TOKEN_LIFETIME = timedelta(days=30)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, user: User, now: datetime, lifetime: timedelta = TOKEN_LIFETIME) -> tuple[str, ApiToken]:
    """A new token for `user`; the plain token is returned once and never stored."""
    token = secrets.token_urlsafe(32)
    row = ApiToken(token_hash=token_hash(token), user_id=user.id, created_at=now, expires_at=now + lifetime)
    session.add(row)
    return token, row


def principal_for_token(session: Session, token: str, now: datetime | None = None) -> Principal | None:
    """The user a live token belongs to, or None for an unknown, expired or revoked token."""
    now = now or datetime.now(timezone.utc)
    found = session.exec(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_hash(token))
    ).first()
    if found is None:
        return None
    row, user = found
    if row.revoked_at is not None or row.expires_at <= now or not user.is_active:
        return None
    return principal_of(user)


def principal_of(user: User) -> Principal:
    return Principal(user_id=user.id, email=user.email, role=user.role, organisation_id=user.organisation_id)
