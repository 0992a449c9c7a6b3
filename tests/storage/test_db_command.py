"""`procure db` as an operator runs it: migrations from any directory, and one clear
line (exit 2) when PROCURE_DATABASE_URL is wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.storage


def procure(*args: str, cwd: Path, database_url: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PROCURE_")}
    env.update(PROCURE_DATABASE_URL=database_url, PROCURE_SECRET_KEY="k" * 32)
    return subprocess.run(
        [sys.executable, "-c", "from procure.cli import main; main()", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120, input=stdin,
    )


def test_upgrade_and_check_a_fresh_sqlite_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    before = procure("db", "check", cwd=tmp_path, database_url=url)
    assert before.returncode == 1
    assert "procure db upgrade" in before.stderr

    upgraded = procure("db", "upgrade", cwd=tmp_path, database_url=url)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "is at revision" in upgraded.stdout
    assert procure("db", "check", cwd=tmp_path, database_url=url).returncode == 0

    again = procure("db", "upgrade", cwd=tmp_path, database_url=url)  # nothing to do
    assert again.returncode == 0, again.stderr

    refused = procure("db", "downgrade", "base", cwd=tmp_path, database_url=url)  # no terminal, no --yes
    assert refused.returncode == 1
    assert "--yes" in refused.stderr and "every table" in refused.stderr
    assert procure("db", "check", cwd=tmp_path, database_url=url).returncode == 0  # still at head

    down = procure("db", "downgrade", "base", "--yes", cwd=tmp_path, database_url=url)
    assert down.returncode == 0, down.stderr
    assert "base" in down.stdout


def test_downgrade_asks_first_and_a_no_changes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'asked.sqlite3'}"
    assert procure("db", "upgrade", cwd=tmp_path, database_url=url).returncode == 0
    no = procure("db", "downgrade", "-1", cwd=tmp_path, database_url=url, stdin="n\n")
    assert no.returncode == 1 and "Nothing changed" in no.stderr
    assert procure("db", "check", cwd=tmp_path, database_url=url).returncode == 0
    yes = procure("db", "downgrade", "-1", cwd=tmp_path, database_url=url, stdin="y\n")
    assert yes.returncode == 0, yes.stderr
    assert procure("db", "check", cwd=tmp_path, database_url=url).returncode == 1


def test_an_unknown_revision_is_a_usage_error(tmp_path: Path) -> None:
    result = procure("db", "downgrade", "no-such-revision", "--yes", cwd=tmp_path, database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert result.returncode == 2
    assert "no-such-revision" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql+psycopg://nobody@127.0.0.1:1/x", "cannot connect"),
        ("nonsense", "not a database URL"),
        ("mysql://someone:hunter2@127.0.0.1/x", "'mysql://'"),
        ("postgres://someone:hunter2@127.0.0.1/x", "use postgresql+psycopg://"),
        ("sqlite:////no/such/directory/procure.sqlite3", "directory exists"),
    ],
)
def test_bad_database_url_is_one_line_naming_the_setting(tmp_path: Path, url: str, says: str) -> None:
    result = procure("db", "upgrade", cwd=tmp_path, database_url=url)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "PROCURE_DATABASE_URL" in lines[0] and says in lines[0]
    assert "hunter2" not in lines[0]
