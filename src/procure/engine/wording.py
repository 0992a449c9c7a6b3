"""Every sentence the engine says, as a `Message` (a key and its parameters) rendered in
English or Swedish.

The engine never builds a sentence while it counts: an excluded placement carries a
`Message`, and the text is made when someone reads it (`render(message, lang)`). That
keeps evaluation cheap (most placements of a big contract are excluded from some clause
and nobody reads most of those reasons) and lets the same result be shown in either
language.

Parameters are typed values (`Weeks`, `Number`, `Day`, `Codes`, …) so that each language
formats them its own way: English keeps the engine's historical text exactly (ISO dates,
stored codes, "5.0 weeks": the JSON result of SPEC is English and must not change),
Swedish uses Babel's number, percent and date formats and the labels of
`procure.domain.vocabulary`. A parameter may itself be a `Message`, or a tuple of
messages joined by "; ".

A catalogue entry whose words follow a count is a `Plural`: its `one` form is said when
the count is shown as 1 ("1 day a week"), its `other` form otherwise ("0 days", "2 days",
"1.0 weeks"), by each language's plural rule (Babel's CLDR data).

Both catalogues live here, side by side, so a missing translation is seen at once (and
a test walks them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache, lru_cache
from typing import Any, NamedTuple, overload

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from procure.domain import vocabulary

LANGUAGES = ("en", "sv")
_LOCALES = {"sv": "sv_SE", "en": "en_GB"}
_EMPTY: Mapping[str, Any] = {}


class Message:
    """A sentence to be said: a catalogue key and its parameters. Renderings are kept on
    the message, since one message is often shared by thousands of excluded placements."""

    __slots__ = ("key", "params", "_rendered")

    def __init__(self, key: str, params: Mapping[str, Any] | None = None):
        self.key = key
        self.params = _EMPTY if params is None else params
        self._rendered: dict[str, str] | None = None

    def __repr__(self) -> str:
        return f"Message({self.key!r}, {dict(self.params)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.key, dict(self.params)) == (other.key, dict(other.params))

    __hash__ = None  # type: ignore[assignment]  # unhashable: params are a mapping

    def text(self, lang: str = "en") -> str:
        return render(self, lang)


# -- typed parameters ---------------------------------------------------------------------

# A number as given: Fraction() takes any of these exactly (a float via its str).
Numeric = int | float | str | Decimal | Fraction

class Weeks(NamedTuple):
    """A length in days, said in weeks with one decimal ("5.0")."""
    days: int


class Number(NamedTuple):
    """A figure as given (an int, Decimal or Fraction): "8", "7.5", "0.25"."""
    value: object


class Figure(NamedTuple):
    """An amount of a result: 2 decimals at most; money in whole SEK, grouped by thousands."""
    value: Fraction
    money: bool = False


class Percent(NamedTuple):
    """A share (0.405) said as a percentage ("40.5 %")."""
    value: Fraction


class Day(NamedTuple):
    value: date


class Code(NamedTuple):
    """A stored code of a vocabulary ("target_groups", "placement_types", "outcomes",
    "genders", "statuses"): the code itself in English, its label in Swedish."""
    vocabulary: str
    code: str


class Codes(NamedTuple):
    """Several codes: "a, b, c" (`joined="comma"`) or "a, b or c" (`joined="or"`)."""
    vocabulary: str
    codes: tuple[str, ...]
    joined: str = "comma"


class Listing(NamedTuple):
    """Several parts of one sentence, each a message or text, joined by `sep`."""
    items: tuple
    sep: str = ", "


_VOCABULARIES = {
    "target_groups": vocabulary.TARGET_GROUPS,
    "placement_types": vocabulary.PLACEMENT_TYPES,
    "outcomes": vocabulary.OUTCOMES,
    "genders": vocabulary.GENDERS,
    "statuses": vocabulary.STATUS_LABELS,
}


# -- plural forms --------------------------------------------------------------------------

class Plural(NamedTuple):
    """A catalogue entry whose words follow a count: `one` when the parameter named `count`
    is shown as 1, `other` otherwise. A form may itself be a `Plural` over another count.

    `count=None` is a counted thing (`unit.*`) that follows the count of the sentence it is
    said in: "0 of 1 report on time", where the sentence (`Plural("denominator", ...)`)
    chose "one" by its own count, even when both of its forms are the same text."""
    count: str | None  # type: ignore[assignment]  # a field named like tuple.count, on purpose
    one: Entry
    other: Entry


Entry = str | Plural

# What a count may be given as. The form follows the number as the English text shows it
# (Swedish shows the same digits with other separators), so Weeks (always one decimal,
# "1.0") and Decimal("1.0") stay plural while Number(Decimal("1.00")), shown "1", does not.
_COUNTS = (int, Decimal, Fraction, float, str, Number, Figure, Weeks)


@cache
def _plural_rule(lang: str):
    return Locale.parse(_LOCALES[lang]).plural_form


def plural_form(count: object, lang: str) -> str:
    """"one" or "other": the form a count takes in `lang` as it is shown. Swedish and
    English say one/other only; a count that is not a number (a missing parameter shown
    as "?" or "None") is "other"."""
    if isinstance(count, bool) or not isinstance(count, _COUNTS):
        return "other"
    return _form_of_shown(_value(count, "en"), lang)


@lru_cache(maxsize=4096)  # few distinct counts are shown ("1", "5", "1.0"), many times over
def _form_of_shown(shown: str, lang: str) -> str:
    try:
        number = Decimal(shown.replace(" ", ""))  # money is grouped by thousands with spaces
    except InvalidOperation:
        return "other"
    return "one" if number.is_finite() and _plural_rule(lang)(number) == "one" else "other"


def choose(entry: Entry, params: Mapping[str, Any], lang: str, agreeing: str = "other") -> tuple[str, str]:
    """The template of `entry` for these parameters, and the form the counted things in it
    follow ("other" unless a `Plural` chose)."""
    if not isinstance(entry, Plural):
        return entry, "other"
    form = agreeing
    while isinstance(entry, Plural):
        if entry.count is not None:
            form = plural_form(params.get(entry.count), lang)
        entry = entry.one if form == "one" else entry.other
    return entry, form


# -- rendering -----------------------------------------------------------------------------

def check_language(lang: str) -> str:
    if lang not in CATALOGUES:
        raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
    return lang


@overload
def render(message: Message | str, lang: str = "en") -> str: ...
@overload
def render(message: Message | str | None, lang: str = "en") -> str | None: ...
def render(message: Message | str | None, lang: str = "en") -> str | None:
    """The message in `lang` ("en" or "sv"); a plain string (a buyer's own words, such as a
    waiver's reason) is shown as it is."""
    if message is None or isinstance(message, str):
        return message
    if lang not in CATALOGUES:
        check_language(lang)
    return _said(message, lang, "other")


def _said(message: Message, lang: str, agreeing: str) -> str:
    cache = message._rendered
    if cache is None:
        cache = message._rendered = {}
    slot = lang if agreeing == "other" else f"{lang}.{agreeing}"
    text = cache.get(slot)
    if text is None:
        entry = CATALOGUES[lang][message.key]
        template, form = (entry, "other") if type(entry) is str else choose(entry, message.params, lang, agreeing)
        if message.params:
            text = template.format_map({name: _said(value, lang, form) if isinstance(value, Message)
                                        else _value(value, lang) for name, value in message.params.items()})
        else:
            text = template
        cache[slot] = text
    return text


def _value(value: Any, lang: str) -> str:
    if isinstance(value, Message):
        return render(value, lang)
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return "; ".join(_value(part, lang) for part in value)
    if isinstance(value, Listing):
        return value.sep.join(_value(part, lang) for part in value.items)
    kind = type(value)
    if lang == "en":
        return _ENGLISH.get(kind, str)(value)
    return _SWEDISH.get(kind, str)(value)


def number_en(value: Numeric) -> str:
    """A figure for an English sentence: 8, 7.5, 0.25 (no trailing zeros, no exponent)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        value = Fraction(str(value))
    return format(Fraction(value).__float__(), ".10g")


def _figure_en(f: Figure) -> str:
    value = f.value
    if f.money:
        sek = _whole_sek(value)
        return f"{sek:,}".replace(",", " ")
    if value.denominator == 1:
        return str(value.numerator)
    return f"{round(float(value), 2):.2f}".rstrip("0").rstrip(".")


def _percent_en(p: Percent) -> str:
    return f"{float(p.value) * 100:.1f} %".replace(".0 %", " %")


def _codes(codes: Codes, lang: str) -> str:
    table = _VOCABULARIES.get(codes.vocabulary, {})
    names = list(codes.codes) if lang == "en" else [vocabulary.label(table, c, lang) for c in codes.codes]
    if codes.joined == "or" and len(names) > 1:
        return ", ".join(names[:-1]) + (" or " if lang == "en" else " eller ") + names[-1]
    return ", ".join(names)


def _code_en(code: Code) -> str:
    if code.vocabulary == "statuses":
        return code.code.replace("_", " ")
    return code.code


_ENGLISH: dict[type, Callable[[Any], str]] = {
    Weeks: lambda w: f"{w.days / 7:.1f}",
    Number: lambda n: number_en(n.value),
    Figure: _figure_en,
    Percent: _percent_en,
    Day: lambda d: d.value.isoformat(),
    Code: _code_en,
    Codes: lambda c: _codes(c, "en"),
    int: str,
}


def _decimal(value: Numeric) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(format(Fraction(value).__float__(), ".10g"))


_SV = _LOCALES["sv"]


def _figure_sv(f: Figure) -> str:
    if f.money:
        return format_decimal(_whole_sek(f.value), "#,##0", locale=_SV)
    return format_decimal(_decimal(f.value), "#,##0.##", locale=_SV)


_SWEDISH: dict[type, Callable[[Any], str]] = {
    Weeks: lambda w: format_decimal(Decimal(w.days) / 7, "0.0", locale=_SV),
    Number: lambda n: format_decimal(_decimal(n.value), "#,##0.##########", locale=_SV),
    Figure: _figure_sv,
    Percent: lambda p: format_percent(_decimal(p.value), "#,##0.#\u00a0%", locale=_SV),
    Day: lambda d: format_date(d.value, "short", locale=_SV),
    Code: lambda c: vocabulary.label(_VOCABULARIES.get(c.vocabulary, {}), c.code, "sv"),
    Codes: lambda c: _codes(c, "sv"),
    int: lambda n: format_decimal(n, "#,##0", locale=_SV),
}


def _whole_sek(value: Fraction) -> int:
    from procure.engine.result import whole_sek  # the one rounding rule for money

    return whole_sek(Fraction(value))


# -- the catalogues -------------------------------------------------------------------------
# Keys are grouped by what says them: `excluded.*` the reasons a placement did not count.

def _agreeing(count: str, template: str) -> Plural:
    """A sentence the same in both forms whose counted thing (`{unit}`) follows `count`."""
    return Plural(count, template, template)


ENGLISH: dict[str, Entry] = {
    # Placements not seen on as_of (procure.engine.records)
    "excluded.starts_after_as_of": "starts {start}, after as_of",
    "excluded.planned": "planned, not started",
    # Filters (procure.engine.qualification)
    "excluded.type": "type {type} not in {types}",
    "excluded.target_groups": "participant not in target groups {groups}",
    "excluded.days_not_reported": "days per week not reported, {required} required",
    "excluded.days": Plural("days", "{days} day a week at the workplace, {required} required",
                            "{days} days a week at the workplace, {required} required"),
    "excluded.hours_not_reported": "hours per week not reported, {required} required",
    "excluded.hours": Plural("hours", "{hours} hour a week, {required} required",
                             "{hours} hours a week, {required} required"),
    "excluded.supervisor_untrained": "supervisor not trained",
    "excluded.supervisor_unknown": "supervisor training not reported",
    "excluded.employed_before": "already employed by employer {employer} before the contract started",
    "excluded.employed_before_unnamed": "already employed by the employer before the contract started",
    "excluded.lasted": "lasted {weeks} weeks, {required} required",
    "excluded.planned_too_short": "ongoing, planned to last {weeks} weeks, {required} required",
    "excluded.too_short_so_far": "ongoing, {weeks} weeks so far, {required} required (qualifies on {on})",
    # Counting (procure.engine.rules)
    "excluded.already_counted": "participant {ref} already counted {where}",
    "excluded.same_person_counted": "same person as {ref} (same personal number), already counted {where}",
    "excluded.same_person_counted_elsewhere": "same person (same personal number) as a participant of another organisation, already counted {where}",
    "where.in_period": "in this period",
    "where.overlapping_days": "for these days (overlapping placements)",
    "excluded.qualified_outside_term": "qualified on {on}, outside the contract term",
    "excluded.no_days_in_term": "no days inside the contract term",
    "excluded.hours_needed": "hours per week not reported",
    "excluded.hours_needed_for_fte": "hours per week not reported (needed for full-time weeks)",
    "excluded.hours_needed_for_months": "hours per week not reported (needed for employment months)",
    "excluded.no_value_for_type": "no value per week for placement type {type}",
    "excluded.no_value_for_groups": "no value per week for {type} and target groups {groups}",
    "excluded.no_value_for_no_groups": "no value per week for {type} and target groups (none)",
    "excluded.still_ongoing": "still ongoing, nothing to follow up yet",
    "excluded.outcome_not_due": "outcome not yet due (follow-up on {on})",
    "excluded.ended_outside_term": "ended on {on}, outside the contract term",
}

SWEDISH: dict[str, Entry] = {
    "excluded.starts_after_as_of": "börjar {start}, efter bedömningsdagen",
    "excluded.planned": "planerad, inte påbörjad",
    "excluded.type": "praktikplatstypen {type} ingår inte ({types})",
    "excluded.target_groups": "deltagaren tillhör inte målgrupperna {groups}",
    "excluded.days_not_reported": "dagar per vecka är inte rapporterade, {required} krävs",
    "excluded.days": Plural("days", "{days} dag i veckan på arbetsplatsen, {required} krävs",
                            "{days} dagar i veckan på arbetsplatsen, {required} krävs"),
    "excluded.hours_not_reported": "timmar per vecka är inte rapporterade, {required} krävs",
    "excluded.hours": Plural("hours", "{hours} timme i veckan, {required} krävs",
                             "{hours} timmar i veckan, {required} krävs"),
    "excluded.supervisor_untrained": "handledaren är inte utbildad",
    "excluded.supervisor_unknown": "handledarens utbildning är inte rapporterad",
    "excluded.employed_before": "redan anställd hos arbetsgivaren {employer} före avtalsstart",
    "excluded.employed_before_unnamed": "redan anställd hos arbetsgivaren före avtalsstart",
    "excluded.lasted": "varade {weeks} veckor, {required} krävs",
    "excluded.planned_too_short": "pågår, planerad att vara {weeks} veckor, {required} krävs",
    "excluded.too_short_so_far": "pågår, {weeks} veckor hittills, {required} krävs (uppfyller kravet {on})",
    "excluded.already_counted": "deltagaren {ref} räknas redan {where}",
    "excluded.same_person_counted": "samma person som {ref} (samma personnummer), räknas redan {where}",
    "excluded.same_person_counted_elsewhere": "samma person (samma personnummer) som en deltagare hos en annan organisation, räknas redan {where}",
    "where.in_period": "i denna period",
    "where.overlapping_days": "för dessa dagar (överlappande placeringar)",
    "excluded.qualified_outside_term": "uppfyllde kravet {on}, utanför avtalstiden",
    "excluded.no_days_in_term": "inga dagar inom avtalstiden",
    "excluded.hours_needed": "timmar per vecka är inte rapporterade",
    "excluded.hours_needed_for_fte": "timmar per vecka är inte rapporterade (behövs för heltidsveckor)",
    "excluded.hours_needed_for_months": "timmar per vecka är inte rapporterade (behövs för anställningsmånader)",
    "excluded.no_value_for_type": "inget värde per vecka för praktikplatstypen {type}",
    "excluded.no_value_for_groups": "inget värde per vecka för {type} och målgrupperna {groups}",
    "excluded.no_value_for_no_groups": "inget värde per vecka för {type} utan målgrupp",
    "excluded.still_ongoing": "pågår fortfarande, inget att följa upp än",
    "excluded.outcome_not_due": "utfallet ska inte följas upp än (uppföljning {on})",
    "excluded.ended_outside_term": "avslutades {on}, utanför avtalstiden",
}

# Explanations of results (procure.engine.explain) and their parts.
ENGLISH.update({
    "sentence": "{parts}",
    "period.waived": "waived: {reason}",
    "period.deadline": "{label}: {note}",
    "period.share_nothing": "nothing to judge yet (no {unit})",
    "period.share": _agreeing("denominator", "{actual} ({numerator} of {denominator} {unit}) against a target of {target}"),
    "period.amount": _agreeing("target", "{actual} of {target} {unit}"),
    "period.amount_expected": _agreeing("target", "{actual} of {target} {unit}, {expected} expected by {by}"),
    "period.short": "{shortfall} short",
    "clause.nothing_due": "nothing due yet",
    "clause.status_count": "{n} {status}",
    "clause.reports": Plural("count", "{on_time} of {count} report on time ({summary})",
                             "{on_time} of {count} reports on time ({summary})"),
    "clause.periods": Plural("count", "{count} period ({summary})", "{count} periods ({summary})"),
    "clause.worst": "worst {start} to {end}: {sentence}",
    # Notes of periods whose status the rule decided itself
    "note.submitted": "submitted on {on}, due {due}",
    "note.late": Plural("late", "submitted on {on}, {late} day after the due date {due}",
                        "submitted on {on}, {late} days after the due date {due}"),
    "note.not_submitted": "not submitted, due {due}",
    "note.not_submitted_yet": "not submitted yet, due {due}",
    "note.none_started": Plural("months", "no placement started within the first month (by {deadline})",
                                "no placement started within the first {months} months (by {deadline})"),
    # The counted things (Rule.unit)
    "unit.qualifying participants": Plural(None, "qualifying participant", "qualifying participants"),
    "unit.placement-weeks": Plural(None, "placement-week", "placement-weeks"),
    "unit.hours": Plural(None, "hour", "hours"),
    "unit.followed-up participants": Plural(None, "followed-up participant", "followed-up participants"),
    "unit.reports on time": Plural(None, "report on time", "reports on time"),
    "unit.full-time employment months": Plural(None, "full-time employment month", "full-time employment months"),
    "unit.SEK of social value": "SEK of social value",
    "unit.qualifying placements": Plural(None, "qualifying placement", "qualifying placements"),
})
SWEDISH.update({
    "sentence": "{parts}",
    "period.waived": "undantaget: {reason}",
    "period.deadline": "{label}: {note}",
    "period.share_nothing": "inget att bedöma än (inga {unit})",
    "period.share": _agreeing("denominator", "{actual} ({numerator} av {denominator} {unit}) mot målet {target}"),
    "period.amount": _agreeing("target", "{actual} av {target} {unit}"),
    "period.amount_expected": _agreeing("target", "{actual} av {target} {unit}, {expected} förväntas till {by}"),
    "period.short": "{shortfall} saknas",
    "clause.nothing_due": "inget att bedöma än",
    "clause.status_count": "{status}: {n}",
    "clause.reports": Plural("count", "{on_time} av {count} rapport i tid ({summary})",
                             "{on_time} av {count} rapporter i tid ({summary})"),
    "clause.periods": Plural("count", "{count} period ({summary})", "{count} perioder ({summary})"),
    "clause.worst": "sämst {start}–{end}: {sentence}",
    "note.submitted": "inlämnad {on}, senast {due}",
    "note.late": Plural("late", "inlämnad {on}, {late} dag efter sista dagen {due}",
                        "inlämnad {on}, {late} dagar efter sista dagen {due}"),
    "note.not_submitted": "inte inlämnad, senast {due}",
    "note.not_submitted_yet": "inte inlämnad än, senast {due}",
    "note.none_started": Plural("months", "ingen placering påbörjades inom den första månaden (senast {deadline})",
                                "ingen placering påbörjades inom de första {months} månaderna (senast {deadline})"),
    "unit.qualifying participants": Plural(None, "kvalificerad deltagare", "kvalificerade deltagare"),
    "unit.placement-weeks": Plural(None, "placeringsvecka", "placeringsveckor"),
    "unit.hours": Plural(None, "timme", "timmar"),
    "unit.followed-up participants": Plural(None, "uppföljd deltagare", "uppföljda deltagare"),
    "unit.reports on time": Plural(None, "rapport i tid", "rapporter i tid"),
    "unit.full-time employment months": Plural(None, "heltidsanställningsmånad", "heltidsanställningsmånader"),
    "unit.SEK of social value": Plural(None, "krona i socialt värde", "kronor i socialt värde"),
    "unit.qualifying placements": Plural(None, "kvalificerad placering", "kvalificerade placeringar"),
})

# Plain-language descriptions of clauses (Rule.describe)
ENGLISH.update({
    "describe.kind": "{kind}",
    "describe.from_groups": "{head} from {groups}",
    "describe.participants_from": "participants from {groups}",
    "describe.typed_min_weeks": Plural("weeks", "{types} placements of at least {weeks} week",
                                       "{types} placements of at least {weeks} weeks"),
    "describe.min_weeks": Plural("weeks", "placements of at least {weeks} week", "placements of at least {weeks} weeks"),
    "describe.typed": "{types} placements",
    "describe.min_days": Plural("days", "at least {days} day a week at the workplace",
                                "at least {days} days a week at the workplace"),
    "describe.min_hours": Plural("hours", "at least {hours} hour a week", "at least {hours} hours a week"),
    "describe.supervisor": "with a trained supervisor",
    "describe.additionality": "not counting people employed before the contract started",
    "describe.period.contract": "over the whole contract",
    "describe.period.year": "each contract year",
    "describe.period.quarter": "each contract quarter",
    "describe.period.month": "each contract month",
    "describe.placement_count": Plural("target", "at least {target} participant", "at least {target} distinct participants"),
    "describe.placement_count_per_value": Plural(
        "units", "at least {units} participant per {per_value} SEK of contract value",
        "at least {units} distinct participants per {per_value} SEK of contract value"),
    "describe.placement_weeks": Plural("weeks", "at least {weeks} placement-week", "at least {weeks} placement-weeks"),
    "describe.placement_weeks_fte": Plural("weeks", "at least {weeks} full-time placement-week",
                                           "at least {weeks} full-time placement-weeks"),
    "describe.hours_share": "at least {share} % of the labour hours",
    "describe.outcome_rate": Plural(
        "months", "at least {share} % of participants with an outcome in {outcomes} within {months} month of the placement's end",
        "at least {share} % of participants with an outcome in {outcomes} within {months} months of the placement's end"),
    "describe.group_share_gender": "at least {share} % of qualifying participants {gender}",
    "describe.group_share_group": "at least {share} % of qualifying participants in group {group}",
    "describe.supervision": "at least {share} % of placements with a trained supervisor",
    "describe.full_time_months": Plural("months", "at least {months} full-time employment month",
                                        "at least {months} full-time employment months"),
    "describe.social_value": "social value of at least {share} % of the contract value, valued by placement type",
    "describe.reporting_monthly": Plural(
        "days", "a period report for each calendar month, submitted within {days} day of its end",
        "a period report for each calendar month, submitted within {days} days of its end"),
    "describe.reporting_quarterly": Plural(
        "days", "a period report for each calendar quarter, submitted within {days} day of its end",
        "a period report for each calendar quarter, submitted within {days} days of its end"),
})
SWEDISH.update({
    "describe.kind": "{kind}",
    "describe.from_groups": "{head} ur målgrupperna {groups}",
    "describe.participants_from": "deltagare ur målgrupperna {groups}",
    "describe.typed_min_weeks": Plural("weeks", "placeringar som {types} om minst {weeks} vecka",
                                       "placeringar som {types} om minst {weeks} veckor"),
    "describe.min_weeks": Plural("weeks", "placeringar om minst {weeks} vecka", "placeringar om minst {weeks} veckor"),
    "describe.typed": "placeringar som {types}",
    "describe.min_days": Plural("days", "minst {days} dag i veckan på arbetsplatsen",
                                "minst {days} dagar i veckan på arbetsplatsen"),
    "describe.min_hours": Plural("hours", "minst {hours} timme i veckan", "minst {hours} timmar i veckan"),
    "describe.supervisor": "med utbildad handledare",
    "describe.additionality": "personer som var anställda före avtalsstart räknas inte",
    "describe.period.contract": "under hela avtalstiden",
    "describe.period.year": "varje avtalsår",
    "describe.period.quarter": "varje avtalskvartal",
    "describe.period.month": "varje avtalsmånad",
    "describe.placement_count": Plural("target", "minst {target} deltagare", "minst {target} olika deltagare"),
    "describe.placement_count_per_value": Plural(
        "units", "minst {units} deltagare per {per_value} kronor av kontraktsvärdet",
        "minst {units} olika deltagare per {per_value} kronor av kontraktsvärdet"),
    "describe.placement_weeks": Plural("weeks", "minst {weeks} placeringsvecka", "minst {weeks} placeringsveckor"),
    "describe.placement_weeks_fte": Plural("weeks", "minst {weeks} placeringsvecka räknad som heltid",
                                           "minst {weeks} placeringsveckor räknade som heltid"),
    "describe.hours_share": "minst {share} % av arbetstimmarna",
    "describe.outcome_rate": Plural(
        "months", "minst {share} % av deltagarna med utfallet {outcomes} inom {months} månad efter placeringens slut",
        "minst {share} % av deltagarna med utfallet {outcomes} inom {months} månader efter placeringens slut"),
    "describe.group_share_gender": "minst {share} % av de kvalificerade deltagarna med kön {gender}",
    "describe.group_share_group": "minst {share} % av de kvalificerade deltagarna i målgruppen {group}",
    "describe.supervision": "minst {share} % av placeringarna med utbildad handledare",
    "describe.full_time_months": Plural("months", "minst {months} heltidsanställningsmånad",
                                        "minst {months} heltidsanställningsmånader"),
    "describe.social_value": "socialt värde på minst {share} % av kontraktsvärdet, värderat per placeringstyp",
    "describe.reporting_monthly": Plural(
        "days", "en periodrapport för varje kalendermånad, inlämnad inom {days} dag efter månadens slut",
        "en periodrapport för varje kalendermånad, inlämnad inom {days} dagar efter månadens slut"),
    "describe.reporting_quarterly": Plural(
        "days", "en periodrapport för varje kalenderkvartal, inlämnad inom {days} dag efter kvartalets slut",
        "en periodrapport för varje kalenderkvartal, inlämnad inom {days} dagar efter kvartalets slut"),
})

CATALOGUES: dict[str, dict[str, Entry]] = {"en": ENGLISH, "sv": SWEDISH}


def unit(text: str) -> Message:
    """The counted thing of a rule (`Rule.unit`, English) as a message."""
    return Message("unit." + text)
