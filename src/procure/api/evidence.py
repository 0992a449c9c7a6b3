"""Evidence files of a placement over HTTP: upload (multipart), list, download."""

from __future__ import annotations

import uuid
from functools import partial
from urllib.parse import quote

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath

from procure.api.placements import UPLOAD_SCHEMA, body_operation
from procure.dependencies import AppSettings, DbSession, RequestPrincipal
from procure.services import evidence as service
from procure.services.errors import FieldProblem, InvalidInput
from procure.settings import EVIDENCE_FILE_CEILING
from procure.storage.models import EvidenceFilePublic

# Litestar's cap on the whole multipart body: the highest per-file limit the setting
# allows plus the form's framing. The configured limit is applied below, to the declared
# length before the body is read and to the file itself.
_FRAMING = 1 << 16
_TRANSPORT_CAP = EVIDENCE_FILE_CEILING + _FRAMING


class EvidenceController(Controller):
    path = "/contracts/{contract_id:uuid}/placements/{placement_id:uuid}/evidence"
    tags = ["evidence"]

    @post(
        "/",
        summary="Attach an evidence file (PDF, PNG or JPEG, judged by content)",
        description=(
            "At most PROCURE_EVIDENCE_MAX_FILE_BYTES (10 MB by default) per file, and "
            "PROCURE_EVIDENCE_QUOTA_BYTES (2 GB by default) for all of a contract's files together; "
            "beyond either, 413 with a message naming the limit."
        ),
        request_max_body_size=_TRANSPORT_CAP,
        operation_class=body_operation("the evidence file as a form's file field", {"multipart/form-data": UPLOAD_SCHEMA}),
    )
    async def upload(
        self, request: Request, db: DbSession, principal: RequestPrincipal, settings: AppSettings,
        contract_id: FromPath[uuid.UUID], placement_id: FromPath[uuid.UUID]
    ) -> EvidenceFilePublic:
        limit = settings.evidence_max_file_bytes
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit + _FRAMING:
            raise service.too_large(limit)
        # The form is read here rather than as `data: UploadFile`: Litestar answers a form
        # without a file part with a 500 (StopIteration in its extractor).
        form = await request.form()
        upload = next((value for value in form.values() if isinstance(value, UploadFile)), None)
        if upload is None:
            message = "the form has no file: send the evidence as the form's file field"
            raise InvalidInput(message, [FieldProblem(message, field="file")])
        # One byte more than allowed is enough to know the file is too large.
        content = await upload.read(limit + 1)
        await upload.close()
        if len(content) > limit:
            raise service.too_large(limit)
        return await to_thread.run_sync(
            partial(service.upload_evidence, db, principal, contract_id, placement_id, upload.filename, content,
                    settings)
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
