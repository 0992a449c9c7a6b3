"""`reporting`: a period report for each calendar month or quarter overlapping the
contract term, due `due_days` after the period's last day (the contract's end for a
partial last period).

Each reporting period is judged by itself: `met` when submitted by the due date,
`breached` when submitted later or when the due date has passed (as_of after it) with no
report, otherwise `on_track` (not due yet). The clause's `period` parameter does not
apply; reporting periods starting after `as_of` are not listed.
"""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction
from typing import Any, Mapping

from procure.domain.model import Clause
from procure.engine.periods import Period, reporting_periods
from procure.engine.rules.base import Parameter, PeriodTally, Rule, Tally
from procure.engine.wording import Day, Message


class Reporting(Rule):
    kind = "reporting"
    measure = "deadline"
    unit = "reports on time"
    parameters = (
        Parameter("frequency", "choice", required=True, choices=("monthly", "quarterly"),
                  description="A report for each calendar month or each calendar quarter."),
        Parameter("due_days", "int", default=30, description="Days after the end of a period by which its report is due."),
    )

    @classmethod
    def check(cls, parameters: Mapping[str, Any]) -> list[tuple[str, str]]:
        days = parameters.get("due_days")
        return [("due_days", "must not be negative")] if days is not None and days < 0 else []

    @classmethod
    def description(cls, clause: Clause) -> Message:
        freq = cls.parameter_value(clause.parameters, "frequency")
        days = cls.parameter_value(clause.parameters, "due_days")
        key = "describe.reporting_quarterly" if freq == "quarterly" else "describe.reporting_monthly"
        return Message(key, {"days": str(days)})

    def tally(self, index) -> Tally:
        due_days = timedelta(days=int(self.param("due_days")))
        submitted = index.reports()
        tallies = []
        for rp in reporting_periods(self.contract.start, self.contract.end, self.param("frequency") or "monthly"):
            if rp.start > index.as_of:
                break
            due = rp.end + due_days
            on = submitted.get(rp.label)
            tally = PeriodTally(Period(rp.start, rp.end, (rp.end - rp.start).days + 1), target=Fraction(1), label=rp.label)
            if on is not None and on <= due:
                tally.actual, tally.status = Fraction(1), "met"
                tally.note = Message("note.submitted", {"on": Day(on), "due": Day(due)})
            elif on is not None:
                tally.status = "breached"
                late = (on - due).days
                tally.note = Message("note.late", {"on": Day(on), "late": late, "due": Day(due)})
            elif index.as_of > due:
                tally.status = "breached"
                tally.note = Message("note.not_submitted", {"due": Day(due)})
            else:
                tally.status = "on_track"
                tally.note = Message("note.not_submitted_yet", {"due": Day(due)})
            tallies.append(tally)
        return Tally(tallies)
