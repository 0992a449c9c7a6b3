"""Signing in and out, and the language switch."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from litestar import Controller, Request, get, post
from litestar.concurrency import sync_to_thread
from litestar.enums import MediaType, RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from procure.dependencies import AppSettings, DbSession
from procure.forwarded import client_address
from procure.services.errors import Unauthenticated
from procure.services.sign_in_throttle import SignInThrottle, Throttled
from procure.web.forms import Form
from procure.web.i18n import LANGUAGES, Translator
from procure.web.pages import flash, page, see_other
from procure.web.sessions import authenticate, language_of, session_key, sign_in, sign_out

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def local_path(target: str | None, default: str = "/contracts") -> str:
    """Only a path on this site: a `next` pointing elsewhere would make the sign-in page
    an open redirect."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


class AccountController(Controller):
    tags = ["pages"]

    @get("/", sync_to_thread=False, include_in_schema=False)
    def home(self, request: Request) -> Redirect:
        return see_other("/contracts" if session_key(request) else "/sign-in")

    @get("/sign-in", sync_to_thread=False, include_in_schema=False)
    def sign_in_form(self, request: Request) -> Template:
        return page(request, "sign_in.html", form=Form({}, Translator(language_of(request))),
                    next=local_path(request.query_params.get("next")))

    # HTML: the form again with its message (400, 429); the return type alone says nothing.
    @post("/sign-in", include_in_schema=False, media_type=MediaType.HTML)
    async def sign_in(self, request: Request, db: DbSession, settings: AppSettings, data: FormData) -> Any:
        """Shares the API's throttle of failed sign-ins: the same counts, so the page is no
        way around it."""
        form = Form(data, Translator(language_of(request)))
        email = form.text("email", required=True)
        password = form.raw("password")
        if not password:
            form.error("password", form.t("required"))
        if not form.ok or not email:
            return page(request, "sign_in.html", status_code=400, form=form, next=local_path(form.raw("next")))
        throttle = SignInThrottle(settings.secret_key)

        def attempt() -> None:
            user = throttle.attempt(db, email, client_address(request), lambda: authenticate(db, email, password))
            sign_in(request, db, user)

        try:
            await sync_to_thread(attempt)
        except Throttled as throttled:
            form.general.append(form.t("too_many_attempts", seconds=throttled.retry_after))
            response = page(request, "sign_in.html", status_code=429, form=form, next=local_path(form.raw("next")))
            response.headers["Retry-After"] = str(throttled.retry_after)  # as the API's 429
            return response
        except Unauthenticated:
            form.general.append(form.t("wrong_credentials"))
            return page(request, "sign_in.html", status_code=400, form=form, next=local_path(form.raw("next")))
        return see_other(local_path(form.raw("next")))

    @post("/sign-out", sync_to_thread=True, include_in_schema=False)
    def sign_out(self, request: Request, db: DbSession) -> Redirect:
        sign_out(request, db)
        flash(request, Translator(language_of(request))("signed_out"))
        return see_other("/sign-in")

    @post("/language", sync_to_thread=False, include_in_schema=False)
    def language(self, request: Request, data: FormData) -> Redirect:
        lang = data.get("lang")
        if lang in LANGUAGES:
            request.session["lang"] = lang
        return see_other(local_path(data.get("next") if isinstance(data.get("next"), str) else None, "/"))
