"""Labour hours and period reports over the API, with the buyer's accept and return."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from procure.storage.models import AuditLogEntry

from contract_setup import add_contract


@pytest.fixture
def contract_id(tenants, clean_database):
    return add_contract(clean_database, tenants)


def hours_url(contract_id):
    return f"/api/contracts/{contract_id}/hours"


def reports_url(contract_id):
    return f"/api/contracts/{contract_id}/reports"


def test_hours_as_json_are_upserted_per_month_and_employer(api_client, tenants, contract_id):
    headers = tenants.headers["contractor"]
    skanska, jamtbygg = tenants.org_number("contractor"), tenants.org_number("subcontractor")
    body = [
        {"month": "2017-03", "employer_org_number": skanska, "hours": 12000},
        {"month": "2017-03", "employer_org_number": jamtbygg, "hours": "3400.5"},
    ]
    first = api_client.post(hours_url(contract_id), json=body, headers=headers)
    assert first.status_code == 200, first.text
    assert first.json() == {"created": 2, "updated": 0, "unchanged": 0}

    body[0]["hours"] = 12500
    second = api_client.post(hours_url(contract_id), json=body, headers=headers)
    assert second.json() == {"created": 0, "updated": 1, "unchanged": 1}
    listed = api_client.get(hours_url(contract_id), headers=tenants.headers["buyer"]).json()
    assert listed["total"] == 2
    assert {(item["month"], item["employer_org_number"], float(item["hours"])) for item in listed["items"]} == {
        ("2017-03", skanska, 12500.0), ("2017-03", jamtbygg, 3400.5)
    }


def test_hours_as_csv(api_client, tenants, contract_id):
    text = f"month;employer_org_number;hours\n2017-04;{tenants.org_number('contractor')};9800\n2017-05;{tenants.org_number('contractor')};10100\n"
    response = api_client.post(
        hours_url(contract_id), content=text.encode(), headers={**tenants.headers["contractor"], "Content-Type": "text/csv"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 2


def test_hours_errors_name_the_entry_and_nothing_is_saved(api_client, tenants, contract_id):
    headers = tenants.headers["contractor"]
    body = [
        {"month": "2017-13", "employer_org_number": tenants.org_number("contractor"), "hours": 1},
        {"month": "2017-04", "employer_org_number": "556789-0123", "hours": 1},
    ]
    bad_month = api_client.post(hours_url(contract_id), json=body[:1], headers=headers)
    assert bad_month.status_code == 422
    assert bad_month.json()["problems"][0]["field"] == "[0].month"
    stranger = api_client.post(hours_url(contract_id), json=[*body[1:], {**body[1], "month": "2017-05", "employer_org_number": tenants.org_number("contractor")}], headers=headers)
    assert stranger.status_code == 422
    assert stranger.json()["problems"][0]["field"] == "[0].employer_org_number"
    negative = api_client.post(hours_url(contract_id), json=[{**body[1], "hours": -5}], headers=headers)
    assert negative.status_code == 422
    csv_error = api_client.post(
        hours_url(contract_id), content=b"month,employer_org_number,hours\n2017-04,556033-4285,many\n",
        headers={**headers, "Content-Type": "text/csv"},
    )
    assert csv_error.status_code == 422
    assert (csv_error.json()["problems"][0]["row"], csv_error.json()["problems"][0]["column"]) == (2, "hours")
    assert api_client.get(hours_url(contract_id), headers=headers).json()["total"] == 0


def test_a_subcontractor_reports_and_sees_only_its_own_hours(api_client, tenants, contract_id):
    sub = tenants.headers["subcontractor"]
    own = {"month": "2017-03", "employer_org_number": tenants.org_number("subcontractor"), "hours": 100}
    theirs = {"month": "2017-03", "employer_org_number": tenants.org_number("contractor"), "hours": 100}
    assert api_client.post(hours_url(contract_id), json=[own], headers=sub).status_code == 200
    assert api_client.post(hours_url(contract_id), json=[theirs], headers=tenants.headers["contractor"]).status_code == 200
    assert api_client.post(hours_url(contract_id), json=[theirs], headers=sub).status_code == 422
    assert api_client.get(hours_url(contract_id), headers=sub).json()["total"] == 1


def test_report_submit_accept_and_list(api_client, tenants, clean_database, contract_id):
    submitted = api_client.post(reports_url(contract_id), json={"period": "2017-q3", "submitted_on": "2017-10-12"}, headers=tenants.headers["contractor"])
    assert submitted.status_code == 201, submitted.text
    report = submitted.json()
    assert (report["period"], report["period_start"], report["period_end"], report["state"]) == ("2017-Q3", "2017-07-01", "2017-09-30", "submitted")

    assert api_client.post(f"{reports_url(contract_id)}/{report['id']}/accept", headers=tenants.headers["contractor"]).status_code == 403
    accepted = api_client.post(f"{reports_url(contract_id)}/{report['id']}/accept", json={"comment": "Tack"}, headers=tenants.headers["buyer"])
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["state"] == "accepted"
    again = api_client.post(f"{reports_url(contract_id)}/{report['id']}/accept", headers=tenants.headers["buyer"])
    assert again.status_code == 409
    listed = api_client.get(reports_url(contract_id), headers=tenants.headers["auditor"]).json()
    assert [item["period"] for item in listed["items"]] == ["2017-Q3"]
    with Session(clean_database) as session:
        actions = [entry.action for entry in session.exec(select(AuditLogEntry).order_by(AuditLogEntry.sequence))]
    assert actions == ["submit", "accept"]


def test_a_returned_report_can_be_submitted_again(api_client, tenants, contract_id):
    contractor, buyer = tenants.headers["contractor"], tenants.headers["buyer"]
    report = api_client.post(reports_url(contract_id), json={"period": "2017-09"}, headers=contractor).json()
    assert report["submitted_on"] == date.today().isoformat()
    duplicate = api_client.post(reports_url(contract_id), json={"period": "2017-09"}, headers=contractor)
    assert duplicate.status_code == 409

    without_comment = api_client.post(f"{reports_url(contract_id)}/{report['id']}/return", json={}, headers=buyer)
    assert without_comment.status_code == 422
    returned = api_client.post(f"{reports_url(contract_id)}/{report['id']}/return", json={"comment": "P-0017 saknas"}, headers=buyer)
    assert (returned.json()["state"], returned.json()["buyer_comment"]) == ("returned", "P-0017 saknas")

    resubmitted = api_client.post(reports_url(contract_id), json={"period": "2017-09"}, headers=contractor)
    assert resubmitted.status_code == 201, resubmitted.text
    assert (resubmitted.json()["id"], resubmitted.json()["state"]) == (report["id"], "submitted")


@pytest.mark.parametrize(
    "body, field",
    [
        ({"period": "2017-Q5"}, "period"),
        ({"period": "2019-01"}, "period"),  # after the contract ends
        ({"period": "2017-09", "submitted_on": (date.today() + timedelta(days=1)).isoformat()}, "submitted_on"),
        ({"period": "2017-09", "submitted_on": "2017-08-15"}, "submitted_on"),
    ],
)
def test_report_periods_and_dates_are_checked(api_client, tenants, contract_id, body, field):
    response = api_client.post(reports_url(contract_id), json=body, headers=tenants.headers["contractor"])
    assert response.status_code == 422, response.text
    assert response.json()["problems"][0]["field"] == field


def test_a_partial_first_period_is_clipped_to_the_contract(api_client, tenants, contract_id):
    report = api_client.post(reports_url(contract_id), json={"period": "2016-Q1", "submitted_on": "2016-04-20"}, headers=tenants.headers["contractor"]).json()
    assert (report["period_start"], report["period_end"]) == ("2016-03-01", "2016-03-31")


def test_only_the_contractor_submits_reports(api_client, tenants, contract_id):
    for who, status in (("subcontractor", 403), ("buyer", 403), ("auditor", 403), ("other_contractor", 404)):
        response = api_client.post(reports_url(contract_id), json={"period": "2017-09"}, headers=tenants.headers[who])
        assert response.status_code == status, who
