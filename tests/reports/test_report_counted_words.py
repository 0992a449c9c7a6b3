"""The report's phrases with a count: "1 dag/vecka" but "5 dagar/vecka" (procure.reports.i18n)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

import pytest

from procure.engine import evaluate
from procure.reports.i18n import Catalogue
from procure.reports.render import report_html

from report_fixtures import example_inputs


@pytest.mark.parametrize("shown, sv, en", [
    ("1", "1 dag/vecka", "1 day/week"),
    ("0", "0 dagar/vecka", "0 days/week"),
    ("2", "2 dagar/vecka", "2 days/week"),
    ("1,5", "1,5 dagar/vecka", "1,5 days/week"),
    ("1.5", "1.5 dagar/vecka", "1.5 days/week"),
])
def test_days_a_week_follow_the_number_as_shown(shown, sv, en):
    assert Catalogue("sv")("days_per_week", days=shown) == sv
    assert Catalogue("en")("days_per_week", days=shown) == en


def test_phrases_without_a_count_are_unchanged():
    assert Catalogue("sv")("hours_per_week") == "tim/vecka"
    assert Catalogue("en")("evidence") == "Appendix: evidence per placement"


@pytest.mark.parametrize("lang, one, five", [("sv", "1 dag/vecka", "5 dagar/vecka"),
                                             ("en", "1 day/week", "5 days/week")])
def test_the_appendix_says_one_day_a_week_in_the_singular(lang, one, five):
    contract, records = example_inputs("remonthagen")
    first, *rest = records.placements
    assert first.days_per_week == 5
    records = replace(records, placements=(replace(first, days_per_week=Decimal("1.0")), *rest))
    html = report_html(contract, records, evaluate(contract, records, contract.end), lang=lang,
                       generated_at=datetime(2026, 1, 1), report_id="R", audit_head_hash=None,
                       attachments_sha256="0" * 64, charts=False)
    entries = {entry[entry.rindex("(") + 1:entry.rindex(")")]: entry
               for entry in (part.split("\n")[0] for part in html.split('<div class="pl">')[1:])}
    assert f" · {one} · " in entries[first.id]
    assert f" · {five} · " in entries[rest[0].id]
