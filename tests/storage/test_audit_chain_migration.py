"""Migration a1c0e5510004 on a database that already has an audit log: the one unkeyed
installation-wide chain becomes keyed chains per contract (and one for the installation),
re-hashed with the settings' secret; but only when the old chain is intact, so that the
upgrade never turns tampering into a valid keyed chain."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from procure.services import audit_log
from procure.settings import ConfigurationError
from procure.storage import migrations
from procure.storage.database import create_database_engine
from procure.storage.models import INSTALLATION_CHAIN

pytestmark = pytest.mark.storage

REVISION = "a1c0e5510004"
T0 = datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)


def before_revision() -> str:
    return ScriptDirectory.from_config(migrations.alembic_config()).get_revision(REVISION).down_revision


@pytest.fixture
def scratch_url(tmp_path) -> Iterator[str]:
    """A database of its own (this test migrates it up and down)."""
    server = os.environ.get("PROCURE_TEST_POSTGRES_URL")
    if not server:
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    name = f"procure_migration_{secrets.token_hex(6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def old_hash(prev_hash: str, content: dict) -> str:
    """The chain as it was: plain SHA-256 over the previous hash and the content."""
    text_ = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256((prev_hash + text_).encode("utf-8")).hexdigest()


def old_log(url: str) -> dict[str, uuid.UUID]:
    """Two contracts and seven entries in the old installation-wide chain: A, none, B, A, none, A, B."""
    engine = create_database_engine(url)
    when, uid = sa.DateTime(timezone=True), sa.Uuid()
    organisations = sa.table("organisations", *(sa.column(c) for c in ("name", "org_number", "kind")),
                             sa.column("id", uid), sa.column("created_at", when))
    contracts = sa.table("contracts", *(sa.column(c) for c in ("reference", "title", "site", "value_sek", "currency",
                                                               "status", "version")),
                         sa.column("start", sa.Date()), sa.column("end", sa.Date()),
                         sa.column("extra_target_groups", sa.JSON()), sa.column("id", uid),
                         sa.column("buyer_org_id", uid), sa.column("contractor_org_id", uid),
                         sa.column("created_at", when))
    log = sa.table("audit_log", *(sa.column(c) for c in ("sequence", "action", "object_type", "object_id", "reason",
                                                         "prev_hash", "entry_hash")),
                   sa.column("id", uid), sa.column("contract_id", uid), sa.column("actor_user_id", uid),
                   sa.column("at", when), sa.column("before", sa.JSON()), sa.column("after", sa.JSON()))
    buyer, contractor = uuid.uuid4(), uuid.uuid4()
    ids = {"A": uuid.uuid4(), "B": uuid.uuid4()}
    with engine.begin() as connection:
        connection.execute(organisations.insert(), [
            {"id": buyer, "name": "Östersundshem AB", "org_number": "556110-1816", "kind": "buyer", "created_at": T0},
            {"id": contractor, "name": "Skanska Sverige AB", "org_number": "556033-4285", "kind": "contractor",
             "created_at": T0},
        ])
        connection.execute(contracts.insert(), [
            {"id": ids[name], "reference": f"OH-{name}", "title": name, "site": "", "value_sek": 0, "currency": "SEK",
             "start": date(2016, 3, 1), "end": date(2018, 6, 30), "status": "active", "extra_target_groups": [],
             "buyer_org_id": buyer, "contractor_org_id": contractor, "created_at": T0, "version": 1}
            for name in ids
        ])
        previous = "0" * 64
        for sequence, name in enumerate(["A", None, "B", "A", None, "A", "B"], start=1):
            contract_id = ids[name] if name else None
            at = T0 + timedelta(minutes=sequence)
            row = {"sequence": sequence, "contract_id": str(contract_id) if contract_id else None,
                   "actor_user_id": None, "at": at.isoformat(timespec="microseconds"), "action": "update",
                   "object_type": "contract" if name else "organisation", "object_id": str(contract_id or buyer),
                   "before": None, "after": {"share": "0.05", "n": sequence}, "reason": None}
            digest = old_hash(previous, row)
            connection.execute(log.insert().values(
                id=uuid.uuid4(), sequence=sequence, contract_id=contract_id, actor_user_id=None, at=at,
                action=row["action"], object_type=row["object_type"], object_id=row["object_id"],
                before=None, after=row["after"], reason=None, prev_hash=previous, entry_hash=digest))
            previous = digest
    engine.dispose()
    return ids


def positions(url: str) -> dict[uuid.UUID, list[int]]:
    engine = create_database_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT contract_id, sequence FROM audit_log ORDER BY at")).all()
    engine.dispose()
    found: dict[uuid.UUID, list[int]] = {}
    for contract_id, sequence in rows:
        key = uuid.UUID(str(contract_id)) if contract_id else INSTALLATION_CHAIN
        found.setdefault(key, []).append(sequence)
    return found


def test_existing_entries_become_keyed_chains_per_contract(scratch_url: str) -> None:
    migrations.upgrade(scratch_url, before_revision())
    ids = old_log(scratch_url)
    migrations.upgrade(scratch_url)

    assert positions(scratch_url) == {ids["A"]: [1, 2, 3], INSTALLATION_CHAIN: [1, 2], ids["B"]: [1, 2]}
    engine = create_database_engine(scratch_url)
    with Session(engine) as session:
        verdicts = {v.chain_id: v for v in audit_log.verify_chains(session)}
        assert set(verdicts) == {ids["A"], ids["B"], INSTALLATION_CHAIN}
        assert [v.problem for v in verdicts.values()] == [None, None, None]
        assert verdicts[ids["A"]].head.sequence == 3 and verdicts[ids["A"]].entries == 3
        # The chain goes on where the migration left it.
        entry = audit_log.record(session, None, "update", "contract", ids["B"], contract_id=ids["B"])
        session.commit()
        assert entry.sequence == 3 and audit_log.verify(session) is None
    engine.dispose()

    # Down to the one unkeyed chain (which the upgrade verifies again), and back.
    migrations.downgrade(scratch_url, before_revision())
    migrations.upgrade(scratch_url)
    assert positions(scratch_url)[ids["B"]] == [1, 2, 3]


def test_a_broken_old_chain_stops_the_upgrade_and_changes_nothing(scratch_url: str) -> None:
    migrations.upgrade(scratch_url, before_revision())
    old_log(scratch_url)
    engine = create_database_engine(scratch_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET reason = 'forged' WHERE sequence = 4"))
    engine.dispose()

    with pytest.raises(ConfigurationError, match=r"the audit log is broken \(the installation-wide chain, entry 4: "
                                                 r"changed after it was written\); the upgrade stopped and changed nothing"):
        migrations.upgrade(scratch_url)
    assert migrations.current_revision(scratch_url) == before_revision()
    assert sorted(sum(positions(scratch_url).values(), [])) == [1, 2, 3, 4, 5, 6, 7]
