"""Packaging (issue 15, item 5): a wheel carries the migrations, templates and example
contracts, so that `pip install .` gives a procure that migrates and loads its demo."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest
from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PACKAGE_DATA_DIRS = {"procure._alembic": "alembic", "procure._templates": "templates", "procure._contracts": "contracts"}


def test_the_listed_packages_are_the_source_trees_packages() -> None:
    """pyproject lists its packages (for the package-dir mapping): a new one must be listed."""
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert listed == set(find_packages(str(ROOT / "src"))) | set(PACKAGE_DATA_DIRS)
    mapping = PYPROJECT["tool"]["setuptools"]["package-dir"]
    assert {name: mapping[name] for name in PACKAGE_DATA_DIRS} == PACKAGE_DATA_DIRS


def test_plain_alembic_finds_its_scripts(tmp_path: Path) -> None:
    """A repo-root alembic.ini, as Alembic users expect: `alembic upgrade head` works."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROCURE_")}
    env.update(PROCURE_DATABASE_URL=f"sqlite:///{tmp_path / 'plain.sqlite3'}", PROCURE_SECRET_KEY="k" * 32)
    alembic = Path(sys.executable).parent / "alembic"
    upgraded = subprocess.run([str(alembic), "upgrade", "head"], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=120)
    assert upgraded.returncode == 0, upgraded.stderr
    current = subprocess.run([str(alembic), "current"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert "(head)" in current.stdout


@pytest.mark.slow
def test_a_wheel_installed_into_a_new_venv_migrates_and_loads_the_demo(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
                            "-w", str(wheels), str(ROOT)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    [wheel] = wheels.glob("procure-*.whl")

    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    installed = subprocess.run([str(target / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                                str(wheel)], capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"  # no checkout around: only the package's own data
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROCURE_") and k != "PYTHONPATH"}
    env.update(PROCURE_DATABASE_URL=f"sqlite:///{elsewhere / 'procure.sqlite3'}", PROCURE_SECRET_KEY="k" * 32)
    procure = str(target / "bin" / "procure")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([procure, *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)

    upgraded = run("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "is at revision" in upgraded.stdout
    assert run("db", "check").returncode == 0
    where = subprocess.run([str(target / "bin" / "python"), "-c",
                            "from procure.resources import resource_dir; print(resource_dir('templates'))"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60)
    assert str(target) in where.stdout  # the installed package's templates, not the checkout's
    demo = run("demo")
    assert demo.returncode == 0, demo.stderr
