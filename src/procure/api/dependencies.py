"""Dependencies provided once, for every controller."""

from __future__ import annotations

from collections.abc import Iterator

from litestar import Request
from litestar.datastructures import State
from litestar.di import Provide
from sqlmodel import Session

from procure.services.access import Principal
from procure.settings import Settings


def provide_db_session(state: State) -> Iterator[Session]:
    """One session per request. Services commit their own work explicitly; whatever was
    not committed when the request ends — a failed request — is rolled back."""
    with Session(state.engine, expire_on_commit=False) as session:
        yield session


def provide_principal(request: Request) -> Principal:
    return request.user


def provide_settings(state: State) -> Settings:
    return state.settings


DEPENDENCIES = {
    "db": Provide(provide_db_session),
    "principal": Provide(provide_principal, sync_to_thread=False),
    "settings": Provide(provide_settings, sync_to_thread=False),
}
