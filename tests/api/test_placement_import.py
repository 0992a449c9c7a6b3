"""The placements CSV import over the API: all or nothing, idempotent, bounded, in bulk."""

from __future__ import annotations

import logging
import random
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from procure.services import placement_import
from procure.storage.models import AuditLogEntry

from contract_setup import add_contract, fingerprint

TABLES = ("participants", "placements", "audit_log")
HEADER = "participant_ref,target_groups,gender,birth_year,personnummer,placement_type,start,end,hours_per_week,days_per_week,employer_org_number,supervisor_trained,status"
CSV = {"Content-Type": "text/csv"}


@pytest.fixture
def contract_id(tenants, clean_database):
    return add_contract(clean_database, tenants)


def rows(tenants, count: int = 3, seed: int = 7) -> list[str]:
    """`count` realistic rows: 8-week internships of 3 days work + 2 days SFI, some by the subcontractor."""
    rnd = random.Random(seed)
    employers = [tenants.org_number("contractor")] * 3 + [tenants.org_number("subcontractor")]
    lines = []
    for number in range(1, count + 1):
        start = date(2016, 3, 1) + timedelta(days=rnd.randrange(0, 700))
        end = start + timedelta(weeks=8, days=-1)
        lines.append(
            f"P-{number:05d},newcomer|unemployed_youth,{rnd.choice(['female', 'male'])},{rnd.randrange(1970, 2000)},,"
            f"internship,{start},{end},24,3,{rnd.choice(employers)},yes,completed"
        )
    return lines


def csv_text(lines: list[str]) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


def post(client, headers, contract_id, text: str, **params):
    return client.post(
        f"/api/contracts/{contract_id}/placements/import", content=text.encode("utf-8"), headers={**headers, **CSV}, params=params
    )


def test_import_creates_placements_and_the_same_file_again_changes_nothing(api_client, tenants, clean_database, contract_id):
    headers = tenants.headers["contractor"]
    text = csv_text(rows(tenants, 20))
    first = post(api_client, headers, contract_id, text)
    assert first.status_code == 200, first.text
    assert (first.json()["created"], first.json()["updated"], first.json()["participants_created"]) == (20, 0, 20)
    before = fingerprint(clean_database, *TABLES)

    again = post(api_client, headers, contract_id, text)
    assert again.status_code == 200, again.text
    assert (again.json()["created"], again.json()["updated"], again.json()["unchanged"]) == (0, 0, 20)
    assert fingerprint(clean_database, *TABLES) == before
    listed = api_client.get(f"/api/contracts/{contract_id}/placements", params={"limit": 500}, headers=headers).json()
    assert listed["total"] == 20
    assert {item["status"] for item in listed["items"]} == {"completed"}


def test_one_import_is_one_audit_entry_with_counts_and_file_hash(api_client, tenants, clean_database, contract_id):
    import hashlib

    text = csv_text(rows(tenants, 5))
    post(api_client, tenants.headers["contractor"], contract_id, text)
    with Session(clean_database) as session:
        entries = session.exec(select(AuditLogEntry)).all()
    assert len(entries) == 1
    assert entries[0].object_id == hashlib.sha256(text.encode()).hexdigest()
    assert entries[0].after["created"] == 5


def test_a_changed_row_updates_only_that_placement(api_client, tenants, clean_database, contract_id):
    headers = tenants.headers["contractor"]
    lines = rows(tenants, 4)
    post(api_client, headers, contract_id, csv_text(lines))
    lines[2] = lines[2].replace(",24,3,", ",32,4,")
    changed = post(api_client, headers, contract_id, csv_text(lines))
    assert changed.status_code == 200, changed.text
    assert (changed.json()["created"], changed.json()["updated"], changed.json()["unchanged"]) == (0, 1, 3)
    ref = lines[2].split(",")[0]
    item = api_client.get(f"/api/contracts/{contract_id}/placements", params={"participant_ref": ref}, headers=headers).json()["items"][0]
    assert (float(item["hours_per_week"]), float(item["days_per_week"]), item["version"]) == (32, 4, 2)


def test_one_bad_row_writes_nothing_and_every_error_has_row_and_column(api_client, tenants, clean_database, contract_id):
    headers = tenants.headers["contractor"]
    post(api_client, headers, contract_id, csv_text(rows(tenants, 3, seed=1)))
    before = fingerprint(clean_database, *TABLES)
    lines = rows(tenants, 6, seed=2)
    lines[3] = lines[3].replace("internship", "vacation")
    lines[4] = lines[4].replace(tenants.org_number("contractor"), tenants.org_number("other_contractor")).replace(
        tenants.org_number("subcontractor"), tenants.org_number("other_contractor")
    )

    response = post(api_client, headers, contract_id, csv_text(lines))

    assert response.status_code == 422
    problems = response.json()["problems"]
    assert {(problem["row"], problem["column"]) for problem in problems} == {(5, "placement_type"), (6, "employer_org_number")}
    assert fingerprint(clean_database, "participants", "placements") == {k: before[k] for k in ("participants", "placements")}
    with Session(clean_database) as session:
        logged = session.exec(select(AuditLogEntry).order_by(AuditLogEntry.sequence)).all()
    # Only the failure is logged, with its counts (issue 12, finding 2).
    assert [(entry.action, entry.after) for entry in logged[-1:]] == [("import_failed", {"rows": 6, "errors": 2})]
    assert len(logged) == before["audit_log"][0] + 1


def test_employer_errors_found_after_parsing_name_their_row(api_client, tenants, clean_database, contract_id):
    lines = rows(tenants, 5)
    lines[1] = lines[1].replace(tenants.org_number("contractor"), tenants.org_number("other_contractor")).replace(
        tenants.org_number("subcontractor"), tenants.org_number("other_contractor")
    )
    response = post(api_client, tenants.headers["contractor"], contract_id, csv_text(lines))
    assert response.status_code == 422
    [problem] = response.json()["problems"]
    assert (problem["row"], problem["column"]) == (3, "employer_org_number")
    assert "neither the contractor nor an appointed subcontractor" in problem["message"]
    assert fingerprint(clean_database, "placements")["placements"][0] == 0


def test_a_subcontractor_imports_only_rows_of_its_own_organisation(api_client, tenants, contract_id):
    sub = tenants.headers["subcontractor"]
    own = tenants.org_number("subcontractor")
    lines = [line.replace(tenants.org_number("contractor"), own) for line in rows(tenants, 3)]
    accepted = post(api_client, sub, contract_id, csv_text(lines))
    assert accepted.status_code == 200, accepted.text
    lines.append(rows(tenants, 4)[3].replace("P-00004", "P-00099").replace(own, tenants.org_number("contractor")))
    refused = post(api_client, sub, contract_id, csv_text(lines))
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["row"] == 5
    assert "own organisation" in refused.json()["problems"][0]["message"]


def test_ten_thousand_rows_import_in_one_go(api_client, tenants, clean_database, contract_id):
    response = post(api_client, tenants.headers["contractor"], contract_id, csv_text(rows(tenants, 10_000)))
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 10_000
    assert fingerprint(clean_database, "placements")["placements"][0] == 10_000


def test_a_body_over_the_limit_is_refused_with_413(api_client, tenants, clean_database, contract_id):
    oversized = HEADER + "\n" + "x" * placement_import.MAX_IMPORT_BYTES
    response = post(api_client, tenants.headers["contractor"], contract_id, oversized)
    assert response.status_code == 413
    assert "MB" in response.json()["error"]


def test_a_streamed_body_over_the_limit_is_refused(api_client, tenants, contract_id, monkeypatch):
    # No Content-Length to go by: the count of streamed bytes decides.
    monkeypatch.setattr(placement_import, "MAX_IMPORT_BYTES", 1000)

    def chunks():
        yield (HEADER + "\n").encode()
        for _ in range(20):
            yield b"y" * 100

    response = api_client.post(
        f"/api/contracts/{contract_id}/placements/import", content=chunks(), headers={**tenants.headers["contractor"], **CSV}
    )
    assert response.status_code == 413


def test_multipart_upload_imports_the_file(api_client, tenants, contract_id):
    response = api_client.post(
        f"/api/contracts/{contract_id}/placements/import",
        files={"file": ("placements.csv", csv_text(rows(tenants, 3)).encode(), "text/csv")},
        headers=tenants.headers["contractor"],
    )
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 3


def test_changes_in_a_submitted_period_need_a_reason(api_client, tenants, clean_database, contract_id):
    headers = tenants.headers["contractor"]
    line = f"P-1,newcomer,female,1990,,internship,2017-08-01,2017-09-30,24,3,{tenants.org_number('contractor')},yes,completed"
    post(api_client, headers, contract_id, csv_text([line]))
    api_client.post(f"/api/contracts/{contract_id}/reports", json={"period": "2017-Q3", "submitted_on": "2017-10-05"}, headers=headers)
    changed = csv_text([line.replace(",24,3,", ",30,3,")])

    refused = post(api_client, headers, contract_id, changed)
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["row"] == 2
    assert "submitted period 2017-Q3" in refused.json()["problems"][0]["message"]
    accepted = post(api_client, headers, contract_id, changed, reason="hours corrected after payroll check")
    assert accepted.status_code == 200, accepted.text
    with Session(clean_database) as session:
        last = session.exec(select(AuditLogEntry).order_by(AuditLogEntry.sequence.desc())).first()
    assert last.reason == "hours corrected after payroll check"


def test_personal_numbers_in_a_file_are_never_echoed(api_client, tenants, clean_database, contract_id, caplog):
    caplog.set_level(logging.DEBUG)
    number = tenants.org_number("contractor")
    good = f"P-1,newcomer,female,1990,19121212-1212,internship,2017-08-01,2017-09-30,24,3,{number},yes,completed"
    bad = f"P-2,newcomer,male,1990,19121212-1213,internship,2017-08-01,2017-09-30,24,3,{number},yes,completed"
    refused = post(api_client, tenants.headers["contractor"], contract_id, csv_text([good, bad]))
    accepted = post(api_client, tenants.headers["contractor"], contract_id, csv_text([good]))
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["column"] == "personnummer"
    assert accepted.status_code == 200
    for digits in ("121212", "1212121"):
        assert digits not in refused.text + accepted.text + caplog.text


def test_an_empty_body_and_another_tenant_are_refused(api_client, tenants, contract_id):
    assert post(api_client, tenants.headers["contractor"], contract_id, "").status_code == 422
    assert post(api_client, tenants.headers["other_contractor"], contract_id, csv_text(rows(tenants, 1))).status_code == 404
    assert post(api_client, tenants.headers["auditor"], contract_id, csv_text(rows(tenants, 1))).status_code == 403
