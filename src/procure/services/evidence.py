"""Evidence files of a placement: agreements, attendance lists, certificates.

A file's type is decided by its content (magic bytes, read by `filetype`), never by its
name or the type the browser declared: only PDF, PNG and JPEG are kept, so nothing a
browser would run or render as a page can be uploaded and handed to another user.
Whoever may not see the placement may not see its files (a subcontractor gets 404
for another employer's).

Two limits, both settings: the largest file (`PROCURE_EVIDENCE_MAX_FILE_BYTES`, 10 MiB)
and what one contract's files may hold together (`PROCURE_EVIDENCE_QUOTA_BYTES`, 2 GiB),
so that one party cannot fill the database. Either answers 413 naming the limit. The
quota is checked with the contract's row locked, so two uploads at once cannot both
squeeze under it.
"""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from pathlib import PurePosixPath, PureWindowsPath

import filetype
from sqlalchemy import func, or_
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from procure.services import audit_log
from procure.services.access import Action, Principal
from procure.services.errors import FieldProblem, Gone, InvalidInput, NotFound, TooLarge
from procure.services.placements import placement_for
from procure.settings import Settings, get_settings
from procure.storage.models import Contract, EvidenceFile, EvidenceFilePublic, Placement

# What the retention run leaves of an evidence file: this name, no content.
REMOVED_FILENAME = "removed under retention"

MAX_EVIDENCE_BYTES = Settings.evidence_max_file_bytes  # the default of the setting
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


def readable_size(count: int) -> str:
    """2147483648 -> "2 GB", 1536 -> "1.5 KB", 900 -> "900 bytes" (units of 1024)."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= factor:
            return f"{count // factor} {unit}" if count % factor == 0 else f"{count / factor:.1f} {unit}"
    return f"{count} bytes"


def too_large_message(limit: int = MAX_EVIDENCE_BYTES) -> str:
    return (f"the file is larger than the limit of {readable_size(limit)} per evidence file: "
            "scan at a lower resolution or split it")


def too_large(limit: int) -> TooLarge:
    return TooLarge(too_large_message(limit), [FieldProblem(too_large_message(limit), field="file")])


def stored_bytes(session: Session, contract_id: uuid.UUID) -> int:
    """What the contract's evidence files hold together (files removed under retention
    hold nothing)."""
    kept = or_(col(EvidenceFile.filename) != REMOVED_FILENAME, func.length(EvidenceFile.content) > 0)
    total = session.exec(
        select(func.coalesce(func.sum(EvidenceFile.size_bytes), 0))
        .join(Placement, col(Placement.id) == EvidenceFile.placement_id)
        .where(Placement.contract_id == contract_id, kept)
    ).one()
    return int(total)


def _check_quota(session: Session, contract_id: uuid.UUID, size: int, quota: int) -> None:
    # Lock the contract's row (PostgreSQL; SQLite writes one at a time anyway) so that
    # concurrent uploads are counted one after the other.
    session.exec(select(Contract.id).where(Contract.id == contract_id).with_for_update()).first()
    used = stored_bytes(session, contract_id)
    if used + size > quota:
        message = (f"the contract's evidence files would exceed its quota of {readable_size(quota)} "
                   f"({readable_size(used)} used, this file {readable_size(size)}): remove files no longer "
                   "needed or ask the administrator to raise PROCURE_EVIDENCE_QUOTA_BYTES")
        raise TooLarge(message, [FieldProblem(message, field="file")])


def upload_evidence(
    session: Session,
    principal: Principal,
    contract_id: uuid.UUID,
    placement_id: uuid.UUID,
    filename: str | None,
    content: bytes,
    settings: Settings | None = None,
) -> EvidenceFilePublic:
    settings = settings or get_settings()
    access, placement = placement_for(session, principal, contract_id, placement_id, Action.REPORT)
    if len(content) > settings.evidence_max_file_bytes:
        raise too_large(settings.evidence_max_file_bytes)
    if not content:
        raise InvalidInput("the file is empty", [FieldProblem("the file is empty", field="file")])
    mime = content_type_of(content)
    if mime is None:
        message = "only PDF, PNG and JPEG files are accepted as evidence (judged by the file's content, not its name)"
        raise InvalidInput(message, [FieldProblem(message, field="file")])
    _check_quota(session, access.contract.id, len(content), settings.evidence_quota_bytes)
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
    col(EvidenceFile.id), col(EvidenceFile.placement_id), col(EvidenceFile.filename), col(EvidenceFile.content_type),
    col(EvidenceFile.size_bytes), col(EvidenceFile.sha256), col(EvidenceFile.uploaded_at),
)


def list_evidence(
    session: Session, principal: Principal, contract_id: uuid.UUID, placement_id: uuid.UUID
) -> list[EvidenceFilePublic]:
    """Metadata only: the content column is not read."""
    _, placement = placement_for(session, principal, contract_id, placement_id, Action.READ)
    rows = session.execute(
        core_select(*_METADATA).where(col(EvidenceFile.placement_id) == placement.id)
        .order_by(col(EvidenceFile.uploaded_at))
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
