"""Audit reports of stored contracts: issuing them (each download recorded), the evidence
spreadsheets, and recognising a report this installation issued.

Issuing (`issue_report`, `issue_report_by_reference` for the command line) evaluates the
stored contract, renders the PDF (`procure.reports.render`), and records an
`IssuedReport` row — who received it, when, and the SHA-256 of the exact file — with an
audit-log entry in the same transaction. `verify_report` answers whether a file is one of
those, alongside the offline checks any auditor can repeat without us.

Rendering takes seconds, so finished PDFs are kept in a bounded in-process LRU cache,
keyed by everything the file depends on: the contract TOML, placements, hours and
reports CSV and result JSON it embeds, the placement ids its appendix prints, the
language, the contract and database, and the contract's data version
(procure.storage.data_version). Asking again for unchanged data returns the identical bytes, so the same digest:
it *is* the same report (same report id, same generation time), and the download is
recorded against it as another IssuedReport row with the same SHA-256. Each process has
its own cache: with several app servers, each renders (and records) its own first copy,
which is as genuine as any other. Report downloads change no data version (they change
nothing a report shows), so they never make the next one a miss.

A report prints its contract chain's head (position and hash) as read with the data it
shows, and that head is recorded with the first issuance (`RecordedHead`): `procure audit
verify` fails if the chain is later cut short below it or rewritten. A copy served again
for unchanged data prints the head of its first issuance, which is still in the chain.

Concurrent requests for the same key share one render (`_render_once`): the first
renders, records its issuance and keeps the file; the others wait for it and record
theirs against the same file. Renders run on a small executor of their own
(RENDER_THREADS), so that however many are asked for, only that many compete for the CPU
with the threads serving other requests; and each user may wait for at most
`render_limits.RENDERS_PER_USER` renders at once (429 beyond, counted in the database).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cachetools import LRUCache
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from procure.domain.audit_chain import Head
from procure.domain.model import Contract as DomainContract
from procure.domain.model import ContractRecords
from procure.engine import ContractResult
from procure.reports.attachments import report_files
from procure.reports.evidence_export import evidence_csv, evidence_rows, evidence_xlsx
from procure.reports.integrity import VerificationResult, report_digest, verify_report_file
from procure.reports.render import render_report
from procure.services import audit_log, compliance
from procure.services.access import Action, Principal, contract_for
from procure.services.contracts import contract_by_reference
from procure.services.errors import FieldProblem, InvalidInput, ServiceError, TooLarge
from procure.services.render_limits import render_slot
from procure.storage.models import Contract, IssuedReport
from procure.storage.models.reporting import REPORT_LANGUAGES

MAX_REPORT_BYTES = 20 * 1024 * 1024  # what POST /api/reports/verify accepts
CACHE_BYTES = 64 * 1024 * 1024  # a report of 1,000 placements is well under 1 MB
DEFAULT_LANG = "sv"  # procure's buyers are Swedish public bodies
LANGUAGES = REPORT_LANGUAGES

# The audit-log entry of a report download: (action, object type).
ISSUE_ACTION, REPORT_OBJECT = "issue", "report"

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- reading and evaluating a stored contract ------------------------------------------


@dataclass(frozen=True)
class _Snapshot:
    contract: DomainContract
    records: ContractRecords
    result: ContractResult
    audit_head: Head  # the contract chain's head when the data was read (printed in the report)
    data_head: str  # the contract's data version (procure.storage.data_version): part of the cache key
    progress: dict[str, list[tuple[date, Any]]]  # the charts' series


def _snapshot(session: Session, contract_id: uuid.UUID, as_of: date) -> _Snapshot:
    # The chain's head is read before the data: a change committed in between can then
    # only make the printed head older than the data, never newer.
    audit_head = audit_log.head(session, contract_id)
    # The read model's inputs, result and charts' series, all of one data version.
    read = compliance.snapshot(session, contract_id, as_of)
    return _Snapshot(read.contract, read.records, read.result, audit_head, str(read.version), read.progress)


# -- the cache --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rendered:
    pdf: bytes
    sha256: str
    report_id: uuid.UUID  # printed in the PDF; also the id of its first IssuedReport row


_cache: LRUCache[str, _Rendered] = LRUCache(maxsize=CACHE_BYTES, getsizeof=lambda rendered: len(rendered.pdf))
_cache_lock = threading.Lock()


def _cache_key(session: Session, contract_id: uuid.UUID, as_of: date, lang: str, snapshot: _Snapshot) -> str:
    digest = hashlib.sha256()
    for part in (str(session.get_bind().engine.url), str(contract_id), as_of.isoformat(), lang, snapshot.data_head):
        digest.update(part.encode("utf-8") + b"\0")
    files = report_files(snapshot.contract, snapshot.records, snapshot.result)
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(files[name]).digest())
    # The evidence appendix prints placement ids, which the placements CSV does not carry.
    digest.update("\n".join(str(p.id) for p in snapshot.records.placements).encode("utf-8"))
    return digest.hexdigest()


def _cached(key: str) -> _Rendered | None:
    with _cache_lock:
        return _cache.get(key)


def _keep(key: str, rendered: _Rendered) -> None:
    with _cache_lock:
        try:  # noqa: SIM105  (the comment below says why the error is ignored)
            _cache[key] = rendered
        except ValueError:  # larger than the whole cache: serve it, do not keep it
            pass


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


# -- one render per key, on the renderers' own threads ------------------------------------

RENDER_THREADS = 2
_renderers = ThreadPoolExecutor(max_workers=RENDER_THREADS, thread_name_prefix="procure-render")
_in_flight: dict[str, Future[_Rendered]] = {}  # guarded by _cache_lock


def _render_once(key: str, render: Callable[[], _Rendered],
                 record: Callable[[_Rendered, bool], IssuedReport]) -> tuple[_Rendered, IssuedReport, bool]:
    """The file for `key` and this request's issuance row: rendered here if no one else
    is rendering it (first=True: its row is the first issuance, and only once that is
    committed is the file kept and handed to those waiting), else the one being rendered."""
    with _cache_lock:
        rendered = _cache.get(key)
        flight = None if rendered is not None else _in_flight.get(key)
        leader = rendered is None and flight is None
        if leader:
            flight = _in_flight[key] = Future()
    if rendered is None and not leader:
        assert flight is not None
        rendered = flight.result()
    if rendered is not None:
        return rendered, record(rendered, False), False
    assert flight is not None
    try:
        rendered = _renderers.submit(render).result()
        row = record(rendered, True)
        _keep(key, rendered)
        flight.set_result(rendered)
        return rendered, row, True
    except BaseException as error:
        flight.set_exception(error)
        raise
    finally:
        with _cache_lock:
            _in_flight.pop(key, None)


# -- issuing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedPdf:
    pdf: bytes
    filename: str  # e.g. OH-2016-REMONTHAGEN_2018-06-30_sv.pdf
    sha256: str
    report_id: uuid.UUID  # the id printed in the PDF
    download: IssuedReport  # this download's row (its id is report_id for the first one)
    reference: str
    overall: str
    cached: bool


def check_language(lang: str | None) -> str:
    if lang is None or lang == "":
        return DEFAULT_LANG
    if lang not in LANGUAGES:
        message = f"lang must be one of {', '.join(LANGUAGES)}, not {lang[:20]!r}"
        raise InvalidInput(message, [FieldProblem(message, field="lang")])
    return lang


def _file_safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "contract"


def report_filename(reference: str, as_of: date, lang: str) -> str:
    return f"{_file_safe(reference)}_{as_of.isoformat()}_{lang}.pdf"


def evidence_filename(reference: str, as_of: date, suffix: str) -> str:
    return f"{_file_safe(reference)}_{as_of.isoformat()}_evidence.{suffix}"


def _record_download(session: Session, actor: Principal | None, contract_id: uuid.UUID, as_of: date, lang: str,
                     rendered: _Rendered, printed_head: Head | None) -> IssuedReport:
    """`printed_head` for the first issuance of a rendering: the audit head it prints is
    recorded with it. Later downloads of the same file are the same report."""
    first = printed_head is not None
    row = IssuedReport(
        id=rendered.report_id if first else uuid.uuid4(), contract_id=contract_id, as_of=as_of, lang=lang,
        sha256=rendered.sha256, issued_to=actor.user_id if actor else None,
    )
    session.add(row)
    session.flush()
    if printed_head is not None:
        audit_log.record_head(session, contract_id, printed_head, row.id)
    reason = None if first else f"the same file as report {rendered.report_id}, downloaded again"
    audit_log.record(session, actor, ISSUE_ACTION, REPORT_OBJECT, row.id, after=audit_log.snapshot(row),
                     contract_id=contract_id, reason=reason)
    session.commit()
    return row


def _issue(session: Session, actor: Principal | None, contract_id: uuid.UUID, as_of: date, lang: str | None) -> IssuedPdf:
    lang = check_language(lang)
    snapshot = _snapshot(session, contract_id, as_of)
    key = _cache_key(session, contract_id, as_of, lang, snapshot)
    # End the read transaction: rendering takes seconds and needs no connection.
    session.commit()
    def render() -> _Rendered:
        report_id = uuid.uuid4()
        pdf = render_report(snapshot.contract, snapshot.records, snapshot.result, lang=lang,
                            generated_at=datetime.now(UTC), report_id=str(report_id),
                            audit_head_hash=snapshot.audit_head.hash,
                            audit_head_sequence=snapshot.audit_head.sequence, progress=snapshot.progress)
        return _Rendered(pdf, report_digest(pdf), report_id)

    def record(rendered: _Rendered, first: bool) -> IssuedReport:
        # The first issuance records the chain head it prints; later downloads are the same report.
        return _record_download(session, actor, contract_id, as_of, lang, rendered,
                                snapshot.audit_head if first else None)

    rendered = _cached(key)
    if rendered is not None:
        row, first = record(rendered, False), False
    else:
        with render_slot(session, actor.user_id if actor else None):  # TooBusy beyond the user's limit
            rendered, row, first = _render_once(key, render, record)
    reference = snapshot.contract.reference
    return IssuedPdf(rendered.pdf, report_filename(reference, as_of, lang), rendered.sha256, rendered.report_id,
                     row, reference, snapshot.result.overall, cached=not first)


def issue_report(session: Session, principal: Principal, contract_id: uuid.UUID | str, as_of: date,
                 lang: str | None = None) -> IssuedPdf:
    """The audit report PDF of a contract the principal may audit, recorded as issued to them."""
    access = contract_for(session, principal, contract_id, Action.AUDIT)
    return _issue(session, principal, access.contract.id, as_of, lang)


def issue_report_by_reference(session: Session, reference: str, as_of: date, lang: str | None = None,
                              buyer_org_number: str | None = None) -> IssuedPdf:
    """The command line's report of a stored contract: the operator has the database
    itself, so no principal; recorded as issued to nobody in particular."""
    contract = contract_by_reference(session, reference, buyer_org_number)
    return _issue(session, None, contract.id, as_of, lang)


# -- evidence spreadsheets -------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceFile:
    content: bytes
    filename: str
    media_type: str


def evidence_export(session: Session, principal: Principal, contract_id: uuid.UUID | str, as_of: date,
                    kind: str) -> EvidenceFile:
    """The evidence (one row per placement and clause) as CSV or XLSX, formulas neutralised."""
    access = contract_for(session, principal, contract_id, Action.AUDIT)
    snapshot = _snapshot(session, access.contract.id, as_of)
    rows = evidence_rows(snapshot.contract, snapshot.records, snapshot.result)
    reference = snapshot.contract.reference
    if kind == "csv":
        return EvidenceFile(evidence_csv(rows).encode("utf-8-sig"), evidence_filename(reference, as_of, "csv"), CSV_MEDIA_TYPE)
    if kind == "xlsx":
        return EvidenceFile(evidence_xlsx(rows), evidence_filename(reference, as_of, "xlsx"), XLSX_MEDIA_TYPE)
    raise ValueError(f"unknown evidence format {kind!r}")


# -- verification -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReportVerification:
    """Whether this installation issued the file, and the offline checks of it.

    `issued` is answered to anyone who holds the file (that is what verification is
    for); the database's details — contract, as_of, language, when, report id, number
    of downloads — only to whoever may read that contract. The offline checks only
    repeat what the file itself says.
    """

    issued: bool
    reason: str | None  # why the file is not issued or not valid; None when both are fine
    checks: dict[str, Any]  # procure.reports.integrity.VerificationResult.to_json()
    contract: str | None = None  # the reference
    contract_id: uuid.UUID | None = None
    as_of: date | None = None
    lang: str | None = None
    issued_at: datetime | None = None
    report_id: uuid.UUID | None = None
    downloads: int | None = None
    details_withheld: bool = field(default=False)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("contract_id", "report_id"):
            data[key] = str(data[key]) if data[key] else None
        for key in ("as_of", "issued_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def check_pdf(content: bytes, name: str = "file") -> None:
    if len(content) > MAX_REPORT_BYTES:
        message = f"the file is larger than {MAX_REPORT_BYTES // (1024 * 1024)} MB, which no procure report is"
        raise TooLarge(message, [FieldProblem(message, field=name)])
    if not content:
        message = "the file is empty: upload the report PDF"
        raise InvalidInput(message, [FieldProblem(message, field=name)])
    if not content.startswith(b"%PDF-"):
        message = "the file is not a PDF (it does not begin with %PDF-): upload the report PDF procure issued"
        raise InvalidInput(message, [FieldProblem(message, field=name)])


def issuances(session: Session, sha256: str) -> list[IssuedReport]:
    """Every download of the file with this digest, the first issuance first."""
    return list(session.exec(
        select(IssuedReport).where(IssuedReport.sha256 == sha256)
        .order_by(col(IssuedReport.issued_at), col(IssuedReport.id))
    ).all())


def verify_report(session: Session, principal: Principal | None, content: bytes,
                  offline: VerificationResult | None = None) -> ReportVerification:
    """Did this installation issue this file, and does it check out offline?

    `principal` None is the operator on the command line, who sees every detail;
    `offline` is `verify_report_file(content)` when the caller already has it.
    """
    check_pdf(content)
    checks = offline or verify_report_file(content)
    rows = issuances(session, checks.digest)
    failure = None if checks.valid else f"{checks.reason} (check {checks.failed_check})"
    if not rows:
        not_issued = "not issued by this installation: no report it issued has this content"
        return ReportVerification(False, f"{not_issued}; {failure}" if failure else not_issued, checks.to_json())
    # The first row is the first issuance (a cached copy is served only once that row is
    # committed): its id is the one printed in the PDF.
    first = rows[0]
    readable = True
    if principal is not None:
        try:
            contract_for(session, principal, first.contract_id, Action.READ)
            readable = True
        except ServiceError:
            readable = False
    reason = f"issued by this installation, but its offline checks fail: {failure}" if failure else None
    if not readable:
        return ReportVerification(True, reason, checks.to_json(), details_withheld=True)
    contract = session.get(Contract, first.contract_id)
    return ReportVerification(
        True, reason, checks.to_json(), contract=contract.reference if contract else None,
        contract_id=first.contract_id, as_of=first.as_of, lang=first.lang, issued_at=first.issued_at,
        report_id=first.id, downloads=len(rows),
    )


# -- the command line's view of the installation ---------------------------------------


def issue_from_configured_database(reference: str, as_of: date, lang: str | None = None,
                                   buyer_org_number: str | None = None) -> IssuedPdf:
    """`procure report --contract REFERENCE`: the report of a contract in the configured
    database. ConfigurationError when it cannot be reached; NotFound or InvalidInput
    (a ServiceError, whose message is for the user) for an unknown or ambiguous reference."""
    from procure.settings import get_settings
    from procure.storage.database import check_connection, get_engine

    engine = get_engine(get_settings().database_url)
    check_connection(engine)
    with Session(engine, expire_on_commit=False) as session:
        return issue_report_by_reference(session, reference, as_of, lang, buyer_org_number)


def issuance_line(verification: ReportVerification | None, why_not_asked: str | None) -> str:
    """What `procure report verify` says about the installation, in one line."""
    if verification is None:
        return f"not checked against an installation: {why_not_asked}; offline checks only"
    if not verification.issued:
        return "not issued by this installation"
    when = verification.issued_at.isoformat(timespec="seconds") if verification.issued_at else "?"
    return (f"issued by this installation for {verification.contract} as of {verification.as_of} "
            f"(report {verification.report_id}, {verification.lang}, first issued {when}, "
            f"downloaded {verification.downloads} time{'s' if verification.downloads != 1 else ''})")


def installation_verification(content: bytes, offline: VerificationResult | None = None
                              ) -> tuple[ReportVerification | None, str | None]:
    """`procure report verify`'s question to the database, when there is one.

    (verification, None) when the configured database answered; (None, why not) when no
    database is configured (PROCURE_DATABASE_URL unset and no procure.sqlite3 here), or it
    cannot be reached or is not migrated: the offline checks then stand alone.
    """
    from procure.settings import ConfigurationError, get_settings
    from procure.storage.database import check_connection, create_database_engine, parse_database_url

    try:
        url = parse_database_url(get_settings().database_url)
    except ConfigurationError as error:
        return None, f"no database: {error}"
    if url.get_backend_name() == "sqlite" and not (url.database and Path(url.database).is_file()):
        # Connecting would create an empty database file.
        if not os.environ.get("PROCURE_DATABASE_URL"):
            return None, "no database configured (PROCURE_DATABASE_URL)"
        return None, f"the database file {url.database} does not exist"
    engine = create_database_engine(url.render_as_string(hide_password=False))
    try:
        check_connection(engine)
        with Session(engine, expire_on_commit=False) as session:
            return verify_report(session, None, content, offline), None
    except ConfigurationError as error:
        return None, str(error)
    except DBAPIError as error:
        return None, f"the database could not be asked ({type(error.orig).__name__})"
    finally:
        engine.dispose()


__all__ = [
    "CSV_MEDIA_TYPE",
    "DEFAULT_LANG",
    "LANGUAGES",
    "MAX_REPORT_BYTES",
    "XLSX_MEDIA_TYPE",
    "EvidenceFile",
    "IssuedPdf",
    "ReportVerification",
    "check_language",
    "check_pdf",
    "clear_cache",
    "evidence_export",
    "installation_verification",
    "issuances",
    "issue_report",
    "issue_from_configured_database",
    "issue_report_by_reference",
    "issuance_line",
    "report_filename",
    "verify_report",
]
