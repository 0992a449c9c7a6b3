"""Compliance answers are kept per contract data version (procure.services.compliance,
procure.storage.data_version): a change shows at once, from whichever process or session
made it; with nothing changed the kept answer serves; access is decided per request."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlmodel import Session, select

from procure.engine import evaluate
from procure.services import compliance as compliance_service
from procure.services.access import Action, contract_for
from procure.storage import data_version
from procure.storage.models import Placement

from test_compliance import demo  # noqa: F401  (the fixture)

URL = "/api/contracts/{}/compliance?as_of=2018-06-30"
AS_OF = date(2018, 6, 30)


@pytest.fixture
def evaluations(monkeypatch) -> list:
    compliance_service.clear_cache()
    made: list = []
    monkeypatch.setattr(compliance_service, "evaluate", lambda *args: made.append(args) or evaluate(*args))
    return made


def sc1_counted(answer: dict) -> set[str]:
    return {item["placement_id"] for item in next(c for c in answer["clauses"] if c["code"] == "SC-1")["counted"]}


def test_with_nothing_changed_the_kept_answer_serves(api_client, demo, evaluations):
    headers, contracts = demo
    url = URL.format(contracts["OH-2016-REMONTHAGEN"])
    first = api_client.get(url, headers=headers["buyer"])
    again = api_client.get(url, headers=headers["auditor"])
    assert first.status_code == again.status_code == 200 and again.content == first.content
    assert len(evaluations) == 1


def test_a_change_committed_by_another_session_shows_at_once(api_client, demo, clean_database, evaluations):
    headers, contracts = demo
    contract_id = contracts["OH-2016-REMONTHAGEN"]
    before = api_client.get(URL.format(contract_id), headers=headers["buyer"]).json()
    counted = sorted(sc1_counted(before))[0]
    # Another process, as far as this one can tell: its own session and connection,
    # committing directly, with nothing of this process told.
    with Session(clean_database) as elsewhere:
        version = data_version.current(elsewhere, contract_id)
        placement = elsewhere.get(Placement, uuid.UUID(counted))
        placement.placement_type = "mentorship"
        elsewhere.add(placement)
        elsewhere.commit()
        assert data_version.current(elsewhere, contract_id) == version + 1
    after = api_client.get(URL.format(contract_id), headers=headers["buyer"]).json()
    assert counted not in sc1_counted(after)
    assert len(evaluations) == 2


def test_a_change_through_the_api_moves_the_version_and_the_answer(api_client, demo, clean_database, evaluations):
    headers, contracts = demo
    contract_id = contracts["OH-2016-REMONTHAGEN"]
    url = URL.format(contract_id)
    before = api_client.get(url, headers=headers["contractor"]).json()
    counted = sorted(sc1_counted(before))[0]
    with Session(clean_database) as session:
        version = data_version.current(session, contract_id)
    placement = api_client.get(f"/api/contracts/{contract_id}/placements/{counted}", headers=headers["contractor"]).json()
    changed = api_client.patch(
        f"/api/contracts/{contract_id}/placements/{counted}", headers=headers["contractor"],
        json={"placement_type": "mentorship", "version": placement["version"], "reason": "reported as the wrong type"},
    )
    assert changed.status_code == 200, changed.text
    with Session(clean_database) as session:
        assert data_version.current(session, contract_id) > version
    assert counted not in sc1_counted(api_client.get(url, headers=headers["contractor"]).json())


def test_an_uncommitted_change_is_answered_to_its_session_but_never_kept(api_client, demo, clean_database, evaluations):
    headers, contracts = demo
    contract_id = contracts["OH-2016-REMONTHAGEN"]
    url = URL.format(contract_id)
    before = api_client.get(url, headers=headers["buyer"]).json()
    counted = sorted(sc1_counted(before))[0]
    with Session(clean_database) as session:
        access = contract_for(session, _principal(session, "buyer@ostersundshem.example"), contract_id, Action.READ)
        placement = session.get(Placement, uuid.UUID(counted))
        placement.placement_type = "mentorship"
        session.add(placement)
        session.flush()
        seen = compliance_service.result(session, access, AS_OF)
        assert counted not in {c.placement_id for c in seen.clauses[0].counted}
        session.rollback()
    # Another change takes the version the rolled-back one had reached; its answer is its own.
    with Session(clean_database) as session:
        version = data_version.current(session, contract_id)
        other = session.exec(select(Placement).where(Placement.contract_id == contract_id,
                                                     Placement.id != uuid.UUID(counted))).first()
        other.supervisor_trained = not other.supervisor_trained
        session.add(other)
        session.commit()
        assert data_version.current(session, contract_id) == version + 1
    assert counted in sc1_counted(api_client.get(url, headers=headers["buyer"]).json())


def _principal(session: Session, email: str):
    from procure.services.access import Principal
    from procure.storage.models import User

    user = session.exec(select(User).where(User.email == email)).one()
    return Principal(user.id, user.email, user.role, user.organisation_id)


def test_a_kept_answer_is_still_access_checked(api_client, demo, evaluations):
    headers, contracts = demo
    url = URL.format(contracts["OH-2016-REMONTHAGEN"])
    full = api_client.get(url, headers=headers["buyer"]).json()
    assert api_client.get(url, headers=headers["stranger"]).status_code == 404
    own = api_client.get(url, headers=headers["subcontractor"]).json()
    assert sum(len(c["counted"]) for c in own["clauses"]) < sum(len(c["counted"]) for c in full["clauses"])
    assert [c["actual"] for c in own["clauses"]] == [c["actual"] for c in full["clauses"]]
    assert len(evaluations) == 1


def test_a_csv_import_moves_the_version_once_per_change_and_not_when_nothing_changed(api_client, tenants, clean_database):
    from test_placement_import import csv_text, post, rows

    from contract_setup import add_contract

    contract_id = add_contract(clean_database, tenants)
    headers = tenants.headers["contractor"]

    def version() -> int:
        with Session(clean_database) as session:
            return data_version.current(session, contract_id)

    lines = rows(tenants, 6)
    start = version()
    assert post(api_client, headers, contract_id, csv_text(lines)).status_code == 200
    imported = version()
    assert imported > start
    assert post(api_client, headers, contract_id, csv_text(lines)).status_code == 200
    assert version() == imported, "the same file again changes nothing"
    lines[2] = lines[2].replace(",24,3,", ",32,4,")
    assert post(api_client, headers, contract_id, csv_text(lines)).json()["updated"] == 1
    assert version() > imported
