"""Evidence files of a placement over HTTP: upload (multipart), list, download."""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import quote

from litestar import Controller, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from sqlmodel import Session

from procure.services import evidence as service
from procure.services.access import Principal
from procure.services.errors import FieldProblem, TooLarge
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
        sync_to_thread=True,
    )
    def upload(
        self,
        db: Session,
        principal: Principal,
        contract_id: uuid.UUID,
        placement_id: uuid.UUID,
        data: Annotated[UploadFile, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> EvidenceFilePublic:
        # One byte more than allowed is enough to know the file is too large.
        content = data.file.read(service.MAX_EVIDENCE_BYTES + 1)
        data.file.close()
        if len(content) > service.MAX_EVIDENCE_BYTES:
            message = service.too_large_message()
            raise TooLarge(message, [FieldProblem(message, field="file")])
        return service.upload_evidence(db, principal, contract_id, placement_id, data.filename, content)

    @get("/", summary="The evidence files of a placement (metadata, no content)", sync_to_thread=True)
    def list_files(
        self, db: Session, principal: Principal, contract_id: uuid.UUID, placement_id: uuid.UUID
    ) -> list[EvidenceFilePublic]:
        return service.list_evidence(db, principal, contract_id, placement_id)

    @get(
        "/{evidence_id:uuid}",
        summary="Download an evidence file",
        sync_to_thread=True,
        media_type="application/octet-stream",
    )
    def download(
        self, db: Session, principal: Principal, contract_id: uuid.UUID, placement_id: uuid.UUID, evidence_id: uuid.UUID
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
