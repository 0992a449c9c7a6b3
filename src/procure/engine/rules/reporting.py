"""`reporting`: a period report for each calendar month or quarter overlapping the
contract term, due `due_days` after the period's last day (the contract's end for a
partial last period).

Each reporting period is judged by itself: `met` when submitted by the due date,
`breached` when submitted later or when the due date has passed (as_of after it) with no
report, otherwise `on_track` (not due yet). The clause's `period` parameter does not
apply; reporting periods starting after `as_of` are not listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from procure.domain.model import Clause
from procure.engine.periods import Period, reporting_periods
from procure.engine.rules.base import Parameter, PeriodTally, Rule, Tally
from procure.engine.wording import Day, Message

_ONE = Fraction(1)


class Reporting(Rule):
    kind = "reporting"
    measure = "deadline"
    chart = None
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
        return Tally(self._tallies(self._periods(), index.reports(), index.as_of, notes=True))

    def tally_series(self, index, dates) -> list[list[PeriodTally]]:
        # A report submitted by the last date and on or before an earlier one is seen
        # then too, and it is the earliest submission either way.
        submitted, periods = index.reports(), self._periods()
        return [self._tallies(periods, {label: on if on is not None and on <= day else None
                                        for label, on in submitted.items()}, day, notes=False) for day in dates]

    def _periods(self) -> list[tuple[Period, str, date]]:
        """Each reporting period, its label and its report's due date."""
        due_days = timedelta(days=int(self.param("due_days")))
        return [(Period(rp.start, rp.end, (rp.end - rp.start).days + 1), rp.label, rp.end + due_days)
                for rp in reporting_periods(self.contract.start, self.contract.end, self.param("frequency") or "monthly")]

    def _tallies(self, periods: list[tuple[Period, str, date]], submitted: dict, as_of: date,
                 notes: bool) -> list[PeriodTally]:
        tallies = []
        for period, label, due in periods:
            if period.start > as_of:
                break
            on = submitted.get(label)
            tally = PeriodTally(period, target=_ONE, label=label)
            if on is not None and on <= due:
                tally.actual, tally.status = _ONE, "met"
                note = notes and Message("note.submitted", {"on": Day(on), "due": Day(due)})
            elif on is not None:
                tally.status = "breached"
                note = notes and Message("note.late", {"on": Day(on), "late": (on - due).days, "due": Day(due)})
            elif as_of > due:
                tally.status = "breached"
                note = notes and Message("note.not_submitted", {"due": Day(due)})
            else:
                tally.status = "on_track"
                note = notes and Message("note.not_submitted_yet", {"due": Day(due)})
            tally.note = note or None
            tallies.append(tally)
        return tallies
