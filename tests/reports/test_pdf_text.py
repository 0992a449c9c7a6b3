"""What a reader of the PDF sees: the verdict, every clause's figures, every exclusion."""

from __future__ import annotations

from procure.domain.vocabulary import STATUS_LABELS

from report_fixtures import Rendered, plain, rendered


def _grouped(value: int, lang: str) -> str:
    text = f"{value:,}"
    return text.replace(",", " ") if lang == "sv" else text


def _money(value: int, lang: str) -> str:
    return f"{_grouped(value, 'sv')} kr" if lang == "sv" else f"SEK {_grouped(value, 'en')}"


def test_cover_shows_the_contract_and_the_overall_verdict_in_words(remonthagen: Rendered) -> None:
    text, lang = remonthagen.text, remonthagen.lang
    assert remonthagen.contract.reference in text
    assert remonthagen.contract.contractor.name in text
    assert STATUS_LABELS[remonthagen.result["overall"]][lang] in text
    assert _money(remonthagen.contract.value_sek, lang) in text
    assert f"R-remonthagen-{lang}" in text
    term = {"sv": "1 mars 2016 – 30 juni 2018", "en": "1 March 2016 – 30 June 2018"}[lang]
    assert term in text


def test_each_clause_shows_its_status_figures_and_penalty(remonthagen: Rendered) -> None:
    text, lang = remonthagen.text, remonthagen.lang
    for clause in remonthagen.result["clauses"]:
        assert clause["code"] in text
        assert STATUS_LABELS[clause["status"]][lang] in text
        assert _money(clause["penalty_sek"], lang) in text
        if clause["measure"] == "share":
            share = round(clause["target"] * 100)
            assert f"{share} %" in text or f"{share}%" in text
        elif isinstance(clause["actual"], int) and isinstance(clause["target"], int):
            section = text[text.index(f"{clause['code']} ·"):]
            assert _grouped(clause["actual"], lang) in section
            assert _grouped(clause["target"], lang) in section
    for clause in remonthagen.said["clauses"]:
        assert plain(clause["explanation"]) in text


def test_a_breached_count_clause_carries_its_penalty_in_words_and_figures() -> None:
    report = rendered("remonthagen", "en")
    breached = [c for c in report.result["clauses"] if c["status"] == "breached" and c["penalty_sek"]]
    assert breached, "the example contract should have a breached clause with a penalty"
    for clause in breached:
        section = report.text[report.text.index(f"{clause['code']} ·"):]
        assert f"SEK {clause['penalty_sek']:,}" in section


def _appendix_by_placement(report: Rendered) -> dict[str, str]:
    """The appendix text following each placement's id, up to the next placement's id."""
    appendix = report.text.split({"sv": "Bilaga: underlag", "en": "Appendix: evidence"}[report.lang])[-1]
    ids = [f"({placement.id})" for placement in report.records.placements]
    starts = [appendix.index(pid) for pid in ids]
    assert starts == sorted(starts), "placements are listed in the order reported"
    ends = starts[1:] + [len(appendix)]
    return {pid[1:-1]: appendix[start:end] for pid, start, end in zip(ids, starts, ends)}


def test_every_excluded_placement_appears_with_its_reason_under_its_own_entry(remonthagen: Rendered) -> None:
    sections = _appendix_by_placement(remonthagen)
    for clause in remonthagen.said["clauses"]:
        for entry in clause["excluded"]:
            section = sections[entry["placement_id"]]
            assert clause["code"] in section
            assert plain(entry["reason"]) in section
        for entry in clause["counted"]:
            assert entry["qualified_on"] in sections[entry["placement_id"]]


def test_the_swedish_report_gives_reasons_and_explanations_in_swedish() -> None:
    swedish, english = rendered("remonthagen", "sv"), rendered("remonthagen", "en")
    sections = _appendix_by_placement(swedish)
    pairs = [
        (sv_entry, en_entry["reason"])
        for sv_clause, en_clause in zip(swedish.said["clauses"], english.result["clauses"])
        for sv_entry, en_entry in zip(sv_clause["excluded"], en_clause["excluded"])
        if sv_entry["reason"] != en_entry["reason"]
    ]
    assert pairs, "the example should have a reason that reads differently in Swedish"
    sv_entry, en_reason = pairs[0]
    section = sections[sv_entry["placement_id"]]
    assert plain(sv_entry["reason"]) in section
    assert plain(en_reason) not in section
    explained = [(s["explanation"], e["explanation"]) for s, e in zip(swedish.said["clauses"], english.result["clauses"])
                 if s["explanation"] != e["explanation"]]
    assert explained and all(plain(sv) in swedish.text and plain(en) not in swedish.text for sv, en in explained)


def test_every_placement_is_listed_in_the_appendix(remonthagen: Rendered) -> None:
    appendix = remonthagen.text.split({"sv": "Bilaga: underlag", "en": "Appendix: evidence"}[remonthagen.lang])[-1]
    for placement in remonthagen.records.placements:
        assert f"({placement.id})" in appendix


def test_the_audit_log_head_and_period_reports_are_shown(remonthagen: Rendered) -> None:
    assert "c0ffee" * 10 + "abcd" in remonthagen.text
    for report in remonthagen.records.period_reports:
        assert report.period in remonthagen.text


def test_user_text_is_shown_as_text_not_markup() -> None:
    from dataclasses import replace
    from datetime import datetime

    from procure.engine import evaluate
    from procure.reports.render import report_html

    from report_fixtures import example_inputs

    contract, records = example_inputs("remonthagen")
    first = replace(contract.clauses[0], text='<img src="file:///etc/passwd"> & <b>bold</b>')
    contract = replace(contract, clauses=(first, *contract.clauses[1:]))
    html = report_html(contract, records, evaluate(contract, records, contract.end), lang="en",
                       generated_at=datetime(2026, 1, 1), report_id="R", audit_head_hash=None,
                       attachments_sha256="0" * 64, charts=False)
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert '<img src="file:' not in html


def test_every_page_names_the_procure_version_that_made_it(remonthagen: Rendered) -> None:
    import procure
    from pypdf import PdfReader
    import io

    pages = PdfReader(io.BytesIO(remonthagen.pdf)).pages
    assert len(pages) > 1
    for page in pages:
        assert f"procure {procure.__version__}" in plain(page.extract_text())
