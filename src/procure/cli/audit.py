"""`procure audit verify`: recompute the audit log's hash chain."""

from __future__ import annotations

import sys

import click

from procure.cli.accounts import reported
from procure.cli.counts import counted
from procure.services import audit_log
from procure.storage.database import session_scope


@click.group()
def audit() -> None:
    """The hash-chained audit log."""


@audit.command()
def verify() -> None:
    """Exit 0 when every entry is intact, 1 naming the first altered, removed or reordered one."""
    with reported("audit verify"), session_scope() as session:
        problem = audit_log.verify(session)
        if problem is not None:
            click.echo(f"audit log broken: {audit_log.describe_problem(session, problem)}", err=True)
            sys.exit(1)
        count, head = audit_log.entry_count(session), audit_log.head_hash(session)
    click.echo(f"audit log intact: {counted(count, 'entry', 'entries')}, head {head}")
