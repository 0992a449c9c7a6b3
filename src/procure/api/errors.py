"""Every error the API answers is JSON with a message a person can act on.

`{"error": "...", "problems": [{"field": "...", "row": 3, "column": "end", "message": "..."}]}`
Bad input is never a 500: validation failures of request bodies and parameters become
400 with the field named, and a database that cannot be reached becomes 503.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Mapping

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import ExceptionHandlersMap, Logger, Scope
from sqlalchemy.exc import DataError, DBAPIError, OperationalError

from procure.formats.errors import InputErrors
from procure.services import errors

log = logging.getLogger("procure.api")

STATUS_CODES: dict[type[errors.ServiceError], int] = {
    errors.NotFound: 404,
    errors.Forbidden: 403,
    errors.Unauthenticated: 401,
    errors.Conflict: 409,
    errors.Gone: 410,
    errors.InvalidInput: 422,
    errors.TooLarge: 413,
    errors.Unavailable: 503,
    errors.TooBusy: 429,
}


def error_body(message: str, problems: list[dict] | None = None) -> dict:
    body: dict = {"error": message}
    if problems:
        body["problems"] = problems
    return body


def service_error(request: Request, exc: errors.ServiceError) -> Response:
    status = next((code for kind, code in STATUS_CODES.items() if isinstance(exc, kind)), 400)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if isinstance(exc, errors.TooBusy):
        headers = {"Retry-After": str(exc.retry_after)}
    return Response(error_body(exc.message, [p.as_dict() for p in exc.problems]), status_code=status, headers=headers)


def input_errors(request: Request, exc: InputErrors) -> Response:
    problems = [
        {k: v for k, v in {"message": e.message, "field": e.field, "row": e.row, "column": e.column, "line": e.line}.items() if v is not None}
        for e in exc.errors
    ]
    count = exc.total
    message = f"the input has {count} error{'s' if count != 1 else ''}; nothing was saved"
    if exc.truncated:
        message += f" (the first {len(problems)} are listed)"
    body = error_body(message, problems)
    body["problem_count"] = count
    return Response(body, status_code=422)


def validation_error(request: Request, exc: ValidationException) -> Response:
    problems = []
    for item in exc.extra or []:
        if isinstance(item, dict):
            problems.append({"field": str(item.get("key") or item.get("source") or ""), "message": str(item.get("message", ""))})
    return Response(error_body(f"the request is not valid: {exc.detail}", problems), status_code=400)


def http_error(request: Request, exc: HTTPException) -> Response:
    return Response(error_body(str(exc.detail)), status_code=exc.status_code, headers=exc.headers)


def database_unavailable(request: Request, exc: DBAPIError) -> Response:
    if isinstance(exc, OperationalError):
        log.warning("database unavailable: %s", type(exc.orig).__name__)
        return Response(
            error_body("the database cannot be reached just now; nothing was changed, please retry shortly"),
            status_code=503,
            headers={"Retry-After": "5"},
        )
    if isinstance(exc, DataError):
        # The database refused a value of the request (a NUL character, a value too long
        # for its column): the user's input, not a bug. The database's own message is not
        # repeated, since it may quote the value.
        return Response(
            error_body("a value in the request cannot be stored (a NUL character, or a value too long); nothing was changed"),
            status_code=400,
        )
    log.exception("database error")
    return Response(error_body("the request could not be stored; nothing was changed"), status_code=500)


def too_deep(request: Request, exc: RecursionError) -> Response:
    # msgspec gives up on a JSON body nested thousands deep with RecursionError; that is
    # the client's malformed body. Any other RecursionError is ours.
    if "deserializing" in str(exc):
        return Response(
            error_body("the request is not valid: the JSON body is nested too deeply", [{"field": "body", "message": "nested too deeply"}]),
            status_code=400,
        )
    log.error("unexpected recursion", exc_info=exc)
    return Response(error_body("the request could not be handled; nothing was changed"), status_code=500)


def answered_status(exc: BaseException, user_errors: Mapping[type, int] | None = None) -> int | None:
    """The status the exception handlers answer a user's mistake (or an outage) with;
    None for a fault of ours (a 500)."""
    for kind, status in (user_errors or {}).items():
        if isinstance(exc, kind):
            return status
    if isinstance(exc, errors.ServiceError):
        return next((code for kind, code in STATUS_CODES.items() if isinstance(exc, kind)), 400)
    if isinstance(exc, InputErrors):
        return 422
    if isinstance(exc, HTTPException):
        return exc.status_code if exc.status_code < 500 or exc.status_code == 503 else None
    if isinstance(exc, OperationalError):
        return 503
    if isinstance(exc, DataError):
        return 400
    if isinstance(exc, RecursionError) and "deserializing" in str(exc):
        return 400
    return None


def exception_logger(user_errors: Mapping[type, int] | None = None) -> Callable[[Logger, Scope, list[str]], None]:
    """Litestar's `exception_logging_handler`: a user's mistake is one line at INFO (its
    type and status, not its message, which may quote personal data); an outage one
    line at WARNING; only a fault of ours is logged at ERROR with its traceback."""

    def log_exception(logger: Logger, scope: Scope, traceback: list[str]) -> None:
        exc = sys.exc_info()[1]
        status = None if exc is None else answered_status(exc, user_errors)
        where = f"{scope.get('method', '')} {scope.get('path', '')}".strip()
        if status is None:
            logger.error("Uncaught exception (%s):\n%s", where, "".join(traceback))
        elif status < 500:
            logger.info("%s -> %d %s", where, status, type(exc).__name__)
        elif not isinstance(exc, OperationalError):  # whose handler logs it
            logger.warning("%s -> %d %s", where, status, type(exc).__name__)

    return log_exception

EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    RecursionError: too_deep,
    errors.ServiceError: service_error,
    InputErrors: input_errors,
    ValidationException: validation_error,
    HTTPException: http_error,
    DBAPIError: database_unavailable,
}
