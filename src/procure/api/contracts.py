"""Contracts over HTTP: list, create, read, change, import and export TOML, appointments."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from litestar import Controller, Response, delete, get, patch, post
from litestar.exceptions import HTTPException
from litestar.openapi.spec import Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, QueryParameter, RawBody
from sqlmodel import Field, Session, SQLModel

from procure.api.clauses import ClauseView, clause_view
from procure.dependencies import DbSession, RequestPrincipal
from procure.api.placements import body_operation
from procure.services import contracts as service
from procure.services.access import Action, contract_for
from procure.services.errors import FieldProblem, InvalidInput
from procure.storage.models import ContractPublic, Organisation, OrganisationPublic
from procure.storage.models.contracts import ContractBase

TOML_MEDIA_TYPES = ("application/toml", "text/plain", "text/x-toml", "application/x-toml")
MAX_TOML_BYTES = 1_000_000


class ContractCreateBody(ContractBase):
    # The buyer is the signed-in buyer's organisation; the contractor must be registered.
    contractor_org_number: str = Field(description="The contractor's organisation number, NNNNNN-NNNN")


class ContractChangeBody(SQLModel):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    site: str | None = Field(default=None, max_length=300)
    value_sek: int | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    start: date | None = None
    end: date | None = None
    status: str | None = None
    extra_target_groups: list[str] | None = None
    contractor_org_number: str | None = None
    version: int | None = Field(default=None, description="The version you read (required)")


class ContractView(ContractPublic):
    buyer: OrganisationPublic
    contractor: OrganisationPublic


class AppointmentView(SQLModel):
    id: uuid.UUID
    contract_id: uuid.UUID
    role: str
    organisation_id: uuid.UUID
    org_number: str
    name: str


class ContractDetail(ContractView):
    clauses: list[ClauseView]
    appointments: list[AppointmentView]


class ContractPage(SQLModel):
    items: list[ContractView]
    total: int
    limit: int
    offset: int


class ImportResult(SQLModel):
    contract: ContractView
    created: bool
    changes: list[str]


class AppointmentBody(SQLModel):
    org_number: str = Field(description="The organisation number, NNNNNN-NNNN")
    role: str = Field(description="subcontractor | auditor")


def contract_view(contract: Any, buyer: Organisation, contractor: Organisation) -> ContractView:
    return ContractView(
        **ContractPublic.model_validate(contract, from_attributes=True).model_dump(),
        buyer=OrganisationPublic.model_validate(buyer, from_attributes=True),
        contractor=OrganisationPublic.model_validate(contractor, from_attributes=True),
    )


def appointment_view(appointment: Any, organisation: Organisation) -> AppointmentView:
    return AppointmentView(
        id=appointment.id,
        contract_id=appointment.contract_id,
        role=appointment.role,
        organisation_id=organisation.id,
        org_number=organisation.org_number,
        name=organisation.name,
    )


def _detail(db: Session, contract: Any) -> ContractDetail:
    buyer, contractor = service.organisations_of(db, contract)
    return ContractDetail(
        **contract_view(contract, buyer, contractor).model_dump(),
        clauses=[clause_view(clause) for clause in service.clauses_of(db, contract.id)],
        appointments=[appointment_view(a, o) for a, o in service.appointments_of(db, contract.id)],
    )


def _toml_text(body: bytes, content_type: str) -> str:
    media_type = content_type.split(";")[0].strip().lower()
    if media_type not in TOML_MEDIA_TYPES:
        raise HTTPException(
            status_code=415,
            detail=f"send the contract TOML as application/toml or text/plain, not {media_type or 'no content type'}",
        )
    if len(body) > MAX_TOML_BYTES:
        raise HTTPException(status_code=413, detail=f"a contract TOML may be at most {MAX_TOML_BYTES} bytes")
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("the body is not UTF-8 text", [FieldProblem("save the file as UTF-8", field="body")]) from None


class ContractController(Controller):
    path = "/contracts"
    tags = ["contracts"]

    @get("/", summary="Contracts you may read", sync_to_thread=True)
    def list_contracts(
        self,
        db: DbSession,
        principal: RequestPrincipal,
        status: FromQuery[str | None] = None,
        reference: Annotated[str | None, QueryParameter(description="Part of the reference")] = None,
        q: Annotated[str | None, QueryParameter(description="Words in the title or site")] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> ContractPage:
        items, total = service.list_contracts(
            db, principal, status=status, reference=reference, q=q, limit=limit, offset=offset
        )
        return ContractPage(items=[contract_view(*item) for item in items], total=total, limit=limit, offset=offset)

    @post("/", summary="Create a contract of your organisation (buyers)", sync_to_thread=True)
    def create_contract(
        self, db: DbSession, principal: RequestPrincipal, data: JSONBody[ContractCreateBody]
    ) -> ContractDetail:
        values = data.model_dump(exclude={"contractor_org_number"})
        contract = service.create_contract(db, principal, values, data.contractor_org_number)
        return _detail(db, contract)

    @post(
        "/import",
        summary="Import a contract TOML (creates it, or makes the stored contract equal to the file)",
        description=(
            "The body is a contract TOML as in `contracts/*.toml` (application/toml or text/plain, UTF-8); "
            "its buyer must be your organisation. Organisations it names that are not registered are "
            "created with their kind; importing the same reference again makes the stored contract equal "
            "to the file (its clauses and waivers; appointments are only added), and an unchanged file "
            "changes nothing. Every error is listed with its line and field."
        ),
        sync_to_thread=True,
        status_code=200,
        operation_class=body_operation(
            "the contract TOML",
            {media: Schema(type=OpenAPIType.STRING, description="the contract TOML, UTF-8") for media in TOML_MEDIA_TYPES[:2]},
        ),
    )
    def import_contract(
        self, db: DbSession, principal: RequestPrincipal, body: RawBody,
        content_type: Annotated[str, HeaderParameter(name="content-type")] = ""
    ) -> ImportResult:
        outcome = service.import_contract_toml(db, principal, _toml_text(body, content_type))
        buyer, contractor = service.organisations_of(db, outcome.contract)
        return ImportResult(
            contract=contract_view(outcome.contract, buyer, contractor), created=outcome.created, changes=outcome.changes
        )

    @get("/{contract_id:uuid}", summary="A contract with its clauses and appointments", sync_to_thread=True)
    def get_contract(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID]
    ) -> ContractDetail:
        return _detail(db, contract_for(db, principal, contract_id, Action.READ).contract)

    @patch("/{contract_id:uuid}", summary="Change a contract (give the version you read)", sync_to_thread=True)
    def update_contract(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        data: JSONBody[ContractChangeBody]
    ) -> ContractDetail:
        contract = service.update_contract(db, principal, contract_id, data.model_dump(exclude_unset=True))
        return _detail(db, contract)

    @get(
        "/{contract_id:uuid}/export",
        summary="The contract as TOML",
        sync_to_thread=True,
        media_type="application/toml",
    )
    def export_contract(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID]
    ) -> Response[str]:
        contract = contract_for(db, principal, contract_id, Action.READ).contract
        text = service.export_contract_toml(db, contract.id)
        filename = f"{contract.reference}.toml".replace('"', "")
        return Response(
            text,
            media_type="application/toml; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    @post("/{contract_id:uuid}/appointments", summary="Appoint a subcontractor or auditor", sync_to_thread=True)
    def add_appointment(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        data: JSONBody[AppointmentBody]
    ) -> AppointmentView:
        appointment, organisation = service.add_appointment(db, principal, contract_id, data.org_number, data.role)
        return appointment_view(appointment, organisation)

    @delete(
        "/{contract_id:uuid}/appointments/{appointment_id:uuid}",
        summary="Take back an appointment",
        sync_to_thread=True,
    )
    def remove_appointment(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        appointment_id: FromPath[uuid.UUID]
    ) -> None:
        service.remove_appointment(db, principal, contract_id, appointment_id)
