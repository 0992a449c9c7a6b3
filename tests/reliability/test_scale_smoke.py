"""The scale run's short form: bench/scale.py at a tiny size on PostgreSQL.

Two `procure serve` workers on one PostgreSQL database under mixed load (buyers reading
the dashboard page and compliance, contractors importing, auditors downloading the
report and the evidence): no request may fail and every import the server acknowledged
must be stored exactly once. Needs PROCURE_TEST_POSTGRES_URL (the bench creates and drops
its own scratch database on that server); skipped otherwise. No timing is asserted.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SCALE = Path(__file__).resolve().parents[2] / "bench" / "scale.py"
POSTGRES = os.environ.get("PROCURE_TEST_POSTGRES_URL", "")

pytestmark = [
    pytest.mark.storage,
    pytest.mark.skipif(not POSTGRES.startswith("postgresql"), reason="needs PROCURE_TEST_POSTGRES_URL (PostgreSQL)"),
]


def test_a_tiny_scale_run_has_no_errors_and_loses_no_acknowledged_write() -> None:
    done = subprocess.run(
        [sys.executable, str(SCALE), "--database-url", POSTGRES, "--contracts", "20", "--placements", "2000",
         "--seconds", "5", "--workers", "2", "--curve", "100"],
        capture_output=True, text=True, timeout=240,
    )
    report = done.stdout
    figures = dict(re.findall(r"^([a-z][a-z ()0-9x]+?) (\d+)$", report, re.MULTILINE))
    assert "errors" in figures, report + done.stderr[-3000:]
    assert figures["errors"] == "0", report
    assert int(figures["placements acknowledged"]) > 0, report
    assert figures["placements lost"] == "0", report
    assert figures["placements stored but not acknowledged"] == "0", report
    assert done.returncode == 0, report
    # Every kind of user got answers, and each worker's memory was read.
    for route in ("GET /api/health", "GET /contracts/{id} (dashboard page)", "GET /api/contracts/{id}/compliance",
                  "POST /api/contracts/{id}/placements/import", "GET /api/contracts/{id}/report.pdf"):
        assert re.search(rf"^{re.escape(route)} +[1-9]", report, re.MULTILINE), (route, report)
    assert len(re.findall(r"^worker \d+ \(pid \d+\): RSS peak \d+ MB", report, re.MULTILINE)) == 2, report
    assert re.search(r"^ +100 +[\d,]+ ", report, re.MULTILINE), report  # the cost curve's row
