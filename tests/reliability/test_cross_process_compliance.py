"""Two `procure serve` processes on one database behave like one: a placement created
through B shows at once in A's compliance answer, although A has that answer cached
(procure.services.compliance keys it by the contract's data version, read from the
database on every request; nothing waits for a clock).

On PostgreSQL when PROCURE_TEST_POSTGRES_URL is set, else on the run's SQLite file.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from api_parties import Tenants
from contract_setup import add_contract
from procure.settings import get_settings
from procure.storage.models import Clause

pytestmark = pytest.mark.storage


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def procure_command() -> list[str]:
    installed = Path(sys.executable).with_name("procure")
    if installed.exists():
        return [str(installed)]
    found = shutil.which("procure")
    return [found] if found else [sys.executable, "-c", "from procure.cli import cli; cli()"]


def wait_until_up(base: str, server: subprocess.Popen, limit: float = 60) -> None:
    """Starting a server is not under test: wait for it, however long the machine takes."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited with code {server.returncode}: {server.stderr.read()[-2000:]}")
        try:
            if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"the server at {base} did not start")


@pytest.fixture
def two_servers(database_url: str, clean_database: Engine, tmp_path: Path) -> Iterator[tuple[str, str]]:
    env = {
        **os.environ,
        "PROCURE_DATABASE_URL": database_url,
        "PROCURE_SECRET_KEY": get_settings().secret_key.decode(),  # the tokens' keyed hashes
        "PROCURE_LOG_LEVEL": "warning",
    }
    servers, bases = [], []
    try:
        for _ in range(2):
            port = free_port()
            server = subprocess.Popen([*procure_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                      env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            servers.append(server)
            bases.append(f"http://127.0.0.1:{port}")
        for base, server in zip(bases, servers):
            wait_until_up(base, server)
        yield bases[0], bases[1]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def sc1(answer: dict) -> dict:
    return next(clause for clause in answer["clauses"] if clause["code"] == "SC-1")


def test_a_placement_created_through_b_shows_at_once_in_as_cached_answer(
        clean_database: Engine, tenants: Tenants, two_servers: tuple[str, str]) -> None:
    contract_id = add_contract(clean_database, tenants)
    with Session(clean_database) as session:
        session.add(Clause(contract_id=contract_id, code="SC-1", title="Internships", rule="placement_count",
                           parameters={"target": 2}))
        session.commit()
    a, b = two_servers
    buyer, contractor = tenants.headers["buyer"], tenants.headers["contractor"]
    url = f"{a}/api/contracts/{contract_id}/compliance?as_of=2018-06-30"

    with httpx.Client(timeout=60) as http:
        before = http.get(url, headers=buyer)
        assert before.status_code == 200, before.text
        assert sc1(before.json())["counted"] == []
        assert http.get(url, headers=buyer).json() == before.json(), "asked again: A's kept answer"

        person = http.post(f"{b}/api/contracts/{contract_id}/participants", headers=contractor,
                           json={"ref": "P-0001", "target_groups": ["newcomer"], "gender": "female"})
        assert person.status_code == 201, person.text
        placement = http.post(f"{b}/api/contracts/{contract_id}/placements", headers=contractor,
                              json={"participant_ref": "P-0001", "placement_type": "internship",
                                    "start": "2016-04-01", "end": "2016-09-30"})
        assert placement.status_code == 201, placement.text

        after = http.get(url, headers=buyer)  # at once: no sleep, no retry
    assert after.status_code == 200, after.text
    assert [item["placement_id"] for item in sc1(after.json())["counted"]] == [placement.json()["id"]]
    assert sc1(after.json())["actual"] == 1
