"""Signing in and out, and the language switch."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from litestar import Controller, Request, get, post
from litestar.concurrency import sync_to_thread
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from procure.dependencies import DbSession
from procure.api.sign_in_throttle import STORE_NAME, SignInThrottle
from procure.web.forms import Form
from procure.web.i18n import LANGUAGES, Translator
from procure.web.pages import flash, page, see_other
from procure.web.sessions import authenticate, language_of, sign_in, sign_out

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
        return see_other("/contracts" if request.session.get("user_id") else "/sign-in")

    @get("/sign-in", sync_to_thread=False, include_in_schema=False)
    def sign_in_form(self, request: Request) -> Template:
        return page(request, "sign_in.html", form=Form({}, Translator(language_of(request))),
                    next=local_path(request.query_params.get("next")))

    @post("/sign-in", include_in_schema=False)
    async def sign_in(self, request: Request, db: DbSession, data: FormData) -> Any:
        """Shares the API's throttle of failed sign-ins: the same counts, so the page is no
        way around it."""
        form = Form(data, Translator(language_of(request)))
        email = form.text("email", required=True)
        password = form.raw("password")
        if not password:
            form.error("password", form.t("required"))
        if not form.ok or not email:
            return page(request, "sign_in.html", status_code=400, form=form, next=local_path(form.raw("next")))
        throttle = SignInThrottle(request.app.stores.get(STORE_NAME))
        address = request.client.host if request.client else "unknown"
        wait = await throttle.retry_after(email, address)
        if wait is not None:
            form.general.append(form.t("too_many_attempts", seconds=wait))
            return page(request, "sign_in.html", status_code=429, form=form, next=local_path(form.raw("next")))
        user = await sync_to_thread(authenticate, db, email, password)
        if user is None:
            await throttle.failed(email, address)
            form.general.append(form.t("wrong_credentials"))
            return page(request, "sign_in.html", status_code=400, form=form, next=local_path(form.raw("next")))
        await throttle.succeeded(email, address)
        sign_in(request, user)
        return see_other(local_path(form.raw("next")))

    @post("/sign-out", sync_to_thread=False, include_in_schema=False)
    def sign_out(self, request: Request) -> Redirect:
        sign_out(request)
        flash(request, Translator(language_of(request))("signed_out"))
        return see_other("/sign-in")

    @post("/language", sync_to_thread=False, include_in_schema=False)
    def language(self, request: Request, data: FormData) -> Redirect:
        lang = data.get("lang")
        if lang in LANGUAGES:
            request.session["lang"] = lang
        return see_other(local_path(data.get("next") if isinstance(data.get("next"), str) else None, "/"))
