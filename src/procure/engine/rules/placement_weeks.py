"""`placement_weeks`: qualifying placement-weeks inside each period, optionally full-time weighted."""

from __future__ import annotations

from fractions import Fraction

from procure.domain.model import Clause
from procure.engine.qualification import number, qualify_all
from procure.engine.rules.base import Parameter, PeriodTally, Rule, Tally
from procure.engine.rules.tally import by_days

_PER_WEEK = Fraction(1, 7)


class PlacementWeeks(Rule):
    kind = "placement_weeks"
    measure = "amount"
    unit = "placement-weeks"
    parameters = (
        Parameter("target_weeks", "decimal", required=True, description="Placement-weeks required in each period."),
        Parameter("fte", "bool", default=False,
                  description="Weigh each week by hours per week / 40, so that part-time weeks count in part."),
    )

    @classmethod
    def headline(cls, clause: Clause) -> str:
        fte = " full-time" if clause.parameters.get("fte") else ""
        return f"at least {number(clause.parameters.get('target_weeks'))}{fte} placement-weeks"

    def tally(self, index) -> Tally:
        periods = self.periods()
        target = self.fraction_param("target_weeks")
        fte = bool(self.param("fte"))

        def rate(view):
            if not fte:
                return _PER_WEEK
            if view.hours is None:
                return "hours per week not reported (needed for full-time weeks)"
            return view.hours / 40 / 7

        totals, counted, excluded = by_days(qualify_all(index, self.clause.filters), periods, rate)
        tallies = [PeriodTally(p, total, p.scaled(target)) for p, total in zip(periods, totals)]
        return Tally(tallies, counted, excluded)
