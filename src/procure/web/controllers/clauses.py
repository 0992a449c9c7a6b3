"""The clause editor: every rule kind with its parameters explained, the rule in plain
language as it is typed (a preview fragment), and waivers."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Template
from sqlmodel import Session, col, select

from procure.dependencies import DbSession, RequestPrincipal
from procure.domain.vocabulary import PLACEMENT_TYPES, TARGET_GROUPS
from procure.engine.rules import RULES
from procure.services import clauses as clause_service
from procure.services.access import Action, contract_for
from procure.services.contracts import clauses_of
from procure.services.errors import Conflict, InvalidInput
from procure.storage.mapping import clause_to_domain
from procure.storage.models import Waiver
from procure.web.clause_form import (
    FILTER_CHECKLISTS,
    FILTER_FLAGS,
    FILTER_NUMBERS,
    PENALTY_FIELDS,
    clause_body,
    form_values,
    parameter_fields,
    rule_kinds,
)
from procure.web.controllers.contracts import contract_context
from procure.web.forms import Form
from procure.web.i18n import Translator
from procure.web.pages import flash, page, see_other
from procure.web.rule_words import describe_parameter, rule_name
from procure.web.sessions import language_of

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _editor(request: Request, access, form: Form, rule: str, clause=None, status_code: int = 200,
            preview: str | None = None) -> Template:
    extra = tuple(access.contract.extra_target_groups or ())
    return page(
        request, "clauses/edit.html", status_code=status_code, form=form, rule=rule, rules=rule_kinds(),
        rule_name=lambda kind: rule_name(kind, language_of(request)),
        describe_parameter=lambda parameter: describe_parameter(rule, parameter, language_of(request)),
        fields=parameter_fields(rule, extra), clause=clause, preview=preview,
        filter_lists={"placement_types": list(PLACEMENT_TYPES), "target_groups": [*TARGET_GROUPS, *extra]},
        filter_numbers=FILTER_NUMBERS, filter_flags=FILTER_FLAGS, penalty_fields=PENALTY_FIELDS,
        filter_checklists=FILTER_CHECKLISTS, **contract_context(access, request),
    )


def _describe(db: Session, access, form: Form, rule: str, replacing=None, lang: str = "sv") -> str | None:
    """The clause in plain language, or None with the problems put on the form."""
    body = clause_body(form, rule)
    if not form.ok:
        return None
    try:
        clause = clause_service.validate_clause(db, access.contract, body, replacing=replacing)
    except InvalidInput as error:
        form.add_problems(error.problems, error.message, fields=_field_names(rule))
        return None
    return RULES[clause.rule].describe(clause, lang)


def _field_names(rule: str) -> dict[str, str]:
    """The service names fields as in the TOML table; the form prefixes them."""
    names = {p.parameter.name: p.name for p in parameter_fields(rule)}
    names.update({n: f"f_{n}" for n in (*FILTER_CHECKLISTS, *FILTER_NUMBERS, *FILTER_FLAGS)})
    names.update({f"penalty.{n}": f"penalty_{n}" for n in PENALTY_FIELDS})
    return names


class ClauseController(Controller):
    path = "/contracts/{contract_id:str}/clauses"

    @get("/", sync_to_thread=True)
    def list(self, request: Request, db: DbSession, principal: RequestPrincipal,
             contract_id: FromPath[str]) -> Template:
        access = contract_for(db, principal, contract_id, Action.READ)
        rows = clauses_of(db, access.contract.id)
        waivers = db.exec(select(Waiver).where(col(Waiver.clause_id).in_([r.id for r in rows])).order_by(col(Waiver.created_at))).all()
        items = []
        for row in rows:
            clause = clause_to_domain(row)
            rule = RULES.get(row.rule)
            items.append({"row": row, "plain": rule.describe(clause, language_of(request)) if rule else row.rule,
                          "waivers": [w for w in waivers if w.clause_id == row.id]})
        return page(request, "clauses/list.html", items=items, form=Form({}, Translator(language_of(request))),
                    **contract_context(access, request))

    @get("/new", sync_to_thread=True)
    def new(self, request: Request, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[str],
            rule: FromQuery[str] = "placement_count") -> Template:
        access = contract_for(db, principal, contract_id, Action.EDIT)
        rule = rule if rule in RULES else "placement_count"
        return _editor(request, access, Form({}, Translator(language_of(request))), rule)

    @post("/new", sync_to_thread=True)
    def create(self, request: Request, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[str],
               data: FormData) -> Any:
        access = contract_for(db, principal, contract_id, Action.EDIT)
        form = Form(data, Translator(language_of(request)))
        rule = form.raw("rule") if form.raw("rule") in RULES else "placement_count"
        body = clause_body(form, rule)
        if form.ok:
            try:
                clause_service.create_clause(db, principal, access.contract.id, body)
            except (InvalidInput, Conflict) as error:
                form.add_problems(error.problems, error.message, fields=_field_names(rule))
            else:
                flash(request, form.t("created"))
                return see_other(f"/contracts/{contract_id}/clauses")
        return _editor(request, access, form, rule, status_code=422)

    @get("/preview", sync_to_thread=True)
    def preview(self, request: Request, db: DbSession, principal: RequestPrincipal,
                contract_id: FromPath[str]) -> Template:
        """The rule in plain language for the form as typed so far (a fragment)."""
        access = contract_for(db, principal, contract_id, Action.EDIT)
        data: dict[str, Any] = {}
        for key, value in request.query_params.multi_items():
            if key in data:
                data[key] = [*(data[key] if isinstance(data[key], list) else [data[key]]), value]
            else:
                data[key] = [value] if key.startswith(("f_placement", "f_target")) or key == "p_outcomes" else value
        form = Form(data, Translator(language_of(request)))
        rule = form.raw("rule") if form.raw("rule") in RULES else "placement_count"
        replacing = None
        clause_id = form.raw("clause_id")
        if clause_id:
            replacing = clause_service.get_clause(db, principal, access.contract.id, clause_id)
        text = _describe(db, access, form, rule, replacing, language_of(request))
        return page(request, "clauses/preview.html", text=text, form=form)

    @get("/{clause_id:uuid}/edit", sync_to_thread=True)
    def edit(self, request: Request, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[str],
             clause_id: FromPath[Any], rule: FromQuery[str | None] = None) -> Template:
        access = contract_for(db, principal, contract_id, Action.EDIT)
        row = clause_service.get_clause(db, principal, access.contract.id, clause_id)
        table = clause_service.clause_table(clause_to_domain(row))
        chosen = rule if rule in RULES else row.rule
        values = form_values({**table, "rule": chosen} if chosen == row.rule else {"code": row.code, "title": row.title, "text": row.text, "rule": chosen})
        return _editor(request, access, Form(values, Translator(language_of(request))), chosen, clause=row)

    @post("/{clause_id:uuid}/edit", sync_to_thread=True)
    def update(self, request: Request, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[str],
               clause_id: FromPath[Any], data: FormData) -> Any:
        access = contract_for(db, principal, contract_id, Action.EDIT)
        row = clause_service.get_clause(db, principal, access.contract.id, clause_id)
        form = Form(data, Translator(language_of(request)))
        rule = form.raw("rule") if form.raw("rule") in RULES else row.rule
        body = clause_body(form, rule, for_update=True)
        # Keys of the stored table the new form does not have (another rule's) are removed.
        for key in clause_service.clause_table(clause_to_domain(row)):
            body.setdefault(key, None)
        body["version"] = form.integer("version", required=True)
        if form.ok:
            try:
                clause_service.update_clause(db, principal, access.contract.id, row.id, body)
            except (InvalidInput, Conflict) as error:
                form.add_problems(error.problems, error.message, fields=_field_names(rule))
            else:
                flash(request, form.t("created"))
                return see_other(f"/contracts/{contract_id}/clauses")
        return _editor(request, access, form, rule, clause=row, status_code=422)

    @post("/{clause_id:uuid}/delete", sync_to_thread=True)
    def delete(self, request: Request, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[str],
               clause_id: FromPath[Any]) -> Any:
        access = contract_for(db, principal, contract_id, Action.EDIT)
        clause_service.delete_clause(db, principal, access.contract.id, clause_id)
        return see_other(f"/contracts/{contract_id}/clauses")

    @post("/{clause_id:uuid}/waivers", sync_to_thread=True)
    def waive(self, request: Request, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[str],
              clause_id: FromPath[Any], data: FormData) -> Any:
        access = contract_for(db, principal, contract_id, Action.EDIT)
        form = Form(data, Translator(language_of(request)))
        period_start: date | None = form.date("period_start")
        reason = form.text("reason") or ""
        if form.ok:
            try:
                clause_service.add_waiver(db, principal, access.contract.id, clause_id, period_start, reason)
            except InvalidInput as error:
                form.add_problems(error.problems, error.message)
        if form.ok:
            flash(request, form.t("created"))
        else:
            flash(request, "; ".join([*form.general, *(m for ms in form.errors.values() for m in ms)]), "error")
        return see_other(f"/contracts/{contract_id}/clauses")
