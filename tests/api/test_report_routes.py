"""The audit report over the API: the PDF and its issuance record, the cache, verification,
the evidence spreadsheets, and who may have them."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import uuid
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import Engine
from sqlmodel import Session, select

from procure.domain.vocabulary import STATUS_LABELS
from procure.formats.contract_toml import load_contract_file
from procure.services.access import Principal
from procure.services.contracts import import_contract
from procure.services.placement_import import import_placements
from procure.services.reports import MAX_REPORT_BYTES
from procure.storage.models import AuditLogEntry, IssuedReport

CONTRACTS = Path(__file__).parents[2] / "contracts"
SECRET = b"report-routes-secret-0123456789abcdef"
AS_OF = "2018-06-30"
# A participant reference a spreadsheet would run as a formula.
FORMULA_REF = "=1+2"


@pytest.fixture
def contract_id(clean_database: Engine, tenants, tmp_path: Path) -> uuid.UUID:
    """Remonthagen with its placements (and one whose reference looks like a formula),
    reported by Skanska; Jämtbygg is appointed subcontractor and Revisionsbyrån auditor."""
    placements = tmp_path / "placements.csv"
    text = (CONTRACTS / "remonthagen.placements.csv").read_text(encoding="utf-8")
    placements.write_text(
        text + f"{FORMULA_REF};newcomer;female;1991;;internship;2017-01-09;2017-04-28;40;5;556033-4285;ja;completed;;\n",
        encoding="utf-8",
    )
    with Session(clean_database, expire_on_commit=False) as session:
        contract = import_contract(session, None, load_contract_file(CONTRACTS / "remonthagen.toml"), accept=True).contract
        contractor = tenants.users["contractor"]
        acting = Principal(contractor.id, contractor.email, "contractor", contractor.organisation_id)
        import_placements(session, acting, contract.id, placements, secret=SECRET)
        session.commit()
        return contract.id


def report_url(contract_id: uuid.UUID, query: str = f"as_of={AS_OF}") -> str:
    return f"/api/contracts/{contract_id}/report.pdf?{query}"


def pdf_text(pdf: bytes) -> str:
    raw = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"[\s\u00a0\u202f]+", " ", raw)


def downloads(engine: Engine, contract_id: uuid.UUID) -> list[IssuedReport]:
    with Session(engine) as session:
        return list(session.exec(
            select(IssuedReport).where(IssuedReport.contract_id == contract_id).order_by(IssuedReport.issued_at)
        ).all())


def test_the_report_is_a_pdf_with_the_verdict_and_its_issuance_is_recorded(api_client, tenants, contract_id, clean_database):
    overall = api_client.get(f"/api/contracts/{contract_id}/compliance?as_of={AS_OF}",
                             headers=tenants.headers["buyer"]).json()["overall"]

    response = api_client.get(report_url(contract_id, f"as_of={AS_OF}&lang=en"), headers=tenants.headers["buyer"])

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="OH-2016-REMONTHAGEN_2018-06-30_en.pdf"' in response.headers["content-disposition"]
    text = pdf_text(response.content)
    assert "OH-2016-REMONTHAGEN" in text
    assert STATUS_LABELS[overall]["en"] in text
    report_id = response.headers["x-report-id"]
    assert report_id in text

    [row] = downloads(clean_database, contract_id)
    assert str(row.id) == report_id
    assert (row.as_of.isoformat(), row.lang, row.issued_to) == (AS_OF, "en", tenants.users["buyer"].id)
    assert row.sha256 == hashlib.sha256(response.content).hexdigest() == response.headers["x-report-sha256"]
    with Session(clean_database) as session:
        entry = session.exec(select(AuditLogEntry).order_by(AuditLogEntry.sequence.desc())).first()
    assert (entry.action, entry.object_type, entry.object_id) == ("issue", "report", report_id)
    assert entry.actor_user_id == tenants.users["buyer"].id


def test_swedish_unless_asked(api_client, tenants, contract_id):
    overall = api_client.get(f"/api/contracts/{contract_id}/compliance?as_of={AS_OF}",
                             headers=tenants.headers["auditor"]).json()["overall"]
    response = api_client.get(report_url(contract_id), headers=tenants.headers["auditor"])
    assert response.status_code == 200, response.text
    assert 'filename="OH-2016-REMONTHAGEN_2018-06-30_sv.pdf"' in response.headers["content-disposition"]
    assert STATUS_LABELS[overall]["sv"] in pdf_text(response.content)


def test_unchanged_data_gives_the_identical_file_and_every_download_is_recorded(api_client, tenants, contract_id, clean_database):
    first = api_client.get(report_url(contract_id), headers=tenants.headers["buyer"])
    second = api_client.get(report_url(contract_id), headers=tenants.headers["auditor"])

    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second.headers["x-report-id"] == first.headers["x-report-id"]
    rows = downloads(clean_database, contract_id)
    assert [row.issued_to for row in rows] == [tenants.users["buyer"].id, tenants.users["auditor"].id]
    assert {row.sha256 for row in rows} == {hashlib.sha256(first.content).hexdigest()}
    assert str(rows[0].id) == first.headers["x-report-id"]

    # Another date, or a change to what the report shows, is another report.
    other_day = api_client.get(report_url(contract_id, "as_of=2017-03-31"), headers=tenants.headers["buyer"])
    assert other_day.content != first.content
    contract = api_client.get(f"/api/contracts/{contract_id}", headers=tenants.headers["buyer"]).json()
    patched = api_client.patch(f"/api/contracts/{contract_id}", headers=tenants.headers["buyer"],
                               json={"title": "Remonthagen, etapp 2", "version": contract["version"]})
    assert patched.status_code == 200, patched.text
    changed = api_client.get(report_url(contract_id), headers=tenants.headers["buyer"])
    assert changed.content != first.content
    assert "Remonthagen, etapp 2" in pdf_text(changed.content)
    assert len(downloads(clean_database, contract_id)) == 4


@pytest.mark.parametrize("route", ["report.pdf", "evidence.csv", "evidence.xlsx"])
def test_only_the_buyer_and_appointed_auditors_get_reports(api_client, tenants, contract_id, route, clean_database):
    url = f"/api/contracts/{contract_id}/{route}?as_of={AS_OF}"
    found = {role: api_client.get(url, headers=tenants.headers[role]).status_code
             for role in ("contractor", "subcontractor", "admin", "other_buyer", "other_contractor")}
    assert found == {"contractor": 403, "subcontractor": 403, "admin": 404, "other_buyer": 404, "other_contractor": 404}
    assert downloads(clean_database, contract_id) == []


@pytest.mark.parametrize(("query", "field"), [("as_of=30/06/2018", "as_of"), ("as_of=2018-06-30&lang=de", "lang")])
def test_a_bad_parameter_is_400_naming_it(api_client, tenants, contract_id, query, field):
    response = api_client.get(report_url(contract_id, query), headers=tenants.headers["buyer"])
    assert response.status_code == 400
    assert [problem["field"] for problem in response.json()["problems"]] == [field]
    assert field in response.json()["error"]


# -- verification ------------------------------------------------------------------------


@pytest.fixture
def issued(api_client, tenants, contract_id) -> bytes:
    response = api_client.get(report_url(contract_id, f"as_of={AS_OF}&lang=en"), headers=tenants.headers["buyer"])
    assert response.status_code == 200, response.text
    return response.content


def verify(api_client, headers, content: bytes, *, raw: bool = False):
    if raw:
        return api_client.post("/api/reports/verify", content=content, headers={**headers, "Content-Type": "application/pdf"})
    return api_client.post("/api/reports/verify", files={"file": ("report.pdf", content, "application/pdf")}, headers=headers)


@pytest.mark.parametrize("raw", [False, True], ids=["multipart", "raw"])
def test_an_issued_report_is_recognised_with_its_contract_and_date(api_client, tenants, issued, raw, clean_database, contract_id):
    response = verify(api_client, tenants.headers["auditor"], issued, raw=raw)

    assert response.status_code == 200, response.text
    answer = response.json()
    [row] = downloads(clean_database, contract_id)
    assert answer["issued"] is True
    assert (answer["contract"], answer["contract_id"], answer["as_of"], answer["lang"]) == (
        "OH-2016-REMONTHAGEN", str(contract_id), AS_OF, "en")
    assert answer["report_id"] == str(row.id)
    assert answer["downloads"] == 1
    assert answer["reason"] is None
    assert answer["checks"]["valid"] is True
    assert answer["checks"]["digest"] == row.sha256


def test_one_changed_byte_is_not_issued(api_client, tenants, issued):
    # A digit of the report id in the page text's neighbourhood would do; any byte does.
    position = len(issued) // 2
    changed = issued[:position] + bytes([issued[position] ^ 0x01]) + issued[position + 1:]

    answer = verify(api_client, tenants.headers["buyer"], changed).json()

    assert answer["issued"] is False
    assert answer["reason"].startswith("not issued by this installation")
    assert answer["checks"]["valid"] is False
    assert answer["contract"] is None and answer["report_id"] is None


def test_a_reader_of_another_tenant_learns_only_that_it_was_issued(api_client, tenants, issued):
    answer = verify(api_client, tenants.headers["other_buyer"], issued).json()
    assert answer["issued"] is True
    assert answer["details_withheld"] is True
    assert [answer[key] for key in ("contract", "contract_id", "as_of", "lang", "issued_at", "report_id")] == [None] * 6


@pytest.mark.parametrize(
    ("content", "status", "words"),
    [
        (b"PK\x03\x04 a zip file, not a report", 422, "not a PDF"),
        (b"", 422, "empty"),
        (b"%PDF-1.7\n" + b"0" * MAX_REPORT_BYTES, 413, "larger than 20 MB"),
    ],
    ids=["not-pdf", "empty", "too-large"],
)
def test_what_is_not_a_report_is_refused_clearly(api_client, tenants, clean_database, content, status, words):
    for raw in (True, False):
        response = verify(api_client, tenants.headers["contractor"], content, raw=raw)
        assert response.status_code == status, response.text
        assert words in response.json()["error"]


def test_a_form_without_a_file_is_422(api_client, tenants, clean_database):
    response = api_client.post("/api/reports/verify", data={"note": "no file"}, headers=tenants.headers["buyer"])
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "file"


def test_verification_needs_a_signed_in_user(api_client, issued):
    assert verify(api_client, {}, issued).status_code == 401


# -- evidence --------------------------------------------------------------------------


def test_evidence_csv_lists_every_placement_and_neutralises_formulas(api_client, tenants, contract_id):
    response = api_client.get(f"/api/contracts/{contract_id}/evidence.csv?as_of={AS_OF}", headers=tenants.headers["auditor"])

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="OH-2016-REMONTHAGEN_2018-06-30_evidence.csv"' in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for å, ä, ö
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    refs = {row["participant_ref"] for row in rows}
    assert "P-0001" in refs
    assert "'" + FORMULA_REF in refs and FORMULA_REF not in refs
    assert {row["verdict"] for row in rows} >= {"counted", "excluded"}


def test_evidence_xlsx_keeps_formulas_as_text(api_client, tenants, contract_id):
    response = api_client.get(f"/api/contracts/{contract_id}/evidence.xlsx?as_of={AS_OF}", headers=tenants.headers["buyer"])

    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("participant_ref") + 1
    cells = [sheet.cell(row=n, column=column) for n in range(2, sheet.max_row + 1)]
    formula_cells = [cell for cell in cells if cell.value == FORMULA_REF]
    assert formula_cells and all(cell.data_type == "s" for cell in formula_cells)
