"""`procure evaluate`: check a contract TOML against placements CSV files, without a database.

This is what an auditor re-runs on the files attached to a report, so it reads only the
files it is given and prints the same result JSON as the API. Exit codes are SPEC's:
0 when every clause is met, on track or waived; 1 when any is at risk, breached or
pending; 2 on bad input, with every error of every file printed.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import tomllib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from procure.domain.model import ContractRecords
from procure.formats.contract_toml import load_contract_file
from procure.formats.errors import InputError, InputErrors
from procure.formats.records_csv import read_labour_hours, read_period_reports, read_placements

GOOD_STATUSES = ("met", "on_track", "waived")
# The table lists this many excluded placements; the JSON has them all.
EXCLUDED_SHOWN = 50

_file = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("evaluate")
@click.argument("contract_file", metavar="CONTRACT.toml", type=_file)
@click.option("--placements", "placements_file", required=True, type=_file, help="Placements CSV.")
@click.option("--hours", "hours_file", type=_file, help="Labour hours CSV (month, employer_org_number, hours).")
@click.option("--reports", "reports_file", type=_file, help="Period reports CSV (period, submitted_on).")
@click.option(
    "--as-of", "as_of", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="Evaluate as of this date (YYYY-MM-DD)."
)
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--lang", "lang", type=click.Choice(["en", "sv"]), default="en", show_default=True,
              help="Language of the table's explanations and reasons (the JSON is always SPEC's English).")
def evaluate(
    contract_file: Path,
    placements_file: Path,
    hours_file: Path | None,
    reports_file: Path | None,
    as_of: datetime,
    output: str,
    lang: str = "en",
) -> None:
    """Evaluate the clauses of CONTRACT.toml against reported placements as of a date."""
    from procure.engine import evaluate as evaluate_contract

    errors: list[InputError] = []
    contract = _collect(errors, lambda: load_contract_file(contract_file))
    extra_groups = contract.extra_target_groups if contract else _own_groups(contract_file)
    # Only duplicates within this run matter here, so a random key is as good as the
    # installation's; with PROCURE_SECRET_KEY the hashes match the installation's.
    secret = os.environ.get("PROCURE_SECRET_KEY", "").encode() or secrets.token_bytes(32)
    people = _collect(
        errors,
        lambda: read_placements(
            placements_file, secret=secret, name=str(placements_file), extra_target_groups=extra_groups
        ),
    )
    hours = _collect(errors, lambda: read_labour_hours(hours_file)) if hours_file else ()
    reports = _collect(errors, lambda: read_period_reports(reports_file)) if reports_file else ()
    if errors or contract is None or people is None or hours is None or reports is None:
        for error in errors:
            click.echo(str(error), err=True)
        click.echo(f"procure evaluate: {len(errors)} error(s) in the input; nothing was evaluated", err=True)
        sys.exit(2)

    participants, placements = people
    records = ContractRecords(participants, placements, hours, reports)
    result = evaluate_contract(contract, records, as_of.date())
    if output == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_table(contract.title, result.to_json(lang))
    sys.exit(0 if result.overall in GOOD_STATUSES else 1)


def _collect(errors: list[InputError], read: Callable[[], Any]) -> Any:
    try:
        return read()
    except InputErrors as problems:
        errors.extend(problems.errors)
        return None


def _own_groups(contract_file: Path) -> tuple[str, ...]:
    """The contract's own target groups even when the contract has errors, so that the
    placements are not also reported wrong for using them."""
    try:
        groups = tomllib.loads(contract_file.read_text(encoding="utf-8-sig"))["contract"]["target_groups"]
    except Exception:  # any problem is already reported by the contract's loader
        return ()
    return tuple(group for group in groups if isinstance(group, str)) if isinstance(groups, list) else ()


# -- the table ------------------------------------------------------------------------

_STATUS_STYLE = {
    "met": "green",
    "on_track": "green",
    "waived": "cyan",
    "pending": "yellow",
    "at_risk": "yellow",
    "breached": "bold red",
}


def _figure(value: Any, share: bool) -> str:
    if value is None:
        return "–"
    if share:
        return f"{float(value) * 100:.1f} %"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}".replace(",", " ") if isinstance(value, int) else str(value)


def _sek(value: Any) -> str:
    return f"{int(value or 0):,}".replace(",", " ")


def _print_table(title: str, result: dict[str, Any]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from procure.engine.rules import RULES

    # A pipe or a file has no width; 120 columns fit the figures without truncation.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)
    overall = result["overall"]
    console.print(
        f"[bold]{result['contract']}[/bold] {title}\n"
        f"as of {result['as_of']}: [{_STATUS_STYLE.get(overall, '')}]{overall}[/]"
    )
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("clause", no_wrap=True)
    table.add_column("rule", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for heading in ("actual", "target", "expected", "shortfall", "penalty SEK"):
        table.add_column(heading, justify="right", no_wrap=True)
    for clause in result["clauses"]:
        rule = RULES.get(clause["rule"])
        share = getattr(rule, "measure", "") == "share"
        status = clause["status"]
        table.add_row(
            clause["code"],
            clause["rule"],
            f"[{_STATUS_STYLE.get(status, '')}]{status}[/]",
            _figure(clause.get("actual"), share),
            _figure(clause.get("target"), share),
            _figure(clause.get("expected"), share),
            _figure(clause.get("shortfall"), share),
            _sek(clause.get("penalty_sek")),
        )
    console.print(table)
    for clause in result["clauses"]:
        if clause.get("explanation"):
            console.print(f"[bold]{clause['code']}[/bold]: {clause['explanation']}")

    # One line per placement and reason, naming every clause it did not count for:
    # a placement too short for one clause is usually too short for all of them.
    reasons: dict[tuple[str, str], list[str]] = {}
    for clause in result["clauses"]:
        for item in clause.get("excluded", []):
            reasons.setdefault((item.get("placement_id", ""), item.get("reason", "")), []).append(clause["code"])
    if not reasons:
        return
    listing = Table(title="Placements that did not count", title_justify="left", box=box.SIMPLE_HEAD)
    listing.add_column("placement", no_wrap=True)
    listing.add_column("clauses")
    listing.add_column("reason")
    for (placement, reason), codes in list(reasons.items())[:EXCLUDED_SHOWN]:
        listing.add_row(placement, ", ".join(codes), reason)
    console.print(listing)
    if len(reasons) > EXCLUDED_SHOWN:
        console.print(f"… and {len(reasons) - EXCLUDED_SHOWN} more; --format json lists them all")


__all__ = ["evaluate"]
