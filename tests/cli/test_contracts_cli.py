"""`procure contracts load` and `procure contracts export` against the test database."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import Engine
from sqlmodel import Session, select

from procure.cli import cli
from procure.formats.contract_toml import load_contract, load_contract_file
from procure.services import audit_log
from procure.storage.models import Contract, Organisation

CONTRACTS = Path(__file__).parents[2] / "contracts"
EXAMPLES = sorted(p for p in CONTRACTS.glob("*.toml") if not p.name.endswith(".cases.toml"))
REMONTHAGEN = CONTRACTS / "remonthagen.toml"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def log_length(engine: Engine) -> int:
    with Session(engine) as session:
        return audit_log.entry_count(session)


def test_load_creates_everything_and_loading_again_changes_nothing(clean_database: Engine) -> None:
    first = run("contracts", "load", *map(str, EXAMPLES))
    assert first.exit_code == 0, first.stderr
    for path in EXAMPLES:
        reference = load_contract_file(path).reference
        assert f"{path}: created contract {reference}" in first.stdout
    assert "created organisation Östersundshem AB (556110-1816, buyer)" in first.stdout
    with Session(clean_database) as session:
        assert len(session.exec(select(Contract)).all()) == len(EXAMPLES)
        auditor = session.exec(select(Organisation).where(Organisation.org_number == "556345-6788")).one()
        assert auditor.kind == "audit"
    entries = log_length(clean_database)

    again = run("contracts", "load", *map(str, EXAMPLES))
    assert again.exit_code == 0
    assert again.stdout.splitlines() == [f"{path}: {load_contract_file(path).reference} unchanged" for path in EXAMPLES]
    assert log_length(clean_database) == entries


def test_errors_are_printed_as_file_line_field_message_and_exit_2(clean_database: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    text = REMONTHAGEN.read_text(encoding="utf-8").replace("target = 20", "target = -20")
    bad.write_text(text, encoding="utf-8")
    line = text.splitlines().index("target = -20") + 1

    result = run("contracts", "load", str(bad), str(CONTRACTS / "value-based.toml"))
    assert result.exit_code == 2
    assert f"{bad}:{line}: clause[SC-1].target: must be a whole number ≥ 0" in result.stderr
    assert "1 of 2 file(s) had errors" in result.stderr
    # The good file was loaded all the same; the bad one not at all.
    with Session(clean_database) as session:
        assert [c.reference for c in session.exec(select(Contract)).all()] == ["HB-2017-NORRBACKA"]


def test_an_organisation_of_the_wrong_kind_is_an_error_naming_the_field(clean_database: Engine, tmp_path: Path) -> None:
    assert run("contracts", "load", str(REMONTHAGEN)).exit_code == 0
    swapped = tmp_path / "swapped.toml"
    swapped.write_text(
        REMONTHAGEN.read_text(encoding="utf-8").replace('reference = "OH-2016-REMONTHAGEN"', 'reference = "OH-2016-B"').replace(
            'contractor = { name = "Skanska Sverige AB", org_number = "556033-4285" }',
            'contractor = { name = "Östersundshem AB", org_number = "556110-1816" }',
        ),
        encoding="utf-8",
    )
    result = run("contracts", "load", str(swapped))
    assert result.exit_code == 2
    assert f"{swapped}: contract.contractor: 556110-1816 is registered as buyer, not contractor" in result.stderr
    with Session(clean_database) as session:
        assert [c.reference for c in session.exec(select(Contract)).all()] == ["OH-2016-REMONTHAGEN"]


def test_export_prints_toml_that_loads_back_equal(clean_database: Engine) -> None:
    assert run("contracts", "load", *map(str, EXAMPLES)).exit_code == 0
    for path in EXAMPLES:
        expected = load_contract_file(path)
        exported = run("contracts", "export", expected.reference)
        assert exported.exit_code == 0
        assert load_contract(exported.stdout) == expected


def test_export_of_an_unknown_reference_exits_2(clean_database: Engine) -> None:
    result = run("contracts", "export", "NO-SUCH-CONTRACT")
    assert result.exit_code == 2
    assert "no contract with the reference NO-SUCH-CONTRACT" in result.stderr
