"""Contracts: the portfolio list with verdicts, creating and importing, the compliance
dashboard with its charts, and the parties (appointments)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Template
from sqlmodel import Session

from procure.dependencies import DbSession, RequestPrincipal
from procure.domain.vocabulary import CONTRACT_STATUSES, STATUS_SEVERITY
from procure.formats.errors import InputErrors
from procure.services import compliance as read_model
from procure.services import contracts as contract_service
from procure.services.access import Action, contract_for
from procure.services.errors import Conflict, InvalidInput, NotFound
from procure.web.compliance import compliance, format_figure
from procure.web.forms import Form
from procure.web.i18n import Translator
from procure.web.pages import flash, page, see_other
from procure.web.sessions import Viewer, language_of

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
MultipartData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]

CONTRACT_FIELDS = ("reference", "title", "site", "value_sek", "start", "end", "status", "contractor_org_number")


def as_of_date(raw: str | None) -> date:
    """The day to judge on: `?as_of=YYYY-MM-DD`, else today."""
    if raw:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise InvalidInput(f"as_of {raw!r} is not a date: use YYYY-MM-DD") from None
    return date.today()


def contract_id_of(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise NotFound(f"contract {raw} not found") from None


def contract_tabs(access_party: str, contract_id: uuid.UUID) -> list[tuple[str, str]]:
    """(path, word key) of the contract's sub-pages the party may open."""
    base = f"/contracts/{contract_id}"
    tabs = [(base, "overview"), (f"{base}/clauses", "clauses")]
    if access_party in ("contractor", "subcontractor", "buyer"):
        tabs.append((f"{base}/placements", "placements"))
        tabs.append((f"{base}/reporting", "reporting"))
    tabs.append((f"{base}/parties", "parties"))
    if access_party in ("buyer", "auditor"):
        tabs.append((f"{base}/audit", "audit_log"))
    return tabs


def contract_context(access, request: Request) -> dict[str, Any]:
    return {
        "contract": access.contract,
        "party": access.party.value,
        "can_edit": access.allows(Action.EDIT),
        "can_report": access.allows(Action.REPORT),
        "can_review": access.allows(Action.REVIEW),
        "can_audit": access.allows(Action.AUDIT),
        "tabs": (tabs := contract_tabs(access.party.value, access.contract.id)),
        # The tab the page belongs to: /clauses/new is under "clauses", /placements/check under "placements".
        "current": max((path for path, _ in tabs if request.url.path.startswith(path)), key=len, default=""),
    }


class ContractController(Controller):
    path = "/contracts"

    @get("/", sync_to_thread=True)
    def list(self, request: Request, db: DbSession, viewer: NamedDependency[Viewer],
             status: FromQuery[str | None] = None, verdict: FromQuery[str | None] = None,
             q: FromQuery[str | None] = None) -> Template:
        status = status if status in CONTRACT_STATUSES else None
        verdict = verdict if verdict in STATUS_SEVERITY else None
        rows, _total = contract_service.list_contracts(db, viewer.principal, status=status, q=q or None, limit=500)
        today = date.today()
        items = []
        for contract, buyer, contractor in rows:
            result = read_model.contract_result(db, contract.id, today)
            if verdict and result.overall != verdict:
                continue
            items.append({"contract": contract, "buyer": buyer, "contractor": contractor, "verdict": result.overall,
                          "penalty_sek": sum(c.penalty_sek for c in result.clauses)})
        return page(request, "contracts/list.html", items=items, status=status, verdict=verdict, q=q or "",
                    statuses=CONTRACT_STATUSES, verdicts=STATUS_SEVERITY, today=today,
                    penalty_total=sum(i["penalty_sek"] for i in items))

    # -- creating -------------------------------------------------------------------
    @get("/new", sync_to_thread=False)
    def new(self, request: Request, viewer: NamedDependency[Viewer]) -> Template:
        return page(request, "contracts/new.html", form=Form({"status": "active"}, Translator(language_of(request))),
                    statuses=CONTRACT_STATUSES)

    @post("/new", sync_to_thread=True)
    def create(self, request: Request, db: DbSession, viewer: NamedDependency[Viewer], data: FormData) -> Any:
        form = Form(data, Translator(language_of(request)))
        values = {
            "reference": form.text("reference", required=True),
            "title": form.text("title", required=True),
            "site": form.text("site") or "",
            "value_sek": form.integer("value_sek") or 0,
            "start": form.date("start", required=True),
            "end": form.date("end", required=True),
            "status": form.text("status") or "active",
        }
        contractor = form.text("contractor_org_number", required=True)
        if form.ok:
            try:
                row = contract_service.create_contract(db, viewer.principal, values, contractor or "")
            except (InvalidInput, Conflict) as error:
                form.add_problems(error.problems, error.message)
            else:
                flash(request, form.t("created"))
                return see_other(f"/contracts/{row.id}/clauses")
        return page(request, "contracts/new.html", status_code=422, form=form, statuses=CONTRACT_STATUSES)

    @get("/import", sync_to_thread=False)
    def import_form(self, request: Request, viewer: NamedDependency[Viewer]) -> Template:
        return page(request, "contracts/import.html", errors=[], text="")

    @post("/import", sync_to_thread=True)
    def import_toml(self, request: Request, db: DbSession, viewer: NamedDependency[Viewer], data: MultipartData) -> Any:
        upload, pasted = data.get("file"), data.get("text")
        text = pasted if isinstance(pasted, str) else ""
        name = "pasted text"
        if upload is not None and not isinstance(upload, str) and getattr(upload, "filename", None):
            raw = upload.file.read()
            name = upload.filename
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                return page(request, "contracts/import.html", status_code=422, text="",
                            errors=[f"{name}: the file is not UTF-8 text"])
        errors: list[str] = []
        try:
            outcome = contract_service.import_contract_toml(db, viewer.principal, text, source=name)
        except InputErrors as error:
            errors = [str(e) for e in error.errors]
        except InvalidInput as error:
            errors = [p.message if not p.field else f"{p.field}: {p.message}" for p in error.problems] or [error.message]
        else:
            flash(request, Translator(language_of(request))("imported") + " " + "; ".join(outcome.changes))
            return see_other(f"/contracts/{outcome.contract.id}")
        return page(request, "contracts/import.html", status_code=422, text=text, errors=errors)

    # -- one contract ---------------------------------------------------------------
    @get("/{contract_id:str}", sync_to_thread=True)
    def dashboard(self, request: Request, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[str],
                  as_of: FromQuery[str | None] = None) -> Template:
        access = contract_for(db, principal, contract_id, Action.READ)
        day = as_of_date(as_of)
        view = compliance(db, access, day, language_of(request))
        buyer, contractor = contract_service.organisations_of(db, access.contract)
        return page(request, "contracts/dashboard.html", view=view, figure=format_figure, as_of=day, buyer=buyer, contractor=contractor,
                    as_of_query=f"?as_of={day.isoformat()}", **contract_context(access, request))

    @get("/{contract_id:str}/clauses/{code:str}/chart.svg", sync_to_thread=True)
    def chart(self, request: Request, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[str],
              code: FromPath[str], as_of: FromQuery[str | None] = None) -> Response:
        access = contract_for(db, principal, contract_id, Action.READ)
        # The read model draws it once per data version (the same chart as in the PDF).
        svg = read_model.chart(db, access, code, as_of_date(as_of), language_of(request))
        return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-cache"})

    # -- parties ----------------------------------------------------------------------
    @get("/{contract_id:str}/parties", sync_to_thread=True)
    def parties(self, request: Request, db: DbSession, principal: RequestPrincipal,
                contract_id: FromPath[str]) -> Template:
        access = contract_for(db, principal, contract_id, Action.READ)
        return self._parties_page(request, db, access, Form({}, Translator(language_of(request))))

    def _parties_page(self, request: Request, db: Session, access, form: Form, status_code: int = 200) -> Template:
        buyer, contractor = contract_service.organisations_of(db, access.contract)
        appointments = contract_service.appointments_of(db, access.contract.id)
        can_edit = access.allows(Action.EDIT)
        invited = contract_service.contractor_appointment(db, access.contract) if can_edit else None
        # The buyer sees every invitation and its answer; the other parties the appointments in effect.
        shown = appointments if can_edit else [(a, o) for a, o in appointments if a.status == "accepted"]
        return page(request, "contracts/parties.html", status_code=status_code, buyer=buyer, contractor=contractor,
                    appointments=shown, form=form, contractor_status=invited.status if invited else None,
                    **contract_context(access, request))

    @post("/{contract_id:str}/parties", sync_to_thread=True)
    def appoint(self, request: Request, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[str],
                data: FormData) -> Any:
        form = Form(data, Translator(language_of(request)))
        number = form.text("org_number", required=True)
        role = form.text("role", required=True)
        if form.ok:
            try:
                contract_service.add_appointment(db, principal, contract_id_of(contract_id), number or "", role or "")
            except (InvalidInput, Conflict) as error:
                form.add_problems(error.problems, error.message)
            else:
                flash(request, form.t("invitation_recorded"))
                return see_other(f"/contracts/{contract_id}/parties")
        access = contract_for(db, principal, contract_id, Action.READ)
        return self._parties_page(request, db, access, form, status_code=422)

    @post("/{contract_id:str}/parties/{appointment_id:uuid}/remove", sync_to_thread=True)
    def unappoint(self, request: Request, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[str],
                  appointment_id: FromPath[uuid.UUID]) -> Any:
        access = contract_for(db, principal, contract_id, Action.EDIT)
        contract_service.remove_appointment(db, principal, access.contract.id, appointment_id)
        return see_other(f"/contracts/{contract_id}/parties")
