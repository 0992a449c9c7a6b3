"""`social_value`: qualifying placement-weeks × SEK per week (the Dutch SROI building blocks).

`values` is keyed by placement type; a value is SEK per week, or a table keyed by target
group with "*" as the fallback. A participant in several listed groups gets the highest
of their groups' values. The target is `share_of_value` × the contract value, per period.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Mapping

from procure.domain.model import Clause
from procure.engine.qualification import number, qualify_all
from procure.engine.records import fraction
from procure.engine.rules.base import Parameter, PeriodTally, Rule, Tally
from procure.engine.rules.tally import by_days


class SocialValue(Rule):
    kind = "social_value"
    measure = "amount"
    unit = "SEK of social value"
    money = True
    parameters = (
        Parameter("share_of_value", "share", required=True, description="Social value required, as a share of the contract value (0.05 = 5 %)."),
        Parameter("values", "value_table", required=True,
                  description="SEK per placement-week by placement type, optionally by target group with \"*\" as the fallback."),
    )

    @classmethod
    def check(cls, parameters: Mapping[str, Any]) -> list[tuple[str, str]]:
        values = parameters.get("values")
        if values is not None and not values:
            return [("values", "give at least one placement type and its SEK per week")]
        return []

    @classmethod
    def headline(cls, clause: Clause) -> str:
        share = clause.parameters.get("share_of_value")
        pct = number(fraction(share) * 100) if share is not None else "?"
        return f"social value of at least {pct} % of the contract value, valued by placement type"

    def tally(self, index) -> Tally:
        periods = self.periods()
        target = self.fraction_param("share_of_value") * self.contract.value_sek
        values: Mapping[str, Any] = self.param("values") or {}
        def rate(view):
            return self._rate(values, view.placement.placement_type, view.participant.target_groups)

        totals, counted, excluded = by_days(qualify_all(index, self.clause.filters), periods, rate)
        tallies = [PeriodTally(p, total, p.scaled(target)) for p, total in zip(periods, totals)]
        return Tally(tallies, counted, excluded)

    @staticmethod
    def _rate(values: Mapping[str, Any], ptype: str, groups: tuple[str, ...]) -> Fraction | str:
        value = values.get(ptype)
        if value is None:
            return f"no value per week for placement type {ptype}"
        if isinstance(value, Mapping):
            listed = [fraction(value[g]) for g in groups if g in value]
            if listed:
                return max(listed) / 7
            if "*" in value:
                return fraction(value["*"]) / 7
            return f"no value per week for {ptype} and target groups {', '.join(groups) or '(none)'}"
        return fraction(value) / 7
