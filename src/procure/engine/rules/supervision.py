"""`supervision`: the share of qualifying placements with a trained supervisor.

SPEC speaks of placements here (unlike `group_share`, which counts participants): a
supervisor belongs to a placement, so each qualifying placement counts, in the period
holding its qualification date.
"""

from __future__ import annotations

from fractions import Fraction

from procure.domain.model import Clause
from procure.engine.qualification import number, qualify_all
from procure.engine.records import fraction
from procure.engine.rules.base import Parameter, PeriodTally, Rule, Tally
from procure.engine.rules.tally import by_qualification


class Supervision(Rule):
    kind = "supervision"
    measure = "share"
    unit = "qualifying placements"
    parameters = (
        Parameter("share", "share", default=1, description="The least share of qualifying placements with a trained supervisor (1 = all)."),
    )

    @classmethod
    def headline(cls, clause: Clause) -> str:
        share = cls.parameter_value(clause.parameters, "share")
        return f"at least {number(fraction(share) * 100)} % of placements with a trained supervisor"

    def tally(self, index) -> Tally:
        periods = self.periods()
        target = self.fraction_param("share")
        per_period, counted, excluded = by_qualification(qualify_all(index, self.clause.filters), periods, distinct=False)
        trained = {view.id for found in per_period for view, _on in found if view.placement.supervisor_trained is True}
        counted = [c._replace(amount=int(c.placement_id in trained)) for c in counted]
        tallies = []
        for period, found in zip(periods, per_period):
            hits = Fraction(sum(1 for view, _on in found if view.placement.supervisor_trained is True))
            total = Fraction(len(found))
            tallies.append(PeriodTally(period, hits / total if total else Fraction(0), target, hits, total))
        return Tally(tallies, counted, excluded)
