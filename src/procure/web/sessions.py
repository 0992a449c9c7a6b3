"""Cookie sessions of the pages: who is signed in, and in which language.

The cookie (Litestar's signed and encrypted cookie backend, keyed from the
installation's secret) holds the language and the key of a session kept in the database
(procure.services.sessions): signing out, a new password or deactivation ends the
session in every app process at once, and a copied cookie is worth nothing afterwards.
The cookie is HttpOnly and SameSite=Lax, and Secure whenever the request came over https.
Every request reloads the session and its user.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from litestar import Request
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlmodel import Session, select

from procure.services import sessions
from procure.services.access import Principal
from procure.services.accounts import normalise_email
from procure.services.errors import InvalidInput, Unauthenticated
from procure.services.passwords import verify_password
from procure.services.tokens import WRONG_CREDENTIALS, principal_of
from procure.settings import Settings
from procure.storage.models import Organisation, User
from procure.web.i18n import DEFAULT_LANGUAGE, LANGUAGES

SESSION_COOKIE = "procure_session"
SESSION_KEY = "sid"


class SignInRequired(Exception):
    """No one is signed in: the page answers with the sign-in form."""


@dataclass(frozen=True)
class Viewer:
    """The signed-in user of a page, with what every page shows about them."""

    principal: Principal
    user: User
    organisation: Organisation | None


def derived_key(settings: Settings, purpose: bytes, length: int = 32) -> bytes:
    # One installation secret, a separate key per use: a leaked CSRF secret reveals
    # nothing about the session key.
    return hmac.new(settings.secret_key, b"procure web: " + purpose, hashlib.sha256).digest()[:length]


def session_middleware(settings: Settings) -> DefineMiddleware:
    return DefineMiddleware(PageSessions, config=session_config(settings))


def session_config(settings: Settings) -> CookieBackendConfig:
    return CookieBackendConfig(
        secret=derived_key(settings, b"session"),
        key=SESSION_COOKIE,
        max_age=int(sessions.LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=False,  # set per request by SecureCookies
    )


class PageSessions:
    """The session middleware, built when the app starts rather than when routes are
    declared: Litestar copies routers, and the cookie backend's cipher cannot be copied."""

    def __init__(self, app: ASGIApp, config: CookieBackendConfig) -> None:
        defined = config.middleware
        self.app = defined.middleware(app, *defined.args, **defined.kwargs)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


class SecureCookies:
    """Marks every cookie Secure when the request came over https (directly or through a
    proxy uvicorn trusts), so one configuration serves both a laptop and production."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("scheme") != "https":
            await self.app(scope, receive, send)
            return

        async def secure_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = []
                for name, value in message.get("headers", []):
                    if name.lower() == b"set-cookie" and b"; secure" not in value.lower():
                        value += b"; Secure"
                    headers.append((name, value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, secure_send)


def language_of(request: Request) -> str:
    lang = request.session.get("lang") if "session" in request.scope else None
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def authenticate(db: Session, email: str, password: str) -> User:
    """The active user with this email and password; Unauthenticated for any mistake.

    Uses the accounts service's password check; it issues no API token, since a page
    session is the cookie itself.
    """
    try:
        address = normalise_email(email)
    except InvalidInput:
        address = email.strip().lower()
    user = db.exec(select(User).where(User.email == address)).first()
    if not verify_password(user.password_hash if user else None, password) or user is None or not user.is_active:
        raise Unauthenticated(WRONG_CREDENTIALS)
    return user


def session_key(request: Request) -> str | None:
    key = request.session.get(SESSION_KEY) if "session" in request.scope else None
    return key if isinstance(key, str) else None


def sign_in(request: Request, db: Session, user: User) -> None:
    lang = language_of(request)
    key = sessions.start_session(db, user)
    # A fresh session on sign-in: nothing from before survives but the language.
    request.clear_session()
    request.set_session({SESSION_KEY: key, "lang": lang})


def sign_out(request: Request, db: Session) -> None:
    lang = language_of(request)
    sessions.end_session(db, session_key(request))
    request.clear_session()
    request.set_session({"lang": lang})


def current_viewer(request: Request, db: Session) -> Viewer:
    user = sessions.user_of_session(db, session_key(request))
    if user is None:
        raise SignInRequired()
    organisation = db.get(Organisation, user.organisation_id) if user.organisation_id else None
    viewer = Viewer(principal_of(user), user, organisation)
    request.state.viewer = viewer
    return viewer
