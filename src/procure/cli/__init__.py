"""The `procure` command.

Each command group lives in its own module and is imported only when it is run, so
that `procure evaluate` starts without loading the web framework or the database.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

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
def cli() -> None:
    """procure: social clauses in public procurement, checked and explained."""


def main() -> None:
    try:
        cli.main(standalone_mode=True)
    except ConfigurationError as error:
        # Bad configuration is the operator's to fix: one line, no traceback.
        click.echo(f"procure: configuration error: {error}", err=True)
        sys.exit(2)
