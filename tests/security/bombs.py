"""Decompression bombs shaped like procure reports, made the way an attacker would."""

from __future__ import annotations

import zlib

from procure.reports.attachments import ATTACHMENT_NAMES
from procure.reports.seal import PLACEHOLDER, seal


def deflated_zeros(size: int) -> bytes:
    """`size` zero bytes, deflated (about a thousandth of `size`), made piecewise."""
    packer = zlib.compressobj(9)
    piece = bytes(1 << 20)
    parts = [packer.compress(piece) for _ in range(size // len(piece))]
    return b"".join(parts) + packer.flush()


def bomb_pdf(inflated_each: int = 60 * 1024 * 1024, copies: int = 2) -> bytes:
    """A minimal PDF whose embedded files are the report's five names, each `copies`
    times, each inflating to `inflated_each` bytes of zeros; sealed like a genuine report
    (the seal is a plain SHA-256 anyone can compute)."""
    body = deflated_zeros(inflated_each)
    names = [name for _ in range(copies) for name in ATTACHMENT_NAMES]
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    first_spec = 4
    entries = b" ".join(b"(%s) %d 0 R" % (name.encode(), first_spec + 2 * i) for i, name in enumerate(names))
    objects.append(b"<< /Names [" + entries + b"] >>")
    for i, name in enumerate(names):
        stream_number = first_spec + 2 * i + 1
        objects.append(b"<< /Type /Filespec /F (%s) /EF << /F %d 0 R >> >>" % (name.encode(), stream_number))
        objects.append(b"<< /Type /EmbeddedFile /Filter /FlateDecode /Length %d >>\nstream\n" % len(body)
                       + body + b"\nendstream")
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R /ID [(" % (len(objects) + 1) + PLACEHOLDER + b")("
            + PLACEHOLDER + b")] >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return seal(bytes(out))
