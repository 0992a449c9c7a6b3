"""The read model: the one path from stored data to the rules engine.

The API, the pages, the charts, the PDF reports and the command line all ask here; no
one else loads a contract's evaluation inputs or calls the engine on stored data, so they
can never disagree about a figure. The answers are the engine's own
(`ContractResult.to_json()` is SPEC's shape, the same as `procure evaluate --format json`).

    inputs     the contract and its records, as the engine reads them
    result     the engine's result on a date (with its JSON, encoded once)
    progress   every clause's actual over time up to a date, in one engine pass
    chart      a clause's progress chart, drawn

Every answer is kept in one cache (cachetools, least recently used out) under
(database, contract, data version, question). The data version is stored with the
contract and bumped in SQL in the same transaction as any change to the engine's inputs
(procure.storage.data_version); it is read from the database on every request, before
the data, so an answer is exact at once in every process: no clock decides freshness.
A session that has itself changed the contract and not yet committed computes without
caching (its version could be reached again by another transaction if it rolls back).

Access is still decided per request (`contract_for`, a database query); only the
answers are shared. `for_viewer` is the one place where a result becomes what a given
viewer may see.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any, TypeVar

import msgspec
from cachetools import LRUCache, cached
from sqlmodel import Session, col, select

from procure.domain.model import Contract, ContractRecords
from procure.engine import ContractResult, evaluate
from procure.engine.series import progress as engine_progress
from procure.services.access import Action, ContractAccess, Principal, contract_for
from procure.services.errors import NotFound
from procure.services.visibility import visible_result
from procure.storage import data_version
from procure.storage.mapping import load_contract_records
from procure.storage.models import Placement

CACHE_ENTRIES = 256  # answers of all kinds; a 1,000-placement result is about 1 MB

T = TypeVar("T")

_cache: LRUCache[tuple[Any, ...], Any] = LRUCache(maxsize=CACHE_ENTRIES)
_condition = threading.Condition()


@cached(_cache, key=lambda key, _compute: key, lock=_condition, condition=_condition)
def _kept(key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    # Concurrent askers of the same missing answer wait for one computation (after a
    # change, every open dashboard asks at once).
    return compute()


def clear_cache() -> None:
    """Tests and benchmarks: start from nothing kept."""
    with _condition:
        _cache.clear()


@dataclass(frozen=True)
class Inputs:
    contract: Contract
    records: ContractRecords
    version: int


class Evaluation:
    """One evaluation, its JSON, and that JSON encoded: encoding a 1,000-placement answer
    (about 1 MB) took longer than everything else a cached request does, so it is done
    once per evaluation rather than once per request."""

    __slots__ = ("result", "json", "_encoded", "_lock")

    def __init__(self, result: ContractResult):
        self.result = result
        self.json: dict[str, Any] = result.to_json()
        self._encoded: bytes | None = None
        self._lock = threading.Lock()

    def encoded(self) -> bytes:
        if self._encoded is None:
            with self._lock:
                if self._encoded is None:
                    self._encoded = msgspec.json.encode(self.json)
        return self._encoded


class _Moved(Exception):
    """The data version moved on while the inputs were read."""


@dataclass(frozen=True)
class _At:
    """Where an answer is kept: a session's view of one data version of one contract."""

    session: Session
    contract_id: uuid.UUID
    version: int
    keep: bool  # False: computed, not kept (see `_current`)

    def answer(self, question: tuple[Any, ...], compute: Callable[[], T]) -> T:
        if not self.keep:
            return compute()
        return _kept((str(self.session.get_bind().engine.url), self.contract_id, self.version, *question), compute)

    def inputs(self) -> Inputs:
        def load() -> Inputs:
            contract, records = load_contract_records(self.session, self.contract_id)
            # Each statement may see a newer commit (PostgreSQL's read committed, SQLite
            # outside a write): the version read again after the data tells whether
            # they all saw this version, so that every entry under it holds its data.
            if data_version.current(self.session, self.contract_id) != self.version:
                raise _Moved
            return Inputs(contract, records, self.version)

        return self.answer(("inputs",), load)

    def evaluation(self, as_of: date) -> Evaluation:
        def run() -> Evaluation:
            loaded = self.inputs()
            return Evaluation(evaluate(loaded.contract, loaded.records, as_of))

        return self.answer(("result", as_of), run)

    def progress(self, as_of: date) -> dict[str, list[tuple[date, Fraction]]]:
        def run() -> dict[str, list[tuple[date, Fraction]]]:
            loaded = self.inputs()
            return engine_progress(loaded.contract, loaded.records, as_of)

        return self.answer(("progress", as_of), run)


def _current(session: Session, contract_id: uuid.UUID, ask: Callable[[_At], T]) -> T:
    """`ask` of the contract's data as this transaction sees it now. The version is read
    before the data, and the inputs check it again after; when it moved on meanwhile the
    question is asked again of the newer version. A session that changed the contract
    itself and has not committed computes without keeping anything: another transaction
    could reach the same version number if this one rolls back."""
    own = contract_id in data_version.changed_here(session)
    for attempt in range(4):
        version = data_version.current(session, contract_id)
        if version is None:
            raise NotFound(f"contract {contract_id} not found")
        try:
            return ask(_At(session, contract_id, version, keep=not own and attempt < 3))
        except _Moved:
            if own or attempt == 3:
                raise
    raise AssertionError("unreachable")


# -- the questions ------------------------------------------------------------------------


def inputs(session: Session, access: ContractAccess) -> Inputs:
    """The contract's evaluation inputs, for a principal let in by `contract_for`."""
    return _current(session, access.contract.id, _At.inputs)


def _evaluation(session: Session, contract_id: uuid.UUID, as_of: date) -> Evaluation:
    return _current(session, contract_id, lambda at: at.evaluation(as_of))


def result(session: Session, access: ContractAccess, as_of: date) -> ContractResult:
    """The engine's result for the contract on `as_of` (the figures; lists unredacted:
    pages showing lists go through `visible_placements`)."""
    return _evaluation(session, access.contract.id, as_of).result


def contract_result(session: Session, contract_id: uuid.UUID, as_of: date) -> ContractResult:
    """`result` for a caller whose access was decided otherwise, in this request: the
    portfolio list (its contracts come from `visible_contracts`)."""
    return _evaluation(session, contract_id, as_of).result


def progress(session: Session, access: ContractAccess, as_of: date) -> dict[str, list[tuple[date, Fraction]]]:
    """Each clause's actual over time up to `as_of` (procure.engine.series.progress)."""
    return _current(session, access.contract.id, lambda at: at.progress(as_of))


@dataclass(frozen=True)
class Snapshot:
    """What a report shows: the inputs, the result and the charts' series of one data version."""

    contract: Contract
    records: ContractRecords
    result: ContractResult
    progress: dict[str, list[tuple[date, Fraction]]]
    version: int


def snapshot(session: Session, contract_id: uuid.UUID, as_of: date) -> Snapshot:
    """For the audit report and its evidence, whose service decided access (`contract_for`
    with Action.AUDIT, or the operator's command line): everything of one data version."""

    def ask(at: _At) -> Snapshot:
        loaded = at.inputs()
        return Snapshot(loaded.contract, loaded.records, at.evaluation(as_of).result, at.progress(as_of), at.version)

    return _current(session, contract_id, ask)


def chart(session: Session, access: ContractAccess, code: str, as_of: date, lang: str) -> str:
    """A clause's progress chart as SVG, drawn once per data version, date and language."""
    from procure.reports.charts import progress_chart_svg  # matplotlib: only when a chart is asked for

    def ask(at: _At) -> str:
        def draw() -> str:
            loaded = at.inputs()
            clause = next((c for c in loaded.contract.clauses if c.code == code), None)
            clause_result = next((c for c in at.evaluation(as_of).result.clauses if c.code == code), None)
            if clause is None or clause_result is None:
                raise NotFound(f"clause {code} not found")
            return progress_chart_svg(clause, clause_result, loaded.contract, as_of, lang,
                                      at.progress(as_of).get(code, []))

        return at.answer(("chart", code, as_of, lang), draw)

    return _current(session, access.contract.id, ask)


# -- what a viewer may see ---------------------------------------------------------------


def own_placement_ids(session: Session, contract_id: uuid.UUID, organisation_id: uuid.UUID) -> set[str]:
    """The placements an organisation reported on a contract: exactly those it may GET
    (procure.services.placements.visible_placements)."""
    rows = session.exec(
        select(Placement.id).where(Placement.contract_id == contract_id, col(Placement.reported_by_org_id) == organisation_id)
    ).all()
    return {str(row) for row in rows}


def visible_placements(session: Session, access: ContractAccess) -> set[str] | None:
    """The placements whose rows the viewer may see in a result's lists; None: all of them.
    A subcontractor sees those it reported; the figures stay the contract's (how the
    contract stands, not others' people). Read per request, never cached."""
    if access.reporting_org_id is None:
        return None
    return own_placement_ids(session, access.contract.id, access.reporting_org_id)


def result_for(session: Session, access: ContractAccess, result: ContractResult) -> ContractResult:
    """The result as this party may see it (procure.services.visibility: its own rows, the
    rest as totals, reasons without others' names): the one place where a result becomes
    an answer for a viewer."""
    return visible_result(result, visible_placements(session, access))


def for_viewer(session: Session, access: ContractAccess, evaluation: Evaluation) -> dict[str, Any] | None:
    """The one place where a result becomes a viewer's answer: the result's JSON with
    what the viewer may not see taken out, or None when it may see it all (then the
    shared JSON and its one encoding serve as they are)."""
    if access.reporting_org_id is None:
        return None
    return result_for(session, access, evaluation.result).to_json()


def compliance(session: Session, principal: Principal, contract_id: uuid.UUID | str, as_of: date) -> dict[str, Any]:
    """The compliance JSON a principal may see."""
    access = contract_for(session, principal, contract_id, Action.READ)
    evaluation = _evaluation(session, access.contract.id, as_of)
    shown = for_viewer(session, access, evaluation)
    return evaluation.json if shown is None else shown  # shared with the cache: only read


def compliance_encoded(session: Session, principal: Principal, contract_id: uuid.UUID | str, as_of: date) -> bytes:
    """`compliance` as JSON bytes: the cached encoding when the principal sees it all."""
    access = contract_for(session, principal, contract_id, Action.READ)
    evaluation = _evaluation(session, access.contract.id, as_of)
    shown = for_viewer(session, access, evaluation)
    return evaluation.encoded() if shown is None else msgspec.json.encode(shown)
