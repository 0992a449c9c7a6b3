"""Small builders for engine tests: a contract with one clause, placements, participants."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from procure.domain.model import (
    Bonus, Clause, Contract, ContractRecords, Filters, LabourHours, Organisation, Participant,
    Penalty, PeriodReport, Placement, Waiver,
)

BUYER = Organisation("Östersundshem AB", "556110-1816", "buyer")
CONTRACTOR = Organisation("Skanska Sverige AB", "556033-4285", "contractor")
START = date(2016, 3, 1)
END = date(2018, 6, 30)


def clause(rule: str = "placement_count", *, code: str = "SC-1", filters: Filters | None = None,
           penalty: Penalty | None = None, bonus: Bonus | None = None, **parameters: Any) -> Clause:
    return Clause(code=code, title=f"{rule} clause", rule=rule, parameters=parameters,
                  filters=filters or Filters(), penalty=penalty, bonus=bonus)


def contract(*clauses: Clause, start: date = START, end: date = END, value_sek: int = 180_000_000,
             waivers: tuple[Waiver, ...] = ()) -> Contract:
    return Contract(reference="OH-2016-REMONTHAGEN", title="Remonthagen", buyer=BUYER, contractor=CONTRACTOR,
                    start=start, end=end, value_sek=value_sek, clauses=clauses, waivers=waivers)


def person(ref: str, *groups: str, gender: str = "undisclosed", identity_hash: str | None = None) -> Participant:
    return Participant(ref=ref, target_groups=groups or ("newcomer",), gender=gender, identity_hash=identity_hash)


def placement(pid: str, ref: str, start: date, end: date | None, *, type: str = "internship",
              status: str | None = None, hours: str | None = "40", days: str | None = "5",
              trained: bool | None = True, **extra: Any) -> Placement:
    if status is None:
        status = "completed" if end is not None else "active"
    return Placement(id=pid, participant_ref=ref, placement_type=type, start=start, end=end,
                     hours_per_week=Decimal(hours) if hours is not None else None,
                     days_per_week=Decimal(days) if days is not None else None,
                     supervisor_trained=trained, status=status, employer_org_number=CONTRACTOR.org_number, **extra)


def records(placements=(), participants=None, hours=(), reports=()) -> ContractRecords:
    if participants is None:
        participants = tuple({p.participant_ref: person(p.participant_ref) for p in placements}.values())
    return ContractRecords(participants=tuple(participants), placements=tuple(placements),
                           labour_hours=tuple(hours), period_reports=tuple(reports))


def labour(month: date, hours: int | str, org: str = CONTRACTOR.org_number) -> LabourHours:
    return LabourHours(month=month, employer_org_number=org, hours=Decimal(hours))


def report(period: str, submitted_on: date | None) -> PeriodReport:
    return PeriodReport(period=period, submitted_on=submitted_on)


def only(result):
    """The single clause of a result, as JSON."""
    (clause_result,) = result.clauses
    return clause_result.to_json()
