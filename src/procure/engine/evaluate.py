"""`evaluate(contract, records, as_of)`: every clause counted by its rule, then judged.

Pure: the result depends only on the arguments. Placements are indexed once
(`RecordIndex`) and each clause makes one pass over them; clauses that share filters
share the qualification pass.

Clause-level figures of a clause with several periods (the per-period figures are in
`periods`; only periods that have started by `as_of` are listed, or the first period
when the contract has not started):

- amounts: actual, target, expected and shortfall are totals over the listed periods;
- shares: the figures of the worst period (the latest of equally bad ones);
- deadlines (reporting): actual = reports on time, target = reports listed, expected =
  reports whose due date has passed or that are in, shortfall = breached reports.

The clause's status is its worst period's; waived periods (the buyer's good-faith
waiver, for the period holding the waiver's `period_start`, or for every period when it
has none) carry no penalty, and a clause whose periods are all waived is `waived`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from procure.domain.model import Clause, Contract, ContractRecords, Waiver
from procure.engine.collector import collector_paused
from procure.engine.explain import clause_sentence
from procure.engine.judge import bonus_sek, capped, judge_period, severity, worst
from procure.engine.records import RecordIndex, fraction
from procure.engine.result import ClauseResult, ContractResult, PeriodResult
from procure.engine.rules import DEFAULT_TOLERANCE, RULES, PeriodTally, Rule
from procure.engine.wording import render


class UnknownRule(ValueError):
    """A clause names a rule kind that is not in `procure.engine.rules.RULES`."""


def evaluate(contract: Contract, records: ContractRecords, as_of: date) -> ContractResult:
    with collector_paused(keep_made=True):
        clauses = _evaluate_clauses(contract, records, as_of)
    overall = worst(c.status for c in clauses) if clauses else "met"
    return ContractResult(contract.reference, as_of, overall, clauses)


def _evaluate_clauses(contract: Contract, records: ContractRecords, as_of: date) -> tuple[ClauseResult, ...]:
    # The index (a view of every placement, the qualification lists, …) is dropped here,
    # by reference counting, before the collector resumes: otherwise its first pass
    # would walk all of it only to find it is still alive.
    index = RecordIndex(contract, records, as_of)
    return tuple(evaluate_clause(contract, clause, index) for clause in contract.clauses)


def _waiver_for(waivers: list[Waiver], tally: PeriodTally) -> str | None:
    for waiver in waivers:
        if waiver.period_start is None or tally.period.start <= waiver.period_start <= tally.period.end:
            return waiver.reason
    return None


def rule_for(clause: Clause, contract: Contract) -> Rule:
    rule_class = RULES.get(clause.rule)
    if rule_class is None:
        raise UnknownRule(f"clause {clause.code}: unknown rule {clause.rule!r} (known: {', '.join(sorted(RULES))})")
    return rule_class(clause, contract)


@dataclass(frozen=True)
class Judged:
    """A clause's periods judged on `as_of`, and the clause's figures from them."""

    periods: list[PeriodResult]
    status: str
    actual: Fraction
    target: Fraction
    expected: Fraction
    shortfall: Fraction
    penalty_sek: int
    bonus_sek: int
    worst_index: int | None
    waived_reason: str | None


def judge_clause(rule: Rule, tallies: list[PeriodTally], as_of: date) -> Judged:
    """The judging every evaluation shares, whether of one date (`evaluate`) or many
    (`procure.engine.series`): so their figures cannot differ."""
    clause, contract, measure = rule.clause, rule.contract, rule.measure
    listed = [t for t in tallies if t.period.start <= as_of] or tallies[:1]
    if measure == "deadline":
        listed = tallies
    tolerance = rule.param("tolerance")
    tolerance = DEFAULT_TOLERANCE if tolerance is None else fraction(tolerance)
    waivers = sorted((w for w in contract.waivers if w.clause_code == clause.code),
                     key=lambda w: (w.period_start or date.min, w.reason))
    periods: list[PeriodResult] = []
    raw_penalty = Fraction(0)
    for t in listed:
        result, penalty = judge_period(measure, t, as_of, tolerance, _waiver_for(waivers, t), clause.penalty)
        periods.append(result)
        raw_penalty += penalty
    penalty_sek = capped(raw_penalty, clause.penalty.cap_sek) if clause.penalty else 0
    if not periods:
        status = "on_track" if measure == "deadline" else "pending"
    else:
        status = worst(p.status for p in periods)
    worst_index = None
    if periods:
        worst_index = max(range(len(periods)), key=lambda i: (-severity(periods[i].status), i))
    actual, target, expected, shortfall = _clause_figures(measure, periods, worst_index, as_of)
    waived_reason = None
    if periods and status == "waived":
        waived_reason = "; ".join(dict.fromkeys(p.waived_reason or "" for p in periods))
    bonus = 0 if status == "waived" else bonus_sek(measure, periods, clause.bonus)
    return Judged(periods, status, actual, target, expected, shortfall, penalty_sek, bonus, worst_index, waived_reason)


def evaluate_clause(contract: Contract, clause: Clause, index: RecordIndex) -> ClauseResult:
    rule = rule_for(clause, contract)
    as_of = index.as_of
    tally = rule.tally(index)
    j = judge_clause(rule, tally.periods, as_of)
    explanation = clause_sentence(rule.measure, rule.unit, rule.money, j.periods, j.worst_index, as_of, j.status)
    description = rule.description(clause)
    return ClauseResult(
        code=clause.code, rule=clause.rule, status=j.status, actual=j.actual, target=j.target, expected=j.expected,
        shortfall=j.shortfall, penalty_sek=j.penalty_sek,
        explanation=render(explanation, "en"),
        counted=tuple(tally.counted), excluded=tuple(tally.excluded), periods=tuple(j.periods),
        bonus_sek=j.bonus_sek,
        waived_reason=j.waived_reason, title=clause.title, description=render(description, "en"),
        measure=rule.measure, unit=rule.unit, money=rule.money,
        explanation_message=explanation, description_message=description,
    )


def _clause_figures(measure: str, periods: list[PeriodResult], worst_index: int | None, as_of: date):
    zero = Fraction(0)
    if not periods or worst_index is None:  # None exactly when there are no periods
        return zero, zero, zero, zero
    if measure == "share":
        p = periods[worst_index]
        return p.actual, p.target, p.expected, p.shortfall
    if measure == "deadline":
        due = sum(1 for p in periods if p.status in ("met", "breached"))
        return (sum((p.actual for p in periods), zero), Fraction(len(periods)), Fraction(due),
                sum((p.shortfall for p in periods), zero))
    return tuple(sum((getattr(p, name) for p in periods), zero) for name in ("actual", "target", "expected", "shortfall"))
