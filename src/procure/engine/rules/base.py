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

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any, ClassVar, Mapping

from procure.domain.model import Clause, Contract, Filters
from procure.engine.entries import Counted, Excluded
from procure.engine.periods import Period, clause_periods
from procure.engine.qualification import number
from procure.engine.records import RecordIndex, fraction


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

RULES: dict[str, type["Rule"]] = {}


@dataclass
class PeriodTally:
    """What a rule counted in one period; the judge adds status and money."""

    period: Period
    actual: Fraction = Fraction(0)
    target: Fraction = Fraction(0)
    numerator: Fraction | None = None  # shares only
    denominator: Fraction | None = None  # shares only; 0 means nothing to judge (pending)
    status: str | None = None  # set by deadline rules, or to force a breach
    note: str | None = None  # why, when the rule decided the status itself
    label: str | None = None  # "2017-Q3" for reporting periods


@dataclass
class Tally:
    periods: list[PeriodTally]
    counted: list[Counted] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)


_PERIOD_TEXT = {
    "contract": "over the whole contract",
    "year": "each contract year",
    "quarter": "each contract quarter",
    "month": "each contract month",
}


def _or_list(values) -> str:
    values = list(values)
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


def describe_filters(f: Filters, groups_said: bool = False) -> list[str]:
    parts = []
    if f.target_groups and not groups_said:
        parts.append(f"participants from {_or_list(f.target_groups)}")
    kind = _or_list(f.placement_types) if f.placement_types else "placements"
    if f.placement_types:
        kind = f"{kind} placements"
    if f.min_weeks is not None:
        parts.append(f"{kind} of at least {number(f.min_weeks)} weeks")
    elif f.placement_types:
        parts.append(kind)
    if f.min_days_per_week is not None:
        parts.append(f"at least {number(f.min_days_per_week)} days a week at the workplace")
    if f.min_hours_per_week is not None:
        parts.append(f"at least {number(f.min_hours_per_week)} hours a week")
    if f.require_trained_supervisor:
        parts.append("with a trained supervisor")
    if f.exclude_employed_before_start:
        parts.append("not counting people employed before the contract started")
    return parts


class Rule:
    kind: ClassVar[str] = ""
    measure: ClassVar[str] = "amount"  # amount | share | deadline
    unit: ClassVar[str] = ""  # the counted thing, plural, for explanations
    money: ClassVar[bool] = False  # figures are SEK (rounded to whole SEK in results)
    parameters: ClassVar[tuple[Parameter, ...]] = ()

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
    def describe(cls, clause: Clause) -> str:
        head = cls.headline(clause)
        groups = clause.filters.target_groups
        said = bool(groups) and head.endswith("participants")
        if said:
            head = f"{head} from {_or_list(groups)}"
        parts = [head, *describe_filters(clause.filters, groups_said=said)]
        period = cls.parameter_value(clause.parameters, "period") or "contract"
        parts.append(_PERIOD_TEXT.get(period, period))
        return ", ".join(p for p in parts if p)

    @classmethod
    def headline(cls, clause: Clause) -> str:
        return cls.kind

    # -- counting -----------------------------------------------------------------
    def periods(self) -> tuple[Period, ...]:
        return clause_periods(self.contract.start, self.contract.end, self.param("period") or "contract")

    def tally(self, index: RecordIndex) -> Tally:
        raise NotImplementedError
