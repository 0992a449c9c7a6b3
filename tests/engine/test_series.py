"""A series of dates in one pass gives, at each date, exactly the figures of an
evaluation at that date (procure.engine.series), for every rule kind."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine_factories import clause, contract, placement, person, records
from procure.domain.model import ContractRecords, Filters, Waiver
from procure.engine import evaluate
from procure.engine.rules import RULES
from procure.engine.series import Figures, evaluate_series, progress, sample_dates
from procure.formats.contract_toml import load_contract_file
from procure.formats.records_csv import read_labour_hours, read_period_reports, read_placements
from test_engine_properties import CONTRACT, START, all_records

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
SECRET = b"series test secret"
series_dates = st.lists(st.integers(-60, (date(2018, 12, 31) - START).days).map(lambda n: START + timedelta(days=n)),
                        min_size=1, max_size=30)


def each_evaluated(contract, recs, dates):
    return [Figures.of(evaluate(contract, recs, day)) for day in dates]


def test_the_property_contract_has_every_rule_kind():
    assert {c.rule for c in CONTRACT.clauses} == set(RULES)


@settings(max_examples=150, deadline=None)
@given(all_records(), series_dates)
def test_a_series_point_is_the_evaluation_at_its_date(recs, dates):
    assert evaluate_series(CONTRACT, recs, dates) == each_evaluated(CONTRACT, recs, dates)


@settings(max_examples=60, deadline=None)
@given(all_records(), series_dates, st.sampled_from(["contract", "year", "quarter", "month"]))
def test_a_series_point_is_the_evaluation_at_its_date_for_every_period_kind(recs, dates, period):
    periodic = replace(CONTRACT, clauses=tuple(
        replace(c, parameters={**c.parameters, "period": period}) if c.rule != "reporting" else c
        for c in CONTRACT.clauses))
    assert evaluate_series(periodic, recs, dates) == each_evaluated(periodic, recs, dates)


def _example(name: str) -> tuple:
    contract_ = load_contract_file(CONTRACTS / f"{name}.toml")
    participants, placements = read_placements(CONTRACTS / f"{name}.placements.csv", secret=SECRET)
    hours = CONTRACTS / f"{name}.hours.csv"
    reports = CONTRACTS / f"{name}.reports.csv"
    return contract_, ContractRecords(participants, placements, read_labour_hours(hours) if hours.exists() else (),
                                      read_period_reports(reports) if reports.exists() else ())


@pytest.mark.parametrize("name", sorted(p.name.removesuffix(".toml") for p in CONTRACTS.glob("*.toml")
                                        if not p.name.endswith(".cases.toml")))
def test_example_contracts_every_week_of_their_term(name):
    contract_, recs = _example(name)
    days = [contract_.start - timedelta(days=10) + timedelta(days=7 * i)
            for i in range((contract_.end - contract_.start).days // 7 + 4)]
    assert evaluate_series(contract_, recs, days) == each_evaluated(contract_, recs, days)


def test_the_order_of_the_dates_is_kept():
    recs = records([placement("1", "P-1", date(2016, 4, 1), date(2016, 8, 1))], participants=[person("P-1")])
    days = [date(2017, 1, 1), date(2016, 5, 1), date(2017, 1, 1)]
    assert [f.as_of for f in evaluate_series(CONTRACT, recs, days)] == days


def test_progress_is_the_actual_of_each_sample_date_without_waivers():
    recs = records([placement(str(i), f"P-{i}", date(2016, 3, 1) + timedelta(days=30 * i), date(2016, 6, 1) + timedelta(days=30 * i))
                    for i in range(10)], participants=[person(f"P-{i}") for i in range(10)])
    waived = contract(clause(code="SC-1", target=5, filters=Filters(min_weeks=Decimal(4))),
                      waivers=(Waiver("SC-1", "a good reason"),))
    as_of = date(2017, 3, 1)
    series = progress(waived, recs, as_of)["SC-1"]
    assert [day for day, _ in series] == sample_dates(waived.start, as_of, (waived.start, waived.end))
    for day, actual in series:
        assert actual == evaluate(replace(waived, waivers=()), recs, day).clauses[0].actual
    assert series[-1][1] == 10
