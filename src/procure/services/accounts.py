"""Organisations and users: who may create and change them, and what fits together.

An installation's administrator manages every organisation and user. An organisation's
own administrator (`is_org_admin`) may create and change users of its own organisation,
with its organisation's role only; another organisation's users do not exist for it.
A user's role must fit the kind of its organisation: buyer ↔ buyer organisation,
contractor ↔ contractor organisation, auditor ↔ audit organisation, admin ↔ none.

`principal` None is the operator at the console (`procure orgs/users create`), who holds
the database itself; the API always passes the signed-in user. Every change is written
to the audit log in the same transaction and committed here.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from procure.domain.identity import InvalidIdentityNumber, normalise_org_number
from procure.domain.vocabulary import ORGANISATION_KINDS, ROLES
from procure.services import audit_log
from procure.services.access import Principal, require_admin
from procure.services.errors import Conflict, FieldProblem, Forbidden, InvalidInput, NotFound
from procure.services.passwords import hash_password, verify_password
from procure.services.sessions import end_all_sessions
from procure.storage.models import (
    ApiToken,
    Organisation,
    OrganisationCreate,
    OrganisationUpdate,
    User,
    UserCreate,
    UserUpdate,
)

# The organisation kind each role belongs to; an admin belongs to none.
ROLE_KIND: dict[str, str | None] = {"buyer": "buyer", "contractor": "contractor", "auditor": "audit", "admin": None}


# --- organisations -------------------------------------------------------------------


def _admin(principal: Principal | None) -> None:
    if principal is not None:
        require_admin(principal)


def _invalid(message: str, field: str) -> InvalidInput:
    return InvalidInput(message, [FieldProblem(message, field=field)])


def org_number(value: str) -> str:
    """The normalised organisation number, or InvalidInput naming the field."""
    try:
        return normalise_org_number(value)
    except InvalidIdentityNumber as error:
        raise _invalid(str(error), "org_number") from None


def _check_kind(kind: str) -> None:
    if kind not in ORGANISATION_KINDS:
        raise _invalid(f"kind {kind!r} is not one of {', '.join(ORGANISATION_KINDS)}", "kind")


def list_organisations(
    session: Session, principal: Principal | None, limit: int = 50, offset: int = 0
) -> tuple[list[Organisation], int]:
    _admin(principal)
    total = session.exec(select(func.count()).select_from(Organisation)).one()
    rows = session.exec(select(Organisation).order_by(col(Organisation.name), col(Organisation.id)).limit(limit).offset(offset)).all()
    return list(rows), total


def get_organisation(session: Session, principal: Principal | None, organisation_id: uuid.UUID) -> Organisation:
    _admin(principal)
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(f"organisation {organisation_id} not found")
    return organisation


def organisation_by_number(session: Session, number: str) -> Organisation:
    normalised = org_number(number)
    organisation = session.exec(select(Organisation).where(Organisation.org_number == normalised)).first()
    if organisation is None:
        raise NotFound(f"no organisation has the organisation number {normalised}: create it first with `procure orgs create`")
    return organisation


def create_organisation(session: Session, principal: Principal | None, data: OrganisationCreate) -> Organisation:
    _admin(principal)
    number = org_number(data.org_number)
    _check_kind(data.kind)
    name = data.name.strip()
    if not name:
        raise _invalid("the name is empty", "name")
    if session.exec(select(Organisation.id).where(Organisation.org_number == number)).first() is not None:
        raise Conflict(f"an organisation with the organisation number {number} already exists")
    organisation = Organisation(name=name, org_number=number, kind=data.kind)
    session.add(organisation)
    _flush_unique(session, f"an organisation with the organisation number {number} already exists")
    audit_log.record(session, principal, "create", "organisation", organisation.id, after=audit_log.snapshot(organisation))
    session.commit()
    return organisation


def update_organisation(
    session: Session, principal: Principal | None, organisation_id: uuid.UUID, data: OrganisationUpdate
) -> Organisation:
    organisation = get_organisation(session, principal, organisation_id)
    before = audit_log.snapshot(organisation)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        if not changes["name"]:
            raise _invalid("the name is empty", "name")
    if "kind" in changes and changes["kind"] != organisation.kind:
        _check_kind(changes["kind"])
        users = session.exec(select(func.count()).select_from(User).where(User.organisation_id == organisation.id)).one()
        if users:
            raise Conflict(
                f"the organisation has {users} user{'s' if users != 1 else ''} whose role fits its kind "
                f"{organisation.kind!r}; it cannot become {changes['kind']!r} while they exist"
            )
    for key, value in changes.items():
        setattr(organisation, key, value)
    session.add(organisation)
    session.flush()
    after = audit_log.snapshot(organisation)
    if after != before:
        audit_log.record(session, principal, "update", "organisation", organisation.id, before=before, after=after)
    session.commit()
    return organisation


# --- users ---------------------------------------------------------------------------


def normalise_email(value: str) -> str:
    email = value.strip().lower()
    local, at, domain = email.partition("@")
    if not at or not local or "." not in domain or " " in email:
        raise _invalid(f"{value!r} is not an email address", "email")
    return email


def _acting_user(session: Session, principal: Principal) -> User | None:
    return session.get(User, principal.user_id)


def _check_role_fits(session: Session, role: str, organisation_id: uuid.UUID | None) -> None:
    if role not in ROLES:
        raise _invalid(f"role {role!r} is not one of {', '.join(ROLES)}", "role")
    kind = ROLE_KIND[role]
    if organisation_id is None:
        if kind is not None:
            raise _invalid(f"{role} users belong to an organisation of kind {kind!r}: give the user's organisation", "organisation_id")
        return
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise _invalid(f"organisation {organisation_id} does not exist", "organisation_id")
    if kind is None:
        raise _invalid("an admin operates the installation and belongs to no organisation", "organisation_id")
    if organisation.kind != kind:
        raise _invalid(
            f"role {role!r} does not fit {organisation.name} ({organisation.org_number}), "
            f"an organisation of kind {organisation.kind!r}: {role} users belong to {kind} organisations",
            "role",
        )


def _manager(session: Session, principal: Principal | None) -> User | None:
    """The acting organisation administrator, None for an installation admin; Forbidden otherwise."""
    if principal is None or principal.is_admin:
        return None
    acting = _acting_user(session, principal)
    if acting is None or not acting.is_org_admin or acting.organisation_id is None:
        require_admin(principal)
    return acting


def list_users(
    session: Session,
    principal: Principal | None,
    limit: int = 50,
    offset: int = 0,
    organisation_id: uuid.UUID | None = None,
) -> tuple[list[User], int]:
    manager = _manager(session, principal)
    if manager is not None:
        if organisation_id not in (None, manager.organisation_id):
            return [], 0  # another organisation's users do not exist for it
        organisation_id = manager.organisation_id
    query = select(User)
    if organisation_id is not None:
        query = query.where(User.organisation_id == organisation_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(User.email).limit(limit).offset(offset)).all()
    return list(rows), total


def get_user(session: Session, principal: Principal | None, user_id: uuid.UUID) -> User:
    if principal is not None and principal.user_id == user_id:
        user = session.get(User, user_id)
        if user is not None:
            return user
    manager = _manager(session, principal)
    user = session.get(User, user_id)
    if user is None or (manager is not None and user.organisation_id != manager.organisation_id):
        raise NotFound(f"user {user_id} not found")
    return user


def create_user(session: Session, principal: Principal | None, data: UserCreate) -> User:
    manager = _manager(session, principal)
    organisation_id = data.organisation_id
    if manager is not None:
        if organisation_id not in (None, manager.organisation_id):
            raise Forbidden("an organisation's administrator may create users of its own organisation only")
        organisation_id = manager.organisation_id
        if data.role != manager.role:
            raise Forbidden(
                f"an organisation's administrator may create {manager.role} users only (the role of its organisation), not {data.role}"
            )
    email = normalise_email(data.email)
    _check_role_fits(session, data.role, organisation_id)
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise Conflict(f"a user with the email {email} already exists")
    if data.is_org_admin and organisation_id is None:
        raise _invalid("an organisation's administrator needs an organisation", "is_org_admin")
    password_hash = hash_password(data.password, _password_context(session, email, data.full_name, organisation_id))
    user = User(
        email=email,
        full_name=data.full_name.strip(),
        role=data.role,
        is_active=data.is_active,
        is_org_admin=data.is_org_admin,
        organisation_id=organisation_id,
        password_hash=password_hash,
    )
    session.add(user)
    _flush_unique(session, f"a user with the email {email} already exists")
    audit_log.record(session, principal, "create", "user", user.id, after=audit_log.snapshot(user))
    session.commit()
    return user


def _password_context(session: Session, email: str, full_name: str, organisation_id: uuid.UUID | None) -> list[str]:
    """What an attacker would try first in a user's password: their email, name and organisation."""
    organisation = session.get(Organisation, organisation_id) if organisation_id else None
    return [email, full_name, *([organisation.name, organisation.org_number] if organisation else [])]


class WrongCurrentPassword(InvalidInput):
    """A guess at the user's password: the API counts it with the failed sign-ins."""


def _check_current_password(user: User, current: str | None) -> None:
    # A stolen session or token must not be enough to take the account over for good.
    if not current:
        raise _invalid("give your current password (current_password) to change it", "current_password")
    if not verify_password(user.password_hash, current):
        message = "the current password is wrong"
        raise WrongCurrentPassword(message, [FieldProblem(message, field="current_password")])


def update_user(session: Session, principal: Principal, user_id: uuid.UUID, data: UserUpdate) -> User:
    """Change a user. Anyone may change their own name and password (giving the current
    one); the rest needs an administrator. A new password or deactivation ends every
    session and revokes every token of the user."""
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    current_password = changes.pop("current_password", None)
    own_only = {"full_name", "password"}
    if principal is not None and principal.user_id == user_id and changes.keys() <= own_only:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound(f"user {user_id} not found")
        manager = None
    else:
        user = get_user(session, principal, user_id)
        manager = _manager(session, principal)
    if principal is not None and user.id == principal.user_id and changes.get("is_active") is False:
        raise Conflict("you cannot deactivate yourself: ask another administrator")
    if "role" in changes and changes["role"] != user.role:
        if manager is not None:
            raise Forbidden(
                f"an organisation's administrator may give its users the role {manager.role} only"
            )
        _check_role_fits(session, changes["role"], user.organisation_id)
    if changes.get("is_org_admin") and user.organisation_id is None:
        raise _invalid("an organisation's administrator needs an organisation", "is_org_admin")

    password = changes.pop("password", None)
    if password is not None:
        if principal is not None and user.id == principal.user_id:
            _check_current_password(user, current_password)
        new_hash = hash_password(password, _password_context(session, user.email, user.full_name, user.organisation_id))
    before = audit_log.snapshot(user)
    if "full_name" in changes:
        changes["full_name"] = changes["full_name"].strip()
    for key, value in changes.items():
        setattr(user, key, value)
    reasons = []
    if password is not None:
        user.password_hash = new_hash
        reasons.append("password changed")
    if password is not None or (user.is_active is False and before["is_active"]):
        _revoke_all_tokens(session, user.id)
        end_all_sessions(session, user.id)
    session.add(user)
    session.flush()
    after = audit_log.snapshot(user)
    if after != before or reasons:
        audit_log.record(
            session, principal, "update", "user", user.id, before=before, after=after, reason="; ".join(reasons) or None
        )
    session.commit()
    return user


def _revoke_all_tokens(session: Session, user_id: uuid.UUID) -> None:
    session.execute(
        update(ApiToken)
        .where(col(ApiToken.user_id) == user_id, col(ApiToken.revoked_at).is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


def _flush_unique(session: Session, message: str) -> None:
    # The check before the insert gives the usual answer; this one covers two requests
    # racing for the same email or organisation number.
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(message) from None
