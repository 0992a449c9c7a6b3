"""Times reading the CSV records against evaluating the contract, in the same run.

    python bench/engine_bench.py            # 10 000 and 100 000 placements
    python bench/engine_bench.py --full     # and 1 000 000

For each size it generates the synthetic records (bench/synthetic.py, seeded), then times
`procure.formats.records_csv.read_placements` (+ hours and reports) and
`procure.engine.evaluate` on them, and prints both with the ratio evaluate / parse.
The goal is a ratio at most 1.0 and time growing linearly with the placements.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import synthetic  # noqa: E402

from procure.domain.model import ContractRecords  # noqa: E402
from procure.engine import evaluate  # noqa: E402
from procure.formats.contract_toml import load_contract_file  # noqa: E402
from procure.formats.records_csv import read_labour_hours, read_period_reports, read_placements  # noqa: E402

AS_OF = date(2018, 3, 31)
SECRET = b"benchmark secret, not an installation's"


def best_of(runs: int, *works):
    """Best wall-clock and best CPU seconds of each work over `runs` rounds. The works
    take turns within a round, so a burst of load from elsewhere on a shared machine
    falls on all of them alike; CPU time is steadier than wall-clock time."""
    best = [[float("inf"), float("inf")] for _ in works]
    values = [None] * len(works)
    for _ in range(runs):
        for i, work in enumerate(works):
            started, started_cpu = time.perf_counter(), time.process_time()
            values[i] = work()
            best[i][0] = min(best[i][0], time.perf_counter() - started)
            best[i][1] = min(best[i][1], time.process_time() - started_cpu)
    return best, values


def measure(n: int, folder: Path, runs: int) -> tuple[float, float]:
    synthetic.write(folder, n, seed=1, as_of=AS_OF)
    contract = load_contract_file(folder / "contract.toml")

    def parse() -> ContractRecords:
        participants, placements = read_placements(folder / "placements.csv", secret=SECRET)
        return ContractRecords(participants, placements, read_labour_hours(folder / "hours.csv"),
                               read_period_reports(folder / "reports.csv"))

    records = parse()
    ((parse_s, parse_cpu), (evaluate_s, evaluate_cpu)), (_, result) = best_of(
        runs, parse, lambda: evaluate(contract, records, AS_OF))
    statuses = " ".join(f"{c.code}={c.status}" for c in result.clauses)
    print(f"{n:>9,} placements  parse {parse_s:7.2f} s (cpu {parse_cpu:6.2f})  "
          f"evaluate {evaluate_s:7.2f} s (cpu {evaluate_cpu:6.2f})  "
          f"evaluate/parse {evaluate_s / parse_s:4.2f} (cpu {evaluate_cpu / parse_cpu:4.2f})  "
          f"{evaluate_s / n * 1e6:.1f} µs per placement  [{statuses}]", flush=True)
    return parse_s, evaluate_s


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="also 1 000 000 placements")
    parser.add_argument("--runs", type=int, default=5, help="best of this many rounds (2 for 1M)")
    args = parser.parse_args(argv)
    sizes = [10_000, 100_000] + ([1_000_000] if args.full else [])
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            measure(n, Path(tmp) / str(n), 2 if n >= 1_000_000 else args.runs)


if __name__ == "__main__":
    main()
