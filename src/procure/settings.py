"""Settings from environment variables, with safe defaults.

Every setting is one row of `SETTINGS`: its variable, its default, what it means, and a
validator that turns the raw text into a value or raises a `ConfigurationError` whose
message names the variable and the fix, on one line (the CLI prints it and exits 2).
A new setting is a new row (and a field of `Settings`); `docs/` lists the same table.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

LOG_LEVELS = ("debug", "info", "warning", "error")
DATABASE_URL_HINT = "use sqlite:///path.sqlite3 or postgresql+psycopg://user@host:5432/db"


class ConfigurationError(Exception):
    """A setting is wrong; the message says which and how to fix it, on one line."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: bytes
    host: str
    port: int
    log_level: str
    retention_years: int = 10
    trusted_proxies: tuple[str, ...] = ()  # networks, e.g. "10.0.0.5/32"
    evidence_max_file_bytes: int = 10 * 1024 * 1024
    evidence_quota_bytes: int = 2 * 1024 * 1024 * 1024


# The per-file limit can be raised only so far: files live in the database, and the
# upload's body is read whole (the API's transport cap is this plus the form's framing).
EVIDENCE_FILE_CEILING = 100 * 1024 * 1024


def _byte_count(name: str, raw: str, default: int, ceiling: int | None = None) -> int:
    try:
        value = int(raw.strip().replace("_", ""))
    except ValueError:
        value = 0
    if value < 1 or (ceiling is not None and value > ceiling):
        most = f" and at most {ceiling}" if ceiling is not None else ""
        raise ConfigurationError(f"{name}={raw!r} is not a number of bytes: use a whole number, 1 or more{most} "
                                 f"(default {default})")
    return value


@dataclass(frozen=True)
class Setting:
    """One `PROCURE_*` variable: `validate(raw)` returns the value or raises ConfigurationError."""

    variable: str
    field: str  # the Settings field it fills ("" when another setting uses it)
    default: str
    meaning: str
    validate: Callable[[str], Any]
    empty_is_unset: bool = False  # `PROCURE_X=` (set but empty) means the default


def _fail(variable: str, raw: str, problem: str, fix: str) -> ConfigurationError:
    shown = raw if len(raw) <= 60 else raw[:57] + "..."
    return ConfigurationError(f"{variable}={shown!r} {problem}: {fix}")


# --- validators, one per setting ------------------------------------------------------


def check_database_url(raw: str) -> str:
    """The URL's scheme must name SQLite or PostgreSQL (through psycopg)."""
    variable = "PROCURE_DATABASE_URL"
    shown = _mask_password(raw)
    scheme, separator, rest = raw.partition("://")
    if not separator or not scheme:
        raise _fail(variable, shown, "is not a database URL", DATABASE_URL_HINT)
    dialect, _, driver = scheme.lower().partition("+")
    if dialect == "sqlite" and driver in ("", "pysqlite"):
        if not rest.startswith("/"):
            raise _fail(variable, shown, "has no file path (sqlite needs three slashes)", DATABASE_URL_HINT)
        return raw
    if dialect == "postgresql" and driver in ("", "psycopg"):
        return raw
    if dialect in ("postgres", "postgresql"):
        raise _fail(variable, shown, f"has the scheme {scheme + '://'!r}", "use postgresql+psycopg://user@host:5432/db")
    raise _fail(variable, shown, f"has the scheme {scheme + '://'!r}, which procure does not run on", DATABASE_URL_HINT)


def _mask_password(raw: str) -> str:
    scheme, separator, rest = raw.partition("://")
    credentials, at, host = rest.rpartition("@")
    if separator and at and ":" in credentials:
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return raw


def _secret_key(raw: str) -> bytes | None:
    if raw == "":
        return None  # not set: the key comes from PROCURE_SECRET_KEY_FILE
    if len(raw) < 32:
        raise ConfigurationError(
            "PROCURE_SECRET_KEY is shorter than 32 characters: use a long random value, "
            "e.g. python3 -c 'import secrets; print(secrets.token_hex(32))'"
        )
    return raw.encode()


def _secret_key_file(raw: str) -> Path:
    if not raw.strip():
        raise _fail("PROCURE_SECRET_KEY_FILE", raw, "is empty", "give a file path, or unset it for .procure/secret_key")
    return Path(raw)


def _host(raw: str) -> str:
    if not raw or any(c.isspace() for c in raw) or "/" in raw:
        raise _fail("PROCURE_HOST", raw, "is not a host name or address", "use e.g. 127.0.0.1, 0.0.0.0 or ::1")
    return raw


def _port(raw: str) -> int:
    try:
        port = int(raw.strip())
    except ValueError:
        port = -1
    if not 0 < port < 65536:
        raise _fail("PROCURE_PORT", raw, "is not a port number", "use a whole number from 1 to 65535 (default 8000)")
    return port


def _log_level(raw: str) -> str:
    level = raw.strip().lower()
    if level not in LOG_LEVELS:
        raise _fail("PROCURE_LOG_LEVEL", raw, "is not a log level", f"use one of {', '.join(LOG_LEVELS)}")
    return level


def _retention_years(raw: str) -> int:
    try:
        years = int(raw.strip())
    except ValueError:
        years = 0
    if years < 1:
        raise _fail(
            "PROCURE_RETENTION_YEARS", raw, "is not a number of years", "use a whole number, 1 or more (default 10)"
        )
    return years


def _trusted_proxies(raw: str) -> tuple[str, ...]:
    networks = []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        try:
            networks.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError:
            raise ConfigurationError(
                f"PROCURE_TRUSTED_PROXIES: {part!r} is not an address or network: "
                "use e.g. 10.0.0.5,192.168.1.0/24 (empty: trust no proxy)"
            ) from None
    return tuple(networks)


SETTINGS: tuple[Setting, ...] = (
    Setting("PROCURE_DATABASE_URL", "database_url", "sqlite:///procure.sqlite3",
            "SQLAlchemy URL of the database: `sqlite:///path` or `postgresql+psycopg://user@host:5432/db`",
            check_database_url, empty_is_unset=True),
    Setting("PROCURE_SECRET_KEY", "secret_key", "",
            "the installation's secret (keys the hashes of personal identity numbers and tokens, seals reports); "
            "at least 32 characters; when unset it is generated once into `PROCURE_SECRET_KEY_FILE`",
            _secret_key, empty_is_unset=True),
    Setting("PROCURE_SECRET_KEY_FILE", "", ".procure/secret_key",
            "where the generated secret is kept (mode 0600); back it up with the database",
            _secret_key_file),
    Setting("PROCURE_HOST", "host", "127.0.0.1", "the address `procure serve` listens on", _host),
    Setting("PROCURE_PORT", "port", "8000", "the port `procure serve` listens on", _port),
    Setting("PROCURE_LOG_LEVEL", "log_level", "info", "`debug`, `info`, `warning` or `error`", _log_level),
    Setting("PROCURE_RETENTION_YEARS", "retention_years", "10",
            "whole years after a contract's end before `procure retention run` pseudonymises its participants",
            _retention_years),
    Setting("PROCURE_TRUSTED_PROXIES", "trusted_proxies", "",
            "comma-separated addresses or networks of the reverse proxies whose X-Forwarded-For/-Proto "
            "headers are believed (empty: none)", _trusted_proxies),
    Setting("PROCURE_EVIDENCE_MAX_FILE_BYTES", "evidence_max_file_bytes", str(10 * 1024 * 1024),
            f"the largest evidence file accepted, in bytes (at most {EVIDENCE_FILE_CEILING})",
            lambda raw: _byte_count("PROCURE_EVIDENCE_MAX_FILE_BYTES", raw, 10 * 1024 * 1024, EVIDENCE_FILE_CEILING)),
    Setting("PROCURE_EVIDENCE_QUOTA_BYTES", "evidence_quota_bytes", str(2 * 1024 * 1024 * 1024),
            "evidence files one contract may hold together, in bytes",
            lambda raw: _byte_count("PROCURE_EVIDENCE_QUOTA_BYTES", raw, 2 * 1024 * 1024 * 1024)),
)


def _secret_from_file(path: Path) -> bytes:
    fix = "point PROCURE_SECRET_KEY_FILE at a readable file (or a path procure may create), or set PROCURE_SECRET_KEY"
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # O_EXCL: two processes starting at once must not write two different secrets.
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w") as handle:
                    handle.write(secrets.token_hex(32))
        key = path.read_text(encoding="utf-8").strip()
    except (FileExistsError, NotADirectoryError):
        raise ConfigurationError(
            f"PROCURE_SECRET_KEY_FILE={str(path)!r} cannot be used (a part of its path is a file, not a directory): {fix}"
        ) from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ConfigurationError(f"PROCURE_SECRET_KEY_FILE={str(path)!r} cannot be used ({reason}): {fix}") from None
    except UnicodeDecodeError:
        raise ConfigurationError(
            f"PROCURE_SECRET_KEY_FILE={str(path)!r} is not a text file: {fix}"
        ) from None
    if len(key) < 32:
        raise ConfigurationError(
            f"PROCURE_SECRET_KEY_FILE={str(path)!r} holds a key shorter than 32 characters: "
            "put a long random value in it, or delete it to have one generated"
        )
    return key.encode()


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = env.get(setting.variable)
        if raw is None or (raw == "" and setting.empty_is_unset):
            raw = setting.default
        values[setting.variable] = setting.validate(raw)
    secret_key = values["PROCURE_SECRET_KEY"] or _secret_from_file(values["PROCURE_SECRET_KEY_FILE"])
    fields = {s.field: values[s.variable] for s in SETTINGS if s.field}
    return Settings(**{**fields, "secret_key": secret_key})


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
