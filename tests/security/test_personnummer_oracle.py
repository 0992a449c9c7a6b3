"""Finding 2: a personnummer oracle.

Importing a row whose personnummer another organisation registered answered "already
reported … by another organisation with other details" (and counted it in
`possible_duplicates`): about 40 guesses in 0.4 s, none audited. Now no answer differs
between a personnummer known elsewhere and an unknown one, duplicates across
organisations reach the buyer as a count without identities, and failed imports are
audited (counts only) and throttled per user, with the state in the database.
"""

from __future__ import annotations

import uuid

from contract_setup import add_contract
from litestar.testing import TestClient
from sqlmodel import Session, select

from procure.app import create_app
from procure.services import placement_import
from procure.storage.models import AuditLogEntry

from security_helpers import KNOWN, UNKNOWN, add_participant, add_placement, csv_import


def _without_digest(body: dict) -> dict:
    return {key: value for key, value in body.items() if key != "file_sha256"}


def test_finding_2_guessing_the_personnummer_of_anothers_participant_answers_the_same(
    api_client, tenants, contract_id
):
    """Finding 2: a personnummer oracle (guessing on the main contractor's reference)."""
    add_participant(api_client, tenants.headers["contractor"], contract_id, "P-0001", personal_number=KNOWN)
    add_placement(api_client, tenants.headers["contractor"], contract_id, "P-0001")
    attacker, employer = tenants.headers["subcontractor"], tenants.org_number("subcontractor")

    right = csv_import(api_client, attacker, contract_id, [f"P-0001,{KNOWN},internship,2017-05-01,,24,{employer},active"])
    wrong = csv_import(api_client, attacker, contract_id, [f"P-0001,{UNKNOWN},internship,2017-05-01,,24,{employer},active"])

    assert right.status_code == wrong.status_code
    assert right.json() == wrong.json()


def test_finding_2_a_personnummer_registered_elsewhere_changes_nothing_in_the_import_answer(
    api_client, tenants, clean_database, contract_id
):
    """Finding 2: a personnummer oracle (possible_duplicates of the import's answer)."""
    elsewhere = add_contract(clean_database, tenants, reference="OH-2017-ODENSLUND", contractor="other_contractor",
                             appoint=False)
    add_participant(api_client, tenants.headers["other_contractor"], elsewhere, "X-1", personal_number=KNOWN)
    attacker, employer = tenants.headers["subcontractor"], tenants.org_number("subcontractor")

    known = csv_import(api_client, attacker, contract_id, [f"UE-1,{KNOWN},internship,2017-05-01,,24,{employer},active"])
    unknown = csv_import(api_client, attacker, contract_id, [f"UE-2,{UNKNOWN},internship,2017-05-01,,24,{employer},active"])

    assert known.status_code == unknown.status_code == 200, known.text
    assert _without_digest(known.json()) == _without_digest(unknown.json())


def test_finding_2_duplicates_across_organisations_reach_the_buyer_as_a_count_only(api_client, tenants, contract_id):
    """Finding 2: duplicates across organisations go to the buyer of the contract as a
    count without identities; the reporting organisations learn nothing."""
    add_participant(api_client, tenants.headers["contractor"], contract_id, "P-0001", personal_number=KNOWN)
    add_participant(api_client, tenants.headers["subcontractor"], contract_id, "UE-1", personal_number=KNOWN)
    add_participant(api_client, tenants.headers["subcontractor"], contract_id, "UE-2", personal_number=UNKNOWN)
    url = f"/api/contracts/{contract_id}/participants"

    as_buyer = api_client.get(url, headers=tenants.headers["buyer"]).json()
    as_contractor = api_client.get(url, headers=tenants.headers["contractor"]).json()
    as_sub = api_client.get(url, headers=tenants.headers["subcontractor"]).json()

    assert as_buyer["reported_by_several_organisations"] == 1
    assert as_contractor.get("reported_by_several_organisations") is None
    assert as_sub.get("reported_by_several_organisations") is None
    ue1, ue2 = sorted(as_sub["items"], key=lambda item: item["ref"])
    assert {k: v for k, v in ue1.items() if k not in ("id", "ref")} == {k: v for k, v in ue2.items() if k not in ("id", "ref")}
    for body in (as_buyer, as_contractor, as_sub):
        assert KNOWN not in str(body) and KNOWN.replace("-", "")[2:] not in str(body)


def test_finding_2_failed_imports_are_audited_and_throttled_across_app_processes(
    api_client, tenants, clean_database, contract_id
):
    """Finding 2: a personnummer oracle — repeated failed imports are audited (counts
    only) and throttled with 429 and Retry-After, counted in the database so that every
    app process agrees."""
    attacker = tenants.headers["subcontractor"]
    bad = [f"P-{n},{KNOWN},internship,not-a-date,,24,{tenants.org_number('subcontractor')},active" for n in range(3)]
    for _ in range(placement_import.MAX_FAILED_IMPORTS):
        assert csv_import(api_client, attacker, contract_id, bad).status_code == 422

    with TestClient(app=create_app(engine=clean_database)) as second_process:
        throttled = csv_import(second_process, attacker, contract_id, bad)
        good = csv_import(second_process, attacker, contract_id,
                          [f"UE-1,,internship,2017-05-01,,24,{tenants.org_number('subcontractor')},active"])
    other_user = csv_import(api_client, tenants.headers["contractor"], contract_id, bad)

    assert throttled.status_code == 429, throttled.text
    assert int(throttled.headers["Retry-After"]) > 0
    assert good.status_code == 429
    assert other_user.status_code == 422
    with Session(clean_database) as session:
        entries = session.exec(select(AuditLogEntry).where(
            AuditLogEntry.actor_user_id == tenants.users["subcontractor"].id)).all()
    failed = [entry for entry in entries if entry.action == "import_failed"]
    assert len(failed) == placement_import.MAX_FAILED_IMPORTS
    assert failed[0].contract_id == uuid.UUID(str(contract_id))
    assert failed[0].after == {"rows": 3, "errors": 3}
    for entry in failed:
        text = str(entry.after) + str(entry.before) + entry.object_id + str(entry.reason)
        assert "1212" not in text and "P-0" not in text
