"""Dependencies provided once, for every controller of the API and the pages alike
(neither imports the other: both call the services)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from sqlalchemy import Engine
from sqlmodel import Session

from procure.services.access import Principal
from procure.settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def sqlite_write_lock(engine: Engine) -> asyncio.Lock | None:
    """A lock that serialises the requests that may write, for SQLite only.

    SQLite has one writer at a time, and a transaction that read before it writes fails
    at once ("database is locked") rather than waiting when another writer got there
    first. Letting one writing request at a time into the database — readers are not
    held up, WAL lets them read alongside — turns those failures into a short queue. An
    asyncio lock, so that waiting never blocks the event loop. PostgreSQL needs none.
    """
    return asyncio.Lock() if engine.dialect.name == "sqlite" else None


async def provide_db_session(state: State, request: Request) -> AsyncIterator[Session]:
    """One session per request. Services commit their own work explicitly; whatever was
    not committed when the request ends — a failed request — is rolled back."""
    lock: asyncio.Lock | None = state.get("write_lock")
    if lock is None or request.method in SAFE_METHODS:
        with Session(state.engine, expire_on_commit=False) as session:
            yield session
        return
    async with lock:
        with Session(state.engine, expire_on_commit=False) as session:
            yield session


def provide_principal(request: Request) -> Principal:
    return request.user


def provide_settings(state: State) -> Settings:
    return state.settings


# Handlers ask for these by parameter name (`db: DbSession`); the marker says so, where
# an unmarked parameter would leave Litestar to guess between dependency and query.
DbSession = NamedDependency[Session]
RequestPrincipal = NamedDependency[Principal]
AppSettings = NamedDependency[Settings]

DEPENDENCIES = {
    "db": Provide(provide_db_session),
    "principal": Provide(provide_principal, sync_to_thread=False),
    "settings": Provide(provide_settings, sync_to_thread=False),
}
