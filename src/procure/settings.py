"""Settings from environment variables, with safe defaults.

`PROCURE_DATABASE_URL`  SQLAlchemy URL; default a SQLite file `procure.sqlite3` in the
                        working directory.
`PROCURE_SECRET_KEY`    the installation's secret (keyed hashes of personal numbers,
                        tokens); when absent it is generated once into
                        `PROCURE_SECRET_KEY_FILE` (default `.procure/secret_key`, mode 0600).
`PROCURE_HOST`, `PROCURE_PORT`  where `procure serve` listens (127.0.0.1:8000).
`PROCURE_LOG_LEVEL`     debug | info | warning | error (info).
`PROCURE_RETENTION_YEARS`  whole years after a contract's end before `procure retention
                        run` pseudonymises its participants (10).
`PROCURE_TRUSTED_PROXIES`  comma-separated addresses or networks of the reverse proxies
                        whose X-Forwarded-For/-Proto headers are believed (none).
`PROCURE_EVIDENCE_MAX_FILE_BYTES`  the largest evidence file accepted (10 MiB; at most
                        100 MiB).
`PROCURE_EVIDENCE_QUOTA_BYTES`  evidence files one contract may hold together (2 GiB).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LOG_LEVELS = ("debug", "info", "warning", "error")


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


def _byte_count(name: str, raw: str | None, default: int, ceiling: int | None = None) -> int:
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip().replace("_", ""))
    except ValueError:
        value = 0
    if value < 1 or (ceiling is not None and value > ceiling):
        most = f" and at most {ceiling}" if ceiling is not None else ""
        raise ConfigurationError(f"{name}={raw!r} is not a number of bytes: use a whole number, 1 or more{most} "
                                 f"(default {default})")
    return value


def _port(raw: str) -> int:
    try:
        port = int(raw)
    except ValueError:
        port = -1
    if not 0 < port < 65536:
        raise ConfigurationError(f"PROCURE_PORT={raw!r} is not a port number: use 1-65535")
    return port


def _retention_years(raw: str) -> int:
    try:
        years = int(raw.strip())
    except ValueError:
        years = 0
    if years < 1:
        raise ConfigurationError(
            f"PROCURE_RETENTION_YEARS={raw!r} is not a number of years: use a whole number, 1 or more (default 10)"
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


def _secret_from_file(path: Path) -> bytes:
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
    try:
        key = path.read_text().strip()
    except OSError as error:
        raise ConfigurationError(
            f"cannot read the secret key file {path}: {error.strerror}; "
            "set PROCURE_SECRET_KEY or PROCURE_SECRET_KEY_FILE"
        ) from None
    if len(key) < 32:
        raise ConfigurationError(f"the secret key in {path} is shorter than 32 characters")
    return key.encode()


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    database_url = env.get("PROCURE_DATABASE_URL") or "sqlite:///procure.sqlite3"
    if "://" not in database_url:
        raise ConfigurationError(
            f"PROCURE_DATABASE_URL={database_url!r} is not a database URL: "
            "use sqlite:///path.sqlite3 or postgresql+psycopg://user@host/db"
        )
    if env.get("PROCURE_SECRET_KEY"):
        secret_key = env["PROCURE_SECRET_KEY"].encode()
        if len(secret_key) < 32:
            raise ConfigurationError("PROCURE_SECRET_KEY must be at least 32 characters long")
    else:
        secret_key = _secret_from_file(Path(env.get("PROCURE_SECRET_KEY_FILE", ".procure/secret_key")))
    log_level = env.get("PROCURE_LOG_LEVEL", "info").lower()
    if log_level not in LOG_LEVELS:
        raise ConfigurationError(
            f"PROCURE_LOG_LEVEL={log_level!r} is not one of {', '.join(LOG_LEVELS)}"
        )
    return Settings(
        database_url=database_url,
        secret_key=secret_key,
        host=env.get("PROCURE_HOST", "127.0.0.1"),
        port=_port(env.get("PROCURE_PORT", "8000")),
        log_level=log_level,
        retention_years=_retention_years(env.get("PROCURE_RETENTION_YEARS", "10")),
        trusted_proxies=_trusted_proxies(env.get("PROCURE_TRUSTED_PROXIES", "")),
        evidence_max_file_bytes=_byte_count("PROCURE_EVIDENCE_MAX_FILE_BYTES", env.get("PROCURE_EVIDENCE_MAX_FILE_BYTES"),
                                            Settings.evidence_max_file_bytes, EVIDENCE_FILE_CEILING),
        evidence_quota_bytes=_byte_count("PROCURE_EVIDENCE_QUOTA_BYTES", env.get("PROCURE_EVIDENCE_QUOTA_BYTES"),
                                         Settings.evidence_quota_bytes),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
