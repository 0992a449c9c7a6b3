"""Explanations, reasons and descriptions in English and Swedish (procure.engine.wording)."""

from __future__ import annotations

import io
import re
import string
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from procure.domain.model import ContractRecords
from procure.engine import evaluate
from procure.engine.rules import RULES
from procure.engine.wording import (CATALOGUES, ENGLISH, SWEDISH, Day, Figure, Message, Number, Percent, Plural, Weeks,
                                    plural_form, render, unit)
from procure.formats.contract_toml import load_contract, load_contract_file
from procure.formats.records_csv import read_period_reports, read_placements

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
ENGINE = ROOT / "src" / "procure" / "engine"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _forms(entry) -> list[str]:
    """Every text of a catalogue entry, the plural ("other") one first."""
    if isinstance(entry, Plural):
        return _forms(entry.other) + _forms(entry.one)
    return [entry]


def test_every_message_key_is_in_both_languages_with_the_same_parameters():
    assert set(ENGLISH) == set(SWEDISH)
    for key in ENGLISH:
        english, swedish = _forms(ENGLISH[key]), _forms(SWEDISH[key])
        assert _fields(english[0]) == _fields(swedish[0]), key
        for plural, forms in ((english[0], english), (swedish[0], swedish)):
            # A singular may leave out the count ("within the first month"), never add a parameter.
            assert all(_fields(form) <= _fields(plural) for form in forms), key
            assert all(form.strip() for form in forms), key


def test_a_plural_entry_follows_a_parameter_of_its_message_or_is_a_counted_thing():
    for lang, catalogue in CATALOGUES.items():
        for key, entry in catalogue.items():
            stack = [entry]
            while stack:
                entry = stack.pop()
                if isinstance(entry, Plural):
                    if entry.count is None:
                        assert key.startswith("unit."), (lang, key)
                    else:
                        assert entry.count in _fields(_forms(entry)[0]), (lang, key)
                    stack += [entry.one, entry.other]


def test_every_key_the_engine_says_is_in_the_catalogues():
    said = set()
    for source in ENGINE.rglob("*.py"):
        said |= set(re.findall(r'Message\(\s*"([^"{]+)"\s*[,)]', source.read_text(encoding="utf-8")))
    assert said, "no Message keys found in the engine's source"
    said |= {f"unit.{rule.unit}" for rule in RULES.values()}
    for lang, catalogue in CATALOGUES.items():
        assert said - set(catalogue) == set(), lang


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'de'"):
        render(Message("excluded.planned"), "de")


@pytest.fixture(scope="module")
def remonthagen():
    contract = load_contract_file(CONTRACTS / "remonthagen.toml")
    participants, placements = read_placements(CONTRACTS / "remonthagen.placements.csv", secret=b"wording tests")
    records = ContractRecords(participants, placements, (),
                              read_period_reports(CONTRACTS / "remonthagen.reports.csv"))
    return contract, evaluate(contract, records, date(2017, 6, 30))


def _reasons(clause, lang):
    return {e.placement_id: e.reason_in(lang) for e in clause.excluded}


def test_swedish_reasons_of_the_worked_example(remonthagen):
    _, result = remonthagen
    sc1 = result.clauses[0]
    english, swedish = _reasons(sc1, "en"), _reasons(sc1, "sv")
    assert english["P-0003/2016-04-04/internship"] == "lasted 3.7 weeks, 8 required"
    assert swedish["P-0003/2016-04-04/internship"] == "varade 3,7 veckor, 8 krävs"
    assert swedish["P-0006/2016-06-20/summer_job"] == \
        "praktikplatstypen feriejobb ingår inte (praktik, lärlingsplats, anställning)"
    assert swedish["P-0005/2016-05-16/internship"] == \
        "deltagaren tillhör inte målgrupperna nyanländ, arbetslös ungdom 16–24"
    assert swedish["P-0016/2017-08-14/internship"] == "börjar 2017-08-14, efter bedömningsdagen"
    assert swedish["P-0015/2017-05-08/internship"] == \
        "pågår, 7,7 veckor hittills, 8 krävs (uppfyller kravet 2017-07-02)"
    # Every reason has a Swedish sentence of its own, never the English one.
    for placement, text in swedish.items():
        assert text and text != english[placement], placement


def test_swedish_explanations_of_the_worked_example(remonthagen):
    _, result = remonthagen
    by_code = {c.code: c for c in result.clauses}
    assert by_code["SC-1"].explanation == "10 of 20 qualifying participants, 11.43 expected by 2017-06-30"
    assert by_code["SC-1"].explanation_in("sv") == "10 av 20 kvalificerade deltagare, 11,43 förväntas till 2017-06-30"
    assert by_code["SC-2"].explanation_in("sv") == "40\u00a0% (4 av 10 kvalificerade deltagare) mot målet 40\u00a0%"
    assert by_code["SC-4"].explanation_in("sv") == "5 av 6 rapporter i tid (uppfyllt: 5, enligt plan: 1)"
    assert by_code["SC-4"].periods[-1].note_in("sv").startswith("inte inlämnad än, senast ")
    assert by_code["SC-1"].unit_in("sv") == "kvalificerade deltagare"


def test_swedish_descriptions(remonthagen):
    contract, result = remonthagen
    clause = contract.clauses[0]
    assert RULES[clause.rule].describe(clause) == result.clauses[0].description
    assert RULES[clause.rule].describe(clause, "sv") == (
        "minst 20 olika deltagare ur målgrupperna nyanländ eller arbetslös ungdom 16–24, placeringar som praktik, "
        "lärlingsplats eller anställning om minst 8 veckor, under hela avtalstiden")
    assert result.clauses[0].description_in("sv") == RULES[clause.rule].describe(clause, "sv")


def test_json_in_english_is_the_default_and_swedish_changes_only_the_sentences(remonthagen):
    _, result = remonthagen
    english, swedish = result.to_json(), result.to_json(lang="sv")
    assert result.to_json(lang="en") == english
    assert english["clauses"][0]["excluded"][0]["reason"] == result.clauses[0].excluded[0].reason
    texts = {"explanation", "description", "unit", "reason", "note"}

    def without_texts(value):
        if isinstance(value, dict):
            return {k: without_texts(v) for k, v in value.items() if k not in texts}
        if isinstance(value, list):
            return [without_texts(v) for v in value]
        return value

    assert without_texts(swedish) == without_texts(english)
    assert swedish["clauses"][0]["explanation"] != english["clauses"][0]["explanation"]
    with pytest.raises(ValueError):
        result.to_json(lang="de")


# -- singular and plural ------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "sv"])
@pytest.mark.parametrize("count, form", [
    (1, "one"), (0, "other"), (2, "other"), (21, "other"), (-1, "one"),
    ("1", "one"), ("2", "other"), ("?", "other"), ("None", "other"),
    (Number(1), "one"), (Number(Decimal("1.00")), "one"), (Number(Fraction(1)), "one"),
    (Number(Decimal("1.5")), "other"), (Number(Decimal("0.5")), "other"),
    (Figure(Fraction(1)), "one"), (Figure(Fraction(1), money=True), "one"), (Figure(Fraction(3, 2)), "other"),
    (Figure(Fraction(1001)), "other"), (Figure(Fraction(1001), money=True), "other"),
    # Weeks are said with one decimal, "1.0 weeks" / "1,0 veckor": plural in both languages.
    (Weeks(7), "other"), (Decimal("1.0"), "other"), (Decimal("1"), "one"),
    (True, "other"), (None, "other"), (Percent(Fraction(1, 100)), "other"),
])
def test_the_plural_form_follows_the_count_as_it_is_shown(count, form, lang):
    assert plural_form(count, lang) == form


def _said(key: str, **params) -> tuple[str, str]:
    message = Message(key, params)
    return render(message, "en"), render(message, "sv")


def test_messages_with_a_count_of_one_are_singular_and_other_counts_keep_their_plural():
    day = {"on": Day(date(2017, 4, 2)), "due": Day(date(2017, 4, 1))}
    assert _said("note.late", late=1, **day) == (
        "submitted on 2017-04-02, 1 day after the due date 2017-04-01",
        "inlämnad 2017-04-02, 1 dag efter sista dagen 2017-04-01")
    assert _said("note.late", late=2, **day) == (
        "submitted on 2017-04-02, 2 days after the due date 2017-04-01",
        "inlämnad 2017-04-02, 2 dagar efter sista dagen 2017-04-01")
    assert _said("describe.placement_count", target="1") == ("at least 1 participant", "minst 1 deltagare")
    assert _said("describe.placement_count", target="0") == (
        "at least 0 distinct participants", "minst 0 olika deltagare")
    assert _said("describe.reporting_monthly", days="1") == (
        "a period report for each calendar month, submitted within 1 day of its end",
        "en periodrapport för varje kalendermånad, inlämnad inom 1 dag efter månadens slut")
    assert _said("clause.reports", on_time=1, count=1, summary="x") == (
        "1 of 1 report on time (x)", "1 av 1 rapport i tid (x)")
    assert _said("clause.reports", on_time=1, count=2, summary="x") == (
        "1 of 2 reports on time (x)", "1 av 2 rapporter i tid (x)")
    assert _said("clause.periods", count=1, summary="x") == ("1 period (x)", "1 period (x)")
    assert _said("clause.periods", count=3, summary="x") == ("3 periods (x)", "3 perioder (x)")
    assert _said("excluded.hours", hours=Number(Decimal("1")), required=Number(20)) == (
        "1 hour a week, 20 required", "1 timme i veckan, 20 krävs")
    assert _said("excluded.hours", hours=Number(Decimal("1.5")), required=Number(20)) == (
        "1.5 hours a week, 20 required", "1,5 timmar i veckan, 20 krävs")


def test_a_length_in_weeks_stays_plural_even_at_one_week():
    assert _said("excluded.lasted", weeks=Weeks(7), required=Number(8)) == (
        "lasted 1.0 weeks, 8 required", "varade 1,0 veckor, 8 krävs")


def test_the_counted_thing_follows_the_count_it_is_said_with():
    counted = unit("reports on time")
    figures = {"actual": Figure(Fraction(0)), "target": Figure(Fraction(1)), "unit": counted}
    assert _said("period.amount", **figures) == ("0 of 1 report on time", "0 av 1 rapport i tid")
    # The same unit said on its own, or with another count, is plural (the singular is not cached for it).
    assert (counted.text("en"), counted.text("sv")) == ("reports on time", "rapporter i tid")
    assert _said("period.amount", **{**figures, "target": Figure(Fraction(2))}) == (
        "0 of 2 reports on time", "0 av 2 rapporter i tid")
    assert _said("period.share_nothing", unit=unit("qualifying participants")) == (
        "nothing to judge yet (no qualifying participants)", "inget att bedöma än (inga kvalificerade deltagare)")
    share = {"actual": Percent(Fraction(1)), "numerator": Figure(Fraction(1)), "denominator": Figure(Fraction(1)),
             "unit": unit("qualifying participants"), "target": Percent(Fraction(1, 2))}
    assert _said("period.share", **share) == (
        "100 % (1 of 1 qualifying participant) against a target of 50 %",
        "100\u00a0% (1 av 1 kvalificerad deltagare) mot målet 50\u00a0%")
    assert _said("period.amount", actual=Figure(Fraction(0), True), target=Figure(Fraction(1), True),
                 unit=unit("SEK of social value")) == ("0 of 1 SEK of social value", "0 av 1 krona i socialt värde")


_SMALL_CONTRACT = """
[contract]
reference = "T-PLURAL"
title = "Counts of one"
site = "Östersund"
buyer = { name = "Östersundshem AB", org_number = "556110-1816" }
contractor = { name = "Skanska Sverige AB", org_number = "556033-4285" }
value_sek = 1_000_000
start = 2017-01-01
end = 2017-12-31

[[clause]]
code = "ONE"
title = "One participant"
text = "x"
rule = "placement_count"
target = 1
min_weeks = 1
min_days_per_week = 2
min_hours_per_week = 1

[[clause]]
code = "TWO"
title = "Two participants"
text = "x"
rule = "placement_count"
target = 2
min_weeks = 2
min_days_per_week = 3
min_hours_per_week = 2

[[clause]]
code = "REP"
title = "Reports"
text = "x"
rule = "reporting"
frequency = "quarterly"
due_days = 1

[[clause]]
code = "FTM1"
title = "Months"
text = "x"
rule = "full_time_months"
target_months = 1
first_within_months = 1

[[clause]]
code = "FTM2"
title = "Months"
text = "x"
rule = "full_time_months"
target_months = 2
first_within_months = 2

[[clause]]
code = "OUT"
title = "Outcomes"
text = "x"
rule = "outcome_rate"
share = 0.5
outcomes = ["education"]
follow_up_months = 1
"""

_SMALL_PLACEMENTS = """\
participant_ref;target_groups;gender;birth_year;personnummer;placement_type;start;end;hours_per_week;days_per_week;employer_org_number;supervisor_trained;status;outcome;outcome_date
P-1;newcomer;female;1990;;internship;2017-03-01;2017-04-28;40;1;556033-4285;ja;completed;;
P-2;newcomer;male;1991;;internship;2017-03-01;2017-04-28;40;2;556033-4285;ja;completed;;
"""

_SMALL_REPORTS = """\
period;submitted_on
2017-Q1;2017-04-02
2017-Q2;2017-07-01
2017-Q3;2017-10-03
"""


@pytest.fixture(scope="module")
def counts_of_one():
    contract = load_contract(_SMALL_CONTRACT)
    participants, placements = read_placements(io.StringIO(_SMALL_PLACEMENTS), secret=b"wording tests")
    records = ContractRecords(participants, placements, (), read_period_reports(io.StringIO(_SMALL_REPORTS)))
    result = evaluate(contract, records, date(2017, 12, 31))
    return {clause.code: clause for clause in result.clauses}


def _both(said) -> tuple[str, str]:
    return said("en"), said("sv")


def test_descriptions_with_targets_of_one_are_singular(counts_of_one):
    assert _both(counts_of_one["ONE"].description_in) == (
        "at least 1 participant, placements of at least 1 week, at least 2 days a week at the workplace, "
        "at least 1 hour a week, over the whole contract",
        "minst 1 deltagare, placeringar om minst 1 vecka, minst 2 dagar i veckan på arbetsplatsen, "
        "minst 1 timme i veckan, under hela avtalstiden")
    assert _both(counts_of_one["TWO"].description_in) == (
        "at least 2 distinct participants, placements of at least 2 weeks, at least 3 days a week at the workplace, "
        "at least 2 hours a week, over the whole contract",
        "minst 2 olika deltagare, placeringar om minst 2 veckor, minst 3 dagar i veckan på arbetsplatsen, "
        "minst 2 timmar i veckan, under hela avtalstiden")
    assert _both(counts_of_one["REP"].description_in) == (
        "a period report for each calendar quarter, submitted within 1 day of its end",
        "en periodrapport för varje kalenderkvartal, inlämnad inom 1 dag efter kvartalets slut")
    assert _both(counts_of_one["FTM1"].description_in) == (
        "at least 1 full-time employment month, over the whole contract",
        "minst 1 heltidsanställningsmånad, under hela avtalstiden")
    assert _both(counts_of_one["FTM2"].description_in) == (
        "at least 2 full-time employment months, over the whole contract",
        "minst 2 heltidsanställningsmånader, under hela avtalstiden")
    assert _both(counts_of_one["OUT"].description_in)[1].endswith(
        "inom 1 månad efter placeringens slut, under hela avtalstiden")


def test_reasons_with_one_day_a_week_are_singular(counts_of_one):
    one = {e.placement_id: _both(e.reason_in) for e in counts_of_one["ONE"].excluded}
    assert one == {"P-1/2017-03-01/internship": (
        "1 day a week at the workplace, 2 required", "1 dag i veckan på arbetsplatsen, 2 krävs")}
    two = {e.placement_id: _both(e.reason_in) for e in counts_of_one["TWO"].excluded}
    assert two["P-2/2017-03-01/internship"] == (
        "2 days a week at the workplace, 3 required", "2 dagar i veckan på arbetsplatsen, 3 krävs")


def test_explanations_with_a_target_of_one_are_singular(counts_of_one):
    assert _both(counts_of_one["ONE"].explanation_in) == (
        "1 of 1 qualifying participant", "1 av 1 kvalificerad deltagare")
    assert _both(counts_of_one["TWO"].explanation_in) == (
        "0 of 2 qualifying participants; 2 short", "0 av 2 kvalificerade deltagare; 2 saknas")
    first_month, first_two = counts_of_one["FTM1"], counts_of_one["FTM2"]
    assert _both(first_month.periods[0].note_in) == (
        "no placement started within the first month (by 2017-01-31)",
        "ingen placering påbörjades inom den första månaden (senast 2017-01-31)")
    assert _both(first_two.periods[0].note_in) == (
        "no placement started within the first 2 months (by 2017-02-28)",
        "ingen placering påbörjades inom de första 2 månaderna (senast 2017-02-28)")
    english, swedish = _both(first_month.explanation_in)
    assert english.startswith("3.88 of 1 full-time employment month; ")
    assert swedish.startswith("3,88 av 1 heltidsanställningsmånad; ")
    english, swedish = _both(first_two.explanation_in)
    assert english.startswith("3.88 of 2 full-time employment months; ")
    assert swedish.startswith("3,88 av 2 heltidsanställningsmånader; ")


def test_a_report_one_day_late_is_said_in_the_singular(counts_of_one):
    notes = [_both(p.note_in) for p in counts_of_one["REP"].periods]
    assert notes[0] == ("submitted on 2017-04-02, 1 day after the due date 2017-04-01",
                        "inlämnad 2017-04-02, 1 dag efter sista dagen 2017-04-01")
    assert notes[2] == ("submitted on 2017-10-03, 2 days after the due date 2017-10-01",
                        "inlämnad 2017-10-03, 2 dagar efter sista dagen 2017-10-01")
    english, swedish = _both(counts_of_one["REP"].explanation_in)
    assert english.startswith("1 of 4 reports on time (")
    assert swedish.startswith("1 av 4 rapporter i tid (")
