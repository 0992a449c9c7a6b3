"""`placement_weeks`: qualifying placement-weeks inside each period, optionally full-time weighted."""

from __future__ import annotations

from fractions import Fraction

from procure.domain.model import Clause
from procure.engine.qualification import qualify_all
from procure.engine.rules.base import Parameter, PeriodTally, Rule, Tally
from procure.engine.rules.tally import by_days, per_hours
from procure.engine.wording import Message, Number

_PER_WEEK = Fraction(1, 7)
_HOURS_NEEDED = Message("excluded.hours_needed_for_fte")


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
    def headline(cls, clause: Clause) -> Message:
        key = "describe.placement_weeks_fte" if clause.parameters.get("fte") else "describe.placement_weeks"
        return Message(key, {"weeks": Number(clause.parameters.get("target_weeks"))})

    def tally(self, index) -> Tally:
        periods = self.periods()
        target = self.fraction_param("target_weeks")
        fte = bool(self.param("fte"))

        rate = per_hours(lambda hours: hours / 40 / 7, _HOURS_NEEDED) if fte else (lambda _view: _PER_WEEK)
        totals, counted, excluded = by_days(qualify_all(index, self.clause.filters), periods, index, rate)
        tallies = [PeriodTally(p, total, p.scaled(target)) for p, total in zip(periods, totals)]
        return Tally(tallies, counted, excluded)
