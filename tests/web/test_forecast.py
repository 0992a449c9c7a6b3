"""The dashboard's forecast: the target date at the pace so far, or the shortfall at the end."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from procure.engine.result import ClauseResult, PeriodResult
from procure.web.compliance import forecast

START, END = date(2024, 1, 1), date(2024, 12, 31)  # 366 days


def clause(actual, target=Fraction(10), measure="amount", status="on_track", periods=None) -> ClauseResult:
    period = PeriodResult(START, END, status, Fraction(actual), Fraction(target), Fraction(0), Fraction(0))
    return ClauseResult("SC-1", "placement_count", status, Fraction(actual), Fraction(target), Fraction(0), Fraction(0),
                        0, "", (), (), periods=(period,) if periods is None else periods, measure=measure)


def test_reached_within_the_period_at_the_pace_so_far():
    # 5 in the first 61 days (1 January to 1 March, inclusive): 10 by day 122, 1 May.
    outcome = forecast(clause(5), date(2024, 3, 1))
    assert outcome.kind == "reached" and outcome.on == date(2024, 5, 1)


def test_missed_by_the_projected_shortfall():
    # 1 in 183 days: 2 by the end of the 366-day period, 8 short.
    outcome = forecast(clause(1), date(2024, 7, 1))
    assert outcome.kind == "missed" and outcome.missed_by == Fraction(8)


def test_met_nothing_yet_and_not_applicable():
    assert forecast(clause(10), date(2024, 3, 1)).kind == "met"
    assert forecast(clause(0), date(2024, 3, 1)).kind == "none"
    assert forecast(clause(Fraction(1, 2), target=Fraction(4, 5), measure="share"), date(2024, 3, 1)) is None
    assert forecast(clause(5), date(2025, 3, 1)) is None  # the period is over: no forecast, a verdict
    assert forecast(clause(5, status="waived"), date(2024, 3, 1)) is None
