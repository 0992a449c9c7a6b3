"""Statuses, expected figures and money: the judging every rule shares (SPEC "Statuses").

A period has ended when `as_of` is on or after its last day; then it is `met`
(actual ≥ target) or `breached`. Before, `met` when already reached, `on_track` when
actual ≥ expected × (1 − tolerance), otherwise `at_risk`. Expected is target × days
elapsed ÷ days in the period for amounts and the target share itself for shares. A
share with nothing to divide by is `pending`. Deadline rules (reporting) and forced
breaches (`first_within_months`) bring their own status.

Shortfall is what is still missing against the period's target: max(0, target − actual)
(for a deadline rule, 1 for each breached report). Penalty per breached period: for
amounts, shortfall units × `per_unit_sek` plus `per_breach_sek`; for shares
`per_breach_sek`; for deadlines `per_breach_sek` + `per_unit_sek` per late report. The
clause's penalty is the sum over breached periods, rounded half up to whole SEK and
then capped once by `cap_sek`. Bonus (amount rules only): units beyond each period's
target × `per_unit_sek`, over the periods judged so far (earned to date), capped once.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from procure.domain.model import Bonus, Penalty
from procure.domain.vocabulary import STATUS_SEVERITY
from procure.engine.result import PeriodResult, whole_sek
from procure.engine.rules.base import PeriodTally
from procure.engine.wording import render

_RANK = {status: rank for rank, status in enumerate(STATUS_SEVERITY)}


def worst(statuses) -> str:
    """The most severe status, in SPEC's order breached, at_risk, pending, on_track, met, waived."""
    return min(statuses, key=_RANK.__getitem__, default="pending")


def severity(status: str) -> int:
    return _RANK[status]


def judge_period(measure: str, tally: PeriodTally, as_of: date, tolerance: Fraction,
                 waived_reason: str | None, penalty: Penalty | None) -> tuple[PeriodResult, Fraction]:
    """The period's result and its raw (unrounded, uncapped) penalty."""
    period, actual, target = tally.period, tally.actual, tally.target
    ended = period.has_ended(as_of)
    if measure == "amount":
        expected = target if ended else target * period.elapsed_days(as_of) / period.days
    else:
        expected = target
    if measure == "deadline":
        status = tally.status or "on_track"
        shortfall = Fraction(1 if status == "breached" else 0)
    else:
        shortfall = max(Fraction(0), target - actual)
        if tally.status is not None:
            status = tally.status
        elif measure == "share" and not tally.denominator:
            status = "pending"
            shortfall = Fraction(0)
        elif ended:
            status = "met" if actual >= target else "breached"
        elif actual >= target:
            status = "met"
        elif actual >= expected * (1 - tolerance):
            status = "on_track"
        else:
            status = "at_risk"
    if waived_reason is not None:
        status = "waived"
    raw_penalty = Fraction(0)
    if status == "breached" and penalty is not None:
        raw_penalty = Fraction(penalty.per_breach_sek)
        if measure != "share":
            raw_penalty += penalty.per_unit_sek * shortfall
    result = PeriodResult(
        start=period.start, end=period.end, status=status, actual=actual, target=target,
        expected=expected, shortfall=shortfall, penalty_sek=whole_sek(raw_penalty), label=tally.label,
        numerator=tally.numerator, denominator=tally.denominator, note=render(tally.note, "en"),
        waived_reason=waived_reason, note_message=tally.note,
    )
    return result, raw_penalty


def capped(amount: Fraction, cap: int | None) -> int:
    sek = whole_sek(amount)
    return min(sek, cap) if cap is not None else sek


def bonus_sek(measure: str, periods: list[PeriodResult], bonus: Bonus | None) -> int:
    if bonus is None or measure != "amount":
        return 0
    extra = sum((p.actual - p.target for p in periods if p.status != "waived" and p.actual > p.target), Fraction(0))
    return capped(extra * bonus.per_unit_sek, bonus.cap_sek)
