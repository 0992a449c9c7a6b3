"""Participants and placements over HTTP, and the placements CSV import.

The import takes the CSV as the request body (`Content-Type: text/csv`) or as the file
of a multipart form; either way the body is streamed to a temporary file, counting
bytes, so a large upload never sits in memory whole and one over the limit is refused
with 413 as soon as it is known to be too large.
"""

from __future__ import annotations

import tempfile
import uuid
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Annotated

from anyio import to_thread
from litestar import Controller, Request, get, patch, post
from litestar.datastructures import UploadFile
from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from procure.api.paging import Limit, Offset
from procure.dependencies import AppSettings, DbSession, RequestPrincipal
from procure.services import participants as participant_service
from procure.services import placement_import
from procure.services import placements as placement_service
from procure.services.access import Action, contract_for
from procure.services.errors import FieldProblem, InvalidInput, TooLarge
from procure.services.participants import ParticipantPage, ParticipantView
from procure.services.placement_import import ImportResult
from procure.services.placements import PlacementCreateRequest, PlacementPage, PlacementView
from procure.storage.models import ParticipantCreate, ParticipantUpdate, PlacementUpdate

CHUNK = 1 << 16
# Litestar's own cap on the body, above ours so that ours (with its clearer message)
# applies; a multipart form has a little framing around the file.
_TRANSPORT_CAP = placement_import.MAX_IMPORT_BYTES + (1 << 20)


def body_operation(description: str, content: dict[str, Schema]) -> type[Operation]:
    """An OpenAPI operation documenting a body the handler reads itself (CSV, multipart)."""

    @dataclass
    class BodyOperation(Operation):
        def __post_init__(self) -> None:
            self.request_body = RequestBody(
                description=description,
                required=True,
                content={media: OpenAPIMediaType(schema=schema) for media, schema in content.items()},
            )

    return BodyOperation


CSV_SCHEMA = Schema(type=OpenAPIType.STRING, description="the CSV text, UTF-8")
UPLOAD_SCHEMA = Schema(
    type=OpenAPIType.OBJECT,
    properties={"file": Schema(type=OpenAPIType.STRING, format="binary")},  # type: ignore[arg-type]
    required=["file"],
)


def too_large(limit: int) -> TooLarge:
    message = (
        f"the file is larger than {limit // (1024 * 1024)} MB: split it into several files "
        "(each is imported all or nothing)"
    )
    return TooLarge(message, [FieldProblem(message, field="body")])


async def spool_body(request: Request, limit: int, suffix: str = ".csv") -> tuple[Path, str]:
    """The request's CSV — raw body or a multipart form's file — in a temporary file, and
    its name. TooLarge beyond `limit` bytes; the caller deletes the file."""
    media_type, _ = request.content_type
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + (1 << 20 if media_type == "multipart/form-data" else 0):
        raise too_large(limit)
    # Closed by `with handle:` below; opened first so that its path is known to the cleanup.
    handle = tempfile.NamedTemporaryFile(prefix="procure-import-", suffix=suffix, delete=False)  # noqa: SIM115
    path = Path(handle.name)
    size = 0
    name = "placements.csv"
    try:
        with handle:
            if media_type == "multipart/form-data":
                form = await request.form()
                upload = next((value for value in form.values() if isinstance(value, UploadFile)), None)
                if upload is None:
                    message = "the form has no file: send the CSV as a file field (for example 'file')"
                    raise InvalidInput(message, [FieldProblem(message, field="file")])
                name = Path(upload.filename or name).name or name
                while chunk := await upload.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise too_large(limit)
                    handle.write(chunk)
                await upload.close()
            else:
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > limit:
                        raise too_large(limit)
                    handle.write(chunk)
        if size == 0:
            message = "the request has no CSV: send the file as the body (Content-Type: text/csv) or as a form file"
            raise InvalidInput(message, [FieldProblem(message, field="body")])
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path, name


class ParticipantController(Controller):
    path = "/contracts/{contract_id:uuid}/participants"
    tags = ["participants"]

    @get("/", summary="The participants of a contract (pseudonymous)", sync_to_thread=True)
    def list_participants(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID], limit: Limit = 50,
        offset: Offset = 0
    ) -> ParticipantPage:
        return participant_service.list_participants(db, principal, contract_id, limit=limit, offset=offset)

    @post(
        "/",
        summary="Report a participant; a personal number is only hashed, and the same person elsewhere is flagged",
        sync_to_thread=True,
    )
    def create_participant(
        self, db: DbSession, principal: RequestPrincipal, settings: AppSettings, contract_id: FromPath[uuid.UUID],
        data: JSONBody[ParticipantCreate]
    ) -> ParticipantView:
        return participant_service.create_participant(db, principal, contract_id, data, settings.secret_key)

    @patch("/{participant_id:uuid}", summary="Change a participant", sync_to_thread=True)
    def update_participant(
        self,
        db: DbSession,
        principal: RequestPrincipal,
        settings: AppSettings,
        contract_id: FromPath[uuid.UUID],
        participant_id: FromPath[uuid.UUID],
        data: JSONBody[ParticipantUpdate],
    ) -> ParticipantView:
        return participant_service.update_participant(db, principal, contract_id, participant_id, data, settings.secret_key)


class PlacementController(Controller):
    path = "/contracts/{contract_id:uuid}/placements"
    tags = ["placements"]

    @get("/", summary="The placements of a contract (a subcontractor sees its own)", sync_to_thread=True)
    def list_placements(
        self,
        db: DbSession,
        principal: RequestPrincipal,
        contract_id: FromPath[uuid.UUID],
        status: FromQuery[str | None] = None,
        participant_ref: FromQuery[str | None] = None,
        employer: Annotated[str | None, QueryParameter(description="employer's organisation number or id")] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> PlacementPage:
        return placement_service.list_placements(
            db, principal, contract_id, status=status, participant_ref=participant_ref, employer=employer,
            limit=limit, offset=offset,
        )

    @post("/", summary="Report a placement", sync_to_thread=True)
    def create_placement(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        data: JSONBody[PlacementCreateRequest]
    ) -> PlacementView:
        return placement_service.create_placement(db, principal, contract_id, data)

    @get("/{placement_id:uuid}", summary="One placement", sync_to_thread=True)
    def get_placement(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        placement_id: FromPath[uuid.UUID]
    ) -> PlacementView:
        _, row = placement_service.placement_for(db, principal, contract_id, placement_id, Action.READ)
        return placement_service.view(db, row)

    @patch(
        "/{placement_id:uuid}",
        summary="Change, end or give the outcome of a placement (send the version you read; a reason once its period is reported)",
        sync_to_thread=True,
    )
    def update_placement(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        placement_id: FromPath[uuid.UUID], data: JSONBody[PlacementUpdate]
    ) -> PlacementView:
        return placement_service.update_placement(db, principal, contract_id, placement_id, data)

    @post(
        "/import",
        summary="Import placements from CSV (text/csv body or multipart file), all or nothing",
        description=(
            "SPEC's placement columns in any order, comma or semicolon separated, UTF-8. "
            "Every error is listed by row and column and nothing is saved; the same file imported "
            "twice changes nothing. `reason` is required when the file changes placements of a "
            f"submitted period. At most {placement_import.MAX_IMPORT_BYTES // (1024 * 1024)} MB."
        ),
        request_max_body_size=_TRANSPORT_CAP,
        status_code=200,
        operation_class=body_operation(
            "the placements CSV", {"text/csv": CSV_SCHEMA, "multipart/form-data": UPLOAD_SCHEMA}
        ),
    )
    async def import_placements(
        self,
        request: Request,
        db: DbSession,
        principal: RequestPrincipal,
        settings: AppSettings,
        contract_id: FromPath[uuid.UUID],
        reason: FromQuery[str | None] = None,
    ) -> ImportResult:
        # Refuse before reading a large body from someone who may not report here.
        await to_thread.run_sync(partial(contract_for, db, principal, contract_id, Action.REPORT))
        path, name = await spool_body(request, placement_import.MAX_IMPORT_BYTES)
        try:
            return await to_thread.run_sync(
                partial(
                    placement_import.import_placements,
                    db, principal, contract_id, path, secret=settings.secret_key, name=name, reason=reason,
                )
            )
        finally:
            path.unlink(missing_ok=True)
