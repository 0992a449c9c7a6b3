"""What auditors (and buyers) read: the audit trail with its chain status, the report
and evidence downloads, and the verification of a report file."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Template
from sqlmodel import col, select

from procure.dependencies import DbSession, RequestPrincipal
from procure.services import audit_log
from procure.services import reports as report_service
from procure.services.access import Action, contract_for
from procure.services.errors import InvalidInput, TooLarge
from procure.storage.models import User
from procure.web.controllers.contracts import as_of_date, contract_context
from procure.web.i18n import Translator
from procure.web.pages import page
from procure.web.sessions import language_of

MultipartData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]
PAGE_SIZE = 100


def _download(content: bytes | str, media_type: str, filename: str) -> Response:
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


class AuditController(Controller):
    path = "/"

    @get("/contracts/{contract_id:str}/audit", sync_to_thread=True)
    def trail(self, request: Request, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[str],
              page_number: FromQuery[int] = 1) -> Template:
        access = contract_for(db, principal, contract_id, Action.AUDIT)
        offset = max(page_number - 1, 0) * PAGE_SIZE
        rows, total = audit_log.contract_trail(db, principal, access.contract.id, PAGE_SIZE, offset)
        actors = {u.id: u.email for u in db.exec(select(User).where(col(User.id).in_({r.actor_user_id for r in rows if r.actor_user_id}))).all()}
        chain_id = access.contract.id
        problem, head = audit_log.verify_chain_of(db, chain_id), audit_log.head(db, chain_id)
        chain = {
            "intact": problem is None,
            "head": head.hash,
            "head_sequence": head.sequence,
            "count": audit_log.entry_count(db, chain_id),
            "sequence": problem.sequence if problem else None,
            "problem": audit_log.describe_problem(db, chain_id, problem) if problem else None,
        }
        return page(request, "audit/trail.html", entries=rows, actors=actors, total=total, chain=chain,
                    page_number=page_number, pages=max(1, -(-total // PAGE_SIZE)), today=as_of_date(None),
                    **contract_context(access, request))

    @get("/contracts/{contract_id:str}/evidence.csv", sync_to_thread=True)
    def evidence_csv(self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[str],
                     as_of: FromQuery[str | None] = None) -> Response:
        exported = report_service.evidence_export(db, principal, contract_id, as_of_date(as_of), "csv")
        return _download(exported.content, exported.media_type, exported.filename)

    @get("/contracts/{contract_id:str}/evidence.xlsx", sync_to_thread=True)
    def evidence_xlsx(self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[str],
                      as_of: FromQuery[str | None] = None) -> Response:
        exported = report_service.evidence_export(db, principal, contract_id, as_of_date(as_of), "xlsx")
        return _download(exported.content, exported.media_type, exported.filename)

    @get("/contracts/{contract_id:str}/report.pdf", sync_to_thread=True)
    def report_pdf(self, request: Request, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[str],
                   as_of: FromQuery[str | None] = None, lang: FromQuery[str | None] = None) -> Response:
        """The audit report, issued and recorded by the reports service as for the API."""
        language = lang if lang in ("sv", "en") else language_of(request)
        issued = report_service.issue_report(db, principal, contract_id, as_of_date(as_of), language)
        return _download(issued.pdf, "application/pdf", issued.filename)

    @get("/reports/verify", sync_to_thread=False)
    def verify_form(self, request: Request, principal: RequestPrincipal) -> Template:
        return page(request, "audit/verify.html", verification=None, error=None)

    @post("/reports/verify", sync_to_thread=True)
    def verify(self, request: Request, db: DbSession, principal: RequestPrincipal, data: MultipartData) -> Template:
        t = Translator(language_of(request))
        upload = data.get("file")
        if upload is None or isinstance(upload, str) or not getattr(upload, "filename", ""):
            return page(request, "audit/verify.html", status_code=422, verification=None,
                        error=f"{t('pdf_file')}: {t('required')}")
        content = upload.file.read(report_service.MAX_REPORT_BYTES + 1)
        try:
            verification = report_service.verify_report(db, principal, content)
        except (InvalidInput, TooLarge) as error:
            return page(request, "audit/verify.html", status_code=422, verification=None,
                        error=f"{upload.filename}: {error.message}")
        return page(request, "audit/verify.html", verification=verification, error=None, filename=upload.filename)
