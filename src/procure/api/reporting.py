"""Labour hours and period reports over HTTP, with the buyer's accept and return."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from anyio import to_thread
from litestar import Controller, Request, get, post
from litestar.openapi.spec import Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.params import FromPath, FromQuery, JSONBody
from pydantic import TypeAdapter, ValidationError

from procure.api.paging import Limit, Offset
from procure.api.placements import CSV_SCHEMA, body_operation
from procure.dependencies import DbSession, RequestPrincipal
from procure.services import reporting as service
from procure.services.errors import FieldProblem, InvalidInput
from procure.services.reporting import HoursEntry, HoursPage, HoursResult, PeriodReportPage
from procure.storage.models import PeriodReportPublic

MAX_HOURS_BYTES = 5 * 1024 * 1024
_ENTRIES = TypeAdapter(list[HoursEntry])
_HOURS_SCHEMA = Schema(
    type=OpenAPIType.ARRAY,
    items=Schema(
        type=OpenAPIType.OBJECT,
        properties={
            "month": Schema(type=OpenAPIType.STRING, examples=["2017-03"]),
            "employer_org_number": Schema(type=OpenAPIType.STRING, examples=["556033-4285"]),
            "hours": Schema(type=OpenAPIType.NUMBER, minimum=0),
        },
        required=["month", "employer_org_number", "hours"],
    ),
)


@dataclass
class ReportSubmission:
    period: str  # "2017-Q3" or "2017-09"
    submitted_on: date | None = None  # default today; for back-filling, today or earlier


@dataclass
class Review:
    comment: str | None = None


def _entries_from_json(body: bytes) -> list[HoursEntry]:
    try:
        return _ENTRIES.validate_json(body)
    except ValidationError as error:
        problems = [
            FieldProblem(item["msg"], field="".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in item["loc"]).lstrip("."))
            for item in error.errors(include_input=False)
        ]
        raise InvalidInput(
            "send a JSON list of {month, employer_org_number, hours}, or a CSV with those columns", problems
        ) from None


class HoursController(Controller):
    path = "/contracts/{contract_id:uuid}/hours"
    tags = ["labour hours"]

    @get("/", summary="Labour hours per month and employer", sync_to_thread=True)
    def list_hours(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID], limit: Limit = 50,
        offset: Offset = 0
    ) -> HoursPage:
        return service.list_hours(db, principal, contract_id, limit=limit, offset=offset)

    @post(
        "/",
        summary="Report labour hours (JSON list or CSV); one value per month and employer, replaced when sent again",
        description="`reason` is required when the hours of a month in a submitted period change.",
        status_code=200,
        request_max_body_size=MAX_HOURS_BYTES,
        operation_class=body_operation(
            "the hours as a JSON list or as CSV (month, employer_org_number, hours)",
            {"application/json": _HOURS_SCHEMA, "text/csv": CSV_SCHEMA},
        ),
    )
    async def report_hours(
        self, request: Request, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        reason: FromQuery[str | None] = None,
    ) -> HoursResult:
        body = await request.body()
        media_type, _ = request.content_type
        if media_type in ("text/csv", "text/plain", "application/csv"):
            entries = service.hours_from_csv(body)
        else:
            entries = service.hours_from_json(_entries_from_json(body))
        return await to_thread.run_sync(lambda: service.report_hours(db, principal, contract_id, entries, reason))


class PeriodReportController(Controller):
    path = "/contracts/{contract_id:uuid}/reports"
    tags = ["period reports"]

    @get("/", summary="The period reports of a contract", sync_to_thread=True)
    def list_reports(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID], limit: Limit = 50,
        offset: Offset = 0
    ) -> PeriodReportPage:
        return service.list_reports(db, principal, contract_id, limit=limit, offset=offset)

    @post("/", summary="Submit the report for a month or quarter (contractor)", sync_to_thread=True)
    def submit_report(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        data: JSONBody[ReportSubmission]
    ) -> PeriodReportPublic:
        return service.submit_report(
            db, principal, contract_id, data.period, today=date.today(), submitted_on=data.submitted_on
        )

    @post("/{report_id:uuid}/accept", summary="Accept a submitted report (buyer)", status_code=200, sync_to_thread=True)
    def accept_report(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        report_id: FromPath[uuid.UUID], data: JSONBody[Review | None] = None
    ) -> PeriodReportPublic:
        return service.review_report(db, principal, contract_id, report_id, "accepted", data.comment if data else None)

    @post(
        "/{report_id:uuid}/return",
        summary="Return a submitted report for correction, with a comment (buyer)",
        status_code=200,
        sync_to_thread=True,
    )
    def return_report(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        report_id: FromPath[uuid.UUID], data: JSONBody[Review]
    ) -> PeriodReportPublic:
        return service.review_report(db, principal, contract_id, report_id, "returned", data.comment)
