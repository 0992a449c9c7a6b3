"""What contractors report: participants and placements (a form, or a CSV checked in a
dry run before anything is saved), monthly labour hours and period reports; and the
buyer's review of period reports."""

from __future__ import annotations

import tempfile
import uuid
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Template
from sqlalchemy import Engine
from sqlmodel import Session

from procure.dependencies import AppSettings, DbSession, RequestPrincipal
from procure.domain.model import LabourHours
from procure.domain.vocabulary import GENDERS, OUTCOMES, PLACEMENT_STATUSES, PLACEMENT_TYPES, TARGET_GROUPS
from procure.formats.cells import CellError, parse_month
from procure.formats.errors import InputErrors
from procure.services import participants as participant_service
from procure.services import placement_import
from procure.services import placements as placement_service
from procure.services import reporting as reporting_service
from procure.services.access import Action, Party, Principal, contract_for
from procure.services.errors import Conflict, Forbidden, InvalidInput, TooLarge
from procure.storage.models import Participant, ParticipantCreate
from procure.web.controllers.contracts import contract_context
from procure.web.forms import Form
from procure.web.i18n import Translator
from procure.web.pages import flash, page, see_other
from procure.web.pending_import import ExpiredUpload, open_upload, seal_upload
from procure.web.sessions import Viewer, language_of

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
MultipartData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]

# Placements listed per page (?offset= pages on); all of them are in the evidence export.
PLACEMENTS_LISTED = 50


def _vocabularies(contract) -> dict[str, Any]:
    return {
        "target_groups": [*TARGET_GROUPS, *(contract.extra_target_groups or ())],
        "genders": list(GENDERS),
        "placement_types": list(PLACEMENT_TYPES),
        "placement_statuses": PLACEMENT_STATUSES,
        "outcomes": list(OUTCOMES),
    }


def _dry_run(engine: Engine, principal: Principal, contract_id: uuid.UUID, path: Path, name: str,
              secret: bytes, reason: str | None) -> placement_import.ImportResult:
    """The import as it would go, rolled back: the service's commit only releases a
    savepoint inside a transaction that is never committed. A failed check counts against
    the user's import throttle like a failed import, recorded once it is rolled back."""
    try:
        with engine.connect() as connection:
            transaction = connection.begin()
            try:
                with Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False) as session:
                    return placement_import.import_placements(session, principal, contract_id, path, secret=secret,
                                                              name=name, reason=reason, record_failure=False)
            finally:
                transaction.rollback()
    except InputErrors as failure:
        with Session(engine) as session:
            placement_import.record_failed_import(session, principal, contract_id, failure.rows_read, failure.total)
        raise


def _with_file(content: bytes, action):
    with tempfile.TemporaryDirectory(prefix="procure-upload-") as folder:
        path = Path(folder) / "placements.csv"
        path.write_bytes(content)
        return action(path)


class ReportingController(Controller):
    path = "/contracts/{contract_id:str}"

    # -- placements -------------------------------------------------------------------
    def _placements_page(self, request: Request, db: Session, principal: Principal, access, *,
                         participant_form: Form | None = None, placement_form: Form | None = None,
                         csv_errors: list | None = None, csv_error_total: int = 0, csv_check=None, sealed: str | None = None,
                         csv_name: str = "", csv_reason: str = "", status_code: int = 200, offset: int = 0) -> Template:
        t = Translator(language_of(request))
        placements = placement_service.list_placements(db, principal, access.contract.id, limit=PLACEMENTS_LISTED,
                                                       offset=max(offset, 0))
        several = (participant_service.reported_by_several_organisations(db, access.contract)
                   if access.party is Party.BUYER else 0)
        participant_refs = db.exec(participant_service.own_participants(access, principal)
                                   .with_only_columns(Participant.ref).order_by(Participant.ref)).all()
        return page(
            request, "reporting/placements.html", status_code=status_code,
            placements=placements, participant_refs=participant_refs, several_organisations=several,
            participant_form=participant_form or Form({}, t), placement_form=placement_form or Form({"status": "active"}, t),
            csv_errors=csv_errors, csv_error_total=csv_error_total, csv_check=csv_check, sealed=sealed, csv_name=csv_name, csv_reason=csv_reason,
            **_vocabularies(access.contract), **contract_context(access, request),
        )

    def _csv_errors_page(self, request: Request, db: Session, principal: Principal, access, error: InputErrors,
                         name: str, reason: str | None) -> Template:
        """The file's errors, the first MAX_ERRORS of them listed, with their total."""
        rows = [{"row": e.row, "column": e.column, "line": e.line, "message": e.message} for e in error.errors]
        return self._placements_page(request, db, principal, access, status_code=422, csv_errors=rows,
                                     csv_error_total=error.total, csv_name=name, csv_reason=reason or "")

    @get("/placements", sync_to_thread=True)
    def placements(self, request: Request, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[str],
                   offset: FromQuery[int] = 0) -> Template:
        access = contract_for(db, principal, contract_id, Action.READ)
        return self._placements_page(request, db, principal, access, offset=offset)

    @post("/participants", sync_to_thread=True)
    def add_participant(self, request: Request, db: DbSession, principal: RequestPrincipal, settings: AppSettings,
                        contract_id: FromPath[str], data: FormData) -> Any:
        access = contract_for(db, principal, contract_id, Action.REPORT)
        form = Form(data, Translator(language_of(request)))
        ref = form.text("ref", required=True)
        birth_year = form.integer("birth_year")
        if form.ok:
            try:
                created = ParticipantCreate.model_validate({
                    "ref": ref, "target_groups": form.many("target_groups"),
                    "gender": form.text("gender") or "undisclosed", "birth_year": birth_year,
                    "personal_number": form.text("personal_number"),
                })
                participant_service.create_participant(db, principal, access.contract.id, created, settings.secret_key)
            except (InvalidInput, Conflict) as error:
                form.add_problems(error.problems, error.message)
            except ValueError as error:  # pydantic: a birth year out of range
                form.error("birth_year", str(error).splitlines()[-1] if str(error) else "invalid")
            else:
                flash(request, form.t("created"))
                return see_other(f"/contracts/{contract_id}/placements")
        # The personal number is never sent back to the page, even as typed.
        form.data.pop("personal_number", None)
        return self._placements_page(request, db, principal, access, participant_form=form, status_code=422)

    @post("/placements", sync_to_thread=True)
    def add_placement(self, request: Request, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[str],
                      data: FormData) -> Any:
        access = contract_for(db, principal, contract_id, Action.REPORT)
        form = Form(data, Translator(language_of(request)))
        values = {
            "participant_ref": form.text("participant_ref", required=True),
            "placement_type": form.text("placement_type", required=True),
            "start": form.date("start", required=True),
            "end": form.date("end"),
            "hours_per_week": form.decimal("hours_per_week"),
            "days_per_week": form.decimal("days_per_week"),
            "supervisor_trained": form.yes_no("supervisor_trained"),
            "status": form.text("status") or "active",
            "outcome": form.text("outcome"),
            "outcome_date": form.date("outcome_date"),
            "employer_org_number": form.text("employer_org_number"),
            "reason": form.text("reason"),
        }
        if form.ok:
            try:
                request_data = placement_service.PlacementCreateRequest.model_validate(values)
                placement_service.create_placement(db, principal, access.contract.id, request_data)
            except (InvalidInput, Conflict) as error:
                form.add_problems(error.problems, error.message)
            except ValueError as error:  # pydantic bounds (hours 0–168, days 0–7)
                for item in getattr(error, "errors", list)():
                    form.error(str(item["loc"][-1]), item["msg"])
            else:
                flash(request, form.t("created"))
                return see_other(f"/contracts/{contract_id}/placements")
        return self._placements_page(request, db, principal, access, placement_form=form, status_code=422)

    @post("/placements/check", sync_to_thread=True)
    def check_csv(self, request: Request, db: DbSession, principal: RequestPrincipal, settings: AppSettings,
                  contract_id: FromPath[str], data: MultipartData) -> Template:
        """Step 1: check the file; show every error by row and column, or what it would change."""
        access = contract_for(db, principal, contract_id, Action.REPORT)
        upload = data.get("file")
        t = Translator(language_of(request))
        if upload is None or isinstance(upload, str) or not getattr(upload, "filename", ""):
            return self._placements_page(request, db, principal, access, status_code=422,
                                         csv_errors=[{"message": f"{t('csv_file')}: {t('required')}"}])
        content = upload.file.read(placement_import.MAX_IMPORT_BYTES + 1)
        name = upload.filename
        if len(content) > placement_import.MAX_IMPORT_BYTES:
            raise TooLarge(f"{name} is larger than {placement_import.MAX_IMPORT_BYTES // 1024 // 1024} MB: split it")
        engine = request.app.state.engine
        reason = str(data.get("reason") or "").strip() or None
        try:
            result = _with_file(content, lambda path: _dry_run(engine, principal, access.contract.id, path, name,
                                                                settings.secret_key, reason))
        except InputErrors as error:
            return self._csv_errors_page(request, db, principal, access, error, name, reason)
        sealed = seal_upload(settings, principal.user_id, access.contract.id, content)
        return self._placements_page(request, db, principal, access, csv_check=result, sealed=sealed, csv_name=name,
                                     csv_reason=reason or "")

    @post("/placements/import", sync_to_thread=True)
    def import_csv(self, request: Request, db: DbSession, principal: RequestPrincipal, settings: AppSettings,
                   contract_id: FromPath[str], data: FormData) -> Any:
        """Step 2: the confirmed file, imported for real (and checked again)."""
        access = contract_for(db, principal, contract_id, Action.REPORT)
        name = str(data.get("name") or "placements.csv")
        reason = str(data.get("reason") or "").strip() or None
        try:
            content = open_upload(settings, principal.user_id, access.contract.id, str(data.get("sealed") or ""))
        except ExpiredUpload as error:
            return self._placements_page(request, db, principal, access, status_code=422,
                                         csv_errors=[{"message": str(error)}])
        try:
            result = _with_file(content, lambda path: placement_import.import_placements(
                db, principal, access.contract.id, path, secret=settings.secret_key, name=name, reason=reason))
        except InputErrors as error:
            return self._csv_errors_page(request, db, principal, access, error, name, reason)
        t = Translator(language_of(request))
        summary = (f"{result.created} +, {result.updated} ~, {result.unchanged} =")
        flash(request, t("import_done", summary=summary))
        return see_other(f"/contracts/{contract_id}")

    # -- hours and period reports -------------------------------------------------------
    def _reporting_page(self, request: Request, db: Session, principal: Principal, access, *,
                        hours_form: Form | None = None, report_form: Form | None = None,
                        review_errors: dict | None = None, status_code: int = 200) -> Template:
        t = Translator(language_of(request))
        hours = reporting_service.list_hours(db, principal, access.contract.id, limit=500)
        reports = reporting_service.list_reports(db, principal, access.contract.id, limit=500)
        return page(request, "reporting/reporting.html", status_code=status_code, hours=hours, reports=reports,
                    hours_form=hours_form or Form({}, t), report_form=report_form or Form({}, t),
                    review_errors=review_errors or {}, employers=sorted(placement_service.contract_employers(db, access.contract)),
                    **contract_context(access, request))

    @get("/reporting", sync_to_thread=True)
    def reporting(self, request: Request, db: DbSession, principal: RequestPrincipal,
                  contract_id: FromPath[str]) -> Template:
        access = contract_for(db, principal, contract_id, Action.READ)
        return self._reporting_page(request, db, principal, access)

    @post("/hours", sync_to_thread=True)
    def add_hours(self, request: Request, db: DbSession, principal: RequestPrincipal, viewer: NamedDependency[Viewer],
                  contract_id: FromPath[str], data: FormData) -> Any:
        access = contract_for(db, principal, contract_id, Action.REPORT)
        form = Form(data, Translator(language_of(request)))
        month_text = form.text("month", required=True)
        hours = form.decimal("hours", required=True)
        employer = form.text("employer_org_number") or (viewer.organisation.org_number if viewer.organisation else "")
        month = None
        if month_text:
            try:
                month = parse_month(month_text)
            except CellError as error:
                form.error("month", f"{month_text}: {error}")
        if hours is not None and hours < 0:
            form.error("hours", f"{hours}: ≥ 0")
        if form.ok and month is not None and hours is not None:
            try:
                reporting_service.report_hours(db, principal, access.contract.id,
                                               (LabourHours(month=month, employer_org_number=employer, hours=hours),),
                                               form.text("reason"))
            except InvalidInput as error:
                form.add_problems(error.problems, error.message,
                                  fields={"[0].month": "month", "[0].employer_org_number": "employer_org_number"})
            else:
                flash(request, form.t("created"))
                return see_other(f"/contracts/{contract_id}/reporting")
        return self._reporting_page(request, db, principal, access, hours_form=form, status_code=422)

    @post("/period-reports", sync_to_thread=True)
    def submit(self, request: Request, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[str],
               data: FormData) -> Any:
        access = contract_for(db, principal, contract_id, Action.REPORT)
        form = Form(data, Translator(language_of(request)))
        period = form.text("period", required=True)
        if form.ok:
            try:
                reporting_service.submit_report(db, principal, access.contract.id, period or "", today=date.today())
            except (InvalidInput, Conflict, Forbidden) as error:
                form.add_problems(error.problems or [], error.message, fields={"submitted_on": "period"})
            else:
                flash(request, form.t("created"))
                return see_other(f"/contracts/{contract_id}/reporting")
        return self._reporting_page(request, db, principal, access, report_form=form, status_code=422)

    @post("/period-reports/{report_id:uuid}/review", sync_to_thread=True)
    def review(self, request: Request, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[str],
               report_id: FromPath[uuid.UUID], data: FormData) -> Any:
        access = contract_for(db, principal, contract_id, Action.REVIEW)
        form = Form(data, Translator(language_of(request)))
        decision = form.raw("decision")
        try:
            reporting_service.review_report(db, principal, access.contract.id, report_id, decision, form.text("comment"))
        except (InvalidInput, Conflict) as error:
            messages = [p.message for p in error.problems] or [error.message]
            return self._reporting_page(request, db, principal, access, review_errors={str(report_id): messages},
                                        status_code=422)
        flash(request, form.t("created"))
        return see_other(f"/contracts/{contract_id}/reporting")
