"""The evidence as rows for auditors who work in a spreadsheet: CSV and XLSX.

One row per placement and clause. Cells come from contractors' input, so a value a
spreadsheet would run as a formula (=, +, -, @, tab, CR first) is neutralised: a leading
apostrophe in CSV, an explicit string cell in XLSX.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.worksheet.worksheet import Worksheet

from procure.domain.model import Contract, ContractRecords
from procure.reports.evidence import placement_evidence

COLUMNS = (
    "contract",
    "clause",
    "verdict",
    "qualified_on",
    "reason",
    "placement_id",
    "participant_ref",
    "target_groups",
    "gender",
    "birth_year",
    "placement_type",
    "employer_org_number",
    "start",
    "end",
    "hours_per_week",
    "days_per_week",
    "supervisor_trained",
    "status",
    "outcome",
    "outcome_date",
)

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (tuple, list)):
        return "|".join(str(v) for v in value)
    return str(value)


def evidence_rows(contract: Contract, records: ContractRecords, result: Any) -> list[dict[str, str]]:
    rows = []
    for item in placement_evidence(contract, records, result):
        placement, participant = item.placement, item.participant
        for verdict in item.verdicts:
            rows.append({
                "contract": contract.reference,
                "clause": verdict.clause_code,
                "verdict": verdict.verdict,
                "qualified_on": _text(verdict.qualified_on),
                "reason": _text(verdict.reason),
                "placement_id": _text(placement.id),
                "participant_ref": placement.participant_ref,
                "target_groups": _text(participant.target_groups if participant else None),
                "gender": _text(participant.gender if participant else None),
                "birth_year": _text(participant.birth_year if participant else None),
                "placement_type": placement.placement_type,
                "employer_org_number": _text(placement.employer_org_number),
                "start": placement.start.isoformat(),
                "end": _text(placement.end and placement.end.isoformat()),
                "hours_per_week": _text(placement.hours_per_week),
                "days_per_week": _text(placement.days_per_week),
                "supervisor_trained": _text(placement.supervisor_trained),
                "status": placement.status,
                "outcome": _text(placement.outcome),
                "outcome_date": _text(placement.outcome_date and placement.outcome_date.isoformat()),
            })
    return rows


def neutralise(value: str) -> str:
    """A cell a spreadsheet would treat as a formula, made plain text with a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def evidence_csv(rows: list[dict[str, str]]) -> str:
    """The rows as CSV text; written to a file as UTF-8 with a BOM ("utf-8-sig"), without
    which Excel shows å, ä and ö wrongly."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: neutralise(row.get(key, "")) for key in COLUMNS})
    return out.getvalue()


def evidence_xlsx(rows: list[dict[str, str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook has one worksheet, the active one
    sheet.title = "evidence"
    sheet.append(list(COLUMNS))
    for row_number, row in enumerate(rows, start=2):
        for column_number, key in enumerate(COLUMNS, start=1):
            value = row.get(key, "")
            cell = sheet.cell(row=row_number, column=column_number)
            # Assigning sets the type from the value ("=…" would become a formula);
            # forcing the string type keeps it inert text.
            cell.value = value
            cell.data_type = TYPE_STRING
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
