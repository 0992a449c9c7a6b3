"""The one set of Alembic migrations builds, removes and rebuilds the schema on this
run's database (SQLite, or PostgreSQL in CI), and agrees with the models."""

from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

import procure.storage.models  # noqa: F401
from procure.storage import migrations

pytestmark = pytest.mark.storage

POSTGRES_MAX_IDENTIFIER = 63


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(database_url: str) -> None:
    model_tables = set(SQLModel.metadata.tables)
    assert model_tables <= _tables(database_url)
    assert migrations.current_revision(database_url) == migrations.head_revision()

    migrations.downgrade(database_url, "base")
    assert _tables(database_url) & model_tables == set()
    assert migrations.current_revision(database_url) is None

    migrations.upgrade(database_url)
    assert model_tables <= _tables(database_url)
    assert migrations.current_revision(database_url) == migrations.head_revision()


def test_models_and_migrations_agree(database_url: str) -> None:
    assert migrations.pending_changes(database_url) == []


def test_history_has_one_head() -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config())
    assert len(script.get_heads()) == 1


def test_constraint_names_are_explicit_and_fit_postgresql() -> None:
    # PostgreSQL truncates longer names, and then a later migration could not find them.
    for table in SQLModel.metadata.sorted_tables:
        named = [*table.constraints, *table.indexes]
        for item in named:
            name = str(item.name) if item.name is not None else None
            assert name, f"unnamed {type(item).__name__} on {table.name}"
            assert len(name) <= POSTGRES_MAX_IDENTIFIER, name


def test_an_expected_table_set() -> None:
    assert set(SQLModel.metadata.tables) == {
        "organisations", "users", "api_tokens", "contracts", "appointments", "clauses",
        "waivers", "participants", "placements", "labour_hours", "period_reports",
        "evidence_files", "audit_log", "issued_reports", "web_sessions", "sign_in_failures",
        "audit_chains", "audit_heads", "import_failures", "render_leases",
    }


def test_the_comparison_would_notice_a_missing_migration(engine) -> None:
    # Guards the test above against passing vacuously: one extra column is a difference.
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import Column, Integer, MetaData

    metadata = MetaData(naming_convention=SQLModel.metadata.naming_convention)
    for table in SQLModel.metadata.sorted_tables:
        copy = table.to_metadata(metadata)
        if table.name == "placements":
            copy.append_column(Column("weekly_bonus_sek", Integer))
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert [d[0] for d in differences] == ["add_column"]
    assert differences[0][2] == "placements"
    assert differences[0][3].name == "weekly_bonus_sek"
