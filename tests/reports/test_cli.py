"""`procure report …` and `procure report verify …` as a user runs them."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from procure.cli import cli

from report_fixtures import CONTRACTS


def _make(tmp_path: Path, *extra: str) -> tuple[int, str, Path]:
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(cli, [
        "report", str(CONTRACTS / "value-based.toml"),
        "--placements", str(CONTRACTS / "value-based.placements.csv"),
        "--hours", str(CONTRACTS / "value-based.hours.csv"),
        "--as-of", "2018-12-31", "--out", str(out), *extra,
    ])
    return result.exit_code, result.output, out


def test_make_then_verify(tmp_path: Path) -> None:
    code, output, out = _make(tmp_path, "--lang", "en", "--report-id", "R-cli")
    assert code == 0, output
    assert out.read_bytes().startswith(b"%PDF-")
    assert "R-cli" in output
    verified = CliRunner().invoke(cli, ["report", "verify", str(out)])
    assert verified.exit_code == 0, verified.output
    assert "valid" in verified.output and "VB" not in verified.output.split("valid")[0]


def test_verify_a_changed_file_says_why_and_exits_1(tmp_path: Path) -> None:
    code, output, out = _make(tmp_path)
    assert code == 0, output
    data = bytearray(out.read_bytes())
    data[len(data) // 3] ^= 0x20
    out.write_bytes(bytes(data))
    verified = CliRunner().invoke(cli, ["report", "verify", str(out)])
    assert verified.exit_code == 1
    assert "NOT valid" in verified.output
    assert "Traceback" not in verified.output


def test_verify_something_that_is_not_a_pdf_exits_2(tmp_path: Path) -> None:
    verified = CliRunner().invoke(cli, ["report", "verify", str(CONTRACTS / "value-based.toml")])
    assert verified.exit_code == 2
    assert "not a PDF" in verified.output


def test_bad_input_exits_2_with_each_error_on_a_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("participant_ref,placement_type,start\nP-1,internship,2017-13-45\nP-2,holiday,2017-01-01\n")
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(cli, [
        "report", str(CONTRACTS / "value-based.toml"), "--placements", str(bad),
        "--as-of", "2018-12-31", "--out", str(out),
    ])
    assert result.exit_code == 2
    assert "bad.csv" in result.output and "row 2" in result.output and "row 3" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_evidence_export_writes_xlsx(tmp_path: Path) -> None:
    out = tmp_path / "evidence.xlsx"
    result = CliRunner().invoke(cli, [
        "report", "evidence", str(CONTRACTS / "value-based.toml"),
        "--placements", str(CONTRACTS / "value-based.placements.csv"),
        "--hours", str(CONTRACTS / "value-based.hours.csv"), "--as-of", "2018-12-31", "--out", str(out),
    ])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"
