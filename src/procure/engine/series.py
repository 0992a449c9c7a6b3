"""The figures of every clause at many dates, in one pass over the records.

    from procure.engine.series import evaluate_series
    points = evaluate_series(contract, records, dates)   # one Figures per date
    points[i] == Figures.of(evaluate(contract, records, dates[i]))

A chart asks how a clause stood on two dozen dates. Evaluating the contract on each
would cost two dozen evaluations; but every count the rules make is cumulative in time
(a placement counts from its qualification date, its days from its start, an outcome
from its follow-up date), so one pass over the records as seen on the last date, noting
*when* each contribution starts and grows, gives the counts on every earlier date (each
rule's `tally_series`). Judging the per-date counts is the same `judge_clause` as
`evaluate`'s, so a series point and an evaluation at that date cannot disagree
(tests/engine/test_series.py checks them on every example contract and rule kind).

Only figures: no counted or excluded lists, no explanations.
`progress` is the question the charts ask: each clause's actual over time up to a date.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction

from procure.domain.model import Contract, ContractRecords
from procure.engine.collector import collector_paused
from procure.engine.evaluate import Judged, judge_clause, rule_for
from procure.engine.judge import worst
from procure.engine.periods import clause_periods
from procure.engine.records import RecordIndex
from procure.engine.result import ClauseResult, ContractResult, PeriodResult
from procure.engine.rules import RULES

# Enough points to show the shape of a multi-year term (about one a month over two
# years): the number of dates a chart asks about.
MAX_SAMPLES = 24


@dataclass(frozen=True)
class PeriodFigures:
    start: date
    end: date
    status: str
    actual: Fraction
    target: Fraction
    expected: Fraction
    shortfall: Fraction
    numerator: Fraction | None
    denominator: Fraction | None
    penalty_sek: int

    @classmethod
    def of(cls, p: PeriodResult) -> PeriodFigures:
        return cls(p.start, p.end, p.status, p.actual, p.target, p.expected, p.shortfall, p.numerator,
                   p.denominator, p.penalty_sek)


@dataclass(frozen=True)
class ClauseFigures:
    code: str
    status: str
    actual: Fraction
    target: Fraction
    expected: Fraction
    shortfall: Fraction
    penalty_sek: int
    bonus_sek: int
    periods: tuple[PeriodFigures, ...]

    @classmethod
    def of(cls, c: ClauseResult) -> ClauseFigures:
        return cls(c.code, c.status, c.actual, c.target, c.expected, c.shortfall, c.penalty_sek, c.bonus_sek,
                   tuple(PeriodFigures.of(p) for p in c.periods))

    def actual_on(self, day: date) -> Fraction:
        """The actual of the period holding `day` for a clause with several periods, else the clause's."""
        if len(self.periods) > 1:
            for period in self.periods:
                if period.start <= day <= period.end:
                    return period.actual
        return self.actual


@dataclass(frozen=True)
class Figures:
    as_of: date
    overall: str
    clauses: tuple[ClauseFigures, ...]

    @classmethod
    def of(cls, result: ContractResult) -> Figures:
        return cls(result.as_of, result.overall, tuple(ClauseFigures.of(c) for c in result.clauses))


def evaluate_series(contract: Contract, records: ContractRecords, dates: list[date] | tuple[date, ...]) -> list[Figures]:
    """The figures of every clause on each of `dates` (any order; one Figures per date given)."""
    if not dates:
        return []
    wanted = sorted(set(dates))
    with collector_paused(keep_made=True):
        by_date = _series(contract, records, wanted)
    return [by_date[day] for day in dates]


def _series(contract: Contract, records: ContractRecords, dates: list[date]) -> dict[date, Figures]:
    # Before the contract start the additionality of a placement may still change (an
    # earlier employment not yet begun), so those few dates are evaluated on their own;
    # from the start on, one index as of the last date holds everything.
    early = [day for day in dates if day < contract.start]
    late = [day for day in dates if day >= contract.start]
    per_clause: list[list[ClauseFigures]] = [[] for _ in dates]
    for day in early:
        index = RecordIndex(contract, records, day)
        per_clause[dates.index(day)] = [
            _figures(clause.code, judge_clause(rule, rule.tally(index).periods, day))
            for clause in contract.clauses for rule in (rule_for(clause, contract),)]
    if late:
        index = RecordIndex(contract, records, late[-1])
        offset = len(early)
        for clause in contract.clauses:
            rule = rule_for(clause, contract)
            for i, tallies in enumerate(rule.tally_series(index, late)):
                per_clause[offset + i].append(_figures(clause.code, judge_clause(rule, tallies, late[i])))
    return {
        day: Figures(day, worst(c.status for c in clauses) if clauses else "met", tuple(clauses))
        for day, clauses in zip(dates, per_clause)
    }


def _figures(code: str, j: Judged) -> ClauseFigures:
    return ClauseFigures(code, j.status, j.actual, j.target, j.expected, j.shortfall, j.penalty_sek, j.bonus_sek,
                         tuple(PeriodFigures.of(p) for p in j.periods))


# -- the charts' question ---------------------------------------------------------------


def sample_dates(start: date, last: date, extra: tuple[date, ...] = ()) -> list[date]:
    """Evenly spread dates from `start` to `last`, both included, plus `extra` inside them."""
    span = (last - start).days
    if span <= 0:
        return [start]
    steps = min(MAX_SAMPLES - 1, span)
    points = {start + timedelta(days=round(span * i / steps)) for i in range(steps + 1)}
    points.update(d for d in extra if start <= d <= last)
    return sorted(points)


def progress_dates(contract: Contract, as_of: date) -> dict[str, list[date]]:
    """The dates each clause's progress is charted on: common dates from the contract
    start to `as_of`, and the clause's own period bounds, so that a periodic clause's
    curve drops back to zero exactly where its pro-rata line starts again."""
    last = min(as_of, contract.end)
    if last < contract.start:
        return {clause.code: [] for clause in contract.clauses}
    wanted = {}
    for clause in contract.clauses:
        period = str(clause.parameters.get("period", "contract"))
        bounds = tuple(sorted({day for p in clause_periods(contract.start, contract.end, period)
                               for day in (p.start, p.end)}))
        wanted[clause.code] = sample_dates(contract.start, last, bounds)
    return wanted


def progress(contract: Contract, records: ContractRecords, as_of: date) -> dict[str, list[tuple[date, Fraction]]]:
    """Each charted clause's actual over time, from the contract start up to `as_of` (the
    actual of the period holding each date). Without waivers: a chart shows what was done,
    not what was excused. One series for every clause and date at once."""
    # Only the clauses whose rule kind has a curve to draw (not deadlines).
    charted = replace(contract, waivers=(), clauses=tuple(
        c for c in contract.clauses if c.rule not in RULES or RULES[c.rule].chart is not None))
    wanted = progress_dates(charted, as_of)
    days = sorted({day for dates in wanted.values() for day in dates})
    series: dict[str, list[tuple[date, Fraction]]] = {code: [] for code in wanted}
    if not days:
        return series
    sets = {code: set(dates) for code, dates in wanted.items()}
    for figures in evaluate_series(charted, records, days):
        for clause in figures.clauses:
            if figures.as_of in sets[clause.code]:
                series[clause.code].append((figures.as_of, clause.actual_on(figures.as_of)))
    return series
