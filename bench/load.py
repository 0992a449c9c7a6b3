"""Load test of the real server: contractors report placements while buyers read compliance.

    .venv/bin/python bench/load.py [--seconds 60] [--contractors 8] [--buyers 4]
                                   [--database-url postgresql+psycopg://…/scratch]

Starts `uvicorn procure.app:create_app` in a subprocess on a free loopback port, on a
fresh SQLite database (or the given database, migrated to head: use a scratch one), with
two tenants' worth of parties; then, for `--seconds`, concurrent httpx async clients POST
placements and GET compliance. It prints requests, errors and requests per second, and
afterwards checks that every placement the server accepted (201) is in the database
exactly once. Exit code 1 when any request failed or any accepted placement was lost.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlmodel import Session

from procure.services.tokens import issue_token
from procure.storage import migrations
from procure.storage.database import create_database_engine
from procure.storage.models import Appointment, Contract, Organisation, Participant, Placement, User

PLACEMENT_TYPES = ("internship", "employment", "apprenticeship", "summer_job", "training", "mentorship")
PEOPLE_PER_CONTRACTOR = 20
TERM = (date(2016, 3, 1), date(2018, 6, 30))


@dataclass
class Tally:
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def populate(database_url: str, contractors: int, buyers: int) -> tuple[str, dict[str, list[str]]]:
    """One contract with its parties; a token per simulated user, and each contractor's people."""
    engine = create_database_engine(database_url)
    now = datetime.now(timezone.utc)
    with Session(engine, expire_on_commit=False) as session:
        buyer = Organisation(name="Östersundshem AB", org_number="556110-1816", kind="buyer")
        contractor = Organisation(name="Skanska Sverige AB", org_number="556033-4285", kind="contractor")
        session.add_all([buyer, contractor])
        session.flush()
        contract = Contract(reference=f"LOAD-{secrets.token_hex(3)}", title="Load test", buyer_org_id=buyer.id,
                            contractor_org_id=contractor.id, start=TERM[0], end=TERM[1], status="active")
        session.add(contract)
        session.flush()
        # The contractor has accepted its appointment (it sees the contract only then).
        session.add(Appointment(contract_id=contract.id, organisation_id=contractor.id, org_number=contractor.org_number,
                                role="contractor", status="accepted"))
        tokens: dict[str, list[str]] = {"contractor": [], "buyer": []}
        for kind, organisation, count in (("contractor", contractor, contractors), ("buyer", buyer, buyers)):
            for number in range(count):
                user = User(email=f"{kind}{number}@load.test", role=kind, organisation_id=organisation.id, password_hash="!")
                session.add(user)
                session.flush()
                tokens[kind].append(issue_token(session, user, now)[0])
        for worker in range(contractors):
            for person in range(PEOPLE_PER_CONTRACTOR):
                session.add(Participant(ref=f"W{worker}-P{person}", contract_id=contract.id, target_groups=["newcomer"],
                                        reported_by_org_id=contractor.id))
        session.commit()
        contract_id = str(contract.id)
    engine.dispose()
    return contract_id, tokens


def placement_body(worker: int, number: int) -> dict:
    person = number % PEOPLE_PER_CONTRACTOR
    day = (number // PEOPLE_PER_CONTRACTOR) % 800
    kind = PLACEMENT_TYPES[(number // (PEOPLE_PER_CONTRACTOR * 800)) % len(PLACEMENT_TYPES)]
    start = TERM[0] + timedelta(days=day)
    return {"participant_ref": f"W{worker}-P{person}", "placement_type": kind, "start": start.isoformat(),
            "end": (start + timedelta(days=27)).isoformat(), "hours_per_week": "24", "days_per_week": "3"}


async def contractor(client: httpx.AsyncClient, url: str, token: str, worker: int, deadline: float, tally: Tally) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    number = 0
    while time.monotonic() < deadline:
        tally.requests += 1
        try:
            response = await client.post(url, json=placement_body(worker, number), headers=headers)
        except httpx.HTTPError as error:
            tally.errors.append(f"POST placement: {type(error).__name__}")
        else:
            if response.status_code == 201:
                tally.accepted.append(response.json()["id"])
            else:
                tally.errors.append(f"POST placement: {response.status_code} {response.text[:200]}")
        number += 1


async def buyer(client: httpx.AsyncClient, url: str, token: str, deadline: float, tally: Tally) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    while time.monotonic() < deadline:
        tally.requests += 1
        try:
            response = await client.get(url, headers=headers)
        except httpx.HTTPError as error:
            tally.errors.append(f"GET compliance: {type(error).__name__}")
        else:
            if response.status_code != 200:
                tally.errors.append(f"GET compliance: {response.status_code} {response.text[:200]}")


async def drive(base: str, contract_id: str, tokens: dict[str, list[str]], seconds: float) -> tuple[Tally, float]:
    tally = Tally()
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(contractor(client, f"/api/contracts/{contract_id}/placements", token, worker, deadline, tally)
              for worker, token in enumerate(tokens["contractor"])),
            *(buyer(client, f"/api/contracts/{contract_id}/compliance", token, deadline, tally) for token in tokens["buyer"]),
        )
        return tally, time.monotonic() - started


def wait_until_up(base: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with code {server.returncode} before answering")
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("the server did not answer within 30 s")


def lost_placements(database_url: str, contract_id: str, accepted: list[str]) -> tuple[int, int]:
    """(accepted placements not stored exactly once, placements stored beyond those accepted)."""
    engine = create_database_engine(database_url)
    with Session(engine) as session:
        stored = [str(row) for row in session.exec(select(Placement.id).where(Placement.contract_id == uuid.UUID(contract_id))).scalars()]
    engine.dispose()
    counts: dict[str, int] = {}
    for placement_id in stored:
        counts[placement_id] = counts.get(placement_id, 0) + 1
    lost = sum(1 for placement_id in accepted if counts.get(placement_id) != 1)
    return lost, len(stored) - len(set(accepted))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--contractors", type=int, default=8)
    parser.add_argument("--buyers", type=int, default=4)
    parser.add_argument("--database-url", help="a scratch database (it is migrated and written to); default a fresh SQLite file")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="procure-load-") as scratch:
        database_url = args.database_url or f"sqlite:///{Path(scratch) / 'load.sqlite3'}"
        migrations.upgrade(database_url)
        contract_id, tokens = populate(database_url, args.contractors, args.buyers)
        port = free_port()
        env = {**os.environ, "PROCURE_DATABASE_URL": database_url, "PROCURE_SECRET_KEY": secrets.token_hex(32),
               "PROCURE_LOG_LEVEL": "warning"}
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "procure.app:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning"],
            env=env, cwd=scratch,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, server)
            tally, elapsed = asyncio.run(drive(base, contract_id, tokens, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=30)
        lost, extra = lost_placements(database_url, contract_id, tally.accepted)

    print(f"requests {tally.requests}")
    print(f"errors {len(tally.errors)}")
    print(f"requests/second {tally.requests / elapsed:.1f}")
    print(f"placements accepted {len(tally.accepted)}")
    print(f"placements lost {lost}")
    print(f"placements stored but not acknowledged {extra}")
    for error in tally.errors[:10]:
        print(f"  {error}")
    return 1 if tally.errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())
