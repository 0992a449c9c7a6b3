"""Finding 3: a decompression bomb in verify.

The attacker is any signed-in user (or anyone with the command line): they upload a
small PDF, sealed like a genuine report, whose attachments inflate to hundreds of MB.
Verification must turn it away as not genuine without inflating it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bombs import bomb_pdf
from procure.reports.attachments import MAX_INFLATED_BYTES

# What verifying may add to the process's peak memory (the whole report pipeline).
MAX_GROWTH_MB = 300

_MEASURE = """
import resource, sys
import procure.engine, procure.reports.inputs, procure.reports.render  # imports are not the file's cost
from procure.reports.integrity import verify_report_file
pdf = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
outcome = verify_report_file(pdf)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"growth_kb": after - before, "valid": outcome.valid, "failed_check": outcome.failed_check,
                  "reason": outcome.reason}))
""".replace("import resource, sys", "import json, resource, sys")


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bomb") / "report.pdf"
    # 10 attachments of 60 MB each: 600 MB inflated from a 0.6 MB file.
    path.write_bytes(bomb_pdf())
    return path


def test_verifying_a_bomb_keeps_the_peak_memory_down(bomb: Path) -> None:
    assert bomb.stat().st_size < 1024 * 1024
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(bomb)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    assert measured["growth_kb"] < MAX_GROWTH_MB * 1024, measured
    assert measured["valid"] is False
    assert measured["failed_check"] == "readable"
    assert "MB" in measured["reason"]


def test_the_api_answers_not_genuine(api_client, tenants, bomb: Path) -> None:
    attacker = tenants.headers["other_contractor"]
    response = api_client.post("/api/reports/verify", content=bomb.read_bytes(),
                               headers={**attacker, "Content-Type": "application/pdf"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["issued"] is False
    assert body["checks"]["valid"] is False
    assert body["checks"]["failed_check"] == "readable"
    assert "inflate" in body["checks"]["reason"]


def test_the_command_line_answers_not_genuine(bomb: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from procure.cli import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROCURE_DATABASE_URL", raising=False)
    result = CliRunner().invoke(cli, ["report", "verify", str(bomb)])
    assert result.exit_code == 1, result.output
    assert "NOT valid (readable)" in result.output
    assert "inflate" in result.output


def test_a_genuine_report_still_verifies_with_the_seal_checked_first() -> None:
    from datetime import date

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))
    from report_fixtures import rendered

    from procure.reports.integrity import verify_report_file

    outcome = verify_report_file(rendered("value-based", "sv", date(2018, 12, 31)).pdf)
    assert outcome.valid, outcome.reason
    assert outcome.passed[:2] == ("content_digest", "readable")


def test_the_verify_page_answers_not_genuine(signed_in, bomb: Path) -> None:
    from web.conftest import csrf_token

    auditor = signed_in("auditor")
    token = csrf_token(auditor, "/reports/verify")
    answer = auditor.post("/reports/verify", data={"_csrf_token": token},
                          files={"file": ("report.pdf", bomb.read_bytes(), "application/pdf")})
    assert answer.status_code == 200
    assert "Rapporten kunde inte verifieras." in answer.text
    assert f"{MAX_INFLATED_BYTES // (1024 * 1024)} MB" in answer.text
