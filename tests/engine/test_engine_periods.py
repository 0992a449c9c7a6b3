"""Clause periods and reporting periods: calendar arithmetic, partial periods, scaling."""

from datetime import date
from fractions import Fraction

from procure.engine.periods import clause_periods, reporting_periods


def test_years_from_a_leap_day_use_calendar_arithmetic():
    # 2016-02-29 + 1 year = 2017-02-28, so the first year ends the day before.
    periods = clause_periods(date(2016, 2, 29), date(2018, 12, 31), "year")
    assert [(p.start, p.end) for p in periods] == [
        (date(2016, 2, 29), date(2017, 2, 27)),
        (date(2017, 2, 28), date(2018, 2, 27)),
        (date(2018, 2, 28), date(2018, 12, 31)),
    ]
    last = periods[-1]
    # 2018-02-28..2018-12-31 is 1 + 31+30+31+30+31+31+30+31+30+31 = 307 days of a
    # 365-day year (2018-02-28..2019-02-27): target 10 scales to 10 × 307/365 = 8.41 → 9.
    assert (last.days, last.full_days) == (307, 365)
    assert last.scaled(Fraction(10)) == 9
    assert periods[0].scaled(Fraction(10)) == 10


def test_months_counted_from_the_start_do_not_drift():
    # Each start is start + k months (01-31, 02-29, 03-31), never the previous start + 1 month.
    periods = clause_periods(date(2016, 1, 31), date(2016, 4, 20), "month")
    assert [p.start for p in periods] == [date(2016, 1, 31), date(2016, 2, 29), date(2016, 3, 31)]
    assert [p.end for p in periods] == [date(2016, 2, 28), date(2016, 3, 30), date(2016, 4, 20)]
    # The last is 21 days of the 30-day month 03-31..04-29.
    assert (periods[-1].days, periods[-1].full_days) == (21, 30)


def test_quarters_partial_final_period_rounds_up():
    periods = clause_periods(date(2016, 3, 1), date(2016, 10, 15), "quarter")
    assert [(p.start, p.end) for p in periods] == [
        (date(2016, 3, 1), date(2016, 5, 31)), (date(2016, 6, 1), date(2016, 8, 31)), (date(2016, 9, 1), date(2016, 10, 15)),
    ]
    # 45 days of a 91-day quarter (09-01..11-30): 5 × 45/91 = 2.47 → 3.
    assert periods[-1].scaled(Fraction(5)) == 3


def test_contract_period_is_the_whole_term():
    (period,) = clause_periods(date(2016, 3, 1), date(2018, 6, 30))
    assert period.days == 852 and not period.partial


def test_reporting_periods_are_calendar_periods_clipped_to_the_term():
    quarters = reporting_periods(date(2016, 3, 1), date(2016, 11, 15), "quarterly")
    assert [(q.label, q.start, q.end) for q in quarters] == [
        ("2016-Q1", date(2016, 3, 1), date(2016, 3, 31)),
        ("2016-Q2", date(2016, 4, 1), date(2016, 6, 30)),
        ("2016-Q3", date(2016, 7, 1), date(2016, 9, 30)),
        ("2016-Q4", date(2016, 10, 1), date(2016, 11, 15)),
    ]
    months = reporting_periods(date(2016, 12, 15), date(2017, 2, 1), "monthly")
    assert [m.label for m in months] == ["2016-12", "2017-01", "2017-02"]
    assert months[0].start == date(2016, 12, 15) and months[-1].end == date(2017, 2, 1)
