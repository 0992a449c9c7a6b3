"""The result of an evaluation, and its JSON form (SPEC's result shape).

Figures are kept as exact `Fraction`s in the dataclasses; `to_json()` renders them:

- integers stay integers (12, not 12.0);
- shares (fractions of 1, as 0.4 for 40 %) that are not whole are rounded to 4 decimals;
- other amounts (weeks, months) that are not whole are rounded to 2 decimals;
- money (penalties, bonuses, and every figure of a money rule such as `social_value`) is
  whole SEK, rounded half up;
- dates are ISO strings.

Keys beyond SPEC's: `title`, `description`, `measure`, `unit`, `bonus_sek`,
`waived_reason`, `periods` (per-period figures), and per counted entry `period` (start
of the period it counted in, for clauses with several periods) and `contribution` (what
it added: weeks, months or SEK; for share rules 1 when in the numerator, else 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from procure.engine.entries import Counted, Excluded
from procure.engine.wording import Message, check_language
from procure.engine.wording import render as say
from procure.engine.wording import unit as unit_message


def whole_sek(value: Fraction) -> int:
    """Half up, exactly: 0.5 SEK → 1 SEK."""
    return int((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(1), ROUND_HALF_UP)) \
        if value.denominator != 1 else int(value)


def render(value: Fraction | None, kind: str = "amount") -> int | float | None:
    """kind: "amount", "share" or "money"."""
    if value is None:
        return None
    if kind == "money":
        return whole_sek(value)
    if value.denominator == 1:
        return int(value.numerator)
    return round(float(value), 4 if kind == "share" else 2)


@dataclass(frozen=True)
class PeriodResult:
    start: date
    end: date
    status: str
    actual: Fraction
    target: Fraction
    expected: Fraction
    shortfall: Fraction
    penalty_sek: int = 0
    label: str | None = None
    numerator: Fraction | None = None
    denominator: Fraction | None = None
    note: str | None = None  # English
    waived_reason: str | None = None
    note_message: Message | None = None  # the note, to be said in another language

    def note_in(self, lang: str) -> str | None:
        return say(self.note_message, lang) if self.note_message is not None else self.note

    def to_json(self, kind: str, part_kind: str, lang: str = "en") -> dict[str, Any]:
        data: dict[str, Any] = {
            "start": self.start.isoformat(), "end": self.end.isoformat(), "status": self.status,
            "actual": render(self.actual, kind), "target": render(self.target, kind),
            "expected": render(self.expected, kind), "shortfall": render(self.shortfall, kind),
            "penalty_sek": self.penalty_sek,
        }
        if self.label is not None:
            data["label"] = self.label
        if self.denominator is not None:
            data["numerator"] = render(self.numerator, part_kind)
            data["denominator"] = render(self.denominator, part_kind)
        if self.note is not None:
            data["note"] = self.note if lang == "en" else self.note_in(lang)
        if self.waived_reason is not None:
            data["waived_reason"] = self.waived_reason
        return data


_MISSING = object()


@dataclass(frozen=True)
class ClauseResult:
    code: str
    rule: str
    status: str
    actual: Fraction
    target: Fraction
    expected: Fraction
    shortfall: Fraction
    penalty_sek: int
    explanation: str  # English; `explanation_in(lang)` for another language
    counted: tuple[Counted, ...]
    excluded: tuple[Excluded, ...]
    periods: tuple[PeriodResult, ...] = ()
    bonus_sek: int = 0
    waived_reason: str | None = None
    title: str = ""
    description: str = ""
    measure: str = "amount"  # amount | share | deadline
    unit: str = ""
    money: bool = False
    # The explanation and description as messages, to be said in any language.
    explanation_message: Message | None = None
    description_message: Message | None = None
    # Set when the entries of other organisations were taken out for a viewer
    # (procure.services.visibility): how many counted and excluded entries they had.
    others: tuple[int, int] | None = None

    def explanation_in(self, lang: str) -> str:
        """The explanation in "en" or "sv"."""
        return say(self.explanation_message, lang) if self.explanation_message is not None else self.explanation

    def description_in(self, lang: str) -> str:
        """The clause in plain language, in "en" or "sv"."""
        return say(self.description_message, lang) if self.description_message is not None else self.description

    def unit_in(self, lang: str) -> str:
        """The counted thing ("qualifying participants") in "en" or "sv"."""
        if lang == "en" or not self.unit:
            return self.unit
        return say(unit_message(self.unit), lang)

    @property
    def figure_kind(self) -> str:
        return "money" if self.money else "share" if self.measure == "share" else "amount"

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        """SPEC's shape; the sentences (explanation, description, unit, notes, reasons) in
        `lang`. English is exactly the engine's stored text."""
        english = lang == "en"
        if not english:
            check_language(lang)  # an unknown language fails here, before any work
        kind = self.figure_kind
        part_kind = "money" if self.money else "amount"
        several = len(self.periods) > 1
        starts = [p.start.isoformat() for p in self.periods]
        counted = []
        # Thousands of entries share a few (days, rate) pairs: each contribution is
        # multiplied out and written once. The rates are the clause's own few objects,
        # alive throughout, so their ids are keys as good as the exact Fractions and faster.
        contributions: dict[tuple[Any, int], int | float | None] = {}
        for c in self.counted:
            entry: dict[str, Any] = {
                "participant_ref": c.participant_ref, "placement_id": c.placement_id,
                "qualified_on": c.qualified_on.isoformat() if c.qualified_on else None,
            }
            if several and c.period is not None:
                entry["period"] = starts[c.period]
            key = (c.amount, id(c.rate))
            contribution = contributions.get(key, _MISSING)
            if contribution is _MISSING:
                value = c.contribution
                contribution = contributions[key] = None if value is None else render(value, part_kind)
            if contribution is not None:
                entry["contribution"] = contribution
            counted.append(entry)
        data: dict[str, Any] = {
            "code": self.code, "rule": self.rule, "title": self.title,
            "description": self.description if english else self.description_in(lang),
            "measure": self.measure, "unit": self.unit if english else self.unit_in(lang), "status": self.status,
            "actual": render(self.actual, kind), "target": render(self.target, kind),
            "expected": render(self.expected, kind), "shortfall": render(self.shortfall, kind),
            "penalty_sek": self.penalty_sek, "bonus_sek": self.bonus_sek,
            "explanation": self.explanation if english else self.explanation_in(lang),
            "waived_reason": self.waived_reason,
            "periods": [p.to_json(kind, part_kind, lang) for p in self.periods],
            "counted": counted,
            "excluded": [
                {"participant_ref": e.participant_ref, "placement_id": e.placement_id, "reason": say(e.message, lang)}
                for e in self.excluded
            ],
        }
        if self.others is not None:
            data["others"] = {"counted": self.others[0], "excluded": self.others[1]}
        return data


@dataclass(frozen=True)
class ContractResult:
    contract: str  # the contract's reference
    as_of: date
    overall: str
    clauses: tuple[ClauseResult, ...]

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        """SPEC's result shape, its sentences in `lang` ("en", the default, or "sv")."""
        return {
            "contract": self.contract, "as_of": self.as_of.isoformat(), "overall": self.overall,
            "clauses": [c.to_json(lang) for c in self.clauses],
        }
