"""The audit report PDF for a page download.

Until the reports service offers issuing a report (recording it as an IssuedReport for
`POST /api/reports/verify`), the page renders it with the report helper's
`render_report` on the engine's result, as `procure report` does.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from sqlmodel import Session

from procure.reports.integrity import report_digest
from procure.reports.render import render_report
from procure.services import audit_log
from procure.services.access import Principal
from procure.storage.models import IssuedReport
from procure.web.compliance import evaluate_stored


def issue_report_pdf(db: Session, principal: Principal, contract_id: uuid.UUID, as_of: date, lang: str) -> tuple[bytes, str]:
    contract, records, result = evaluate_stored(db, contract_id, as_of)
    report_id = uuid.uuid4()
    pdf = render_report(contract, records, result, lang=lang, generated_at=datetime.now(timezone.utc),
                        report_id=str(report_id), audit_head_hash=audit_log.head_hash(db))
    issued = IssuedReport(id=report_id, contract_id=contract_id, as_of=as_of, lang=lang, sha256=report_digest(pdf),
                          issued_to=principal.user_id)
    db.add(issued)
    db.flush()
    audit_log.record(db, principal, "issue", "report", issued.id, after=audit_log.snapshot(issued), contract_id=contract_id)
    db.commit()
    return pdf, contract.reference
