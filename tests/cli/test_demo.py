"""`procure demo`: the examples with their records and a user per role, idempotently."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import Engine, func
from sqlmodel import Session, SQLModel, select

from procure.cli import cli
from procure.services import audit_log
from procure.services.access import Action, contract_for
from procure.services.demo import DEMO_PASSWORD
from procure.services.passwords import verify_password
from procure.services.tokens import principal_of
from procure.storage.models import Contract, Placement, User

CONTRACTS = Path(__file__).parents[2] / "contracts"
EXAMPLES = sorted(p for p in CONTRACTS.glob("*.toml") if not p.name.endswith(".cases.toml"))
LOGINS = {
    "buyer@ostersundshem.example": "buyer",
    "contractor@skanska.example": "contractor",
    "subcontractor@ue.example": "contractor",
    "auditor@revision.example": "auditor",
    "admin@procure.example": "admin",
}


def run_demo():
    return CliRunner().invoke(cli, ["demo", "--contracts", str(CONTRACTS)], catch_exceptions=False)


def row_counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            table.name: session.exec(select(func.count()).select_from(table)).one()
            for table in SQLModel.metadata.sorted_tables
        }


def test_demo_loads_the_examples_with_users_per_role(clean_database: Engine) -> None:
    result = run_demo()
    assert result.exit_code == 0, result.stderr
    for email in LOGINS:
        assert email in result.stdout
    assert DEMO_PASSWORD in result.stdout and "demo" in result.stdout
    with Session(clean_database) as session:
        users = {u.email: u for u in session.exec(select(User)).all()}
        assert {email: users[email].role for email in LOGINS} == LOGINS
        assert all(verify_password(users[email].password_hash, DEMO_PASSWORD) for email in LOGINS)
        contracts = session.exec(select(Contract)).all()
        assert len(contracts) == len(EXAMPLES)
        for contract in contracts:
            placements = session.exec(select(func.count()).select_from(Placement).where(Placement.contract_id == contract.id)).one()
            assert placements > 0, contract.reference
            # The demo's subcontractor and auditor may read every example.
            for email in ("subcontractor@ue.example", "auditor@revision.example"):
                assert contract_for(session, principal_of(users[email]), contract.id, Action.READ)
        assert audit_log.verify(session) is None


def test_running_the_demo_twice_changes_nothing(clean_database: Engine) -> None:
    assert run_demo().exit_code == 0
    before = row_counts(clean_database)
    with Session(clean_database) as session:
        heads = [verdict.head for verdict in audit_log.verify_chains(session)]
    again = run_demo()
    assert again.exit_code == 0
    assert "nothing changed" in again.stdout
    assert row_counts(clean_database) == before
    with Session(clean_database) as session:
        assert [verdict.head for verdict in audit_log.verify_chains(session)] == heads


def test_demo_without_examples_exits_2(clean_database: Engine, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--contracts", str(tmp_path)])
    assert result.exit_code == 2
    assert "no contract TOML files" in result.stderr
