"""The engine and sessions, built from `PROCURE_DATABASE_URL`.

A wrong URL is the operator's mistake, not a bug: it ends as a ConfigurationError naming
what to fix (the password masked), which the CLI prints on one line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, NoSuchModuleError, OperationalError
from sqlmodel import Session

from procure.settings import DATABASE_URL_HINT, ConfigurationError, check_database_url, get_settings


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        # A float's repr is the shortest that reads back the same, so 0.05 stays "0.05";
        # the deserializer below turns it back into an exact Decimal.
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} cannot be stored as JSON")


def json_serializer(value: Any) -> str:
    return json.dumps(value, default=_json_default, ensure_ascii=False, sort_keys=True)


def json_deserializer(text: str) -> Any:
    # Shares, weeks and hours in clause parameters are Decimals in the domain.
    return json.loads(text, parse_float=Decimal)


def parse_database_url(raw: str) -> URL:
    check_database_url(raw)  # the scheme, with a one-line fix naming the setting
    try:
        return make_url(raw)
    except ArgumentError:
        raise ConfigurationError(f"PROCURE_DATABASE_URL is not a database URL: {DATABASE_URL_HINT}") from None


def describe(url: URL) -> str:
    """The URL with its password masked, safe for a message."""
    return url.render_as_string(hide_password=True)


def _sqlite_pragmas(engine: Engine) -> None:
    in_memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite opens transactions on its own schedule (and never before DDL or
        # SAVEPOINT); handing control to SQLAlchemy's "begin" below makes transactions
        # and savepoints behave as on PostgreSQL (SQLAlchemy's documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")  # off by default in SQLite
        if not in_memory:
            # Readers do not block the writer: pages stay responsive during an import.
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def _pool_size(url: URL) -> dict[str, int]:
    """A request may hold two connections at once (the bearer token's lookup and the
    handler's session, each in a worker thread); with the default pool of five, eight
    concurrent clients kept opening and closing overflow connections
    (bench/compliance_bench.py). An in-memory SQLite database has one connection per
    thread and no pool to size."""
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return {}
    return {"pool_size": 10, "max_overflow": 30}


def create_database_engine(database_url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for `database_url` (default: the settings'), not yet connected."""
    url = parse_database_url(database_url or get_settings().database_url)
    try:
        engine = create_engine(
            url,
            json_serializer=json_serializer,
            json_deserializer=json_deserializer,
            pool_pre_ping=url.get_backend_name() == "postgresql",
            **{**_pool_size(url), **kwargs},
        )
    except (NoSuchModuleError, ArgumentError) as error:
        raise ConfigurationError(
            f"PROCURE_DATABASE_URL={describe(url)} cannot be used ({error}); "
            "use sqlite:///path.sqlite3 or postgresql+psycopg://user@host:5432/db"
        ) from None
    except ModuleNotFoundError as error:
        raise ConfigurationError(
            f"the database driver for {describe(url)} is not installed ({error.name}); "
            "use postgresql+psycopg:// for PostgreSQL"
        ) from None
    if url.get_backend_name() == "sqlite":
        _sqlite_pragmas(engine)
    return engine


def check_connection(engine: Engine) -> None:
    """Connect once, so that an unreachable database is reported as such, up front."""
    try:
        with engine.connect():
            pass
    except (OperationalError, InterfaceError) as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        if engine.url.get_backend_name() == "sqlite":
            hint = "check PROCURE_DATABASE_URL and that the file's directory exists and is writable"
        else:
            hint = "check PROCURE_DATABASE_URL and that the database server is running"
        raise ConfigurationError(
            f"cannot connect to the database {describe(engine.url)}: {reason}; {hint}"
        ) from None


@lru_cache(maxsize=4)
def get_engine(database_url: str | None = None) -> Engine:
    """One engine (and so one connection pool) per URL for the life of the process."""
    return create_database_engine(database_url)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits when the block ends normally and rolls back otherwise."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
