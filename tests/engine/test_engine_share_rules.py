"""Worked examples of the share rules (hours_share, outcome_rate, group_share, supervision)
and of reporting deadlines. Contract term 2016-03-01..2018-06-30."""

from datetime import date
from decimal import Decimal

import pytest

from engine_factories import clause, contract, labour, only, person, placement, records, report
from procure.domain.model import Penalty
from procure.engine import evaluate

END = date(2018, 6, 30)
MARCH = date(2016, 3, 1)


class TestHoursShare:
    # 2016-03-01..03-28 = 4 weeks × 40 h = 160 h of 4 000 labour hours in March = 0.04.
    ps = [placement("A", "P-1", date(2016, 3, 1), date(2016, 3, 28))]

    def test_under_the_share_with_and_without_tolerance(self):
        r = only(evaluate(contract(clause("hours_share", share=Decimal("0.05"))), records(self.ps, hours=[labour(MARCH, 4000)]),
                          date(2016, 3, 31)))
        # Expected is the share itself; 0.04 < 0.05 × (1 - 0.1) = 0.045: at risk.
        assert (r["actual"], r["expected"], r["status"]) == (0.04, 0.05, "at_risk")
        assert (r["periods"][0]["numerator"], r["periods"][0]["denominator"]) == (160, 4000)
        # 0.04 ≥ 0.05 × (1 - 0.2): on track.
        r = only(evaluate(contract(clause("hours_share", share=Decimal("0.05"), tolerance=Decimal("0.2"))),
                          records(self.ps, hours=[labour(MARCH, 4000)]), date(2016, 3, 31)))
        assert r["status"] == "on_track"

    def test_breached_at_the_end_with_a_per_breach_penalty(self):
        c = contract(clause("hours_share", share=Decimal("0.05"), penalty=Penalty(per_unit_sek=99, per_breach_sek=100_000)))
        r = only(evaluate(c, records(self.ps, hours=[labour(MARCH, 4000)]), END))
        assert (r["status"], r["shortfall"], r["penalty_sek"]) == ("breached", 0.01, 100_000)

    def test_a_month_in_progress_counts_up_to_as_of(self):
        # As of 03-14: 14 days = 80 h of placement; labour 4 000 × 14/31 = 1 806.45 h;
        # 80 × 31 / (4 000 × 14) = 0.0443.
        r = only(evaluate(contract(clause("hours_share", share=Decimal("0.05"))), records(self.ps, hours=[labour(MARCH, 4000)]),
                          date(2016, 3, 14)))
        assert r["actual"] == 0.0443

    def test_no_labour_hours_is_pending(self):
        r = only(evaluate(contract(clause("hours_share", share=Decimal("0.05"))), records(self.ps), date(2016, 3, 31)))
        assert r["status"] == "pending"


class TestOutcomeRate:
    def clause(self, **kw):
        return contract(clause("outcome_rate", share=Decimal("0.5"), outcomes=("job_matching", "education"),
                               follow_up_months=6, **kw))

    def test_share_within_the_follow_up_time(self):
        # All end 2017-01-31; follow-up on 2017-07-31. A: job_matching 05-01, in time.
        # B: education 08-15, too late. C: none. D: outcome dated after as_of, not seen.
        # 1 of 4 = 0.25 < 0.5 at the end: breached, 50 000 per breach.
        end = date(2017, 1, 31)
        ps = [placement("A", "P-1", date(2016, 9, 1), end, outcome="job_matching", outcome_date=date(2017, 5, 1)),
              placement("B", "P-2", date(2016, 9, 1), end, outcome="education", outcome_date=date(2017, 8, 15)),
              placement("C", "P-3", date(2016, 9, 1), end, outcome="none", outcome_date=date(2017, 2, 1)),
              placement("D", "P-4", date(2016, 9, 1), end, outcome="job_matching", outcome_date=date(2018, 7, 15))]
        r = only(evaluate(self.clause(penalty=Penalty(per_breach_sek=50_000)), records(ps), END))
        assert (r["actual"], r["target"], r["status"], r["penalty_sek"]) == (0.25, 0.5, "breached", 50_000)
        assert [(c["placement_id"], c["contribution"]) for c in r["counted"]] == [("A", 1), ("B", 0), ("C", 0), ("D", 0)]

    def test_outcome_not_yet_due_is_pending(self):
        # Ended 2018-03-31: follow-up on 2018-09-30, after as_of. An ongoing one has nothing to follow up.
        ps = [placement("E", "P-5", date(2017, 12, 1), date(2018, 3, 31)), placement("F", "P-6", date(2018, 1, 1), None)]
        r = only(evaluate(self.clause(penalty=Penalty(per_breach_sek=50_000)), records(ps), END))
        assert (r["status"], r["penalty_sek"]) == ("pending", 0)
        assert [e["reason"] for e in r["excluded"]] == [
            "outcome not yet due (follow-up on 2018-09-30)", "still ongoing, nothing to follow up yet"]

    def test_a_person_counts_once_as_a_success_if_any_placement_succeeded(self):
        ps = [placement("A", "P-1", date(2016, 9, 1), date(2016, 12, 31)),
              placement("B", "P-1", date(2017, 1, 1), date(2017, 1, 31), outcome="education", outcome_date=date(2017, 3, 1))]
        r = only(evaluate(self.clause(), records(ps), END))
        assert r["actual"] == 1 and r["counted"][0]["placement_id"] == "B"
        assert r["excluded"][0]["reason"] == "participant P-1 already counted in this period"


def test_group_share_counts_participants_once():
    # Five participants, P-1 twice: 2 women of 5 = 0.4, met.
    people = [person("P-1", gender="female"), person("P-2", gender="female"), person("P-3", gender="male"),
              person("P-4", gender="male"), person("P-5")]
    ps = [placement(str(i), f"P-{i}", date(2016, 4, 1), date(2016, 6, 1)) for i in range(1, 6)]
    ps.append(placement("6", "P-1", date(2016, 9, 1), date(2016, 12, 1)))
    r = only(evaluate(contract(clause("group_share", share=Decimal("0.4"), gender="female")), records(ps, participants=people), END))
    assert (r["actual"], r["status"]) == (0.4, "met")
    assert r["periods"][0]["numerator"] == 2 and r["periods"][0]["denominator"] == 5
    by_group = only(evaluate(contract(clause("group_share", share=Decimal("0.5"), group="newcomer")),
                             records(ps, participants=people), END))
    assert by_group["actual"] == 1  # every person() is a newcomer


def test_supervision_counts_placements():
    # 3 of 4 placements with a trained supervisor = 0.75.
    ps = [placement(str(i), f"P-{i}", date(2016, 4, 1), date(2016, 6, 1), trained=i != 3) for i in range(4)]
    c = contract(clause("supervision", penalty=Penalty(per_breach_sek=10_000)))  # share defaults to 1
    r = only(evaluate(c, records(ps), END))
    assert (r["actual"], r["target"], r["status"], r["penalty_sek"]) == (0.75, 1, "breached", 10_000)
    r = only(evaluate(contract(clause("supervision", share=Decimal("0.8"))), records(ps), date(2017, 1, 1)))
    assert r["status"] == "on_track"  # 0.75 ≥ 0.8 × 0.9
    assert only(evaluate(contract(clause("supervision")), records(), END))["status"] == "pending"


class TestReporting:
    c = contract(clause("reporting", frequency="quarterly", due_days=30, penalty=Penalty(per_breach_sek=5_000)))

    def test_missed_by_one_day(self):
        # 2016-Q1 is 03-01..03-31 inside the term, due 30 days later: 2016-04-30.
        r = only(evaluate(self.c, records(reports=[report("2016-Q1", date(2016, 5, 1))]), date(2016, 6, 15)))
        q1, q2 = r["periods"]
        assert (q1["label"], q1["status"], q2["status"]) == ("2016-Q1", "breached", "on_track")
        assert q1["note"] == "submitted on 2016-05-01, 1 day after the due date 2016-04-30"
        assert (r["status"], r["penalty_sek"], r["actual"], r["shortfall"]) == ("breached", 5_000, 0, 1)

    @pytest.mark.parametrize("as_of, status", [(date(2016, 4, 30), "on_track"), (date(2016, 5, 1), "breached")])
    def test_a_missing_report_is_breached_once_overdue(self, as_of, status):
        assert only(evaluate(self.c, records(), as_of))["status"] == status

    def test_on_the_due_date_is_in_time_and_later_submissions_are_not_seen(self):
        r = only(evaluate(self.c, records(reports=[report("2016-Q1", date(2016, 4, 30))]), date(2016, 6, 15)))
        assert r["status"] == "on_track" and r["periods"][0]["status"] == "met"
        r = only(evaluate(self.c, records(reports=[report("2016-Q1", date(2016, 4, 30))]), date(2016, 4, 29)))
        assert r["periods"][0]["note"] == "not submitted yet, due 2016-04-30"

    def test_monthly_periods_over_the_whole_term(self):
        c = contract(clause("reporting", frequency="monthly", due_days=10))
        reports = [report(f"{y}-{m:02d}", date(y, m, 28)) for y in (2016, 2017, 2018) for m in range(1, 13)]
        r = only(evaluate(c, records(reports=reports), date(2019, 1, 1)))
        # 2016-03..2018-06 = 28 months, every report on time.
        assert (len(r["periods"]), r["actual"], r["target"], r["status"]) == (28, 28, 28, "met")
