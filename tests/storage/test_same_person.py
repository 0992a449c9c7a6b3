from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from procure.domain.identity import personal_number_hash
from procure.storage.duplicates import same_person_elsewhere
from procure.storage.models import Contract, Participant
from storage.conftest import add_organisation

pytestmark = pytest.mark.storage

SECRET = b"s" * 32


def test_the_same_person_is_found_on_the_buyers_other_contracts_only(session: Session, contract: Contract, buyer, contractor) -> None:
    other_buyer = add_organisation(session, "Familjebostäder AB", "556035-9555", "buyer")
    second = Contract(reference="OH-2017-TALLEN", title="Tallen", buyer_org_id=buyer.id, contractor_org_id=contractor.id, start=date(2017, 1, 1), end=date(2018, 1, 1))
    foreign = Contract(reference="FB-2017-1", title="Other buyer", buyer_org_id=other_buyer.id, contractor_org_id=contractor.id, start=date(2017, 1, 1), end=date(2018, 1, 1))
    session.add_all([second, foreign])
    session.flush()
    same = personal_number_hash("19121212-1212", SECRET)
    session.add_all([
        Participant(contract_id=contract.id, ref="P-0001", identity_hash=same),
        Participant(contract_id=second.id, ref="T-17", identity_hash=same),
        Participant(contract_id=foreign.id, ref="X-1", identity_hash=same),
        Participant(contract_id=second.id, ref="T-18"),
    ])
    session.flush()

    found = same_person_elsewhere(session, buyer.id, same, exclude_contract_id=contract.id)
    assert [(p.ref, c.reference) for p, c in found] == [("T-17", "OH-2017-TALLEN")]
    everywhere = same_person_elsewhere(session, buyer.id, same)
    assert [(p.ref, c.reference) for p, c in everywhere] == [("P-0001", "OH-2016-REMONTHAGEN"), ("T-17", "OH-2017-TALLEN")]
