"""What a service can refuse, independent of HTTP or the command line.

The API maps these to status codes (procure.api.errors); the CLI prints them. Every
message is written for the person who made the request: it says what is wrong and what
to do, and never contains a personal identity number.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldProblem:
    message: str
    field: str | None = None
    row: int | None = None
    column: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in vars(self).items() if v is not None}


@dataclass
class ServiceError(Exception):
    message: str
    problems: list[FieldProblem] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


class NotFound(ServiceError):
    """Also the answer for another organisation's object: its existence is not revealed."""


class Forbidden(ServiceError):
    """The object is visible to the user, but the user's role may not do this to it."""


class Unauthenticated(ServiceError):
    pass


class Gone(ServiceError):
    """The object was there and has been removed for good (evidence under the retention
    rule); its record, and so its checksum, stays."""


class Conflict(ServiceError):
    """A stale version, or a duplicate of something that must be unique."""


class InvalidInput(ServiceError):
    pass


class TooLarge(ServiceError):
    pass


class Unavailable(ServiceError):
    """The database cannot be reached; the request changed nothing and may be retried."""


@dataclass
class TooBusy(ServiceError):
    """Too many of this user's requests (renders in progress, failed imports of late): try
    again in `retry_after` seconds (429)."""

    retry_after: int = 5
