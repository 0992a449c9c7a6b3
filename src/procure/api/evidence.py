"""Evidence files of a placement over HTTP: upload (multipart), list, download."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from functools import partial

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath

from procure.dependencies import DbSession, RequestPrincipal
from procure.api.placements import UPLOAD_SCHEMA, body_operation
from procure.services import evidence as service
from procure.services.errors import FieldProblem, InvalidInput, TooLarge
from procure.storage.models import EvidenceFilePublic

# Litestar's cap on the whole multipart body: the file limit plus the form's framing.
_TRANSPORT_CAP = service.MAX_EVIDENCE_BYTES + (1 << 16)


class EvidenceController(Controller):
    path = "/contracts/{contract_id:uuid}/placements/{placement_id:uuid}/evidence"
    tags = ["evidence"]

    @post(
        "/",
        summary="Attach an evidence file (PDF, PNG or JPEG, judged by content; at most 10 MB)",
        request_max_body_size=_TRANSPORT_CAP,
        operation_class=body_operation("the evidence file as a form's file field", {"multipart/form-data": UPLOAD_SCHEMA}),
    )
    async def upload(
        self, request: Request, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        placement_id: FromPath[uuid.UUID]
    ) -> EvidenceFilePublic:
        # The form is read here rather than as `data: UploadFile`: Litestar answers a form
        # without a file part with a 500 (StopIteration in its extractor).
        form = await request.form()
        upload = next((value for value in form.values() if isinstance(value, UploadFile)), None)
        if upload is None:
            message = "the form has no file: send the evidence as the form's file field"
            raise InvalidInput(message, [FieldProblem(message, field="file")])
        # One byte more than allowed is enough to know the file is too large.
        content = await upload.read(service.MAX_EVIDENCE_BYTES + 1)
        await upload.close()
        if len(content) > service.MAX_EVIDENCE_BYTES:
            message = service.too_large_message()
            raise TooLarge(message, [FieldProblem(message, field="file")])
        return await to_thread.run_sync(
            partial(service.upload_evidence, db, principal, contract_id, placement_id, upload.filename, content)
        )

    @get("/", summary="The evidence files of a placement (metadata, no content)", sync_to_thread=True)
    def list_files(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        placement_id: FromPath[uuid.UUID]
    ) -> list[EvidenceFilePublic]:
        return service.list_evidence(db, principal, contract_id, placement_id)

    @get(
        "/{evidence_id:uuid}",
        summary="Download an evidence file",
        sync_to_thread=True,
        media_type="application/octet-stream",
    )
    def download(
        self, db: DbSession, principal: RequestPrincipal, contract_id: FromPath[uuid.UUID],
        placement_id: FromPath[uuid.UUID], evidence_id: FromPath[uuid.UUID]
    ) -> Response[bytes]:
        row = service.get_evidence(db, principal, contract_id, placement_id, evidence_id)
        return Response(
            row.content,
            media_type=row.content_type,
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.filename, safe='')}",
                "X-Content-Type-Options": "nosniff",
                "ETag": f'"{row.sha256}"',
            },
        )
