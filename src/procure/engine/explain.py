"""Plain-English sentences for clause and period results."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from procure.engine.result import PeriodResult, render


def figure(value: Fraction, money: bool) -> str:
    shown = render(value, "money" if money else "amount")
    if isinstance(shown, int):
        return f"{shown:,}".replace(",", " ") if money else str(shown)
    return f"{shown:.2f}".rstrip("0").rstrip(".")


def percent(value: Fraction) -> str:
    return f"{float(value) * 100:.1f} %".replace(".0 %", " %")


def period_sentence(measure: str, unit: str, money: bool, p: PeriodResult, as_of: date) -> str:
    if p.status == "waived":
        return f"waived: {p.waived_reason}"
    if measure == "deadline":
        return f"{p.label}: {p.note}"
    if measure == "share":
        if p.status == "pending" and not p.denominator:
            text = f"nothing to judge yet (no {unit})"
        else:
            text = (f"{percent(p.actual)} ({figure(p.numerator or Fraction(0), money)} of "
                    f"{figure(p.denominator or Fraction(0), money)} {unit}) against a target of {percent(p.target)}")
    else:
        text = f"{figure(p.actual, money)} of {figure(p.target, money)} {unit}"
        if p.status in ("on_track", "at_risk"):
            text += f", {figure(p.expected, money)} expected by {min(as_of, p.end).isoformat()}"
    if p.status == "breached" and measure == "amount":
        text += f"; {figure(p.shortfall, money)} short"
    if p.note and p.status != "waived":
        text += f"; {p.note}"
    return text


def clause_sentence(measure: str, unit: str, money: bool, periods: list[PeriodResult], worst_index: int | None,
                    as_of: date, status: str) -> str:
    if not periods:
        return "nothing due yet"
    if len(periods) == 1:
        return period_sentence(measure, unit, money, periods[0], as_of)
    counts: dict[str, int] = {}
    for p in periods:
        counts[p.status] = counts.get(p.status, 0) + 1
    summary = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items())
    if measure == "deadline":
        problems = [period_sentence(measure, unit, money, p, as_of) for p in periods if p.status == "breached"]
        text = f"{sum(1 for p in periods if p.status == 'met')} of {len(periods)} reports on time ({summary})"
        return text + ("; " + "; ".join(problems) if problems else "")
    text = f"{len(periods)} periods ({summary})"
    if worst_index is not None and status not in ("met", "waived"):
        p = periods[worst_index]
        text += f"; worst {p.start.isoformat()} to {p.end.isoformat()}: " + period_sentence(measure, unit, money, p, as_of)
    return text
