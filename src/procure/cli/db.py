"""`procure db`: bring the database schema to the version this code needs."""

from __future__ import annotations

import click
from alembic.util.exc import CommandError

from procure.cli import confirm_destructive
from procure.settings import get_settings
from procure.storage import migrations
from procure.storage.database import describe, parse_database_url


def _where() -> str:
    return describe(parse_database_url(get_settings().database_url))


@click.group()
def db() -> None:
    """Create and migrate the database (PROCURE_DATABASE_URL, default sqlite:///procure.sqlite3)."""


@db.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: the newest, head)."""
    try:
        migrations.upgrade(revision=revision)
    except CommandError as error:
        raise click.BadParameter(str(error), param_hint="REVISION") from None
    click.echo(f"{_where()} is at revision {migrations.current_revision()}")


@db.command(context_settings={"ignore_unknown_options": True})  # "-1" is a revision, not an option
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def downgrade(revision: str, yes: bool) -> None:
    """Migrate the database down to REVISION ("base" removes every table, "-1" undoes one step).

    Tables and columns that later revisions added are dropped with their data, so it asks
    first; back up the database before.
    """
    what = "every table" if revision == "base" else "the tables and columns added after that revision"
    confirm_destructive(f"This migrates {_where()} down to {revision} and drops {what}, with their data.", yes)
    try:
        migrations.downgrade(revision=revision)
    except CommandError as error:
        raise click.BadParameter(str(error), param_hint="REVISION") from None
    click.echo(f"{_where()} is at revision {migrations.current_revision() or 'base (empty)'}")


@db.command()
def check() -> None:
    """Exit 0 when the database is at head and matches the models, 1 otherwise."""
    current, head = migrations.current_revision(), migrations.head_revision()
    if current != head:
        click.echo(
            f"{_where()} is at revision {current or 'base (empty)'}, the code needs {head}: "
            "run `procure db upgrade`",
            err=True,
        )
        raise SystemExit(1)
    changes = migrations.pending_changes()
    if changes:
        click.echo("the models differ from the migrations (a migration is missing):", err=True)
        for change in changes:
            click.echo(f"  {change}", err=True)
        raise SystemExit(1)
    click.echo(f"{_where()} is at head ({head}) and matches the models")


@db.command()
@click.option("--message", "-m", required=True, help="What the migration changes, in a few words.")
def revision(message: str) -> None:
    """For developers: write a new migration for the model changes (review it before committing).

    Compare against a database at head, e.g. PROCURE_DATABASE_URL=sqlite:////tmp/scratch.sqlite3
    after `procure db upgrade`.
    """
    migrations.make_revision(message)
