"""The report's own words in Swedish and English.

Vocabulary labels (statuses, target groups, placement types, outcomes) live in
`procure.domain.vocabulary`; this catalogue holds only the report's headings and phrases.
A phrase that follows a count is a `Plural` of `procure.engine.wording`, chosen by the
number as the report shows it ("1 dag/vecka", "2,5 dagar/vecka").
"""

from __future__ import annotations

from procure.domain import vocabulary
from procure.engine.wording import Entry, Plural, choose
from procure.reports.formatting import check_language

CATALOGUE: dict[str, dict[str, Entry]] = {
    "sv": {
        "report_title": "Uppföljningsrapport: sociala krav",
        "contract": "Kontrakt",
        "reference": "Referens",
        "title": "Benämning",
        "site": "Plats",
        "buyer": "Beställare",
        "contractor": "Leverantör",
        "subcontractors": "Underentreprenörer",
        "auditors": "Revisorer",
        "none": "inga",
        "value": "Kontraktsvärde",
        "term": "Avtalstid",
        "as_of": "Bedömt per",
        "overall": "Samlad bedömning",
        "report_id": "Rapport-id",
        "generated_at": "Skapad",
        "summary": "Sammanfattning",
        "clause": "Krav",
        "rule": "Regel",
        "status": "Status",
        "actual": "Utfall",
        "target": "Mål",
        "expected": "Förväntat nu",
        "shortfall": "Underskott",
        "penalty": "Vite",
        "bonus": "Bonus",
        "legal_text": "Avtalstext",
        "rule_plain": "Regeln i klartext",
        "explanation": "Förklaring",
        "periods": "Perioder",
        "period": "Period",
        "chart": "Utfall över tid mot jämn takt",
        "chart_actual": "Utfall",
        "chart_pro_rata": "Jämn takt",
        "chart_target": "Mål",
        "chart_as_of": "Bedömningsdag",
        "counted_n": "räknade",
        "excluded_n": "räknades inte",
        "evidence": "Bilaga: underlag per placering",
        "evidence_intro": (
            "Varje rapporterad placering, och för varje krav om den räknades (och från vilket "
            "datum) eller varför inte."
        ),
        "participant": "Deltagare",
        "placement": "Placering",
        "placement_type": "Typ",
        "employer": "Arbetsgivare",
        "start": "Start",
        "end": "Slut",
        "ongoing": "pågår",
        "hours_per_week": "tim/vecka",
        "days_per_week": Plural("days", "{days} dag/vecka", "{days} dagar/vecka"),
        "supervisor_trained": "utbildad handledare",
        "yes": "ja",
        "no": "nej",
        "unknown": "okänt",
        "placement_status": "Status",
        "outcome": "Utfall efteråt",
        "counted_on": "räknas från",
        "not_counted": "räknas inte",
        "not_considered": "inte aktuell för kravet",
        "reports": "Periodrapporter",
        "submitted_on": "Inlämnad",
        "not_submitted": "ej inlämnad",
        "no_reports": "Inga periodrapporter.",
        "waivers": "Undantag",
        "whole_term": "hela avtalstiden",
        "reason": "Skäl",
        "no_waivers": "Inga undantag.",
        "labour_hours": "Rapporterade arbetstimmar",
        "audit_head": "Granskningsloggens senaste kontrollsumma",
        "audit_head_entry": "Post {n} i avtalets kedja i granskningsloggen:",
        "audit_head_missing": "Ingen granskningslogg angiven (rapport skapad utan databas).",
        "attachments": "Bifogade filer",
        "attachments_intro": (
            "PDF-filen bär avtalet, placeringarna, timmarna, periodrapporterna och resultatet "
            "som bifogade filer. Kör `procure report verify` på filen, eller `procure evaluate` "
            "på de bifogade filerna, för att få samma resultat."
        ),
        "attachments_digest": "SHA-256 över bifogade filer",
        "page": "Sida",
        "placement_planned": "planerad",
        "placement_active": "pågående",
        "placement_completed": "genomförd",
        "placement_ended_early": "avbruten i förtid",
    },
    "en": {
        "report_title": "Compliance report: social clauses",
        "contract": "Contract",
        "reference": "Reference",
        "title": "Title",
        "site": "Site",
        "buyer": "Buyer",
        "contractor": "Contractor",
        "subcontractors": "Subcontractors",
        "auditors": "Auditors",
        "none": "none",
        "value": "Contract value",
        "term": "Term",
        "as_of": "As of",
        "overall": "Overall verdict",
        "report_id": "Report id",
        "generated_at": "Generated",
        "summary": "Summary",
        "clause": "Clause",
        "rule": "Rule",
        "status": "Status",
        "actual": "Actual",
        "target": "Target",
        "expected": "Expected now",
        "shortfall": "Shortfall",
        "penalty": "Penalty",
        "bonus": "Bonus",
        "legal_text": "Contract text",
        "rule_plain": "The rule in plain language",
        "explanation": "Explanation",
        "periods": "Periods",
        "period": "Period",
        "chart": "Progress over time against the pro-rata line",
        "chart_actual": "Actual",
        "chart_pro_rata": "Pro rata",
        "chart_target": "Target",
        "chart_as_of": "As of",
        "counted_n": "counted",
        "excluded_n": "not counted",
        "evidence": "Appendix: evidence per placement",
        "evidence_intro": (
            "Every reported placement and, for each clause, whether it counted (and from which "
            "date) or why not."
        ),
        "participant": "Participant",
        "placement": "Placement",
        "placement_type": "Type",
        "employer": "Employer",
        "start": "Start",
        "end": "End",
        "ongoing": "ongoing",
        "hours_per_week": "h/week",
        "days_per_week": Plural("days", "{days} day/week", "{days} days/week"),
        "supervisor_trained": "trained supervisor",
        "yes": "yes",
        "no": "no",
        "unknown": "unknown",
        "placement_status": "Status",
        "outcome": "Outcome",
        "counted_on": "counts from",
        "not_counted": "does not count",
        "not_considered": "not relevant to the clause",
        "reports": "Period reports",
        "submitted_on": "Submitted",
        "not_submitted": "not submitted",
        "no_reports": "No period reports.",
        "waivers": "Waivers",
        "whole_term": "the whole term",
        "reason": "Reason",
        "no_waivers": "No waivers.",
        "labour_hours": "Reported labour hours",
        "audit_head": "Audit-log head hash",
        "audit_head_entry": "Entry {n} of the contract's chain in the audit log:",
        "audit_head_missing": "No audit log given (report made without a database).",
        "attachments": "Attached files",
        "attachments_intro": (
            "This PDF carries the contract, placements, hours, period reports and the result as "
            "file attachments. Run `procure report verify` on the file, or `procure evaluate` on "
            "the attachments, to get the same result."
        ),
        "attachments_digest": "SHA-256 over the attachments",
        "page": "Page",
        "placement_planned": "planned",
        "placement_active": "active",
        "placement_completed": "completed",
        "placement_ended_early": "ended early",
    },
}

RULE_NAMES: dict[str, dict[str, str]] = {
    "placement_count": {"sv": "antal deltagare", "en": "number of participants"},
    "placement_weeks": {"sv": "placeringsveckor", "en": "placement-weeks"},
    "hours_share": {"sv": "andel av arbetstimmarna", "en": "share of labour hours"},
    "outcome_rate": {"sv": "andel med utfall", "en": "outcome rate"},
    "group_share": {"sv": "andel ur en grupp", "en": "group share"},
    "supervision": {"sv": "utbildade handledare", "en": "trained supervision"},
    "reporting": {"sv": "rapportering i tid", "en": "timely reporting"},
    "full_time_months": {"sv": "heltidsmånader", "en": "full-time months"},
    "social_value": {"sv": "socialt värde", "en": "social value"},
}


class Catalogue:
    """`t("key")` for the report's phrases and the vocabulary labels, in one language;
    `t("key", name=shown)` for a phrase with a figure in it."""

    def __init__(self, lang: str) -> None:
        self.lang = check_language(lang)
        self._strings = CATALOGUE[lang]

    def __call__(self, key: str, **values: str) -> str:
        text = self._strings[key]
        if isinstance(text, Plural):
            text = choose(text, values, self.lang)[0]
        return text.format(**values) if values else text

    def status(self, code: str) -> str:
        return vocabulary.label(vocabulary.STATUS_LABELS, code, self.lang)

    def target_group(self, code: str) -> str:
        return vocabulary.label(vocabulary.TARGET_GROUPS, code, self.lang)

    def placement_type(self, code: str) -> str:
        return vocabulary.label(vocabulary.PLACEMENT_TYPES, code, self.lang)

    def outcome(self, code: str | None) -> str:
        return "" if code is None else vocabulary.label(vocabulary.OUTCOMES, code, self.lang)

    def gender(self, code: str) -> str:
        return vocabulary.label(vocabulary.GENDERS, code, self.lang)

    def placement_status(self, code: str) -> str:
        return self._strings.get(f"placement_{code}", code)

    def rule(self, code: str) -> str:
        return vocabulary.label(RULE_NAMES, code, self.lang)

    def yes_no(self, value: bool | None) -> str:
        return self("unknown") if value is None else self("yes" if value else "no")
