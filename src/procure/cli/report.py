"""`procure report`: the audit report PDF from files, and its offline verification.

    procure report CONTRACT.toml --placements FILE.csv [--hours F] [--reports F] --as-of DATE [--lang sv|en] --out FILE.pdf
    procure report --contract REFERENCE [--buyer ORG_NUMBER] --as-of DATE [--lang sv|en] --out FILE.pdf
    procure report verify FILE.pdf
    procure report evidence CONTRACT.toml --placements FILE.csv … --as-of DATE --out FILE.csv|FILE.xlsx

From files, no database is used. With --contract the report is of a contract stored in
the configured database, and recorded there as issued (procure.services.reports);
`verify` also asks that database, when there is one, whether it issued the file.
Exit codes: 0 done (or valid), 1 not valid (verify), 2 bad input, with every error on
its own line.
"""

from __future__ import annotations

import json
import sys
import uuid
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import click

from procure.cli.counts import counted

_file = click.Path(exists=True, dir_okay=False, path_type=Path)
_out = click.Path(dir_okay=False, writable=True, path_type=Path)


class _DefaultToMake(click.Group):
    """`procure report CONTRACT.toml …` runs `make`; `procure report verify …` its subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["make", *args]
        return super().parse_args(ctx, args)


@click.group("report", cls=_DefaultToMake)
def report() -> None:
    """The audit report PDF of a contract (`make`, the default) and its verification."""


def _input_options(command: Any, required: bool = True) -> Any:
    for decorator in reversed([
        click.argument("contract_file", metavar="CONTRACT.toml" if required else "[CONTRACT.toml]", type=_file,
                       required=required),
        click.option("--placements", "placements_file", required=required, type=_file, help="Placements CSV."),
        click.option("--hours", "hours_file", type=_file, help="Labour hours CSV (month, employer_org_number, hours)."),
        click.option("--reports", "reports_file", type=_file, help="Period reports CSV (period, submitted_on)."),
        click.option("--as-of", "as_of", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
                     help="Evaluate as of this date (YYYY-MM-DD)."),
    ]):
        command = decorator(command)
    return command


def _load_and_evaluate(contract_file: Path, placements_file: Path, hours_file: Path | None,
                       reports_file: Path | None, as_of: datetime) -> tuple[Any, Any, Any]:
    import os

    from procure.engine import evaluate
    from procure.formats.errors import InputErrors
    from procure.reports.inputs import load_input_files

    secret = os.environ.get("PROCURE_SECRET_KEY", "").encode() or None
    try:
        contract, records = load_input_files(contract_file, placements_file, hours_file, reports_file, secret=secret)
    except InputErrors as problems:
        for error in problems.errors:
            click.echo(str(error), err=True)
        click.echo(f"procure report: {len(problems.errors)} error(s) in the input; no report was made", err=True)
        sys.exit(2)
    return contract, records, evaluate(contract, records, as_of.date())


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        click.echo(f"procure report: cannot write {path}: {error.strerror}", err=True)
        sys.exit(2)


@report.command("make")
@partial(_input_options, required=False)
@click.option("--contract", "reference", metavar="REFERENCE", help="A contract stored in the database, instead of files.")
@click.option("--buyer", "buyer_org_number", metavar="ORG_NUMBER", help="With --contract: the buyer, when several use REFERENCE.")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True, help="Language of the report.")
@click.option("--out", "out", required=True, type=_out, help="Where to write the PDF.")
@click.option("--report-id", "report_id", help="Identifier printed on the report (default: a new random one).")
def make(contract_file: Path | None, placements_file: Path | None, hours_file: Path | None, reports_file: Path | None,
         reference: str | None, buyer_org_number: str | None, as_of: datetime, lang: str, out: Path,
         report_id: str | None) -> None:
    """Write the audit report PDF of CONTRACT.toml and its placements (or of a stored
    contract, --contract) as of a date."""
    from procure.reports.integrity import report_digest
    from procure.reports.render import render_report

    if reference is not None:
        if contract_file or placements_file or hours_file or reports_file or report_id:
            raise click.UsageError("--contract REFERENCE reports on a stored contract: give no CONTRACT.toml, "
                                   "--placements, --hours, --reports or --report-id with it")
        _make_stored(reference, buyer_org_number, as_of, lang, out)
        return
    if contract_file is None or placements_file is None:
        raise click.UsageError("give CONTRACT.toml and --placements FILE.csv, or --contract REFERENCE for a stored contract")
    if buyer_org_number:
        raise click.UsageError("--buyer goes with --contract REFERENCE")
    contract, records, result = _load_and_evaluate(contract_file, placements_file, hours_file, reports_file, as_of)
    report_id = report_id or f"R-{uuid.uuid4().hex[:16]}"
    pdf = render_report(contract, records, result, lang=lang, generated_at=datetime.now(UTC),
                        report_id=report_id, audit_head_hash=None)
    _write(out, pdf)
    click.echo(f"{out}: {contract.reference} as of {as_of.date().isoformat()}: {result.overall}; "
               f"report {report_id}, sha256 {report_digest(pdf)}")


def _make_stored(reference: str, buyer_org_number: str | None, as_of: datetime, lang: str, out: Path) -> None:
    from procure.services.errors import ServiceError
    from procure.services.reports import issue_from_configured_database

    try:
        issued = issue_from_configured_database(reference, as_of.date(), lang, buyer_org_number)
    except ServiceError as error:
        click.echo(f"procure report: {error.message}", err=True)
        sys.exit(2)
    _write(out, issued.pdf)
    click.echo(f"{out}: {issued.reference} as of {as_of.date().isoformat()}: {issued.overall}; "
               f"report {issued.report_id}, sha256 {issued.sha256}")


def _without_checks(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "checks"}  # printed once, above


@report.command("verify")
@click.argument("pdf_file", metavar="FILE.pdf", type=_file)
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
def verify(pdf_file: Path, output: str) -> None:
    """Check a report offline: its seal, its attachments, and that they give its result;
    and, when a database is configured and reachable, whether this installation issued it."""
    from procure.reports.integrity import verify_report_file
    from procure.services.reports import installation_verification, issuance_line

    try:
        data = pdf_file.read_bytes()
    except OSError as error:
        click.echo(f"procure report verify: cannot read {pdf_file}: {error.strerror}", err=True)
        sys.exit(2)
    if not data.startswith(b"%PDF-"):
        click.echo(f"procure report verify: {pdf_file} is not a PDF file", err=True)
        sys.exit(2)
    outcome = verify_report_file(data)
    stored, why_not_asked = installation_verification(data, outcome)
    if output == "json":
        click.echo(json.dumps({**outcome.to_json(), "installation": _without_checks(stored.to_json()) if stored else None,
                               "installation_note": why_not_asked}, ensure_ascii=False, indent=2))
    elif outcome.valid:
        click.echo(f"{pdf_file}: valid: {outcome.contract} as of {outcome.as_of}: {outcome.overall} "
                   f"(sha256 {outcome.digest})")
    else:
        click.echo(f"{pdf_file}: NOT valid ({outcome.failed_check}): {outcome.reason}")
        for detail in outcome.details:
            click.echo(f"  {detail}")
    if output != "json":
        click.echo(f"{pdf_file}: {issuance_line(stored, why_not_asked)}")
    sys.exit(0 if outcome.valid else 1)


@report.command("evidence")
@_input_options
@click.option("--out", "out", required=True, type=_out, help="FILE.csv or FILE.xlsx.")
def evidence(contract_file: Path, placements_file: Path, hours_file: Path | None, reports_file: Path | None,
             as_of: datetime, out: Path) -> None:
    """Write the evidence (one row per placement and clause) as CSV or XLSX."""
    from procure.reports.evidence_export import evidence_csv, evidence_rows, evidence_xlsx

    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        click.echo(f"procure report evidence: --out {out} must end in .csv or .xlsx", err=True)
        sys.exit(2)
    contract, records, result = _load_and_evaluate(contract_file, placements_file, hours_file, reports_file, as_of)
    rows = evidence_rows(contract, records, result)
    _write(out, evidence_csv(rows).encode("utf-8-sig") if suffix == ".csv" else evidence_xlsx(rows))
    click.echo(f"{out}: {counted(len(rows), 'row', 'rows')}")


__all__ = ["report"]
