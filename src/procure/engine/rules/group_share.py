"""`group_share`: of the qualifying participants (each once per period), the share with a
given gender or in a given target group."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Mapping

from procure.domain.model import Clause
from procure.domain.vocabulary import GENDERS
from procure.engine.qualification import qualify_all
from procure.engine.rules.base import Parameter, PeriodTally, Rule, Tally, share_percent
from procure.engine.rules.tally import by_qualification
from procure.engine.wording import Code, Message


class GroupShare(Rule):
    kind = "group_share"
    measure = "share"
    unit = "qualifying participants"
    parameters = (
        Parameter("share", "share", required=True, description="The least share of qualifying participants with the gender or in the group."),
        Parameter("gender", "choice", choices=tuple(GENDERS), description="Count participants of this gender."),
        Parameter("group", "choice", description="Count participants in this target group (a code, the contract's own groups included)."),
    )

    @classmethod
    def check(cls, parameters: Mapping[str, Any]) -> list[tuple[str, str]]:
        given = [k for k in ("gender", "group") if parameters.get(k) is not None]
        if len(given) != 1:
            return [("gender", "give exactly one of gender and group")]
        return []

    @classmethod
    def headline(cls, clause: Clause) -> Message:
        p = clause.parameters
        share = share_percent(p.get("share"))
        if p.get("gender"):
            return Message("describe.group_share_gender", {"share": share, "gender": Code("genders", p["gender"])})
        return Message("describe.group_share_group", {"share": share, "group": Code("target_groups", str(p.get("group")))})

    def tally(self, index) -> Tally:
        periods = self.periods()
        target = self.fraction_param("share")
        gender, group = self.param("gender"), self.param("group")

        # One call per placement: the mark is asked of every qualifying placement.
        if gender is not None:
            def mark(view) -> int:
                return int(view.participant.gender == gender)
        else:
            def mark(view) -> int:
                return int(group in view.participant.target_groups)

        per_period, counted, excluded = by_qualification(
            qualify_all(index, self.clause.filters), periods, index, mark=mark)
        hits, totals = [0] * len(periods), [0] * len(periods)
        for entry in counted:
            hits[entry.period] += entry.amount
            totals[entry.period] += 1
        tallies = [
            PeriodTally(period, Fraction(h, t) if t else Fraction(0), target, Fraction(h), Fraction(t))
            for period, h, t in zip(periods, hits, totals)
        ]
        return Tally(tallies, counted, excluded)
