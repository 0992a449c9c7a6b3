"""The audit report: a PDF that explains a contract's compliance and carries its own evidence.

- `render.render_report(contract, records, result, lang=, generated_at=, report_id=,
  audit_head_hash=)` -> PDF bytes (pure: the caller passes the time and the id);
- `integrity.verify_report_file(pdf_bytes)` -> VerificationResult, the offline check (seal,
  attachments digest, re-evaluation); `integrity.report_digest(pdf_bytes)` is the key under
  which the service layer records and looks up the reports it issued;
- `attachments.extract_attachments(pdf_bytes)` -> {name: bytes} (capped: MAX_INFLATED_BYTES);
- `evidence_export.evidence_rows / evidence_csv / evidence_xlsx` for spreadsheets;
- `charts.progress_chart_svg(clause, result, contract, records, as_of, lang)` for the PDF
  and the web pages alike.
"""
