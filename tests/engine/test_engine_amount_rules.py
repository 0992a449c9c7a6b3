"""Worked examples of the day-based amount rules: placement_weeks, full_time_months, social_value."""

from datetime import date
from decimal import Decimal

from engine_factories import clause, contract, only, person, placement, records
from procure.domain.model import Filters
from procure.engine import evaluate

END = date(2018, 6, 30)


def test_placement_weeks_plain_and_full_time():
    # A: 2016-03-01..04-25 = 31 + 25 = 56 days = 8 weeks at 40 h.
    # B: 2016-05-01..06-25 = 31 + 25 = 56 days = 8 weeks at 20 h (4 full-time weeks).
    ps = [placement("A", "P-1", date(2016, 3, 1), date(2016, 4, 25)),
          placement("B", "P-2", date(2016, 5, 1), date(2016, 6, 25), hours="20")]
    plain = only(evaluate(contract(clause("placement_weeks", target_weeks=Decimal(20))), records(ps), END))
    assert (plain["actual"], plain["status"], plain["shortfall"]) == (16, "breached", 4)
    fte = only(evaluate(contract(clause("placement_weeks", target_weeks=Decimal(20), fte=True)), records(ps), END))
    assert fte["actual"] == 12  # 8 × 40/40 + 8 × 20/40
    assert [c["contribution"] for c in fte["counted"]] == [8, 4]


def test_placement_weeks_count_overlapping_days_of_one_person_once():
    # A: 03-01..04-25 (8 weeks); B overlaps, 04-12..05-09, only 04-26..05-09 = 5 + 9 = 14 days
    # = 2 weeks are new. C lies inside A entirely: nothing new.
    ps = [placement("A", "P-1", date(2016, 3, 1), date(2016, 4, 25)),
          placement("B", "P-1", date(2016, 4, 12), date(2016, 5, 9)),
          placement("C", "P-1", date(2016, 3, 10), date(2016, 3, 20))]
    r = only(evaluate(contract(clause("placement_weeks", target_weeks=Decimal(20))), records(ps), END))
    assert r["actual"] == 10
    assert r["excluded"] == [{"participant_ref": "P-1", "placement_id": "C",
                              "reason": "participant P-1 already counted for these days (overlapping placements)"}]


def test_placement_weeks_are_split_over_monthly_periods():
    # 2016-03-15..04-14: 17 days in the first contract month (03-01..03-31), 14 in the second.
    r = only(evaluate(contract(clause("placement_weeks", target_weeks=Decimal(2), period="month")),
                      records([placement("A", "P-1", date(2016, 3, 15), date(2016, 4, 14))]), date(2016, 4, 30)))
    assert [p["actual"] for p in r["periods"]] == [2.43, 2]  # 17/7, 14/7
    assert [p["status"] for p in r["periods"]] == ["met", "met"]
    assert r["actual"] == 4.43  # 31/7


def test_min_weeks_filter_applies_to_weeks_rules():
    f = Filters(min_weeks=Decimal(8))
    ps = [placement("A", "P-1", date(2016, 3, 1), date(2016, 4, 24))]  # 55 days
    r = only(evaluate(contract(clause("placement_weeks", target_weeks=Decimal(1), filters=f)), records(ps), END))
    assert r["actual"] == 0 and r["excluded"][0]["reason"] == "lasted 7.9 weeks, 8 required"


def test_full_time_months_with_early_end_counted_in_full():
    # Planned 2016-03-01..08-31 = 184 days; ended early 07-31 after 153 days = 83 % ≥ 75 %:
    # counted in full, 184 / 30.4375 = 6.05 months ≥ 6.
    full = placement("A", "P-1", date(2016, 3, 1), date(2016, 7, 31), type="employment", status="ended_early",
                     planned_end=date(2016, 8, 31))
    r = only(evaluate(contract(clause("full_time_months", target_months=Decimal(6))), records([full]), END))
    assert (r["actual"], r["status"]) == (6.05, "met")
    # Ended 06-30 after 122 days = 66 % < 75 %: only the days served, 122 / 30.4375 = 4.01.
    short = placement("A", "P-1", date(2016, 3, 1), date(2016, 6, 30), type="employment", status="ended_early",
                      planned_end=date(2016, 8, 31))
    r = only(evaluate(contract(clause("full_time_months", target_months=Decimal(6))), records([short]), END))
    assert (r["actual"], r["status"]) == (4.01, "breached")
    # Half time: 184 days × 20/40 / 30.4375 = 3.02; the share may be set lower, 0.6 < 66 %.
    half = placement("A", "P-1", date(2016, 3, 1), date(2016, 6, 30), type="employment", status="ended_early",
                     planned_end=date(2016, 8, 31), hours="20")
    r = only(evaluate(contract(clause("full_time_months", target_months=Decimal(6), completion_share=Decimal("0.6"))),
                      records([half]), END))
    assert r["actual"] == 3.02


def test_full_time_months_breached_at_once_when_nothing_started_in_time():
    c = contract(clause("full_time_months", target_months=Decimal(6), first_within_months=3))
    # Deadline 2016-03-01 + 3 months - 1 day = 2016-05-31.
    late = records([placement("A", "P-1", date(2016, 6, 1), None, type="employment")])
    r = only(evaluate(c, late, date(2016, 6, 15)))
    assert r["status"] == "breached"
    assert "no placement started within the first 3 months (by 2016-05-31)" in r["explanation"]
    # One started on the deadline: judged pro rata instead. Elapsed 03-01..06-15 = 107 of
    # 852 days: expected 6 × 107/852 = 0.75; actual 16 days / 30.4375 = 0.53 < 0.9 × 0.75.
    in_time = records([placement("A", "P-1", date(2016, 5, 31), None, type="employment")])
    r = only(evaluate(c, in_time, date(2016, 6, 15)))
    assert (r["status"], r["expected"], r["actual"]) == ("at_risk", 0.75, 0.53)
    # Before the deadline nothing is breached yet.
    assert only(evaluate(c, records(), date(2016, 5, 30)))["status"] == "at_risk"


def test_hours_per_week_needed_for_months():
    r = only(evaluate(contract(clause("full_time_months", target_months=Decimal(1))),
                      records([placement("A", "P-1", date(2016, 3, 1), date(2016, 6, 30), hours=None)]), END))
    assert r["excluded"][0]["reason"] == "hours per week not reported (needed for employment months)"


def test_social_value_by_type_and_group():
    # Target 5 % of 1 000 000 = 50 000 SEK.
    # A internship 2016-03-01..04-25 = 8 weeks × 2 500 = 20 000
    # B employment, newcomer, 2016-03-01..03-28 = 4 weeks × 6 000 = 24 000
    # C employment, unemployed_youth (not listed: "*" 5 000), 2016-03-01..03-14 = 2 weeks = 10 000
    # D summer_job: no value. Total 54 000 ≥ 50 000.
    values = {"internship": Decimal(2500), "employment": {"newcomer": Decimal(6000), "*": Decimal(5000)}}
    people = [person("P-1"), person("P-2", "newcomer"), person("P-3", "unemployed_youth"), person("P-4")]
    ps = [placement("A", "P-1", date(2016, 3, 1), date(2016, 4, 25)),
          placement("B", "P-2", date(2016, 3, 1), date(2016, 3, 28), type="employment"),
          placement("C", "P-3", date(2016, 3, 1), date(2016, 3, 14), type="employment"),
          placement("D", "P-4", date(2016, 3, 1), date(2016, 3, 14), type="summer_job")]
    c = contract(clause("social_value", share_of_value=Decimal("0.05"), values=values), value_sek=1_000_000)
    r = only(evaluate(c, records(ps, participants=people), END))
    assert (r["actual"], r["target"], r["status"]) == (54_000, 50_000, "met")
    assert [x["contribution"] for x in r["counted"]] == [20_000, 24_000, 10_000]
    assert r["excluded"] == [{"participant_ref": "P-4", "placement_id": "D",
                              "reason": "no value per week for placement type summer_job"}]
    # Money is whole SEK: 3 days of internship = 3/7 × 2 500 = 1 071.43 → 1 071.
    r = only(evaluate(c, records([placement("A", "P-1", date(2016, 3, 1), date(2016, 3, 3))]), END))
    assert r["actual"] == 1071 and r["shortfall"] == 48_929
