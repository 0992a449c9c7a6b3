"""Alembic, run from Python: `procure db upgrade` needs no alembic.ini.

The migration scripts live in the repository's `alembic/` directory (package data of a
wheel, see `procure.resources`); the configuration is built here, and the connection comes from procure's own engine so that the SQLite
pragmas (foreign keys, WAL) are in force while migrating too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import SQLModel

from procure.resources import resource_dir
from procure.settings import ConfigurationError
from procure.storage.database import check_connection, create_database_engine

# The repository's alembic/ (package data in a wheel).
SCRIPT_LOCATION = resource_dir("alembic")


def alembic_config(connection: Connection | None = None) -> Config:
    if not (SCRIPT_LOCATION / "env.py").is_file():
        raise ConfigurationError(
            f"the migration scripts are missing ({SCRIPT_LOCATION}): "
            "reinstall procure (pip install . from its repository)"
        )
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["connection"] = connection
    return config


@contextmanager
def _migration_connection(database_url: str | None) -> Iterator[Connection]:
    engine = create_database_engine(database_url)
    check_connection(engine)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(database_url: str | None = None) -> str | None:
    with _migration_connection(database_url) as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(database_url: str | None = None, revision: str = "head") -> None:
    with _migration_connection(database_url) as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(database_url: str | None = None, revision: str = "-1") -> None:
    with _migration_connection(database_url) as connection:
        command.downgrade(alembic_config(connection), revision)


def pending_changes(database_url: str | None = None) -> list[Any]:
    """What autogenerate would put in a new migration: empty when models and migrations agree."""
    import procure.storage.models  # noqa: F401  (registers every table)

    with _migration_connection(database_url) as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        return list(compare_metadata(context, SQLModel.metadata))


def make_revision(message: str, database_url: str | None = None) -> None:
    """Autogenerate a migration (a developer's tool: review what it writes)."""
    with _migration_connection(database_url) as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)


_head: list[str | None] = []


def readiness_problem(engine: Engine) -> tuple[str | None, str | None]:
    """(the database's revision, None) when it can be reached and is migrated to head;
    otherwise (revision or None, what is wrong, in words for the operator)."""
    if not _head:
        _head.append(head_revision())
    try:
        with engine.connect() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        return None, f"the database cannot be reached: {reason}"
    if revision != _head[0]:
        return revision, f"the database is at revision {revision or 'none'}, not {_head[0]}: run `procure db upgrade`"
    return revision, None
