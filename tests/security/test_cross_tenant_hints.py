"""Finding 4: cross-tenant hints.

`possible_duplicates_elsewhere` told a contractor that a person takes part in another
organisation's contract. No count, flag or message may reveal
anything about another organisation's data to a contractor; a buyer sees flags about
its own contracts only.
"""

from __future__ import annotations

from contract_setup import add_contract
from sqlmodel import Session

from procure.storage.models import Contract

from security_helpers import KNOWN, UNKNOWN, add_participant


def _hint_free(view: dict) -> dict:
    return {key: value for key, value in view.items() if key not in ("id", "ref")}


def test_finding_4_a_contractor_learns_nothing_of_another_organisations_participants(api_client, tenants, clean_database,
                                                                                    contract_id):
    """Finding 4: cross-tenant hints (possible_duplicates_elsewhere to a contractor)."""
    elsewhere = add_contract(clean_database, tenants, reference="OH-2017-ODENSLUND", contractor="other_contractor",
                             appoint=False)
    add_participant(api_client, tenants.headers["other_contractor"], elsewhere, "X-1", personal_number=KNOWN)
    attacker = tenants.headers["contractor"]

    known = add_participant(api_client, attacker, contract_id, "P-0001", personal_number=KNOWN)
    unknown = add_participant(api_client, attacker, contract_id, "P-0002", personal_number=UNKNOWN)
    listed = api_client.get(f"/api/contracts/{contract_id}/participants", headers=attacker).json()

    assert _hint_free(known) == _hint_free(unknown)
    first, second = sorted(listed["items"], key=lambda item: item["ref"])
    assert _hint_free(first) == _hint_free(second)


def test_finding_4_a_subcontractor_learns_nothing_of_the_contractors_participants(api_client, tenants, contract_id):
    """Finding 4: cross-tenant hints (a subcontractor and the main contractor's participant
    with the same personnummer on one contract)."""
    add_participant(api_client, tenants.headers["contractor"], contract_id, "P-0001", personal_number=KNOWN)
    attacker = tenants.headers["subcontractor"]

    known = add_participant(api_client, attacker, contract_id, "UE-1", personal_number=KNOWN)
    unknown = add_participant(api_client, attacker, contract_id, "UE-2", personal_number=UNKNOWN)

    assert _hint_free(known) == _hint_free(unknown)


def test_finding_4_the_buyer_sees_flags_about_its_own_contracts_only(api_client, tenants, clean_database, contract_id):
    """Finding 4: cross-tenant hints (a buyer, about another buyer's contract)."""
    foreign = add_contract(clean_database, tenants, reference="HS-2017-1", contractor="other_contractor", appoint=False)
    with Session(clean_database) as session:  # Hemstaden's contract, not Östersundshem's
        contract = session.get(Contract, foreign)
        contract.buyer_org_id = tenants.organisations["other_buyer"].id
        session.commit()
    add_participant(api_client, tenants.headers["other_contractor"], foreign, "X-1", personal_number=KNOWN)
    add_participant(api_client, tenants.headers["contractor"], contract_id, "P-0001", personal_number=KNOWN)
    add_participant(api_client, tenants.headers["contractor"], contract_id, "P-0002", personal_number=UNKNOWN)

    listed = api_client.get(f"/api/contracts/{contract_id}/participants", headers=tenants.headers["buyer"]).json()

    first, second = sorted(listed["items"], key=lambda item: item["ref"])
    assert _hint_free(first) == _hint_free(second)
    assert listed["reported_by_several_organisations"] == 0
