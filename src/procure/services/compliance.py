"""Compliance of a stored contract: the rules engine on what is stored, as of a date.

The result is the engine's own (`ContractResult.to_json()` is SPEC's shape, the same as
`procure evaluate --format json` prints), so the API, the CLI and the PDF report can
never disagree about a figure.

Results are cached in the process: on 1,000 placements and 8 clauses an answer costs
about 13 ms of engine, 6 ms of `to_json` and 1 ms of encoding (about 1 MB), besides
loading the records, and dashboards ask the same question over and over
(bench/compliance_bench.py measures the route under load).
The key includes the audit log's head (procure.services.freshness): every change to a
contract, its clauses or its records is logged in the same transaction, so any committed
change gives a new key. Entries for what the engine never reads (sign-ins' tokens,
accounts, report downloads, evidence files) are left out of that number: otherwise every
sign-in would empty every dashboard's cache. Concurrent requests for the same missing
entry wait for one evaluation instead of each running their own (after a change, every
open dashboard asks at once).

A principal let into a contract under the current head, asking for an answer already
made, is answered from memory (`remembered_compliance`): no worker thread, no query.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any

import msgspec
from sqlmodel import Session, col, select

from procure.engine import ContractResult, evaluate
from procure.services.access import Action, ContractAccess, Principal, contract_for
from procure.services.freshness import Head, read_head, remembered_head
from procure.services.visibility import visible_result
from procure.storage.mapping import load_contract_records
from procure.storage.models import Placement

CACHE_SIZE = 64


class _LruCache:
    """A small thread-safe cache, least recently used out."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.lock = threading.Lock()
        self.computing: dict[tuple[Any, ...], threading.Lock] = {}

    def get(self, key: tuple[Any, ...]) -> Any:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()

    def get_or_compute(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """The entry, computed once however many threads ask for it at the same time."""
        found = self.get(key)
        if found is not None or self.size == 0:  # size 0: caching off (benchmarks)
            return found if found is not None else compute()
        with self.lock:
            key_lock = self.computing.setdefault(key, threading.Lock())
        try:
            with key_lock:
                found = self.get(key)  # computed by the thread this one waited for
                if found is None:
                    found = compute()
                    self.put(key, found)
                return found
        finally:
            with self.lock:
                if self.computing.get(key) is key_lock:
                    del self.computing[key]


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


# (contract id, as_of, database, sequence) → Evaluation
_results = _LruCache(CACHE_SIZE)
# (contract id, database, sequence) → (Contract, ContractRecords): another as_of of the
# same contract needs only the engine.
_loaded = _LruCache(CACHE_SIZE // 4)


# (principal, contract id, audit-log head) -> the contract's id and the organisation whose
# placements alone the principal sees (None: all of them)
_decisions = _LruCache(4096)


def _evaluated(session: Session, contract_id: uuid.UUID, as_of: date, head: Head | None = None) -> Evaluation:
    # The head is read before the data: a change committed in between can then only make
    # this entry's key older than the data, never newer.
    head = head or read_head(session)
    marker = (head.database, head.evaluated)

    def run() -> Evaluation:
        loaded = _loaded.get_or_compute((contract_id, *marker), lambda: load_contract_records(session, contract_id))
        return Evaluation(evaluate(*loaded, as_of))

    return _results.get_or_compute((contract_id, as_of, *marker), run)


def evaluate_contract(session: Session, contract_id: uuid.UUID, as_of: date) -> ContractResult:
    """The engine's result for the stored contract and everything reported on it."""
    return _evaluated(session, contract_id, as_of).result


def own_placement_ids(session: Session, contract_id: uuid.UUID, organisation_id: uuid.UUID) -> set[str]:
    """The placements an organisation reported on a contract: exactly those it may GET
    (procure.services.placements.visible_placements)."""
    rows = session.exec(
        select(Placement.id).where(Placement.contract_id == contract_id, col(Placement.reported_by_org_id) == organisation_id)
    ).all()
    return {str(row) for row in rows}


def result_for(session: Session, access: ContractAccess, result: ContractResult) -> ContractResult:
    """The result as this party may see it (procure.services.visibility): the one place
    where a result becomes an answer for a viewer."""
    own = None if access.reporting_org_id is None else own_placement_ids(session, access.contract.id, access.reporting_org_id)
    return visible_result(result, own)


def compliance(session: Session, principal: Principal, contract_id: uuid.UUID | str, as_of: date) -> dict[str, Any]:
    """The compliance JSON a principal may see."""
    access = contract_for(session, principal, contract_id, Action.READ)
    evaluation = _evaluated(session, access.contract.id, as_of)
    if access.reporting_org_id is None:
        return evaluation.json  # shared with the cache: it is only read
    return result_for(session, access, evaluation.result).to_json()


def compliance_encoded(session: Session, principal: Principal, contract_id: uuid.UUID | str, as_of: date) -> bytes:
    """`compliance` as JSON bytes: the cached encoding when the principal sees it all."""
    head = read_head(session)
    access = contract_for(session, principal, contract_id, Action.READ)
    _decisions.put((principal, str(contract_id), head), (access.contract.id, access.reporting_org_id))
    evaluation = _evaluated(session, access.contract.id, as_of, head)
    if access.reporting_org_id is None:
        return evaluation.encoded()
    return msgspec.json.encode(result_for(session, access, evaluation.result).to_json())


def remembered_compliance(database: str, principal: Principal, contract_id: uuid.UUID | str, as_of: date) -> bytes | None:
    """`compliance_encoded` without the database, when this principal was let into this
    contract, and its answer for this date made, since the last change (see
    procure.services.freshness); None when it must be asked."""
    head = remembered_head(database)
    if head is None:
        return None
    decision = _decisions.get((principal, str(contract_id), head))
    if decision is None or decision[1] is not None:  # a subcontractor's share needs its placements
        return None
    evaluation = _results.get((decision[0], as_of, head.database, head.evaluated))
    return evaluation.encoded() if evaluation is not None else None
