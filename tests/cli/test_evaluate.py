"""`procure evaluate` as a user runs it: files in, a verdict and an exit code out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from procure.cli import cli

CONTRACTS = Path(__file__).parents[2] / "contracts"
REMONTHAGEN = CONTRACTS / "remonthagen.toml"
PLACEMENTS = CONTRACTS / "remonthagen.placements.csv"
REPORTS = CONTRACTS / "remonthagen.reports.csv"


def run(*args: str | Path):
    # mix_stderr was removed in click 8.2; stderr is always separate there.
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    return runner.invoke(cli, ["evaluate", *map(str, args)], catch_exceptions=False)


def test_json_is_the_result_shape_and_breached_exits_1():
    result = run(REMONTHAGEN, "--placements", PLACEMENTS, "--reports", REPORTS, "--as-of", "2018-06-30", "--format", "json")
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    assert (data["contract"], data["as_of"], data["overall"]) == ("OH-2016-REMONTHAGEN", "2018-06-30", "breached")
    first = data["clauses"][0]
    for key in ("code", "rule", "status", "actual", "target", "expected", "shortfall", "penalty_sek", "explanation", "counted", "excluded"):
        assert key in first
    assert set(first["counted"][0]) >= {"participant_ref", "placement_id", "qualified_on"}
    assert set(first["excluded"][0]) == {"participant_ref", "placement_id", "reason"}


def test_json_keeps_swedish_letters(tmp_path: Path):
    contract = tmp_path / "c.toml"
    text = REMONTHAGEN.read_text(encoding="utf-8")
    contract.write_text(text.replace('"Internships for newcomers and unemployed youth"', '"Praktik för nyanlända"'), encoding="utf-8")
    result = run(contract, "--placements", PLACEMENTS, "--as-of", "2018-06-30", "--format", "json")
    assert '"title": "Praktik för nyanlända"' in result.stdout


def test_table_shows_each_clause_and_the_exclusions():
    result = run(REMONTHAGEN, "--placements", PLACEMENTS, "--reports", REPORTS, "--as-of", "2018-06-30")
    assert result.exit_code == 1
    for text in ("OH-2016-REMONTHAGEN", "SC-1", "SC-4", "breached", "75 000", "lasted 3.7 weeks"):
        assert text in result.stdout


def test_all_met_or_on_track_exits_0():
    contract = CONTRACTS / "ingram-warehouse.toml"
    result = run(contract, "--placements", CONTRACTS / "ingram-warehouse.placements.csv", "--as-of", "2017-12-31", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["overall"] == "on_track"


def test_pending_exits_1():
    contract = CONTRACTS / "ingram-warehouse.toml"
    result = run(contract, "--placements", CONTRACTS / "ingram-warehouse.placements.csv", "--as-of", "2017-06-30", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["overall"] == "pending"


def test_hours_file_is_used():
    result = run(
        CONTRACTS / "value-based.toml",
        "--placements", CONTRACTS / "value-based.placements.csv",
        "--hours", CONTRACTS / "value-based.hours.csv",
        "--as-of", "2017-12-31", "--format", "json",
    )  # fmt: skip
    clauses = {c["code"]: c for c in json.loads(result.stdout)["clauses"]}
    assert clauses["VB-2"]["status"] == "met"
    assert result.exit_code == 0


def test_bad_input_in_every_file_is_listed_and_exits_2(tmp_path: Path):
    contract = tmp_path / "c.toml"
    contract.write_text(REMONTHAGEN.read_text(encoding="utf-8").replace("target = 20", "target = -1"), encoding="utf-8")
    placements = tmp_path / "p.csv"
    placements.write_text("participant_ref,placement_type,start\nP-1,intern,2016-03-01\nP-2,internship,01/03/2016\n", encoding="utf-8")
    reports = tmp_path / "r.csv"
    reports.write_text("period,submitted_on\n2016-Q5,2016-04-01\n", encoding="utf-8")
    result = run(contract, "--placements", placements, "--reports", reports, "--as-of", "2018-06-30")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert f"{contract}:" in result.stderr and "clause[SC-1].target" in result.stderr
    assert f"{placements}: row 2, column placement_type" in result.stderr
    assert f"{placements}: row 3, column start" in result.stderr
    assert "reports.csv: row 2, column period" in result.stderr or f"{reports}: row 2, column period" in result.stderr


def test_non_utf8_placements_exit_2(tmp_path: Path):
    placements = tmp_path / "p.csv"
    placements.write_bytes("participant_ref;placement_type;start\nP-Ö;internship;2016-03-01\n".encode("cp1252"))
    result = run(REMONTHAGEN, "--placements", placements, "--as-of", "2018-06-30")
    assert result.exit_code == 2
    assert "not UTF-8" in result.stderr


@pytest.mark.parametrize("as_of", ["30/06/2018", "2018-02-30"])
def test_bad_as_of_is_a_usage_error(as_of):
    result = run(REMONTHAGEN, "--placements", PLACEMENTS, "--as-of", as_of)
    assert result.exit_code == 2
    assert "as-of" in result.stderr


def test_missing_file_exits_2(tmp_path: Path):
    result = run(tmp_path / "none.toml", "--placements", PLACEMENTS, "--as-of", "2018-06-30")
    assert result.exit_code == 2


NUMBERS = ("19121212-1212", "191212121212", "1212121212", "121212-1212")


@pytest.mark.parametrize("output", ["table", "json"])
def test_personnummer_never_appears_in_the_output(tmp_path: Path, output: str):
    placements = tmp_path / "p.csv"
    shutil.copy(PLACEMENTS, placements)
    result = run(REMONTHAGEN, "--placements", placements, "--as-of", "2018-06-30", "--format", output)
    assert "19121212-1212" in placements.read_text(encoding="utf-8")
    assert result.exit_code == 1
    for number in NUMBERS:
        assert number not in result.stdout and number not in result.stderr


def test_personnummer_never_appears_in_errors(tmp_path: Path):
    placements = tmp_path / "p.csv"
    placements.write_text(
        "participant_ref,placement_type,start,personnummer\n"
        "P-1,internship,2016-03-01,19121212-1212\n"
        "P-1,employment,2016-06-01,19121212-1213\n"  # wrong check digit
        "P-2,internship,2016-03-01,19121212-1212\n",
        encoding="utf-8",
    )
    result = run(REMONTHAGEN, "--placements", placements, "--as-of", "2018-06-30")
    assert result.exit_code == 2
    assert "row 3, column personnummer" in result.stderr
    for number in (*NUMBERS, "19121212-1213", "1212121213"):
        assert number not in result.stdout and number not in result.stderr
