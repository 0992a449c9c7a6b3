"""`supervision`: the share of qualifying placements with a trained supervisor.

The specification speaks of placements here (unlike `group_share`, which counts participants): a
supervisor belongs to a placement, so each qualifying placement counts, in the period
holding its qualification date.
"""

from __future__ import annotations

from fractions import Fraction

from procure.domain.model import Clause
from procure.engine.qualification import qualify_all
from procure.engine.rules.base import Parameter, PeriodTally, Rule, Tally, share_percent
from procure.engine.rules.tally import by_qualification
from procure.engine.wording import Message


class Supervision(Rule):
    kind = "supervision"
    measure = "share"
    unit = "qualifying placements"
    parameters = (
        Parameter("share", "share", default=1, description="The least share of qualifying placements with a trained supervisor (1 = all)."),
    )

    @classmethod
    def headline(cls, clause: Clause) -> Message:
        return Message("describe.supervision", {"share": share_percent(cls.parameter_value(clause.parameters, "share"))})

    def tally(self, index) -> Tally:
        periods = self.periods()
        target = self.fraction_param("share")
        _, counted, excluded = by_qualification(
            qualify_all(index, self.clause.filters), periods, index, distinct=False,
            mark=lambda view: int(view.placement.supervisor_trained is True))
        hits, totals = [0] * len(periods), [0] * len(periods)
        for entry in counted:
            hits[entry.period] += entry.amount
            totals[entry.period] += 1
        tallies = [
            PeriodTally(period, Fraction(h, t) if t else Fraction(0), target, Fraction(h), Fraction(t))
            for period, h, t in zip(periods, hits, totals)
        ]
        return Tally(tallies, counted, excluded)
