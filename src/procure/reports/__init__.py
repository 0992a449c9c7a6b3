"""The audit report: a PDF that explains a contract's compliance and carries its own evidence.

`render.render_report` builds the PDF; `integrity.verify_report_file` checks one offline;
`evidence_export` writes the same evidence for spreadsheets; `charts.progress_chart_svg`
draws a clause's progress for the PDF and the web pages alike.
"""
