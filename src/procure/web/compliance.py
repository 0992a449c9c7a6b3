"""What the compliance pages show of the engine's result: cards per clause and a forecast.

The figures are the engine's (`procure.engine.evaluate`, through the stored contract);
this module only arranges them for a page and adds the pace-based forecast, which is a
straight-line reading of the engine's own actual figure.
"""

from __future__ import annotations

import math
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from sqlmodel import Session, func, select

from procure.domain.model import Contract, ContractRecords
from procure.engine import ContractResult, evaluate
from procure.engine.result import ClauseResult, PeriodResult, render
from procure.engine.rules import RULES
from procure.services.access import ContractAccess
from procure.services.compliance import own_placement_ids
from procure.storage.mapping import load_contract_records
from procure.storage.models import AuditLogEntry


@dataclass(frozen=True)
class Forecast:
    kind: str  # met | reached | reached_late | missed | none
    on: date | None = None
    missed_by: Fraction | None = None


@dataclass
class ClauseCard:
    result: ClauseResult
    rule_text: str
    legal_text: str
    forecast: Forecast | None
    excluded: list[tuple[str, str]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.result.figure_kind


@dataclass
class Compliance:
    contract: Contract
    records: ContractRecords
    result: ContractResult
    cards: list[ClauseCard]

    @property
    def penalty_sek(self) -> int:
        return sum(c.penalty_sek for c in self.result.clauses)


# Evaluations kept by this process, keyed by the audit log's head: every change is
# logged in the same transaction as the change itself, so while the head stays the same
# the stored contract and records do too. Reading a contract of 1,000 placements costs
# more than evaluating it; a page and its charts reuse one reading.
_CACHE_SIZE = 32
_cache: OrderedDict[tuple, tuple[Contract, ContractRecords, ContractResult]] = OrderedDict()
_lock = threading.Lock()


def log_head(db: Session) -> int:
    return db.exec(select(func.max(AuditLogEntry.sequence))).one() or 0


def evaluate_stored(db: Session, contract_id: uuid.UUID, as_of: date) -> tuple[Contract, ContractRecords, ContractResult]:
    """The stored contract, its records and the engine's result as of a day."""
    key = (contract_id, as_of, log_head(db))
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    contract, records = load_contract_records(db, contract_id)
    value = (contract, records, evaluate(contract, records, as_of))
    with _lock:
        _cache[key] = value
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def _current_period(result: ClauseResult, as_of: date) -> PeriodResult | None:
    for period in result.periods:
        if period.start <= as_of <= period.end:
            return period
    return None


def forecast(result: ClauseResult, as_of: date) -> Forecast | None:
    """For an amount clause whose period is running: when the target is reached at the
    pace so far (actual ÷ days elapsed), or by how much it is missed at the period's end."""
    if result.measure != "amount" or result.status == "waived":
        return None
    period = _current_period(result, as_of)
    if period is None:
        return None
    if period.actual >= period.target:
        return Forecast("met")
    elapsed = (as_of - period.start).days + 1
    if period.actual <= 0 or elapsed <= 0:
        return Forecast("none")
    pace = Fraction(period.actual) / elapsed
    days_needed = math.ceil((Fraction(period.target) - Fraction(period.actual)) / pace)
    reached = as_of + timedelta(days=days_needed)
    if reached <= period.end:
        return Forecast("reached", on=reached)
    total = (period.end - period.start).days + 1
    projected = pace * total
    return Forecast("missed", missed_by=Fraction(period.target) - projected)


def rule_text(contract: Contract, code: str) -> str:
    clause = next(c for c in contract.clauses if c.code == code)
    rule = RULES.get(clause.rule)
    return rule.describe(clause) if rule else clause.rule


def compliance(db: Session, access: ContractAccess, as_of: date) -> Compliance:
    """The dashboard of a contract; a subcontractor's lists hold only its own placements
    (the compliance service's rule), the figures are the contract's."""
    contract, records, result = evaluate_stored(db, access.contract.id, as_of)
    own = None
    if access.reporting_org_id is not None:
        own = own_placement_ids(db, access.contract.id, access.reporting_org_id)
    texts = {c.code: c.text for c in contract.clauses}
    cards = [
        ClauseCard(
            result=clause,
            rule_text=rule_text(contract, clause.code),
            legal_text=texts.get(clause.code, ""),
            forecast=forecast(clause, as_of),
            excluded=[(e.participant_ref, e.reason) for e in clause.excluded if own is None or e.placement_id in own],
        )
        for clause in result.clauses
    ]
    return Compliance(contract, records, result, cards)


def figure(value: Fraction | None, kind: str) -> float | int | None:
    return render(value, kind)


def format_figure(fmt, value: Fraction | None, kind: str) -> str:
    """A clause figure as the reader writes it: a share as a percentage, money in kronor."""
    shown = render(value, kind)
    if shown is None:
        return "–"
    if kind == "share":
        return fmt.share(shown)
    if kind == "money":
        return fmt.money(shown)
    return fmt.number(shown)
