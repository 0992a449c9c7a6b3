"""The files a report carries, their canonical digest, and reading them back out of a PDF.

The digest is written so that an auditor can recompute it with coreutils alone:
`sha256sum contract.toml hours.csv placements.csv reports.csv result.json | sha256sum`
(the manifest is `sha256sum`'s output, names in this fixed order).
"""

from __future__ import annotations

import hashlib
import io
import json
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from pypdf import PdfReader, apply_configuration
from pypdf.errors import PdfReadError
from pypdf.generic import DictionaryObject, NameObject

from procure.domain.model import Contract, ContractRecords, Participant
from procure.reports.evidence import result_json

# The canonical order of the attachments (also the order `sha256sum` prints them in).
ATTACHMENT_NAMES = ("contract.toml", "hours.csv", "placements.csv", "reports.csv", "result.json")

# The HTML <meta> name of the digest, and the PDF document-information key it becomes
# (the HTML parser lowercases names and WeasyPrint keeps only their letters and digits).
DIGEST_META_NAME = "procure-attachments-sha256"
DIGEST_INFO_KEY = "procureattachmentssha256"


# What the five attachments may inflate to, together. A genuine report carries about
# 0.9 KB of them per placement (4 clauses): 1,000 placements are under 1 MB, and 8 MB
# holds some 9,000. Beyond this a file is not a procure report, and a zip bomb must not
# take the server's memory with it: even 8 MB of forged but well-formed inputs (75,000
# placements) stay under 250 MB while they are read back and re-evaluated.
MAX_INFLATED_BYTES = 8 * 1024 * 1024
# pypdf's own cap on any one decoded stream of the file (object streams, metadata).
_PDF_LIMITS: dict[str, Any] = {
    "zlib_maximum_output_length": 4 * MAX_INFLATED_BYTES,
    "stream_decoding_work_maximum_length": 8 * MAX_INFLATED_BYTES,
    "zlib_maximum_recovery_input_length": MAX_INFLATED_BYTES,
}


class UnreadableReport(ValueError):
    """The bytes are not a PDF that can be read."""


class AttachmentsTooLarge(UnreadableReport):
    """The attachments inflate beyond MAX_INFLATED_BYTES: no procure report does."""


@contextmanager
def _limited() -> Iterator[None]:
    with apply_configuration(**_PDF_LIMITS):
        yield


def manifest(files: Mapping[str, bytes]) -> bytes:
    """`sha256sum`-style lines ("HEX  NAME\\n") for the attachments, in canonical order."""
    missing = [name for name in ATTACHMENT_NAMES if name not in files]
    if missing:
        raise KeyError(f"missing attachments: {', '.join(missing)}")
    return b"".join(
        f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n".encode("ascii") for name in ATTACHMENT_NAMES
    )


def attachments_digest(files: Mapping[str, bytes]) -> str:
    return hashlib.sha256(manifest(files)).hexdigest()


def _reader(pdf_bytes: bytes) -> PdfReader:
    try:
        return PdfReader(io.BytesIO(pdf_bytes), strict=False)
    except (PdfReadError, ValueError, OSError) as error:
        raise UnreadableReport(f"not a readable PDF: {error}") from error


def _too_large() -> AttachmentsTooLarge:
    return AttachmentsTooLarge(
        f"the attachments inflate to more than {MAX_INFLATED_BYTES // (1024 * 1024)} MB, which no procure report's do"
    )


def _inflate(stream: Any, budget: int) -> bytes:
    """An embedded file's content, inflated piecewise so that no more than `budget`
    bytes (plus one piece) are ever held. Only what procure writes is read: no filter,
    or FlateDecode without parameters."""
    raw = stream._data  # the encoded bytes, as in the file (pypdf decodes only on get_data)
    filters = stream.get("/Filter")
    filters = [filters] if isinstance(filters, NameObject) else list(filters or [])
    if not filters:
        if len(raw) > budget:
            raise _too_large()
        return bytes(raw)
    if [str(f) for f in filters] != ["/FlateDecode"] or stream.get("/DecodeParms"):
        raise UnreadableReport(f"an attachment is encoded as {filters}, which procure does not write")
    inflater = zlib.decompressobj()
    pieces, size = [], 0
    pending = bytes(raw)
    while pending and not inflater.eof:
        # At most 64 KB out per call; the input not yet used waits in unconsumed_tail.
        piece = inflater.decompress(pending, 1 << 16)
        pending = inflater.unconsumed_tail
        size += len(piece)
        if size > budget:
            raise _too_large()
        pieces.append(piece)
    try:
        rest = inflater.flush()  # all input is used: at most a few hundred bytes remain
    except zlib.error as error:
        raise UnreadableReport(f"an attachment is not valid deflate data: {error}") from error
    if size + len(rest) > budget:
        raise _too_large()
    return b"".join(pieces) + rest


def extract_attachments(pdf_bytes: bytes, names: tuple[str, ...] = ATTACHMENT_NAMES) -> dict[str, bytes]:
    """The embedded files of the PDF that procure reports carry, by name (the first, if a
    name repeats); AttachmentsTooLarge once they inflate beyond MAX_INFLATED_BYTES together."""
    found: dict[str, bytes] = {}
    budget = MAX_INFLATED_BYTES
    try:
        with _limited():
            for entry in _reader(pdf_bytes).attachment_list:
                if entry.name not in names or entry.name in found:
                    continue
                files = entry.pdf_object["/EF"]
                if not isinstance(files, DictionaryObject):
                    raise UnreadableReport(f"the attachment {entry.name} carries no embedded file")
                content = _inflate(files["/F"].get_object(), budget)
                budget -= len(content)
                found[entry.name] = content
    except UnreadableReport:
        raise
    except Exception as error:  # pypdf raises many kinds on a damaged file
        raise UnreadableReport(f"cannot read the PDF's attachments: {error}") from error
    return found


def embedded_digest(pdf_bytes: bytes) -> str | None:
    """The attachments digest the report says it carries, or None."""
    try:
        with _limited():
            info: Mapping[str, Any] = _reader(pdf_bytes).metadata or {}
            value = info.get("/" + DIGEST_INFO_KEY)
    except UnreadableReport:
        raise
    except Exception as error:
        raise UnreadableReport(f"cannot read the PDF's metadata: {error}") from error
    return None if value is None else str(value)


def canonical_json(data: Any) -> bytes:
    """The result JSON as embedded: sorted keys, UTF-8, so equal results give equal bytes."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def person_key(contract: Contract, identity_hash: str) -> str:
    """The participant's key in this contract's reports.

    Re-keyed per contract so that two contracts' reports cannot be joined on it, while
    within one report the same person still has one key (and is counted once on re-run).
    """
    return hashlib.sha256(f"{contract.reference}\n{identity_hash}".encode()).hexdigest()[:32]


def pseudonymous_participants(contract: Contract, participants: Any) -> tuple[Participant, ...]:
    return tuple(
        replace(person, identity_hash=person_key(contract, person.identity_hash)) if person.identity_hash else person
        for person in participants
    )


def report_files(contract: Contract, records: ContractRecords, result: Any) -> dict[str, bytes]:
    """The files a report embeds, by name: enough to re-run `procure evaluate`.

    The placements are pseudonymous: no personnummer, only a per-contract person key, and
    each placement's id so that the re-run names placements as the report does.
    """
    from procure.formats.contract_toml import dump_contract
    from procure.formats.records_csv import (
        write_labour_hours_csv,
        write_period_reports_csv,
        write_placements_csv,
    )

    return {
        "contract.toml": dump_contract(contract).encode("utf-8"),
        "hours.csv": write_labour_hours_csv(records.labour_hours).encode("utf-8"),
        "placements.csv": write_placements_csv(
            pseudonymous_participants(contract, records.participants), records.placements, with_ids=True
        ).encode("utf-8"),
        "reports.csv": write_period_reports_csv(records.period_reports).encode("utf-8"),
        "result.json": canonical_json(result_json(result)),
    }
