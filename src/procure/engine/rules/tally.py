"""The two ways rules count placements, each one pass over the pre-sorted placements.

- `by_qualification`: each qualifying placement counts in the period holding its
  qualification date; with `distinct`, a person counts at most once per period (the
  placement that qualified first, then the lowest id, represents them).
- `by_days`: the days of qualifying placements that fall inside each period, each day
  weighted by a rate (1/7 for weeks, hours/40/7 for full-time weeks, SEK per week / 7 …).
  A person counts at most once per day: when two of their placements overlap, the
  overlapping days count once, for the placement that started first.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from fractions import Fraction
from typing import Callable, Iterable

from procure.engine.periods import Period, PeriodIndex
from procure.engine.qualification import QUALIFIED, Verdict
from procure.engine.records import PlacementView, RecordIndex
from procure.engine.rules.base import Counted, Excluded


def already_counted(index: RecordIndex, view: PlacementView, counted_ref: str, where: str) -> str:
    if counted_ref == view.ref:
        return f"participant {view.ref} already counted {where}"
    return f"same person as {counted_ref} (same personal number), already counted {where}"


def outside_term(on: int) -> str:
    return f"qualified on {date.fromordinal(on).isoformat()}, outside the contract term"


def by_qualification(
    index: RecordIndex,
    verdicts: Iterable[Verdict],
    periods: tuple[Period, ...],
    distinct: bool = True,
) -> tuple[list[list[Verdict]], list[Counted], list[Excluded]]:
    finder = PeriodIndex(periods)
    per_period: list[list[Verdict]] = [[] for _ in periods]
    counted: list[Counted] = []
    excluded: list[Excluded] = []
    qualified = []
    for verdict in verdicts:
        if verdict.code == QUALIFIED:
            qualified.append(verdict)
        else:
            excluded.append(Excluded(verdict.view.ref, verdict.view.id, verdict.reason or ""))
    qualified.sort(key=lambda v: (v.qualified_on, v.view.id))
    seen: dict[tuple[str, int], str] = {}
    for verdict in qualified:
        view = verdict.view
        slot = finder.find(verdict.qualified_on)
        if slot is None:
            excluded.append(Excluded(view.ref, view.id, outside_term(verdict.qualified_on)))
            continue
        if distinct:
            key = (view.person, slot)
            first = seen.get(key)
            if first is not None:
                excluded.append(Excluded(view.ref, view.id, already_counted(index, view, first, "in this period")))
                continue
            seen[key] = view.ref
        per_period[slot].append(verdict)
        counted.append(Counted(view.ref, view.id, date.fromordinal(verdict.qualified_on), slot))
    return per_period, counted, excluded


Rate = Callable[[PlacementView], "Fraction | str"]  # a rate per day, or the reason it has none
Interval = Callable[[PlacementView], tuple[int, int]]


def by_days(
    index: RecordIndex,
    verdicts: Iterable[Verdict],
    periods: tuple[Period, ...],
    rate: Rate,
    interval: Interval | None = None,
) -> tuple[list[Fraction], list[Counted], list[Excluded]]:
    """Weighted days per period. `interval` may stretch a placement's counted days
    (full_time_months credits an early end in full)."""
    finder = PeriodIndex(periods)
    bounds = [(p.start.toordinal(), p.end.toordinal()) for p in periods]
    # rate -> days, per period: sum days first and multiply once, to keep Fractions few.
    days_at_rate: list[dict[Fraction, int]] = [defaultdict(int) for _ in periods]
    counted: list[Counted] = []
    excluded: list[Excluded] = []
    covered: dict[str, tuple[int, str]] = {}  # person -> (last counted day, ref)
    for verdict in verdicts:  # placements are sorted by start, id
        view = verdict.view
        if verdict.code != QUALIFIED:
            excluded.append(Excluded(view.ref, view.id, verdict.reason or ""))
            continue
        day_rate = rate(view)
        if isinstance(day_rate, str):
            excluded.append(Excluded(view.ref, view.id, day_rate))
            continue
        first, last = interval(view) if interval is not None else (view.start, view.end)
        previous = covered.get(view.person)
        if previous is not None and previous[0] >= first:
            first = previous[0] + 1
            if first > last:
                excluded.append(Excluded(view.ref, view.id, already_counted(
                    index, view, previous[1], "for these days (overlapping placements)")))
                continue
        total = 0
        slot_of_qualification = finder.find(verdict.qualified_on)
        for slot in finder.overlapping(first, last):
            p_first, p_last = bounds[slot]
            days = min(last, p_last) - max(first, p_first) + 1
            if days > 0:
                days_at_rate[slot][day_rate] += days
                total += days
        if total == 0:
            excluded.append(Excluded(view.ref, view.id, "no days inside the contract term"))
            continue
        if previous is None or last > previous[0]:
            covered[view.person] = (last, view.ref)
        counted.append(Counted(view.ref, view.id, date.fromordinal(verdict.qualified_on),
                               slot_of_qualification, total * day_rate))
    totals = [sum((r * d for r, d in table.items()), Fraction(0)) for table in days_at_rate]
    return totals, counted, excluded
