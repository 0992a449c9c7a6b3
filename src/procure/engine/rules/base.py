"""What every rule kind is: declared parameters, a plain-language description, and a
tally of actual and target figures per period.

A rule only counts. Judging (statuses, expected figures, waivers, penalties, bonuses) is
the same for every rule and lives in `procure.engine.evaluate`; a rule says which of the
three judging schemes applies to it with `measure`:

- `amount`: figures that accumulate (participants, weeks, months, SEK); expected is
  pro rata, a final partial period's target is scaled, penalties are per unit short.
- `share`: a ratio against a target share; expected is the target share itself, and a
  period with nothing to divide by is `pending`.
- `deadline`: each period is met or breached by a date (reporting).

A new rule kind is one new subclass with a `kind`: `__init_subclass__` registers it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any, ClassVar

from procure.domain.model import Clause, Contract, Filters
from procure.domain.vocabulary import PERIOD_KINDS
from procure.engine.entries import Counted, Excluded
from procure.engine.periods import Period, clause_periods
from procure.engine.qualification import Qualification, qualify_all
from procure.engine.records import RecordIndex, fraction
from procure.engine.rules.tally import (
    Interval,
    Rate,
    Spans,
    by_days,
    by_qualification,
    days_series,
    marked,
    qualification_series,
)
from procure.engine.wording import Codes, Listing, Message, Number, Numeric, render


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  # "int" | "decimal" | "share" (Decimal in 0..1) | "bool" | "choice" | "code_list" | "value_table"
    required: bool = False
    default: object = None
    choices: tuple[str, ...] | None = None  # for "choice"; None means any code
    description: str = ""  # plain English, shown in editors


COMMON_PARAMETERS: tuple[Parameter, ...] = (
    Parameter("period", "choice", default="contract", choices=("contract", "year", "quarter", "month"),
              description="The period the target applies to: the whole contract, or each contract year, quarter or month."),
    Parameter("tolerance", "share", default=None,
              description="How far below the expected figure a clause may be and still be on track (0.1 = 10 %)."),
)
DEFAULT_TOLERANCE = Fraction(1, 10)

RULES: dict[str, type[Rule]] = {}


@dataclass
class PeriodTally:
    """What a rule counted in one period; the judge adds status and money."""

    period: Period
    actual: Fraction = Fraction(0)
    target: Fraction = Fraction(0)
    numerator: Fraction | None = None  # shares only
    denominator: Fraction | None = None  # shares only; 0 means nothing to judge (pending)
    status: str | None = None  # set by deadline rules, or to force a breach
    note: Message | None = None  # why, when the rule decided the status itself
    label: str | None = None  # "2017-Q3" for reporting periods


@dataclass
class Tally:
    periods: list[PeriodTally]
    counted: list[Counted] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)


def describe_filters(f: Filters, groups_said: bool = False) -> list[Message]:
    parts = []
    if f.target_groups and not groups_said:
        parts.append(Message("describe.participants_from", {"groups": Codes("target_groups", f.target_groups, "or")}))
    types = Codes("placement_types", f.placement_types, "or") if f.placement_types else None
    if f.min_weeks is not None:
        weeks = Number(f.min_weeks)
        if types is not None:
            parts.append(Message("describe.typed_min_weeks", {"types": types, "weeks": weeks}))
        else:
            parts.append(Message("describe.min_weeks", {"weeks": weeks}))
    elif types is not None:
        parts.append(Message("describe.typed", {"types": types}))
    if f.min_days_per_week is not None:
        parts.append(Message("describe.min_days", {"days": Number(f.min_days_per_week)}))
    if f.min_hours_per_week is not None:
        parts.append(Message("describe.min_hours", {"hours": Number(f.min_hours_per_week)}))
    if f.require_trained_supervisor:
        parts.append(Message("describe.supervisor"))
    if f.exclude_employed_before_start:
        parts.append(Message("describe.additionality"))
    return parts


def share_percent(share: Numeric | None) -> Number | str:
    """A share parameter (0.05) as the percentage a description says ("5"), "?" if missing."""
    return Number(fraction(share) * 100) if share is not None else "?"


class Rule:
    kind: ClassVar[str] = ""
    measure: ClassVar[str] = "amount"  # amount | share | deadline
    unit: ClassVar[str] = ""  # the counted thing, plural, for explanations
    money: ClassVar[bool] = False  # figures are SEK (rounded to whole SEK in results)
    parameters: ClassVar[tuple[Parameter, ...]] = ()
    # How a chart shows the clause over time: "pro_rata" (the actual against a straight
    # line to each period's target), "share" (against the target share, in percent), or
    # None (no curve: a deadline rule). Money rules' axes are in millions: `chart_unit`.
    chart: ClassVar[str | None] = "pro_rata"
    chart_unit: ClassVar[dict[str, str] | None] = None  # by language, of the axis divided by chart_scale
    chart_scale: ClassVar[int] = 1

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("kind"):
            if cls.kind in RULES:
                raise TypeError(f"rule kind {cls.kind!r} is declared twice")
            RULES[cls.kind] = cls

    def __init__(self, clause: Clause, contract: Contract):
        self.clause = clause
        self.contract = contract

    # -- parameters ---------------------------------------------------------------
    @classmethod
    def all_parameters(cls) -> tuple[Parameter, ...]:
        return COMMON_PARAMETERS + cls.parameters

    @classmethod
    def parameter_value(cls, parameters: Mapping[str, Any], name: str) -> Any:
        value = parameters.get(name)
        if value is None:
            for declared in cls.all_parameters():
                if declared.name == name:
                    return declared.default
        return value

    def param(self, name: str) -> Any:
        return self.parameter_value(self.clause.parameters, name)

    def fraction_param(self, name: str) -> Fraction:
        return fraction(self.param(name))

    @classmethod
    def check(cls, parameters: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Cross-field problems of a clause's parameters, as (field, message)."""
        return []

    # -- plain language -----------------------------------------------------------
    @classmethod
    def describe(cls, clause: Clause, lang: str = "en") -> str:
        """The clause in plain language, in "en" or "sv"."""
        return render(cls.description(clause), lang)

    @classmethod
    def description(cls, clause: Clause) -> Message:
        head = cls.headline(clause)
        groups = clause.filters.target_groups
        said = bool(groups) and render(head, "en").endswith("participants")
        if said and groups:
            head = Message("describe.from_groups", {"head": head, "groups": Codes("target_groups", groups, "or")})
        parts: list[Message | str] = [head, *describe_filters(clause.filters, groups_said=said)]
        period = cls.parameter_value(clause.parameters, "period") or "contract"
        parts.append(Message(f"describe.period.{period}") if period in PERIOD_KINDS else period)
        return Message("sentence", {"parts": Listing(tuple(parts))})

    @classmethod
    def headline(cls, clause: Clause) -> Message:
        return Message("describe.kind", {"kind": cls.kind})

    # -- counting -----------------------------------------------------------------
    def periods(self) -> tuple[Period, ...]:
        return clause_periods(self.contract.start, self.contract.end, self.param("period") or "contract")

    def tally(self, index: RecordIndex) -> Tally:
        raise NotImplementedError

    def tally_series(self, index: RecordIndex, dates: list[date]) -> list[list[PeriodTally]]:
        """The period tallies on each of `dates` (sorted, none after `index.as_of`, none
        before the contract start), figures only: what `tally` would count on each
        date. This default counts again on each date; the rules below count once
        (procure.engine.series).
        """
        return [self.tally(index.as_of_day(day)).periods for day in dates]


class CountRule(Rule):
    """A rule that counts qualified placements in the period of their qualification date
    (`by_qualification`), optionally marking some for a share's numerator."""

    distinct: ClassVar[bool] = True  # a person counts once per period

    def mark(self) -> Callable[[Any], int] | None:
        return None

    def tallies(self, periods: tuple[Period, ...], counts: list[int], marks: list[int]) -> list[PeriodTally]:
        raise NotImplementedError

    def _counted(self, index: RecordIndex) -> tuple[tuple[Period, ...], list[int], list[Counted], list[Excluded]]:
        periods = self.periods()
        counts, counted, excluded = by_qualification(
            qualify_all(index, self.clause.filters), periods, index, distinct=self.distinct, mark=self.mark())
        return periods, counts, counted, excluded

    def tally(self, index: RecordIndex) -> Tally:
        periods, counts, counted, excluded = self._counted(index)
        marks = [0] * len(periods)
        for _on, slot, mark in marked(counted):
            marks[slot] += mark
        return Tally(self.tallies(periods, counts, marks), counted, excluded)

    def tally_series(self, index: RecordIndex, dates: list[date]) -> list[list[PeriodTally]]:
        periods, _counts, counted, _excluded = self._counted(index)
        counts, marks = qualification_series(counted, [day.toordinal() for day in dates], len(periods))
        return [self.tallies(periods, c, m) for c, m in zip(counts, marks)]


def share_tallies(periods: tuple[Period, ...], hits: list[int], totals: list[int], target: Fraction) -> list[PeriodTally]:
    """Tallies of a share of counted placements: hits of totals against a target share."""
    return [
        PeriodTally(period, Fraction(h, t) if t else Fraction(0), target, Fraction(h), Fraction(t))
        for period, h, t in zip(periods, hits, totals)
    ]


class DaysRule(Rule):
    """A rule that adds up the weighted days of qualified placements (`by_days`)."""

    def rate(self, index: RecordIndex) -> Rate:
        raise NotImplementedError

    def interval(self, index: RecordIndex) -> Interval | None:
        return None

    def target(self) -> Fraction:
        """The target of a whole period (scaled for a partial one)."""
        raise NotImplementedError

    def tallies(self, index: RecordIndex, as_of: date, periods: tuple[Period, ...], totals: list[Fraction],
                q: Qualification) -> list[PeriodTally]:
        target = self.target()
        return [PeriodTally(p, total, p.scaled(target)) for p, total in zip(periods, totals)]

    def _days(self, index: RecordIndex, spans: Spans | None = None):
        periods = self.periods()
        q = qualify_all(index, self.clause.filters)
        return periods, q, by_days(q, periods, index, self.rate(index), self.interval(index), spans)

    def tally(self, index: RecordIndex) -> Tally:
        periods, q, (totals, counted, excluded) = self._days(index)
        return Tally(self.tallies(index, index.as_of, periods, totals, q), counted, excluded)

    def tally_series(self, index: RecordIndex, dates: list[date]) -> list[list[PeriodTally]]:
        spans = Spans()
        periods, q, _ = self._days(index, spans)
        series = days_series(spans, periods, index, [day.toordinal() for day in dates])
        return [self.tallies(index, day, periods, totals, q) for day, totals in zip(dates, series)]
