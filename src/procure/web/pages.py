"""Rendering a page: the common context every template gets, and the error pages.

Every template receives `t` (the page words in the user's language), `fmt` (Babel's
dates, numbers and money), `lang`, `viewer` (user, organisation, role; None when signed
out) and `flash` (a one-off message from the previous request). Litestar adds `request`
and `csrf_input`.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.response import Redirect, Template
from litestar.types import ExceptionHandlersMap
from sqlalchemy.exc import OperationalError

from procure.reports.formatting import Formatter
from procure.services import errors
from procure.web.i18n import Translator
from procure.web.sessions import SignInRequired, language_of

log = logging.getLogger("procure.web")


def flash(request: Request, message: str, kind: str = "ok") -> None:
    """A message shown once, on the next page (after a redirect)."""
    request.session["flash"] = {"message": message, "kind": kind}


def page(request: Request, template: str, *, status_code: int = 200, **context: Any) -> Template:
    lang = language_of(request)
    shown = request.session.pop("flash", None) if "session" in request.scope else None
    base = {
        "t": Translator(lang),
        "fmt": Formatter(lang),
        "lang": lang,
        "viewer": getattr(request.state, "viewer", None),
        "flash": shown,
    }
    return Template(template_name=template, context={**base, **context}, status_code=status_code)


def see_other(path: str) -> Redirect:
    # 303: after a POST the browser GETs the next page, so reloading does not resend the form.
    return Redirect(path=path, status_code=303)


def _error_page(request: Request, status: int, title_key: str, message: str | None) -> Template:
    return page(request, "error.html", status_code=status, title_key=title_key, message=message)


def sign_in_required(request: Request, exc: SignInRequired) -> Response:
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    return see_other(f"/sign-in?next={quote(target, safe='')}") if request.method == "GET" else see_other("/sign-in")


def service_error(request: Request, exc: errors.ServiceError) -> Response:
    if isinstance(exc, errors.NotFound):
        # The same page for "does not exist" and "not yours": nothing about another tenant.
        return _error_page(request, 404, "not_found_title", None)
    if isinstance(exc, errors.Forbidden):
        return _error_page(request, 403, "forbidden_title", exc.message)
    if isinstance(exc, errors.Unavailable):
        return _error_page(request, 503, "error_title", Translator(language_of(request))("unavailable"))
    status = {errors.Conflict: 409, errors.Gone: 410, errors.InvalidInput: 422, errors.TooLarge: 413, errors.Unauthenticated: 401,
              errors.TooBusy: 429}
    code = next((c for kind, c in status.items() if isinstance(exc, kind)), 400)
    details = "; ".join(p.message for p in exc.problems) if exc.problems else ""
    answer = _error_page(request, code, "error_title", exc.message + (f" ({details})" if details and details != exc.message else ""))
    if isinstance(exc, errors.TooBusy):
        answer.headers["Retry-After"] = str(exc.retry_after)
    return answer


def http_error(request: Request, exc: HTTPException) -> Response:
    if isinstance(exc, NotFoundException):
        return _error_page(request, 404, "not_found_title", None)
    if isinstance(exc, ValidationException):
        return _error_page(request, 400, "error_title", str(exc.detail))
    if exc.status_code == 403 and "CSRF" in str(exc.detail):
        # A form from an old page (or another site): nothing was changed.
        return _error_page(request, 403, "error_title", Translator(language_of(request))("csrf_failed"))
    return _error_page(request, exc.status_code, "error_title", str(exc.detail))


def database_unavailable(request: Request, exc: OperationalError) -> Response:
    log.warning("database unavailable: %s", type(exc.orig).__name__)
    return _error_page(request, 503, "error_title", Translator(language_of(request))("unavailable"))


PAGE_EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    SignInRequired: sign_in_required,
    errors.ServiceError: service_error,
    HTTPException: http_error,
    OperationalError: database_unavailable,
}
