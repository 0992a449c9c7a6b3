"""The `contracts/*.cases.toml` pytest plugin: a wrong expectation fails with a readable diff."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

CONTRACTS = Path(__file__).parents[2] / "contracts"

CASES = """
[[case]]
name = "right"
as_of = 2018-12-31
expect = { overall = "met", clauses = { JOIN-1 = { status = "met", actual = 11 } } }

[[case]]
name = "wrong"
as_of = 2018-12-31
expect = { overall = "breached", clauses = { JOIN-1 = { actual = 12, penalty_sek = 0 }, JOIN-9 = { status = "met" } } }
"""


def run_pytest(directory: Path) -> subprocess.CompletedProcess:
    (directory / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n", encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--rootdir", str(directory), str(directory)],
        capture_output=True,
        text=True,
        cwd=directory,
    )


def test_cases_pass_and_fail_by_the_result(tmp_path: Path):
    for path in CONTRACTS.glob("ingram-warehouse.*"):
        if not path.name.endswith(".cases.toml"):
            shutil.copy(path, tmp_path / path.name)
    (tmp_path / "ingram-warehouse.cases.toml").write_text(CASES, encoding="utf-8")
    completed = run_pytest(tmp_path)
    output = completed.stdout
    assert completed.returncode == 1, output
    assert "1 failed, 1 passed" in output
    assert "case 'wrong' (as of 2018-12-31)" in output
    assert "overall: expected breached, got met" in output
    assert "JOIN-1.actual: expected 12, got 11" in output
    assert "JOIN-9: no such clause" in output
    assert "penalty_sek" not in output.split("JOIN-1.actual")[1].split("\n")[0]


def test_bad_example_files_fail_the_case_with_their_errors(tmp_path: Path):
    shutil.copy(CONTRACTS / "ingram-warehouse.toml", tmp_path)
    (tmp_path / "ingram-warehouse.placements.csv").write_text(
        "participant_ref,placement_type,start\nI-1,internship,2017-02-30\n", encoding="utf-8"
    )
    (tmp_path / "ingram-warehouse.cases.toml").write_text(CASES, encoding="utf-8")
    output = run_pytest(tmp_path).stdout
    assert "2 failed" in output
    assert "row 2, column start: 2017-02-30 is not a date" in output
