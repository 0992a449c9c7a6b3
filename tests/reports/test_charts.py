"""The progress chart: SVG the PDF and the web pages can both use."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from procure.reports.charts import progress_chart_svg, progress_series

from report_fixtures import rendered


@pytest.mark.parametrize(("lang", "words"), [("sv", ("Utfall", "Jämn takt")), ("en", ("Actual", "Pro rata"))])
def test_a_count_clause_chart_is_svg_with_labels_in_the_language(lang: str, words: tuple[str, str]) -> None:
    report = rendered("remonthagen", lang)
    clause = report.contract.clauses[0]
    as_of = __import__("datetime").date.fromisoformat(report.result["as_of"])
    svg = progress_chart_svg(clause, report.result["clauses"][0], report.contract, report.records, as_of, lang)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    for word in words:
        assert word in svg
    assert svg == progress_chart_svg(clause, report.result["clauses"][0], report.contract, report.records, as_of, lang)


def test_the_series_ends_at_the_reported_actual_and_never_falls_for_a_count() -> None:
    report = rendered("remonthagen", "en")
    clause = report.contract.clauses[0]
    from datetime import date

    series = progress_series(clause, report.contract, report.records, date.fromisoformat(report.result["as_of"]))
    values = [value for _, value in series]
    assert values == sorted(values)
    assert values[-1] == report.result["clauses"][0]["actual"]
    assert series[0][0] == report.contract.start
