"""`placement_weeks`: qualifying placement-weeks inside each period, optionally full-time weighted."""

from __future__ import annotations

from fractions import Fraction

from procure.domain.model import Clause
from procure.engine.rules.base import DaysRule, Parameter
from procure.engine.rules.tally import per_hours
from procure.engine.wording import Message, Number

_PER_WEEK = Fraction(1, 7)
_HOURS_NEEDED = Message("excluded.hours_needed_for_fte")


class PlacementWeeks(DaysRule):
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

    def target(self) -> Fraction:
        return self.fraction_param("target_weeks")

    def rate(self, index):
        return per_hours(lambda hours: hours / 40 / 7, _HOURS_NEEDED) if self.param("fte") else (lambda _view: _PER_WEEK)
