"""The evidence for spreadsheets: one row per placement and clause, formulas neutralised."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import replace

import pytest
from openpyxl import load_workbook

from procure.reports.evidence_export import evidence_csv, evidence_rows, evidence_xlsx

from report_fixtures import rendered

HOSTILE = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_one_row_per_placement_and_clause_saying_whether_it_counted() -> None:
    report = rendered("remonthagen", "en")
    rows = evidence_rows(report.contract, report.records, report.result)
    placement_clauses = [c for c in report.result["clauses"] if c["rule"] != "reporting"]
    assert len(placement_clauses) < len(report.result["clauses"]), "the example should have a reporting clause"
    assert len(rows) == len(report.records.placements) * len(placement_clauses)
    assert {row["clause"] for row in rows} == {c["code"] for c in placement_clauses}
    by_key = {(row["clause"], row["participant_ref"], row["verdict"]): row for row in rows}
    for clause in report.result["clauses"]:
        for entry in clause["excluded"]:
            assert by_key[(clause["code"], entry["participant_ref"], "excluded")]["reason"] == entry["reason"]
        for entry in clause["counted"]:
            assert (clause["code"], entry["participant_ref"], "counted") in by_key


@pytest.fixture
def hostile_rows() -> list[dict[str, str]]:
    report = rendered("remonthagen", "en")
    rows = evidence_rows(report.contract, report.records, report.result)[: len(HOSTILE)]
    return [{**row, "participant_ref": value, "reason": value} for row, value in zip(rows, HOSTILE)]


def test_csv_cells_that_would_be_formulas_get_an_apostrophe(hostile_rows: list[dict[str, str]]) -> None:
    read = list(csv.DictReader(io.StringIO(evidence_csv(hostile_rows))))
    assert [row["participant_ref"] for row in read] == ["'" + value for value in HOSTILE]
    assert read[0]["clause"] == hostile_rows[0]["clause"]  # ordinary cells untouched


def test_xlsx_cells_that_look_like_formulas_are_strings(hostile_rows: list[dict[str, str]]) -> None:
    data = evidence_xlsx(hostile_rows)
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    sheet = load_workbook(io.BytesIO(data)).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("participant_ref") + 1
    for row_number, value in enumerate(HOSTILE, start=2):
        cell = sheet.cell(row=row_number, column=column)
        assert cell.data_type == "s"
        # XML itself normalises a carriage return to a line feed; what matters is the text.
        assert cell.value == value.replace("\r", "\n")
