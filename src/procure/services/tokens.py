"""Bearer tokens for integrations: long random strings, stored only as their SHA-256.

Signing in (`sign_in`) checks email and password and issues a token; a wrong email and a
wrong password get the same answer, in about the same time. Issuing and revoking a token
are written to the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from datetime import datetime, timedelta, timezone

from cachetools import LRUCache
from sqlmodel import Session, select

from procure.services import audit_log, freshness
from procure.services.access import Principal
from procure.services.errors import Unauthenticated
from procure.services.passwords import needs_rehash, rehash_password, verify_password
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


# token hash -> (principal, expiry, the audit-log head it was read under)
_signed_in: LRUCache = LRUCache(maxsize=4096)
_signed_in_lock = threading.Lock()


def principal_for_token(session: Session, token: str, now: datetime | None = None) -> Principal | None:
    """The user a live token belongs to, or None for an unknown, expired or revoked token."""
    now = now or datetime.now(timezone.utc)
    head = freshness.read_head(session)  # before the token: the remembered answer is never newer
    key = token_hash(token)
    found = session.exec(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == key)
    ).first()
    if found is None:
        return None
    row, user = found
    if row.revoked_at is not None or row.expires_at <= now or not user.is_active:
        return None
    principal = principal_of(user)
    with _signed_in_lock:
        _signed_in[key] = (principal, row.expires_at, head)
    return principal


def remembered_principal(database: str, token: str, now: datetime | None = None) -> Principal | None:
    """`principal_for_token` without the database, while nothing has changed since it was
    last asked (see procure.services.freshness); None when it must be asked."""
    head = freshness.remembered_head(database)
    if head is None:
        return None
    with _signed_in_lock:
        found = _signed_in.get(token_hash(token))
    if found is None:
        return None
    principal, expires_at, read_under = found
    if read_under != head or expires_at <= (now or datetime.now(timezone.utc)):
        return None
    return principal


def principal_of(user: User) -> Principal:
    return Principal(user_id=user.id, email=user.email, role=user.role, organisation_id=user.organisation_id)


def sign_in(session: Session, email: str, password: str, now: datetime | None = None) -> tuple[str, ApiToken]:
    """A new token for the user with this email and password; Unauthenticated otherwise,
    with one message whichever was wrong (an inactive user is answered the same way)."""
    now = now or datetime.now(timezone.utc)
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if not verify_password(user.password_hash if user else None, password) or not user.is_active:
        raise Unauthenticated(WRONG_CREDENTIALS)
    if needs_rehash(user.password_hash):
        # The hasher's parameters changed since this hash was made: store one made with
        # the current parameters while the password is at hand.
        user.password_hash = rehash_password(password)
        session.add(user)
    principal = principal_of(user)
    token, row = issue_token(session, user, now)
    session.flush()
    audit_log.record(session, principal, "issue", "api_token", row.id, after=audit_log.snapshot(row), at=now)
    session.commit()
    return token, row


def revoke_token(session: Session, principal: Principal, token: str, now: datetime | None = None) -> ApiToken:
    """Revoke the principal's own token `token` (the one its request came with)."""
    now = now or datetime.now(timezone.utc)
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
