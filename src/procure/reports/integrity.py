"""Is this report genuine and self-consistent? The offline checks of a report PDF.

`verify_report_file` needs nothing but the file: it checks the seal over the raw bytes
first (nothing is inflated for a file procure did not write), then reads the attachments
as capped streams (`attachments.MAX_INFLATED_BYTES`), checks them
against the digest the report carries, re-runs the engine on them and compares with the
embedded result. Whether procure *issued* this exact file is a database question: the
service layer looks up `report_digest(pdf_bytes)` among the reports it has issued.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from procure.formats.errors import InputErrors
from procure.reports.attachments import (
    ATTACHMENT_NAMES,
    UnreadableReport,
    attachments_digest,
    embedded_digest,
    extract_attachments,
)
from procure.reports.seal import SealError, check_seal

# The checks, in the order they run; a failed check stops the ones after it.
CHECKS = ("content_digest", "readable", "attachments_present", "attachments_digest", "inputs_valid", "result_reproduced")


def report_digest(pdf_bytes: bytes) -> str:
    """SHA-256 (hex) of the whole file: the key under which an issued report is recorded."""
    return hashlib.sha256(pdf_bytes).hexdigest()


@dataclass(frozen=True)
class VerificationResult:
    valid: bool
    digest: str  # report_digest of the file
    passed: tuple[str, ...] = ()
    failed_check: str | None = None
    reason: str | None = None
    contract: str | None = None
    as_of: date | None = None
    overall: str | None = None
    details: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "valid": self.valid, "digest": self.digest, "passed": list(self.passed),
            "failed_check": self.failed_check, "reason": self.reason, "contract": self.contract,
            "as_of": self.as_of.isoformat() if self.as_of else None, "overall": self.overall,
            "details": list(self.details),
        }


def _comparable(result: dict[str, Any]) -> dict[str, Any]:
    """The result with placement ids taken out.

    The placements CSV carries no ids: reading it back names each placement by
    participant, start and type, while a report made from the database used the database's
    ids. Everything else (each counted or excluded participant, date and reason) must match.
    """
    data = json.loads(json.dumps(result))
    for clause in data.get("clauses", []):
        for key in ("counted", "excluded"):
            for entry in clause.get(key) or []:
                entry.pop("placement_id", None)
    return data


def _differences(expected: Any, actual: Any, path: str = "", limit: int = 5) -> list[str]:
    found: list[str] = []
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if len(found) >= limit:
                break
            found += _differences(expected.get(key), actual.get(key), f"{path}.{key}" if path else key, limit - len(found))
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (a, b) in enumerate(zip(expected, actual)):
            if len(found) >= limit:
                break
            found += _differences(a, b, f"{path}[{index}]", limit - len(found))
    elif expected != actual:
        found.append(f"{path}: report says {json.dumps(expected, ensure_ascii=False)[:80]}, "
                     f"re-evaluation gives {json.dumps(actual, ensure_ascii=False)[:80]}")
    return found


def verify_report_file(pdf_bytes: bytes) -> VerificationResult:
    """The offline verification of a report: which check failed, and why, if any."""
    from procure.engine import evaluate
    from procure.reports.inputs import load_inputs

    digest = report_digest(pdf_bytes)
    passed: list[str] = []

    def fail(check: str, reason: str, **extra: Any) -> VerificationResult:
        return VerificationResult(False, digest, tuple(passed), check, reason, **extra)

    # The seal first: it needs only a hash of the raw bytes, so a file procure did not
    # write (a decompression bomb, say) is turned away before anything is inflated.
    try:
        sealed, computed = check_seal(pdf_bytes)
    except SealError as error:
        return fail("content_digest", str(error))
    if sealed != computed:
        return fail("content_digest", "the file has been changed since it was made: its content digest does not match")
    passed.append("content_digest")

    try:
        files = extract_attachments(pdf_bytes)
        claimed = embedded_digest(pdf_bytes)
    except UnreadableReport as error:
        return fail("readable", str(error))
    passed.append("readable")

    missing = [name for name in ATTACHMENT_NAMES if name not in files]
    if missing:
        return fail("attachments_present", f"the report lacks the attachment(s) {', '.join(missing)}")
    passed.append("attachments_present")

    if claimed is None:
        return fail("attachments_digest", "the report carries no attachments digest")
    actual_digest = attachments_digest(files)
    if claimed != actual_digest:
        return fail("attachments_digest",
                    f"the attachments do not match the report's digest ({claimed[:12]}…, computed {actual_digest[:12]}…)")
    passed.append("attachments_digest")

    try:
        embedded = json.loads(files["result.json"].decode("utf-8"))
        as_of = date.fromisoformat(embedded["as_of"])
        contract_ref, overall = embedded.get("contract"), embedded.get("overall")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        return fail("inputs_valid", f"result.json is not a result: {error}")
    try:
        contract, records = load_inputs(
            ("contract.toml", files["contract.toml"]), ("placements.csv", files["placements.csv"]),
            ("hours.csv", files["hours.csv"]), ("reports.csv", files["reports.csv"]),
        )
    except InputErrors as errors:
        return fail("inputs_valid", f"the attached files do not read back: {errors.errors[0]}",
                    details=tuple(str(e) for e in errors.errors))
    passed.append("inputs_valid")

    recomputed = evaluate(contract, records, as_of).to_json()
    differences = _differences(_comparable(embedded), _comparable(recomputed))
    extra = {"contract": contract_ref, "as_of": as_of, "overall": overall}
    if differences:
        return fail("result_reproduced", "re-evaluating the attached files gives a different result",
                    details=tuple(differences), **extra)
    passed.append("result_reproduced")
    return VerificationResult(True, digest, tuple(passed), **extra)
