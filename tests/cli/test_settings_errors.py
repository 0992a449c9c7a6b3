"""Every bad value of every `PROCURE_*` setting stops a command with one line naming the
setting and the fix, exit code 2, no traceback (issue 18)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from procure.cli import main
from procure.settings import SETTINGS, Settings, get_settings, load_settings
from procure.storage.database import get_engine

GOOD = {"PROCURE_SECRET_KEY": "k" * 32}

# variable -> bad values; {tmp} is a temporary directory holding a regular file "plain"
# (with a short key in it) and a binary file "binary".
BAD_VALUES: dict[str, list[str]] = {
    "PROCURE_DATABASE_URL": [
        "postgres://someone@127.0.0.1/procure",  # Heroku's spelling: the scheme is what's wrong
        "postgresql+asyncpg://someone@127.0.0.1/procure",
        "mysql://someone@127.0.0.1/procure",
        "procure.sqlite3",
        "sqlite://procure.sqlite3",
    ],
    "PROCURE_SECRET_KEY": ["too-short"],
    "PROCURE_SECRET_KEY_FILE": [
        "{tmp}/plain/secret_key",  # a directory in the path is a regular file
        "{tmp}",  # a directory
        "{tmp}/binary",  # not text
        "{tmp}/plain",  # a key shorter than 32 characters
        " ",
    ],
    "PROCURE_HOST": ["", "local host", "http://example.org"],
    "PROCURE_PORT": ["", "eighty", "0", "65536", "-1", "80.5"],
    "PROCURE_LOG_LEVEL": ["", "loud", "trace"],
    "PROCURE_RETENTION_YEARS": ["", "0", "-3", "ten", "2.5"],
    "PROCURE_TRUSTED_PROXIES": ["proxy.example", "10.0.0.300", "10.0.0.0/33"],
    "PROCURE_EVIDENCE_MAX_FILE_BYTES": ["", "0", "ten", "104857601"],
    "PROCURE_EVIDENCE_QUOTA_BYTES": ["", "-1", "2GB"],
}

CASES = [(variable, raw) for variable, values in BAD_VALUES.items() for raw in values]


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "plain").write_text("short\n")
    (tmp_path / "binary").write_bytes(b"\xff\xfe\x00" * 20)
    return tmp_path


def environment(variable: str, raw: str, tmp: Path) -> dict[str, str]:
    env = {"PROCURE_DATABASE_URL": f"sqlite:///{tmp / 'procure.sqlite3'}", **GOOD}
    if variable == "PROCURE_SECRET_KEY_FILE":
        del env["PROCURE_SECRET_KEY"]  # the file is read only when the key is not set
    env[variable] = raw.format(tmp=tmp)
    return env


def test_every_setting_has_bad_values_here() -> None:
    """A new setting needs its bad values in BAD_VALUES (and a validator in SETTINGS)."""
    assert {s.variable for s in SETTINGS} == set(BAD_VALUES)
    filled = {s.field for s in SETTINGS if s.field}
    assert filled == set(Settings.__dataclass_fields__)


@pytest.mark.parametrize(("variable", "raw"), CASES, ids=[f"{v}={r!r}" for v, r in CASES])
def test_a_bad_setting_stops_the_command_in_one_line(
    variable: str, raw: str, files: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in list(os.environ):
        if name.startswith("PROCURE_"):
            monkeypatch.delenv(name)
    for name, value in environment(variable, raw, files).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(files)
    monkeypatch.setattr(sys, "argv", ["procure", "db", "upgrade"])
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        with pytest.raises(SystemExit) as stopped:
            main()
    finally:
        get_settings.cache_clear()
        get_engine.cache_clear()
    assert stopped.value.code == 2
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("procure: configuration error: ")
    assert variable in lines[0] and ": " in lines[0].split(variable, 1)[1]  # names it, then the fix
    assert not (files / "procure.sqlite3").exists()  # stopped before touching the database


def test_the_defaults_are_valid(tmp_path: Path) -> None:
    settings = load_settings({"PROCURE_SECRET_KEY_FILE": str(tmp_path / "dir" / "secret_key")})
    assert settings.port == 8000 and settings.log_level == "info" and settings.retention_years == 10
    assert (tmp_path / "dir" / "secret_key").stat().st_mode & 0o777 == 0o600
    assert load_settings({"PROCURE_SECRET_KEY_FILE": str(tmp_path / "dir" / "secret_key")}) == settings


def test_an_unusable_secret_key_file_is_one_line_from_the_installed_command(tmp_path: Path) -> None:
    """The report of issue 18: a key file under a regular file gave a 55-line traceback."""
    (tmp_path / "plain").write_text("x")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROCURE_")}
    env.update(PROCURE_DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
               PROCURE_SECRET_KEY_FILE=str(tmp_path / "plain" / "secret_key"))
    result = subprocess.run([str(Path(sys.executable).parent / "procure"), "db", "upgrade"], env=env,
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "PROCURE_SECRET_KEY_FILE" in result.stderr and "not a directory" in result.stderr
