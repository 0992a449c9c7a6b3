"""Offline verification: a genuine report passes, and each kind of tampering is named."""

from __future__ import annotations

import json
from datetime import date

import pytest

from procure.reports.integrity import report_digest, verify_report_file

from report_fixtures import GENERATED_AT, example_inputs, rendered


def test_a_genuine_report_verifies() -> None:
    report = rendered("value-based", "sv", date(2018, 12, 31))
    outcome = verify_report_file(report.pdf)
    assert outcome.valid, outcome.reason
    assert outcome.contract == report.contract.reference
    assert outcome.as_of == date(2018, 12, 31)
    assert outcome.overall == report.result["overall"]
    assert outcome.digest == report_digest(report.pdf)


@pytest.mark.parametrize("position", [0.1, 0.5, 0.9, 0.999])
def test_a_changed_byte_anywhere_fails(position: float) -> None:
    pdf = rendered("value-based", "sv", date(2018, 12, 31)).pdf
    index = int(len(pdf) * position)
    tampered = pdf[:index] + bytes([pdf[index] ^ 0x01]) + pdf[index + 1:]
    outcome = verify_report_file(tampered)
    assert not outcome.valid
    assert outcome.failed_check in ("readable", "content_digest")
    assert outcome.digest != report_digest(pdf)


def test_not_a_pdf_is_unreadable() -> None:
    outcome = verify_report_file(b"%PDF-1.7 this is not really a PDF")
    assert not outcome.valid
    assert outcome.failed_check in ("readable", "content_digest")


def _forged(files_change, digest_from_changed: bool) -> bytes:
    """A report sealed like a genuine one, but whose attachments were changed before sealing."""
    from procure.engine import evaluate
    from procure.reports.attachments import attachments_digest, report_files
    from procure.reports.render import html_to_pdf, report_html
    from procure.reports.seal import PLACEHOLDER, seal

    contract, records = example_inputs("value-based")
    result = evaluate(contract, records, date(2018, 12, 31))
    files = report_files(contract, records, result)
    original_digest = attachments_digest(files)
    files = files_change(files)
    digest = attachments_digest(files) if digest_from_changed else original_digest
    html = report_html(contract, records, result, lang="en", generated_at=GENERATED_AT, report_id="R-forged",
                       audit_head_hash=None, attachments_sha256=digest, charts=False)
    return seal(html_to_pdf(html, attachments=files, generated_at=GENERATED_AT, identifier=PLACEHOLDER))


def _better_result(files: dict[str, bytes]) -> dict[str, bytes]:
    data = json.loads(files["result.json"])
    data["overall"] = "met"
    for clause in data["clauses"]:
        clause["status"], clause["penalty_sek"] = "met", 0
    return {**files, "result.json": json.dumps(data).encode()}


def test_attachments_swapped_after_the_digest_was_taken_fail_the_attachment_check() -> None:
    outcome = verify_report_file(_forged(_better_result, digest_from_changed=False))
    assert (outcome.valid, outcome.failed_check) == (False, "attachments_digest")


def test_a_result_the_attachments_do_not_give_fails_the_reproduction_check() -> None:
    outcome = verify_report_file(_forged(_better_result, digest_from_changed=True))
    assert (outcome.valid, outcome.failed_check) == (False, "result_reproduced")
    assert any("overall" in detail or "status" in detail for detail in outcome.details)


def test_a_missing_attachment_is_named() -> None:
    def drop_hours(files: dict[str, bytes]) -> dict[str, bytes]:
        return {name: body for name, body in files.items() if name != "hours.csv"}

    with pytest.raises(KeyError):
        _forged(drop_hours, digest_from_changed=True)  # the digest itself needs them all
    outcome = verify_report_file(_forged(drop_hours, digest_from_changed=False))
    assert (outcome.valid, outcome.failed_check) == (False, "attachments_present")
    assert "hours.csv" in outcome.reason


def test_the_same_inputs_give_the_same_bytes() -> None:
    from procure.engine import evaluate
    from procure.reports.render import render_report

    contract, records = example_inputs("ingram-warehouse")
    result = evaluate(contract, records, date(2018, 6, 30))
    first, second = (render_report(contract, records, result, lang="en", generated_at=GENERATED_AT,
                                   report_id="R-same", audit_head_hash=None) for _ in range(2))
    assert first == second
