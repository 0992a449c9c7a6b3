"""`procure report --contract REFERENCE` from the database, and `procure report verify`
asking the database whether this installation issued the file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from sqlmodel import Session, select

from procure.cli import cli
from procure.formats.contract_toml import load_contract_file
from procure.services.access import Principal
from procure.services.contracts import import_contract
from procure.services.placement_import import import_placements
from procure.settings import get_settings
from procure.storage.models import IssuedReport

CONTRACTS = Path(__file__).parents[2] / "contracts"
REFERENCE = "OH-2016-REMONTHAGEN"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def stored(clean_database: Engine) -> Engine:
    with Session(clean_database, expire_on_commit=False) as session:
        contract = import_contract(session, None, load_contract_file(CONTRACTS / "remonthagen.toml"), accept=True).contract
        acting = Principal(None, "cli-test", "contractor", contract.contractor_org_id)  # type: ignore[arg-type]
        import_placements(session, acting, contract.id, CONTRACTS / "remonthagen.placements.csv", secret=b"c" * 32)
        session.commit()
    return clean_database


@pytest.fixture
def report_file(stored: Engine, tmp_path: Path) -> Path:
    out = tmp_path / "report.pdf"
    result = run("report", "--contract", REFERENCE, "--as-of", "2018-06-30", "--lang", "en", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_the_report_of_a_stored_contract_is_written_and_recorded(stored: Engine, report_file: Path) -> None:
    pdf = report_file.read_bytes()
    assert pdf.startswith(b"%PDF-")
    with Session(stored) as session:
        [row] = session.exec(select(IssuedReport)).all()
    assert row.sha256 == hashlib.sha256(pdf).hexdigest()
    assert (row.as_of.isoformat(), row.lang, row.issued_to) == ("2018-06-30", "en", None)


def test_verify_says_the_installation_issued_it(report_file: Path) -> None:
    result = run("report", "verify", str(report_file))
    assert result.exit_code == 0, result.output
    assert f"issued by this installation for {REFERENCE} as of 2018-06-30" in result.output


def test_a_changed_byte_is_not_issued_by_this_installation(report_file: Path, tmp_path: Path) -> None:
    pdf = bytearray(report_file.read_bytes())
    pdf[len(pdf) // 2] ^= 0x01
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(bytes(pdf))

    result = run("report", "verify", str(changed))

    assert result.exit_code == 1
    assert "not issued by this installation" in result.output


def test_without_a_database_only_the_offline_checks_run(report_file: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("PROCURE_DATABASE_URL")
    monkeypatch.setenv("PROCURE_SECRET_KEY", "k" * 40)
    get_settings.cache_clear()
    try:
        result = run("report", "verify", str(report_file))
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()

    assert result.exit_code == 0, result.output
    assert "valid" in result.output
    assert "offline checks only" in result.output
    assert "issued by this installation" not in result.output
    assert list(elsewhere.iterdir()) == []  # no empty database file was made


def test_an_unknown_reference_is_a_clear_error(stored: Engine, tmp_path: Path) -> None:
    out = tmp_path / "none.pdf"
    result = run("report", "--contract", "NO-SUCH", "--as-of", "2018-06-30", "--out", str(out))
    assert result.exit_code == 2
    assert "no contract with the reference NO-SUCH" in result.output
    assert not out.exists()


def test_files_and_a_stored_contract_do_not_mix(stored: Engine, tmp_path: Path) -> None:
    result = run("report", str(CONTRACTS / "remonthagen.toml"), "--contract", REFERENCE,
                 "--as-of", "2018-06-30", "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert "--contract" in result.output
