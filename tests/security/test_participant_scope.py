"""Finding 1: a subcontractor reaches the main contractor's participants.

Participant references belong to the organisation that reports them: an import or a
call by one organisation only ever finds, creates or changes its own participants.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session, select

from procure.storage.models import Participant, Placement

from security_helpers import add_participant, add_placement, csv_import


def test_finding_1_a_subcontractor_import_does_not_attach_to_the_contractors_participant(
    api_client, tenants, clean_database, contract_id
):
    """Finding 1: a subcontractor reaches the main contractor's participants (CSV import by reference)."""
    contractor, attacker = tenants.headers["contractor"], tenants.headers["subcontractor"]
    victim = add_participant(api_client, contractor, contract_id, "P-0001", target_groups=["newcomer"])
    add_placement(api_client, contractor, contract_id, "P-0001")

    answer = csv_import(api_client, attacker, contract_id,
                        [f"P-0001,,internship,2017-05-01,2017-06-30,24,{tenants.org_number('subcontractor')},completed"])

    assert answer.status_code == 422, answer.text
    assert answer.json()["problems"][0]["column"] == "participant_ref"
    with Session(clean_database) as session:
        placements = session.exec(select(Placement).where(Placement.participant_id == uuid.UUID(victim["id"]))).all()
        participants = session.exec(select(Participant)).all()
    assert len(placements) == 1 and placements[0].reported_by_org_id == tenants.organisations["contractor"].id
    assert len(participants) == 1
    # …and so the subcontractor still can neither read nor change the participant.
    url = f"/api/contracts/{contract_id}/participants/{victim['id']}"
    assert api_client.patch(url, json={"gender": "male"}, headers=attacker).status_code == 404
    listed = api_client.get(f"/api/contracts/{contract_id}/participants", headers=attacker).json()
    assert listed["items"] == []


def test_finding_1_the_contractor_does_not_change_a_subcontractors_participant(
    api_client, tenants, clean_database, contract_id
):
    """Finding 1: participant references belong to the organisation that reports them,
    the main contractor's import and calls included."""
    sub, attacker = tenants.headers["subcontractor"], tenants.headers["contractor"]
    victim = add_participant(api_client, sub, contract_id, "UE-1", target_groups=["newcomer"])
    add_placement(api_client, sub, contract_id, "UE-1")

    imported = csv_import(api_client, attacker, contract_id,
                          [f"UE-1,,internship,2017-05-01,2017-06-30,24,{tenants.org_number('contractor')},completed"])
    patched = api_client.patch(f"/api/contracts/{contract_id}/participants/{victim['id']}",
                               json={"target_groups": ["long_term_unemployed"]}, headers=attacker)
    placed = api_client.post(
        f"/api/contracts/{contract_id}/placements",
        json={"participant_ref": "UE-1", "placement_type": "internship", "start": "2017-05-01"}, headers=attacker,
    )

    assert imported.status_code == 422, imported.text
    assert patched.status_code in (403, 404), patched.text
    assert placed.status_code == 422, placed.text
    with Session(clean_database) as session:
        stored = session.get(Participant, uuid.UUID(victim["id"]))
        placements = session.exec(select(Placement)).all()
    assert stored.target_groups == ["newcomer"]
    assert [p.reported_by_org_id for p in placements] == [tenants.organisations["subcontractor"].id]
