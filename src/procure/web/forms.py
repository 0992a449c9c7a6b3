"""Reading submitted forms: typed values, and every problem next to its field.

A form is read whole before anything is refused, so that the user sees every mistake at
once; the service's own `InvalidInput` problems are added to the same fields.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from procure.formats.cells import CellError, parse_date
from procure.services.errors import FieldProblem
from procure.web.i18n import Translator


class Form:
    def __init__(self, data: dict[str, Any] | None, t: Translator) -> None:
        self.data = data or {}
        self.t = t
        self.errors: dict[str, list[str]] = {}
        self.general: list[str] = []

    # -- values --------------------------------------------------------------------
    def raw(self, name: str) -> str:
        value = self.data.get(name, "")
        if isinstance(value, list):
            value = value[-1] if value else ""
        return value.strip() if isinstance(value, str) else ""

    def many(self, name: str) -> list[str]:
        value = self.data.get(name, [])
        values = value if isinstance(value, list) else [value]
        return [v.strip() for v in values if isinstance(v, str) and v.strip()]

    def text(self, name: str, required: bool = False) -> str | None:
        value = self.raw(name)
        if not value:
            if required:
                self.error(name, self.t("required"))
            return None
        return value

    def date(self, name: str, required: bool = False) -> date | None:
        value = self.text(name, required)
        if value is None:
            return None
        try:
            return parse_date(value)
        except CellError:
            self.error(name, f"{value}: {self.t('not_a_date')}")
            return None

    def integer(self, name: str, required: bool = False) -> int | None:
        value = self.text(name, required)
        if value is None:
            return None
        cleaned = value.replace(" ", "").replace("\u00a0", "").replace("_", "")
        try:
            return int(cleaned)
        except ValueError:
            self.error(name, f"{value}: {self.t('not_a_whole_number')}")
            return None

    def decimal(self, name: str, required: bool = False) -> Decimal | None:
        value = self.text(name, required)
        if value is None:
            return None
        try:
            number = Decimal(value.replace(",", ".").replace(" ", "").replace("\u00a0", ""))
        except ArithmeticError:
            number = None
        if number is None or not number.is_finite():
            self.error(name, f"{value}: {self.t('not_a_number')}")
            return None
        return number

    def yes_no(self, name: str) -> bool | None:
        value = self.raw(name).lower()
        return {"yes": True, "no": False}.get(value)

    def checked(self, name: str) -> bool:
        return self.raw(name).lower() in ("on", "yes", "true", "1")

    # -- problems ------------------------------------------------------------------
    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def add_problems(self, problems: list[FieldProblem], message: str, fields: dict[str, str] | None = None) -> None:
        """A service's problems, each next to its field when the form has it."""
        fields = fields or {}
        if not problems:
            self.general.append(message)
        for problem in problems:
            full = problem.field or ""
            short = full.rsplit(".", 1)[-1]
            name = fields.get(full) or fields.get(short) or short
            text = problem.message
            if problem.row is not None:
                text = f"{self.t('row')} {problem.row}: {text}"
            # Only next to a field this form has; anything else goes above the form.
            if name and name in self.data:
                self.error(name, text)
            else:
                self.general.append(f"{full}: {text}" if full else text)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.general

    def value(self, name: str) -> str:
        """The submitted text, to show the form again as the user typed it."""
        return self.raw(name)
