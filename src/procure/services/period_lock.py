"""The period lock: once a period's report is submitted, its figures change only with a reason.

A submitted (or accepted) period report locks its period. Anything whose change can alter
that period's figures — a placement's dates and values, a new placement in it, a
participant's details (which count for each of its placements), the labour hours of one
of its months — is changed only with a reason: without one the change is refused (422,
nothing stored), with one it is made and the reason goes into the audit log with it.

One mechanism for every kind of object: each says which intervals of days its change
touches (`placement_intervals`, `participant_intervals`, `month_interval`), and
`PeriodLocks.require_reason` decides. The import uses the same `PeriodLocks`, loaded
once, row by row. A report the buyer returns unlocks its period.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlmodel import Session, col, select

from procure.services.errors import FieldProblem, InvalidInput
from procure.storage.models import PeriodReport, Placement

# Reports in these states lock their period; a returned report is open for corrections.
LOCKING_STATES = ("submitted", "accepted")

Interval = tuple[date, date | None]  # first and last day; None: open-ended


def lock_message(period: str, what: str = "this placement is") -> str:
    return f"{what} in the submitted period {period}: give a reason for the change"


@dataclass(frozen=True)
class PeriodLocks:
    """The locked periods of one contract: (label, first day, last day), in order."""

    periods: tuple[tuple[str, date, date], ...]

    @classmethod
    def of(cls, session: Session, contract_id: uuid.UUID) -> PeriodLocks:
        rows = session.exec(
            select(col(PeriodReport.period), col(PeriodReport.period_start), col(PeriodReport.period_end))
            .where(PeriodReport.contract_id == contract_id, col(PeriodReport.state).in_(LOCKING_STATES))
            .order_by(col(PeriodReport.period_start))
        ).all()
        return cls(tuple((period, first, last) for period, first, last in rows))

    def period(self, intervals: Iterable[Interval]) -> str | None:
        """The first locked period that any of the intervals overlaps."""
        intervals = list(intervals)
        for period, first, last in self.periods:
            if any(start <= last and (end is None or end >= first) for start, end in intervals):
                return period
        return None

    def require_reason(self, intervals: Iterable[Interval], reason: str | None, what: str = "this placement is") -> str | None:
        """The reason, stripped (None when empty). InvalidInput (422) when the change
        touches a locked period and no reason is given."""
        reason = (reason or "").strip() or None
        period = self.period(intervals)
        if period is not None and reason is None:
            message = lock_message(period, what)
            raise InvalidInput(message, [FieldProblem(message, field="reason")])
        return reason


def require_reason(
    session: Session, contract_id: uuid.UUID, intervals: Iterable[Interval], reason: str | None,
    what: str = "this placement is",
) -> str | None:
    """`PeriodLocks.require_reason` on the contract's locks as stored now."""
    return PeriodLocks.of(session, contract_id).require_reason(intervals, reason, what)


def participant_intervals(session: Session, participant_id: uuid.UUID) -> list[Interval]:
    """A participant's details count for each of its placements: their intervals."""
    return list(session.exec(
        select(col(Placement.start), col(Placement.end)).where(Placement.participant_id == participant_id)
    ).all())


def month_interval(month: date) -> Interval:
    first = month.replace(day=1)
    return first, first + relativedelta(months=1, days=-1)
