from datetime import date
from decimal import Decimal

import pytest

from procure.reports.formatting import Formatter


@pytest.mark.parametrize(
    ("lang", "money", "day"),
    [("sv", "180 000 000 kr", "1 mars 2016"), ("en", "SEK 180,000,000", "1 March 2016")],
)
def test_money_and_dates_in_each_languages_form(lang: str, money: str, day: str) -> None:
    fmt = Formatter(lang)
    assert fmt.money(180_000_000).replace("\u00a0", " ") == money
    assert fmt.date(date(2016, 3, 1)) == day


def test_numbers_and_shares_use_the_languages_decimal_mark() -> None:
    assert Formatter("sv").number(Decimal("11.43")) == "11,43"
    assert Formatter("en").number(Decimal("11.43")) == "11.43"
    assert Formatter("sv").number(12.0) == "12"
    assert Formatter("sv").share(Decimal("0.4")).replace("\u00a0", " ") == "40 %"
    assert Formatter("en").share(0.055) == "5.5%"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="sv, en"):
        Formatter("de")
