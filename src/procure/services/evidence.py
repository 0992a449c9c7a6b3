"""Evidence files of a placement: agreements, attendance lists, certificates.

A file's type is decided by its content (magic bytes, read by `filetype`), never by its
name or the type the browser declared: only PDF, PNG and JPEG are kept, so nothing a
browser would run or render as a page can be uploaded and handed to another user.
Whoever may not see the placement may not see its files (a subcontractor gets 404
for another employer's).
"""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from pathlib import PurePosixPath, PureWindowsPath

import filetype
from sqlmodel import Session, col, select

from procure.services import audit_log
from procure.services.access import Action, Principal
from procure.services.errors import FieldProblem, Gone, InvalidInput, NotFound, TooLarge
from procure.services.placements import placement_for
from procure.storage.models import EvidenceFile, EvidenceFilePublic

# What the retention run leaves of an evidence file: this name, no content.
REMOVED_FILENAME = "removed under retention"

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
ALLOWED_TYPES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}
# filetype needs no more than the first few hundred bytes.
SNIFF_BYTES = 8192


def content_type_of(content: bytes) -> str | None:
    """The MIME type of an allowed file, judged by its content; None for anything else."""
    kind = filetype.guess(content[:SNIFF_BYTES])
    return kind.mime if kind is not None and kind.mime in ALLOWED_TYPES else None


def clean_filename(name: str | None) -> str:
    """The bare file name, without any directory a browser or a client put in front."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable()).strip()
    if not base or base in (".", ".."):
        return "evidence"
    return base[-255:]


def too_large_message(limit: int = MAX_EVIDENCE_BYTES) -> str:
    return f"the file is larger than {limit // (1024 * 1024)} MB: scan at a lower resolution or split it"


def upload_evidence(
    session: Session,
    principal: Principal,
    contract_id: uuid.UUID,
    placement_id: uuid.UUID,
    filename: str | None,
    content: bytes,
) -> EvidenceFilePublic:
    access, placement = placement_for(session, principal, contract_id, placement_id, Action.REPORT)
    if len(content) > MAX_EVIDENCE_BYTES:
        raise TooLarge(too_large_message(), [FieldProblem(too_large_message(), field="file")])
    if not content:
        raise InvalidInput("the file is empty", [FieldProblem("the file is empty", field="file")])
    mime = content_type_of(content)
    if mime is None:
        message = "only PDF, PNG and JPEG files are accepted as evidence (judged by the file's content, not its name)"
        raise InvalidInput(message, [FieldProblem(message, field="file")])
    row = EvidenceFile(
        placement_id=placement.id,
        filename=clean_filename(filename),
        content_type=mime,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=principal.user_id,
    )
    session.add(row)
    session.flush()
    audit_log.record(session, principal, "create", "evidence_file", row.id,
                     after=audit_log.snapshot(row), contract_id=access.contract.id)
    session.commit()
    return EvidenceFilePublic.model_validate(row, from_attributes=True)


_METADATA = (
    EvidenceFile.id, EvidenceFile.placement_id, EvidenceFile.filename, EvidenceFile.content_type,
    EvidenceFile.size_bytes, EvidenceFile.sha256, EvidenceFile.uploaded_at,
)  # fmt: skip


def list_evidence(
    session: Session, principal: Principal, contract_id: uuid.UUID, placement_id: uuid.UUID
) -> list[EvidenceFilePublic]:
    """Metadata only: the content column is not read."""
    _, placement = placement_for(session, principal, contract_id, placement_id, Action.READ)
    rows = session.exec(
        select(*_METADATA).where(EvidenceFile.placement_id == placement.id).order_by(col(EvidenceFile.uploaded_at))
    ).all()
    return [EvidenceFilePublic.model_validate(dict(row._mapping)) for row in rows]


def get_evidence(
    session: Session, principal: Principal, contract_id: uuid.UUID, placement_id: uuid.UUID, evidence_id: uuid.UUID
) -> EvidenceFile:
    _, placement = placement_for(session, principal, contract_id, placement_id, Action.READ)
    row = session.exec(
        select(EvidenceFile).where(EvidenceFile.placement_id == placement.id, EvidenceFile.id == evidence_id)
    ).first()
    if row is None:
        raise NotFound(f"evidence file {evidence_id} not found")
    if row.filename == REMOVED_FILENAME and not row.content:
        raise Gone(f"evidence file {evidence_id} was removed under the retention rule; "
                   f"its SHA-256 {row.sha256} is kept in the file list")
    return row
