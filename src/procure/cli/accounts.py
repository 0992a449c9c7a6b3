"""`procure orgs` and `procure users`: the operator's way to set up organisations and users.

The console operator holds the database itself, so these act as the installation's
administrator (the audit log records no user for them). The rules are the API's:
both call procure.services.accounts.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import click
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError, ProgrammingError

from procure.domain.vocabulary import ORGANISATION_KINDS, ROLES
from procure.services import accounts
from procure.services.errors import ServiceError
from procure.storage.database import session_scope
from procure.storage.models import OrganisationCreate, UserCreate


def fail(command: str, message: str) -> NoReturn:
    click.echo(f"procure {command}: {message}", err=True)
    sys.exit(2)


@contextmanager
def reported(command: str) -> Iterator[None]:
    """Turn the errors a user can cause into one line each and exit status 2."""
    try:
        yield
    except ServiceError as error:
        details = [p.message for p in error.problems if p.message != error.message]
        fail(command, "; ".join([error.message, *details]))
    except ValidationError as error:
        for problem in error.errors():
            field = ".".join(str(part) for part in problem["loc"]) or "input"
            click.echo(f"procure {command}: {field}: {problem['msg']}", err=True)
        sys.exit(2)
    except (OperationalError, ProgrammingError) as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        fail(command, f"the database cannot be used ({reason}); run `procure db upgrade` first?")


def read_password() -> str:
    """The password from standard input: its first line when piped, a hidden prompt at a terminal."""
    stream = sys.stdin  # click.get_text_stream is deprecated (Click 9 removes it)
    if stream.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    return stream.readline().rstrip("\r\n")


# --- organisations -------------------------------------------------------------------


@click.group()
def orgs() -> None:
    """Organisations: buyers, contractors and subcontractors, audit firms."""


@orgs.command("create")
@click.argument("name")
@click.option("--org-number", required=True, help="Swedish organisation number, NNNNNN-NNNN.")
@click.option("--kind", required=True, type=click.Choice(ORGANISATION_KINDS), help="What the organisation is.")
def create_org(name: str, org_number: str, kind: str) -> None:
    """Create the organisation NAME."""
    with reported("orgs create"), session_scope() as session:
        organisation = accounts.create_organisation(
            session, None, OrganisationCreate(name=name, org_number=org_number, kind=kind)
        )
        click.echo(f"created {organisation.kind} organisation {organisation.name} ({organisation.org_number}), id {organisation.id}")


@orgs.command("list")
def list_orgs() -> None:
    """Every organisation: number, kind, name and id."""
    with reported("orgs list"), session_scope() as session:
        offset = 0
        while True:
            rows, total = accounts.list_organisations(session, None, limit=500, offset=offset)
            for organisation in rows:
                click.echo(f"{organisation.org_number}  {organisation.kind:<10}  {organisation.name}  {organisation.id}")
            offset += len(rows)
            if not rows or offset >= total:
                break


# --- users ---------------------------------------------------------------------------


@click.group()
def users() -> None:
    """People who sign in."""


@users.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES), help="Must fit the organisation's kind.")
@click.option("--org-number", help="The user's organisation (none for an admin).")
@click.option("--org-admin", is_flag=True, help="May create users of its own organisation.")
@click.option("--full-name", default="", help="The person's name.")
def create_user(email: str, role: str, org_number: str | None, org_admin: bool, full_name: str) -> None:
    """Create the user EMAIL; the password is read from standard input.

    \b
    echo 'a long password' | procure users create anna@example.se --role buyer --org-number 556110-1816
    """
    password = read_password()
    if not password:
        fail("users create", "no password on standard input: pipe it in, e.g. echo 'a long password' | procure users create …")
    with reported("users create"), session_scope() as session:
        organisation = accounts.organisation_by_number(session, org_number) if org_number else None
        user = accounts.create_user(
            session,
            None,
            UserCreate(
                email=email,
                role=role,
                full_name=full_name,
                organisation_id=organisation.id if organisation else None,
                is_org_admin=org_admin,
                password=password,
            ),
        )
        where = f" of {organisation.name} ({organisation.org_number})" if organisation else ""
        admin = ", organisation administrator" if user.is_org_admin else ""
        click.echo(f"created {user.role} user {user.email}{where}{admin}, id {user.id}")
