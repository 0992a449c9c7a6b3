"""Reading a CSV file the way spreadsheets write it, cell by cell, collecting every error.

Spreadsheets differ in the details: Excel in a Swedish locale writes semicolons, others
commas; some add a byte order mark; some pad rows with empty cells. This module deals
with those details once, so that the readers of placements, hours and reports only
declare their columns and how to parse each cell.

A file is read as a stream, row by row: a reader that keeps no more than a row at a time
(the placements import) needs memory for a row, not for the file.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TextIO

from procure.formats.cells import CellError, suggestion
from procure.formats.errors import MAX_ERRORS, ErrorList, InputError, InputErrors
from procure.formats.formula_cells import restore

Source = str | Path | TextIO | bytes
Parser = Callable[[str], Any]

DELIMITERS = (";", ",", "\t")
_MISSING = object()
# Distinct texts remembered per cached column: the dates of a contract term of several
# years, all organisation numbers and codes.
CACHED_VALUES = 4096
_SAVE_AS_UTF8 = "save it as 'CSV UTF-8' and try again"


def _unreadable(error: OSError, name: str) -> InputError:
    return InputError(f"cannot read the file: {error.strerror}", source=name)


def _utf16(name: str) -> InputError:
    return InputError(f"is UTF-16 text, not UTF-8: {_SAVE_AS_UTF8}", source=name)


def _first_undecodable(lines: IO[bytes], name: str) -> InputError:
    """Where the first byte that is not UTF-8 is. Looked for only once decoding failed,
    line by line, so that it costs nothing while a file decodes."""
    number = 0
    for number, line in enumerate(lines, 1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            return InputError(
                f"is not UTF-8 text (byte 0x{line[error.start]:02x} on line {number}; "
                f"perhaps Latin-1 or Windows-1252): {_SAVE_AS_UTF8}",
                source=name,
            )
    return InputError(f"is not UTF-8 text (line {number}): {_SAVE_AS_UTF8}", source=name)


def sniff_delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def normalise_header(cell: str) -> str:
    return cell.strip().lower().replace(" ", "_").replace("-", "_")


class _Stream:
    """A source as text lines, decoded as they are read, and how far into its bytes."""

    def __init__(self, source: Source, name: str):
        self.name = name
        self.size: int | None = None
        self._binary: IO[bytes] | None = None
        if isinstance(source, str):
            self.text: TextIO = io.StringIO(source, newline="")
            return
        if isinstance(source, Path):
            try:
                binary: IO[bytes] = source.open("rb")
                self.size = os.fstat(binary.fileno()).st_size
            except OSError as error:
                raise InputErrors([_unreadable(error, name)]) from None
        elif isinstance(source, (bytes, bytearray, memoryview)):
            binary = io.BytesIO(bytes(source))
            self.size = len(binary.getbuffer())
        else:
            self.text = source
            return
        if binary.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            binary.close()
            raise InputErrors([_utf16(name)])
        binary.seek(0)
        self._binary = binary
        # newline="": line breaks inside quoted cells are the csv module's to read.
        self.text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")

    def position(self) -> int | None:
        """Bytes read so far (read ahead by a buffer), or None for a text source."""
        return self._binary.tell() if self._binary is not None and not self._binary.closed else None

    def undecodable(self) -> InputError:
        assert self._binary is not None  # only bytes can fail to decode
        self._binary.seek(0)
        return _first_undecodable(self._binary, self.name)

    def close(self) -> None:
        if self._binary is not None:
            self.text.close()


@dataclass
class Table:
    """A CSV file being read: its header, its delimiter and an iterator over its data
    rows with their row numbers. Close it (or use it in a `with`) when done."""

    name: str
    delimiter: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    # The first MAX_ERRORS errors, and the count of them all.
    errors: ErrorList = field(default_factory=ErrorList)
    stream: _Stream | None = None

    def error(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.errors.append(InputError(message, source=self.name, row=row, column=column))

    def raise_errors(self) -> None:
        if self.errors:
            raise InputErrors(self.errors)

    @property
    def size(self) -> int | None:
        """The file's size in bytes, when it is a file or bytes."""
        return self.stream.size if self.stream else None

    def bytes_read(self) -> int | None:
        return self.stream.position() if self.stream else None

    def close(self) -> None:
        if self.stream:
            self.stream.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open_table(
    source: Source, name: str, known: Sequence[str], required: Sequence[str]
) -> Table:
    """Check the header against the `known` columns; raise at once when it is unusable.

    The rows are read as they are iterated; the caller closes the table.
    """
    stream = _Stream(source, name)
    try:
        return _open(stream, name, known, required)
    except BaseException:
        stream.close()
        raise


def _open(stream: _Stream, name: str, known: Sequence[str], required: Sequence[str]) -> Table:
    try:
        first_line = stream.text.readline().removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise InputErrors([stream.undecodable()]) from None
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(itertools.chain((first_line,), stream.text), delimiter=delimiter)
    try:
        raw_header = next(reader)
    except StopIteration:
        raw_header = []
    except UnicodeDecodeError:
        raise InputErrors([stream.undecodable()]) from None
    except csv.Error as error:
        raise InputErrors([InputError(f"cannot read the header: {error}", source=name, row=1)]) from None
    header = [normalise_header(cell) for cell in raw_header]
    table = Table(name, delimiter, header, iter(()), stream=stream)
    table.rows = _numbered(reader, table)
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


def _numbered(reader: Any, table: Table) -> Iterator[tuple[int, list[str]]]:
    # Spreadsheet row numbers: the header is row 1, and a cell with a line break does not
    # start a new row.
    row_number = 1
    try:
        for cells in reader:
            row_number += 1
            yield row_number, cells
    except csv.Error as error:
        problem = InputError(f"cannot read the row: {error}", source=table.name, row=row_number + 1)
        raise InputErrors([*table.errors[: MAX_ERRORS - 1], problem], total=table.errors.total + 1) from None
    except UnicodeDecodeError:
        assert table.stream is not None
        raise InputErrors([*table.errors[: MAX_ERRORS - 1], table.stream.undecodable()], total=table.errors.total + 1) from None


def parse_rows(
    table: Table, parsers: Mapping[str, Parser], required: Sequence[str] = (), cached: Sequence[str] = ()
) -> Iterator[tuple[int, dict[str, Any], bool]]:
    """Yield (row number, parsed values of the non-empty cells, whether every cell was valid).

    Empty rows (also rows of empty cells, as spreadsheets pad them) are skipped. Cells of
    the `cached` columns are parsed once per distinct text: they repeat a lot (dates,
    organisation numbers, codes) and validating them is the bulk of the work. Each cache
    keeps at most CACHED_VALUES texts, so that a column of ever new values (a person key,
    dates over decades) costs no memory per row.
    """
    width = len(table.header)
    plan: list[tuple[int, str, Parser, dict[str, Any] | None]] = [
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
            if cache is not None and len(cache) < CACHED_VALUES:
                cache[raw] = value
            values[column] = value
        for index, column in required_plan:
            if not cells[index].strip():
                errors.append(InputError("is empty but required", source=name, row=row_number, column=column))
                valid = False
        yield row_number, values, valid
