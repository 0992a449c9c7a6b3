"""`group_share`: of the qualifying participants (each once per period), the share with a
given gender or in a given target group."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from procure.domain.model import Clause
from procure.domain.vocabulary import GENDERS
from procure.engine.rules.base import CountRule, Parameter, PeriodTally, share_percent, share_tallies
from procure.engine.wording import Code, Message


class GroupShare(CountRule):
    kind = "group_share"
    measure = "share"
    chart = "share"
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

    def tallies(self, periods, counts, marks) -> list[PeriodTally]:
        return share_tallies(periods, marks, counts, self.fraction_param("share"))

    def mark(self):
        gender, group = self.param("gender"), self.param("group")

        # One call per placement: the mark is asked of every qualifying placement.
        if gender is not None:
            def mark(view) -> int:
                return int(view.participant.gender == gender)
        else:
            def mark(view) -> int:
                return int(group in view.participant.target_groups)

        return mark
