"""Compliance over HTTP: the engine's result JSON, exactly as `procure evaluate --format json`."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from anyio import to_thread
from litestar import Controller, Response, get
from litestar.exceptions import ValidationException
from litestar.params import FromPath, QueryParameter

from procure.dependencies import DbSession, RequestPrincipal
from procure.services.compliance import compliance_encoded


def parse_as_of(value: str | None) -> date:
    if value is None or value == "":
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        message = f"as_of must be a date written YYYY-MM-DD, such as 2017-06-30, not {value[:40]!r}"
        raise ValidationException(detail=message, extra=[{"key": "as_of", "message": message}]) from None


class ComplianceController(Controller):
    path = "/contracts/{contract_id:uuid}/compliance"
    tags = ["compliance"]

    @get("/", summary="How the contract's clauses stand as of a date")
    async def contract_compliance(
        self,
        db: DbSession,
        principal: RequestPrincipal,
        contract_id: FromPath[uuid.UUID],
        as_of: Annotated[str | None, QueryParameter(description="YYYY-MM-DD; today when left out")] = None,
    ) -> Response[dict[str, Any]]:
        day = parse_as_of(as_of)
        # Already encoded, once per evaluation and data version (procure.services.compliance).
        body = await to_thread.run_sync(compliance_encoded, db, principal, contract_id, day)
        # The annotation documents (OpenAPI) the JSON object that these bytes encode.
        return Response(body, media_type="application/json")  # type: ignore[arg-type]
