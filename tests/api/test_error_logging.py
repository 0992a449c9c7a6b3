"""A 500 is a bug and leaves its traceback in the log; a user's mistake leaves none."""

from __future__ import annotations

import time

from litestar import get
from litestar.testing import TestClient

from procure.app import create_app


@get("/api/health/boom", sync_to_thread=False)
def boom() -> None:
    raise RuntimeError("a bug in a handler")


def test_a_500_is_logged_with_its_traceback_and_a_401_is_not(engine, capfd):
    app = create_app(engine=engine)
    app.register(boom)
    with TestClient(app) as client:
        assert client.get("/api/contracts/00000000-0000-0000-0000-000000000000").status_code == 401
        assert client.get("/api/health/boom").status_code == 500
    time.sleep(0.5)  # Litestar logs through a queue listener thread
    logged = capfd.readouterr().err
    assert "RuntimeError: a bug in a handler" in logged
    # The 401 is one line at INFO; the only traceback is the 500's.
    assert "INFO" in next(line for line in logged.splitlines() if "-> 401 NotAuthorizedException" in line)
    assert logged.count("Traceback") == 1


def test_a_value_the_database_refuses_is_a_400_not_a_500(engine):
    # PostgreSQL refuses NUL characters in text; SQLite stores them (and finds no user).
    with TestClient(create_app(engine=engine)) as client:
        response = client.post("/api/auth/token", json={"email": "a\u0000b@example.org", "password": "x" * 12})
    assert response.status_code in (400, 401), response.text
    assert "error" in response.json()
