"""Errors in a user's input file, each saying what is wrong and where.

A reader collects every problem of a file before it gives up, so that a contractor
fixes a spreadsheet in one pass instead of one error at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


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


class InputErrors(Exception):
    """Every problem found in one input; raised only when there is at least one."""

    def __init__(self, errors: Iterable[InputError]):
        self.errors: list[InputError] = list(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.errors)
        heading = f"{count} error{'s' if count != 1 else ''} in the input"
        return "\n".join([heading, *(f"  {error}" for error in self.errors)])
