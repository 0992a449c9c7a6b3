"""Labour hours per month and employer, and period reports with the buyer's review.

A period report covers a calendar month or quarter of the contract term (SPEC: the first
and last may be partial). Once submitted it locks its period's placements against
silent change (procure.services.period_lock), its hours too; a report the buyer returns
unlocks them and may be submitted again.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, Field
from sqlmodel import Session, col, func, select

from procure.domain import model as domain
from procure.domain.identity import InvalidIdentityNumber, normalise_org_number
from procure.formats import cells, records_csv
from procure.formats.cells import CellError
from procure.services import audit_log
from procure.services.access import Action, Party, Principal, contract_for
from procure.services.errors import Conflict, FieldProblem, Forbidden, InvalidInput, NotFound
from procure.services.period_lock import PeriodLocks, month_interval
from procure.services.placements import contract_employers, employer_problem
from procure.storage.models import LabourHours, Organisation, PeriodReport, PeriodReportPublic, utcnow


class HoursEntry(BaseModel):
    month: str = Field(examples=["2017-03"])
    employer_org_number: str = Field(examples=["556033-4285"])
    hours: Decimal = Field(ge=0)


class HoursView(BaseModel):
    id: uuid.UUID
    month: str
    employer_org_number: str
    hours: Decimal


class HoursPage(BaseModel):
    items: list[HoursView]
    total: int
    limit: int
    offset: int


class HoursResult(BaseModel):
    created: int
    updated: int
    unchanged: int


class PeriodReportPage(BaseModel):
    items: list[PeriodReportPublic]
    total: int
    limit: int
    offset: int


# --- labour hours ----------------------------------------------------------------------


def hours_from_json(entries: list[HoursEntry]) -> tuple[domain.LabourHours, ...]:
    """The JSON entries as domain values; every problem listed by index and field."""
    problems: list[FieldProblem] = []
    result: list[domain.LabourHours] = []
    seen: dict[tuple[date, str], int] = {}
    for index, entry in enumerate(entries):
        ok = True
        try:
            month = cells.parse_month(entry.month.strip())
        except CellError as error:
            problems.append(FieldProblem(str(error), field=f"[{index}].month"))
            ok = False
        try:
            number = normalise_org_number(entry.employer_org_number)
        except InvalidIdentityNumber as error:
            problems.append(FieldProblem(str(error), field=f"[{index}].employer_org_number"))
            ok = False
        if not ok:
            continue
        if (month, number) in seen:
            problems.append(FieldProblem(f"hours of {number} for {month:%Y-%m} are already in entry {seen[month, number]}", field=f"[{index}]"))
            continue
        seen[month, number] = index
        result.append(domain.LabourHours(month, number, entry.hours))
    if problems:
        raise InvalidInput(f"the hours have {len(problems)} error{'s' if len(problems) != 1 else ''}; nothing was saved", problems)
    return tuple(result)


def hours_from_csv(data: bytes | str) -> tuple[domain.LabourHours, ...]:
    """Raises InputErrors (422, every error by row and column)."""
    return records_csv.read_labour_hours(data, name="hours.csv")


def report_hours(
    session: Session, principal: Principal, contract_id: uuid.UUID, entries: tuple[domain.LabourHours, ...],
    reason: str | None = None,
) -> HoursResult:
    """Upsert per month and employer, all or nothing. Hours of a month in a submitted
    period change only with a reason (procure.services.period_lock), logged with them."""
    access = contract_for(session, principal, contract_id, Action.REPORT)
    allowed = contract_employers(session, access.contract)
    problems = [
        FieldProblem(problem, field=f"[{index}].employer_org_number")
        for index, entry in enumerate(entries)
        if (problem := employer_problem(access, allowed, entry.employer_org_number, None))
    ]
    start, end = access.contract.start.replace(day=1), access.contract.end
    problems += [
        FieldProblem(f"{entry.month:%Y-%m} is outside the contract term ({access.contract.start} to {end})", field=f"[{index}].month")
        for index, entry in enumerate(entries)
        if not start <= entry.month <= end
    ]
    if problems:
        raise InvalidInput(f"the hours have {len(problems)} error{'s' if len(problems) != 1 else ''}; nothing was saved", problems)
    existing = {
        (row.month, row.employer_org_id): row
        for row in session.exec(select(LabourHours).where(LabourHours.contract_id == access.contract.id)).all()
    }
    changing = [
        entry for entry in entries
        if (row := existing.get((entry.month, allowed[entry.employer_org_number]))) is None or Decimal(row.hours) != entry.hours
    ]
    locks = PeriodLocks.of(session, access.contract.id)
    for entry in changing:
        reason = locks.require_reason([month_interval(entry.month)], reason, f"the hours of {entry.month:%Y-%m} are")
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for entry in entries:
        employer_id = allowed[entry.employer_org_number]
        row = existing.get((entry.month, employer_id))
        if row is None:
            row = LabourHours(contract_id=access.contract.id, month=entry.month, employer_org_id=employer_id, hours=entry.hours)
            session.add(row)
            session.flush()
            audit_log.record(session, principal, "create", "labour_hours", row.id, after=audit_log.snapshot(row),
                             contract_id=access.contract.id, reason=reason)
            counts["created"] += 1
        elif Decimal(row.hours) != entry.hours:
            before = audit_log.snapshot(row)
            row.hours = entry.hours
            session.add(row)
            session.flush()
            audit_log.record(session, principal, "update", "labour_hours", row.id, before=before,
                             after=audit_log.snapshot(row), contract_id=access.contract.id, reason=reason)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    session.commit()
    return HoursResult(**counts)


def list_hours(
    session: Session, principal: Principal, contract_id: uuid.UUID, *, limit: int = 50, offset: int = 0
) -> HoursPage:
    access = contract_for(session, principal, contract_id, Action.READ)
    query = (
        select(LabourHours, Organisation.org_number)
        .join(Organisation, col(LabourHours.employer_org_id) == Organisation.id)
        .where(LabourHours.contract_id == access.contract.id)
    )
    if access.reporting_org_id is not None:
        query = query.where(LabourHours.employer_org_id == access.reporting_org_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(LabourHours.month), col(Organisation.org_number)).limit(limit).offset(offset)).all()
    return HoursPage(
        items=[HoursView(id=row.id, month=f"{row.month:%Y-%m}", employer_org_number=number, hours=row.hours) for row, number in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


# --- period reports --------------------------------------------------------------------


def period_bounds(label: str, contract_start: date, contract_end: date) -> tuple[str, date, date]:
    """`2017-Q3` or `2017-09` → (normalised label, first day, last day) clipped to the term."""
    try:
        label = cells.parse_period(label.strip())
    except CellError as error:
        raise InvalidInput(str(error), [FieldProblem(str(error), field="period")]) from None
    year = int(label[:4])
    if label[5] == "Q":
        first = date(year, 3 * (int(label[6]) - 1) + 1, 1)
        last = first + relativedelta(months=3, days=-1)
    else:
        first = date(year, int(label[5:]), 1)
        last = first + relativedelta(months=1, days=-1)
    if last < contract_start or first > contract_end:
        message = f"{label} is outside the contract term ({contract_start} to {contract_end})"
        raise InvalidInput(message, [FieldProblem(message, field="period")])
    return label, max(first, contract_start), min(last, contract_end)


def submit_report(
    session: Session,
    principal: Principal,
    contract_id: uuid.UUID,
    period: str,
    *,
    today: date,
    submitted_on: date | None = None,
) -> PeriodReportPublic:
    """The contractor submits its report for a period; a returned report may be submitted again."""
    access = contract_for(session, principal, contract_id, Action.REPORT)
    if access.party is not Party.CONTRACTOR:
        raise Forbidden("the contractor submits the period reports of a contract; a subcontractor reports its placements and hours")
    label, first, last = period_bounds(period, access.contract.start, access.contract.end)
    submitted_on = submitted_on or today
    if submitted_on > today:
        message = f"submitted_on {submitted_on} is in the future: give today ({today}) or an earlier day"
        raise InvalidInput(message, [FieldProblem(message, field="submitted_on")])
    if submitted_on < first:
        message = f"submitted_on {submitted_on} is before the period {label} begins ({first})"
        raise InvalidInput(message, [FieldProblem(message, field="submitted_on")])
    report = session.exec(
        select(PeriodReport).where(PeriodReport.contract_id == access.contract.id, PeriodReport.period == label)
    ).first()
    if report is not None and report.state != "returned":
        raise Conflict(f"the report for {label} was already submitted on {report.submitted_on} ({report.state})")
    before = audit_log.snapshot(report) if report is not None else None
    if report is None:
        report = PeriodReport(contract_id=access.contract.id, period=label, period_start=first, period_end=last)
    report.submitted_on = submitted_on
    report.state = "submitted"
    report.submitted_by = principal.user_id
    report.reviewed_by = None
    report.reviewed_at = None
    session.add(report)
    session.flush()
    audit_log.record(session, principal, "submit", "period_report", report.id, before=before,
                     after=audit_log.snapshot(report), contract_id=access.contract.id)
    session.commit()
    return PeriodReportPublic.model_validate(report, from_attributes=True)


def list_reports(
    session: Session, principal: Principal, contract_id: uuid.UUID, *, limit: int = 50, offset: int = 0
) -> PeriodReportPage:
    access = contract_for(session, principal, contract_id, Action.READ)
    query = select(PeriodReport).where(PeriodReport.contract_id == access.contract.id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(PeriodReport.period_start)).limit(limit).offset(offset)).all()
    return PeriodReportPage(
        items=[PeriodReportPublic.model_validate(row, from_attributes=True) for row in rows],
        total=total, limit=limit, offset=offset,
    )


def review_report(
    session: Session,
    principal: Principal,
    contract_id: uuid.UUID,
    report_id: uuid.UUID,
    decision: str,
    comment: str | None = None,
) -> PeriodReportPublic:
    """The buyer accepts (`accepted`) or returns (`returned`, with a comment) a submitted report."""
    access = contract_for(session, principal, contract_id, Action.REVIEW)
    report = session.exec(
        select(PeriodReport).where(PeriodReport.contract_id == access.contract.id, PeriodReport.id == report_id)
    ).first()
    if report is None:
        raise NotFound(f"period report {report_id} not found")
    if report.state != "submitted":
        raise Conflict(f"the report for {report.period} is {report.state}, not submitted: only a submitted report can be reviewed")
    comment = (comment or "").strip() or None
    if decision == "returned" and comment is None:
        message = "say what the contractor should correct: a returned report needs a comment"
        raise InvalidInput(message, [FieldProblem(message, field="comment")])
    before = audit_log.snapshot(report)
    report.state = decision
    report.buyer_comment = comment
    report.reviewed_by = principal.user_id
    report.reviewed_at = utcnow()
    session.add(report)
    session.flush()
    audit_log.record(session, principal, "accept" if decision == "accepted" else "return", "period_report", report.id,
                     before=before, after=audit_log.snapshot(report), contract_id=access.contract.id, reason=comment)
    session.commit()
    return PeriodReportPublic.model_validate(report, from_attributes=True)
