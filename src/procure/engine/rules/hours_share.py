"""`hours_share`: hours of qualifying placements ÷ labour hours reported, per period.

Placement hours are days inside the period / 7 × hours per week. Labour hours are
reported per month; a month that straddles a period boundary or `as_of` counts pro rata
by its days inside the period and up to `as_of`, so both sides cover the same days.
"""

from __future__ import annotations

from fractions import Fraction

from procure.domain.model import Clause
from procure.engine.qualification import qualify_all
from procure.engine.rules.base import Parameter, PeriodTally, Rule, Tally, share_percent
from procure.engine.rules.tally import by_days, per_hours
from procure.engine.wording import Message

_HOURS_NEEDED = Message("excluded.hours_needed")


class HoursShare(Rule):
    kind = "hours_share"
    measure = "share"
    unit = "hours"
    parameters = (
        Parameter("share", "share", required=True, description="Share of the labour hours that qualifying placements must make up (0.05 = 5 %)."),
    )

    @classmethod
    def headline(cls, clause: Clause) -> Message:
        return Message("describe.hours_share", {"share": share_percent(clause.parameters.get("share"))})

    def tally(self, index) -> Tally:
        periods = self.periods()
        target = self.fraction_param("share")
        rate = per_hours(lambda hours: hours / 7, _HOURS_NEEDED)
        hours, counted, excluded = by_days(qualify_all(index, self.clause.filters), periods, index, rate)
        months = index.labour_months()
        as_of = index.as_of_o
        tallies = []
        for period, numerator in zip(periods, hours):
            p_first, p_last = period.start.toordinal(), min(period.end.toordinal(), as_of)
            denominator = Fraction(0)
            for m_first, m_last, m_hours in months:
                days = min(m_last, p_last) - max(m_first, p_first) + 1
                if days > 0:
                    denominator += m_hours * days / (m_last - m_first + 1)
            actual = numerator / denominator if denominator else Fraction(0)
            tallies.append(PeriodTally(period, actual, target, numerator, denominator))
        return Tally(tallies, counted, excluded)
