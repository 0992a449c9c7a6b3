"""The sentences that explain clause and period results, as messages (rendered in English
or Swedish by `procure.engine.wording`)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from procure.engine.result import PeriodResult
from procure.engine.wording import Code, Day, Figure, Listing, Message, Percent, render
from procure.engine.wording import unit as unit_message


def figure(value: Fraction, money: bool) -> str:
    """An amount as an English sentence shows it (kept for callers of the old helper)."""
    return render(Message("sentence", {"parts": Figure(value, money)}), "en")


def percent(value: Fraction) -> str:
    return render(Message("sentence", {"parts": Percent(value)}), "en")


def _sentence(*parts: Message | str | None) -> Message:
    """Parts said one after the other, separated by "; "."""
    return Message("sentence", {"parts": tuple(p for p in parts if p is not None)})


def period_sentence(measure: str, unit: str, money: bool, p: PeriodResult, as_of: date) -> Message:
    if p.status == "waived":
        return Message("period.waived", {"reason": p.waived_reason})
    note = p.note_message if p.note_message is not None else p.note
    if measure == "deadline":
        return Message("period.deadline", {"label": p.label, "note": note})
    counted = unit_message(unit)
    if measure == "share":
        if p.status == "pending" and not p.denominator:
            text = Message("period.share_nothing", {"unit": counted})
        else:
            text = Message("period.share", {
                "actual": Percent(p.actual), "numerator": Figure(p.numerator or Fraction(0), money),
                "denominator": Figure(p.denominator or Fraction(0), money), "unit": counted,
                "target": Percent(p.target)})
    else:
        figures = {"actual": Figure(p.actual, money), "target": Figure(p.target, money), "unit": counted}
        if p.status in ("on_track", "at_risk"):
            text = Message("period.amount_expected",
                           {**figures, "expected": Figure(p.expected, money), "by": Day(min(as_of, p.end))})
        else:
            text = Message("period.amount", figures)
    short = None
    if p.status == "breached" and measure == "amount":
        short = Message("period.short", {"shortfall": Figure(p.shortfall, money)})
    return _sentence(text, short, note if p.note else None)


def clause_sentence(measure: str, unit: str, money: bool, periods: list[PeriodResult], worst_index: int | None,
                    as_of: date, status: str) -> Message:
    if not periods:
        return Message("clause.nothing_due")
    if len(periods) == 1:
        return period_sentence(measure, unit, money, periods[0], as_of)
    counts: dict[str, int] = {}
    for p in periods:
        counts[p.status] = counts.get(p.status, 0) + 1
    summary = Listing(tuple(Message("clause.status_count", {"n": n, "status": Code("statuses", s)})
                            for s, n in counts.items()))
    if measure == "deadline":
        problems = [period_sentence(measure, unit, money, p, as_of) for p in periods if p.status == "breached"]
        head = Message("clause.reports", {"on_time": sum(1 for p in periods if p.status == "met"),
                                          "count": len(periods), "summary": summary})
        return _sentence(head, *problems)
    head = Message("clause.periods", {"count": len(periods), "summary": summary})
    if worst_index is not None and status not in ("met", "waived"):
        p = periods[worst_index]
        worst = Message("clause.worst", {"start": Day(p.start), "end": Day(p.end),
                                         "sentence": period_sentence(measure, unit, money, p, as_of)})
        return _sentence(head, worst)
    return _sentence(head)
