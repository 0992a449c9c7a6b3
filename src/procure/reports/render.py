"""The audit report as PDF: Jinja templates laid out by WeasyPrint, with its evidence attached.

`render_report` is pure given its inputs: the caller passes the generation time and the
report id, and the same inputs give the same bytes (fixed PDF identifier, attachment
dates and SVG ids).
"""

from __future__ import annotations

import base64
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from procure import __version__
from procure.domain.model import Clause, Contract, ContractRecords
from procure.engine.collector import collector_paused
from procure.engine.rules import RULES
from procure.reports.attachments import DIGEST_META_NAME, attachments_digest, report_files
from procure.reports.charts import progress_chart_svg
from procure.reports.evidence import COUNTED, EXCLUDED, placement_evidence, result_json
from procure.reports.fetcher import MemoryOnlyFetcher
from procure.reports.formatting import Formatter
from procure.reports.i18n import Catalogue
from procure.reports.seal import PLACEHOLDER as SEAL_PLACEHOLDER
from procure.reports.seal import seal
from procure.resources import resource_dir

TEMPLATE_DIR = resource_dir("templates") / "report"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def rule_in_plain_language(clause: Clause, t: Catalogue) -> str:
    try:
        from procure.engine.rules import RULES

        return RULES[clause.rule].describe(clause, t.lang)
    except (ImportError, KeyError, AttributeError, TypeError):
        return t.rule(clause.rule)


@dataclass
class _Figures:
    """Formats a clause's figures by what they measure: a share, money or an amount."""

    fmt: Formatter
    rule: str
    measure: str | None = None  # "amount" | "share" | "deadline", as the result says

    def __call__(self, value: Any) -> str:
        if value is None:
            return "–"
        rule = RULES.get(self.rule)
        if self.measure == "share" or (self.measure is None and rule is not None and rule.measure == "share"):
            return self.fmt.share(value)
        if rule is not None and rule.money:
            return self.fmt.money(round(Decimal(str(value))))
        return self.fmt.number(value)


def _period_rows(data: dict[str, Any], figure: _Figures, fmt: Formatter) -> list[dict[str, str]]:
    rows = []
    for period in data.get("periods") or []:
        start, end = period.get("start"), period.get("end")
        label = period.get("label") or (
            f"{fmt.date(date.fromisoformat(start))} – {fmt.date(date.fromisoformat(end))}" if start and end else ""
        )
        rows.append({
            "label": label,
            "status": period.get("status", "pending"),
            "actual": figure(period.get("actual")),
            "target": figure(period.get("target")),
        })
    return rows if len(rows) > 1 else []


def _clause_views(contract: Contract, records: ContractRecords, data: dict[str, Any], as_of: date,
                  lang: str, fmt: Formatter, t: Catalogue, charts: bool,
                  progress: dict[str, list[tuple[date, Any]]] | None) -> list[dict[str, Any]]:
    by_code = {clause.code: clause for clause in contract.clauses}
    waivers = defaultdict(list)
    for waiver in contract.waivers:
        waivers[waiver.clause_code].append(waiver.reason)
    if charts and progress is None:  # the command line's report of files: no read model to ask
        from procure.engine.series import progress as engine_progress

        progress = engine_progress(contract, records, as_of)
    views = []
    for item in data.get("clauses", []):
        clause = by_code.get(item["code"])
        figure = _Figures(fmt, item.get("rule", ""), item.get("measure"))
        chart_uri = None
        if charts and clause is not None and clause.rule in RULES and RULES[clause.rule].chart is not None:
            svg = progress_chart_svg(clause, item, contract, as_of, lang, (progress or {}).get(clause.code, []))
            chart_uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
        views.append({
            "code": item["code"],
            "title": clause.title if clause else item.get("title", ""),
            "text": clause.text if clause else "",
            "rule": item.get("rule", ""),
            "rule_plain": item.get("description")
            or (rule_in_plain_language(clause, t) if clause else t.rule(item.get("rule", ""))),
            "status": item.get("status", "pending"),
            "actual": figure(item.get("actual")),
            "target": figure(item.get("target")),
            "expected": figure(item.get("expected")),
            "shortfall": figure(item.get("shortfall")),
            "penalty": fmt.money(item.get("penalty_sek") or 0),
            "bonus": fmt.money(item["bonus_sek"]) if item.get("bonus_sek") else None,
            "explanation": item.get("explanation", ""),
            "counted_n": len(item.get("counted") or []),
            "excluded_n": len(item.get("excluded") or []),
            "waiver_reasons": waivers.get(item["code"], []),
            "periods": _period_rows(item, figure, fmt),
            "chart_uri": chart_uri,
        })
    return views


def _evidence_views(contract: Contract, records: ContractRecords, data: dict[str, Any],
                    fmt: Formatter, t: Catalogue) -> list[dict[str, Any]]:
    views = []
    for item in placement_evidence(contract, records, data):
        p, person = item.placement, item.participant
        facts = []
        if person and person.target_groups:
            facts.append(", ".join(t.target_group(g) for g in person.target_groups))
        if p.hours_per_week is not None:
            facts.append(f"{fmt.number(p.hours_per_week)} {t('hours_per_week')}")
        if p.days_per_week is not None:
            facts.append(t("days_per_week", days=fmt.number(p.days_per_week)))
        facts.append(f"{t('supervisor_trained')}: {t.yes_no(p.supervisor_trained)}")
        if p.employer_org_number:
            facts.append(f"{t('employer')} {p.employer_org_number}")
        facts.append(t.placement_status(p.status))
        if p.outcome:
            facts.append(f"{t('outcome')}: {t.outcome(p.outcome)}")
        verdicts = _verdict_lines(item.verdicts, t)
        views.append({
            "ref": p.participant_ref,
            "pid": p.id,
            "kind": t.placement_type(p.placement_type),
            "span": f"{fmt.short_date(p.start)} – {fmt.short_date(p.end) if p.end else t('ongoing')}",
            "facts": " · ".join(facts),
            "verdicts": verdicts,
        })
    return views


# Marks rather than colours: the appendix is set as plain text (see report.css), and a
# mark survives black-and-white printing and text extraction.
_MARKS = {"ok": "\u2713", "no": "\u2717", "na": "\u2013"}


def _verdict_lines(verdicts: tuple[Any, ...], t: Catalogue) -> list[str]:
    """Lines naming the clauses of each outcome: "✓ SC-1, SC-2: counts from 2016-05-08".

    A placement too short for one clause is usually too short for all of them; grouping
    keeps the appendix readable and short (and fast to lay out).
    """
    groups: dict[tuple[str, str], list[str]] = {}
    for v in verdicts:
        if v.verdict == COUNTED:
            key = ("ok", f"{t('counted_on')} {v.qualified_on}" if v.qualified_on else t("counted_n"))
        elif v.verdict == EXCLUDED:
            key = ("no", f"{t('not_counted')}: {v.reason or ''}")
        else:
            key = ("na", t("not_considered"))
        groups.setdefault(key, []).append(v.clause_code)
    lines: dict[str, list[str]] = {"ok": [], "no": [], "na": []}
    for (kind, text), codes in groups.items():
        lines[kind].append(f"{', '.join(codes)}: {text}")
    # Counted clauses share one line; each reason for not counting gets its own.
    # Indented under the placement's facts (the appendix keeps spaces: white-space: pre-wrap).
    result = [f"    {_MARKS['ok']} {' · '.join(lines['ok'])}"] if lines["ok"] else []
    result += [f"    {_MARKS[kind]} {line}" for kind in ("no", "na") for line in lines[kind]]
    return result


def _labour_hours(records: ContractRecords, fmt: Formatter) -> list[dict[str, str]]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for entry in records.labour_hours:
        totals[entry.employer_org_number] += Decimal(entry.hours)
    return [{"employer": org, "hours": fmt.number(hours)} for org, hours in sorted(totals.items())]


def report_html(contract: Contract, records: ContractRecords, result: Any, *, lang: str, generated_at: datetime,
                report_id: str, audit_head_hash: str | None, attachments_sha256: str, charts: bool = True,
                audit_head_sequence: int | None = None,
                progress: dict[str, list[tuple[date, Any]]] | None = None) -> str:
    """The report's HTML (exposed for the benchmark and for tests of the text). `progress`
    is the charts' series (`procure.engine.series.progress`), worked out here when not given."""
    fmt, t = Formatter(lang), Catalogue(lang)
    # Explanations, descriptions and reasons in the report's language; the attached
    # result.json stays SPEC's (English) JSON, which `procure evaluate` reproduces.
    data = result_json(result, lang)
    as_of = date.fromisoformat(data["as_of"])
    generated_at = _utc(generated_at)
    return _environment().get_template("report.html").render(
        lang=lang, t=t, fmt=fmt, contract=contract, as_of=as_of,
        overall=data.get("overall", "pending"),
        generated_at=generated_at,
        generated_at_w3c=generated_at.isoformat(timespec="seconds"),
        report_id=report_id,
        version=__version__,
        audit_head_hash=audit_head_hash,
        audit_head_sequence=audit_head_sequence,
        attachments_digest=attachments_sha256,
        digest_key=DIGEST_META_NAME,
        clauses=_clause_views(contract, records, data, as_of, lang, fmt, t, charts, progress),
        evidence=_evidence_views(contract, records, data, fmt, t),
        period_reports=sorted(records.period_reports, key=lambda r: r.period),
        labour_hours=_labour_hours(records, fmt),
    )


def stylesheet_text() -> str:
    return (TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")


_weasy = threading.local()


def _font_config() -> Any:
    """One WeasyPrint FontConfiguration per thread, kept across reports.

    Pango then keeps its fonts and shaping caches from one report to the next instead of
    loading them again; it is not safe to share between threads, hence one per thread.
    """
    from weasyprint.text.fonts import FontConfiguration

    if getattr(_weasy, "font_config", None) is None:
        _weasy.font_config = FontConfiguration()
    return _weasy.font_config


def _stylesheet() -> Any:
    """The report stylesheet, parsed once per thread (with that thread's fonts)."""
    from weasyprint import CSS

    if getattr(_weasy, "stylesheet", None) is None:
        _weasy.stylesheet = CSS(string=stylesheet_text(), url_fetcher=MemoryOnlyFetcher(),
                                base_url="procure-memory:report", font_config=_font_config())
    return _weasy.stylesheet


def html_to_pdf(html: str, *, attachments: dict[str, bytes] | None = None, generated_at: datetime | None = None,
                identifier: bytes | None = None, fetcher: MemoryOnlyFetcher | None = None) -> bytes:
    """Lay out report HTML with the memory-only fetcher and the report stylesheet."""
    from weasyprint import HTML, Attachment

    fetcher = fetcher or MemoryOnlyFetcher()
    moment = _utc(generated_at or datetime(1970, 1, 1))
    pdf_attachments = [
        Attachment(string=body, name=name, created=moment, modified=moment, url_fetcher=fetcher)
        for name, body in (attachments or {}).items()
    ]
    document = HTML(string=html, url_fetcher=fetcher, base_url="procure-memory:report")
    return document.write_pdf(
        stylesheets=[_stylesheet()],
        attachments=pdf_attachments,
        custom_metadata=True,
        pdf_identifier=identifier,
        uncompressed_pdf=False,
        font_config=_font_config(),
    )


def render_report(contract: Contract, records: ContractRecords, result: Any, *, lang: str = "sv",
                  generated_at: datetime, report_id: str, audit_head_hash: str | None = None,
                  audit_head_sequence: int | None = None,
                  progress: dict[str, list[tuple[date, Any]]] | None = None) -> bytes:
    """The audit report of `result` (the engine's result for `contract` and `records`) as
    PDF bytes; `audit_head_sequence` and `audit_head_hash` are the contract's audit chain's
    head; `progress` as for `report_html`."""
    # WeasyPrint builds a box per element and line and no cycles worth chasing mid-render.
    with collector_paused():
        files = report_files(contract, records, result)
        digest = attachments_digest(files)
        html = report_html(contract, records, result, lang=lang, generated_at=generated_at, report_id=report_id,
                           audit_head_hash=audit_head_hash, audit_head_sequence=audit_head_sequence,
                           attachments_sha256=digest, progress=progress)
        return seal(html_to_pdf(html, attachments=files, generated_at=generated_at, identifier=SEAL_PLACEHOLDER))
