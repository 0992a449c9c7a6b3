"""A SHA-256 of the whole report file, carried inside the file itself.

The PDF is written with 64 zeros as the first part of its trailer `/ID`; the SHA-256 of
those bytes is then written over the zeros (same length, so no offset moves). To check:
put the zeros back and hash again. Any changed byte, anywhere, breaks the seal; an
auditor can repeat the check with a few lines of any language.
"""

from __future__ import annotations

import hashlib
import re

PLACEHOLDER = b"0" * 64
# pydyf writes the identifier as a literal string in the trailer's (uncompressed) dict.
_ID = re.compile(rb"/ID \[\(([0-9a-f]{64})\)")


class SealError(ValueError):
    """The file carries no seal where procure puts one."""


def _locate(pdf_bytes: bytes) -> re.Match[bytes]:
    matches = list(_ID.finditer(pdf_bytes))
    if not matches:
        raise SealError("the file carries no procure content digest (trailer /ID)")
    return matches[-1]  # the last trailer is the one a reader uses


def seal(pdf_bytes: bytes) -> bytes:
    """Replace the placeholder identifier with the SHA-256 of the file as written."""
    match = _locate(pdf_bytes)
    if match.group(1) != PLACEHOLDER:
        raise SealError("the file is not an unsealed procure report")
    digest = hashlib.sha256(pdf_bytes).hexdigest().encode("ascii")
    return pdf_bytes[: match.start(1)] + digest + pdf_bytes[match.end(1):]


def check_seal(pdf_bytes: bytes) -> tuple[str, str]:
    """(claimed, computed) content digests; equal when the file is as procure wrote it."""
    match = _locate(pdf_bytes)
    unsealed = pdf_bytes[: match.start(1)] + PLACEHOLDER + pdf_bytes[match.end(1):]
    return match.group(1).decode("ascii"), hashlib.sha256(unsealed).hexdigest()
