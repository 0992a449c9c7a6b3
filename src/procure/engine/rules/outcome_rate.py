"""`outcome_rate`: of qualifying placements that ended at least `follow_up_months` ago,
the share with an outcome in `outcomes` reached within that time.

A placement is followed up on its end date + `follow_up_months` (calendar months) and
belongs to the period holding its end date. A person counts once per period: as a
success when any of their followed-up placements in the period had a listed outcome in
time. A period in which no placement has reached its follow-up date yet is `pending`.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any, Mapping

from dateutil.relativedelta import relativedelta

from procure.domain.model import Clause
from procure.engine.periods import PeriodIndex
from procure.engine.qualification import number, qualify_all
from procure.engine.records import fraction
from procure.engine.rules.base import Counted, Excluded, Parameter, PeriodTally, Rule, Tally
from procure.engine.rules.tally import already_counted


class OutcomeRate(Rule):
    kind = "outcome_rate"
    measure = "share"
    unit = "followed-up participants"
    parameters = (
        Parameter("share", "share", required=True, description="The least share of followed-up participants with a listed outcome."),
        Parameter("outcomes", "code_list", required=True, description="The outcomes that count (job_matching, education, …)."),
        Parameter("follow_up_months", "int", required=True, description="Months after a placement ends by which the outcome must be reached."),
    )

    @classmethod
    def check(cls, parameters: Mapping[str, Any]) -> list[tuple[str, str]]:
        problems = []
        if parameters.get("outcomes") is not None and not parameters["outcomes"]:
            problems.append(("outcomes", "list at least one outcome"))
        months = parameters.get("follow_up_months")
        if months is not None and months < 0:
            problems.append(("follow_up_months", "must not be negative"))
        return problems

    @classmethod
    def headline(cls, clause: Clause) -> str:
        p = clause.parameters
        share = number(fraction(p["share"]) * 100) if p.get("share") is not None else "?"
        return (f"at least {share} % of participants with an outcome in {', '.join(p.get('outcomes') or ())} "
                f"within {p.get('follow_up_months')} months of the placement's end")

    def tally(self, index) -> Tally:
        periods = self.periods()
        target = self.fraction_param("share")
        wanted = set(self.param("outcomes") or ())
        months = relativedelta(months=int(self.param("follow_up_months") or 0))
        finder = PeriodIndex(periods)
        q = qualify_all(index, self.clause.filters)
        excluded: list[Excluded] = list(q.excluded)
        due = []  # (slot, failed, end, id, view, qualified_on)
        follow_ups: dict[int, int] = {}
        for view, qualified_on in q.qualified:
            if not view.ended:
                excluded.append(Excluded(view.ref, view.id, "still ongoing, nothing to follow up yet"))
                continue
            follow_up = follow_ups.get(view.end)
            if follow_up is None:
                follow_up = follow_ups[view.end] = (date.fromordinal(view.end) + months).toordinal()
            if follow_up > index.as_of_o:
                on = date.fromordinal(follow_up).isoformat()
                excluded.append(Excluded(view.ref, view.id, f"outcome not yet due (follow-up on {on})"))
                continue
            slot = finder.find(view.end)
            if slot is None:
                excluded.append(Excluded(view.ref, view.id, f"ended on {date.fromordinal(view.end).isoformat()}, outside the contract term"))
                continue
            outcome, outcome_on = view.outcome_as_of(index.as_of_o)
            success = outcome in wanted and outcome_on is not None and outcome_on <= follow_up
            due.append((slot, not success, view.end, view.id, view, qualified_on))
        due.sort(key=lambda row: row[:4])
        hits = [0] * len(periods)
        totals = [0] * len(periods)
        counted: list[Counted] = []
        seen: dict[tuple[str, int], str] = {}
        for slot, failed, _end, _id, view, qualified_on in due:
            first = seen.get((view.person, slot))
            if first is not None:
                excluded.append(Excluded(view.ref, view.id, already_counted(view, first, "in this period")))
                continue
            seen[(view.person, slot)] = view.ref
            totals[slot] += 1
            hits[slot] += not failed
            counted.append(Counted(view.ref, view.id, date.fromordinal(qualified_on), slot, int(not failed)))
        tallies = [
            PeriodTally(p, Fraction(h, t) if t else Fraction(0), target, Fraction(h), Fraction(t))
            for p, h, t in zip(periods, hits, totals)
        ]
        return Tally(tallies, counted, excluded)
