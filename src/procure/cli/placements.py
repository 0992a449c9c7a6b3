"""`procure placements import REFERENCE FILE.csv`: a contractor's spreadsheet into the database.

The same service as `POST /api/contracts/{id}/placements/import`: all or nothing, every
error printed by row and column, the same file twice changes nothing. The import is
recorded in the audit log as made by `--user` (a user of the contractor or an appointed
subcontractor), or, without it, by the operator on the contractor's behalf.

At most the first 1,000 errors of a file are printed, then their total. Exit codes: 0
imported, 2 bad input, unknown contract or too many failed imports of late (nothing was
written).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from procure.cli.counts import counted


def _fail(message: str) -> NoReturn:
    click.echo(f"procure placements: {message}", err=True)
    sys.exit(2)


@click.group("placements")
def placements() -> None:
    """Placements of a contract."""


@placements.command("import")
@click.argument("reference")
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--buyer", "buyer_org_number", help="The buyer's organisation number, when several buyers use REFERENCE.")
@click.option("--user", "user_email", help="Import as this user (recorded in the audit log).")
@click.option("--reason", help="Why placements of an already reported period change.")
def import_command(
    reference: str, csv_file: Path, buyer_org_number: str | None, user_email: str | None, reason: str | None
) -> None:
    """Import the placements in FILE.csv into the contract REFERENCE."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
    from sqlmodel import Session, select

    from procure.formats.errors import InputErrors
    from procure.services.access import Principal
    from procure.services.contracts import contract_by_reference, contractor_appointment
    from procure.services.errors import ServiceError
    from procure.services.placement_import import import_placements
    from procure.services.tokens import principal_of
    from procure.settings import get_settings
    from procure.storage.database import check_connection, get_engine
    from procure.storage.models import User

    settings = get_settings()
    engine = get_engine(settings.database_url)
    check_connection(engine)
    with Session(engine, expire_on_commit=False) as session:
        try:
            contract = contract_by_reference(session, reference, buyer_org_number)
        except ServiceError as error:
            _fail(error.message)
        invited = contractor_appointment(session, contract)
        if not user_email and (invited is None or invited.status != "accepted"):
            _fail(f"the contractor has not accepted its appointment to {reference}: it accepts on its invitations page "
                  "(/appointments), or the operator loads the contract with `procure contracts load --accept-appointments`")
        if user_email:
            user = session.exec(select(User).where(User.email == user_email.strip().lower())).first()
            if user is None:
                _fail(f"no user {user_email}")
            principal = principal_of(user)
        else:
            # The operator, on the contractor's behalf; no user to name in the audit log.
            principal = Principal(user_id=None, email="procure placements import", role="contractor",
                                  organisation_id=contract.contractor_org_id)
        # The bar follows the bytes read, as the rows are counted while the file streams by.
        columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
        with Progress(*columns, console=None, transient=False) as bar:
            task = bar.add_task(counted(0, "row", "rows"), total=None)

            def progress(rows: int, read: int | None, size: int | None) -> None:
                bar.update(task, description=counted(rows, "row", "rows"), completed=read or 0, total=size)

            try:
                result = import_placements(
                    session, principal, contract.id, csv_file, secret=settings.secret_key,
                    name=csv_file.name, reason=reason, progress=progress,
                )
            except InputErrors as problems:
                bar.stop()
                for problem in problems.errors:
                    click.echo(str(problem), err=True)
                listed = f" (the first {len(problems.errors):,} printed)" if problems.truncated else ""
                _fail(f"{counted(problems.total, 'error', 'errors')} in {csv_file.name}{listed}; nothing was imported")
            except ServiceError as error:
                bar.stop()
                _fail(error.message)
    click.echo(
        f"{csv_file.name}: {counted(result.rows, 'row', 'rows')}: "
        f"{counted(result.created, 'placement', 'placements')} created, {result.updated} updated, "
        f"{result.unchanged} unchanged; {counted(result.participants_created, 'participant', 'participants')} created, "
        f"{result.participants_updated} updated"
    )
    click.echo(f"sha256 {result.file_sha256}")
