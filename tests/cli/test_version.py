"""`procure --version` shows pyproject.toml's version, which the report's footer shows too."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from click.testing import CliRunner

import procure
from procure.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def test_version_is_pyprojects() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert procure.__version__ == version
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.output == f"procure {version}\n"
    installed = subprocess.run([str(Path(sys.executable).parent / "procure"), "-V"], capture_output=True, text=True,
                               timeout=60)
    assert installed.stdout == f"procure {version}\n"


def test_changelog_has_the_version() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    changelog = (ROOT / "docs" / "manual" / "changelog.md").read_text()
    assert f"## [{version}]" in changelog
