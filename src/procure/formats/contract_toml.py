"""Contracts as code: a contract and its clauses as a TOML file, loaded and written back.

The layout is SPEC's ("Contracts as code"): a `[contract]` table with the parties as
inline tables, one `[[clause]]` per clause with its rule, the rule's parameters and the
filters flat in the clause table (penalty and bonus as inline tables), and one
`[[waiver]]` per waiver. Loading checks every field against the rule registry and the
vocabularies and reports all problems at once, each with its line and field path.
Writing gives a file that loads to an equal `Contract`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w

from procure.domain.identity import InvalidIdentityNumber, normalise_org_number
from procure.domain.model import Bonus, Clause, Contract, Filters, Organisation, Penalty, Waiver
from procure.domain.vocabulary import CONTRACT_STATUSES, OUTCOMES, PLACEMENT_TYPES, TARGET_GROUPS
from procure.engine.rules import COMMON_PARAMETERS, RULES, Parameter
from procure.formats.cells import suggestion
from procure.formats.errors import InputError, InputErrors
from procure.formats.toml_lines import TomlLines

TOP_KEYS = ("contract", "clause", "waiver")
CONTRACT_KEYS = (
    "reference", "title", "site", "buyer", "contractor", "subcontractors", "auditors",
    "value_sek", "currency", "start", "end", "status", "target_groups",
)  # fmt: skip
ORGANISATION_KEYS = ("name", "org_number")
CLAUSE_KEYS = ("code", "title", "text", "rule", "penalty", "bonus")
PENALTY_KEYS = ("per_unit_sek", "per_breach_sek", "cap_sek")
BONUS_KEYS = ("per_unit_sek", "cap_sek")
WAIVER_KEYS = ("clause", "period", "reason")
# Parameters that multiply the contract's value, which must then be known.
VALUE_PARAMETERS = ("per_value_sek", "share_of_value")

FILTER_PARAMETERS: tuple[Parameter, ...] = (
    Parameter("placement_types", "code_list", choices=tuple(PLACEMENT_TYPES),
              description="Count only placements of these types (any type when absent)."),
    Parameter("target_groups", "code_list",  # choices: SPEC's groups and the contract's own
              description="Count only participants in at least one of these target groups (anyone when absent)."),
    Parameter("min_weeks", "decimal",
              description="A placement qualifies once it has lasted this many weeks (days / 7)."),
    Parameter("min_days_per_week", "decimal", description="Count only placements with at least these days a week at the workplace (0-7)."),
    Parameter("min_hours_per_week", "decimal", description="Count only placements with at least these hours a week (0-168)."),
    Parameter("require_trained_supervisor", "bool", description="Count only placements with a trained supervisor."),
    Parameter("exclude_employed_before_start", "bool",
              description="Additionality: leave out people the employer already employed before the contract start."),
)
_FILTER_LIMITS = {"min_days_per_week": Decimal(7), "min_hours_per_week": Decimal(168)}
_GROUP_CODE = re.compile(r"[a-z][a-z0-9_]*")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")


class _Invalid(ValueError):
    """A field's value is wrong; the message says how."""


# -- loading -------------------------------------------------------------------------


def load_contract_file(path: str | Path) -> Contract:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputErrors([InputError("is not UTF-8 text: save it as UTF-8", source=str(path))]) from None
    except OSError as error:
        raise InputErrors([InputError(f"cannot read the file: {error.strerror}", source=str(path))]) from None
    return load_contract(text, source=str(path))


def load_contract(text: str, source: str = "<string>") -> Contract:
    """Parse and validate a contract TOML; raise `InputErrors` listing every problem."""
    try:
        document = tomllib.loads(text.removeprefix("\ufeff"), parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        line = int(position.group(1)) if position and position.group(1) else None
        column = f" (column {position.group(2)})" if position and position.group(2) else ""
        reason = message[: position.start()] if position else message
        if "date" in reason.lower():
            reason += "; dates are written 2016-03-01, without quotes, and must exist"
        raise InputErrors(
            [InputError(f"not valid TOML: {reason}{column}", source=source, line=line)]
        ) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively: a few hundred levels
        # exhaust the stack. No contract nests more than three.
        raise InputErrors(
            [InputError("not valid TOML for a contract: arrays or tables are nested too deeply", source=source)]
        ) from None
    try:
        return _Loader(text, source).contract(document)
    except RecursionError:
        raise InputErrors(
            [InputError("arrays or tables are nested too deeply for a contract", source=source)]
        ) from None


class _Loader:
    def __init__(self, text: str, source: str):
        self.source = source
        self.lines = TomlLines(text)
        self.errors: list[InputError] = []

    def error(self, message: str, path: str, table: str, index: int | None = None, key: str | None = None) -> None:
        self.errors.append(
            InputError(message, source=self.source, line=self.lines.line(table, index, key), field=path)
        )

    # The value of one field, converted, or None after recording why it is wrong.
    def field(
        self,
        table: Mapping[str, Any],
        key: str,
        convert: Callable[[Any], Any],
        path: str,
        where: tuple[str, int | None],
        required: bool = False,
        line_key: str | None = None,
    ) -> Any:
        """`line_key`: the key whose line to show, for fields of an inline table."""
        if key not in table:
            if required:
                self.error("is required", f"{path}.{key}", *where, line_key)
            return None
        try:
            return convert(table[key])
        except _Invalid as invalid:
            self.error(str(invalid), f"{path}.{key}", *where, line_key or key)
            return None

    def unknown_keys(
        self, table: Mapping[str, Any], known: Sequence[str], path: str, where: tuple[str, int | None], what: str
    ) -> None:
        for key in table:
            if key not in known:
                self.error(
                    f"unknown field {key!r}{suggestion(key, known)}; {what} takes {', '.join(known)}",
                    f"{path}.{key}" if path else key,
                    *where,
                    key,
                )

    # -- the document ----------------------------------------------------------------

    def contract(self, document: Mapping[str, Any]) -> Contract:
        self.unknown_keys(document, TOP_KEYS, "", ("", None), "a contract file")
        head = document.get("contract")
        if not isinstance(head, dict):
            self.error("the file needs a [contract] table", "contract", "contract")
            raise InputErrors(self.errors)
        where = ("contract", None)
        self.unknown_keys(head, CONTRACT_KEYS, "contract", where, "[contract]")
        f = lambda key, convert, required=False: self.field(head, key, convert, "contract", where, required)  # noqa: E731
        reference = f("reference", _short_text(100), True)
        title = f("title", _short_text(300), True)
        site = f("site", _optional_short_text(300)) or ""
        buyer = self.organisation(head, "buyer", "buyer", required=True)
        contractor = self.organisation(head, "contractor", "contractor", required=True)
        subcontractors = self.organisations(head, "subcontractors", "contractor")
        auditors = self.organisations(head, "auditors", "audit")
        value_sek = f("value_sek", _whole_number)
        currency = f("currency", _currency) or "SEK"
        start = f("start", _date, True)
        end = f("end", _date, True)
        if start and end and end < start:
            self.error(f"{end.isoformat()} is before the start {start.isoformat()}", "contract.end", *where, "end")
        status = f("status", _choice(CONTRACT_STATUSES)) or "active"
        extra_groups = f("target_groups", _own_groups) or ()
        groups = (*TARGET_GROUPS, *extra_groups)

        clauses = self.clauses(document.get("clause", []), groups, value_sek or 0)
        # Codes of all clause tables, valid or not, so that a bad clause does not also
        # make its waivers look orphaned.
        codes = {t.get("code") for t in document.get("clause", []) if isinstance(t, dict)}
        waivers = self.waivers(document.get("waiver", []), codes, start, end)
        if self.errors:
            raise InputErrors(sorted(self.errors, key=lambda error: error.line or 0))
        assert buyer is not None and contractor is not None  # required: a missing one is an error above
        return Contract(
            reference=reference,
            title=title,
            buyer=buyer,
            contractor=contractor,
            start=start,
            end=end,
            value_sek=value_sek or 0,
            currency=currency,
            site=site,
            status=status,
            subcontractors=subcontractors,
            auditors=auditors,
            extra_target_groups=tuple(extra_groups),
            clauses=tuple(clauses),
            waivers=tuple(waivers),
        )

    def organisation(
        self, table: Mapping[str, Any], key: str, kind: str, required: bool = False, position: int | None = None
    ) -> Organisation | None:
        path = f"contract.{key}" if position is None else f"contract.{key}[{position}]"
        where = ("contract", None)
        value = table.get(key) if position is None else table[key][position]
        if value is None:
            if required:
                self.error("is required, as { name = \"…\", org_number = \"NNNNNN-NNNN\" }", path, *where, key)
            return None
        if not isinstance(value, dict):
            self.error('must be a table: { name = "…", org_number = "NNNNNN-NNNN" }', path, *where, key)
            return None
        for unknown in value:
            if unknown not in ORGANISATION_KEYS:
                self.error(
                    f"unknown field {unknown!r}{suggestion(unknown, ORGANISATION_KEYS)}; an organisation takes name, org_number",
                    f"{path}.{unknown}",
                    *where,
                    key,
                )
        name = self.field(value, "name", _text, path, where, required=True, line_key=key)
        number = self.field(value, "org_number", _org_number, path, where, required=True, line_key=key)
        if name is None or number is None:
            return None
        return Organisation(name=name, org_number=number, kind=kind)

    def organisations(self, table: Mapping[str, Any], key: str, kind: str) -> tuple[Organisation, ...]:
        value = table.get(key, [])
        if not isinstance(value, list):
            self.error('must be an array of tables: [{ name = "…", org_number = "…" }]', f"contract.{key}", "contract", None, key)
            return ()
        found: list[Organisation] = []
        for position in range(len(value)):
            organisation = self.organisation(table, key, kind, position=position)
            if organisation is None:
                continue
            if any(other.org_number == organisation.org_number for other in found):
                self.error(f"{organisation.org_number} is listed twice", f"contract.{key}[{position}]", "contract", None, key)
                continue
            found.append(organisation)
        return tuple(found)

    # -- clauses ---------------------------------------------------------------------

    def clauses(self, value: Any, groups: Sequence[str], value_sek: int) -> list[Clause]:
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.error("clauses are written as [[clause]] tables", "clause", "clause", None)
            return []
        clauses: list[Clause] = []
        first_of_code: dict[str, int] = {}
        for index, table in enumerate(value):
            code = table.get("code")
            if isinstance(code, str) and code in first_of_code:
                self.error(
                    f"clause code {code} is used twice (first on line {self.lines.line('clause', first_of_code[code])})",
                    f"clause[{code}].code",
                    "clause",
                    index,
                    "code",
                )
                continue
            if isinstance(code, str):
                first_of_code[code] = index
            clause = self.clause(index, table, groups, value_sek)
            if clause is not None:
                clauses.append(clause)
        return clauses

    def clause(self, index: int, table: dict[str, Any], groups: Sequence[str], value_sek: int) -> Clause | None:
        code = table.get("code")
        path = f"clause[{code}]" if isinstance(code, str) and code.strip() else f"clause[{index}]"
        where = ("clause", index)
        errors_before = len(self.errors)
        f = lambda key, convert, required=False: self.field(table, key, convert, path, where, required)  # noqa: E731
        code = f("code", _short_text(40), True)
        title = f("title", _short_text(300), True)
        text = f("text", _optional_text) or ""
        rule_kind = f("rule", _text, True)
        rule = RULES.get(rule_kind) if rule_kind else None
        if rule_kind and rule is None:
            self.error(
                f"unknown rule kind {rule_kind!r}{suggestion(rule_kind, RULES)}; the kinds are {', '.join(sorted(RULES))}",
                f"{path}.rule",
                *where,
                "rule",
            )
        declared = {p.name: p for p in (*COMMON_PARAMETERS, *(rule.parameters if rule else ()))}
        filter_declared = {p.name: p for p in FILTER_PARAMETERS}
        if rule is not None:
            self.unknown_keys(
                table,
                (*CLAUSE_KEYS, *declared, *filter_declared),
                path,
                where,
                f"a {rule_kind} clause",
            )

        parameters: dict[str, Any] = {}
        for key, parameter in declared.items():
            value = f(key, _parameter(parameter, groups), parameter.required)
            if value is not None:
                parameters[key] = value
        filter_values: dict[str, Any] = {}
        for key, parameter in filter_declared.items():
            value = f(key, _parameter(parameter, groups, _FILTER_LIMITS.get(key)))
            if value is not None:
                filter_values[key] = value
        penalty = f("penalty", _money_table(Penalty, PENALTY_KEYS, ()))
        bonus = f("bonus", _money_table(Bonus, BONUS_KEYS, ("per_unit_sek",)))

        if rule is not None and len(self.errors) == errors_before:
            for key, message in rule.check(parameters):
                self.error(message, f"{path}.{key}", *where, key)
        for key in VALUE_PARAMETERS:
            if key in parameters and not value_sek:
                self.error("needs the contract's value_sek, which is not given", f"{path}.{key}", *where, key)
        if len(self.errors) != errors_before:
            return None
        return Clause(
            code=code,
            title=title,
            rule=rule_kind,
            text=text,
            parameters=parameters,
            filters=Filters(**filter_values),
            penalty=penalty,
            bonus=bonus,
        )

    # -- waivers ---------------------------------------------------------------------

    def waivers(self, value: Any, codes: set[Any], start: date | None, end: date | None) -> list[Waiver]:
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.error("waivers are written as [[waiver]] tables", "waiver", "waiver", None)
            return []
        waivers: list[Waiver] = []
        for index, table in enumerate(value):
            path, where = f"waiver[{index}]", ("waiver", index)
            self.unknown_keys(table, WAIVER_KEYS, path, where, "a waiver")
            code = self.field(table, "clause", _text, path, where, required=True)
            reason = self.field(table, "reason", _text, path, where, required=True)
            period = self.field(table, "period", _date, path, where)
            if code is not None and code not in codes:
                known = sorted(c for c in codes if isinstance(c, str))
                self.error(f"no clause has code {code}{suggestion(code, known)}", f"{path}.clause", *where, "clause")
                continue
            if period is not None and start and end and not start <= period <= end:
                self.error(
                    f"{period.isoformat()} is outside the contract term {start.isoformat()}–{end.isoformat()}",
                    f"{path}.period",
                    *where,
                    "period",
                )
                continue
            if code is not None and reason is not None:
                waivers.append(Waiver(clause_code=code, reason=reason, period_start=period))
        return waivers


# -- converters of single values ------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid("must be a non-empty text in quotes")
    return value


def _short_text(limit: int) -> Callable[[Any], str]:
    """A non-empty text of at most `limit` characters (the database column's length)."""

    def convert(value: Any) -> str:
        text = _text(value)
        if len(text) > limit:
            raise _Invalid(f"is {len(text):,} characters long; at most {limit} are allowed")
        return text

    return convert


def _optional_short_text(limit: int) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        text = _optional_text(value)
        if len(text) > limit:
            raise _Invalid(f"is {len(text):,} characters long; at most {limit} are allowed")
        return text

    return convert


def _optional_text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid("must be a text in quotes")
    return value


def _whole_number(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _Invalid("must be a whole number ≥ 0")
    return value


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        raise _Invalid("must be a date without a time, such as 2016-03-01")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        raise _Invalid(f"must be a TOML date, written without quotes: 2016-03-01, not {value!r}")
    raise _Invalid("must be a date, such as 2016-03-01")


def _currency(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value):
        raise _Invalid("must be a three-letter currency code such as SEK")
    return value


def _org_number(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid('must be a text in quotes, such as "556110-1816"')
    try:
        return normalise_org_number(value)
    except InvalidIdentityNumber as error:
        raise _Invalid(str(error)) from None


def _choice(choices: Sequence[str]) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        if not isinstance(value, str) or value not in choices:
            shown = value if isinstance(value, str) else repr(value)
            raise _Invalid(f"{shown!r} is not one of {', '.join(choices)}{suggestion(str(shown), choices)}")
        return value

    return convert


def _own_groups(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _Invalid('must be an array of codes, such as ["roma_inclusion"]')
    for code in value:
        if code in TARGET_GROUPS:
            raise _Invalid(f"{code} is already a standard target group; list only the contract's own")
        if not _GROUP_CODE.fullmatch(code):
            raise _Invalid(f"{code!r} is not a code: use lower-case letters, digits and _, starting with a letter")
    if len(set(value)) != len(value):
        raise _Invalid("lists a group twice")
    return tuple(value)


def _decimal(value: Any, low: Decimal = Decimal(0), high: Decimal | None = None) -> Decimal:
    if not _is_number(value):
        raise _Invalid("must be a number")
    number = Decimal(value)
    if not number.is_finite() or number < low or (high is not None and number > high):
        raise _Invalid(f"must be a number ≥ {low}" + (f" and ≤ {high}" if high is not None else ""))
    return number


def _parameter(
    parameter: Parameter, groups: Sequence[str], high: Decimal | None = None
) -> Callable[[Any], Any]:
    kind = parameter.kind
    # Parameters declared without choices but named after a vocabulary take its codes.
    choices = parameter.choices
    if choices is None and parameter.name in ("target_groups", "group"):
        choices = tuple(groups)
    elif choices is None and parameter.name in ("outcomes", "outcome"):
        choices = tuple(OUTCOMES)
    elif choices is None and parameter.name in ("placement_types", "placement_type"):
        choices = tuple(PLACEMENT_TYPES)
    if kind == "int":
        return _whole_number
    if kind == "decimal":
        return lambda value: _decimal(value, high=high)
    if kind == "share":
        return _share
    if kind == "bool":
        return _bool
    if kind == "choice":
        return _choice(choices) if choices else _text
    if kind == "code_list":
        return lambda value: _code_list(value, choices)
    if kind == "value_table":
        return lambda value: _value_table(value, groups)
    raise ValueError(f"parameter {parameter.name} has an unknown kind {kind!r}")


def _share(value: Any) -> Decimal:
    if not _is_number(value):
        raise _Invalid("must be a share between 0 and 1 (0.4 for 40 %)")
    number = Decimal(value)
    if not 0 <= number <= 1:
        raise _Invalid(f"{value} is not between 0 and 1: write a share as a fraction (0.4 for 40 %)")
    return number


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid("must be true or false (without quotes)")
    return value


def _code_list(value: Any, choices: Sequence[str] | None) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]  # a single code is a list of one
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _Invalid('must be an array of codes, such as ["newcomer", "unemployed_youth"]')
    if not value:
        raise _Invalid("must list at least one code (leave the field out to apply no filter)")
    if choices is not None:
        for code in value:
            if code not in choices:
                raise _Invalid(f"{code!r} is not one of {', '.join(choices)}{suggestion(code, choices)}")
    if len(set(value)) != len(value):
        raise _Invalid("lists a code twice")
    return tuple(value)


def _value_table(value: Any, groups: Sequence[str]) -> dict[str, Decimal | dict[str, Decimal]]:
    """SEK per placement-week by placement type, optionally by target group ("*": any other)."""
    example = "{ internship = 2500, employment = { newcomer = 6000, \"*\" = 5000 } }"
    if not isinstance(value, dict) or not value:
        raise _Invalid(f"must be a table of SEK per week by placement type, such as {example}")
    table: dict[str, Decimal | dict[str, Decimal]] = {}
    for placement_type, amount in value.items():
        if placement_type not in PLACEMENT_TYPES:
            raise _Invalid(
                f"{placement_type!r} is not a placement type{suggestion(placement_type, PLACEMENT_TYPES)}"
            )
        if isinstance(amount, dict):
            by_group: dict[str, Decimal] = {}
            for group, sek in amount.items():
                if group != "*" and group not in groups:
                    raise _Invalid(
                        f"{placement_type}.{group} is not a target group (or \"*\"){suggestion(group, groups)}"
                    )
                if not _is_number(sek) or sek < 0:
                    raise _Invalid(f"{placement_type}.{group} must be an amount in SEK ≥ 0")
                by_group[group] = Decimal(sek)
            table[placement_type] = by_group
        elif _is_number(amount) and amount >= 0:
            table[placement_type] = Decimal(amount)
        else:
            raise _Invalid(f"{placement_type} must be an amount in SEK ≥ 0 or a table by target group")
    return table


def _money_table(cls: type, keys: Sequence[str], required: Sequence[str]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if not isinstance(value, dict):
            raise _Invalid(f"must be an inline table such as {{ {keys[0]} = 25_000, cap_sek = 500_000 }}")
        unknown = [key for key in value if key not in keys]
        if unknown:
            raise _Invalid(
                f"unknown field {unknown[0]!r}{suggestion(unknown[0], keys)}; it takes {', '.join(keys)}"
            )
        missing = [key for key in required if key not in value]
        if missing:
            raise _Invalid(f"needs {', '.join(missing)}")
        for key, amount in value.items():
            if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
                raise _Invalid(f"{key} must be whole SEK ≥ 0")
        return cls(**value)

    return convert


# -- writing ---------------------------------------------------------------------------


def dump_contract(contract: Contract) -> str:
    """The contract as TOML in SPEC's layout; `load_contract` reads it back equal."""
    head: dict[str, Any] = {"reference": contract.reference, "title": contract.title}
    if contract.site:
        head["site"] = contract.site
    head["buyer"] = _organisation(contract.buyer)
    head["contractor"] = _organisation(contract.contractor)
    if contract.subcontractors:
        head["subcontractors"] = [_organisation(o) for o in contract.subcontractors]
    if contract.auditors:
        head["auditors"] = [_organisation(o) for o in contract.auditors]
    head["value_sek"] = contract.value_sek
    if contract.currency != "SEK":
        head["currency"] = contract.currency
    head["start"], head["end"] = contract.start, contract.end
    if contract.status != "active":
        head["status"] = contract.status
    if contract.extra_target_groups:
        head["target_groups"] = list(contract.extra_target_groups)
    sections = [_section("[contract]", head)]
    sections += [_section("[[clause]]", _clause(clause)) for clause in contract.clauses]
    for waiver in contract.waivers:
        table: dict[str, Any] = {"clause": waiver.clause_code}
        if waiver.period_start is not None:
            table["period"] = waiver.period_start
        table["reason"] = waiver.reason
        sections.append(_section("[[waiver]]", table))
    return "\n".join(sections)


def _organisation(organisation: Organisation) -> dict[str, str]:
    return {"name": organisation.name, "org_number": organisation.org_number}


def _clause(clause: Clause) -> dict[str, Any]:
    table: dict[str, Any] = {"code": clause.code, "title": clause.title}
    if clause.text:
        table["text"] = clause.text
    table["rule"] = clause.rule
    table.update(clause.parameters)
    for spec in fields(Filters):
        value = getattr(clause.filters, spec.name)
        if value is not None and value is not False:
            table[spec.name] = value
    if clause.penalty is not None:
        # Rates of 0 are the defaults and left out; a cap of 0 is a cap.
        table["penalty"] = {
            key: getattr(clause.penalty, key)
            for key in PENALTY_KEYS
            if getattr(clause.penalty, key) is not None and (key == "cap_sek" or getattr(clause.penalty, key))
        }
    if clause.bonus is not None:
        table["bonus"] = {key: getattr(clause.bonus, key) for key in BONUS_KEYS if getattr(clause.bonus, key) is not None}
    return table


def _section(header: str, table: Mapping[str, Any]) -> str:
    return header + "\n" + "".join(f"{_key(key)} = {_value(value)}\n" for key, value in table.items())


def _key(key: str) -> str:
    return tomli_w.dumps({key: 0}).rsplit(" = ", 1)[0]


def _value(value: Any) -> str:
    """One value in TOML; mappings inline, as SPEC writes parties and penalties."""
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }" if value else "{}"
    if isinstance(value, (list, tuple)) and value and all(isinstance(item, Mapping) for item in value):
        return "[\n" + "".join(f"    {_value(item)},\n" for item in value) + "]"
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)  # 8 weeks reads better than 8.0; loading makes it a Decimal again
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
        return f"{value:_}"  # 180_000_000, as people write SEK
    if isinstance(value, (list, tuple)):
        # One line, as people write short code lists (tomli-w always breaks arrays).
        return "[" + ", ".join(_value(item) for item in value) + "]"
    # Legal texts read best as multi-line strings, but TOML may turn a literal \r\n in
    # one into \n, so a text holding \r keeps the escaped single-line form.
    multiline = not (isinstance(value, str) and "\r" in value)
    return tomli_w.dumps({"v": value}, multiline_strings=multiline).split(" = ", 1)[1].rstrip("\n")
