"""Placements, labour hours and period reports as CSV, read and written.

The columns are SPEC's ("Placements as CSV"), plus optional extension columns:
`planned_end` and `employed_before_start` of the domain model; `person_key`, a
pseudonymous key standing for the person (two rows with the same key are one person, as
with the same personnummer), so that an export can still show duplicates without any
personal number; and `placement_id`, so that an export read back names its placements as
the database did. Reading is all or nothing:
every bad cell of the file is reported (row and column) before anything is returned.
A personnummer cell is reduced to its keyed hash as soon as it is read; its value is
never kept, returned or put in an error.

`read_placements` returns every record at once (the engine needs them all);
`open_placements` with `placement_rows` gives the rows one at a time as the file is
read, for the import, which keeps no more than a batch of them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from procure.domain.identity import InvalidIdentityNumber, normalise_org_number, personal_number_hash
from procure.domain.model import LabourHours, Participant, PeriodReport, Placement
from procure.domain.vocabulary import GENDERS, OUTCOMES, PLACEMENT_STATUSES, PLACEMENT_TYPES, TARGET_GROUPS
from procure.formats import cells
from procure.formats.cells import CellError
from procure.formats.csv_table import Source, Table, open_table, parse_rows
from procure.formats.formula_cells import neutralise

PARTICIPANT_COLUMNS = ("participant_ref", "target_groups", "gender", "birth_year", "personnummer")
PLACEMENT_COLUMNS = (
    "participant_ref",
    "target_groups",
    "gender",
    "birth_year",
    "personnummer",
    "placement_type",
    "start",
    "end",
    "hours_per_week",
    "days_per_week",
    "employer_org_number",
    "supervisor_trained",
    "status",
    "outcome",
    "outcome_date",
)
EXTENSION_COLUMNS = ("planned_end", "employed_before_start", "person_key", "placement_id")
REQUIRED_PLACEMENT_COLUMNS = ("participant_ref", "placement_type", "start")
HOURS_COLUMNS = ("month", "employer_org_number", "hours")
REPORT_COLUMNS = ("period", "submitted_on")

# The participant's age at the start of a placement that is believable in a
# labour-market programme (summer jobs start at 13); outside it, the birth year is a typo.
MIN_AGE, MAX_AGE = 13, 80
_ENDED = ("completed", "ended_early")


def placement_id(participant_ref: str, start: date, placement_type: str) -> str:
    """Stable across imports of the same row: the same file imported twice changes nothing."""
    return f"{participant_ref}/{start.isoformat()}/{placement_type}"


def _org_number(text: str) -> str:
    try:
        return normalise_org_number(text)
    except InvalidIdentityNumber as error:
        raise CellError(str(error)) from None


def _reference(text: str) -> str:
    if "/" in text:
        # A slash would make placement ids ambiguous.
        raise CellError(f"{text} contains '/': use letters, digits and dashes, such as P-0017")
    return text


def _placement_id(text: str) -> str:
    if len(text) > 200:
        raise CellError("a placement id is at most 200 characters")
    return text


def _person_key(text: str) -> str:
    key = text.strip().lower()
    if not 16 <= len(key) <= 64 or any(c not in "0123456789abcdef" for c in key):
        raise CellError("a person key is 16 to 64 hexadecimal characters")
    return key


def _birth_year(text: str) -> int:
    year = cells.parse_int(text)
    if not 1900 <= year <= 2100:
        raise CellError(f"{text} is not a birth year")
    return year


def _placement_parsers(delimiter: str, secret: bytes, extra_target_groups: Iterable[str]) -> dict[str, Any]:
    # In a comma-separated file a quoted cell may also list values with semicolons.
    separators = "|;" if delimiter == "," else "|"
    groups = {**dict.fromkeys(TARGET_GROUPS), **dict.fromkeys(extra_target_groups)}

    def personnummer(text: str) -> str:
        try:
            return personal_number_hash(text, secret)
        except InvalidIdentityNumber as error:
            raise CellError(str(error)) from None

    return {
        "participant_ref": _reference,
        "target_groups": cells.codes_parser(tuple(groups), "a target group", separators),
        "gender": cells.code_parser(tuple(GENDERS), "a gender"),
        "birth_year": _birth_year,
        "personnummer": personnummer,
        "placement_type": cells.code_parser(tuple(PLACEMENT_TYPES), "a placement type"),
        "start": cells.parse_date,
        "end": cells.parse_date,
        "hours_per_week": cells.decimal_between(Decimal(0), Decimal(168), "hours a week"),
        "days_per_week": cells.decimal_between(Decimal(0), Decimal(7), "days a week"),
        "employer_org_number": _org_number,
        "supervisor_trained": cells.parse_bool,
        "status": cells.code_parser(PLACEMENT_STATUSES, "a placement status"),
        "outcome": cells.code_parser(tuple(OUTCOMES), "an outcome"),
        "outcome_date": cells.parse_date,
        "planned_end": cells.parse_date,
        "employed_before_start": cells.parse_bool,
        "person_key": _person_key,
        "placement_id": _placement_id,
    }


_CACHED_PLACEMENT_COLUMNS = (
    "target_groups", "gender", "birth_year", "placement_type", "start", "end", "hours_per_week",
    "days_per_week", "employer_org_number", "supervisor_trained", "status", "outcome",
    "outcome_date", "planned_end", "employed_before_start", "person_key",
)  # fmt: skip


def open_placements(source: Source, name: str | None = None) -> Table:
    """A placements CSV with a usable header, to be read row by row with `placement_rows`
    and closed (`with open_placements(…) as table:`). Raises `InputErrors` for the header."""
    name = name or _default_name(source, "placements.csv")
    return open_table(source, name, PLACEMENT_COLUMNS + EXTENSION_COLUMNS, REQUIRED_PLACEMENT_COLUMNS)


def placement_rows(
    table: Table, *, secret: bytes, extra_target_groups: Iterable[str] = ()
) -> Iterator[tuple[int, dict[str, Any], bool]]:
    """Each row as it is read: (row number, parsed values of its non-empty cells, whether
    it is valid on its own). The errors go to `table.errors`.

    A personnummer (or a person_key) is already its keyed hash, under "personnummer".
    What needs other rows — participants' rows agreeing, the same placement twice — is
    the caller's to check (see `disagreement` and `repeated_placement`).
    """
    parsers = _placement_parsers(table.delimiter, secret, extra_target_groups)
    error = table.error
    for row, values, valid in parse_rows(
        table, parsers, REQUIRED_PLACEMENT_COLUMNS, _CACHED_PLACEMENT_COLUMNS
    ):
        start: date | None = values.get("start")
        for column in ("end", "outcome_date", "planned_end"):
            if start is not None and column in values and values[column] < start:
                error(f"{values[column].isoformat()} is before the start {start.isoformat()}", row, column)
                valid = False
        if values.get("status") in _ENDED and "end" not in values:
            error(f"a placement with status {values['status']} needs its end date", row, "end")
            valid = False
        if start is not None and "birth_year" in values:
            age = start.year - values["birth_year"]
            if not MIN_AGE <= age <= MAX_AGE:
                error(
                    f"{values['birth_year']} would make the participant {age} at the start "
                    f"({start.isoformat()}); ages {MIN_AGE}–{MAX_AGE} are expected",
                    row,
                    "birth_year",
                )
                valid = False
        if "person_key" in values:
            # A person key is the hash a personnummer would have given: one identity per row.
            if "personnummer" in values:
                error("give either a personnummer or a person_key, not both", row, "person_key")
                valid = False
            values["personnummer"] = values.pop("person_key")
        yield row, values, valid


def disagreement(ref: str, column: str, first: Any, first_row: int) -> str:
    """The error of a row whose participant `column` differs from the `first` value, given in
    `first_row`. Never a personnummer, not even its hash."""
    if column == "personnummer":
        return f"{ref} has a different personnummer in row {first_row}"
    shown = "|".join(first) if column == "target_groups" else first
    return f"{ref} has {column} {shown or '(none)'} in row {first_row}: the rows of one participant must agree"


def repeated_placement(ref: str, placement_type: str, start: date, first_row: int) -> str:
    return f"the same placement ({ref}, {placement_type} from {start.isoformat()}) is already in row {first_row}"


def read_placements(
    source: Source,
    *,
    secret: bytes,
    name: str | None = None,
    extra_target_groups: Iterable[str] = (),
) -> tuple[tuple[Participant, ...], tuple[Placement, ...]]:
    """Participants (in order of first appearance) and placements of a placements CSV.

    `source` is the CSV text (`str`), its bytes, an open text file or a `Path`.
    `extra_target_groups` are the contract's own groups, accepted besides SPEC's.
    Raises `InputErrors` with every problem of the file.
    """
    participants: dict[str, tuple[int, dict[str, Any]]] = {}
    placements: list[Placement] = []
    placement_rows_seen: dict[str, int] = {}
    with open_placements(source, name) as table:
        error = table.error
        for row, values, valid in placement_rows(table, secret=secret, extra_target_groups=extra_target_groups):
            ref = values.get("participant_ref")
            if ref is None:
                continue
            valid = _merge_participant(participants, ref, row, values, error) and valid
            if not valid:
                continue
            start = values["start"]
            identifier = placement_id(ref, start, values["placement_type"])
            if identifier in placement_rows_seen:
                error(repeated_placement(ref, values["placement_type"], start, placement_rows_seen[identifier]), row)
                continue
            placement_rows_seen[identifier] = row
            placements.append(
                Placement(
                    id=values.get("placement_id", identifier),
                    participant_ref=ref,
                    placement_type=values["placement_type"],
                    start=start,
                    end=values.get("end"),
                    employer_org_number=values.get("employer_org_number"),
                    hours_per_week=values.get("hours_per_week"),
                    days_per_week=values.get("days_per_week"),
                    supervisor_trained=values.get("supervisor_trained"),
                    status=values.get("status", "active"),
                    outcome=values.get("outcome"),
                    outcome_date=values.get("outcome_date"),
                    planned_end=values.get("planned_end"),
                    employed_before_start=values.get("employed_before_start", False),
                )
            )
        table.raise_errors()
    people = tuple(
        Participant(
            ref=ref,
            target_groups=fields.get("target_groups", ()),
            gender=fields.get("gender", "undisclosed"),
            birth_year=fields.get("birth_year"),
            identity_hash=fields.get("personnummer"),
        )
        for ref, (_, fields) in participants.items()
    )
    return people, tuple(placements)


def same_participant_value(column: str, first: Any, value: Any) -> bool:
    # The order of target groups is no difference.
    return set(value or ()) == set(first or ()) if column == "target_groups" else value == first


def _merge_participant(
    participants: dict[str, tuple[int, dict[str, Any]]],
    ref: str,
    row: int,
    values: dict[str, Any],
    error: Any,
) -> bool:
    """Record a row's participant fields; False when they contradict an earlier row's.

    A field left empty in one row and filled in another is no contradiction: contractors
    often fill in a person's details only on their first placement.
    """
    known = participants.get(ref)
    fields = {column: values[column] for column in PARTICIPANT_COLUMNS[1:] if column in values}
    if known is None:
        participants[ref] = (row, fields)
        return True
    first_row, first = known
    agreed = True
    for column, value in fields.items():
        if column not in first:
            first[column] = value
            continue
        if same_participant_value(column, first[column], value):
            continue
        agreed = False
        error(disagreement(ref, column, first[column], first_row), row, column)
    return agreed


def read_labour_hours(source: Source, *, name: str | None = None) -> tuple[LabourHours, ...]:
    """Monthly labour hours per employer: columns month (2017-03), employer_org_number, hours."""
    name = name or _default_name(source, "hours.csv")
    with open_table(source, name, HOURS_COLUMNS, HOURS_COLUMNS) as table:
        return _labour_hours(table)


def _labour_hours(table: Table) -> tuple[LabourHours, ...]:
    parsers = {
        "month": cells.parse_month,
        "employer_org_number": _org_number,
        "hours": cells.decimal_between(Decimal(0), Decimal(10**9), "hours"),
    }
    seen: dict[tuple[date, str], int] = {}
    hours: list[LabourHours] = []
    for row, values, valid in parse_rows(table, parsers, HOURS_COLUMNS, HOURS_COLUMNS):
        if not valid:
            continue
        key = (values["month"], values["employer_org_number"])
        if key in seen:
            table.error(
                f"hours of {key[1]} for {key[0]:%Y-%m} are already in row {seen[key]}", row
            )
            continue
        seen[key] = row
        hours.append(LabourHours(values["month"], values["employer_org_number"], values["hours"]))
    table.raise_errors()
    return tuple(hours)


def read_period_reports(source: Source, *, name: str | None = None) -> tuple[PeriodReport, ...]:
    """Period reports: columns period (2017-Q3 or 2017-09) and submitted_on (empty: not yet)."""
    name = name or _default_name(source, "reports.csv")
    with open_table(source, name, REPORT_COLUMNS, ("period",)) as table:
        return _period_reports(table)


def _period_reports(table: Table) -> tuple[PeriodReport, ...]:
    parsers = {"period": cells.parse_period, "submitted_on": cells.parse_date}
    seen: dict[str, int] = {}
    reports: list[PeriodReport] = []
    for row, values, valid in parse_rows(table, parsers, ("period",), REPORT_COLUMNS):
        if not valid:
            continue
        period = values["period"]
        if period in seen:
            table.error(f"period {period} is already in row {seen[period]}", row, "period")
            continue
        seen[period] = row
        reports.append(PeriodReport(period, values.get("submitted_on")))
    table.raise_errors()
    return tuple(reports)


def _default_name(source: Source, fallback: str) -> str:
    return str(source) if isinstance(source, Path) else fallback


# Writers: the same columns, so that write → read gives the same records back.


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (tuple, list)):
        return neutralise("|".join(value))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def _write(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return out.getvalue()


def write_placements_csv(
    participants: Iterable[Participant], placements: Iterable[Placement], *, with_ids: bool = False
) -> str:
    """The placements as CSV, pseudonymous: no personnummer column (only its hash is known).

    The extension columns appear only when some record uses them, so that an ordinary
    export has exactly SPEC's columns. A participant's identity hash is written as its
    `person_key`: callers that hand the file to others re-key it first (see
    procure.reports.attachments). `with_ids` adds each placement's id.
    """
    people = {participant.ref: participant for participant in participants}
    placements = list(placements)
    extensions = [
        column
        for column, used in (
            ("planned_end", any(p.planned_end for p in placements)),
            ("employed_before_start", any(p.employed_before_start for p in placements)),
            ("person_key", any(p.identity_hash for p in people.values())),
            ("placement_id", with_ids),
        )
        if used
    ]
    header = [column for column in PLACEMENT_COLUMNS if column != "personnummer"] + extensions
    rows = []
    for placement in placements:
        person = people.get(placement.participant_ref) or Participant(placement.participant_ref)
        row = {
            "participant_ref": person.ref,
            "target_groups": person.target_groups,
            "gender": person.gender,
            "birth_year": person.birth_year,
            "person_key": person.identity_hash,
            "placement_id": placement.id,
            **{column: getattr(placement, column) for column in header[4:] if hasattr(placement, column)},
        }
        rows.append([row[column] for column in header])
    return _write(header, rows)


def write_labour_hours_csv(hours: Iterable[LabourHours]) -> str:
    return _write(
        HOURS_COLUMNS,
        ([f"{entry.month:%Y-%m}", entry.employer_org_number, entry.hours] for entry in hours),
    )


def write_period_reports_csv(reports: Iterable[PeriodReport]) -> str:
    return _write(REPORT_COLUMNS, ([report.period, report.submitted_on] for report in reports))


__all__ = [
    "open_placements",
    "placement_id",
    "placement_rows",
    "read_labour_hours",
    "read_period_reports",
    "read_placements",
    "write_labour_hours_csv",
    "write_period_reports_csv",
    "write_placements_csv",
]
