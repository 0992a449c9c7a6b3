"""`procure audit verify`: recompute every chain of the audit log with the installation's key."""

from __future__ import annotations

import sys

import click

from procure.cli.accounts import reported
from procure.cli.counts import counted
from procure.services import audit_log
from procure.storage.database import session_scope


@click.group()
def audit() -> None:
    """The keyed, hash-chained audit log (one chain per contract, one for the installation)."""


@audit.command()
def verify() -> None:
    """Exit 0 when every chain is intact, 1 naming each chain's first altered, removed or
    reordered entry, or a head recorded in an issued report that is no longer in its chain."""
    with reported("audit verify"), session_scope() as session:
        verdicts = audit_log.verify_chains(session)
        broken = [(v, v.problem) for v in verdicts if v.problem is not None]
        for verdict, problem in broken:
            detail = audit_log.describe_problem(session, verdict.chain_id, problem)
            click.echo(f"audit log broken: {verdict.name}: {detail}", err=True)
        if broken:
            sys.exit(1)
        entries = sum(v.entries for v in verdicts)
    click.echo(f"audit log intact: {counted(entries, 'entry', 'entries')} in {counted(len(verdicts), 'chain', 'chains')}")
    for verdict in verdicts:
        click.echo(f"  {verdict.name}: head {verdict.head.sequence} {verdict.head.hash}")
