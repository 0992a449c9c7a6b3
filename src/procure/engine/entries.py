"""The evidence entries of a clause result: what counted and what did not, and why."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import NamedTuple

from procure.engine.wording import Message, render


class Counted(NamedTuple):
    participant_ref: str
    placement_id: str
    qualified_on: date | None
    period: int | None = None  # index into the clause's periods
    # What the placement added: for day-based rules `amount` days × `rate` per day (weeks,
    # months or SEK), kept apart so that the product is only computed when shown; for
    # share rules 1 when in the numerator, 0 when only in the denominator.
    amount: int | Fraction | None = None
    rate: Fraction | None = None

    @property
    def contribution(self) -> Fraction | None:
        if self.amount is None:
            return None
        return self.amount * self.rate if self.rate is not None else Fraction(self.amount)


class Excluded(NamedTuple):
    participant_ref: str
    placement_id: str
    # Why, as a message: the sentence is only made when read (see procure.engine.wording).
    message: Message

    @property
    def reason(self) -> str:
        """Why, in English (SPEC's `reason`)."""
        return render(self.message, "en")

    def reason_in(self, lang: str) -> str:
        """Why, in "en" or "sv"."""
        return render(self.message, lang)
