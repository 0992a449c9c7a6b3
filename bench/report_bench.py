"""Times the audit report PDF against a naive rendering of the same evidence, in one run.

    python bench/report_bench.py              # 200 and 2,000 placements
    python bench/report_bench.py --sizes 200  # just one size
    python bench/report_bench.py --fonttools  # as on a machine without HarfBuzz-subset

For each size it generates the seeded synthetic contract (bench/synthetic.py: 8 clauses),
evaluates it, and times

- `report`: `procure.reports.render.render_report` (HTML with charts, layout, PDF,
  attachments and seal), the whole report;
- `appendix`: the report's own layout of the evidence appendix alone;
- `naive`: the same evidence rows (one per placement and clause) as one plain HTML table,
  laid out by the same WeasyPrint with the same fonts.

Goals: the 200-placement report under 2 s; the 2,000-placement report in under half the
naive time. WeasyPrint lays out a table that spans hundreds of pages slowly; the report
gives each placement a heading block and one block of plain-text lines (see
templates/report/report.css).

`report` and `appendix` are the best of `--repeat` runs (CPU time; the machine is shared),
`naive` is run once (at 2,000 placements it takes minutes; one run is never faster than
the best of several, so the ratio can only be a little in the report's favour).

Before timing, one small report (10 placements) is rendered and its time shown as `cold`:
imports, fonts, the template's compilation and matplotlib's font list, which a process
pays once, not per report.

WeasyPrint subsets the embedded fonts with HarfBuzz-subset when the system has it
(Debian: libharfbuzz-subset0, which `make system-packages` installs) and with fontTools
otherwise, about 0.25 s more per report; the first line of the output says which.
`--fonttools` forces the latter, to measure a machine without the library.
"""

from __future__ import annotations

import argparse
import html
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import synthetic  # noqa: E402

from procure.engine import evaluate  # noqa: E402
from procure.reports.evidence_export import evidence_rows  # noqa: E402
from procure.reports.inputs import load_input_files  # noqa: E402
from procure.reports.render import html_to_pdf, render_report, report_html  # noqa: E402

AS_OF = date(2018, 3, 31)
GENERATED_AT = datetime(2026, 1, 1, tzinfo=timezone.utc)
NAIVE_COLUMNS = ("participant_ref", "placement_type", "start", "end", "employer_org_number", "clause", "verdict",
                 "qualified_on", "reason")


def naive_html(rows: list[dict[str, str]]) -> str:
    """What one would write first: every evidence row as a row of one big table."""
    head = "".join(f"<th>{column}</th>" for column in NAIVE_COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(row[column])}</td>" for column in NAIVE_COLUMNS) + "</tr>" for row in rows
    )
    return ("<html><head><style>table{border-collapse:collapse;font-size:7pt}"
            "td,th{border:0.3pt solid #999;padding:1px 2px}</style></head><body>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>")


def appendix_only(full_html: str) -> str:
    start = full_html.rindex('<section class="appendix">')
    return "<html><head></head><body>" + full_html[start:]


def timed(function, *args, **kwargs):
    """(wall seconds, CPU seconds of this process, value): on a shared machine the CPU time
    is the steadier figure."""
    began, began_cpu = time.perf_counter(), time.process_time()
    value = function(*args, **kwargs)
    return (time.perf_counter() - began, time.process_time() - began_cpu), value


def best_of(repeat: int, function, *args, **kwargs):
    """`timed` of the run with the least CPU time among `repeat` runs."""
    runs = [timed(function, *args, **kwargs) for _ in range(max(1, repeat))]
    return min(runs, key=lambda run: run[0][1])


def font_subsetter(force_fonttools: bool) -> str:
    from weasyprint.pdf import fonts
    from weasyprint.text import ffi

    if force_fonttools:
        fonts.harfbuzz_subset = None  # what WeasyPrint falls back to without the library
    return "HarfBuzz-subset" if fonts.harfbuzz_subset is not None and ffi.harfbuzz_subset is not None else "fontTools"


def _show(label: str, seconds: tuple[float, float], size: int, note: str = "") -> None:
    print(f"   {label:<8} {seconds[0]:7.2f} s wall {seconds[1]:7.2f} s CPU  ({size // 1024} KiB{note})")


def inputs(size: int, seed: int):
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        synthetic.write(out, size, seed, AS_OF)
        contract, records = load_input_files(out / "contract.toml", out / "placements.csv", out / "hours.csv",
                                             out / "reports.csv")
    return contract, records, evaluate(contract, records, AS_OF)


def report(contract, records, result) -> bytes:
    return render_report(contract, records, result, lang="sv", generated_at=GENERATED_AT, report_id="R-bench",
                         audit_head_hash=None)


def warm_up(seed: int) -> None:
    seconds, pdf = timed(report, *inputs(10, seed))
    _show("cold", seconds, len(pdf), "; a 10-placement report, the first in this process")


def bench(size: int, seed: int, repeat: int) -> None:
    contract, records, result = inputs(size, seed)
    rows = evidence_rows(contract, records, result)

    report_s, pdf = best_of(repeat, report, contract, records, result)
    html_s, full_html = best_of(repeat, report_html, contract, records, result, lang="sv", generated_at=GENERATED_AT,
                                report_id="R-bench", audit_head_hash=None, attachments_sha256="0" * 64)
    appendix_s, appendix_pdf = best_of(repeat, html_to_pdf, appendix_only(full_html))
    naive_s, naive_pdf = timed(html_to_pdf, naive_html(rows))
    print(f"{size:>6} placements, {len(contract.clauses)} clauses, {len(rows)} evidence rows")
    _show("report", report_s, len(pdf), f"; of which HTML and charts {html_s[0]:.2f} s wall {html_s[1]:.2f} s CPU")
    _show("appendix", appendix_s, len(appendix_pdf))
    _show("naive", naive_s, len(naive_pdf))
    print(f"   CPU ratios: report / naive {report_s[1] / naive_s[1]:.2f}, appendix / naive {appendix_s[1] / naive_s[1]:.2f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the report and the appendix; the best is shown")
    parser.add_argument("--fonttools", action="store_true", help="subset fonts with fontTools, as without HarfBuzz-subset")
    arguments = parser.parse_args(argv)
    print(f"fonts subset by {font_subsetter(arguments.fonttools)}; report and appendix best of {arguments.repeat}")
    warm_up(arguments.seed)
    for size in arguments.sizes:
        bench(size, arguments.seed, arguments.repeat)


if __name__ == "__main__":
    main()
