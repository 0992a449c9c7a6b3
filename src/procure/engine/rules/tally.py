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

from bisect import bisect_left
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from math import lcm

from procure.engine.entries import Counted, Excluded
from procure.engine.periods import Period
from procure.engine.qualification import Qualification
from procure.engine.records import PlacementView, RecordIndex
from procure.engine.wording import Day, Message

_new = tuple.__new__  # builds an entry without the Python-level NamedTuple constructor
_IN_PERIOD = Message("where.in_period")
_OVERLAPPING = Message("where.overlapping_days")
_NO_DAYS = Message("excluded.no_days_in_term")


def already_counted(view: PlacementView, counted_ref: str, where: Message) -> Message:
    if counted_ref == view.ref:
        return Message("excluded.already_counted", {"ref": view.ref, "where": where})
    return Message("excluded.same_person_counted", {"ref": counted_ref, "where": where})


def outside_term(on: int) -> Message:
    return Message("excluded.qualified_outside_term", {"on": Day(date.fromordinal(on))})


def by_qualification(
    q: Qualification, periods: tuple[Period, ...], index: RecordIndex, distinct: bool = True,
    mark: Callable[[PlacementView], int] | None = None,
) -> tuple[list[int], list[Counted], list[Excluded]]:
    """How many placements count in each period, and the entries. `mark`, for share rules, gives each counted placement's `amount`: 1 when it is in
    the numerator, 0 when only in the denominator."""
    finder = index.period_index(periods)
    slot_of_day, first_day, last_day = finder.slot_of_day, finder.first, finder.last
    per_period = [0] * len(periods)
    counted: list[Counted] = []
    excluded = list(q.excluded)
    # Per period: person (by number) -> the reference of the placement counted for them.
    seen_in: list[dict[int, str]] = [{} for _ in periods]
    dates = index.dates
    # Qualified placements come in (start, id) order and the qualification date is the
    # start plus a constant (the delay), so they are already in (qualification date, id) order.
    delay = q.delay
    for view in q.qualified:
        on = view.start + delay
        if on < first_day or on > last_day:
            excluded.append(_new(Excluded, (view.ref, view.id, outside_term(on))))
            continue
        slot = slot_of_day[on - first_day]
        if distinct:
            seen = seen_in[slot]
            first = seen.get(view.person)
            if first is not None:
                excluded.append(_new(Excluded, (view.ref, view.id, already_counted(view, first, _IN_PERIOD))))
                continue
            seen[view.person] = view.ref
        per_period[slot] += 1
        counted.append(_new(Counted, (view.ref, view.id, dates[on], slot, mark(view) if mark else None, None)))
    return per_period, counted, excluded


Rate = Callable[[PlacementView], "Fraction | Message"]  # a rate per day, or the reason it has none


def per_hours(rate_of_hours: Callable[[Fraction], Fraction], missing: Message) -> Rate:
    """A rate that depends only on the hours per week (`missing` when they are not
    reported), worked out once per distinct hours: a contract has hundreds of signatures
    but a few dozen hours, and Fraction arithmetic is slow."""
    made: dict = {}

    def rate(view: PlacementView) -> Fraction | Message:
        hours = view.placement.hours_per_week
        found = made.get(hours)
        if found is None:
            exact = view.hours  # None exactly when hours is
            found = made[hours] = missing if exact is None else rate_of_hours(exact)
        return found

    return rate

Interval = Callable[[PlacementView], tuple[int, int]]


def by_days(
    q: Qualification, periods: tuple[Period, ...], index: RecordIndex, rate: Rate, interval: Interval | None = None,
    spans: Spans | None = None,
) -> tuple[list[Fraction], list[Counted], list[Excluded]]:
    """Weighted days per period. `rate` may only look at the fields of a placement's
    signature (type, groups, days and hours per week, …): it is asked once per signature.
    `interval` may stretch a placement's counted days (full_time_months credits an early
    end in full). `spans`, when given, receives (rate index, first day, last day,
    qualification day) of each counted placement, for `days_series`.

    Days are counted as integers, per distinct rate and period, and multiplied by the
    rate once per period at the end: no Fraction arithmetic per placement. A placement
    adds its days to the period holding them, or, when it spans periods, to each of them
    in turn (the periods tile the term, in order)."""
    finder = index.period_index(periods)
    slot_of_day = finder.slot_of_day
    single = len(periods) == 1
    # The periods tile the contract term, so a placement's days inside any period are its
    # days inside the term.
    term_first, term_last = periods[0].start.toordinal(), periods[-1].end.toordinal()
    period_first = [period.start.toordinal() for period in periods]
    period_last = [period.end.toordinal() for period in periods]
    rates: list[Fraction] = []
    days_in: list[list[int]] = []  # per rate: days in each period
    counted: list[Counted] = []
    add_counted = counted.append
    excluded = list(q.excluded)
    # Per person (by number): the last day counted so far, and the placement it was for.
    covered_until = [-1] * index.person_count
    covered_by: list[PlacementView | None] = [None] * index.person_count
    dates = index.dates
    rate_of_signature: list = [None] * len(index.representatives)  # index into rates, or why none
    # By identity: a rate is asked for once per signature and the rules hand back the same
    # object for the same hours (per_hours), and a Fraction's hash is slow to compute.
    # Equal rates that are distinct objects only get a column each.
    rate_index: dict[int, int] = {}
    delay = q.delay
    for view in q.qualified:  # sorted by start, id
        key = rate_of_signature[view.signature]
        if key is None:
            day_rate = rate(view)
            if isinstance(day_rate, Message):
                key = day_rate
            else:
                key = rate_index.get(id(day_rate))
                if key is None:
                    key = rate_index[id(day_rate)] = len(rates)
                    rates.append(day_rate)
                    days_in.append([0] * len(periods))
            rate_of_signature[view.signature] = key
        if key.__class__ is not int:
            excluded.append(_new(Excluded, (view.ref, view.id, key)))
            continue
        if interval is None:
            first, last = view.start, view.end
        else:
            first, last = interval(view)
        person = view.person
        until = covered_until[person]
        if until >= first:
            first = until + 1
            if first > last:
                excluded.append(_new(Excluded, (view.ref, view.id, already_counted(view, covered_by[person].ref, _OVERLAPPING))))
                continue
        lo = first if first > term_first else term_first
        hi = last if last < term_last else term_last
        if hi < lo:
            excluded.append(_new(Excluded, (view.ref, view.id, _NO_DAYS)))
            continue
        days = days_in[key]
        if single:
            days[0] += hi - lo + 1
        else:
            first_slot, last_slot = slot_of_day[lo - term_first], slot_of_day[hi - term_first]
            if first_slot == last_slot:
                days[first_slot] += hi - lo + 1
            else:
                days[first_slot] += period_last[first_slot] - lo + 1
                for slot in range(first_slot + 1, last_slot):
                    days[slot] += period_last[slot] - period_first[slot] + 1
                days[last_slot] += hi - period_first[last_slot] + 1
        if last > until:
            covered_until[person] = last
            covered_by[person] = view
        on = view.start + delay
        if spans is not None:
            spans.items.append((key, lo, hi, on))
        if single:
            period_slot: int | None = 0
        else:
            period_slot = slot_of_day[on - term_first] if term_first <= on <= term_last else None
        add_counted(_new(Counted, (view.ref, view.id, dates[on], period_slot, hi - lo + 1, rates[key])))
    if spans is not None:
        spans.rates = rates
    return _weighted(rates, days_in, len(periods)), counted, excluded


def _weighted(rates: list[Fraction], days_in: list[list[int]], slots: int) -> list[Fraction]:
    """Per period: the days of each rate times the rate."""
    totals = []
    for slot in range(slots):
        total = Fraction(0)
        for key, days in enumerate(days_in):
            if days[slot]:
                total += rates[key] * days[slot]
        totals.append(total)
    return totals


# -- the same counts on many dates, in one pass (procure.engine.series) ------------------
#
# Counted as of the last date D, a placement's contribution on an earlier date d follows
# from when it began: a placement qualified on D counts on d if it had qualified by d (its
# qualification date is start + a delay that does not depend on the date; the same
# person's first placement in a period is the first on d too, when it had qualified by
# d). A counted day t of the days attributed to a placement on D counts on d if t ≤ d and
# the placement had qualified by d: the placement that covers t first (by start) covers it
# on d as well, its end on d being min(its end on D, d).


def cumulative(entries: list[tuple[int, int, int]], dates: list[int], slots: int) -> list[list[int]]:
    """Per date (ordinals, sorted), per slot: the sum of the amounts of the entries
    (day, slot, amount) dated on or before it."""
    added = [[0] * slots for _ in range(len(dates) + 1)]
    for on, slot, amount in entries:
        added[bisect_left(dates, on)][slot] += amount
    running, out = [0] * slots, []
    for row in added[:-1]:
        running = [a + b for a, b in zip(running, row)]
        out.append(running)
    return out


def marked(counted: list[Counted]) -> list[tuple[int, int, int]]:
    """`by_qualification`'s entries as (qualification day's ordinal, period, mark): each of
    them is dated, in a period, and marked 0 or 1 (None: 0)."""
    entries = []
    for c in counted:
        on, slot, mark = c.qualified_on, c.period, c.amount
        assert on is not None and slot is not None and not isinstance(mark, Fraction)
        entries.append((on.toordinal(), slot, mark or 0))
    return entries


def qualification_series(counted: list[Counted], dates: list[int], slots: int) -> tuple[list[list[int]], list[list[int]]]:
    """From `by_qualification`'s entries on the last date: per date and slot, how many
    counted, and the sum of their marks (share rules' numerators)."""
    dated = marked(counted)
    counts = cumulative([(on, slot, 1) for on, slot, _ in dated], dates, slots)
    marks = cumulative(dated, dates, slots)
    return counts, marks


class Spans:
    """What `by_days` counted on the last date, for `days_series`: per counted placement
    (rate index, first day, last day, qualification day), and the rates."""

    __slots__ = ("items", "rates")

    def __init__(self) -> None:
        self.items: list[tuple[int, int, int, int]] = []
        self.rates: list[Fraction] = []


def days_series(spans: Spans, periods: tuple[Period, ...], index: RecordIndex, dates: list[int]) -> list[list[Fraction]]:
    """From `by_days`' spans on the last date: per date and period, the weighted days.

    A span's days [a, b] in one period, qualified on `on`, add nothing before max(on, a),
    then d − a + 1 up to b, then b − a + 1: linear pieces of the date, summed per period
    as a slope and an intercept that change at the dates where a piece starts or stops.
    Each piece is weighted by its rate times the rates' common denominator, so the sums
    are of integers and each figure is one Fraction."""
    rates = spans.rates
    scale = lcm(*(rate.denominator for rate in rates)) if rates else 1
    weights = [rate.numerator * (scale // rate.denominator) for rate in rates]
    slots, n = len(periods), len(dates)
    finder = index.period_index(periods)
    slot_of_day, term_first = finder.slot_of_day, finder.first
    period_first = [p.start.toordinal() for p in periods]
    period_last = [p.end.toordinal() for p in periods]
    # Per slot, the changes of slope and intercept at each date index.
    slope = [[0] * (n + 1) for _ in range(slots)]
    intercept = [[0] * (n + 1) for _ in range(slots)]
    for key, lo, hi, on in spans.items:
        weight = weights[key]
        for slot in range(slot_of_day[lo - term_first], slot_of_day[hi - term_first] + 1):
            a = lo if lo > period_first[slot] else period_first[slot]
            b = hi if hi < period_last[slot] else period_last[slot]
            start = bisect_left(dates, on if on > a else a)
            full = bisect_left(dates, b)
            if full < start:
                full = start
            slopes, intercepts = slope[slot], intercept[slot]
            slopes[start] += weight
            intercepts[start] += weight * (1 - a)
            slopes[full] -= weight
            intercepts[full] += weight * b  # from then on the constant b − a + 1
    out = []
    running_slope, running_intercept = [0] * slots, [0] * slots
    for i, day in enumerate(dates):
        totals = []
        for slot in range(slots):
            running_slope[slot] += slope[slot][i]
            running_intercept[slot] += intercept[slot][i]
            totals.append(Fraction(running_slope[slot] * day + running_intercept[slot], scale))
        out.append(totals)
    return out
