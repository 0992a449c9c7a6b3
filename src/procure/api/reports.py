"""The audit report over HTTP: the PDF (each download recorded), the evidence spreadsheets,
and `POST /api/reports/verify`, which says whether this installation issued a file."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Annotated
from urllib.parse import quote

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions import ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.params import FromPath, QueryParameter

from procure.api.compliance import parse_as_of
from procure.api.error_responses import ErrorBody
from procure.api.placements import UPLOAD_SCHEMA, body_operation
from procure.dependencies import DbSession, RequestPrincipal
from procure.services import reports as service
from procure.services.errors import FieldProblem, InvalidInput, TooLarge

CHUNK = 1 << 16
# Litestar's own cap on the body, above ours so that ours (with its clearer message)
# applies; a multipart form has a little framing around the file.
_FRAMING = 1 << 20
_TRANSPORT_CAP = service.MAX_REPORT_BYTES + _FRAMING

AsOf = Annotated[str | None, QueryParameter(description="YYYY-MM-DD; today when left out")]
Lang = Annotated[str | None, QueryParameter(description="sv or en; sv when left out")]


def parse_lang(value: str | None) -> str:
    try:
        return service.check_language(value)
    except InvalidInput as error:
        raise ValidationException(detail=error.message, extra=[{"key": "lang", "message": error.message}]) from None


def _download(content: bytes, media_type: str, filename: str, **headers: str) -> Response[bytes]:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename, safe='')}",
            "X-Content-Type-Options": "nosniff",
            **headers,
        },
    )


class ReportController(Controller):
    path = "/contracts/{contract_id:uuid}"
    tags = ["reports"]

    @get(
        "/report.pdf",
        summary="The audit report PDF as of a date (buyer and appointed auditors); each download is recorded",
        description=(
            "Renders the report (or serves the identical file again while nothing it shows has "
            "changed) and records it as issued to the caller, so that POST /api/reports/verify "
            "recognises it. The X-Report-Id and X-Report-SHA256 headers name the file. Identical "
            "requests made at once share one render; one user may wait for at most two renders at once "
            "(429 with Retry-After beyond)."
        ),
        sync_to_thread=True,
        media_type="application/pdf",
        responses={429: ResponseSpec(ErrorBody, generate_examples=False, description=(
            "You already have as many reports being made as one user may; retry after Retry-After seconds"))},
    )
    def report_pdf(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID], as_of: AsOf = None,
        lang: Lang = None
    ) -> Response[bytes]:
        day, language = parse_as_of(as_of), parse_lang(lang)
        issued = service.issue_report(db, principal, contract_id, day, language)
        return _download(issued.pdf, "application/pdf", issued.filename,
                         **{"X-Report-Id": str(issued.report_id), "X-Report-SHA256": issued.sha256})

    @get(
        "/evidence.csv",
        summary="The evidence as CSV: one row per placement and clause, why it counted or not",
        sync_to_thread=True,
        media_type=service.CSV_MEDIA_TYPE,
    )
    def evidence_csv(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID], as_of: AsOf = None
    ) -> Response[bytes]:
        found = service.evidence_export(db, principal, contract_id, parse_as_of(as_of), "csv")
        return _download(found.content, found.media_type, found.filename)

    @get(
        "/evidence.xlsx",
        summary="The evidence as an Excel workbook: one row per placement and clause",
        sync_to_thread=True,
        media_type=service.XLSX_MEDIA_TYPE,
    )
    def evidence_xlsx(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID], as_of: AsOf = None
    ) -> Response[bytes]:
        found = service.evidence_export(db, principal, contract_id, parse_as_of(as_of), "xlsx")
        return _download(found.content, found.media_type, found.filename)


def _too_large() -> TooLarge:
    message = f"the file is larger than {service.MAX_REPORT_BYTES // (1024 * 1024)} MB, which no procure report is"
    return TooLarge(message, [FieldProblem(message, field="file")])


async def read_upload(request: Request, limit: int) -> bytes:
    """The uploaded file — raw body or a multipart form's file — up to `limit` bytes."""
    media_type, _ = request.content_type
    multipart = media_type == "multipart/form-data"
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + (_FRAMING if multipart else 0):
        raise _too_large()
    chunks: list[bytes] = []
    size = 0
    if multipart:
        form = await request.form()
        upload = next((value for value in form.values() if isinstance(value, UploadFile)), None)
        if upload is None:
            message = "the form has no file: send the report PDF as a file field (for example 'file')"
            raise InvalidInput(message, [FieldProblem(message, field="file")])
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise _too_large()
            chunks.append(chunk)
        await upload.close()
    else:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _too_large()
            chunks.append(chunk)
    return b"".join(chunks)


class ReportVerificationController(Controller):
    path = "/reports"
    tags = ["reports"]

    @post(
        "/verify",
        summary="Did this installation issue this report PDF, and does it check out offline?",
        description=(
            "Send the PDF as the body (Content-Type: application/pdf) or as a multipart form's file; "
            f"at most {service.MAX_REPORT_BYTES // (1024 * 1024)} MB. `issued` is answered to any "
            "signed-in user; the contract, as_of, language, issue time and report id only to those "
            "who may read that contract (`details_withheld` says when they were left out). `checks` "
            "are the offline checks (seal, attachments, re-evaluation) that `procure report verify` "
            "runs without a database."
        ),
        status_code=200,
        request_max_body_size=_TRANSPORT_CAP,
        operation_class=body_operation(
            "the report PDF",
            {"application/pdf": Schema(type=OpenAPIType.STRING, format="binary"),  # type: ignore[arg-type]
             "multipart/form-data": UPLOAD_SCHEMA},
        ),
    )
    async def verify(self, request: Request, db: DbSession, principal: RequestPrincipal) -> service.ReportVerification:
        content = await read_upload(request, service.MAX_REPORT_BYTES)
        return await to_thread.run_sync(partial(service.verify_report, db, principal, content))
