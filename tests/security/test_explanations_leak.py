"""Finding 11 of the security review (issue 12): explanations leak.

A subcontractor's compliance explanation named the main contractor's participants ("same
person as SKA-1") and listed placements it cannot GET (reported by the main contractor
with the subcontractor as employer). The attacker here is the subcontractor's user
(Jämtbygg, role contractor): it must see its own rows and, of everyone else's, only
totals — through the API and through the dashboard page; the report PDF and the evidence
exports are refused to it.
"""

from __future__ import annotations

from contract_setup import add_contract
from security_pages import csrf_of, sign_in

AS_OF = "2016-12-31"
HEADER = "participant_ref;target_groups;gender;birth_year;personnummer;placement_type;start;end;hours_per_week;days_per_week;employer_org_number;supervisor_trained;status;outcome;outcome_date\n"
CLAUSE = {"code": "SC-1", "title": "Praktikplatser", "rule": "placement_count", "target": 4,
          "placement_types": ["internship"], "min_weeks": 4}


def _import(client, headers, contract_id, rows: list[str]) -> None:
    response = client.post(f"/api/contracts/{contract_id}/placements/import", content=(HEADER + "".join(rows)).encode(),
                           headers={**headers, "Content-Type": "text/csv"})
    assert response.status_code == 200, response.text


def leaky_contract(client, tenants, engine):
    """Skanska reports SKA-1 (a person, 19121212-1212) and SKA-2 (employed by Jämtbygg);
    Jämtbygg reports UE-1, the same person as SKA-1, later: excluded as already counted."""
    contract_id = add_contract(engine, tenants)
    created = client.post(f"/api/contracts/{contract_id}/clauses", json=CLAUSE, headers=tenants.headers["buyer"])
    assert created.status_code == 201, created.text
    skanska, jamtbygg = tenants.org_number("contractor"), tenants.org_number("subcontractor")
    _import(client, tenants.headers["contractor"], contract_id, [
        f"SKA-1;newcomer;female;;19121212-1212;internship;2016-04-04;2016-06-24;40;5;{skanska};ja;completed;;\n",
        f"SKA-2;newcomer;male;1990;;internship;2016-04-04;2016-06-24;40;5;{jamtbygg};ja;completed;;\n",
        f"SKA-3;newcomer;male;1991;;internship;2016-09-05;2016-09-16;40;5;{skanska};ja;completed;;\n",
    ])
    _import(client, tenants.headers["subcontractor"], contract_id, [
        f"UE-1;newcomer;female;;19121212-1212;internship;2016-05-02;2016-07-29;40;5;{jamtbygg};ja;completed;;\n",
        f"UE-2;newcomer;male;1992;;internship;2016-05-02;2016-07-29;40;5;{jamtbygg};ja;completed;;\n",
    ])
    return contract_id


def test_a_subcontractor_sees_its_own_rows_and_only_totals_of_the_rest(api_client, tenants, clean_database):
    contract_id = leaky_contract(api_client, tenants, clean_database)
    attacker = tenants.headers["subcontractor"]
    url = f"/api/contracts/{contract_id}/compliance?as_of={AS_OF}"
    full = api_client.get(url, headers=tenants.headers["buyer"]).json()["clauses"][0]
    assert any("SKA-1" in e["reason"] for e in full["excluded"])  # the buyer sees who was counted

    for attempt in range(2):  # computed, then from the cache
        response = api_client.get(url, headers=attacker)
        assert response.status_code == 200
        assert "SKA-" not in response.text, "names another organisation's participant"
        [clause] = response.json()["clauses"]
        gettable = {p["id"] for p in api_client.get(f"/api/contracts/{contract_id}/placements", headers=attacker).json()["items"]}
        listed = {e["placement_id"] for e in (*clause["counted"], *clause["excluded"])}
        assert listed == gettable, "lists placements it cannot GET, or leaves out its own"
        assert {e["participant_ref"] for e in (*clause["counted"], *clause["excluded"])} == {"UE-1", "UE-2"}
        [same_person] = [e for e in clause["excluded"] if e["participant_ref"] == "UE-1"]
        assert "another organisation" in same_person["reason"]
        assert clause["others"] == {"counted": len(full["counted"]) - len(clause["counted"]),
                                    "excluded": len(full["excluded"]) - len(clause["excluded"])}
        assert clause["others"]["counted"] + clause["others"]["excluded"] == 3
        assert (clause["actual"], clause["status"]) == (full["actual"], full["status"])  # the contract's figures


def test_the_dashboard_page_shows_a_subcontractor_no_other_participant(api_client, tenants, clean_database):
    contract_id = leaky_contract(api_client, tenants, clean_database)
    sign_in(api_client, clean_database, tenants.users["subcontractor"].email)
    for lang in ("sv", "en"):
        api_client.post("/language", data={"lang": lang, "_csrf_token": csrf_of(api_client, "/contracts")})
        page = api_client.get(f"/contracts/{contract_id}?as_of={AS_OF}")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "SKA-" not in page.text
        assert "UE-1" in page.text and 'data-testid="others"' in page.text
        assert {"sv": "en annan organisation", "en": "another organisation"}[lang] in page.text


def test_reports_and_evidence_exports_are_refused_to_a_subcontractor(api_client, tenants, clean_database):
    """Refused rather than redacted: a report embeds its inputs so that anyone can re-run
    the evaluation; a redacted one could not be verified."""
    contract_id = leaky_contract(api_client, tenants, clean_database)
    for suffix in (f"report.pdf?as_of={AS_OF}", f"evidence.csv?as_of={AS_OF}", f"evidence.xlsx?as_of={AS_OF}"):
        response = api_client.get(f"/api/contracts/{contract_id}/{suffix}", headers=tenants.headers["subcontractor"])
        assert response.status_code == 403, suffix
        assert "SKA-" not in response.text
