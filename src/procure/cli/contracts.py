"""`procure contracts load PATH…` and `procure contracts export REFERENCE`: contracts as code.

`load` stores each TOML file as a contract of the buyer the file names, creating the
organisations it names when they are not yet registered; loading a file again makes
the stored contract equal to it, and an unchanged file changes nothing. Every file is
its own transaction: one bad file does not stop the others, but the command then exits 2
after printing each error as `file:line: field: message`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click


def _fail(message: str) -> NoReturn:
    click.echo(f"procure contracts: {message}", err=True)
    sys.exit(2)


def _session():
    from sqlmodel import Session

    from procure.settings import get_settings
    from procure.storage.database import check_connection, get_engine

    engine = get_engine(get_settings().database_url)
    check_connection(engine)
    return Session(engine, expire_on_commit=False)


@click.group("contracts")
def contracts() -> None:
    """Contracts as TOML files (SPEC: contracts as code)."""


@contracts.command("load")
@click.argument("paths", metavar="PATH…", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--accept-appointments", is_flag=True,
    help="Accept the contractor's, subcontractors' and auditors' appointments on their behalf (an operator's "
    "decision, recorded as such in the audit log). Without it they stay pending until each organisation accepts.",
)
def load(paths: tuple[Path, ...], accept_appointments: bool) -> None:
    """Load contract TOML files into the database, each as its buyer."""
    from procure.formats.contract_toml import load_contract_file
    from procure.formats.errors import InputErrors
    from procure.services.contracts import import_contract
    from procure.services.errors import ServiceError

    failed = 0
    with _session() as session:
        for path in paths:
            try:
                outcome = import_contract(session, None, load_contract_file(path), accept=accept_appointments)
            except InputErrors as problems:
                failed += 1
                for error in problems.errors:
                    click.echo(str(error), err=True)
                continue
            except ServiceError as error:
                session.rollback()
                failed += 1
                for problem in error.problems or []:
                    click.echo(f"{path}: {problem.field}: {problem.message}" if problem.field else f"{path}: {problem.message}", err=True)
                if not error.problems:
                    click.echo(f"{path}: {error.message}", err=True)
                continue
            reference = outcome.contract.reference
            if not outcome.changes:
                click.echo(f"{path}: {reference} unchanged")
            for change in outcome.changes:
                click.echo(f"{path}: {change}")
    if failed:
        _fail(f"{failed} of {len(paths)} file(s) had errors and were not loaded")


@contracts.command("export")
@click.argument("reference")
@click.option("--buyer", "buyer_org_number", help="The buyer's organisation number, when several buyers use REFERENCE.")
def export(reference: str, buyer_org_number: str | None) -> None:
    """Print the contract REFERENCE as TOML."""
    from procure.services.contracts import contract_by_reference, export_contract_toml
    from procure.services.errors import ServiceError

    with _session() as session:
        try:
            contract = contract_by_reference(session, reference, buyer_org_number)
        except ServiceError as error:
            _fail(error.message)
        click.echo(export_contract_toml(session, contract.id), nl=False)
