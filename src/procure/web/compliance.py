"""What the compliance pages show of the engine's result: cards per clause and a forecast.

The figures are the read model's (procure.services.compliance: the engine on the stored
contract, cached per data version); this module only arranges them for a page and adds
the pace-based forecast, a straight-line reading of the engine's own actual figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from sqlmodel import Session

from procure.engine import ContractResult
from procure.engine.result import ClauseResult, PeriodResult, render
from procure.engine.rules import RULES
from procure.services import compliance as read_model
from procure.services.access import ContractAccess


@dataclass(frozen=True)
class Forecast:
    kind: str  # met | reached | missed | none
    on: date | None = None
    missed_by: Fraction | None = None


@dataclass
class ClauseCard:
    result: ClauseResult
    rule_text: str
    legal_text: str
    forecast: Forecast | None
    explanation: str = ""
    excluded: list[tuple[str, str]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.result.figure_kind


@dataclass
class Compliance:
    result: ContractResult
    cards: list[ClauseCard]

    @property
    def penalty_sek(self) -> int:
        return sum(c.penalty_sek for c in self.result.clauses)


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


def compliance(db: Session, access: ContractAccess, as_of: date, lang: str = "sv") -> Compliance:
    """The dashboard of a contract as the party may see it (the read model's `result_for`:
    a subcontractor's lists hold only its own placements, the rest as totals; the figures
    are the contract's)."""
    result = read_model.result_for(db, access, read_model.result(db, access, as_of))
    clauses = {clause.code: clause for clause in read_model.inputs(db, access).contract.clauses}
    cards = []
    for clause in result.clauses:
        stored = clauses.get(clause.code)
        rule = RULES.get(stored.rule) if stored else None
        cards.append(ClauseCard(
            result=clause,
            rule_text=rule.describe(stored, lang) if rule and stored else clause.rule,
            legal_text=stored.text if stored else "",
            forecast=forecast(clause, as_of),
            explanation=clause.explanation_in(lang),
            excluded=[(e.participant_ref, e.reason_in(lang)) for e in clause.excluded],
        ))
    return Compliance(result, cards)


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
