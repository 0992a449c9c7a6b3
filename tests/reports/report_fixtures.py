"""Report test helpers: the example contracts evaluated and rendered once per session.

Rendering a report takes a second or two, so each (contract, language) is rendered once
and shared by the tests that read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from procure.domain.model import Contract, ContractRecords

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
GENERATED_AT = datetime(2026, 11, 22, 18, 5, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Rendered:
    name: str
    lang: str
    contract: Contract
    records: ContractRecords
    result: dict[str, Any]  # SPEC's JSON (English sentences), as attached to the PDF
    said: dict[str, Any]  # the same result with its sentences in the report's language
    pdf: bytes

    @property
    def text(self) -> str:
        return pdf_text(self.pdf)


def example_inputs(name: str) -> tuple[Contract, ContractRecords]:
    from procure.reports.inputs import load_input_files

    def optional(suffix: str) -> Path | None:
        path = CONTRACTS / f"{name}.{suffix}"
        return path if path.exists() else None

    return load_input_files(CONTRACTS / f"{name}.toml", CONTRACTS / f"{name}.placements.csv",
                            optional("hours.csv"), optional("reports.csv"))


def plain(text: str) -> str:
    """`text` with runs of whitespace (including no-break spaces) made one space."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF, `plain`."""
    import io

    from pypdf import PdfReader

    return plain(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages))


def render(name: str, lang: str, as_of: date) -> Rendered:
    from procure.engine import evaluate
    from procure.reports.render import render_report

    contract, records = example_inputs(name)
    result = evaluate(contract, records, as_of)
    pdf = render_report(contract, records, result, lang=lang, generated_at=GENERATED_AT,
                        report_id=f"R-{name}-{lang}", audit_head_hash="c0ffee" * 10 + "abcd")
    return Rendered(name, lang, contract, records, result.to_json(), result.to_json(lang), pdf)


_CACHE: dict[tuple[str, str, date], Rendered] = {}


def rendered(name: str, lang: str, as_of: date = date(2018, 6, 30)) -> Rendered:
    key = (name, lang, as_of)
    if key not in _CACHE:
        _CACHE[key] = render(name, lang, as_of)
    return _CACHE[key]
