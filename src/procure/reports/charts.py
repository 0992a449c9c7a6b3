"""A clause's progress over time against the pro-rata line, as SVG (matplotlib, svg backend).

The curve is the engine's own answer at each sample date (`procure.engine.series.progress`,
asked by the read model, procure.services.compliance, or by the command line): every point
is exactly what a report on that day would have said. This module only draws.
"""

from __future__ import annotations

import io
import threading
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("svg")  # no display, no Tk: the report is rendered on servers

from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, ScalarFormatter

from procure.domain.model import Clause, Contract
from procure.engine.rules import RULES
from procure.reports.i18n import Catalogue

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

_DATE_FORMATS = ["%Y", "%Y-%m", "%Y-%m-%d", "%H:%M", "%H:%M", "%S"]
_OFFSET_FORMATS = ["", "%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%d", "%Y-%m-%d %H:%M"]

_STYLE: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "svg.fonttype": "none",  # text stays text: smaller, and WeasyPrint sets it in DejaVu Sans
    "svg.hashsalt": "procure",  # stable element ids, so the same inputs give the same bytes
}


def _field(result: Any, name: str) -> Any:
    return result.get(name) if isinstance(result, dict) else getattr(result, name, None)


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, (Fraction, Decimal, int, float)):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def pro_rata_segments(result: Any, contract: Contract, target: float) -> list[tuple[list[date], list[float]]]:
    """The straight line from 0 at each period's start to that period's target at its end."""
    periods = _field(result, "periods") or ()
    if len(periods) <= 1:
        return [([contract.start, contract.end], [0.0, target])]
    segments = []
    for period in periods:
        start, end = _field(period, "start"), _field(period, "end")
        if isinstance(start, str):
            start, end = date.fromisoformat(start), date.fromisoformat(end)
        segments.append(([start, end], [0.0, _number(_field(period, "target")) or 0.0]))
    return segments


class _ChartFigure:
    """One figure and its axes, drawn again for each chart instead of built anew.

    Building a figure (its axes, axis, spines and first ticks) was about half of
    matplotlib's time per chart; what differs between charts (lines, legend, scales,
    limits) is removed and set again each time, so a chart is the same whichever
    chart the figure drew before it (tests/reports/test_charts.py).
    """

    def __init__(self) -> None:
        self.figure = Figure(figsize=(6.2, 2.4), dpi=72)
        FigureCanvasSVG(self.figure)
        # No background rectangles: the page is white already, and every SVG element is
        # one more node for WeasyPrint to cascade and draw.
        self.figure.patch.set_visible(False)
        self.axes = self.figure.add_subplot()
        self.axes.patch.set_visible(False)
        # No tick marks: the grid carries the scale. Tick artists are most of
        # matplotlib's time and, as SVG elements, most of WeasyPrint's (bench/report_bench.py).
        self.axes.tick_params(bottom=False, left=False)
        self.axes.spines[["top", "right", "left"]].set_visible(False)
        self.axes.grid(axis="y", color="#dddddd", linewidth=0.5)
        # The axes have no labels; placing them where they would be, clear of the tick
        # labels, measured every tick label again at each draw.
        self.axes.xaxis.set_label_coords(0.5, 0)
        self.axes.yaxis.set_label_coords(0, 0.5)
        # Fixed margins, not tight_layout: the text is set by WeasyPrint, not matplotlib,
        # so room is left for the tick labels rather than measured.
        self.figure.subplots_adjust(left=0.1, right=0.98, top=0.95, bottom=0.13)

    def clear(self) -> Axes:
        """The axes without the previous chart's lines, legend, formatters and limits."""
        axes = self.axes
        for line in list(axes.lines):
            line.remove()
        if axes.legend_ is not None:
            axes.legend_.remove()
        axes.relim()
        axes.set_autoscale_on(True)
        axes.yaxis.set_major_formatter(ScalarFormatter())
        return axes

    def svg(self) -> str:
        out = io.StringIO()
        self.figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
        return out.getvalue()


# matplotlib's figures are not safe to share between threads (the web app draws charts
# in its worker threads), hence one figure per thread.
_figures = threading.local()


def _chart_figure() -> _ChartFigure:
    if getattr(_figures, "chart", None) is None:
        _figures.chart = _ChartFigure()
    return _figures.chart


def progress_chart_svg(
    clause: Clause,
    result: Any,
    contract: Contract,
    as_of: date,
    lang: str,
    series: list[tuple[date, Any]],
) -> str:
    """The clause's actual over time against its pro-rata line (or its target share), as SVG.

    `result` is the clause's result (a ClauseResult or its JSON dict); only its target and
    periods are read. `series` is the clause's (date, actual) points
    (`procure.engine.series.progress`).
    """
    t = Catalogue(lang)
    target = _number(_field(result, "target"))

    with matplotlib.rc_context(_STYLE):
        chart = _chart_figure()
        axes = chart.clear()
        rule = RULES[clause.rule]  # what the chart of its kind shows: the rule class says
        is_share = rule.chart == "share"
        if target is not None:
            if is_share:
                # matplotlib's stubs want floats; dates are converted by its date units.
                axes.plot([contract.start, contract.end], [target, target], color="#888888",  # type: ignore[arg-type]
                          linestyle="--", linewidth=1, label=t("chart_target"))
            else:
                for i, (xs, ys) in enumerate(pro_rata_segments(result, contract, target)):
                    axes.plot(xs, ys, color="#888888", linestyle="--", linewidth=1,  # type: ignore[arg-type]  # dates, as above
                              label=t("chart_pro_rata") if i == 0 else None)
        if series:
            days, values = zip(*((day, _number(value)) for day, value in series))
            axes.plot(days, values, color="#1f5fa8", linewidth=1.8, drawstyle="steps-post", label=t("chart_actual"))
        if contract.start <= as_of <= contract.end:
            axes.axvline(as_of, color="#c0392b", linewidth=0.8, linestyle=":",  # type: ignore[arg-type]  # a date
                         label=t("chart_as_of"))
        axes.set_xlim(contract.start, contract.end)  # type: ignore[arg-type]  # dates, as above
        axes.set_ylim(bottom=0)
        # Few ticks: each is an artist for matplotlib and SVG elements for WeasyPrint.
        locator = AutoDateLocator(minticks=3, maxticks=6)
        axes.xaxis.set_major_locator(locator)
        # Numeric dates read the same in Swedish and English.
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator, formats=_DATE_FORMATS, offset_formats=_OFFSET_FORMATS))
        axes.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=not is_share))
        if is_share:
            axes.yaxis.set_major_formatter(lambda value, _pos: f"{value * 100:.0f} %")
        elif rule.chart_unit:
            unit, scale = rule.chart_unit[lang], rule.chart_scale
            axes.yaxis.set_major_formatter(lambda value, _pos: f"{value / scale:g} {unit}")
        axes.legend(loc="upper left", frameon=False, fontsize=7)
        return chart.svg()
