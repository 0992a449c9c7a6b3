"""Times a chart's series (`evaluate_series` on 24 dates) against one evaluation, in the same run.

    python bench/series_bench.py                 # 1 000 and 10 000 placements
    python bench/series_bench.py --sizes 100000

For each size it generates the synthetic records (bench/synthetic.py, seeded: 8 clauses
of every kind of rule but supervision), then times, best of `--runs`:

- `evaluate` once, on the last date (the baseline);
- `evaluate_series` on 24 dates evenly spread over the term (one pass);
- `progress`, the charts' question (24 dates plus each clause's period bounds);
- and, for comparison, 24 separate evaluations (what a chart cost before).

It prints each time and its ratio to the one evaluation. The goal: series / evaluate ≤ 2.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import synthetic  # noqa: E402
from engine_bench import AS_OF, SECRET, best_of  # noqa: E402

from procure.domain.model import ContractRecords  # noqa: E402
from procure.engine import evaluate  # noqa: E402
from procure.engine.series import MAX_SAMPLES, evaluate_series, progress, sample_dates  # noqa: E402
from procure.formats.contract_toml import load_contract_file  # noqa: E402
from procure.formats.records_csv import read_labour_hours, read_period_reports, read_placements  # noqa: E402


def measure(n: int, folder: Path, runs: int, separate: bool) -> float:
    synthetic.write(folder, n, seed=1, as_of=AS_OF)
    contract = load_contract_file(folder / "contract.toml")
    participants, placements = read_placements(folder / "placements.csv", secret=SECRET)
    records = ContractRecords(participants, placements, read_labour_hours(folder / "hours.csv"),
                              read_period_reports(folder / "reports.csv"))
    dates = sample_dates(contract.start, AS_OF)
    assert len(dates) == MAX_SAMPLES
    works = [
        lambda: evaluate(contract, records, AS_OF),
        lambda: evaluate_series(contract, records, dates),
        lambda: progress(contract, records, AS_OF),
    ]
    if separate:
        works.append(lambda: [evaluate(contract, records, day) for day in dates])
    best, _ = best_of(runs, *works)
    one = best[0][1]  # CPU seconds: steadier than wall-clock on a shared machine
    names = ["evaluate (1 date)", f"evaluate_series ({len(dates)} dates)", "progress (charts)",
             f"{len(dates)} evaluations"]
    print(f"{n:>9,} placements")
    for name, (wall, cpu) in zip(names, best):
        print(f"    {name:<28} {cpu * 1000:9.1f} ms cpu ({wall * 1000:9.1f} ms wall)   ratio {cpu / one:5.2f}")
    return best[1][1] / one


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-separate", action="store_true", help="skip timing 24 separate evaluations")
    args = parser.parse_args(argv)
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            worst = max(worst, measure(n, Path(tmp) / str(n), args.runs, not args.no_separate))
    print(f"series / evaluate, worst: {worst:.2f} (goal ≤ 2.00)")


if __name__ == "__main__":
    main()
