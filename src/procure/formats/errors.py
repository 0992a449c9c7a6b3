"""Errors in a user's input file, each saying what is wrong and where.

A reader collects every problem of a file before it gives up, so that a contractor
fixes a spreadsheet in one pass instead of one error at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class InputError:
    message: str
    source: str | None = None  # file name as the user knows it
    line: int | None = None  # line in a text file (TOML)
    row: int | None = None  # spreadsheet row, the header being row 1 (CSV)
    column: str | None = None  # CSV column name
    field: str | None = None  # path of the field, such as "clause[SC-2].share"

    def __str__(self) -> str:
        where = self.source or ""
        if self.line is not None:
            where += f":{self.line}"
        cell = ", ".join(
            part
            for part in (
                f"row {self.row}" if self.row is not None else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        return ": ".join(part for part in (where, cell, self.field or "", self.message) if part)

    def to_json(self) -> dict[str, object]:
        return {key: value for key, value in self.__dict__.items() if value is not None}


# Errors listed of one input at most; the rest are only counted. A 20 MB file whose
# every row is wrong would otherwise answer with hundreds of MB of messages.
MAX_ERRORS = 1000


class ErrorList(list[InputError]):
    """A list that keeps the first `limit` errors appended and counts them all (`total`)."""

    def __init__(self, limit: int = MAX_ERRORS):
        super().__init__()
        self.limit = limit
        self.total = 0

    def append(self, error: InputError) -> None:
        self.total += 1
        if len(self) < self.limit:
            super().append(error)


class InputErrors(Exception):
    """Every problem found in one input; raised only when there is at least one.

    `errors` lists the first MAX_ERRORS of them; `total` counts them all.
    """

    def __init__(self, errors: Iterable[InputError], total: int | None = None):
        listed = list(errors)
        if total is None:
            total = getattr(errors, "total", None) or len(listed)
        self.total: int = max(total, len(listed))
        self.errors: list[InputError] = listed[:MAX_ERRORS]
        self.rows_read = 0  # data rows read before the input was given up, when known
        super().__init__(str(self))

    @property
    def truncated(self) -> bool:
        return self.total > len(self.errors)

    def heading(self) -> str:
        count = self.total
        heading = f"{count} error{'s' if count != 1 else ''} in the input"
        if self.truncated:
            heading += f" (the first {len(self.errors)} listed)"
        return heading

    def __str__(self) -> str:
        return "\n".join([self.heading(), *(f"  {error}" for error in self.errors)])
