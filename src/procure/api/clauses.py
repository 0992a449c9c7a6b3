"""Clauses and their waivers over HTTP.

A clause is posted as its TOML clause table in JSON: code, title, text, rule, the rule's
parameters and the filters flat, penalty and bonus as objects; plus an optional
`position`, and on PATCH the `version` you read. Changes to a clause are checked by the
same loader as `contracts/*.toml`, so both accept and refuse the same clauses.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, delete, get, patch, post
from litestar.params import Body, FromPath, JSONBody
from sqlmodel import Field, SQLModel

from procure.dependencies import DbSession, RequestPrincipal
from procure.services import clauses as service
from procure.storage.mapping import clause_to_domain
from procure.storage.models import Clause, WaiverCreate, WaiverPublic

CLAUSE_BODY = Body(
    description=(
        "The clause as its contract-TOML table: code, title, text, rule, the rule's parameters "
        "and the filters as flat keys, penalty and bonus as objects; optional position. On PATCH "
        "only the keys to change (null removes a key) and the version you read."
    )
)


class ClauseView(SQLModel):
    id: uuid.UUID
    contract_id: uuid.UUID
    version: int
    position: int
    code: str
    title: str
    text: str
    rule: str
    parameters: dict[str, Any]
    filters: dict[str, Any]
    penalty: dict[str, Any] | None
    bonus: dict[str, Any] | None
    table: dict[str, Any] = Field(description="The clause as its contract-TOML table, flat")


def clause_view(row: Clause) -> ClauseView:
    numbers = service.json_numbers
    return ClauseView(
        id=row.id,
        contract_id=row.contract_id,
        version=row.version,
        position=row.position,
        code=row.code,
        title=row.title,
        text=row.text,
        rule=row.rule,
        parameters=numbers(row.parameters or {}),
        filters=numbers(row.filters or {}),
        penalty=numbers(row.penalty),
        bonus=numbers(row.bonus),
        table=numbers(service.clause_table(clause_to_domain(row))),
    )


class ClauseController(Controller):
    path = "/contracts/{contract_id:uuid}/clauses"
    tags = ["clauses"]

    @get("/", summary="The clauses of a contract", sync_to_thread=True)
    def list_clauses(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID]
    ) -> list[ClauseView]:
        return [clause_view(row) for row in service.list_clauses(db, principal, contract_id)]

    @post("/", summary="Add a clause (buyers)", sync_to_thread=True)
    def create_clause(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        data: Annotated[dict[str, Any], CLAUSE_BODY]
    ) -> ClauseView:
        return clause_view(service.create_clause(db, principal, contract_id, data))

    @get("/{clause_id:uuid}", summary="One clause", sync_to_thread=True)
    def get_clause(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        clause_id: FromPath[uuid.UUID]
    ) -> ClauseView:
        return clause_view(service.get_clause(db, principal, contract_id, clause_id))

    @patch("/{clause_id:uuid}", summary="Change a clause (give the version you read)", sync_to_thread=True)
    def update_clause(
        self,
        db: DbSession,
        principal: RequestPrincipal,
        contract_id: FromPath[uuid.UUID],
        clause_id: FromPath[uuid.UUID],
        data: Annotated[dict[str, Any], CLAUSE_BODY],
    ) -> ClauseView:
        return clause_view(service.update_clause(db, principal, contract_id, clause_id, data))

    @delete("/{clause_id:uuid}", summary="Remove a clause and its waivers", sync_to_thread=True)
    def delete_clause(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        clause_id: FromPath[uuid.UUID]
    ) -> None:
        service.delete_clause(db, principal, contract_id, clause_id)

    @get("/{clause_id:uuid}/waivers", summary="The waivers of a clause", sync_to_thread=True)
    def list_waivers(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        clause_id: FromPath[uuid.UUID]
    ) -> list[WaiverPublic]:
        return [WaiverPublic.model_validate(w, from_attributes=True) for w in service.list_waivers(db, principal, contract_id, clause_id)]

    @post("/{clause_id:uuid}/waivers", summary="Waive a clause for a period, or for all (buyers)", sync_to_thread=True)
    def add_waiver(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        clause_id: FromPath[uuid.UUID], data: JSONBody[WaiverCreate]
    ) -> WaiverPublic:
        row = service.add_waiver(db, principal, contract_id, clause_id, data.period_start, data.reason)
        return WaiverPublic.model_validate(row, from_attributes=True)

    @delete("/{clause_id:uuid}/waivers/{waiver_id:uuid}", summary="Take back a waiver", sync_to_thread=True)
    def delete_waiver(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        clause_id: FromPath[uuid.UUID], waiver_id: FromPath[uuid.UUID]
    ) -> None:
        service.delete_waiver(db, principal, contract_id, clause_id, waiver_id)
