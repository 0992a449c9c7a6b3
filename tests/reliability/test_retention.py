"""Retention: participants of contracts that ended more than N years ago are pseudonymised.

The demo data: Remonthagen ended 2018-06-30 and counts one person twice under two
references (same personal number); the two other examples ended 2018-12-31. On
2028-10-01 with ten years' retention only Remonthagen is due.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from procure.services import audit_log, retention
from procure.services.compliance import contract_result
from procure.services.demo import DEMO_PASSWORD, run_demo
from procure.settings import ConfigurationError, load_settings
from procure.storage.models import AuditLogEntry, Contract, EvidenceFile, Participant, Placement

from contract_setup import fingerprint

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
SECRET = b"r" * 32
TODAY = date(2028, 10, 1)
AS_OF = date(2018, 12, 31)
PDF = b"%PDF-1.4\n% Anna Andersson, praktikavtal\n%%EOF\n"
TABLES = ("participants", "placements", "evidence_files", "contracts", "audit_log")


@pytest.fixture
def demo(clean_database: Engine) -> dict[str, Contract]:
    with Session(clean_database, expire_on_commit=False) as session:
        run_demo(session, CONTRACTS, SECRET)
        contracts = {c.reference: c for c in session.exec(select(Contract)).all()}
        for contract in contracts.values():
            placement = session.exec(select(Placement).where(Placement.contract_id == contract.id)).first()
            session.add(EvidenceFile(placement_id=placement.id, filename="anna_andersson_avtal.pdf",
                                     content_type="application/pdf", size_bytes=len(PDF),
                                     sha256=hashlib.sha256(PDF).hexdigest(), content=PDF))
        session.commit()
    return contracts


def compliance_json(engine: Engine, contract: Contract) -> str:
    with Session(engine) as session:
        return json.dumps(contract_result(session, contract.id, AS_OF).to_json(), sort_keys=True, default=str)


def participants_of(engine: Engine, contract: Contract) -> list[Participant]:
    with Session(engine) as session:
        return list(session.exec(select(Participant).where(Participant.contract_id == contract.id)).all())


def evidence_of(engine: Engine, contract: Contract) -> list[EvidenceFile]:
    with Session(engine) as session:
        return list(session.exec(
            select(EvidenceFile).join(Placement).where(Placement.contract_id == contract.id)
        ).all())


def run(engine: Engine, *, dry_run: bool = False, today: date = TODAY) -> list[retention.ContractRetention]:
    with Session(engine) as session:
        return retention.run(session, 10, today, dry_run=dry_run)


def test_expired_contract_is_pseudonymised_and_its_compliance_unchanged(clean_database, demo) -> None:
    expired = demo["OH-2016-REMONTHAGEN"]
    before = compliance_json(clean_database, expired)
    assert "same person as P-0021" in before  # what a dropped hash would change
    people_before = {p.ref: p for p in participants_of(clean_database, expired)}
    assert any(p.identity_hash for p in people_before.values())

    done = run(clean_database)

    assert compliance_json(clean_database, expired) == before
    assert [item.reference for item in done] == ["OH-2016-REMONTHAGEN"]
    assert done[0].participants == len(people_before) and done[0].evidence_files == 1
    people_after = {p.ref: p for p in participants_of(clean_database, expired)}
    assert people_after.keys() == people_before.keys()
    for ref, person in people_after.items():
        old = people_before[ref]
        assert person.birth_year is None
        assert (person.target_groups, person.gender) == (old.target_groups, old.gender)
        assert (person.identity_hash is None) == (old.identity_hash is None)
        assert person.identity_hash is None or person.identity_hash.startswith(retention.PSEUDONYM_PREFIX)
    [evidence] = evidence_of(clean_database, expired)
    assert (evidence.content, evidence.filename) == (b"", retention.REMOVED_FILENAME)
    assert (evidence.sha256, evidence.size_bytes, evidence.content_type) == (
        hashlib.sha256(PDF).hexdigest(), len(PDF), "application/pdf")


def test_audit_entry_per_contract_with_counts_and_no_personal_data(clean_database, demo) -> None:
    expired = demo["OH-2016-REMONTHAGEN"]
    hashes = {p.identity_hash for p in participants_of(clean_database, expired) if p.identity_hash}
    run(clean_database)
    with Session(clean_database) as session:
        entries = session.exec(select(AuditLogEntry).where(AuditLogEntry.action == "pseudonymise")).all()
        assert audit_log.verify(session) is None
    assert [(e.contract_id, e.after["participants"], e.after["evidence_files"]) for e in entries] == [
        (expired.id, len(participants_of(clean_database, expired)), 1)]
    logged = json.dumps([e.after for e in entries]) + "".join(e.reason or "" for e in entries)
    assert not any(h in logged for h in hashes) and "1989" not in logged and "anna" not in logged.lower()


def test_contract_within_retention_untouched_and_second_run_changes_nothing(clean_database, demo) -> None:
    kept = demo["BB-2017-LAGER"]
    people, files = participants_of(clean_database, kept), evidence_of(clean_database, kept)
    run(clean_database)
    after_first = fingerprint(clean_database, *TABLES)
    assert [p.model_dump() for p in participants_of(clean_database, kept)] == [p.model_dump() for p in people]
    assert [f.model_dump() for f in evidence_of(clean_database, kept)] == [f.model_dump() for f in files]
    assert any(p.birth_year for p in people)

    assert run(clean_database) == []
    assert fingerprint(clean_database, *TABLES) == after_first


def test_a_contract_that_ended_exactly_n_years_ago_is_not_yet_due(clean_database, demo) -> None:
    # Remonthagen ended 2018-06-30: on 2028-06-30 it ended exactly ten years ago, not more.
    assert run(clean_database, today=date(2028, 6, 30)) == []
    assert [i.reference for i in run(clean_database, today=date(2028, 7, 1))] == ["OH-2016-REMONTHAGEN"]


def test_dry_run_changes_nothing(clean_database, demo) -> None:
    before = fingerprint(clean_database, *TABLES)
    planned = run(clean_database, dry_run=True)
    assert [item.reference for item in planned] == ["OH-2016-REMONTHAGEN"]
    assert fingerprint(clean_database, *TABLES) == before
    assert run(clean_database) == planned  # what it said it would do


@pytest.mark.parametrize("raw", ["0", "-3", "ten", "2.5", ""])
def test_bad_retention_setting_is_a_one_line_error(raw: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        load_settings({"PROCURE_RETENTION_YEARS": raw, "PROCURE_SECRET_KEY": "k" * 32})
    message = str(raised.value)
    assert "PROCURE_RETENTION_YEARS" in message and "\n" not in message


def test_retention_setting_default_and_value() -> None:
    assert load_settings({"PROCURE_SECRET_KEY": "k" * 32}).retention_years == 10
    assert load_settings({"PROCURE_SECRET_KEY": "k" * 32, "PROCURE_RETENTION_YEARS": "7"}).retention_years == 7


def test_cli_dry_run_and_bad_setting(clean_database, demo, tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PROCURE_DATABASE_URL": str(clean_database.url.render_as_string(hide_password=False)),
           "PROCURE_SECRET_KEY": "k" * 32, "PROCURE_RETENTION_YEARS": "1"}
    before = fingerprint(clean_database, *TABLES)
    command = [str(Path(sys.executable).parent / "procure"), "retention", "run", "--dry-run"]
    shown = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert "would pseudonymise" in shown.stdout and "OH-2016-REMONTHAGEN" in shown.stdout
    assert fingerprint(clean_database, *TABLES) == before

    bad = subprocess.run(command, env={**env, "PROCURE_RETENTION_YEARS": "zero"}, cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2
    assert bad.stderr.strip().count("\n") == 0 and "PROCURE_RETENTION_YEARS" in bad.stderr


def test_cli_run_asks_first_and_needs_yes_without_a_terminal(clean_database, demo, tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PROCURE_DATABASE_URL": str(clean_database.url.render_as_string(hide_password=False)),
           "PROCURE_SECRET_KEY": "k" * 32, "PROCURE_RETENTION_YEARS": "1"}
    command = [str(Path(sys.executable).parent / "procure"), "retention", "run"]
    before = fingerprint(clean_database, *TABLES)
    for answer in ("", "n\n"):  # no one to ask (a timer without --yes), then a "no"
        refused = subprocess.run(command, env=env, cwd=tmp_path, input=answer, capture_output=True, text=True,
                                 timeout=60)
        assert refused.returncode == 1, refused.stderr
        assert "--yes" in refused.stderr and "Nothing changed" in refused.stderr
        assert fingerprint(clean_database, *TABLES) == before
    done = subprocess.run([*command, "--yes"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "pseudonymised" in done.stdout
    assert fingerprint(clean_database, *TABLES) != before


def test_removed_evidence_downloads_as_410_saying_why_and_stays_listed(clean_database, demo, client) -> None:
    expired = demo["OH-2016-REMONTHAGEN"]
    [evidence] = evidence_of(clean_database, expired)
    token = client.post("/api/auth/token", json={"email": "buyer@ostersundshem.example",
                                                 "password": DEMO_PASSWORD}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    files = f"/api/contracts/{expired.id}/placements/{evidence.placement_id}/evidence"
    assert client.get(f"{files}/{evidence.id}", headers=headers).content == PDF

    run(clean_database)

    response = client.get(f"{files}/{evidence.id}", headers=headers)
    assert response.status_code == 410, response.text
    assert "removed under the retention rule" in response.json()["error"]
    assert hashlib.sha256(PDF).hexdigest() in response.json()["error"]
    [listed] = client.get(files, headers=headers).json()
    assert (listed["id"], listed["sha256"]) == (str(evidence.id), hashlib.sha256(PDF).hexdigest())
