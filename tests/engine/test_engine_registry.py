"""The rule registry: declared parameters, cross-field checks, descriptions, the JSON shape."""

from datetime import date
from decimal import Decimal

import pytest

from engine_factories import clause, contract, placement, records
from procure.domain.model import Filters
from procure.engine import UnknownRule, evaluate
from procure.engine.rules import COMMON_PARAMETERS, RULES, Parameter, Rule

KINDS = {"placement_count", "placement_weeks", "hours_share", "outcome_rate", "group_share", "supervision",
         "reporting", "full_time_months", "social_value"}
PARAMETER_KINDS = {"int", "decimal", "share", "bool", "choice", "code_list", "value_table"}


def test_every_spec_kind_is_registered_with_declared_parameters():
    assert set(RULES) == KINDS
    for kind, rule in RULES.items():
        assert rule.kind == kind and issubclass(rule, Rule)
        for p in rule.all_parameters():
            assert isinstance(p, Parameter) and p.kind in PARAMETER_KINDS and p.description
    common = {p.name: p for p in COMMON_PARAMETERS}
    assert common["period"].default == "contract" and common["period"].choices == ("contract", "year", "quarter", "month")
    assert common["tolerance"].kind == "share"


def test_a_new_kind_is_one_class():
    class Dummy(Rule):
        kind = "dummy_for_test"
    try:
        assert RULES["dummy_for_test"] is Dummy
    finally:
        del RULES["dummy_for_test"]


@pytest.mark.parametrize("kind, parameters, problems", [
    ("placement_count", {}, [("target", "give a target, or both per_value_sek and units")]),
    ("placement_count", {"per_value_sek": 10_000_000}, [("target", "give a target, or both per_value_sek and units")]),
    ("placement_count", {"target": 3, "units": 1, "per_value_sek": 5},
     [("target", "give either a target or per_value_sek and units, not both")]),
    ("placement_count", {"per_value_sek": 10_000_000, "units": 1}, []),
    ("group_share", {"share": Decimal("0.4")}, [("gender", "give exactly one of gender and group")]),
    ("group_share", {"share": Decimal("0.4"), "gender": "female", "group": "newcomer"},
     [("gender", "give exactly one of gender and group")]),
    ("group_share", {"share": Decimal("0.4"), "group": "newcomer"}, []),
    ("social_value", {"share_of_value": Decimal("0.05"), "values": {}},
     [("values", "give at least one placement type and its SEK per week")]),
])
def test_cross_field_checks(kind, parameters, problems):
    assert RULES[kind].check(parameters) == problems


def test_describe_in_plain_language():
    c = clause(target=20, filters=Filters(target_groups=("newcomer", "unemployed_youth"), min_weeks=Decimal(8)))
    assert RULES["placement_count"].describe(c) == (
        "at least 20 distinct participants from newcomer or unemployed_youth, placements of at least 8 weeks, "
        "over the whole contract")
    per_value = clause(per_value_sek=10_000_000, units=1)
    assert RULES["placement_count"].describe(per_value) == (
        "at least 1 participant per 10 000 000 SEK of contract value, over the whole contract")
    r = clause("reporting", frequency="quarterly", due_days=30)
    assert RULES["reporting"].describe(r) == "a period report for each calendar quarter, submitted within 30 days of its end"
    assert RULES["hours_share"].describe(clause("hours_share", share=Decimal("0.05"), period="year")) == (
        "at least 5 % of the labour hours, each contract year")


def test_unknown_rule_is_a_clear_error():
    with pytest.raises(UnknownRule, match="clause SC-1: unknown rule 'nope'"):
        evaluate(contract(clause("nope")), records(), date(2017, 1, 1))


def test_json_shape_and_number_rendering():
    c = contract(clause("placement_weeks", target_weeks=Decimal(10)), clause(code="SC-2", target=1))
    result = evaluate(c, records([placement("A", "P-1", date(2016, 3, 1), date(2016, 3, 3))]), date(2018, 6, 30))
    data = result.to_json()
    assert set(data) == {"contract", "as_of", "overall", "clauses"}
    assert (data["contract"], data["as_of"], data["overall"]) == ("OH-2016-REMONTHAGEN", "2018-06-30", "breached")
    weeks, count = data["clauses"]
    spec_keys = {"code", "rule", "status", "actual", "target", "expected", "shortfall", "penalty_sek", "explanation",
                 "counted", "excluded"}
    assert spec_keys <= set(weeks) and spec_keys <= set(count)
    # 3 days = 0.43 weeks (rounded to 2 decimals); whole figures are ints.
    assert weeks["actual"] == 0.43 and isinstance(weeks["target"], int) and weeks["shortfall"] == 9.57
    assert count["actual"] == 1 and isinstance(count["actual"], int) and count["status"] == "met"
    assert result.clauses[0].actual * 7 == 3  # exact inside
