"""Contracts over the API: create, list, change with versions, TOML import/export, appointments."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from procure.formats.contract_toml import load_contract, load_contract_file
from procure.services import audit_log
from procure.storage.models import Organisation

from api_parties import Tenants, add_user
from appointment_consent import accept_all, accept_invitations

EXAMPLES = sorted((Path(__file__).parents[2] / "contracts").glob("*.toml"))
EXAMPLES = [path for path in EXAMPLES if not path.name.endswith(".cases.toml")]
REMONTHAGEN = Path(__file__).parents[2] / "contracts" / "remonthagen.toml"
TOML = {"Content-Type": "application/toml"}


def import_toml(client, headers, text: str):
    return client.post("/api/contracts/import", content=text.encode("utf-8"), headers={**headers, **TOML})


def buyer_headers(engine, tenants: Tenants, path: Path) -> dict[str, str]:
    """The headers of a buyer of the file's buyer organisation, registered if need be."""
    number = load_contract_file(path).buyer.org_number
    for name, organisation in tenants.organisations.items():
        if organisation.org_number == number and organisation.kind == "buyer":
            return tenants.headers[name]
    with Session(engine) as session:
        buyer = load_contract_file(path).buyer
        organisation = Organisation(name=buyer.name, org_number=buyer.org_number, kind="buyer")
        session.add(organisation)
        session.flush()
        _user, headers = add_user(session, f"buyer@{number}.test", "buyer", organisation.id)
        session.commit()
    return headers


def log_length(engine) -> int:
    with Session(engine) as session:
        return audit_log.entry_count(session)


def remonthagen(client, tenants) -> dict:
    response = import_toml(client, tenants.headers["buyer"], REMONTHAGEN.read_text(encoding="utf-8"))
    assert response.status_code == 200, response.text
    accept_all(client, tenants)
    return response.json()["contract"]


def new_contract_body(**changes) -> dict:
    body = {
        "reference": "OH-2019-NYBYGGE",
        "title": "Nybygge Odenslund",
        "site": "Odenslund, Östersund",
        "value_sek": 90_000_000,
        "start": "2019-01-01",
        "end": "2020-12-31",
        "status": "draft",
        "contractor_org_number": "556033-4285",
    }
    return {**body, **changes}


# -- import and export ------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_imports_and_reimporting_changes_nothing(api_client, tenants, clean_database, path):
    headers = buyer_headers(clean_database, tenants, path)
    expected = load_contract_file(path)

    first = import_toml(api_client, headers, path.read_text(encoding="utf-8"))
    assert first.status_code == 200, first.text
    assert first.json()["created"] is True
    contract_id = first.json()["contract"]["id"]
    entries = log_length(clean_database)

    again = import_toml(api_client, headers, path.read_text(encoding="utf-8"))
    assert again.status_code == 200
    assert again.json() | {"contract": None} == {"contract": None, "created": False, "changes": []}
    assert again.json()["contract"]["id"] == contract_id
    assert log_length(clean_database) == entries  # nothing changed, nothing logged

    detail = api_client.get(f"/api/contracts/{contract_id}", headers=headers).json()
    assert [c["code"] for c in detail["clauses"]] == [c.code for c in expected.clauses]
    appointed = {(a["role"], a["org_number"]) for a in detail["appointments"]}
    assert appointed == {("subcontractor", o.org_number) for o in expected.subcontractors} | {
        ("auditor", o.org_number) for o in expected.auditors
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_export_loads_back_equal_and_reimports_without_change(api_client, tenants, clean_database, path):
    headers = buyer_headers(clean_database, tenants, path)
    contract_id = import_toml(api_client, headers, path.read_text(encoding="utf-8")).json()["contract"]["id"]

    exported = api_client.get(f"/api/contracts/{contract_id}/export", headers=headers)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/toml")
    assert load_contract(exported.text) == load_contract_file(path)
    again = import_toml(api_client, headers, exported.text)
    assert again.json()["changes"] == []


def test_reimport_of_a_changed_file_updates_the_stored_contract(api_client, tenants):
    contract = remonthagen(api_client, tenants)
    text = REMONTHAGEN.read_text(encoding="utf-8").replace("target = 20", "target = 18")
    text = text.replace('title = "Remonthagen, new rental housing"', 'title = "Remonthagen etapp 1"')
    response = import_toml(api_client, tenants.headers["buyer"], text)
    assert response.status_code == 200
    assert response.json()["created"] is False
    assert response.json()["changes"] == ["updated contract OH-2016-REMONTHAGEN", "changed clause SC-1"]
    detail = api_client.get(f"/api/contracts/{contract['id']}", headers=tenants.headers["buyer"]).json()
    assert detail["title"] == "Remonthagen etapp 1"
    assert detail["clauses"][0]["parameters"]["target"] == 18


def test_import_errors_give_line_and_field_and_save_nothing(api_client, tenants, clean_database):
    text = REMONTHAGEN.read_text(encoding="utf-8").replace("min_weeks = 8\npenalty = { per_unit", "min_weeks = -8\npenalty = { per_unit")
    bad_line = text.splitlines().index("min_weeks = -8") + 1
    before = log_length(clean_database)
    response = import_toml(api_client, tenants.headers["buyer"], text)
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert [(p["field"], p["line"]) for p in problems] == [("clause[SC-1].min_weeks", bad_line)]
    assert log_length(clean_database) == before
    assert api_client.get("/api/contracts", headers=tenants.headers["buyer"]).json()["total"] == 0


def test_import_of_broken_toml_names_the_line(api_client, tenants):
    response = import_toml(api_client, tenants.headers["buyer"], '[contract]\nreference = "X\n')
    assert response.status_code == 422
    assert response.json()["problems"][0]["line"] == 2


def test_import_for_another_buyer_is_refused_naming_the_field(api_client, tenants):
    response = import_toml(api_client, tenants.headers["other_buyer"], REMONTHAGEN.read_text(encoding="utf-8"))
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "contract.buyer.org_number"
    assert "556110-1816" in response.json()["error"]


@pytest.mark.parametrize("who", ["contractor", "auditor", "admin"])
def test_only_a_buyer_imports(api_client, tenants, who):
    response = import_toml(api_client, tenants.headers[who], REMONTHAGEN.read_text(encoding="utf-8"))
    assert response.status_code == 403


def test_import_needs_a_toml_content_type(api_client, tenants):
    response = api_client.post(
        "/api/contracts/import",
        content=REMONTHAGEN.read_bytes(),
        headers={**tenants.headers["buyer"], "Content-Type": "application/json"},
    )
    assert response.status_code == 415
    assert "application/toml" in response.json()["error"]


def test_import_creates_unknown_organisations_with_their_kind(api_client, tenants, clean_database):
    text = REMONTHAGEN.read_text(encoding="utf-8").replace(
        '{ name = "Jämtbygg Installation AB", org_number = "556234-5677" }',
        '{ name = "Nya Ställning AB", org_number = "556456-7898" }',
    )
    response = import_toml(api_client, tenants.headers["buyer"], text)
    assert response.status_code == 200
    assert "created organisation Nya Ställning AB (556456-7898, contractor)" in response.json()["changes"]
    with Session(clean_database) as session:
        created = session.exec(select(Organisation).where(Organisation.org_number == "556456-7898")).one()
    assert created.kind == "contractor"


def test_import_refuses_an_organisation_of_the_wrong_kind(api_client, tenants):
    # The audit firm named as the contractor.
    text = REMONTHAGEN.read_text(encoding="utf-8").replace(
        'contractor = { name = "Skanska Sverige AB", org_number = "556033-4285" }',
        'contractor = { name = "Revisionsbyrån Mitt AB", org_number = "556345-6788" }',
    )
    response = import_toml(api_client, tenants.headers["buyer"], text)
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "contract.contractor"


# -- create, list, change ---------------------------------------------------------------


def test_buyer_creates_a_contract_for_its_own_organisation(api_client, tenants):
    response = api_client.post("/api/contracts", json=new_contract_body(), headers=tenants.headers["buyer"])
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["buyer"]["org_number"] == "556110-1816"
    assert body["contractor"]["name"] == "Skanska Sverige AB"
    assert body["version"] == 1 and body["clauses"] == [] and body["appointments"] == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"contractor_org_number": "556012-3456"}, "contractor_org_number"),  # valid, not registered
        ({"contractor_org_number": "556012-3457"}, "contractor_org_number"),  # bad check digit
        ({"contractor_org_number": "556345-6788"}, "contractor_org_number"),  # an audit firm
        ({"end": "2018-12-31"}, "contract.end"),  # before the start
        ({"currency": "sek"}, "contract.currency"),
    ],
)
def test_create_refuses_bad_fields_naming_them(api_client, tenants, changes, field):
    response = api_client.post("/api/contracts", json=new_contract_body(**changes), headers=tenants.headers["buyer"])
    assert response.status_code == 422, response.text
    assert [p["field"] for p in response.json()["problems"]] == [field]


def test_create_refuses_a_reference_the_buyer_already_has(api_client, tenants):
    assert api_client.post("/api/contracts", json=new_contract_body(), headers=tenants.headers["buyer"]).status_code == 201
    again = api_client.post("/api/contracts", json=new_contract_body(), headers=tenants.headers["buyer"])
    assert again.status_code == 409
    # Another buyer may use the same reference.
    other = api_client.post(
        "/api/contracts",
        json=new_contract_body(contractor_org_number="556789-0123"),
        headers=tenants.headers["other_buyer"],
    )
    assert other.status_code == 201


@pytest.mark.parametrize("who", ["contractor", "auditor", "admin"])
def test_only_buyers_create_contracts(api_client, tenants, who):
    assert api_client.post("/api/contracts", json=new_contract_body(), headers=tenants.headers[who]).status_code == 403


def test_list_filters_and_paginates(api_client, tenants):
    remonthagen(api_client, tenants)
    for index in range(3):
        body = new_contract_body(reference=f"OH-2019-{index}", title=f"Kvarter {index}", site="Lugnvik" if index else "Torvalla")
        assert api_client.post("/api/contracts", json=body, headers=tenants.headers["buyer"]).status_code == 201
    accept_all(api_client, tenants)
    headers = tenants.headers["buyer"]

    everything = api_client.get("/api/contracts", headers=headers).json()
    assert everything["total"] == 4 and len(everything["items"]) == 4
    assert {item["contractor"]["name"] for item in everything["items"]} == {"Skanska Sverige AB"}
    page = api_client.get("/api/contracts?limit=2&offset=3", headers=headers).json()
    assert (page["total"], len(page["items"]), page["limit"], page["offset"]) == (4, 1, 2, 3)
    assert [i["reference"] for i in api_client.get("/api/contracts?status=active", headers=headers).json()["items"]] == [
        "OH-2016-REMONTHAGEN"
    ]
    assert api_client.get("/api/contracts?reference=remonth", headers=headers).json()["total"] == 1
    assert api_client.get("/api/contracts?q=lugnvik", headers=headers).json()["total"] == 2
    assert api_client.get("/api/contracts?limit=501", headers=headers).status_code == 400
    # What others see: the contractor sees its contracts, another tenant nothing.
    assert api_client.get("/api/contracts", headers=tenants.headers["contractor"]).json()["total"] == 4
    assert api_client.get("/api/contracts", headers=tenants.headers["subcontractor"]).json()["total"] == 1
    assert api_client.get("/api/contracts", headers=tenants.headers["other_buyer"]).json()["total"] == 0
    assert api_client.get("/api/contracts", headers=tenants.headers["admin"]).json()["total"] == 0


def test_patch_with_the_version_read_and_a_stale_version_conflicts(api_client, tenants, clean_database):
    contract = remonthagen(api_client, tenants)
    url, headers = f"/api/contracts/{contract['id']}", tenants.headers["buyer"]
    changed = api_client.patch(url, json={"title": "Remonthagen etapp 2", "version": contract["version"]}, headers=headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["title"] == "Remonthagen etapp 2"
    assert changed.json()["version"] == contract["version"] + 1

    stale = api_client.patch(url, json={"title": "Something else", "version": contract["version"]}, headers=headers)
    assert stale.status_code == 409
    assert f"version {contract['version']}, now {contract['version'] + 1}" in stale.json()["error"]
    missing = api_client.patch(url, json={"title": "No version"}, headers=headers)
    assert missing.status_code == 422 and missing.json()["problems"][0]["field"] == "version"
    assert api_client.get(url, headers=headers).json()["title"] == "Remonthagen etapp 2"


def test_patch_that_would_break_a_clause_is_refused(api_client, tenants):
    contract = remonthagen(api_client, tenants)
    url, headers = f"/api/contracts/{contract['id']}", tenants.headers["buyer"]
    before_start = api_client.patch(url, json={"end": "2015-12-31", "version": contract["version"]}, headers=headers)
    assert before_start.status_code == 422
    assert before_start.json()["problems"][0]["field"] == "contract.end"
    assert api_client.get(url, headers=headers).json()["version"] == contract["version"]


@pytest.mark.parametrize("who", ["contractor", "subcontractor", "auditor"])
def test_parties_other_than_the_buyer_may_read_but_not_change(api_client, tenants, who):
    contract = remonthagen(api_client, tenants)
    url = f"/api/contracts/{contract['id']}"
    assert api_client.get(url, headers=tenants.headers[who]).status_code == 200
    assert api_client.patch(url, json={"title": "x", "version": 1}, headers=tenants.headers[who]).status_code == 403


# -- appointments -----------------------------------------------------------------------


def test_appointment_bodies_are_checked_but_numbers_are_not_revealed(api_client, tenants):
    contract = api_client.post("/api/contracts", json=new_contract_body(), headers=tenants.headers["buyer"]).json()
    url, headers = f"/api/contracts/{contract['id']}", tenants.headers["buyer"]
    refused = [
        ({"org_number": "556110-1816", "role": "auditor"}, "org_number"),  # the buyer itself
        ({"org_number": "556033-4285", "role": "subcontractor"}, "org_number"),  # the contractor
        ({"org_number": "556234-5678", "role": "subcontractor"}, "org_number"),  # a wrong check digit
        ({"org_number": "556234-5677", "role": "supplier"}, "role"),
    ]
    for body, field in refused:
        response = api_client.post(f"{url}/appointments", json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.json()["problems"][0]["field"] == field
    # An audit firm as subcontractor, a contractor as auditor, an unregistered number: recorded
    # like any invitation, and never in effect (the organisation cannot accept it).
    for body in ({"org_number": "556345-6788", "role": "subcontractor"}, {"org_number": "556234-5677", "role": "auditor"},
                 {"org_number": "556012-3456", "role": "subcontractor"}):
        assert api_client.post(f"{url}/appointments", json=body, headers=headers).status_code == 202
    assert accept_all(api_client, tenants) == 1  # the contractor's own invitation only
    assert api_client.get(url, headers=tenants.headers["subcontractor"]).status_code == 404
    assert api_client.get(url, headers=tenants.headers["auditor"]).status_code == 404


def test_appointing_lets_the_organisation_in_once_it_accepts_and_removing_shuts_it_out(api_client, tenants):
    contract = api_client.post("/api/contracts", json=new_contract_body(), headers=tenants.headers["buyer"]).json()
    url = f"/api/contracts/{contract['id']}"
    assert api_client.get(url, headers=tenants.headers["subcontractor"]).status_code == 404

    added = api_client.post(
        f"{url}/appointments", json={"org_number": "5562345677", "role": "subcontractor"}, headers=tenants.headers["buyer"]
    )
    assert added.status_code == 202, added.text
    assert api_client.get(url, headers=tenants.headers["subcontractor"]).status_code == 404  # pending
    twice = api_client.post(
        f"{url}/appointments", json={"org_number": "556234-5677", "role": "subcontractor"}, headers=tenants.headers["buyer"]
    )
    assert (twice.status_code, twice.json()) == (added.status_code, added.json())
    assert accept_invitations(api_client, tenants.headers["subcontractor"]) == 1
    assert api_client.get(url, headers=tenants.headers["subcontractor"]).status_code == 200
    [appointment] = api_client.get(url, headers=tenants.headers["buyer"]).json()["appointments"]
    assert (appointment["org_number"], appointment["status"]) == ("556234-5677", "accepted")

    removed = api_client.delete(f"{url}/appointments/{appointment['id']}", headers=tenants.headers["buyer"])
    assert removed.status_code == 204
    assert api_client.get(url, headers=tenants.headers["subcontractor"]).status_code == 404
    again = api_client.delete(f"{url}/appointments/{appointment['id']}", headers=tenants.headers["buyer"])
    assert again.status_code == 404


def test_every_change_is_in_the_audit_log(api_client, tenants, clean_database):
    contract = api_client.post("/api/contracts", json=new_contract_body(), headers=tenants.headers["buyer"]).json()
    url, headers = f"/api/contracts/{contract['id']}", tenants.headers["buyer"]
    api_client.patch(url, json={"status": "active", "version": 1}, headers=headers)
    api_client.post(f"{url}/appointments", json={"org_number": "556345-6788", "role": "auditor"}, headers=headers)
    from procure.storage.models import AuditLogEntry

    with Session(clean_database) as session:
        entries = session.exec(select(AuditLogEntry).order_by(AuditLogEntry.sequence)).all()
        assert [(e.action, e.object_type) for e in entries] == [
            ("create", "contract"),
            ("invite", "appointment"),  # the contractor
            ("update", "contract"),
            ("invite", "appointment"),
        ]
        assert entries[2].before["status"] == "draft" and entries[2].after["status"] == "active"
        assert audit_log.verify(session) is None


def test_another_tenants_contract_is_not_found(api_client, tenants):
    contract = remonthagen(api_client, tenants)
    url = f"/api/contracts/{contract['id']}"
    for who in ("other_buyer", "other_contractor", "admin"):
        headers = tenants.headers[who]
        assert api_client.get(url, headers=headers).status_code == 404
        assert api_client.get(f"{url}/export", headers=headers).status_code == 404
        assert api_client.patch(url, json={"title": "x", "version": 1}, headers=headers).status_code == 404
        response = api_client.post(f"{url}/appointments", json={"org_number": "556234-5677", "role": "subcontractor"}, headers=headers)
        assert response.status_code == 404
        assert "OH-2016" not in response.text
