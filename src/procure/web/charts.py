"""The progress chart of a clause for the dashboard, embedded as an SVG image: the read
model's (procure.services.compliance.chart), drawn by the report's own
`progress_chart_svg`, so the same chart as in the PDF."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from procure.services import compliance as read_model
from procure.services.access import ContractAccess


def clause_chart_svg(db: Session, access: ContractAccess, code: str, as_of: date, lang: str) -> str:
    return read_model.chart(db, access, code, as_of, lang)
