"""The audit trail of one contract, with the state of the contract's own keyed hash chain."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, get
from litestar.params import FromPath, QueryParameter
from sqlmodel import Session

from procure.dependencies import DbSession, RequestPrincipal
from procure.services import audit_log
from procure.storage.models import AuditLogEntryPublic


@dataclass
class ChainProblemPublic:
    sequence: int
    problem: str  # altered | removed | reordered
    detail: str


@dataclass
class ChainStatus:
    intact: bool
    problem: ChainProblemPublic | None
    head_hash: str
    head_sequence: int  # the position of the chain's last entry (0: no entries yet)


@dataclass
class AuditLogPage:
    items: list[AuditLogEntryPublic]
    total: int
    limit: int
    offset: int
    chain: ChainStatus


def chain_status(db: Session, contract_id: uuid.UUID) -> ChainStatus:
    """The contract's chain only: the positions and entries of other chains are other tenants'."""
    problem = audit_log.verify_chain_of(db, contract_id)
    head = audit_log.head(db, contract_id)
    described = audit_log.describe_problem(db, contract_id, problem) if problem else ""
    return ChainStatus(
        intact=problem is None,
        problem=ChainProblemPublic(problem.sequence, problem.problem, described) if problem else None,
        head_hash=head.hash,
        head_sequence=head.sequence,
    )


class AuditLogController(Controller):
    path = "/contracts/{contract_id:uuid}/audit-log"
    tags = ["audit"]

    @get(
        "/",
        summary="The contract's audit trail, oldest first (positions in the contract's own chain), and whether its hash chain is intact",
        sync_to_thread=True,
    )
    def audit_log(
        self,
        db: DbSession,
        principal: RequestPrincipal,
        contract_id: FromPath[uuid.UUID],
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> AuditLogPage:
        rows, total = audit_log.contract_trail(db, principal, contract_id, limit, offset)
        return AuditLogPage(
            items=[AuditLogEntryPublic.model_validate(row) for row in rows],
            total=total,
            limit=limit,
            offset=offset,
            chain=chain_status(db, contract_id),
        )
