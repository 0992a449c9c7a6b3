"""Liveness (`/api/health`) and readiness (`/api/ready`): a load balancer sends traffic
only to a process whose database is reachable and migrated to the latest revision."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar.testing import TestClient

from procure.app import create_app
from procure.storage.database import create_database_engine
from procure.storage.migrations import head_revision


def test_ready_when_the_database_is_reachable_and_at_head(api_client: TestClient) -> None:
    response = api_client.get("/api/ready")  # no token needed
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "revision": head_revision()}
    assert api_client.get("/api/health").json()["status"] == "ok"


@pytest.mark.parametrize(
    "database, message",
    [("empty.sqlite3", "run `procure db upgrade`"), ("missing/dir/x.sqlite3", "cannot be reached")],
    ids=["not migrated", "unreachable"],
)
def test_not_ready_is_a_503_saying_why(tmp_path: Path, database: str, message: str) -> None:
    engine = create_database_engine(f"sqlite:///{tmp_path / database}")
    try:
        with TestClient(app=create_app(engine=engine)) as client:
            response = client.get("/api/ready")
            assert response.status_code == 503
            assert response.headers["content-type"].startswith("application/json")
            assert message in response.json()["error"]
            # Alive all the same: liveness does not depend on the database.
            assert client.get("/api/health").status_code == 200
    finally:
        engine.dispose()
