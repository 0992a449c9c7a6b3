"""What every table shares: the constraint naming convention, ids, and UTC timestamps.

The naming convention is set here, on import, before any table class exists: constraint
names then come out the same on SQLite and PostgreSQL and in every migration, so a later
migration can drop or alter a constraint by name (SQLite's batch mode needs that).
"""

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, Table
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION


def table_of(model: type[SQLModel]) -> Table:
    """The table of a `table=True` model, for Core statements (SQLModel sets `__table__`
    on such a class but does not declare it)."""
    table = model.__table__  # type: ignore[attr-defined]  # see above
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table


def new_id() -> uuid.UUID:
    # Random ids rather than counters: an id in a URL reveals nothing about how many
    # objects other organisations have.
    return uuid.uuid4()


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp on every backend.

    PostgreSQL keeps the zone (timestamptz); SQLite keeps none and hands back naive
    values. Everything is stored as UTC and comes back aware, so comparisons between
    a stored timestamp and `utcnow()` never mix naive and aware values.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime cannot be stored: give it a timezone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def one_of(column: str, codes: Iterable[str], name: str | None = None) -> CheckConstraint:
    """CHECK that a code column holds a code of its vocabulary.

    A string column with a CHECK rather than a native ENUM type: PostgreSQL enums need
    their own CREATE/DROP TYPE in every migration that touches them, SQLite has none.
    """
    listed = ", ".join(f"'{code}'" for code in codes)
    return CheckConstraint(f"{column} IN ({listed})", name=name or f"{column}_known")
