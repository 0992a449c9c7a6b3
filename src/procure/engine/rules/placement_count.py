"""`placement_count`: distinct qualifying participants per period."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from math import ceil
from typing import Any

from procure.domain.model import Clause
from procure.engine.rules.base import CountRule, Parameter, PeriodTally
from procure.engine.wording import Figure, Message


class PlacementCount(CountRule):
    kind = "placement_count"
    measure = "amount"
    unit = "qualifying participants"
    parameters = (
        Parameter("target", "int", description="How many distinct participants must qualify in each period."),
        Parameter("per_value_sek", "int",
                  description="Instead of a fixed target: so many participants (units) per this much contract value, in SEK."),
        Parameter("units", "int", description="Participants per `per_value_sek` of contract value."),
    )

    @classmethod
    def check(cls, parameters: Mapping[str, Any]) -> list[tuple[str, str]]:
        target, per_value, units = (parameters.get(k) for k in ("target", "per_value_sek", "units"))
        problems = []
        if target is None and (per_value is None or units is None):
            problems.append(("target", "give a target, or both per_value_sek and units"))
        if target is not None and (per_value is not None or units is not None):
            problems.append(("target", "give either a target or per_value_sek and units, not both"))
        if per_value is not None and per_value <= 0:
            problems.append(("per_value_sek", "must be more than 0"))
        for name, value in (("target", target), ("units", units)):
            if value is not None and value < 0:
                problems.append((name, "must not be negative"))
        return problems

    @staticmethod
    def target_of(parameters: Mapping[str, Any], value_sek: int) -> Fraction:
        """`target`, or `units × ceil(value / per_value_sek)` (180 MSEK per 10 MSEK, 1 unit → 18)."""
        if parameters.get("target") is not None:
            return Fraction(parameters["target"])
        per_value = Fraction(parameters["per_value_sek"])
        return Fraction(parameters["units"]) * ceil(Fraction(value_sek) / per_value)

    @classmethod
    def headline(cls, clause: Clause) -> Message:
        p = clause.parameters
        if p.get("target") is not None:
            return Message("describe.placement_count", {"target": str(p["target"])})
        per_value = Figure(Fraction(int(p["per_value_sek"])), money=True) if p.get("per_value_sek") is not None else "?"
        return Message("describe.placement_count_per_value", {"units": str(p.get("units")), "per_value": per_value})

    def tallies(self, periods, counts, marks) -> list[PeriodTally]:
        target = self.target_of(self.clause.parameters, self.contract.value_sek)
        return [PeriodTally(p, Fraction(count), p.scaled(target)) for p, count in zip(periods, counts)]
