"""Finding 12 of the security review (issue 12): appointment without consent.

Any buyer could create a contract (even reusing another buyer's reference) and appoint
any contractor or auditor, who then saw it as real; and the appointment route told the
buyer which organisation numbers exist. The attacker here is another tenant's buyer
(Hemstaden): its contract naming Skanska, Jämtbygg and Revisionsbyrån Mitt must stay
invisible to them (404, absent from their lists, on the API and the pages) until each
accepts its invitation, and inviting must answer alike for known and unknown numbers.
"""

from __future__ import annotations

from security_pages import csrf_of, sign_in

FAKE = {
    "reference": "OH-2016-REMONTHAGEN",  # Östersundshem's reference, reused
    "title": "Remonthagen, new rental housing",
    "start": "2016-03-01",
    "end": "2018-06-30",
    "status": "active",
    "contractor_org_number": "556033-4285",  # Skanska
}
UNREGISTERED = "556012-3456"


def fake_contract(client, tenants) -> str:
    attacker = tenants.headers["other_buyer"]
    created = client.post("/api/contracts", json=FAKE, headers=attacker)
    assert created.status_code == 201, created.text
    contract_id = created.json()["id"]
    for number, role in ((tenants.org_number("subcontractor"), "subcontractor"), (tenants.org_number("auditor"), "auditor")):
        client.post(f"/api/contracts/{contract_id}/appointments", json={"org_number": number, "role": role}, headers=attacker)
    return contract_id


def test_appointed_organisations_do_not_see_a_contract_they_did_not_accept(api_client, tenants):
    contract_id = fake_contract(api_client, tenants)
    for victim in ("contractor", "subcontractor", "auditor"):
        headers = tenants.headers[victim]
        assert api_client.get(f"/api/contracts/{contract_id}", headers=headers).status_code == 404
        assert api_client.get(f"/api/contracts/{contract_id}/compliance", headers=headers).status_code == 404
        assert contract_id not in {c["id"] for c in api_client.get("/api/contracts", headers=headers).json()["items"]}


def test_an_invitation_shows_only_what_is_needed_to_decide_and_takes_effect_when_accepted(api_client, tenants):
    contract_id = fake_contract(api_client, tenants)
    headers = tenants.headers["contractor"]
    [invitation] = api_client.get("/api/appointments", headers=headers).json()
    assert (invitation["contract_reference"], invitation["buyer_name"], invitation["role"], invitation["status"]) == (
        "OH-2016-REMONTHAGEN", "Hemstaden Bostäder AB", "contractor", "pending")
    assert invitation["contract_id"] is None
    # Nobody else can answer it.
    for other in ("subcontractor", "auditor", "other_contractor", "buyer", "other_buyer", "admin"):
        response = api_client.post(f"/api/appointments/{invitation['id']}/accept", headers=tenants.headers[other])
        assert response.status_code == 404, other
    assert api_client.get(f"/api/contracts/{contract_id}", headers=headers).status_code == 404

    accepted = api_client.post(f"/api/appointments/{invitation['id']}/accept", headers=headers)
    assert accepted.status_code == 200 and accepted.json()["contract_id"] == contract_id
    assert api_client.get(f"/api/contracts/{contract_id}", headers=headers).status_code == 200

    [auditors] = api_client.get("/api/appointments", headers=tenants.headers["auditor"]).json()
    declined = api_client.post(f"/api/appointments/{auditors['id']}/decline", headers=tenants.headers["auditor"])
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert api_client.post(f"/api/appointments/{auditors['id']}/accept", headers=tenants.headers["auditor"]).status_code == 409
    assert api_client.get(f"/api/contracts/{contract_id}", headers=tenants.headers["auditor"]).status_code == 404

    trail = api_client.get(f"/api/contracts/{contract_id}/audit-log", headers=tenants.headers["other_buyer"]).json()["items"]
    logged = [(e["action"], e["object_type"]) for e in trail if e["object_type"] == "appointment"]
    assert logged.count(("invite", "appointment")) == 3
    assert ("accept", "appointment") in logged and ("decline", "appointment") in logged


def test_inviting_answers_alike_for_known_and_unknown_numbers(api_client, tenants):
    attacker = tenants.headers["other_buyer"]
    contract_id = fake_contract(api_client, tenants)
    url = f"/api/contracts/{contract_id}/appointments"
    answers = {
        number: api_client.post(url, json={"org_number": number, "role": role}, headers=attacker)
        for number, role in (
            (UNREGISTERED, "subcontractor"),  # nobody
            (tenants.org_number("other_contractor"), "subcontractor"),  # a contractor
            (tenants.org_number("auditor"), "subcontractor"),  # an audit firm (the wrong kind)
            (tenants.org_number("subcontractor"), "subcontractor"),  # invited already
        )
    }
    shapes = {(r.status_code, r.text) for r in answers.values()}
    assert len(shapes) == 1, shapes
    assert answers[UNREGISTERED].status_code == 202
    listed = api_client.get(f"/api/contracts/{contract_id}", headers=attacker).json()["appointments"]
    pending = sorted((a["org_number"], a["name"], a["organisation_id"]) for a in listed if a["status"] == "pending")
    assert all(name is None and org is None for _n, name, org in pending)  # no names of the registered ones
    assert UNREGISTERED in {a["org_number"] for a in listed}


def test_the_pages_show_an_invitation_not_the_contract_and_answer_only_with_csrf(api_client, tenants, clean_database):
    contract_id = fake_contract(api_client, tenants)
    sign_in(api_client, clean_database, tenants.users["contractor"].email)
    assert api_client.get(f"/contracts/{contract_id}").status_code == 404
    assert contract_id not in api_client.get("/contracts").text
    invitations = api_client.get("/appointments")
    assert invitations.status_code == 200 and "Hemstaden Bostäder AB" in invitations.text
    [invitation] = api_client.get("/api/appointments", headers=tenants.headers["contractor"]).json()

    forged = api_client.post(f"/appointments/{invitation['id']}/accept", data={}, follow_redirects=False)
    assert forged.status_code == 403
    assert api_client.get(f"/contracts/{contract_id}").status_code == 404

    token = csrf_of(api_client, "/appointments")
    answered = api_client.post(f"/appointments/{invitation['id']}/accept", data={"_csrf_token": token}, follow_redirects=False)
    assert answered.status_code == 303
    assert api_client.get(f"/contracts/{contract_id}").status_code == 200
