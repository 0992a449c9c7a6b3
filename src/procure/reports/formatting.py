"""Dates, numbers, money and shares as a Swedish or English reader writes them (via Babel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent

LANGUAGES = ("sv", "en")

# British English writes "1 March 2016", the order a Swedish reader also expects.
_LOCALES = {"sv": "sv_SE", "en": "en_GB"}
# Whole kronor: "180 000 000 kr" and "SEK 180,000,000".
_MONEY_PATTERNS = {"sv": "#,##0\u00a0¤", "en": "¤\u00a0#,##0"}


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang


class Formatter:
    """Formats values for one language; templates get one as `fmt`."""

    def __init__(self, lang: str) -> None:
        self.lang = check_language(lang)
        self.locale = _LOCALES[lang]

    # The methods `date` and `datetime` shadow the types in the class body: `dt.` names them.
    def date(self, value: dt.date | None) -> str:
        return "" if value is None else format_date(value, format="long", locale=self.locale)

    def short_date(self, value: dt.date | None) -> str:
        # ISO in the evidence lists: compact and unambiguous in both languages.
        return "" if value is None else value.isoformat()

    def datetime(self, value: dt.datetime) -> str:
        return format_datetime(value, format="d MMMM y HH:mm zzz", locale=self.locale)

    def money(self, value: int | Decimal | None) -> str:
        if value is None:
            return "–"
        return format_currency(
            value, "SEK", format=_MONEY_PATTERNS[self.lang], currency_digits=False, locale=self.locale
        )

    def number(self, value: int | float | Decimal | None, digits: int = 2) -> str:
        if value is None:
            return "–"
        quantum = Decimal(1).scaleb(-digits)
        rounded = Decimal(str(value)).quantize(quantum).normalize()
        if rounded == rounded.to_integral():
            rounded = rounded.quantize(Decimal(1))
        return format_decimal(rounded, locale=self.locale, decimal_quantization=False)

    def share(self, value: float | Decimal | None) -> str:
        if value is None:
            return "–"
        rounded = Decimal(str(value)).quantize(Decimal("0.0001"))
        return format_percent(rounded, locale=self.locale, decimal_quantization=False)
