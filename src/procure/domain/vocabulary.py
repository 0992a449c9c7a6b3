"""The stored codes of SPEC's vocabularies and their Swedish and English labels."""

from __future__ import annotations

TARGET_GROUPS: dict[str, dict[str, str]] = {
    "newcomer": {"sv": "nyanländ", "en": "newcomer"},
    "unemployed_youth": {"sv": "arbetslös ungdom 16–24", "en": "unemployed youth 16–24"},
    "long_term_unemployed": {"sv": "långtidsarbetslös", "en": "long-term unemployed"},
    "disability": {"sv": "funktionsnedsättning", "en": "disability"},
    "leaving_crime": {"sv": "unga som vill lämna kriminalitet", "en": "young people leaving crime"},
}

PLACEMENT_TYPES: dict[str, dict[str, str]] = {
    "internship": {"sv": "praktik", "en": "internship"},
    "employment": {"sv": "anställning", "en": "employment"},
    "apprenticeship": {"sv": "lärlingsplats", "en": "apprenticeship"},
    "summer_job": {"sv": "feriejobb", "en": "summer job"},
    "training": {"sv": "utbildning", "en": "training"},
    "mentorship": {"sv": "mentorskap", "en": "mentorship"},
}

OUTCOMES: dict[str, dict[str, str]] = {
    "job_matching": {"sv": "jobb som matchar kompetensen", "en": "job matching competence"},
    "job_stepping_stone": {"sv": "språngbrädejobb", "en": "stepping-stone job"},
    "education": {"sv": "studier", "en": "education"},
    "self_employed": {"sv": "egen företagare", "en": "self-employed"},
    "apprenticeship": {"sv": "lärlingsplats", "en": "apprenticeship"},
    "none": {"sv": "ingen", "en": "none"},
    "unknown": {"sv": "okänt", "en": "unknown"},
}

GENDERS: dict[str, dict[str, str]] = {
    "female": {"sv": "kvinna", "en": "female"},
    "male": {"sv": "man", "en": "male"},
    "other": {"sv": "annat", "en": "other"},
    "undisclosed": {"sv": "uppgift saknas", "en": "undisclosed"},
}

PLACEMENT_STATUSES = ("planned", "active", "completed", "ended_early")
CONTRACT_STATUSES = ("draft", "active", "closed")
ORGANISATION_KINDS = ("buyer", "contractor", "audit")
ROLES = ("buyer", "contractor", "auditor", "admin")
PERIOD_KINDS = ("contract", "year", "quarter", "month")

# Worst first: the overall verdict of a contract is the first of these any clause has.
STATUS_SEVERITY = ("breached", "at_risk", "pending", "on_track", "met", "waived")

STATUS_LABELS: dict[str, dict[str, str]] = {
    "breached": {"sv": "ej uppfyllt", "en": "breached"},
    "at_risk": {"sv": "i riskzonen", "en": "at risk"},
    "pending": {"sv": "kan ej bedömas än", "en": "pending"},
    "on_track": {"sv": "enligt plan", "en": "on track"},
    "met": {"sv": "uppfyllt", "en": "met"},
    "waived": {"sv": "undantaget", "en": "waived"},
}


def label(vocabulary: dict[str, dict[str, str]], code: str, lang: str = "en") -> str:
    """The label of a code in a language; an unknown (contract-specific) code shows as itself."""
    return vocabulary.get(code, {}).get(lang, code)
