"""`hours_share`: hours of qualifying placements ÷ labour hours reported, per period.

Placement hours are days inside the period / 7 × hours per week. Labour hours are
reported per month; a month that straddles a period boundary or `as_of` counts pro rata
by its days inside the period and up to `as_of`, so both sides cover the same days.
"""

from __future__ import annotations

from fractions import Fraction

from procure.domain.model import Clause
from procure.engine.rules.base import DaysRule, Parameter, PeriodTally, share_percent
from procure.engine.rules.tally import per_hours
from procure.engine.wording import Message

_HOURS_NEEDED = Message("excluded.hours_needed")


class HoursShare(DaysRule):
    kind = "hours_share"
    measure = "share"
    chart = "share"
    unit = "hours"
    parameters = (
        Parameter("share", "share", required=True, description="Share of the labour hours that qualifying placements must make up (0.05 = 5 %)."),
    )

    @classmethod
    def headline(cls, clause: Clause) -> Message:
        return Message("describe.hours_share", {"share": share_percent(clause.parameters.get("share"))})

    def rate(self, index):
        return per_hours(lambda hours: hours / 7, _HOURS_NEEDED)

    def tallies(self, index, as_of, periods, hours, q) -> list[PeriodTally]:
        """The qualifying hours against the labour hours reported for the same days (months
        seen by `as_of`; the index may see further, but a month after `as_of` has no day
        up to it)."""
        target = self.fraction_param("share")
        as_of = as_of.toordinal()
        tallies = []
        for period, numerator in zip(periods, hours):
            denominator = index.labour_between(period.start.toordinal(), min(period.end.toordinal(), as_of))
            actual = numerator / denominator if denominator else Fraction(0)
            tallies.append(PeriodTally(period, actual, target, numerator, denominator))
        return tallies
