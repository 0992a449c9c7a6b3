"""The periods a clause is judged over, and the reporting periods of a contract.

Clause periods (SPEC: `contract`, `year`, `quarter`, `month`) are counted from the
contract's start date with calendar arithmetic (python-dateutil), so 2016-02-29 + 1 year
is 2017-02-28. Quarters and months are counted from the start date too, like years, so
that only the final period can be partial. Each period's k-th start is computed from the
contract start (start + k × step), never by stepping from the previous period, so month
ends do not drift (2016-01-31, 2016-02-29, 2016-03-31, …).

Reporting periods are different: SPEC defines them as the *calendar* months or quarters
overlapping the contract term, so the first and the last may be partial.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from math import ceil

from dateutil.relativedelta import relativedelta

_STEPS = {
    "year": relativedelta(years=1),
    "quarter": relativedelta(months=3),
    "month": relativedelta(months=1),
}
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    full_days: int  # days of a full period beginning on `start`; more than `days` when partial

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def partial(self) -> bool:
        return self.days < self.full_days

    def scaled(self, target: Fraction) -> Fraction:
        """The target of this period: a final partial period gets its share, rounded up."""
        if not self.partial:
            return target
        return Fraction(ceil(target * self.days / self.full_days))

    def elapsed_days(self, as_of: date) -> int:
        """Days of the period up to and including `as_of` (0 before it starts)."""
        last = min(as_of, self.end)
        return max(0, (last - self.start).days + 1)

    def has_ended(self, as_of: date) -> bool:
        return as_of >= self.end


def clause_periods(start: date, end: date, kind: str = "contract") -> tuple[Period, ...]:
    """Split the inclusive contract term into the clause's periods."""
    if kind == "contract" or end < start:
        return (Period(start, end, (end - start).days + 1),)
    step = _STEPS[kind]
    periods = []
    k = 0
    while True:
        p_start = start + step * k
        if p_start > end:
            break
        full_end = start + step * (k + 1) - _ONE_DAY
        periods.append(Period(p_start, min(full_end, end), (full_end - p_start).days + 1))
        k += 1
    return tuple(periods)


class PeriodIndex:
    """Finds the period holding a date (as an ordinal).

    `slot_of_day[ordinal - first]` is the period of each day of the term: rules look up a
    period for every placement, and a list index is cheaper than a bisection (the table
    has one entry per day of the term, a few thousand at most)."""

    def __init__(self, periods: tuple[Period, ...]):
        self.periods = periods
        self._starts = [p.start.toordinal() for p in periods]
        self._last = periods[-1].end.toordinal() if periods else -1
        self.first = self._starts[0] if periods else 0
        self.last = self._last
        self.slot_of_day: list[int] = []
        for slot, period in enumerate(periods):
            self.slot_of_day.extend([slot] * max(0, period.end.toordinal() - period.start.toordinal() + 1))

    def find(self, ordinal: int) -> int | None:
        if not self.periods or ordinal < self.first or ordinal > self._last:
            return None
        return self.slot_of_day[ordinal - self.first]

    def overlapping(self, first: int, last: int) -> range:
        """Indices of the periods overlapping the inclusive ordinal interval."""
        if not self.periods or last < self._starts[0] or first > self._last:
            return range(0)
        lo = max(0, bisect.bisect_right(self._starts, first) - 1)
        hi = bisect.bisect_right(self._starts, last)
        return range(lo, hi)


@dataclass(frozen=True)
class ReportingPeriod:
    label: str  # "2017-09" or "2017-Q3"
    start: date  # clipped to the contract term
    end: date


def reporting_periods(start: date, end: date, frequency: str) -> tuple[ReportingPeriod, ...]:
    """The calendar months or quarters overlapping the contract term, clipped to it."""
    months = 3 if frequency == "quarterly" else 1
    first_month = ((start.month - 1) // months) * months + 1
    cursor = date(start.year, first_month, 1)
    result = []
    while cursor <= end:
        nxt = cursor + relativedelta(months=months)
        if months == 3:
            label = f"{cursor.year}-Q{(cursor.month - 1) // 3 + 1}"
        else:
            label = f"{cursor.year}-{cursor.month:02d}"
        result.append(ReportingPeriod(label, max(cursor, start), min(nxt - _ONE_DAY, end)))
        cursor = nxt
    return tuple(result)
