"""The files a report carries: present, pseudonymous, digested, and enough to re-run the engine."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest

from procure.reports.attachments import (
    ATTACHMENT_NAMES,
    attachments_digest,
    embedded_digest,
    extract_attachments,
)

from report_fixtures import rendered


def test_the_report_carries_every_attachment() -> None:
    report = rendered("remonthagen", "sv")
    files = extract_attachments(report.pdf)
    assert sorted(files) == sorted(ATTACHMENT_NAMES)
    assert json.loads(files["result.json"]) == report.result
    assert report.contract.reference in files["contract.toml"].decode()
    assert files["placements.csv"].decode().count("\n") == len(report.records.placements) + 1


def test_the_placements_attachment_has_no_personal_numbers() -> None:
    report = rendered("remonthagen", "sv")
    assert any(p.identity_hash for p in report.records.participants), "the example should use a personnummer"
    files = extract_attachments(report.pdf)
    for name, body in files.items():
        assert b"19121212" not in body, name
        assert b"personnummer" not in body, name
    assert "19121212" not in report.text


def test_the_embedded_digest_is_sha256sum_of_the_attachments_in_order() -> None:
    report = rendered("remonthagen", "en")
    files = extract_attachments(report.pdf)
    manifest = "".join(f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n" for name in sorted(files))
    assert embedded_digest(report.pdf) == hashlib.sha256(manifest.encode()).hexdigest()
    assert attachments_digest(files) == embedded_digest(report.pdf)


@pytest.mark.parametrize(
    ("name", "as_of"),
    [
        ("value-based", date(2018, 12, 31)),
        ("ingram-warehouse", date(2018, 6, 30)),
        ("remonthagen", date(2017, 6, 30)),
        # One person under two references (same personnummer): the person key keeps them one.
        ("remonthagen", date(2018, 6, 30)),
    ],
)
def test_evaluating_the_attachments_gives_the_identical_result(name: str, as_of: date) -> None:
    from procure.engine import evaluate
    from procure.reports.inputs import load_inputs

    report = rendered(name, "en", as_of)
    files = extract_attachments(report.pdf)
    contract, records = load_inputs(
        ("contract.toml", files["contract.toml"]), ("placements.csv", files["placements.csv"]),
        ("hours.csv", files["hours.csv"]), ("reports.csv", files["reports.csv"]),
    )
    again = evaluate(contract, records, date.fromisoformat(json.loads(files["result.json"])["as_of"]))
    assert json.dumps(again.to_json(), sort_keys=True) == json.dumps(report.result, sort_keys=True)
