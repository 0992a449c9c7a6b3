"""Contracts as TOML: loading with every error at once, and writing back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from stdnum import luhn

from procure.domain.model import Bonus, Clause, Contract, Filters, Organisation, Penalty, Waiver
from procure.domain.vocabulary import GENDERS, OUTCOMES, PLACEMENT_TYPES, TARGET_GROUPS
from procure.engine.rules import COMMON_PARAMETERS, RULES
from procure.formats.contract_toml import dump_contract, load_contract, load_contract_file
from procure.formats.errors import InputErrors

CONTRACTS = Path(__file__).parents[2] / "contracts"
EXAMPLES = sorted(path for path in CONTRACTS.glob("*.toml") if not path.name.endswith(".cases.toml"))

HEAD = """\
[contract]
reference = "OH-2016-REMONTHAGEN"
title = "Remonthagen"
buyer = { name = "Östersundshem AB", org_number = "556110-1816" }
contractor = { name = "Skanska Sverige AB", org_number = "556033-4285" }
value_sek = 180_000_000
start = 2016-03-01
end = 2018-06-30
"""

CLAUSE = """
[[clause]]
code = "SC-1"
title = "Internships"
rule = "placement_count"
target = 20
min_weeks = 8
target_groups = ["newcomer", "unemployed_youth"]
penalty = { per_unit_sek = 25_000, cap_sek = 500_000 }
"""


def errors_of(text: str) -> list:
    with pytest.raises(InputErrors) as caught:
        load_contract(text, source="x.toml")
    return caught.value.errors


def test_spec_example_loads():
    contract = load_contract(HEAD + CLAUSE)
    assert contract.buyer == Organisation("Östersundshem AB", "556110-1816", "buyer")
    assert contract.start == date(2016, 3, 1) and contract.value_sek == 180_000_000
    [clause] = contract.clauses
    assert clause.parameters == {"target": 20}
    assert clause.filters == Filters(target_groups=("newcomer", "unemployed_youth"), min_weeks=Decimal(8))
    assert clause.penalty == Penalty(per_unit_sek=25_000, cap_sek=500_000)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_examples_load_and_round_trip(path: Path):
    contract = load_contract_file(path)
    assert contract.clauses
    assert load_contract(dump_contract(contract)) == contract


def test_dump_keeps_spec_layout():
    text = dump_contract(load_contract(HEAD + CLAUSE))
    assert 'buyer = { name = "Östersundshem AB", org_number = "556110-1816" }' in text
    assert "value_sek = 180_000_000" in text
    assert "start = 2016-03-01" in text
    assert 'target_groups = ["newcomer", "unemployed_youth"]' in text
    assert "penalty = { per_unit_sek = 25_000, cap_sek = 500_000 }" in text
    assert "min_weeks = 8\n" in text


# -- errors ------------------------------------------------------------------------------


def test_toml_syntax_error_has_its_line():
    [error] = errors_of(HEAD + "\n[[clause]]\ncode = SC-1\n")
    assert error.line == 11
    assert str(error).startswith("x.toml:11: not valid TOML")


def test_a_date_that_does_not_exist_is_a_toml_error_on_its_line():
    [error] = errors_of(HEAD.replace("end = 2018-06-30", "end = 2018-02-30") + CLAUSE)
    assert error.line == 8 and "2016-03-01" in error.message


def test_error_text_names_file_line_and_field():
    [error] = errors_of(HEAD + CLAUSE.replace("target = 20", "target = -3"))
    assert str(error) == "x.toml:14: clause[SC-1].target: must be a whole number ≥ 0"


def test_unknown_rule_lists_the_known_ones():
    [error] = errors_of(HEAD + CLAUSE.replace('"placement_count"', '"placement_cnt"'))
    assert error.field == "clause[SC-1].rule" and error.line == 13
    assert "did you mean placement_count?" in error.message
    assert all(kind in error.message for kind in RULES)


def test_unknown_field_is_named_with_the_close_match():
    [error] = errors_of(HEAD + CLAUSE + "min_week = 8\n")
    assert error.field == "clause[SC-1].min_week" and error.line == 18
    assert "did you mean min_weeks?" in error.message


def test_a_parameter_of_another_rule_is_unknown():
    [error] = errors_of(HEAD + CLAUSE + "share = 0.5\n")
    assert error.field == "clause[SC-1].share"


def test_unknown_contract_field():
    [error] = errors_of(HEAD.replace("value_sek", "value") + CLAUSE)
    assert error.field == "contract.value" and "value_sek" in error.message and error.line == 6


@pytest.mark.parametrize(
    "old, new, field",
    [
        ('title = "Remonthagen"', "title = 12", "contract.title"),
        ("start = 2016-03-01", 'start = "2016-03-01"', "contract.start"),
        ("start = 2016-03-01", "start = 2016-03-01T08:00:00", "contract.start"),
        ("value_sek = 180_000_000", "value_sek = 1.5e8", "contract.value_sek"),
        ('"556033-4285"', '"556033-4286"', "contract.contractor.org_number"),
    ],
)
def test_wrong_types_and_values_in_the_contract(old, new, field):
    [error] = errors_of(HEAD.replace(old, new) + CLAUSE)
    assert error.field == field
    assert error.line is not None


def test_end_before_start():
    [error] = errors_of(HEAD.replace("end = 2018-06-30", "end = 2015-06-30") + CLAUSE)
    assert error.field == "contract.end" and "before the start" in error.message


def test_a_share_outside_zero_to_one_suggests_a_fraction():
    clause = '\n[[clause]]\ncode = "SC-2"\ntitle = "Women"\nrule = "group_share"\nshare = 40\ngender = "female"\n'
    [error] = errors_of(HEAD + clause)
    assert error.field == "clause[SC-2].share" and "0.4 for 40 %" in error.message


def test_vocabularies_are_checked_and_own_groups_accepted():
    clause = CLAUSE.replace('"unemployed_youth"]', '"roma_inclusion"]').replace("min_weeks = 8", 'placement_types = ["praktik"]')
    errors = errors_of(HEAD + clause)
    assert [e.field for e in errors] == ["clause[SC-1].placement_types", "clause[SC-1].target_groups"]
    contract = load_contract(HEAD + 'target_groups = ["roma_inclusion"]\n' + CLAUSE.replace('"unemployed_youth"]', '"roma_inclusion"]'))
    assert contract.extra_target_groups == ("roma_inclusion",)
    assert contract.clauses[0].filters.target_groups == ("newcomer", "roma_inclusion")


def test_outcome_codes_are_checked():
    clause = (
        '\n[[clause]]\ncode = "O-1"\ntitle = "Jobs"\nrule = "outcome_rate"\nshare = 0.5\n'
        'outcomes = ["job_matching", "hired"]\nfollow_up_months = 6\n'
    )
    [error] = errors_of(HEAD + clause)
    assert error.field == "clause[O-1].outcomes" and "hired" in error.message


def test_duplicate_clause_codes():
    [error] = errors_of(HEAD + CLAUSE + CLAUSE)
    assert error.field == "clause[SC-1].code" and error.line == 20 and "line 10" in error.message


def test_rule_check_problems_are_reported_on_their_field():
    clause = CLAUSE.replace("target = 20", "target = 20\nper_value_sek = 10_000_000\nunits = 1")
    errors = errors_of(HEAD + clause)
    assert [e.field for e in errors] == ["clause[SC-1].target"]
    assert "not both" in errors[0].message


def test_missing_required_parameter():
    clause = '\n[[clause]]\ncode = "H-1"\ntitle = "Hours"\nrule = "hours_share"\n'
    [error] = errors_of(HEAD + clause)
    assert error.field == "clause[H-1].share" and error.message == "is required"


def test_waiver_must_name_a_clause_and_fall_in_the_term():
    waivers = (
        '\n[[waiver]]\nclause = "SC-9"\nreason = "no candidates"\n'
        '\n[[waiver]]\nclause = "SC-1"\nperiod = 2019-01-01\nreason = "no candidates"\n'
    )
    errors = errors_of(HEAD + CLAUSE + waivers)
    assert [e.field for e in errors] == ["waiver[0].clause", "waiver[1].period"]
    assert [e.line for e in errors] == [20, 25]


def test_all_errors_are_reported_at_once_in_line_order():
    text = (
        HEAD.replace("556110-1816", "556110-1817").replace("end = 2018-06-30", "end = 2015-06-30")
        + CLAUSE.replace("target = 20", "target = 2.5").replace('"newcomer", ', '"nykomling", ')
        + "\n[[clause]]\ncode = 7\nrule = \"supervision\"\n"
    )
    errors = errors_of(text)
    assert [e.field for e in errors] == [
        "contract.buyer.org_number",
        "contract.end",
        "clause[SC-1].target",
        "clause[SC-1].target_groups",
        "clause[1].title",  # missing: the line of its [[clause]]
        "clause[1].code",
    ]
    assert [e.line for e in errors] == sorted(e.line for e in errors)


def test_clause_sub_tables_are_located():
    text = HEAD + CLAUSE.replace("penalty = { per_unit_sek = 25_000, cap_sek = 500_000 }\n", "") + "\n[clause.penalty]\nper_unit = 5\n"
    [error] = errors_of(text)
    assert error.field == "clause[SC-1].penalty" and error.line == 18


def test_missing_contract_table():
    [error] = errors_of(CLAUSE)
    assert "[contract]" in error.message


def test_load_contract_file_names_the_file(tmp_path: Path):
    path = tmp_path / "bad.toml"
    path.write_text(HEAD.replace("556110-1816", "123"), encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        load_contract_file(path)
    assert str(caught.value.errors[0]).startswith(f"{path}:4: contract.buyer.org_number")


# -- round trip over generated contracts ------------------------------------------------------


def org_numbers():
    return st.from_regex(r"55[0-9]{7}", fullmatch=True).map(
        lambda base: f"{base[:6]}-{base[6:]}{luhn.calc_check_digit(base)}"
    )


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
names = texts.filter(str.strip)
decimals = st.decimals(min_value=0, max_value=1000, places=2)
shares = st.decimals(min_value=0, max_value=1, places=3)
GROUPS = tuple(TARGET_GROUPS) + ("roma_inclusion",)


def parameter_values(parameter):
    kind = parameter.kind
    if kind == "int":
        return st.integers(1, 10**8)
    if kind == "decimal":
        return decimals
    if kind == "share":
        return shares
    if kind == "bool":
        return st.booleans()
    if kind == "choice":
        choices = parameter.choices or (GENDERS if parameter.name == "gender" else GROUPS)
        return st.sampled_from(list(choices))
    if kind == "code_list":
        choices = parameter.choices or (OUTCOMES if parameter.name == "outcomes" else GROUPS)
        return st.lists(st.sampled_from(list(choices)), min_size=1, unique=True).map(tuple)
    if kind == "value_table":
        amount = st.decimals(min_value=0, max_value=10**5, places=0)
        by_group = st.dictionaries(st.sampled_from(GROUPS + ("*",)), amount, min_size=1)
        return st.dictionaries(st.sampled_from(list(PLACEMENT_TYPES)), amount | by_group, min_size=1)
    raise AssertionError(kind)


@st.composite
def clauses(draw, code):
    kind = draw(st.sampled_from(sorted(RULES)))
    rule = RULES[kind]
    parameters = {}
    for parameter in (*COMMON_PARAMETERS, *rule.parameters):
        if parameter.required or draw(st.booleans()):
            parameters[parameter.name] = draw(parameter_values(parameter))
    assume(not rule.check(parameters))
    filters = Filters(
        placement_types=draw(st.none() | st.lists(st.sampled_from(list(PLACEMENT_TYPES)), min_size=1, unique=True).map(tuple)),
        target_groups=draw(st.none() | st.lists(st.sampled_from(GROUPS), min_size=1, unique=True).map(tuple)),
        min_weeks=draw(st.none() | decimals),
        min_days_per_week=draw(st.none() | st.decimals(min_value=0, max_value=7, places=1)),
        min_hours_per_week=draw(st.none() | st.decimals(min_value=0, max_value=168, places=1)),
        require_trained_supervisor=draw(st.booleans()),
        exclude_employed_before_start=draw(st.booleans()),
    )
    money = st.integers(0, 10**7)
    return Clause(
        code=code,
        title=draw(names),
        rule=kind,
        text=draw(texts),
        parameters=parameters,
        filters=filters,
        penalty=draw(st.none() | st.builds(Penalty, money, money, st.none() | money)),
        bonus=draw(st.none() | st.builds(Bonus, money, st.none() | money)),
    )


@st.composite
def contracts(draw):
    start = draw(st.dates(date(2000, 1, 1), date(2040, 1, 1)))
    end = draw(st.dates(start, date(2045, 1, 1)))
    codes = draw(st.lists(st.from_regex(r"[A-Z]{2}-[0-9]{1,2}", fullmatch=True), unique=True, max_size=4))
    items = [draw(clauses(code)) for code in codes]
    organisation = lambda kind: st.builds(Organisation, names, org_numbers(), st.just(kind))  # noqa: E731
    waivers = [
        Waiver(code, draw(names), draw(st.none() | st.dates(start, end)))
        for code in (draw(st.lists(st.sampled_from(codes), max_size=2)) if codes else [])
    ]
    return Contract(
        reference=draw(names),
        title=draw(names),
        buyer=draw(organisation("buyer")),
        contractor=draw(organisation("contractor")),
        start=start,
        end=end,
        value_sek=draw(st.integers(1, 10**10)),
        currency=draw(st.sampled_from(["SEK", "EUR"])),
        site=draw(texts),
        status=draw(st.sampled_from(["draft", "active", "closed"])),
        subcontractors=tuple(draw(st.lists(organisation("contractor"), max_size=2, unique_by=lambda o: o.org_number))),
        auditors=tuple(draw(st.lists(organisation("audit"), max_size=1))),
        extra_target_groups=("roma_inclusion",),
        clauses=tuple(items),
        waivers=tuple(waivers),
    )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(contracts())
def test_dump_then_load_gives_an_equal_contract(contract):
    assert load_contract(dump_contract(contract)) == contract
