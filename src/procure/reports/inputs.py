"""Reading a contract and its records from files, collecting every error of every file.

Used by `procure report` (files on disk) and by the verification of a report (the files
attached to the PDF), so both say exactly what is wrong and where.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from procure.domain.model import Contract, ContractRecords
from procure.formats.contract_toml import load_contract
from procure.formats.errors import InputError, InputErrors
from procure.formats.records_csv import read_labour_hours, read_period_reports, read_placements


def _collect(errors: list[InputError], read: Callable[[], Any]) -> Any:
    try:
        return read()
    except InputErrors as problems:
        errors.extend(problems.errors)
        return None


def _text(data: bytes | str, name: str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputErrors([InputError(f"not UTF-8 text (byte {error.start})", source=name)]) from None


def load_inputs(
    contract: tuple[str, bytes | str],
    placements: tuple[str, bytes | str],
    hours: tuple[str, bytes | str] | None = None,
    reports: tuple[str, bytes | str] | None = None,
    *,
    secret: bytes | None = None,
) -> tuple[Contract, ContractRecords]:
    """The contract and records from (name, content) pairs; raises InputErrors with them all.

    A personnummer column, if any, is hashed with `secret` (a random key when None: only
    duplicates within these files matter then).
    """

    errors: list[InputError] = []
    name, data = contract
    loaded = _collect(errors, lambda: load_contract(_text(data, name), name))
    groups = loaded.extra_target_groups if loaded else ()
    key = secret or secrets.token_bytes(32)
    people = _collect(errors, lambda: read_placements(placements[1], secret=key, name=placements[0],
                                                      extra_target_groups=groups))
    labour = _collect(errors, lambda: read_labour_hours(hours[1], name=hours[0])) if hours else ()
    periods = _collect(errors, lambda: read_period_reports(reports[1], name=reports[0])) if reports else ()
    if errors or loaded is None or people is None or labour is None or periods is None:
        raise InputErrors(errors)
    participants, placement_rows = people
    return loaded, ContractRecords(participants, placement_rows, labour, periods)


def load_input_files(contract: Path, placements: Path, hours: Path | None = None, reports: Path | None = None,
                     *, secret: bytes | None = None) -> tuple[Contract, ContractRecords]:
    """As `load_inputs`, from paths; an unreadable file is an input error too."""
    errors: list[InputError] = []

    def read(path: Path) -> tuple[str, bytes | str]:
        try:
            return str(path), path.read_bytes()
        except OSError as error:
            errors.append(InputError(f"cannot read the file: {error.strerror}", source=str(path)))
            return str(path), b""

    contract_pair, placements_pair = read(contract), read(placements)
    hours_pair = None if hours is None else read(hours)
    reports_pair = None if reports is None else read(reports)
    if errors:
        raise InputErrors(errors)
    return load_inputs(contract_pair, placements_pair, hours_pair, reports_pair, secret=secret)
