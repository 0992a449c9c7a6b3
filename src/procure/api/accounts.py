"""Organisations and users (administrators; an organisation's administrator for its own users).

Thin: every rule is in procure.services.accounts, shared with `procure orgs|users`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from litestar import Controller, Request, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from procure.api.auth import too_many_attempts
from procure.api.paging import Limit, Offset
from procure.dependencies import AppSettings, DbSession, RequestPrincipal
from procure.forwarded import client_address
from procure.services import accounts
from procure.services.sign_in_throttle import SignInThrottle, Throttled
from procure.storage.models import (
    OrganisationCreate,
    OrganisationPublic,
    OrganisationUpdate,
    UserCreate,
    UserPublic,
    UserUpdate,
)


@dataclass
class OrganisationPage:
    items: list[OrganisationPublic]
    total: int
    limit: int
    offset: int


@dataclass
class UserPage:
    items: list[UserPublic]
    total: int
    limit: int
    offset: int


class OrganisationController(Controller):
    path = "/organisations"
    tags = ["organisations"]

    @get("/", summary="List organisations (administrators)", sync_to_thread=True)
    def list_organisations(
        self, db: DbSession, principal: RequestPrincipal, limit: Limit = 50, offset: Offset = 0
    ) -> OrganisationPage:
        rows, total = accounts.list_organisations(db, principal, limit, offset)
        return OrganisationPage([OrganisationPublic.model_validate(r) for r in rows], total, limit, offset)

    @post("/", summary="Create an organisation (administrators)", sync_to_thread=True)
    def create_organisation(
        self, db: DbSession, principal: RequestPrincipal, data: JSONBody[OrganisationCreate]
    ) -> OrganisationPublic:
        return OrganisationPublic.model_validate(accounts.create_organisation(db, principal, data))

    @get("/{organisation_id:uuid}", summary="One organisation (administrators)", sync_to_thread=True)
    def get_organisation(
        self, db: DbSession, principal: RequestPrincipal, organisation_id: FromPath[uuid.UUID]
    ) -> OrganisationPublic:
        return OrganisationPublic.model_validate(accounts.get_organisation(db, principal, organisation_id))

    @patch("/{organisation_id:uuid}", summary="Rename an organisation or change its kind (administrators)", sync_to_thread=True)
    def update_organisation(
        self, db: DbSession, principal: RequestPrincipal, organisation_id: FromPath[uuid.UUID],
        data: JSONBody[OrganisationUpdate]
    ) -> OrganisationPublic:
        return OrganisationPublic.model_validate(accounts.update_organisation(db, principal, organisation_id, data))


class UserController(Controller):
    path = "/users"
    tags = ["users"]

    @get(
        "/",
        summary="List users (administrators; an organisation's administrator sees its own)",
        sync_to_thread=True,
    )
    def list_users(
        self,
        db: DbSession,
        principal: RequestPrincipal,
        limit: Limit = 50,
        offset: Offset = 0,
        organisation_id: FromQuery[uuid.UUID | None] = None,
    ) -> UserPage:
        rows, total = accounts.list_users(db, principal, limit, offset, organisation_id)
        return UserPage([UserPublic.model_validate(r) for r in rows], total, limit, offset)

    @post(
        "/",
        summary="Create a user (administrators; an organisation's administrator for its own organisation)",
        sync_to_thread=True,
    )
    def create_user(self, db: DbSession, principal: RequestPrincipal, data: JSONBody[UserCreate]) -> UserPublic:
        return UserPublic.model_validate(accounts.create_user(db, principal, data))

    @get("/{user_id:uuid}", summary="One user", sync_to_thread=True)
    def get_user(self, db: DbSession, principal: RequestPrincipal, user_id: FromPath[uuid.UUID]) -> UserPublic:
        return UserPublic.model_validate(accounts.get_user(db, principal, user_id))

    @patch(
        "/{user_id:uuid}",
        summary="Change a user's role, activity or password (anyone: their own name and password)",
        sync_to_thread=True,
    )
    def update_user(
        self, request: Request, db: DbSession, settings: AppSettings, principal: RequestPrincipal,
        user_id: FromPath[uuid.UUID], data: JSONBody[UserUpdate],
    ) -> UserPublic:
        def change():
            return accounts.update_user(db, principal, user_id, data)

        if data.current_password is None:
            return UserPublic.model_validate(change())
        # A wrong current password is a guess at the password: throttled like a sign-in.
        throttle = SignInThrottle(settings.secret_key)
        try:
            user = throttle.attempt(db, principal.email, client_address(request), change,
                                    failures=(accounts.WrongCurrentPassword,))
        except Throttled as throttled:
            raise too_many_attempts(throttled) from None
        return UserPublic.model_validate(user)
