"""Bearer tokens for integrations: long random strings, stored only as their SHA-256.

Signing in (`sign_in`) checks email and password and issues a token; a wrong email and a
wrong password get the same answer, in about the same time. Issuing and revoking a token
are written to the audit log.

Every request's token is looked up in the database (one query on the unique index of
its hash, joined to its user): nothing about a token is remembered in a process, so a
token revoked through one app process is refused by every other at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from procure.services import audit_log
from procure.services.access import Principal
from procure.services.errors import Unauthenticated
from procure.services.passwords import hash_without_checks, needs_rehash, verify_password
from procure.storage.models import ApiToken, User

WRONG_CREDENTIALS = "the email address or the password is wrong"

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
    now = now or datetime.now(UTC)
    key = token_hash(token)
    found = session.exec(
        select(ApiToken, User)
        .join(User, col(User.id) == ApiToken.user_id)
        .where(ApiToken.token_hash == key)
    ).first()
    if found is None:
        return None
    row, user = found
    if row.revoked_at is not None or row.expires_at <= now or not user.is_active:
        return None
    return principal_of(user)


def principal_of(user: User) -> Principal:
    return Principal(user_id=user.id, email=user.email, role=user.role, organisation_id=user.organisation_id)


def sign_in(session: Session, email: str, password: str, now: datetime | None = None) -> tuple[str, ApiToken]:
    """A new token for the user with this email and password; Unauthenticated otherwise,
    with one message whichever was wrong (an inactive user is answered the same way)."""
    now = now or datetime.now(UTC)
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    # The password is checked (or the same work done) whether the user exists or not.
    if not verify_password(user.password_hash if user else None, password) or user is None or not user.is_active:
        raise Unauthenticated(WRONG_CREDENTIALS)
    if needs_rehash(user.password_hash):
        # The hasher's parameters changed since this hash was made: store one made with
        # the current parameters while the password is at hand.
        user.password_hash = hash_without_checks(password)
        session.add(user)
    principal = principal_of(user)
    token, row = issue_token(session, user, now)
    session.flush()
    audit_log.record(session, principal, "issue", "api_token", row.id, after=audit_log.snapshot(row), at=now)
    session.commit()
    return token, row


def revoke_token(session: Session, principal: Principal, token: str, now: datetime | None = None) -> ApiToken:
    """Revoke the principal's own token `token` (the one its request came with)."""
    now = now or datetime.now(UTC)
    row = session.exec(
        select(ApiToken).where(ApiToken.token_hash == token_hash(token), ApiToken.user_id == principal.user_id)
    ).first()
    if row is None or row.revoked_at is not None:
        raise Unauthenticated("the token is unknown, expired or revoked: request a new one")
    before = audit_log.snapshot(row)
    row.revoked_at = now
    session.add(row)
    session.flush()
    audit_log.record(session, principal, "revoke", "api_token", row.id, before=before, after=audit_log.snapshot(row), at=now)
    session.commit()
    return row
