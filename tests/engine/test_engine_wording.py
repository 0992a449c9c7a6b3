"""Explanations, reasons and descriptions in English and Swedish (procure.engine.wording)."""

from __future__ import annotations

import re
import string
from datetime import date
from pathlib import Path

import pytest

from procure.domain.model import ContractRecords
from procure.engine import evaluate
from procure.engine.rules import RULES
from procure.engine.wording import CATALOGUES, ENGLISH, SWEDISH, Message, render
from procure.formats.contract_toml import load_contract_file
from procure.formats.records_csv import read_period_reports, read_placements

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
ENGINE = ROOT / "src" / "procure" / "engine"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_key_is_in_both_languages_with_the_same_parameters():
    assert set(ENGLISH) == set(SWEDISH)
    for key in ENGLISH:
        assert _fields(ENGLISH[key]) == _fields(SWEDISH[key]), key
        assert SWEDISH[key].strip(), key


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
