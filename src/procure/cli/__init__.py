"""The `procure` command.

Each command group lives in its own module and is imported only when it is run, so
that `procure evaluate` starts without loading the web framework or the database.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from procure import __version__
from procure.settings import ConfigurationError

# command name -> "module:attribute" of a click command or group
COMMANDS: dict[str, str] = {
    "db": "procure.cli.db:db",
    "serve": "procure.cli.serve:serve",
    "demo": "procure.cli.demo:demo",
    "evaluate": "procure.cli.evaluate:evaluate",
    "contracts": "procure.cli.contracts:contracts",
    "orgs": "procure.cli.accounts:orgs",
    "users": "procure.cli.accounts:users",
    "placements": "procure.cli.placements:placements",
    "report": "procure.cli.report:report",
    "audit": "procure.cli.audit:audit",
    "retention": "procure.cli.retention:retention",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._importable(name))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS or not self._importable(name):
            return None
        module_name, attribute = COMMANDS[name].split(":")
        return getattr(importlib.import_module(module_name), attribute)

    @staticmethod
    def _importable(name: str) -> bool:
        return importlib.util.find_spec(COMMANDS[name].split(":")[0]) is not None


@click.group(cls=LazyGroup)
@click.version_option(__version__, "--version", "-V", prog_name="procure", message="%(prog)s %(version)s")
def cli() -> None:
    """procure: social clauses in public procurement, checked and explained."""


def main() -> None:
    try:
        cli.main(standalone_mode=True)
    except ConfigurationError as error:
        # Bad configuration is the operator's to fix: one line, no traceback.
        click.echo(f"procure: configuration error: {error}", err=True)
        sys.exit(2)


def confirm_destructive(question: str, yes: bool) -> None:
    """Ask before a change that cannot be undone; `--yes` answers for scripts and timers.

    Without a terminal to ask at (and without `--yes`), the answer is no: the command
    stops with exit code 1 and changes nothing.
    """
    if yes:
        return
    try:
        answer = click.confirm(f"{question} Continue?", default=False, err=True)
    except click.Abort:  # end of input: nobody to answer
        click.echo("", err=True)
        answer = False
    if not answer:
        click.echo("Nothing changed (pass --yes to skip this question).", err=True)
        sys.exit(1)
