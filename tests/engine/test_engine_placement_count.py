"""Worked examples of `placement_count`, and of what every rule shares: qualification,
periods, waivers, penalties, bonuses and additionality. Contract term 2016-03-01..2018-06-30."""

from datetime import date
from decimal import Decimal

import pytest

from engine_factories import clause, contract, only, person, placement, records
from procure.domain.model import Bonus, Filters, Penalty, Waiver
from procure.engine import evaluate

EIGHT_WEEKS = Filters(min_weeks=Decimal(8), target_groups=("newcomer", "unemployed_youth"),
                      placement_types=("internship", "apprenticeship", "employment"))
END = date(2018, 6, 30)


def test_one_day_short_of_min_weeks_is_excluded_and_56_days_qualify():
    # 8 weeks = 56 days. 2016-04-01..2016-05-25 is 30 + 25 = 55 days = 7.86 weeks: excluded.
    # 2016-04-01..2016-05-26 is 56 days: qualifies on 04-01 + 56 - 1 = 2016-05-26.
    c = contract(clause(target=2, filters=EIGHT_WEEKS))
    r = only(evaluate(c, records([
        placement("A", "P-0001", date(2016, 4, 1), date(2016, 5, 25)),
        placement("B", "P-0002", date(2016, 4, 1), date(2016, 5, 26)),
    ]), END))
    assert r["actual"] == 1 and r["target"] == 2 and r["shortfall"] == 1 and r["status"] == "breached"
    assert r["counted"] == [{"participant_ref": "P-0002", "placement_id": "B", "qualified_on": "2016-05-26"}]
    assert r["excluded"] == [{"participant_ref": "P-0001", "placement_id": "A", "reason": "lasted 7.9 weeks, 8 required"}]
    assert r["explanation"].startswith("1 of 2 qualifying participants")


def test_qualifying_on_the_last_day_of_a_year_counts_in_that_year():
    # Years: 2016-03-01..2017-02-28, 2017-03-01..2018-02-28. Start 2017-01-04 + 55 days =
    # 2017-02-28 (27 days to 01-31, 28 more): first year. Start 2017-01-05 → 2017-03-01: second.
    c = contract(clause(target=2, period="year", filters=EIGHT_WEEKS))
    r = only(evaluate(c, records([
        placement("A", "P-0001", date(2017, 1, 4), date(2017, 4, 30)),
        placement("B", "P-0002", date(2017, 1, 5), date(2017, 4, 30)),
    ]), date(2017, 6, 30)))
    first, second = r["periods"]  # the third year has not started: not listed
    assert (first["start"], first["actual"], first["status"]) == ("2016-03-01", 1, "breached")
    # Second year so far: 2017-03-01..06-30 = 122 of 365 days; expected 2 × 122/365 = 0.67,
    # actual 1 ≥ 0.67 × 0.9 but < 2: on track.
    assert (second["actual"], second["expected"], second["status"]) == (1, 0.67, "on_track")
    assert r["status"] == "breached"
    # Clause totals over the listed periods: actual 1+1, target 2+2, shortfall 1+1.
    assert (r["actual"], r["target"], r["shortfall"]) == (2, 4, 2)
    assert {c["placement_id"]: c["period"] for c in r["counted"]} == {"A": "2016-03-01", "B": "2017-03-01"}


def test_the_same_participant_counts_once_per_period():
    c = contract(clause(target=1, period="year", filters=EIGHT_WEEKS))
    r = only(evaluate(c, records([
        placement("A", "P-0001", date(2016, 4, 1), date(2016, 6, 30)),   # qualifies 2016-05-26, year 1
        placement("B", "P-0001", date(2016, 9, 1), date(2016, 12, 31)),  # qualifies 2016-10-26, year 1 again
        placement("C", "P-0001", date(2017, 4, 1), date(2017, 6, 30)),   # year 2: counts again
    ]), date(2018, 3, 31)))
    assert [p["actual"] for p in r["periods"]] == [1, 1, 0]
    assert r["excluded"] == [{"participant_ref": "P-0001", "placement_id": "B",
                              "reason": "participant P-0001 already counted in this period"}]


def test_the_same_personal_number_under_two_references_counts_once():
    people = [person("P-0001", identity_hash="ab" * 32), person("P-0002", identity_hash="ab" * 32)]
    c = contract(clause(target=2, filters=EIGHT_WEEKS))
    r = only(evaluate(c, records([
        placement("A", "P-0001", date(2016, 4, 1), date(2016, 6, 30)),
        placement("B", "P-0002", date(2016, 5, 1), date(2016, 7, 31)),
    ], participants=people), END))
    assert r["actual"] == 1
    assert r["excluded"][0]["reason"] == "same person as P-0001 (same personal number), already counted in this period"


def test_an_ongoing_placement_runs_to_as_of():
    # As of 2018-06-30: A started 05-01, ongoing, 61 days = 8.7 weeks, qualified on 05-01 + 55 = 06-25.
    # B started 06-01: 30 days = 4.3 weeks so far; would qualify on 06-01 + 55 = 07-26.
    c = contract(clause(target=2, filters=EIGHT_WEEKS))
    r = only(evaluate(c, records([
        placement("A", "P-0001", date(2018, 5, 1), None),
        placement("B", "P-0002", date(2018, 6, 1), date(2018, 12, 31), status="active"),
    ]), END))
    assert r["counted"][0]["qualified_on"] == "2018-06-25"
    assert r["excluded"][0]["reason"] == "ongoing, 4.3 weeks so far, 8 required (qualifies on 2018-07-26)"


def test_leap_day_start_with_yearly_periods_and_a_partial_final_year():
    # Term 2016-02-29..2018-12-31; years 02-29..2017-02-27, 2017-02-28..2018-02-27, then
    # 2018-02-28..2018-12-31 = 307 of 365 days: target 10 → ceil(10 × 307/365) = ceil(8.41) = 9.
    c = contract(clause(target=10, period="year", filters=EIGHT_WEEKS), start=date(2016, 2, 29), end=date(2018, 12, 31))
    # Qualifies on 2017-01-04 + 55 = 2017-02-28: the first day of the second year.
    r = only(evaluate(c, records([placement("A", "P-0001", date(2017, 1, 4), date(2017, 3, 31))]), date(2019, 1, 1)))
    assert [(p["start"], p["end"], p["target"], p["actual"]) for p in r["periods"]] == [
        ("2016-02-29", "2017-02-27", 10, 0), ("2017-02-28", "2018-02-27", 10, 1), ("2018-02-28", "2018-12-31", 9, 0),
    ]


def test_per_value_target():
    # 180 MSEK contract, one participant per started 10 MSEK: 1 × ceil(180/10) = 18.
    c = contract(clause(per_value_sek=10_000_000, units=1, filters=EIGHT_WEEKS), value_sek=180_000_000)
    assert only(evaluate(c, records(), END))["target"] == 18
    # 185 MSEK: ceil(18.5) = 19 units.
    c = contract(clause(per_value_sek=10_000_000, units=1), value_sek=185_000_000)
    assert only(evaluate(c, records(), END))["target"] == 19


def test_filters_give_human_reasons():
    f = Filters(placement_types=("internship", "apprenticeship"), target_groups=("newcomer", "unemployed_youth"),
                min_days_per_week=Decimal(3), min_hours_per_week=Decimal(20), require_trained_supervisor=True)
    people = [person("P-1", "newcomer"), person("P-2", "disability"), person("P-3"), person("P-4"), person("P-5"), person("P-6")]
    c = contract(clause(target=1, filters=f))
    r = only(evaluate(c, records([
        placement("1", "P-1", date(2016, 4, 1), date(2016, 5, 1), type="summer_job"),
        placement("2", "P-2", date(2016, 4, 1), date(2016, 5, 1)),
        placement("3", "P-3", date(2016, 4, 1), date(2016, 5, 1), days="2"),
        placement("4", "P-4", date(2016, 4, 1), date(2016, 5, 1), hours="15"),
        placement("5", "P-5", date(2016, 4, 1), date(2016, 5, 1), trained=False),
        placement("6", "P-6", date(2016, 4, 1), date(2016, 5, 1), status="planned"),
        placement("7", "P-6", date(2018, 7, 1), date(2018, 9, 1)),
    ], participants=people), END))
    assert {e["placement_id"]: e["reason"] for e in r["excluded"]} == {
        "1": "type summer_job not in internship, apprenticeship",
        "2": "participant not in target groups newcomer, unemployed_youth",
        "3": "2 days a week at the workplace, 3 required",
        "4": "15 hours a week, 20 required",
        "5": "supervisor not trained",
        "6": "planned, not started",
        "7": "starts 2018-07-01, after as_of",
    }
    assert r["actual"] == 0


def test_additionality_excludes_people_employed_before_the_start():
    f = Filters(exclude_employed_before_start=True)
    c = contract(clause(target=3, filters=f))
    r = only(evaluate(c, records([
        # P-1 was employed by the contractor from 2015: their internship does not count either.
        placement("E", "P-1", date(2015, 6, 1), date(2016, 12, 31), type="employment"),
        placement("A", "P-1", date(2017, 1, 1), date(2017, 3, 1)),
        placement("B", "P-2", date(2016, 4, 1), date(2016, 6, 1), employed_before_start=True),
        placement("C", "P-3", date(2016, 4, 1), date(2016, 6, 1)),
    ]), END))
    assert r["actual"] == 1 and r["counted"][0]["placement_id"] == "C"
    reasons = {e["placement_id"]: e["reason"] for e in r["excluded"]}
    assert reasons["A"] == reasons["E"] == "already employed by employer 556033-4285 before the contract started"
    assert reasons["B"] == reasons["A"]
    # Without the filter P-1's internship and P-2 count; the employment qualified before the term.
    r = only(evaluate(contract(clause(target=3)), records([
        placement("E", "P-1", date(2015, 6, 1), date(2016, 12, 31), type="employment"),
        placement("A", "P-1", date(2017, 1, 1), date(2017, 3, 1)),
        placement("B", "P-2", date(2016, 4, 1), date(2016, 6, 1), employed_before_start=True),
        placement("C", "P-3", date(2016, 4, 1), date(2016, 6, 1)),
    ]), END))
    assert r["actual"] == 3
    assert r["excluded"] == [{"participant_ref": "P-1", "placement_id": "E",
                              "reason": "qualified on 2015-06-01, outside the contract term"}]


def test_penalty_per_unit_is_capped():
    # 1 of 20: 19 short × 25 000 = 475 000, capped at 300 000.
    c = contract(clause(target=20, filters=EIGHT_WEEKS, penalty=Penalty(per_unit_sek=25_000, cap_sek=300_000)))
    r = only(evaluate(c, records([placement("A", "P-1", date(2016, 4, 1), date(2016, 6, 30))]), END))
    assert (r["shortfall"], r["penalty_sek"]) == (19, 300_000)
    # Uncapped: 475 000. Before the end (at risk, not breached): no penalty.
    c = contract(clause(target=20, filters=EIGHT_WEEKS, penalty=Penalty(per_unit_sek=25_000)))
    assert only(evaluate(c, records([placement("A", "P-1", date(2016, 4, 1), date(2016, 6, 30))]), END))["penalty_sek"] == 475_000
    early = only(evaluate(c, records(), date(2017, 1, 1)))
    assert early["status"] == "at_risk" and early["penalty_sek"] == 0


def test_penalty_over_several_periods_is_summed_then_capped_once():
    # Two ended years, each 1 short × 25 000 = 50 000 in all, cap 40 000.
    c = contract(clause(target=1, period="year", penalty=Penalty(per_unit_sek=25_000, cap_sek=40_000)))
    r = only(evaluate(c, records(), date(2018, 3, 1)))
    assert [p["penalty_sek"] for p in r["periods"]] == [25_000, 25_000, 0]
    assert r["penalty_sek"] == 40_000


def test_bonus_for_units_beyond_the_target_is_capped():
    # 4 of 2: 2 extra × 10 000 = 20 000, capped at 15 000.
    c = contract(clause(target=2, bonus=Bonus(per_unit_sek=10_000, cap_sek=15_000)))
    r = only(evaluate(c, records([placement(str(i), f"P-{i}", date(2016, 4, 1), date(2016, 6, 1)) for i in range(4)]), END))
    assert (r["status"], r["actual"], r["bonus_sek"], r["penalty_sek"]) == ("met", 4, 15_000, 0)


def test_waiver_for_the_whole_clause():
    c = contract(clause(target=20, penalty=Penalty(per_unit_sek=25_000)),
                 waivers=(Waiver("SC-1", "No candidates offered despite requests to Arbetsförmedlingen"),))
    result = evaluate(c, records(), END)
    r = only(result)
    assert (r["status"], r["penalty_sek"]) == ("waived", 0)
    assert r["waived_reason"] == "No candidates offered despite requests to Arbetsförmedlingen"
    assert result.overall == "waived"


def test_waiver_for_one_period_leaves_the_others_judged():
    c = contract(clause(target=1, period="year", penalty=Penalty(per_unit_sek=25_000)),
                 waivers=(Waiver("SC-1", "no candidates", period_start=date(2016, 3, 1)),))
    r = only(evaluate(c, records(), date(2018, 3, 1)))
    assert [p["status"] for p in r["periods"]] == ["waived", "breached", "at_risk"]
    assert r["status"] == "breached" and r["penalty_sek"] == 25_000


@pytest.mark.parametrize("as_of, expected, status", [
    (date(2015, 1, 1), 0, "on_track"),  # before the start: 0 days elapsed, nothing expected
    (date(2016, 3, 1), 0.02, "at_risk"),  # first day: 20 × 1/852 = 0.02 expected, 0 is below 0.9 × that
])
def test_expected_is_pro_rata_from_the_first_day(as_of, expected, status):
    r = only(evaluate(contract(clause(target=20)), records(), as_of))
    assert (r["expected"], r["status"], r["actual"]) == (expected, status, 0)
