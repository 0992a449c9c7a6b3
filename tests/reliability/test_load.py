"""The load test's short form: the real server under concurrent clients loses nothing.

bench/load.py starts uvicorn on a free loopback port with a fresh SQLite database;
contractors write placements while buyers read compliance. Concurrent writers on SQLite
queue behind the app's write lock (procure.dependencies) instead of failing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

LOAD = Path(__file__).resolve().parents[2] / "bench" / "load.py"


def run_load(*args: str) -> dict[str, str]:
    done = subprocess.run([sys.executable, str(LOAD), "--seconds", "5", *args], capture_output=True, text=True, timeout=180)
    figures = {}
    for line in done.stdout.splitlines():
        name, _, value = line.rpartition(" ")
        figures[name] = value
    assert "requests" in figures, done.stdout + done.stderr
    return figures


def test_under_load_no_request_fails_and_no_accepted_placement_is_lost() -> None:
    figures = run_load("--contractors", "1", "--buyers", "3")
    assert int(figures["requests"]) > 0
    assert int(figures["placements accepted"]) > 0
    assert figures["errors"] == "0"
    assert figures["placements lost"] == "0"
    assert figures["placements stored but not acknowledged"] == "0"


def test_concurrent_contractors_on_sqlite_all_succeed() -> None:
    figures = run_load("--contractors", "4", "--buyers", "2")
    assert int(figures["placements accepted"]) > 0
    assert figures["errors"] == "0"
    assert figures["placements lost"] == "0"
    assert figures["placements stored but not acknowledged"] == "0"
