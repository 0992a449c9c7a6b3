"""`procure retention run`: pseudonymise participants of contracts past retention.

Meant for a daily or monthly timer (cron, systemd). The period is
`PROCURE_RETENTION_YEARS` (default 10) after each contract's end date.
"""

from __future__ import annotations

from datetime import date

import click

from procure.cli import confirm_destructive
from procure.cli.accounts import reported
from procure.services import retention as retention_service
from procure.settings import get_settings
from procure.storage.database import session_scope


@click.group()
def retention() -> None:
    """Retention of personal data (GDPR)."""


@retention.command()
@click.option("--dry-run", is_flag=True, help="Print what would be pseudonymised and change nothing.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (for a timer).")
def run(dry_run: bool, yes: bool) -> None:
    """Pseudonymise the participants of contracts that ended more than PROCURE_RETENTION_YEARS ago.

    It cannot be undone, so it asks first; a timer passes --yes.
    """
    years = get_settings().retention_years
    today = date.today()
    if not dry_run:
        cutoff = retention_service.cutoff(today, years).isoformat()
        confirm_destructive(
            f"This pseudonymises, for good, the participants of every contract that ended before {cutoff} "
            f"and removes their evidence files' content.", yes)
    with reported("retention run"), session_scope() as session:
        done = retention_service.run(session, years, today, dry_run=dry_run)
    verb = "would pseudonymise" if dry_run else "pseudonymised"
    for item in done:
        click.echo(f"{item.reference} (ended {item.end.isoformat()}): {verb} {item.participants} participants, "
                   f"{item.evidence_files} evidence files")
    cutoff = retention_service.cutoff(today, years).isoformat()
    click.echo(f"{len(done)} contracts {'due' if dry_run else 'done'} (ended before {cutoff}, retention {years} years)")
