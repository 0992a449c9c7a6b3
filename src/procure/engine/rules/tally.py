"""The two ways rules count placements, each one pass over the qualified placements.

- `by_qualification`: each qualifying placement counts in the period holding its
  qualification date; with `distinct`, a person counts at most once per period (the
  placement that qualified first, then the lowest id, represents them).
- `by_days`: the days of qualifying placements that fall inside each period, each day
  weighted by a rate (1/7 for weeks, hours/40/7 for full-time weeks, SEK per week / 7 …).
  A person counts at most once per day: when two of their placements overlap, the
  overlapping days count once, for the placement that started first.

Both start from the placements' shared `Qualification` (one per distinct set of
filters) and add their own exclusions after the filters' ones.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from fractions import Fraction
from typing import Callable

from procure.engine.entries import Counted, Excluded
from procure.engine.periods import Period, PeriodIndex
from procure.engine.qualification import Qualification
from procure.engine.records import PlacementView

Qualified = tuple[PlacementView, int]  # a placement and its qualification date (ordinal)
_new = tuple.__new__  # builds a Counted without the Python-level NamedTuple constructor


def already_counted(view: PlacementView, counted_ref: str, where: str) -> str:
    if counted_ref == view.ref:
        return f"participant {view.ref} already counted {where}"
    return f"same person as {counted_ref} (same personal number), already counted {where}"


def outside_term(on: int) -> str:
    return f"qualified on {date.fromordinal(on).isoformat()}, outside the contract term"


def by_qualification(
    q: Qualification, periods: tuple[Period, ...], distinct: bool = True,
    mark: Callable[[PlacementView], int] | None = None,
) -> tuple[list[list[Qualified]], list[Counted], list[Excluded]]:
    """`mark`, for share rules, gives each counted placement's `amount`: 1 when it is in
    the numerator, 0 when only in the denominator."""
    find = PeriodIndex(periods).find
    per_period: list[list[Qualified]] = [[] for _ in periods]
    counted: list[Counted] = []
    excluded = list(q.excluded)
    seen: dict[tuple[str, int], str] = {}
    fromordinal = date.fromordinal
    single = len(periods) == 1
    only_first, only_last = periods[0].start.toordinal(), periods[0].end.toordinal()
    # Qualified placements come in (start, id) order and the qualification date is the
    # start plus a constant, so they are already in (qualification date, id) order.
    for entry in q.qualified:
        view, on = entry
        slot = 0 if single and only_first <= on <= only_last else find(on)
        if slot is None:
            excluded.append(Excluded(view.ref, view.id, outside_term(on)))
            continue
        if distinct:
            key = (view.person, slot)
            first = seen.get(key)
            if first is not None:
                excluded.append(Excluded(view.ref, view.id, already_counted(view, first, "in this period")))
                continue
            seen[key] = view.ref
        per_period[slot].append(entry)
        counted.append(_new(Counted, (view.ref, view.id, fromordinal(on), slot, mark(view) if mark else None, None)))
    return per_period, counted, excluded


Rate = Callable[[PlacementView], "Fraction | str"]  # a rate per day, or the reason it has none
Interval = Callable[[PlacementView], tuple[int, int]]


def by_days(
    q: Qualification, periods: tuple[Period, ...], rate: Rate, interval: Interval | None = None,
) -> tuple[list[Fraction], list[Counted], list[Excluded]]:
    """Weighted days per period. `rate` may only look at the fields of a placement's
    signature (type, groups, days and hours per week, …): it is asked once per signature,
    days are summed per rate and multiplied once at the end. `interval` may stretch a placement's counted days (full_time_months credits an early
    end in full)."""
    finder = PeriodIndex(periods)
    find = finder.find
    single, count = len(periods) == 1, len(periods)
    starts = [p.start.toordinal() for p in periods]
    bounds = [(p.start.toordinal(), p.end.toordinal()) for p in periods]
    only_first, only_last = bounds[0]
    days_at_rate: list[dict[int, int]] = [{} for _ in periods]  # id(rate) -> days
    first_table = days_at_rate[0]
    rates: dict[int, Fraction] = {}
    counted: list[Counted] = []
    add_counted = counted.append
    excluded = list(q.excluded)
    covered: dict[str, tuple[int, str]] = {}  # person -> (last counted day, ref)
    fromordinal = date.fromordinal
    rate_of_signature: dict[int, Fraction | str] = {}
    for view, on in q.qualified:  # sorted by start, id
        day_rate = rate_of_signature.get(view.signature)
        if day_rate is None:
            day_rate = rate_of_signature[view.signature] = rate(view)
        if type(day_rate) is str:
            excluded.append(Excluded(view.ref, view.id, day_rate))
            continue
        first, last = interval(view) if interval is not None else (view.start, view.end)
        person = view.person
        previous = covered.get(person)
        if previous is not None and previous[0] >= first:
            first = previous[0] + 1
            if first > last:
                excluded.append(Excluded(view.ref, view.id, already_counted(
                    view, previous[1], "for these days (overlapping placements)")))
                continue
        key = id(day_rate)
        if key not in rates:
            rates[key] = day_rate
        if single:
            total = (last if last < only_last else only_last) - (first if first > only_first else only_first) + 1
            if total > 0:
                first_table[key] = first_table.get(key, 0) + total
            slot = 0
        else:
            total = 0
            slot = bisect_right(starts, first) - 1
            if slot < 0:
                slot = 0
            while slot < count:
                p_first, p_last = bounds[slot]
                if p_first > last:
                    break
                days = (last if last < p_last else p_last) - (first if first > p_first else p_first) + 1
                if days > 0:
                    table = days_at_rate[slot]
                    table[key] = table.get(key, 0) + days
                    total += days
                slot += 1
            slot = find(on)
        if total <= 0:
            excluded.append(Excluded(view.ref, view.id, "no days inside the contract term"))
            continue
        if previous is None or last > previous[0]:
            covered[person] = (last, view.ref)
        add_counted(_new(Counted, (view.ref, view.id, fromordinal(on), slot, total, day_rate)))
    totals = [sum((rates[k] * d for k, d in table.items()), Fraction(0)) for table in days_at_rate]
    return totals, counted, excluded
