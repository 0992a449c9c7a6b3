"""The error answers every API operation may give, documented in the OpenAPI document.

The exception handlers (procure.api.errors) answer any operation with 400, 401, 403,
404, 409, 413, 415, 422 or 503 and the same JSON body; a client generated from the
document must know those statuses exist. Litestar has no router-wide `responses`, so
`document_error_responses` adds them to each controller's handlers before the app copies
them; what a handler documents itself is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from litestar import Controller
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec


@dataclass
class Problem:
    message: str
    field: str | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None


@dataclass
class ErrorBody:
    error: str
    problems: list[Problem] = field(default_factory=list)
    # For a file's errors: how many there are; `problems` lists the first 1,000.
    problem_count: int | None = None


_EVERY_OPERATION = {
    400: "The request is not valid (a parameter or the body's fields); the problems name them",
    401: "No valid bearer token",
    403: "Your role may not do this on this contract",
    404: "No such object that you may see",
    422: "The input breaks a rule; every problem is listed with its field, row and column",
    503: "The database cannot be reached just now; retry after Retry-After seconds",
}
_CHANGES = {
    409: "Someone else changed it since you read it, or it conflicts with what is stored",
    413: "The body is too large",
    415: "The body's content type is not one this operation reads",
}


def document_error_responses(controllers: Iterable[type[Controller]]) -> None:
    for controller in controllers:
        for value in vars(controller).values():
            if not isinstance(value, HTTPRouteHandler):
                continue
            statuses = dict(_EVERY_OPERATION)
            if set(value.http_methods) - {"GET", "HEAD"}:
                statuses.update(_CHANGES)
            documented = dict(value.responses or {})
            for status, description in statuses.items():
                documented.setdefault(status, ResponseSpec(ErrorBody, description=description, generate_examples=False))
            value.responses = documented
