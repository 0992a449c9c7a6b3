"""Signing in and out with bearer tokens, and who the signed-in user is.

`POST /api/auth/token` is outside the authentication middleware (it is how a token is
got), and so, sharing its path, is `DELETE /api/auth/token`: that handler checks the
token it is asked to revoke itself.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from litestar import Controller, Request, delete, get, post
from litestar.concurrency import sync_to_thread
from litestar.exceptions import TooManyRequestsException
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import Body

from procure.dependencies import AppSettings, DbSession, RequestPrincipal
from procure.forwarded import client_address
from procure.services import tokens
from procure.services.errors import Unauthenticated
from procure.services.sign_in_throttle import SignInThrottle, Throttled
from procure.storage.models import Organisation, User


@dataclass
class SignIn:
    email: str
    password: str


@dataclass
class IssuedToken:
    token: str
    expires_at: datetime


@dataclass
class ErrorMessage:
    error: str


@dataclass
class Me:
    user_id: uuid.UUID
    email: str
    role: str
    organisation_id: uuid.UUID | None
    organisation_name: str | None
    is_org_admin: bool


def too_many_attempts(throttled: Throttled) -> TooManyRequestsException:
    return TooManyRequestsException(str(throttled), headers={"Retry-After": str(throttled.retry_after)})


def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("send the token to revoke as 'Authorization: Bearer <token>'")
    return token.strip()


class TokenController(Controller):
    path = "/auth/token"
    tags = ["auth"]

    @post(
        "/",
        summary="Sign in: exchange email and password for a bearer token",
        description=(
            "A wrong email or password answers 401 without saying which. After 5 failed "
            "attempts on one account from one address (or 50 from one address), each next "
            "attempt from there must wait twice as long as the last: until then it answers "
            "429 with Retry-After. The account's owner at another address is not held up."
        ),
        status_code=201,
        security=[{}],
        responses={
            401: ResponseSpec(ErrorMessage, description="The email address or the password is wrong"),
            429: ResponseSpec(ErrorMessage, description="Too many failed attempts; see the Retry-After header"),
        },
    )
    async def issue(
        self,
        request: Request,
        db: DbSession,
        settings: AppSettings,
        data: Annotated[SignIn, Body(examples=[Example(value={"email": "anna@ostersundshem.se", "password": "…"})])],
    ) -> IssuedToken:
        throttle = SignInThrottle(settings.secret_key)
        address = client_address(request)

        def sign_in() -> tuple[str, datetime]:
            try:
                token, row = throttle.attempt(db, data.email, address, lambda: tokens.sign_in(db, data.email, data.password))
                return token, row.expires_at
            finally:
                db.close()

        try:
            token, expires_at = await sync_to_thread(sign_in)
        except Throttled as throttled:
            raise too_many_attempts(throttled) from None
        return IssuedToken(token=token, expires_at=expires_at)

    @delete(
        "/",
        summary="Sign out: revoke the token this request is sent with",
        responses={401: ResponseSpec(ErrorMessage, description="The token is unknown, expired or revoked")},
        sync_to_thread=True,
    )
    def revoke(self, request: Request, db: DbSession) -> None:
        token = _bearer(request)
        principal = tokens.principal_for_token(db, token)
        if principal is None:
            raise Unauthenticated("the token is unknown, expired or revoked: request a new one")
        tokens.revoke_token(db, principal, token)


class WhoAmIController(Controller):
    path = "/me"
    tags = ["auth"]

    @get("/", summary="The signed-in user and organisation", sync_to_thread=True)
    def me(self, principal: RequestPrincipal, db: DbSession) -> Me:
        assert principal.user_id is not None  # a request's principal is a signed-in user
        organisation = db.get(Organisation, principal.organisation_id) if principal.organisation_id else None
        user = db.get(User, principal.user_id)
        return Me(
            user_id=principal.user_id,
            email=principal.email,
            role=principal.role,
            organisation_id=principal.organisation_id,
            organisation_name=organisation.name if organisation else None,
            is_org_admin=bool(user and user.is_org_admin),
        )
