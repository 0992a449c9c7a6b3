"""People who sign in, and the bearer tokens of integrations.

Neither a password nor a token is stored: the password as its argon2 hash, the token as
its SHA-256 (a token is long and random, so a fast hash is enough to make a stolen
table useless). No *Public model carries either hash.
"""

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from procure.domain.vocabulary import ROLES
from procure.storage.models.base import UTCDateTime, new_id, one_of, utcnow


class UserBase(SQLModel):
    # Stored lower-case (the service normalises) so that uniqueness is case-blind.
    email: str = Field(min_length=3, max_length=254, unique=True, index=True)
    full_name: str = Field(default="", max_length=200)
    role: str = Field(max_length=20)
    is_active: bool = True
    # An organisation's own administrator may create users of that organisation.
    is_org_admin: bool = False


class UserCreate(UserBase):
    organisation_id: uuid.UUID | None = None
    password: str = Field(min_length=10, max_length=200, repr=False)


class UserUpdate(SQLModel):
    full_name: str | None = Field(default=None, max_length=200)
    role: str | None = Field(default=None, max_length=20)
    is_active: bool | None = None
    is_org_admin: bool | None = None
    password: str | None = Field(default=None, min_length=10, max_length=200, repr=False)
    # Needed to change one's own password; never stored.
    current_password: str | None = Field(default=None, max_length=200, repr=False)


class User(UserBase, table=True):
    __tablename__ = "users"
    __table_args__ = (one_of("role", ROLES),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    # None only for an installation's operators (role admin), who belong to no party.
    organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisations.id", ondelete="RESTRICT", index=True
    )
    password_hash: str = Field(max_length=200, repr=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class UserPublic(UserBase):
    id: uuid.UUID
    organisation_id: uuid.UUID | None


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_tokens"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True, repr=False)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ApiTokenPublic(SQLModel):
    id: uuid.UUID
    user_id: uuid.UUID
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


class WebSession(SQLModel, table=True):
    """A page session, kept on the server so that signing out, a new password or
    deactivation ends it in every process at once. The browser's cookie holds only a
    long random key; the table holds its SHA-256, as for bearer tokens."""

    __tablename__ = "web_sessions"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    key_hash: str = Field(max_length=64, unique=True, index=True, repr=False)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SignInFailures(SQLModel, table=True):
    """Recent failed sign-ins under one throttle key (an account from one client
    address, or one client address): shared by every process through the database.
    The key is a keyed hash, so the table names neither email nor address."""

    __tablename__ = "sign_in_failures"

    key: str = Field(max_length=64, primary_key=True)
    failures: int = 0
    last_failure_at: datetime = Field(sa_type=UTCDateTime, index=True)
