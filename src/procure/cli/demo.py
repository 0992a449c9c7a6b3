"""`procure demo`: a demonstration database with the contracts/ examples and a user per role.

For trying procure out on one's own machine: every demo user has the password
`procure-demo`, printed below. Never run it on an installation real people use.
Running it twice changes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click


def _default_contracts() -> Path:
    from procure.resources import resource_dir

    here = Path("contracts")
    return here if here.is_dir() else resource_dir("contracts")


@click.command("demo")
@click.option(
    "--contracts", "contracts_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Directory of example contract TOML files with their CSVs (default: ./contracts).",
)
def demo(contracts_dir: Path | None) -> None:
    """Load the example contracts with realistic placements, and demo users (password procure-demo)."""
    from sqlmodel import Session

    from procure.formats.errors import InputErrors
    from procure.services.demo import DEMO_PASSWORD, example_files, run_demo
    from procure.services.errors import ServiceError
    from procure.settings import get_settings
    from procure.storage.database import check_connection, get_engine

    contracts_dir = contracts_dir or _default_contracts()
    if not example_files(contracts_dir):
        click.echo(f"procure demo: no contract TOML files in {contracts_dir}; give --contracts DIR", err=True)
        sys.exit(2)
    settings = get_settings()
    engine = get_engine(settings.database_url)
    check_connection(engine)
    with Session(engine, expire_on_commit=False) as session:
        try:
            outcome = run_demo(session, contracts_dir, settings.secret_key)
        except InputErrors as problems:
            for error in problems.errors:
                click.echo(str(error), err=True)
            sys.exit(2)
        except ServiceError as error:
            click.echo(f"procure demo: {error.message}", err=True)
            sys.exit(2)
    for change in outcome.changes:
        click.echo(change)
    if not outcome.changes:
        click.echo("the demo data is already in place; nothing changed")
    click.echo(f"\nDemo logins (password {DEMO_PASSWORD!r}; for a demo on your own machine only):")
    for email, role in outcome.logins:
        click.echo(f"  {role:<10}  {email}")
