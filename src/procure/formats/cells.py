"""Parsers for single spreadsheet cells: dates, months, periods, numbers, booleans, codes.

Each parser takes the stripped, non-empty text of a cell and returns the value or
raises `CellError` with a message that can be shown next to the row and column. They
are plain functions so that the CSV readers can look them up once per column and call
them per row without any further dispatch.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Iterable
from datetime import date
from decimal import Decimal, InvalidOperation


class CellError(ValueError):
    """A cell's value is wrong; the message is safe to show next to its row and column."""


# Year first is the only unambiguous order: 2016-03-01, 2016/03/01, 2016-3-1, 20160301.
_ISO_LIKE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
# 01/03/2016, 01.03.2016, 01-03-2016, 3/1/16: day-first or month-first, which we cannot tell.
_YEAR_LAST = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
_MONTH = re.compile(r"(\d{4})[-/]?(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})-?[Qq]([1-4])")

_TRUE = frozenset({"yes", "ja", "true", "1", "y", "j"})
_FALSE = frozenset({"no", "nej", "false", "0", "n"})

DATE_HINT = "write dates year first, as 2016-03-01, 2016/03/01 or 20160301"


def parse_date(text: str) -> date:
    match = _ISO_LIKE.fullmatch(text) or _COMPACT.fullmatch(text)
    if match is None:
        if _YEAR_LAST.fullmatch(text):
            raise CellError(
                f"{text} is ambiguous (day or month first?): {DATE_HINT}"
            )
        raise CellError(f"{text} is not a date: {DATE_HINT}")
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(f"{text} is not a date (there is no such day)") from None


def parse_month(text: str) -> date:
    """`2017-03` (or `2017/03`, `201703`) → the first day of that month."""
    match = _MONTH.fullmatch(text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise CellError(f"{text} is not a month: write it as 2017-03")
    return date(int(match.group(1)), int(match.group(2)), 1)


def parse_period(text: str) -> str:
    """`2017-Q3` or `2017-09` (a quarter or a month), normalised to those forms."""
    quarter = _QUARTER.fullmatch(text)
    if quarter is not None:
        return f"{quarter.group(1)}-Q{quarter.group(2)}"
    try:
        month = parse_month(text)
    except CellError:
        raise CellError(
            f"{text} is not a reporting period: write a quarter as 2017-Q3 or a month as 2017-09"
        ) from None
    return f"{month.year:04d}-{month.month:02d}"


def parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise CellError(f"{text} is not yes or no: write yes/no, ja/nej, true/false or 1/0")


def parse_decimal(text: str) -> Decimal:
    # A Swedish spreadsheet writes 37,5; a thin or normal space may group thousands.
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise CellError(f"{text} is not a number") from None
    if not value.is_finite():
        raise CellError(f"{text} is not a number")
    return value


def decimal_between(low: Decimal, high: Decimal, unit: str) -> Callable[[str], Decimal]:
    def parse(text: str) -> Decimal:
        value = parse_decimal(text)
        if not low <= value <= high:
            raise CellError(f"{text} is not between {low} and {high} {unit}")
        return value

    return parse


def parse_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CellError(f"{text} is not a whole number") from None


def suggestion(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def code_parser(allowed: Collection[str], what: str) -> Callable[[str], str]:
    """A parser accepting one code of `allowed`, case-insensitively, returned as spelt in `allowed`."""
    canonical = {code.lower(): code for code in allowed}
    choices = ", ".join(allowed)

    def parse(text: str) -> str:
        code = canonical.get(text.lower())
        if code is not None:
            return code
        raise CellError(f"{text} is not {what}: use one of {choices}{suggestion(text, allowed)}")

    return parse


def codes_parser(
    allowed: Collection[str], what: str, separators: str
) -> Callable[[str], tuple[str, ...]]:
    """A parser for several codes in one cell, split on any of `separators`."""
    one = code_parser(allowed, what)
    split = re.compile("|".join(re.escape(separator) for separator in separators)).split

    def parse(text: str) -> tuple[str, ...]:
        codes: list[str] = []
        for part in split(text):
            part = part.strip()
            if part:
                code = one(part)
                if code not in codes:
                    codes.append(code)
        return tuple(codes)

    return parse
