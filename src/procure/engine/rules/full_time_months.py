"""`full_time_months`: employment months (days / 30.4375 × hours per week / 40).

A placement that ended early counts in full once it served `completion_share` of its
planned length (`planned_end`): its days run to the planned end (never past `as_of`).
With `first_within_months`, the period holding the deadline (contract start + that many
months − 1 day) is breached at once when, by then, no placement meeting the clause's
type, group, days, hours, supervision and additionality filters has started.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from fractions import Fraction
from typing import Any

from dateutil.relativedelta import relativedelta

from procure.domain.model import Clause
from procure.engine.periods import PeriodIndex
from procure.engine.rules.base import DaysRule, Parameter, PeriodTally
from procure.engine.rules.tally import per_hours
from procure.engine.wording import Day, Message, Number

_DAYS_PER_MONTH = Fraction("30.4375")
_HOURS_NEEDED = Message("excluded.hours_needed_for_months")


class FullTimeMonths(DaysRule):
    kind = "full_time_months"
    measure = "amount"
    unit = "full-time employment months"
    parameters = (
        Parameter("target_months", "decimal", required=True, description="Full-time employment months required in each period."),
        Parameter("completion_share", "share", default=None,
                  description="A placement that ended early counts in full once it served this share of its planned length (0.75 by Upphandlingsmyndigheten's model)."),
        Parameter("first_within_months", "int",
                  description="Breached at once if no placement has started within this many months of the contract start."),
    )

    @classmethod
    def check(cls, parameters: Mapping[str, Any]) -> list[tuple[str, str]]:
        months = parameters.get("first_within_months")
        return [("first_within_months", "must be at least 1")] if months is not None and months < 1 else []

    @classmethod
    def headline(cls, clause: Clause) -> Message:
        return Message("describe.full_time_months", {"months": Number(clause.parameters.get("target_months"))})

    def target(self) -> Fraction:
        return self.fraction_param("target_months")

    def rate(self, index):
        return per_hours(lambda hours: hours / 40 / _DAYS_PER_MONTH, _HOURS_NEEDED)

    def interval(self, index):
        share = self.param("completion_share")
        share = Fraction("0.75") if share is None else Fraction(share)
        as_of = index.as_of_o

        def interval(view):
            planned_end = view.planned_end
            if (view.ended and view.placement.status == "ended_early" and planned_end is not None
                    and view.days >= share * (planned_end - view.start + 1)):
                return view.start, max(view.end, min(planned_end, as_of))
            return view.start, view.end

        return interval

    def tallies(self, index, as_of, periods, totals, q) -> list[PeriodTally]:
        tallies = super().tallies(index, as_of, periods, totals, q)
        months = self.param("first_within_months")
        if months:
            deadline = self.contract.start + relativedelta(months=months) - timedelta(days=1)
            if as_of >= deadline:
                limit = deadline.toordinal()
                # The first start seen by `as_of` (the index may see further).
                earliest = q.earliest_start if q.earliest_start is not None and q.earliest_start <= as_of.toordinal() else None
                if earliest is None or earliest > limit:
                    slot = PeriodIndex(periods).find(min(limit, periods[-1].end.toordinal()))
                    if slot is not None:
                        tallies[slot].status = "breached"
                        tallies[slot].note = Message("note.none_started", {"months": months, "deadline": Day(deadline)})
        return tallies
