"""`procure placements import REFERENCE FILE.csv` as an operator runs it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import Session, func, select

from procure.cli import cli
from procure.settings import get_settings
from procure.storage.models import Appointment, AuditLogEntry, Contract, Organisation, Placement, User

HEADER = "participant_ref,target_groups,gender,birth_year,personnummer,placement_type,start,end,hours_per_week,days_per_week,employer_org_number,status"
ROW = "P-{n},newcomer,female,1990,,internship,2017-0{m}-01,2017-0{m}-28,24,3,556033-4285,completed"


@pytest.fixture
def contract(clean_database, monkeypatch):
    monkeypatch.setenv("PROCURE_SECRET_KEY", "s" * 40)
    get_settings.cache_clear()
    with Session(clean_database) as session:
        buyer = Organisation(name="Östersundshem AB", org_number="556110-1816", kind="buyer")
        contractor = Organisation(name="Skanska Sverige AB", org_number="556033-4285", kind="contractor")
        session.add_all([buyer, contractor])
        session.flush()
        session.add(User(email="site@skanska.test", role="contractor", organisation_id=contractor.id, password_hash="!"))
        contract = Contract(reference="OH-2016-REMONTHAGEN", title="Remonthagen", buyer_org_id=buyer.id,
                            contractor_org_id=contractor.id, start=date(2016, 3, 1), end=date(2018, 6, 30), status="active")
        session.add(contract)
        session.flush()
        session.add(Appointment(contract_id=contract.id, organisation_id=contractor.id, org_number=contractor.org_number,
                                role="contractor", status="accepted"))  # the contractor accepted
        session.commit()
    yield clean_database
    get_settings.cache_clear()


def run(*args: str | Path):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    return runner.invoke(cli, ["placements", "import", *map(str, args)], catch_exceptions=False)


def write(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "placements.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def count(engine, model) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_import_then_reimport_changes_nothing(contract, tmp_path):
    path = write(tmp_path, [ROW.format(n=n, m=n) for n in range(1, 4)])
    first = run("OH-2016-REMONTHAGEN", path, "--user", "site@skanska.test")
    assert first.exit_code == 0, first.stderr
    assert "3 placements created" in first.stdout
    again = run("OH-2016-REMONTHAGEN", path)
    assert again.exit_code == 0, again.stderr
    assert "0 placements created, 0 updated, 3 unchanged" in again.stdout
    assert count(contract, Placement) == 3
    with Session(contract) as session:
        [entry] = session.exec(select(AuditLogEntry)).all()
        user = session.exec(select(User)).one()
    assert entry.actor_user_id == user.id


def test_bad_rows_are_printed_with_row_and_column_and_exit_2(contract, tmp_path):
    path = write(tmp_path, [ROW.format(n=1, m=1), ROW.format(n=2, m=2).replace("internship", "praktik")])
    result = run("OH-2016-REMONTHAGEN", path)
    assert result.exit_code == 2
    assert "row 3" in result.stderr and "column placement_type" in result.stderr
    assert "nothing was imported" in result.stderr
    assert count(contract, Placement) == 0


def test_an_unknown_contract_or_user_is_a_clear_error(contract, tmp_path):
    path = write(tmp_path, [ROW.format(n=1, m=1)])
    unknown = run("NO-SUCH", path)
    assert unknown.exit_code == 2
    assert "no contract with the reference NO-SUCH" in unknown.stderr
    nobody = run("OH-2016-REMONTHAGEN", path, "--user", "nobody@test")
    assert nobody.exit_code == 2
    assert "no user nobody@test" in nobody.stderr


def test_a_file_of_many_bad_rows_prints_the_first_1000_errors_and_the_total(contract, tmp_path):
    """Issue 12, finding 8: unbounded error lists — the CLI prints the first 1,000 errors and their total."""
    path = write(tmp_path, [ROW.format(n=n, m=1).replace("internship", "praktik") for n in range(1, 1501)])
    result = run("OH-2016-REMONTHAGEN", path)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert sum("column placement_type" in line for line in lines) == 1000
    assert "1,500 errors in placements.csv (the first 1,000 printed); nothing was imported" in lines[-1]
