"""`supervision`: the share of qualifying placements with a trained supervisor.

The specification speaks of placements here (unlike `group_share`, which counts participants): a
supervisor belongs to a placement, so each qualifying placement counts, in the period
holding its qualification date.
"""

from __future__ import annotations

from procure.domain.model import Clause
from procure.engine.rules.base import CountRule, Parameter, PeriodTally, share_percent, share_tallies
from procure.engine.wording import Message


class Supervision(CountRule):
    kind = "supervision"
    measure = "share"
    chart = "share"
    unit = "qualifying placements"
    parameters = (
        Parameter("share", "share", default=1, description="The least share of qualifying placements with a trained supervisor (1 = all)."),
    )

    @classmethod
    def headline(cls, clause: Clause) -> Message:
        return Message("describe.supervision", {"share": share_percent(cls.parameter_value(clause.parameters, "share"))})

    distinct = False  # every placement, not every person

    def mark(self):
        return lambda view: int(view.placement.supervisor_trained is True)

    def tallies(self, periods, counts, marks) -> list[PeriodTally]:
        return share_tallies(periods, marks, counts, self.fraction_param("share"))
