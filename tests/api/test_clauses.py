"""Clauses and waivers over the API, validated exactly as the contract TOML files are."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w

from appointment_consent import accept_all

from procure.formats.contract_toml import load_contract
from procure.formats.errors import InputErrors

REMONTHAGEN = Path(__file__).parents[2] / "contracts" / "remonthagen.toml"
TOML = {"Content-Type": "application/toml"}

GOOD_CLAUSE = {
    "code": "SC-5",
    "title": "Summer jobs for youth",
    "text": "Leverantören ska erbjuda minst fem feriejobb per år.",
    "rule": "placement_count",
    "target": 5,
    "period": "year",
    "placement_types": ["summer_job"],
    "target_groups": ["unemployed_youth"],
    "min_weeks": 3,
    "penalty": {"per_unit_sek": 10_000},
}

# Clauses that a contract TOML refuses, and the field it names.
BAD_CLAUSES = [
    ({"min_weeks": -3}, "clause[SC-5].min_weeks"),
    ({"rule": "placement_cuont"}, "clause[SC-5].rule"),
    ({"target": 5.5}, "clause[SC-5].target"),
    ({"target_groups": ["newcomers"]}, "clause[SC-5].target_groups"),
    ({"placement_types": []}, "clause[SC-5].placement_types"),
    ({"penalty": {"per_unit": 10_000}}, "clause[SC-5].penalty"),
    ({"require_trained_supervisor": "yes"}, "clause[SC-5].require_trained_supervisor"),
    ({"shares": 0.4}, "clause[SC-5].shares"),
    ({"code": "SC-1"}, "clause[SC-1].code"),  # used by the contract already
]


def import_remonthagen(client, tenants) -> str:
    response = client.post("/api/contracts/import", content=REMONTHAGEN.read_bytes(), headers={**tenants.headers["buyer"], **TOML})
    assert response.status_code == 200
    accept_all(client, tenants)
    return response.json()["contract"]["id"]


def toml_fields(changes: dict) -> list[str]:
    """The fields the contract TOML loader names for the clause appended to remonthagen.toml."""
    clause = {key: value for key, value in {**GOOD_CLAUSE, **changes}.items() if value is not None}
    text = REMONTHAGEN.read_text(encoding="utf-8") + "\n" + tomli_w.dumps({"clause": [clause]})
    with pytest.raises(InputErrors) as raised:
        load_contract(text)
    return [error.field for error in raised.value.errors]


def test_a_clause_is_added_read_and_listed(api_client, tenants):
    contract_id = import_remonthagen(api_client, tenants)
    url = f"/api/contracts/{contract_id}/clauses"
    created = api_client.post(url, json=GOOD_CLAUSE, headers=tenants.headers["buyer"])
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["table"] == GOOD_CLAUSE
    assert body["parameters"] == {"target": 5, "period": "year"}
    assert body["filters"] == {"placement_types": ["summer_job"], "target_groups": ["unemployed_youth"], "min_weeks": 3}
    assert body["position"] == 4 and body["version"] == 1

    listed = api_client.get(url, headers=tenants.headers["auditor"]).json()
    assert [c["code"] for c in listed] == ["SC-1", "SC-2", "SC-3", "SC-4", "SC-5"]
    assert listed[1]["parameters"]["share"] == 0.4  # a number, not a string
    one = api_client.get(f"{url}/{body['id']}", headers=tenants.headers["contractor"])
    assert one.json()["table"] == GOOD_CLAUSE
    # The export carries the new clause as written.
    exported = load_contract(api_client.get(f"/api/contracts/{contract_id}/export", headers=tenants.headers["buyer"]).text)
    assert exported.clauses[-1].code == "SC-5" and exported.clauses[-1].filters.placement_types == ("summer_job",)


def test_a_short_clause_without_tables_is_accepted(api_client, tenants):
    contract_id = import_remonthagen(api_client, tenants)
    clause = {"code": "SC-9", "title": "En praktikplats", "rule": "placement_count", "target": 1}
    response = api_client.post(f"/api/contracts/{contract_id}/clauses", json=clause, headers=tenants.headers["buyer"])
    assert response.status_code == 201, response.text
    assert response.json()["table"] == clause


@pytest.mark.parametrize(("changes", "field"), BAD_CLAUSES, ids=[f for _c, f in BAD_CLAUSES])
def test_the_api_refuses_what_the_toml_refuses_with_the_same_field(api_client, tenants, changes, field):
    assert toml_fields(changes) == [field]
    contract_id = import_remonthagen(api_client, tenants)
    response = api_client.post(
        f"/api/contracts/{contract_id}/clauses", json={**GOOD_CLAUSE, **changes}, headers=tenants.headers["buyer"]
    )
    assert response.status_code == 422, response.text
    assert [problem["field"] for problem in response.json()["problems"]] == [field]
    assert len(api_client.get(f"/api/contracts/{contract_id}/clauses", headers=tenants.headers["buyer"]).json()) == 4


def test_a_contracts_own_target_group_is_accepted_only_on_that_contract(api_client, tenants):
    contract_id = import_remonthagen(api_client, tenants)
    clause = {**GOOD_CLAUSE, "target_groups": ["roma_inclusion"]}
    url = f"/api/contracts/{contract_id}/clauses"
    refused = api_client.post(url, json=clause, headers=tenants.headers["buyer"])
    assert refused.status_code == 422
    contract = api_client.get(f"/api/contracts/{contract_id}", headers=tenants.headers["buyer"]).json()
    api_client.patch(
        f"/api/contracts/{contract_id}",
        json={"extra_target_groups": ["roma_inclusion"], "version": contract["version"]},
        headers=tenants.headers["buyer"],
    )
    assert api_client.post(url, json=clause, headers=tenants.headers["buyer"]).status_code == 201


def test_patch_changes_keys_removes_null_ones_and_checks_the_version(api_client, tenants):
    contract_id = import_remonthagen(api_client, tenants)
    url = f"/api/contracts/{contract_id}/clauses"
    clause = api_client.get(url, headers=tenants.headers["buyer"]).json()[0]
    changed = api_client.patch(
        f"{url}/{clause['id']}", json={"target": 18, "penalty": None, "version": clause["version"]}, headers=tenants.headers["buyer"]
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["parameters"]["target"] == 18
    assert changed.json()["penalty"] is None and "penalty" not in changed.json()["table"]
    assert changed.json()["version"] == clause["version"] + 1

    stale = api_client.patch(f"{url}/{clause['id']}", json={"target": 17, "version": clause["version"]}, headers=tenants.headers["buyer"])
    assert stale.status_code == 409
    bad = api_client.patch(f"{url}/{clause['id']}", json={"min_weeks": -1, "version": clause["version"] + 1}, headers=tenants.headers["buyer"])
    assert bad.status_code == 422 and bad.json()["problems"][0]["field"] == "clause[SC-1].min_weeks"
    missing = api_client.patch(f"{url}/{clause['id']}", json={"target": 17}, headers=tenants.headers["buyer"])
    assert missing.status_code == 422 and missing.json()["problems"][0]["field"] == "version"


def test_delete_removes_the_clause(api_client, tenants):
    contract_id = import_remonthagen(api_client, tenants)
    url = f"/api/contracts/{contract_id}/clauses"
    clause = api_client.get(url, headers=tenants.headers["buyer"]).json()[3]
    assert api_client.delete(f"{url}/{clause['id']}", headers=tenants.headers["contractor"]).status_code == 403
    assert api_client.delete(f"{url}/{clause['id']}", headers=tenants.headers["buyer"]).status_code == 204
    assert api_client.get(f"{url}/{clause['id']}", headers=tenants.headers["buyer"]).status_code == 404
    assert [c["code"] for c in api_client.get(url, headers=tenants.headers["buyer"]).json()] == ["SC-1", "SC-2", "SC-3"]


@pytest.mark.parametrize("who", ["contractor", "subcontractor", "auditor"])
def test_only_the_buyer_adds_clauses(api_client, tenants, who):
    contract_id = import_remonthagen(api_client, tenants)
    response = api_client.post(f"/api/contracts/{contract_id}/clauses", json=GOOD_CLAUSE, headers=tenants.headers[who])
    assert response.status_code == 403


# -- waivers -----------------------------------------------------------------------------


def test_a_waiver_is_added_listed_honoured_and_taken_back(api_client, tenants):
    contract_id = import_remonthagen(api_client, tenants)
    buyer = tenants.headers["buyer"]
    clause = api_client.get(f"/api/contracts/{contract_id}/clauses", headers=buyer).json()[0]
    url = f"/api/contracts/{contract_id}/clauses/{clause['id']}/waivers"
    compliance = f"/api/contracts/{contract_id}/compliance?as_of=2018-06-30"
    assert api_client.get(compliance, headers=buyer).json()["clauses"][0]["status"] != "waived"

    created = api_client.post(url, json={"period_start": None, "reason": "Byggstopp efter brand"}, headers=buyer)
    assert created.status_code == 201, created.text
    assert api_client.get(url, headers=tenants.headers["auditor"]).json()[0]["reason"] == "Byggstopp efter brand"
    waived = api_client.get(compliance, headers=buyer).json()["clauses"][0]
    assert (waived["status"], waived["waived_reason"]) == ("waived", "Byggstopp efter brand")

    assert api_client.delete(f"{url}/{created.json()['id']}", headers=buyer).status_code == 204
    assert api_client.get(url, headers=buyer).json() == []
    assert api_client.get(compliance, headers=buyer).json()["clauses"][0]["status"] != "waived"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"period_start": "2019-01-01", "reason": "Efter avtalstiden"}, 422, "period_start"),
        ({"period_start": None, "reason": "   "}, 422, "reason"),
        ({"period_start": "2017-13-01", "reason": "x"}, 400, None),
    ],
)
def test_a_bad_waiver_is_refused_naming_the_field(api_client, tenants, body, status, field):
    contract_id = import_remonthagen(api_client, tenants)
    clause = api_client.get(f"/api/contracts/{contract_id}/clauses", headers=tenants.headers["buyer"]).json()[0]
    response = api_client.post(
        f"/api/contracts/{contract_id}/clauses/{clause['id']}/waivers", json=body, headers=tenants.headers["buyer"]
    )
    assert response.status_code == status
    if field:
        assert response.json()["problems"][0]["field"] == field


def test_only_the_buyer_waives(api_client, tenants):
    contract_id = import_remonthagen(api_client, tenants)
    clause = api_client.get(f"/api/contracts/{contract_id}/clauses", headers=tenants.headers["buyer"]).json()[0]
    url = f"/api/contracts/{contract_id}/clauses/{clause['id']}/waivers"
    assert api_client.post(url, json={"reason": "Vi vill"}, headers=tenants.headers["contractor"]).status_code == 403
    assert api_client.post(url, json={"reason": "Vi vill"}, headers=tenants.headers["other_buyer"]).status_code == 404
