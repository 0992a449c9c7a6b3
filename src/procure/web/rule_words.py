"""The clause editor's words for rule kinds and their parameters in Swedish.

The engine declares each parameter with an English description
(`procure.engine.rules.RULES[kind].parameters`); an English page shows that. A Swedish
page shows the translation below, and the English one when a parameter has none yet, so
a new parameter is never left unexplained.
"""

from __future__ import annotations

from procure.engine.rules import Parameter

RULE_NAMES: dict[str, tuple[str, str]] = {
    "placement_count": ("Antal deltagare", "Number of participants"),
    "placement_weeks": ("Placeringsveckor", "Placement-weeks"),
    "hours_share": ("Andel av arbetade timmar", "Share of labour hours"),
    "outcome_rate": ("Andel med utfall efter placeringen", "Share with an outcome after the placement"),
    "group_share": ("Andel av en grupp eller ett kön", "Share of a group or gender"),
    "supervision": ("Utbildade handledare", "Trained supervisors"),
    "reporting": ("Rapportering i tid", "Reporting on time"),
    "full_time_months": ("Heltidsmånader", "Full-time months"),
    "social_value": ("Socialt värde (SROI)", "Social value (SROI)"),
}

# (rule kind or "*" for the common parameters, parameter) → Swedish description
SWEDISH: dict[tuple[str, str], str] = {
    ("*", "period"): "Perioden målet gäller: hela avtalstiden, eller varje avtalsår, kvartal eller månad.",
    ("*", "tolerance"): "Hur långt under förväntat utfall kravet får ligga och ändå vara enligt plan (0,1 = 10 %).",
    ("placement_count", "target"): "Hur många olika deltagare som ska kvalificera sig under varje period.",
    ("placement_count", "per_value_sek"): "I stället för ett fast mål: så många deltagare (units) per detta kontraktsvärde i kronor.",
    ("placement_count", "units"): "Deltagare per `per_value_sek` kronor av kontraktsvärdet.",
    ("placement_weeks", "target_weeks"): "Placeringsveckor som krävs under varje period.",
    ("placement_weeks", "fte"): "Väg varje vecka med timmar per vecka / 40, så att deltidsveckor räknas delvis.",
    ("hours_share", "share"): "Andel av de arbetade timmarna som kvalificerande placeringar ska utgöra (0,05 = 5 %).",
    ("outcome_rate", "share"): "Minsta andel av de uppföljda deltagarna som ska ha något av de angivna utfallen.",
    ("outcome_rate", "outcomes"): "Utfallen som räknas (jobb, studier, …).",
    ("outcome_rate", "follow_up_months"): "Antal månader efter placeringens slut då utfallet ska ha nåtts.",
    ("group_share", "share"): "Minsta andel av de kvalificerande deltagarna som har könet eller tillhör gruppen.",
    ("group_share", "gender"): "Räkna deltagare av detta kön.",
    ("group_share", "group"): "Räkna deltagare i denna målgrupp (även kontraktets egna grupper).",
    ("supervision", "share"): "Minsta andel kvalificerande placeringar med utbildad handledare (1 = alla).",
    ("reporting", "frequency"): "En rapport för varje kalendermånad eller varje kalenderkvartal.",
    ("reporting", "due_days"): "Antal dagar efter periodens slut då rapporten senast ska lämnas.",
    ("full_time_months", "target_months"): "Heltidsmånader av anställning som krävs under varje period.",
    ("full_time_months", "completion_share"): (
        "En placering som avbrutits i förtid räknas fullt när den fullgjort denna andel av sin planerade längd "
        "(0,75 enligt Upphandlingsmyndighetens modell)."
    ),
    ("full_time_months", "first_within_months"): (
        "Kravet är brutet direkt om ingen placering har börjat inom så många månader från avtalsstart."
    ),
    ("social_value", "share_of_value"): "Socialt värde som krävs, som andel av kontraktsvärdet (0,05 = 5 %).",
    ("social_value", "values"): (
        "Kronor per placeringsvecka efter placeringstyp, eventuellt per målgrupp med \"*\" som reserv."
    ),
}


def rule_name(kind: str, lang: str) -> str:
    names = RULE_NAMES.get(kind)
    return (names[0] if lang == "sv" else names[1]) if names else kind


def describe_parameter(kind: str, parameter: Parameter, lang: str) -> str:
    if lang == "sv":
        return SWEDISH.get((kind, parameter.name)) or SWEDISH.get(("*", parameter.name)) or parameter.description
    return parameter.description
