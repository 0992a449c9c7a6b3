"""Finding 16: the audit chain can be rewritten.

It was an unkeyed SHA-256 chain with nothing anchoring its head, so whoever could write
to the database could change an entry and re-hash everything after it, or cut entries
off the end, and `procure audit verify` still said "intact". Now each chain is keyed
(HMAC under a key derived from PROCURE_SECRET_KEY), and the head an issued report prints
is recorded: a recorded head that is no longer in its chain fails the verification.

The attacker here has write access to the database (plain SQL behind the application's
back) and procure's source code, but not the installation secret.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from sqlalchemy import Engine, delete, update
from sqlmodel import Session, select

from procure.cli import cli
from procure.domain.audit_chain import canonical_json, chain_key
from procure.formats.contract_toml import load_contract_file
from procure.services import audit_log
from procure.services.contracts import import_contract
from procure.storage.models import AuditChain, AuditLogEntry, RecordedHead

LOG, CHAINS = AuditLogEntry.__table__, AuditChain.__table__
CONTRACTS = Path(__file__).parents[2] / "contracts"


def write_entries(engine: Engine, contract_id: uuid.UUID, count: int) -> None:
    with Session(engine) as session:
        for number in range(1, count + 1):
            audit_log.record(session, None, "update", "contract", contract_id,
                             before={"title": f"version {number - 1}"}, after={"title": f"version {number}"},
                             contract_id=contract_id)
        session.commit()


def plain_sha256(prev_hash: str, content: dict) -> str:
    return hashlib.sha256((prev_hash + canonical_json(content)).encode("utf-8")).hexdigest()


def guessed_key(prev_hash: str, content: dict) -> str:
    key = chain_key(b"a guess at the installation secret, 32+ chars")
    return hmac.new(key, (prev_hash + canonical_json(content)).encode("utf-8"), hashlib.sha256).hexdigest()


def rewrite(engine: Engine, chain_id: uuid.UUID, sequence: int, after: dict, digest) -> None:
    """Change one entry and re-hash it and every entry after it, head row included."""
    with Session(engine) as session:
        entries = session.exec(
            select(AuditLogEntry).where(AuditLogEntry.chain_id == chain_id).order_by(AuditLogEntry.sequence)
        ).all()
        previous = entries[sequence - 2].entry_hash if sequence > 1 else "0" * 64
        changed = []
        for entry in entries[sequence - 1:]:
            if entry.sequence == sequence:
                entry.after = after
            entry_hash = digest(previous, audit_log.entry_content(entry))
            changed.append((entry.id, entry.after, previous, entry_hash))
            previous = entry_hash
    with engine.begin() as connection:
        for row_id, new_after, prev_hash, entry_hash in changed:
            connection.execute(update(LOG).where(LOG.c.id == row_id)
                               .values(after=new_after, prev_hash=prev_hash, entry_hash=entry_hash))
        connection.execute(update(CHAINS).where(CHAINS.c.id == chain_id).values(head_hash=previous))


def cut_after(engine: Engine, chain_id: uuid.UUID, keep: int, *, move_head: bool = True) -> None:
    """Delete the chain's entries after `keep`; a careful attacker moves the head row too."""
    with engine.begin() as connection:
        kept = connection.execute(select(LOG.c.entry_hash).where(LOG.c.chain_id == chain_id, LOG.c.sequence == keep)).scalar_one()
        connection.execute(delete(LOG).where(LOG.c.chain_id == chain_id, LOG.c.sequence > keep))
        if move_head:
            connection.execute(update(CHAINS).where(CHAINS.c.id == chain_id).values(head_sequence=keep, head_hash=kept))


def run_verify():
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    return runner.invoke(cli, ["audit", "verify"], catch_exceptions=False)


@pytest.mark.parametrize("digest", [plain_sha256, guessed_key], ids=["plain-sha256", "wrong-key"])
def test_an_entry_rewritten_and_the_rest_rehashed_fails_verification(clean_database, contracts, digest):
    write_entries(clean_database, contracts["A"], 5)
    rewrite(clean_database, contracts["A"], 3, {"title": "forged"}, digest)

    with Session(clean_database) as session:
        found = audit_log.verify(session)
        assert found is not None and found.chain_id == contracts["A"]
        assert (found.problem.sequence, found.problem.problem) == (3, "altered")

    result = run_verify()
    assert result.exit_code == 1
    assert "audit log broken: contract OH-2016-REMONTHAGEN: entry 3 was changed after it was written" in result.stderr
    assert "(entry 3: update contract" in result.stderr


def test_an_untouched_chain_verifies_and_the_other_chains_are_not_blamed(clean_database, contracts):
    write_entries(clean_database, contracts["A"], 3)
    write_entries(clean_database, contracts["B"], 2)
    assert run_verify().exit_code == 0
    rewrite(clean_database, contracts["A"], 2, {"title": "forged"}, plain_sha256)
    result = run_verify()
    assert result.exit_code == 1
    assert "contract OH-2016-REMONTHAGEN" in result.stderr
    assert "HS-2017-NORRBACKEN" not in result.stderr


def test_entries_cut_off_behind_the_head_row_fail_verification(clean_database, contracts):
    write_entries(clean_database, contracts["A"], 5)
    cut_after(clean_database, contracts["A"], 3, move_head=False)
    result = run_verify()
    assert result.exit_code == 1
    assert "entries 4–5 are missing" in result.stderr
    assert "the chain's head as the database keeps it" in result.stderr


def test_an_entry_moved_to_another_contracts_chain_fails_verification(clean_database, contracts):
    write_entries(clean_database, contracts["A"], 2)
    with clean_database.begin() as connection:
        connection.execute(update(CHAINS).where(CHAINS.c.id == contracts["A"]).values(head_sequence=1))
        connection.execute(update(LOG).where(LOG.c.chain_id == contracts["A"], LOG.c.sequence == 2)
                           .values(chain_id=contracts["A"], contract_id=contracts["B"]))
    result = run_verify()
    assert result.exit_code == 1
    assert "entry 2 was changed after it was written" in result.stderr


# -- the head printed in a report, and cutting the chain short afterwards ----------------


def pdf_text(pdf: bytes) -> str:
    raw = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"[\s\u00a0\u202f]+", " ", raw)


@pytest.fixture
def reported(api_client, tenants, clean_database):
    """Remonthagen with five changes after it was loaded, and an English report of it."""
    with Session(clean_database, expire_on_commit=False) as session:
        contract = import_contract(session, None, load_contract_file(CONTRACTS / "remonthagen.toml")).contract
        session.commit()
    write_entries(clean_database, contract.id, 5)
    with Session(clean_database) as session:
        printed = audit_log.head(session, contract.id)
    response = api_client.get(f"/api/contracts/{contract.id}/report.pdf?as_of=2018-06-30&lang=en",
                              headers=tenants.headers["buyer"])
    assert response.status_code == 200, response.text
    return contract.id, printed, response


def test_a_report_prints_its_chains_head_and_the_head_is_recorded(reported, clean_database):
    contract_id, printed, response = reported
    text = pdf_text(response.content)
    assert f"Entry {printed.sequence} of the contract's chain in the audit log: {printed.hash}" in text
    with Session(clean_database) as session:
        [recorded] = session.exec(select(RecordedHead)).all()
        assert (recorded.chain_id, recorded.sequence, recorded.entry_hash) == (contract_id, printed.sequence, printed.hash)
        assert str(recorded.report_id) == response.headers["x-report-id"]
        # The download itself is the next entry: the printed head stays inside the chain.
        assert audit_log.head(session, contract_id).sequence == printed.sequence + 1
    assert run_verify().exit_code == 0


def test_entries_cut_off_below_a_reports_head_fail_verification(reported, clean_database):
    contract_id, printed, response = reported
    keep = printed.sequence - 2
    cut_after(clean_database, contract_id, keep)  # head row moved too: the chain itself is valid

    result = run_verify()
    assert result.exit_code == 1
    assert result.stderr.startswith("audit log broken: contract OH-2016-REMONTHAGEN: ")
    assert f"entries {keep + 1}–{printed.sequence} are missing: the chain ends at entry {keep}" in result.stderr
    assert f"printed in report {response.headers['x-report-id']}" in result.stderr


def test_a_chain_rewritten_with_the_key_is_caught_by_a_reports_head(reported, clean_database):
    # Even someone holding the key (so every entry hashes right) cannot rewrite history
    # below a head that a report printed.
    contract_id, printed, response = reported
    key = audit_log.key()

    def with_the_key(prev_hash, content):
        return hmac.new(key, (prev_hash + canonical_json(content)).encode("utf-8"), hashlib.sha256).hexdigest()

    rewrite(clean_database, contract_id, printed.sequence - 1, {"title": "forged"}, with_the_key)
    result = run_verify()
    assert result.exit_code == 1
    assert f"entry {printed.sequence} is not the one recorded as the chain's head" in result.stderr
    assert f"printed in report {response.headers['x-report-id']}" in result.stderr
