"""Contracts over HTTP: list, create, read, change, import and export TOML, appointments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from litestar import Controller, Response, delete, get, patch, post
from litestar.exceptions import HTTPException
from litestar.openapi.spec import Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, QueryParameter, RawBody
from sqlmodel import Field, Session, SQLModel

from procure.api.clauses import ClauseView, clause_view
from procure.api.placements import body_operation
from procure.dependencies import DbSession, RequestPrincipal
from procure.services import appointments as invitations
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
    status: str = Field(description="pending | accepted | declined: only an accepted appointment is in effect")
    org_number: str
    organisation_id: uuid.UUID | None = Field(description="Shown to the buyer only once the organisation has answered")
    name: str | None = Field(description="Shown to the buyer only once the organisation has answered")


class InvitationRecorded(SQLModel):
    message: str


class InvitationView(SQLModel):
    id: uuid.UUID
    role: str = Field(description="contractor | subcontractor | auditor")
    status: str = Field(description="pending | accepted | declined")
    contract_reference: str
    contract_title: str
    buyer_name: str
    invited_at: datetime
    responded_at: datetime | None
    contract_id: uuid.UUID | None = Field(description="Given once accepted")


class ContractDetail(ContractView):
    contractor_status: str = Field(description="pending | accepted | declined: the contractor's answer to its invitation")
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


def appointment_view(appointment: Any, organisation: Organisation | None) -> AppointmentView:
    # A pending invitation does not say whether its number is registered (nor, by its name,
    # which organisation holds it): the buyer learns that when the organisation answers.
    known = organisation if appointment.status != "pending" else None
    return AppointmentView(
        id=appointment.id,
        contract_id=appointment.contract_id,
        role=appointment.role,
        status=appointment.status,
        org_number=appointment.org_number,
        organisation_id=known.id if known else None,
        name=known.name if known else None,
    )


def _detail(db: Session, contract: Any, party: str = "buyer") -> ContractDetail:
    """The contract; its buyer sees every invitation, the other parties the appointments in effect."""
    buyer, contractor = service.organisations_of(db, contract)
    appointments = service.appointments_of(db, contract.id)
    invited = service.contractor_appointment(db, contract)
    return ContractDetail(
        **contract_view(contract, buyer, contractor).model_dump(),
        contractor_status=invited.status if invited else "pending",
        clauses=[clause_view(clause) for clause in service.clauses_of(db, contract.id)],
        appointments=[appointment_view(a, o) for a, o in appointments if party == "buyer" or a.status == "accepted"],
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
        access = contract_for(db, principal, contract_id, Action.READ)
        return _detail(db, access.contract, access.party.value)

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

    @post(
        "/{contract_id:uuid}/appointments",
        summary="Invite a subcontractor or auditor",
        description=(
            "Records an invitation of the organisation with this number; it takes effect when that "
            "organisation accepts it (`POST /api/appointments/{id}/accept`). The answer is the same "
            "whether or not the number is registered, so this route tells nobody which organisations exist."
        ),
        sync_to_thread=True,
        status_code=202,
    )
    def add_appointment(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        data: JSONBody[AppointmentBody]
    ) -> InvitationRecorded:
        return InvitationRecorded(message=service.add_appointment(db, principal, contract_id, data.org_number, data.role))

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


class InvitationController(Controller):
    """The invitations of the signed-in user's organisation, to accept or decline."""

    path = "/appointments"
    tags = ["contracts"]

    @get("/", summary="Invitations of your organisation to contracts (pending first)", sync_to_thread=True)
    def list_invitations(
        self, db: DbSession, principal: RequestPrincipal,
        status: Annotated[str | None, QueryParameter(description="pending | accepted | declined")] = None,
    ) -> list[InvitationView]:
        return [InvitationView(**vars(i)) for i in invitations.invitations(db, principal, status)]

    @post("/{appointment_id:uuid}/accept", summary="Accept an invitation: the contract becomes yours to see",
          sync_to_thread=True, status_code=200)
    def accept(self, db: DbSession, principal: RequestPrincipal, appointment_id: FromPath[uuid.UUID]) -> InvitationView:
        return InvitationView(**vars(invitations.accept(db, principal, appointment_id)))

    @post("/{appointment_id:uuid}/decline", summary="Decline an invitation", sync_to_thread=True, status_code=200)
    def decline(self, db: DbSession, principal: RequestPrincipal, appointment_id: FromPath[uuid.UUID]) -> InvitationView:
        return InvitationView(**vars(invitations.decline(db, principal, appointment_id)))
