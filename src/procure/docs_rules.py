"""The rules reference of the documentation, generated from the rule classes.

`python -m procure.docs_rules > docs/manual/rules.md` (or `make rules-doc`) writes it;
tests/test_docs.py checks that the committed page equals what this prints, so the
reference cannot drift from the engine. Each rule kind's section comes from its class:
the module docstring (semantics), `measure` (how it is judged), `unit`, the declared
`Parameter`s with their descriptions, and a worked example taken from the example
contracts in `contracts/` with the expected result of their `*.cases.toml`.
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

from procure.engine.rules import COMMON_PARAMETERS, RULES, Parameter
from procure.formats.contract_toml import FILTER_PARAMETERS
from procure.resources import resource_dir

MEASURES = {
    "amount": "an **amount** that accumulates: the expected figure is the target pro rata to the days elapsed "
              "in the period, a final partial period's target is scaled (rounded up), and a penalty is "
              "per unit short",
    "share": "a **share** against a target share: the expected figure is the target share itself, and a "
             "period with nothing to divide by is `pending`; a penalty is per breached period",
    "deadline": "a **deadline**: each period is met or breached by a date",
}
KINDS = {
    "int": "whole number", "decimal": "number", "share": "share (0-1)", "bool": "true/false",
    "choice": "one code", "code_list": "list of codes", "value_table": "table",
}


def _parameter_rows(parameters: tuple[Parameter, ...]) -> list[str]:
    rows = ["| parameter | type | required | default | meaning |", "| --- | --- | --- | --- | --- |"]
    for p in parameters:
        kind = KINDS.get(p.kind, p.kind)
        if p.choices:
            kind += ": " + ", ".join(f"`{c}`" for c in p.choices)
        default = "–" if p.default is None else f"`{p.default}`"
        meaning = " ".join(p.description.split()).replace("|", "\\|")
        rows.append(f"| `{p.name}` | {kind} | {'yes' if p.required else 'no'} | {default} | {meaning} |")
    return rows


def _docstring(rule: type) -> str:
    text = inspect.getdoc(sys.modules[rule.__module__]) or ""
    return "\n".join(line for line in text.splitlines()).strip()


def _clause_blocks(text: str) -> list[tuple[str, str]]:
    """(code, raw TOML) of each `[[clause]]` table of a contract file."""
    blocks = re.split(r"(?m)^(?=\[\[|\[contract\])", text)
    found = []
    for block in blocks:
        if block.startswith("[[clause]]"):
            code = re.search(r'(?m)^code = "([^"]+)"', block)
            if code:
                found.append((code.group(1), block.strip()))
    return found


def _expectation(cases: str, code: str) -> str | None:
    """The first case's expectation of clause `code`, with its comments, and the case's name and date."""
    marker = f"[case.expect.clauses.{code}]"
    at = cases.find(marker)
    if at < 0:
        return None
    case_start = cases.rfind("[[case]]", 0, at)
    header = [line for line in cases[case_start:at].splitlines() if line.startswith(("name", "as_of"))]
    body = []
    for line in cases[at:].splitlines()[1:]:
        if line.startswith("["):
            break
        body.append(line)
    return "\n".join([*header, "", marker, *body]).strip()


def examples(contracts: Path) -> dict[str, list[tuple[str, str, str | None]]]:
    """rule kind -> [(contract file name, clause TOML, expectation)]"""
    found: dict[str, list[tuple[str, str, str | None]]] = {}
    for path in sorted(contracts.glob("*.toml")):
        if path.name.endswith(".cases.toml"):
            continue
        cases_path = path.with_name(path.name.replace(".toml", ".cases.toml"))
        cases = cases_path.read_text(encoding="utf-8") if cases_path.exists() else ""
        for code, block in _clause_blocks(path.read_text(encoding="utf-8")):
            kind = re.search(r'(?m)^rule = "([^"]+)"', block)
            if kind:
                found.setdefault(kind.group(1), []).append((path.name, block, _expectation(cases, code)))
    return found


# Kinds that no example contract uses get a small example here, evaluated by the engine
# when the page is generated: (clause TOML, placements CSV, as_of).
_CONTRACT = """[contract]
reference = "EX-1"
title = "Example"
buyer = { name = "Östersundshem AB", org_number = "556110-1816" }
contractor = { name = "Skanska Sverige AB", org_number = "556033-4285" }
value_sek = 10_000_000
start = 2016-03-01
end = 2018-06-30

"""
_CSV_HEADER = "participant_ref,target_groups,gender,birth_year,placement_type,start,end,hours_per_week,days_per_week,supervisor_trained,status,planned_end\n"
SMALL_EXAMPLES: dict[str, tuple[str, str, str, str]] = {
    "placement_weeks": ("""[[clause]]
code = "PW-1"
title = "Placement-weeks, full-time equivalent"
rule = "placement_weeks"
target_weeks = 20
fte = true
""", "P-1,newcomer,female,1990,internship,2016-03-01,2016-04-25,40,5,yes,completed,\n"
     "P-2,unemployed_youth,male,2000,internship,2016-05-01,2016-06-25,20,5,yes,completed,\n", "2018-06-30",
     "P-1 lasted 56 days = 8 weeks at 40 hours (8 full-time weeks); P-2 8 weeks at 20 hours (4 full-time weeks): "
     "12 of 20, and the contract has ended."),
    "full_time_months": ("""[[clause]]
code = "FT-1"
title = "Six months of employment"
rule = "full_time_months"
target_months = 6
completion_share = 0.75
placement_types = ["employment"]
""", "P-1,newcomer,female,1990,employment,2016-03-01,2016-07-31,40,5,yes,ended_early,2016-08-31\n", "2018-06-30",
     "Planned 2016-03-01 … 08-31 (184 days), ended early after 153 days = 83 % of it, at least the 75 % "
     "completion share: counted in full, 184 / 30.4375 = 6.05 months at 40 hours."),
    "social_value": ("""[[clause]]
code = "SV-1"
title = "Social value of 0.2 % of the contract value"
rule = "social_value"
share_of_value = 0.002
values = { internship = 1_500, employment = { newcomer = 3_000, "*" = 2_000 } }
""", "P-1,unemployed_youth,male,2000,internship,2016-03-01,2016-04-25,40,5,yes,completed,\n"
     "P-2,newcomer,female,1990,employment,2016-05-02,2016-05-29,40,5,yes,completed,\n", "2018-06-30",
     "Target 0.002 × 10,000,000 = 20,000 SEK. P-1: an internship of 8 weeks × 1,500 = 12,000; P-2: a "
     "newcomer's employment of 4 weeks × 3,000 = 12,000; 24,000 in all."),
}


def _small_example(kind: str) -> list[str]:
    from datetime import date

    from procure.engine import evaluate
    from procure.reports.evidence import result_json
    from procure.reports.inputs import load_inputs

    clause, rows, as_of, why = SMALL_EXAMPLES[kind]
    contract, records = load_inputs(("example.toml", _CONTRACT + clause), ("placements.csv", _CSV_HEADER + rows),
                                    secret=b"docs" * 8)
    [result] = result_json(evaluate(contract, records, date.fromisoformat(as_of)), "en")["clauses"]
    figures = {k: result[k] for k in ("status", "actual", "target", "expected", "shortfall") if k in result}
    lines = ["Worked example (evaluated by the engine when this page was generated), with the contract "
             "2016-03-01 … 2018-06-30 worth 10,000,000 SEK:", "", "```toml", clause.strip(), "```", "",
             "Placements:", "", "```text", (_CSV_HEADER + rows).strip(), "```", "",
             f"As of {as_of}: " + ", ".join(f"{k} `{v}`" for k, v in figures.items()) + ".", "",
             why, "", f"The engine's explanation: *{result['explanation']}*", ""]
    for entry in result.get("counted", []):
        extra = {k: v for k, v in entry.items() if k not in ("participant_ref", "placement_id")}
        lines.append(f"- counted: {entry['participant_ref']} " + ", ".join(f"{k} {v}" for k, v in extra.items()))
    for entry in result.get("excluded", []):
        lines.append(f"- excluded: {entry['participant_ref']}: {entry['reason']}")
    return [*lines, ""]


def render(contracts: Path | None = None) -> str:
    worked = examples(contracts or resource_dir("contracts"))
    out = [
        "<!-- Generated by `python -m procure.docs_rules` from the rule classes: do not edit by hand. -->",
        "# Rule kinds",
        "",
        "Each clause names one rule kind (`rule = \"…\"` in a contract's TOML). This page is generated from "
        "the engine's own rule classes (`src/procure/engine/rules/`): the text of each kind is its module's "
        "documentation, the parameters are the ones the class declares, and the worked examples are clauses of "
        "the example contracts in `contracts/` with the results their test cases expect. The definitions every "
        "kind shares (dates, periods, qualification, judging) are in [How the engine counts](engine.md).",
        "",
        "## Parameters of every clause",
        "",
        "Every kind takes these, besides its own:",
        "",
        *_parameter_rows(COMMON_PARAMETERS),
        "",
        "Filters, flat in the clause table, select the placements a clause counts:",
        "",
        *_parameter_rows(FILTER_PARAMETERS),
        "",
        "Money: `penalty = { per_unit_sek = …, per_breach_sek = …, cap_sek = … }` and "
        "`bonus = { per_unit_sek = …, cap_sek = … }`, whole SEK.",
        "",
    ]
    for kind in sorted(RULES):
        rule = RULES[kind]
        out += [f"## `{kind}`", "", _docstring(rule), ""]
        out += [f"- Judged as {MEASURES.get(rule.measure, rule.measure)}.",
                f"- Counts: {rule.unit}{' (whole SEK in results)' if rule.money else ''}.", ""]
        out += ["Its own parameters:", "", *_parameter_rows(rule.parameters), ""] if rule.parameters else []
        examples_of = worked.get(kind, [])
        if not examples_of and kind in SMALL_EXAMPLES:
            out += _small_example(kind)
        elif not examples_of:
            out += ["No example contract uses this kind yet; the engine's tests (`tests/engine/`) exercise it.", ""]
        for name, block, expectation in examples_of[:1]:
            out += [f"Worked example, from `contracts/{name}`:", "", "```toml", block, "```", ""]
            if expectation:
                out += ["The expected result, with the reasoning, from its test cases:", "", "```toml",
                        expectation, "```", ""]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
