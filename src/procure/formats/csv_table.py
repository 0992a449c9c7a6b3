"""Reading a CSV file the way spreadsheets write it, cell by cell, collecting every error.

Spreadsheets differ in the details: Excel in a Swedish locale writes semicolons, others
commas; some add a byte order mark; some pad rows with empty cells. This module deals
with those details once, so that the readers of placements, hours and reports only
declare their columns and how to parse each cell.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence, TextIO

from procure.formats.cells import CellError, suggestion
from procure.formats.errors import InputError, InputErrors
from procure.formats.formula_cells import restore

Source = str | Path | TextIO | bytes
Parser = Callable[[str], Any]

DELIMITERS = (";", ",", "\t")
_MISSING = object()


def read_text(source: Source, name: str) -> str:
    """The text of a CSV source: `str` is the content itself, `Path` a file, `bytes` its bytes."""
    if isinstance(source, str):
        return source.removeprefix("\ufeff")
    if isinstance(source, Path):
        try:
            data = source.read_bytes()
        except OSError as error:
            raise InputErrors([InputError(f"cannot read the file: {error.strerror}", source=name)]) from None
        return decode(data, name)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return decode(bytes(source), name)
    return source.read().removeprefix("\ufeff")


def decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputErrors(
            [InputError("is UTF-16 text, not UTF-8: save it as 'CSV UTF-8' and try again", source=name)]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputErrors(
            [
                InputError(
                    f"is not UTF-8 text (byte 0x{data[error.start]:02x} on line {line}; "
                    "perhaps Latin-1 or Windows-1252): save it as 'CSV UTF-8' and try again",
                    source=name,
                )
            ]
        ) from None


def sniff_delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def normalise_header(cell: str) -> str:
    return cell.strip().lower().replace(" ", "_").replace("-", "_")


@dataclass
class Table:
    """A parsed CSV file: its header, its delimiter and its data rows with their row numbers."""

    name: str
    delimiter: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    errors: list[InputError] = field(default_factory=list)

    def error(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.errors.append(InputError(message, source=self.name, row=row, column=column))

    def raise_errors(self) -> None:
        if self.errors:
            raise InputErrors(self.errors)


def open_table(
    source: Source, name: str, known: Sequence[str], required: Sequence[str]
) -> Table:
    """Check the header against the `known` columns; raise at once when it is unusable."""
    text = read_text(source, name)
    first_line = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        raw_header = next(reader)
    except StopIteration:
        raw_header = []
    except csv.Error as error:
        raise InputErrors([InputError(f"cannot read the header: {error}", source=name, row=1)]) from None
    header = [normalise_header(cell) for cell in raw_header]
    table = Table(name, delimiter, header, _numbered(reader, name))
    if not any(header):
        table.error(f"has no header row: the first row must name the columns ({', '.join(known)})", row=1)
        table.raise_errors()
    seen: set[str] = set()
    for column in header:
        if not column:
            continue
        if column in seen:
            table.error(f"column {column} appears twice in the header", row=1)
        elif column not in known:
            table.error(
                f"unknown column {column}{suggestion(column, known)}; the columns are {', '.join(known)}",
                row=1,
            )
        seen.add(column)
    missing = [column for column in required if column not in seen]
    if missing:
        table.error(f"missing required column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}", row=1)
    table.raise_errors()
    return table


def _numbered(reader: Any, name: str) -> Iterator[tuple[int, list[str]]]:
    # Spreadsheet row numbers: the header is row 1, and a cell with a line break does not
    # start a new row.
    row_number = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InputErrors(
                [InputError(f"cannot read the row: {error}", source=name, row=row_number + 1)]
            ) from None
        row_number += 1
        yield row_number, cells


def parse_rows(
    table: Table, parsers: Mapping[str, Parser], required: Sequence[str] = (), cached: Sequence[str] = ()
) -> Iterator[tuple[int, dict[str, Any], bool]]:
    """Yield (row number, parsed values of the non-empty cells, whether every cell was valid).

    Empty rows (also rows of empty cells, as spreadsheets pad them) are skipped. Cells of
    the `cached` columns are parsed once per distinct text: they repeat a lot (dates,
    organisation numbers, codes) and validating them is the bulk of the work.
    """
    width = len(table.header)
    plan = [
        (index, column, parsers[column], {} if column in cached else None)
        for index, column in enumerate(table.header)
        if column
    ]
    unnamed = [index for index, column in enumerate(table.header) if not column]
    required_plan = [(table.header.index(column), column) for column in required if column in table.header]
    errors = table.errors
    name = table.name
    for row_number, cells in table.rows:
        if not any(cells) or not "".join(cells).strip():
            continue
        valid = True
        if len(cells) < width:
            cells += [""] * (width - len(cells))  # spreadsheets drop trailing empty cells
        elif len(cells) > width and "".join(cells[width:]).strip():
            errors.append(
                InputError(
                    f"has {len(cells)} cells but the header names only {width} columns",
                    source=name,
                    row=row_number,
                )
            )
            valid = False
        for index in unnamed:
            if cells[index].strip():
                errors.append(
                    InputError(f"a value in column {index + 1}, which has no name in the header", source=name, row=row_number)
                )
                valid = False
        values: dict[str, Any] = {}
        for index, column, parse, cache in plan:
            raw = cells[index]
            if not raw:
                continue
            if cache is not None:
                # Keyed by the raw cell, so that the common case costs one lookup.
                value = cache.get(raw, _MISSING)
                if value is not _MISSING:
                    values[column] = value
                    continue
            text = restore(raw.strip())
            if not text:
                continue
            try:
                value = parse(text)
            except CellError as error:
                errors.append(InputError(str(error), source=name, row=row_number, column=column))
                valid = False
                continue
            if cache is not None:
                cache[raw] = value
            values[column] = value
        for index, column in required_plan:
            if not cells[index].strip():
                errors.append(InputError("is empty but required", source=name, row=row_number, column=column))
                valid = False
        yield row_number, values, valid
