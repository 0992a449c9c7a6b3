"""The clause editor's form: one field per declared parameter of the chosen rule kind,
the common filters and the penalty, turned into the TOML clause table the clause service
validates (the same table a `contracts/*.toml` file holds)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from procure.domain.vocabulary import OUTCOMES, PLACEMENT_TYPES, TARGET_GROUPS
from procure.engine.rules import RULES, Parameter
from procure.web.forms import Form

FILTER_CHECKLISTS = ("placement_types", "target_groups")
FILTER_NUMBERS = ("min_weeks", "min_days_per_week", "min_hours_per_week")
FILTER_FLAGS = ("require_trained_supervisor", "exclude_employed_before_start")
PENALTY_FIELDS = ("per_unit_sek", "per_breach_sek", "cap_sek")
# Known vocabularies of code lists, for check boxes instead of typed codes.
CODE_LISTS = {"outcomes": OUTCOMES, "placement_types": PLACEMENT_TYPES, "target_groups": TARGET_GROUPS}


@dataclass(frozen=True)
class ParameterField:
    parameter: Parameter
    name: str  # the form field: "p_<parameter>"
    choices: tuple[str, ...] | None

    @property
    def input_kind(self) -> str:
        kind = self.parameter.kind
        if kind == "code_list":
            return "checks" if self.choices else "text"
        if kind == "choice":
            return "select"
        if kind == "bool":
            return "checkbox"
        if kind == "value_table":
            return "textarea"
        return "number"


def rule_kinds() -> list[str]:
    return sorted(RULES)


def parameter_fields(rule: str, extra_groups: tuple[str, ...] = ()) -> list[ParameterField]:
    cls = RULES.get(rule)
    if cls is None:
        return []
    fields = []
    for parameter in cls.all_parameters():
        choices = parameter.choices
        if parameter.kind == "code_list" and parameter.name in CODE_LISTS:
            choices = tuple(CODE_LISTS[parameter.name])
        if parameter.kind == "choice" and choices is None and parameter.name == "group":
            choices = (*TARGET_GROUPS, *extra_groups)
        fields.append(ParameterField(parameter, f"p_{parameter.name}", choices))
    return fields


def _number(form: Form, name: str, kind: str) -> Any:
    if kind == "int":
        return form.integer(name)
    return form.decimal(name)


def clause_body(form: Form, rule: str, for_update: bool = False) -> dict[str, Any]:
    """The clause table from the form; on update every absent key is given as None so
    that the service removes it (an emptied field means "no longer set")."""
    body: dict[str, Any] = {
        "code": form.text("code", required=True),
        "title": form.text("title", required=True),
        "text": form.text("text") or "",
        "rule": rule,
    }
    for item in parameter_fields(rule):
        p = item.parameter
        value: Any
        if item.input_kind == "checks":
            value = form.many(item.name) or None
        elif item.input_kind == "text":
            raw = form.text(item.name)
            value = [v.strip() for v in raw.split("|") if v.strip()] if raw else None
        elif item.input_kind == "select":
            value = form.text(item.name)
        elif item.input_kind == "checkbox":
            value = True if form.checked(item.name) else None
        elif item.input_kind == "textarea":
            raw = form.text(item.name)
            value = None
            if raw:
                try:
                    value = tomllib.loads(raw, parse_float=Decimal)
                except tomllib.TOMLDecodeError as error:
                    form.error(item.name, f"not TOML key = value lines: {error}")
                except RecursionError:
                    form.error(item.name, "not TOML key = value lines: nested too deeply")
        else:
            value = _number(form, item.name, p.kind)
        body[p.name] = value
    for name in FILTER_CHECKLISTS:
        body[name] = form.many(f"f_{name}") or None
    for name in FILTER_NUMBERS:
        body[name] = form.decimal(f"f_{name}")
    for name in FILTER_FLAGS:
        body[name] = True if form.checked(f"f_{name}") else None
    penalty = {name: form.integer(f"penalty_{name}") for name in PENALTY_FIELDS}
    penalty = {k: v for k, v in penalty.items() if v is not None}
    body["penalty"] = penalty or None
    if not for_update:
        body = {k: v for k, v in body.items() if v is not None}
    return body


def form_values(table: dict[str, Any]) -> dict[str, Any]:
    """A stored clause table as the form's submitted values, to edit it."""
    values: dict[str, Any] = {"code": table.get("code", ""), "title": table.get("title", ""), "text": table.get("text", "")}
    rule = table.get("rule", "")
    for item in parameter_fields(rule):
        value = table.get(item.parameter.name)
        if value is None:
            continue
        if item.input_kind == "checks":
            values[item.name] = list(value)
        elif item.input_kind == "text":
            values[item.name] = "|".join(value)
        elif item.input_kind == "checkbox":
            values[item.name] = "on" if value else ""
        elif item.input_kind == "textarea":
            values[item.name] = "\n".join(f"{k} = {_toml_value(v)}" for k, v in value.items())
        else:
            values[item.name] = str(value)
    for name in FILTER_CHECKLISTS:
        if table.get(name):
            values[f"f_{name}"] = list(table[name])
    for name in FILTER_NUMBERS:
        if table.get(name) is not None:
            values[f"f_{name}"] = str(table[name])
    for name in FILTER_FLAGS:
        if table.get(name):
            values[f"f_{name}"] = "on"
    for name in PENALTY_FIELDS:
        if (table.get("penalty") or {}).get(name) is not None:
            values[f"penalty_{name}"] = str(table["penalty"][name])
    return values


def _toml_value(value: Any) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}" = {_toml_value(v)}' for k, v in value.items()) + " }"
    return str(value)
