"""Shared fixtures: one fresh, migrated database per test run, and isolated sessions.

By default the database is a new SQLite file in a temporary directory. With
`PROCURE_TEST_POSTGRES_URL` set (for example
postgresql+psycopg://postgres@127.0.0.1:5432/test) a uniquely named database is created
on that server instead, migrated to head, and dropped at the end, so several runs (or
pytest-xdist workers) never share one.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, delete, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from procure.settings import get_settings
from procure.storage import migrations
from procure.storage.database import create_database_engine, get_engine

POSTGRES_ENV = "PROCURE_TEST_POSTGRES_URL"
DATABASE_FIXTURES = {"database_url", "engine", "session", "clean_database"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A test that touches the database is a storage test, whether or not its module says
    # so: `pytest -m storage` (run again on PostgreSQL in CI) must not miss it.
    for item in items:
        if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.storage)


def _server_admin_engine(server_url: str) -> Engine:
    return create_engine(server_url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a fresh database migrated to head; also set as PROCURE_DATABASE_URL."""
    server_url = os.environ.get(POSTGRES_ENV)
    name = None
    if server_url:
        name = f"procure_test_{secrets.token_hex(6)}"
        admin = _server_admin_engine(server_url)
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('database') / 'procure.sqlite3'}"
    migrations.upgrade(url)

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PROCURE_DATABASE_URL", url)
        get_settings.cache_clear()
        get_engine.cache_clear()
        yield url
    get_settings.cache_clear()
    get_engine.cache_clear()

    if server_url and name:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_database_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test, commits included.

    The session runs inside an outer transaction; its own commits and rollbacks only
    release or roll back savepoints, so `session.commit()` and recovering from an
    IntegrityError with `session.rollback()` behave as usual within the test.
    """
    with engine.connect() as connection:
        transaction = connection.begin()
        with Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        ) as session:
            yield session
        transaction.rollback()


def _delete_everything(engine: Engine) -> None:
    import procure.storage.models  # noqa: F401

    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(delete(table))


@pytest.fixture
def clean_database(engine: Engine) -> Iterator[Engine]:
    """The engine, for tests whose code commits through its own sessions (the app, the
    CLI); every row is deleted afterwards so the next test starts empty."""
    _delete_everything(engine)
    yield engine
    _delete_everything(engine)
