"""`social_value`: qualifying placement-weeks × SEK per week (the Dutch SROI building blocks).

`values` is keyed by placement type; a value is SEK per week, or a table keyed by target
group with "*" as the fallback. A participant in several listed groups gets the highest
of their groups' values. The target is `share_of_value` × the contract value, per period.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from functools import lru_cache, partial
from typing import Any

from procure.domain.model import Clause
from procure.engine.records import PlacementView, RecordIndex, fraction
from procure.engine.rules.base import DaysRule, Parameter, share_percent
from procure.engine.rules.tally import Rate
from procure.engine.wording import Code, Codes, Message


class SocialValue(DaysRule):
    kind = "social_value"
    measure = "amount"
    unit = "SEK of social value"
    money = True
    chart_unit = {"sv": "Mkr", "en": "M SEK"}
    chart_scale = 1_000_000
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
    def headline(cls, clause: Clause) -> Message:
        return Message("describe.social_value", {"share": share_percent(clause.parameters.get("share_of_value"))})

    def target(self) -> Fraction:
        return self.fraction_param("share_of_value") * self.contract.value_sek

    def rate(self, index: RecordIndex) -> Rate:
        values: Mapping[str, Any] = self.param("values") or {}
        rate_for = lru_cache(maxsize=None)(partial(self._rate, values))  # per (type, groups)

        def rate(view: PlacementView) -> Fraction | Message:
            return rate_for(view.placement.placement_type, view.participant.target_groups)

        return rate

    @staticmethod
    def _rate(values: Mapping[str, Any], ptype: str, groups: tuple[str, ...]) -> Fraction | Message:
        value = values.get(ptype)
        if value is None:
            return Message("excluded.no_value_for_type", {"type": Code("placement_types", ptype)})
        if isinstance(value, Mapping):
            listed = [fraction(value[g]) for g in groups if g in value]
            if listed:
                return max(listed) / 7
            if "*" in value:
                return fraction(value["*"]) / 7
            if not groups:
                return Message("excluded.no_value_for_no_groups", {"type": Code("placement_types", ptype)})
            return Message("excluded.no_value_for_groups",
                           {"type": Code("placement_types", ptype), "groups": Codes("target_groups", groups)})
        return fraction(value) / 7
