"""The progress chart: SVG the PDF and the web pages can both use."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from procure.engine.series import progress
from procure.reports.charts import progress_chart_svg

from report_fixtures import rendered


@pytest.mark.parametrize(("lang", "words"), [("sv", ("Utfall", "Jämn takt")), ("en", ("Actual", "Pro rata"))])
def test_a_count_clause_chart_is_svg_with_labels_in_the_language(lang: str, words: tuple[str, str]) -> None:
    report = rendered("remonthagen", lang)
    clause = report.contract.clauses[0]
    as_of = __import__("datetime").date.fromisoformat(report.result["as_of"])
    series = progress(report.contract, report.records, as_of)[clause.code]
    svg = progress_chart_svg(clause, report.result["clauses"][0], report.contract, as_of, lang, series)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    for word in words:
        assert word in svg
    assert svg == progress_chart_svg(clause, report.result["clauses"][0], report.contract, as_of, lang, series)


def test_the_series_ends_at_the_reported_actual_and_never_falls_for_a_count() -> None:
    report = rendered("remonthagen", "en")
    clause = report.contract.clauses[0]
    from datetime import date

    series = progress(report.contract, report.records, date.fromisoformat(report.result["as_of"]))[clause.code]
    values = [value for _, value in series]
    assert values == sorted(values)
    assert values[-1] == report.result["clauses"][0]["actual"]
    assert series[0][0] == report.contract.start


def _in_new_thread(draw):
    """What `draw` returns when run in a thread of its own (which draws on a figure of its own)."""
    import threading

    answer = []
    worker = threading.Thread(target=lambda: answer.append(draw()))
    worker.start()
    worker.join()
    return answer[0]


@pytest.mark.parametrize("name", ["remonthagen", "value-based"])
def test_a_chart_is_the_same_whichever_chart_was_drawn_before_it(name: str) -> None:
    from datetime import date

    from procure.engine.rules import RULES

    report = rendered(name, "sv")
    as_of = date.fromisoformat(report.result["as_of"])
    results = {item["code"]: item for item in report.result["clauses"]}
    charted = [clause for clause in report.contract.clauses if RULES[clause.rule].chart is not None]
    shares = [clause for clause in charted if RULES[clause.rule].chart == "share"]
    assert shares and len(shares) < len(charted), "the example should chart both shares and counts"

    series = progress(report.contract, report.records, as_of)

    def draw(clause, lang="sv"):
        return progress_chart_svg(clause, results[clause.code], report.contract, as_of, lang, series[clause.code])

    alone = {clause.code: _in_new_thread(lambda clause=clause: draw(clause)) for clause in charted}

    def all_in_one_thread(order):
        return [(clause.code, draw(clause)) for clause in order]

    for order in (charted, charted[::-1]):
        for code, svg in _in_new_thread(lambda order=order: all_in_one_thread(order)):
            assert svg == alone[code], f"{code} drawn after other charts differs from {code} drawn first"
    # A chart in the other language in between leaves none of its labels behind.
    first = charted[0]
    assert _in_new_thread(lambda: (draw(first, "en"), draw(first))[1]) == alone[first.code]
