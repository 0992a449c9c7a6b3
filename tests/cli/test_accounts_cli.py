"""`procure orgs` and `procure users` as an operator runs them, password on standard input."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from sqlmodel import Session, select

from procure.cli import cli
from procure.services.passwords import verify_password
from procure.storage.models import AuditLogEntry, Organisation, User

PASSWORD = "ett långt lösenord"


def run(*args: str, input: str | None = None):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:  # click 8.2 keeps stderr apart already
        runner = CliRunner()
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def buyer_org(clean_database: Engine) -> str:
    result = run("orgs", "create", "Östersundshem AB", "--org-number", "5561101816", "--kind", "buyer")
    assert result.exit_code == 0, result.stderr
    return "556110-1816"


def test_orgs_create_and_list(buyer_org: str, clean_database: Engine) -> None:
    assert run("orgs", "create", "Skanska Sverige AB", "--org-number", "556033-4285", "--kind", "contractor").exit_code == 0
    listed = run("orgs", "list")
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [["556033-4285", "contractor"], ["556110-1816", "buyer"]]
    assert "Östersundshem AB" in lines[1]
    with Session(clean_database) as session:
        logged = session.exec(select(AuditLogEntry.object_type, AuditLogEntry.actor_user_id)).all()
    assert logged == [("organisation", None), ("organisation", None)]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--org-number", "5561101816", "--kind", "buyer"], "556110-1816 already exists"),
        (["--org-number", "5561101817", "--kind", "buyer"], "not a valid Swedish organisation number"),
    ],
    ids=["duplicate", "bad check digit"],
)
def test_orgs_create_errors_are_one_line_and_exit_2(buyer_org: str, args: list[str], message: str) -> None:
    result = run("orgs", "create", "Another AB", *args)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_users_create_reads_the_password_from_stdin(buyer_org: str, clean_database: Engine) -> None:
    result = run(
        "users", "create", "Anna.Berg@Ostersundshem.se", "--role", "buyer", "--org-number", buyer_org, "--org-admin",
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.stderr
    assert "created buyer user anna.berg@ostersundshem.se of Östersundshem AB (556110-1816), organisation administrator" in result.stdout
    assert PASSWORD not in result.stdout + result.stderr
    with Session(clean_database) as session:
        user = session.exec(select(User).where(User.email == "anna.berg@ostersundshem.se")).one()
        organisation = session.exec(select(Organisation)).one()
    assert verify_password(user.password_hash, PASSWORD)
    assert user.is_org_admin and user.organisation_id == organisation.id


def test_an_admin_needs_no_organisation(clean_database: Engine) -> None:
    result = run("users", "create", "drift@procure.test", "--role", "admin", input=PASSWORD)
    assert result.exit_code == 0, result.stderr
    assert "created admin user drift@procure.test, id" in result.stdout


@pytest.mark.parametrize(
    "args, password, message",
    [
        (["--role", "contractor", "--org-number", "5561101816"], PASSWORD, "role 'contractor' does not fit Östersundshem AB"),
        (["--role", "buyer", "--org-number", "556033-4285"], PASSWORD, "no organisation has the organisation number 556033-4285"),
        (["--role", "buyer", "--org-number", "5561101816"], "kort\n", "password: String should have at least 10 characters"),
        (["--role", "buyer"], PASSWORD, "buyer users belong to an organisation of kind 'buyer'"),
        (["--role", "buyer", "--org-number", "5561101816"], "", "no password on standard input"),
    ],
    ids=["role does not fit", "unknown organisation", "short password", "no organisation", "no password"],
)
def test_users_create_errors_are_one_line_and_exit_2(
    buyer_org: str, clean_database: Engine, args: list[str], password: str, message: str
) -> None:
    result = run("users", "create", "ny@ostersundshem.se", *args, input=password)
    assert result.exit_code == 2, result.stdout
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
    with Session(clean_database) as session:
        assert session.exec(select(User)).all() == []
