"""Properties the engine keeps for any records: monotone counts, order independence,
blindness to anything after as_of, and the overall verdict being the worst clause."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from engine_factories import clause, contract, labour, person, placement, records, report
from procure.domain.model import ContractRecords, Filters, Waiver
from procure.domain.vocabulary import STATUS_SEVERITY
from procure.engine import evaluate

START, END = date(2016, 2, 29), date(2018, 6, 30)
EIGHT_WEEKS = Filters(min_weeks=Decimal(8), placement_types=("internship", "apprenticeship", "employment"),
                      target_groups=("newcomer", "unemployed_youth"), exclude_employed_before_start=True)
CONTRACT = contract(
    clause(code="SC-1", target=5, filters=EIGHT_WEEKS),
    clause(code="SC-2", target=2, period="year", filters=Filters(min_weeks=Decimal(4))),
    clause("placement_weeks", code="SC-3", target_weeks=Decimal(10), fte=True, period="quarter"),
    clause("hours_share", code="SC-4", share=Decimal("0.05"), period="year"),
    clause("outcome_rate", code="SC-5", share=Decimal("0.3"), outcomes=("job_matching", "education"), follow_up_months=3),
    clause("group_share", code="SC-6", share=Decimal("0.3"), gender="female", filters=Filters(min_weeks=Decimal(2))),
    clause("supervision", code="SC-7", share=Decimal("0.9")),
    clause("reporting", code="SC-8", frequency="monthly", due_days=20),
    clause("full_time_months", code="SC-9", target_months=Decimal(12), first_within_months=6),
    clause("social_value", code="SC-10", share_of_value=Decimal("0.001"),
           values={"internship": Decimal(2500), "employment": {"newcomer": Decimal(6000), "*": Decimal(5000)}}),
    start=START, end=END, waivers=(Waiver("SC-7", "no supervisors offered", date(2017, 3, 1)),),
)

days = st.integers(min_value=0, max_value=(date(2018, 12, 31) - date(2015, 10, 1)).days)
dates = days.map(lambda n: date(2015, 10, 1) + timedelta(days=n))
as_of_dates = st.integers(0, (date(2018, 12, 31) - START).days).map(lambda n: START + timedelta(days=n))
MONTHS = st.sampled_from([date(y, m, 1) for y in (2016, 2017, 2018) for m in range(1, 13)])
refs = st.sampled_from([f"P-{i:04d}" for i in range(12)])


@st.composite
def placements(draw, ids=st.integers(0, 10**6).map(str), ref=refs, start=dates):
    begin = draw(start)
    length = draw(st.one_of(st.none(), st.integers(0, 300)))
    end = None if length is None else begin + timedelta(days=length)
    outcome = draw(st.one_of(st.none(), st.sampled_from(["job_matching", "education", "none"])))
    return placement(
        draw(ids), draw(ref), begin, end,
        type=draw(st.sampled_from(["internship", "employment", "apprenticeship", "summer_job"])),
        status=draw(st.sampled_from(["active", "completed", "ended_early", "planned"])),
        hours=draw(st.sampled_from(["40", "20", "37.5", None])), days=draw(st.sampled_from(["5", "3", None])),
        trained=draw(st.sampled_from([True, False, None])), outcome=outcome,
        outcome_date=None if outcome is None or end is None else end + timedelta(days=draw(st.integers(0, 200))),
        planned_end=None if end is None else end + timedelta(days=draw(st.integers(0, 60))),
        employed_before_start=draw(st.booleans()),
    )


@st.composite
def all_records(draw):
    ps = draw(st.lists(placements(), max_size=25, unique_by=lambda p: p.id))
    people = [person(f"P-{i:04d}", *draw(st.lists(st.sampled_from(["newcomer", "unemployed_youth", "disability"]),
                                                    min_size=1, max_size=2, unique=True)),
                     gender=draw(st.sampled_from(["female", "male", "undisclosed"])),
                     identity_hash=draw(st.sampled_from([None, None, "aa" * 32])))
              for i in range(12)]
    hours = [labour(month, h) for month, h in draw(st.lists(st.tuples(MONTHS, st.integers(0, 5000)), max_size=12))]
    reports = [report(f"{m.year}-{m.month:02d}", d) for m, d in draw(st.lists(st.tuples(MONTHS, dates), max_size=12))]
    return records(ps, participants=people, hours=hours, reports=reports)


def count_actuals(result):
    return [c.actual for c in result.clauses if c.rule == "placement_count"]


@settings(max_examples=60, deadline=None)
@given(all_records(), placements(start=st.integers(0, (END - START).days).map(lambda n: START + timedelta(days=n))),
       as_of_dates)
def test_adding_a_placement_never_lowers_a_count(base, extra, as_of):
    before = count_actuals(evaluate(CONTRACT, base, as_of))
    extra = replace(extra, placement_type="internship", employed_before_start=False)
    after = count_actuals(evaluate(CONTRACT, replace(base, placements=base.placements + (extra,)), as_of))
    assert all(a >= b for a, b in zip(after, before))


@settings(max_examples=60, deadline=None)
@given(all_records(), as_of_dates, st.randoms(use_true_random=False))
def test_input_order_does_not_matter(recs, as_of, rnd):
    shuffled = {name: list(getattr(recs, name)) for name in ("participants", "placements", "labour_hours", "period_reports")}
    for items in shuffled.values():
        rnd.shuffle(items)
    other = ContractRecords(**{k: tuple(v) for k, v in shuffled.items()})
    assert evaluate(CONTRACT, other, as_of).to_json() == evaluate(CONTRACT, recs, as_of).to_json()


def without_after_as_of(data):
    for c in data["clauses"]:
        c["excluded"] = [e for e in c["excluded"] if not e["reason"].endswith("after as_of")]
    return data


@settings(max_examples=60, deadline=None)
@given(all_records(), as_of_dates, st.lists(placements(), max_size=5), st.data())
def test_records_dated_after_as_of_change_nothing(recs, as_of, later, data):
    after = lambda n: as_of + timedelta(days=1 + n)  # noqa: E731
    later = [replace(p, id=f"later-{i}", start=after(i), end=None if p.end is None else after(i + 30)) for i, p in enumerate(later)]
    # Outcomes learnt after as_of: the same as no outcome at all.
    no_outcomes = [replace(p, outcome=None, outcome_date=None)
                   if p.outcome_date is not None and p.outcome_date > as_of else p for p in recs.placements]
    month_after = date(as_of.year + (as_of.month == 12), as_of.month % 12 + 1, 1)
    future = replace(
        recs,
        placements=recs.placements + tuple(later),
        labour_hours=recs.labour_hours + (labour(month_after, data.draw(st.integers(1, 9000))),),
        period_reports=recs.period_reports + tuple(report(f"{y}-{m:02d}", after(3)) for y in (2016, 2017) for m in (4, 5)),
    )
    seen_only = replace(recs, placements=tuple(no_outcomes),
                        period_reports=tuple(r for r in recs.period_reports if r.submitted_on <= as_of))
    assert without_after_as_of(evaluate(CONTRACT, future, as_of).to_json()) == \
        without_after_as_of(evaluate(CONTRACT, seen_only, as_of).to_json())


@settings(max_examples=60, deadline=None)
@given(all_records(), as_of_dates)
def test_overall_is_the_worst_clause_and_a_clause_its_worst_period(recs, as_of):
    result = evaluate(CONTRACT, recs, as_of)
    rank = STATUS_SEVERITY.index
    assert rank(result.overall) == min(rank(c.status) for c in result.clauses)
    for c in result.clauses:
        assert rank(c.status) == min(rank(p.status) for p in c.periods)
        assert c.penalty_sek >= 0 and (c.penalty_sek == 0 or any(p.status == "breached" for p in c.periods))
