"""`procure placements import` shows its progress as the file streams by."""

from __future__ import annotations

from test_placements_cli import HEADER, ROW, contract, run  # noqa: F401  (contract is the fixture)

from procure.services import placement_import


def test_the_progress_bar_ends_at_every_row_of_the_file(contract, tmp_path, monkeypatch):
    monkeypatch.setattr(placement_import, "BATCH_ROWS", 2)  # five batches
    path = tmp_path / "placements.csv"
    path.write_text("\n".join([HEADER, *(ROW.format(n=n, m=n) for n in range(1, 10))]) + "\n", encoding="utf-8")
    result = run("OH-2016-REMONTHAGEN", path)
    assert result.exit_code == 0, result.stderr
    bar = next(line for line in result.stdout.splitlines() if "━" in line)
    assert bar.startswith("9 rows") and "100%" in bar
