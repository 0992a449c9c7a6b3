"""A pytest plugin: the example contracts in `contracts/` carry their expected results.

Each `contracts/NAME.cases.toml` lists cases for `contracts/NAME.toml`:

    [[case]]
    name = "end of the contract term"
    as_of = 2018-06-30
    # placements = "NAME.placements.csv"   (the default; hours and reports likewise,
    #                                        used when the file exists)
    [case.expect]
    overall = "breached"
    [case.expect.clauses.SC-1]
    status = "breached"
    actual = 17

Every case is one test item. Only the keys given are compared, against the result JSON
(SPEC's shape, `procure evaluate --format json`); a failure lists every difference.
Registered through the `pytest11` entry point in pyproject.toml.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr

SUFFIX = ".cases.toml"
_SECRET = b"procure contract cases"  # only duplicates within one file matter


class CaseMismatch(Exception):
    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name.endswith(SUFFIX):
        return ContractCasesFile.from_parent(parent, path=file_path)
    return None


class ContractCasesFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            document = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise self.CollectError(f"{self.path.name}: not valid TOML: {error}") from None
        cases = document.get("case")
        if not isinstance(cases, list) or not cases:
            raise self.CollectError(f"{self.path.name}: no [[case]] tables")
        names: set[str] = set()
        for number, case in enumerate(cases, start=1):
            name = case.get("name") or f"case {number}"
            if name in names:
                raise self.CollectError(f"{self.path.name}: two cases are named {name!r}")
            names.add(name)
            yield ContractCase.from_parent(self, name=name, case=case)


class ContractCase(pytest.Item):
    def __init__(self, *, case: dict[str, Any], **kwargs: Any):
        super().__init__(**kwargs)
        self.case = case
        self.contract_name = self.path.name[: -len(SUFFIX)]

    def _path(self, key: str, suffix: str) -> Path:
        return self.path.parent / (self.case.get(key) or f"{self.contract_name}.{suffix}.csv")

    def _file(self, key: str, suffix: str) -> Path | None:
        """The optional file: None when the case names none and the default does not exist."""
        path = self._path(key, suffix)
        if self.case.get(key) is None and not path.exists():
            return None
        return path

    def evaluate(self) -> dict[str, Any]:
        from procure.domain.model import ContractRecords
        from procure.engine import evaluate
        from procure.formats.contract_toml import load_contract_file
        from procure.formats.errors import InputErrors
        from procure.formats.records_csv import read_labour_hours, read_period_reports, read_placements

        as_of = self.case.get("as_of")
        if not isinstance(as_of, date):
            raise CaseMismatch([f"as_of must be a TOML date such as 2018-06-30, not {as_of!r}"])
        try:
            contract = load_contract_file(self.path.parent / f"{self.contract_name}.toml")
            participants, placements = read_placements(
                self._path("placements", "placements"),
                secret=_SECRET,
                extra_target_groups=contract.extra_target_groups,
            )
            hours_file = self._file("hours", "hours")
            reports_file = self._file("reports", "reports")
            hours = read_labour_hours(hours_file) if hours_file else ()
            reports = read_period_reports(reports_file) if reports_file else ()
        except InputErrors as errors:
            raise CaseMismatch(["the example's files have errors:", *(f"  {e}" for e in errors.errors)]) from None
        records = ContractRecords(participants, placements, hours, reports)
        return evaluate(contract, records, as_of).to_json()

    def runtest(self) -> None:
        result = self.evaluate()
        expect = self.case.get("expect", {})
        differences: list[str] = []
        if "overall" in expect and expect["overall"] != result["overall"]:
            differences.append(f"overall: expected {expect['overall']}, got {result['overall']}")
        clauses = {clause["code"]: clause for clause in result["clauses"]}
        for code, expected in expect.get("clauses", {}).items():
            clause = clauses.get(code)
            if clause is None:
                differences.append(f"{code}: no such clause (the clauses are {', '.join(clauses)})")
                continue
            wrong = [
                f"{code}.{key}: expected {want!r}, got {clause.get(key, '(no such key)')!r}"
                for key, want in expected.items()
                if key not in clause or not _same(want, clause[key])
            ]
            if wrong:
                differences += [*wrong, f"  ({code}: {clause.get('explanation', '')})"]
        if differences:
            raise CaseMismatch(differences)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str | TerminalRepr:
        if isinstance(excinfo.value, CaseMismatch):
            heading = f"{self.path.name}: case {self.name!r} (as of {self.case.get('as_of')})"
            return "\n".join([heading, *(f"  {line}" for line in excinfo.value.lines)])
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.contract_name}: {self.name}"


def _same(want: Any, got: Any) -> bool:
    if isinstance(want, (int, float)) and isinstance(got, (int, float)) and not isinstance(want, bool):
        return math.isclose(want, got, rel_tol=1e-9, abs_tol=1e-9)
    return want == got
