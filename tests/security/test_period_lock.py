"""Finding 7: the period lock has a side door.

After a period report is submitted a placement change needs a reason, but a participant
PATCH (and labour hours) did not. Every object whose change can alter a submitted
period's figures follows the same rule: refused (422, nothing stored) without a reason,
recorded with it (the reason in the audit log).
"""

from __future__ import annotations

import pytest
from contract_setup import fingerprint
from sqlmodel import Session, select

from procure.storage.models import AuditLogEntry

from security_helpers import add_participant, add_placement, csv_import

TABLES = ("participants", "placements", "labour_hours", "audit_log")


@pytest.fixture
def submitted(api_client, tenants, contract_id):
    """P-0001 placed in 2017-Q1, whose report the contractor has submitted."""
    headers = tenants.headers["contractor"]
    participant = add_participant(api_client, headers, contract_id, "P-0001", target_groups=["newcomer"])
    add_placement(api_client, headers, contract_id, "P-0001", start="2017-01-09", end="2017-03-03")
    hours = api_client.post(f"/api/contracts/{contract_id}/hours", headers=headers,
                            json=[{"month": "2017-02", "employer_org_number": tenants.org_number("contractor"), "hours": 900}])
    assert hours.status_code == 200, hours.text
    report = api_client.post(f"/api/contracts/{contract_id}/reports", json={"period": "2017-Q1", "submitted_on": "2017-04-05"},
                             headers=headers)
    assert report.status_code in (200, 201), report.text
    return participant


def _last_reason(engine, object_type: str) -> str | None:
    with Session(engine) as session:
        entry = session.exec(select(AuditLogEntry).where(AuditLogEntry.object_type == object_type)
                             .order_by(AuditLogEntry.sequence.desc())).first()
    return entry.reason


def test_finding_7_a_participant_patch_in_a_submitted_period_needs_a_reason(
    api_client, tenants, clean_database, contract_id, submitted
):
    """Finding 7: the period lock has a side door (participant PATCH)."""
    url = f"/api/contracts/{contract_id}/participants/{submitted['id']}"
    headers = tenants.headers["contractor"]
    before = fingerprint(clean_database, *TABLES)

    silent = api_client.patch(url, json={"target_groups": ["long_term_unemployed"]}, headers=headers)

    assert silent.status_code == 422, silent.text
    assert silent.json()["problems"][0]["field"] == "reason"
    assert "2017-Q1" in silent.json()["error"]
    assert fingerprint(clean_database, *TABLES) == before
    explained = api_client.patch(url, json={"target_groups": ["long_term_unemployed"], "reason": "wrong group at intake"},
                                 headers=headers)
    assert explained.status_code == 200, explained.text
    assert _last_reason(clean_database, "participant") == "wrong group at intake"


def test_finding_7_labour_hours_of_a_submitted_period_need_a_reason(
    api_client, tenants, clean_database, contract_id, submitted
):
    """Finding 7: the period lock has a side door (labour hours)."""
    url = f"/api/contracts/{contract_id}/hours"
    headers = tenants.headers["contractor"]
    body = [{"month": "2017-02", "employer_org_number": tenants.org_number("contractor"), "hours": 1900}]
    before = fingerprint(clean_database, *TABLES)

    silent = api_client.post(url, json=body, headers=headers)
    added = api_client.post(url, headers=headers,
                            json=[{"month": "2017-03", "employer_org_number": tenants.org_number("contractor"), "hours": 5}])

    assert silent.status_code == 422, silent.text
    assert added.status_code == 422, added.text
    assert fingerprint(clean_database, *TABLES) == before
    explained = api_client.post(url, json=body, headers=headers, params={"reason": "payroll corrected"})
    assert explained.status_code == 200, explained.text
    assert _last_reason(clean_database, "labour_hours") == "payroll corrected"
    later = api_client.post(url, headers=headers,
                            json=[{"month": "2017-04", "employer_org_number": tenants.org_number("contractor"), "hours": 5}])
    assert later.status_code == 200, later.text


def test_finding_7_a_new_placement_or_an_imported_participant_change_in_a_submitted_period_needs_a_reason(
    api_client, tenants, clean_database, contract_id, submitted
):
    """Finding 7: the period lock has a side door (a placement added to the period, a
    participant's details changed by the import)."""
    headers = tenants.headers["contractor"]
    add_participant(api_client, headers, contract_id, "P-0002")
    before = fingerprint(clean_database, *TABLES)

    added = api_client.post(f"/api/contracts/{contract_id}/placements", headers=headers,
                            json={"participant_ref": "P-0002", "placement_type": "internship", "start": "2017-02-01"})
    imported = api_client.post(
        f"/api/contracts/{contract_id}/placements/import", headers={**headers, "Content-Type": "text/csv"},
        content=b"participant_ref,target_groups,placement_type,start,end,hours_per_week,status\n"
                b"P-0001,long_term_unemployed,internship,2017-01-09,2017-03-03,24,completed\n",
    )

    assert added.status_code == 422, added.text
    assert imported.status_code == 422, imported.text
    assert "2017-Q1" in imported.json()["problems"][0]["message"]
    assert fingerprint(clean_database, "participants", "placements", "labour_hours") == {
        name: before[name] for name in ("participants", "placements", "labour_hours")}
    again = csv_import(api_client, headers, contract_id, ["P-0002,,internship,2017-02-01,,24,,active"], reason="late report")
    assert again.status_code == 200, again.text
