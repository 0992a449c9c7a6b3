"""Compliance over the API: the same result as `procure evaluate --format json` on the same files."""

from __future__ import annotations

import json
import threading
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from api_parties import add_user
from click.testing import CliRunner
from sqlmodel import Session, col, select
from stdnum import luhn

from procure.cli import cli
from procure.engine import evaluate
from procure.formats.records_csv import placement_id
from procure.services import compliance as compliance_service
from procure.services.demo import DEMO_PASSWORD, example_files, run_demo
from procure.services.tokens import issue_token
from procure.storage.models import Contract, Organisation, Participant, Placement, User

CONTRACTS = Path(__file__).parents[2] / "contracts"
EXAMPLES = example_files(CONTRACTS)
SECRET = b"compliance-test-secret-0123456789abcdef"


def as_of_dates(path: Path) -> list[date]:
    cases = path.with_name(path.name.replace(".toml", ".cases.toml"))
    return [case["as_of"] for case in tomllib.loads(cases.read_text(encoding="utf-8"))["case"]]


CASES = [(path, as_of) for path in EXAMPLES for as_of in as_of_dates(path)]


def headers_of(session: Session, email: str) -> dict[str, str]:
    user = session.exec(select(User).where(User.email == email)).one()
    token, _row = issue_token(session, user, datetime.now(timezone.utc))
    session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def demo(clean_database):
    """The demo data (every example with its records), and bearer headers of its users."""
    with Session(clean_database, expire_on_commit=False) as session:
        run_demo(session, CONTRACTS, SECRET)
        headers = {
            "auditor": headers_of(session, "auditor@revision.example"),
            "buyer": headers_of(session, "buyer@ostersundshem.example"),
            "contractor": headers_of(session, "contractor@skanska.example"),
            "subcontractor": headers_of(session, "subcontractor@ue.example"),
        }
        number = "556999000" + luhn.calc_check_digit("556999000")
        stranger = Organisation(name="Annan Bostad AB", org_number=f"{number[:6]}-{number[6:]}", kind="buyer")
        session.add(stranger)
        session.flush()
        _user, headers["stranger"] = add_user(session, "buyer@annan.test", "buyer", stranger.id)
        contracts = {c.reference: c.id for c in session.exec(select(Contract)).all()}
        session.commit()
    return headers, contracts


def readable_ids(engine, contract_id) -> dict[str, str]:
    """Stored placement id → the id `procure evaluate` gives the same CSV row."""
    with Session(engine) as session:
        rows = session.exec(
            select(Placement.id, Participant.ref, Placement.start, Placement.placement_type)
            .join(Participant, col(Participant.id) == Placement.participant_id)
            .where(Placement.contract_id == contract_id)
        ).all()
    return {str(id_): placement_id(ref, start, kind) for id_, ref, start, kind in rows}


def with_ids(result: dict, ids: dict[str, str]) -> dict:
    for clause in result["clauses"]:
        for item in (*clause["counted"], *clause["excluded"]):
            item["placement_id"] = ids[item["placement_id"]]
    return result


def in_order(result: dict) -> dict:
    """The engine breaks ties (placements qualified on the same day) by placement id, and
    stored ids are not the CSV reader's; sort within the lists to compare the contents."""
    for clause in result["clauses"]:
        clause["counted"].sort(key=lambda item: (item.get("period", ""), item["qualified_on"] or "", item["placement_id"]))
        clause["excluded"].sort(key=lambda item: item["placement_id"])
    return result


def cli_result(path: Path, as_of: date) -> dict:
    stem = path.name.removesuffix(".toml")
    arguments = ["evaluate", str(path), "--placements", str(path.with_name(f"{stem}.placements.csv"))]
    for option, suffix in (("--hours", "hours"), ("--reports", "reports")):
        if path.with_name(f"{stem}.{suffix}.csv").exists():
            arguments += [option, str(path.with_name(f"{stem}.{suffix}.csv"))]
    result = CliRunner().invoke(cli, [*arguments, "--as-of", as_of.isoformat(), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(("path", "as_of"), CASES, ids=[f"{p.stem}@{d}" for p, d in CASES])
def test_compliance_equals_procure_evaluate_on_the_same_files(api_client, demo, clean_database, path, as_of):
    headers, contracts = demo
    reference = tomllib.loads(path.read_text(encoding="utf-8"))["contract"]["reference"]
    response = api_client.get(
        f"/api/contracts/{contracts[reference]}/compliance?as_of={as_of.isoformat()}", headers=headers["auditor"]
    )
    assert response.status_code == 200, response.text
    expected = cli_result(path, as_of)
    assert in_order(with_ids(response.json(), readable_ids(clean_database, contracts[reference]))) == in_order(expected)
    assert expected["clauses"] and any(clause["counted"] for clause in expected["clauses"])


def test_a_subcontractor_sees_the_contracts_figures_but_only_its_own_placements(api_client, demo, clean_database):
    headers, contracts = demo
    url = f"/api/contracts/{contracts['OH-2016-REMONTHAGEN']}/compliance?as_of=2018-06-30"
    everything = api_client.get(url, headers=headers["buyer"]).json()
    own = api_client.get(url, headers=headers["subcontractor"]).json()
    with Session(clean_database) as session:
        ue = session.exec(select(Organisation).where(Organisation.org_number == "556234-5677")).one()
        # Its own: what it reported, exactly the placements it may GET.
        own_ids = {
            str(p)
            for p in session.exec(
                select(Placement.id).where(Placement.contract_id == contracts["OH-2016-REMONTHAGEN"], Placement.reported_by_org_id == ue.id)
            ).all()
        }
    for full, restricted in zip(everything["clauses"], own["clauses"]):
        assert {k: v for k, v in full.items() if k not in ("counted", "excluded")} == {
            k: v for k, v in restricted.items() if k not in ("counted", "excluded", "others")
        }
        assert restricted["counted"] == [item for item in full["counted"] if item["placement_id"] in own_ids]
        assert restricted["excluded"] == [item for item in full["excluded"] if item["placement_id"] in own_ids]
        assert restricted["others"] == {
            "counted": len(full["counted"]) - len(restricted["counted"]),
            "excluded": len(full["excluded"]) - len(restricted["excluded"]),
        }
    listed = {item["placement_id"] for c in own["clauses"] for item in (*c["counted"], *c["excluded"])}
    assert listed <= own_ids
    assert len(listed) < len({item["placement_id"] for c in everything["clauses"] for item in (*c["counted"], *c["excluded"])})


def test_as_of_defaults_to_today_and_a_bad_date_is_a_400_naming_it(api_client, demo):
    headers, contracts = demo
    url = f"/api/contracts/{contracts['OH-2016-REMONTHAGEN']}/compliance"
    assert api_client.get(url, headers=headers["contractor"]).json()["as_of"] == date.today().isoformat()
    for bad in ("2018-13-01", "30/06/2018", "yesterday"):
        response = api_client.get(f"{url}?as_of={bad}", headers=headers["contractor"])
        assert response.status_code == 400
        assert response.json()["problems"][0]["field"] == "as_of"
        assert "YYYY-MM-DD" in response.json()["error"]


def test_another_tenant_gets_404_and_no_figures(api_client, demo):
    headers, contracts = demo
    response = api_client.get(f"/api/contracts/{contracts['OH-2016-REMONTHAGEN']}/compliance", headers=headers["stranger"])
    assert response.status_code == 404
    assert "clauses" not in response.json()


def test_a_change_shows_at_once_while_a_sign_in_leaves_the_cached_result(api_client, demo, monkeypatch):
    headers, contracts = demo
    contract_id = contracts["OH-2016-REMONTHAGEN"]
    url = f"/api/contracts/{contract_id}/compliance?as_of=2018-06-30"
    before = api_client.get(url, headers=headers["contractor"]).json()
    evaluations = []
    monkeypatch.setattr(compliance_service, "evaluate", lambda *args: evaluations.append(args) or evaluate(*args))

    signed_in = api_client.post("/api/auth/token", json={"email": "buyer@ostersundshem.example", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 201, signed_in.text
    assert api_client.get(url, headers=headers["contractor"]).json() == before
    assert evaluations == [], "a sign-in cannot change a result: the cached one answers"

    counted = next(c for c in before["clauses"] if c["code"] == "SC-1")["counted"][0]["placement_id"]
    placement = api_client.get(f"/api/contracts/{contract_id}/placements/{counted}", headers=headers["contractor"]).json()
    changed = api_client.patch(
        f"/api/contracts/{contract_id}/placements/{counted}", headers=headers["contractor"],
        json={"placement_type": "mentorship", "version": placement["version"], "reason": "reported as the wrong type"},
    )
    assert changed.status_code == 200, changed.text
    after = api_client.get(url, headers=headers["contractor"]).json()
    assert len(evaluations) == 1
    sc1 = next(c for c in after["clauses"] if c["code"] == "SC-1")
    assert counted not in {item["placement_id"] for item in sc1["counted"]}


def test_requests_arriving_together_share_one_evaluation():
    compliance_service.clear_cache()
    release, computed = threading.Event(), []

    def slow() -> str:
        release.wait(10)
        computed.append("slow")
        return "result"

    def another() -> str:
        computed.append("another")
        return "another result"

    kept = compliance_service._kept
    first = threading.Thread(target=kept, args=(("key",), slow))
    first.start()
    with ThreadPoolExecutor(4) as pool:
        waiting = [pool.submit(kept, ("key",), another) for _ in range(4)]
        time.sleep(0.2)  # let them queue behind the first (had they not, they would find it cached anyway)
        release.set()
        first.join(10)
        assert [future.result(10) for future in waiting] == ["result"] * 4
    assert computed == ["slow"]
    assert kept(("other",), another) == "another result"
    compliance_service.clear_cache()
