"""`GET /compliance` under concurrent load on loopback, next to the health route of the same server.

    python bench/compliance_bench.py [--placements 1000] [--clients 8] [--seconds 10] [--database-url URL]

Builds a fresh, migrated database (a temporary SQLite file, or with a
postgresql+psycopg:// URL a uniquely named database on that server, dropped afterwards),
imports the synthetic contract (bench/synthetic.py, seeded: 8 clauses over 8 rule kinds)
as its buyer, and its placements, labour hours and period reports as its contractor,
all through the services. Then it starts the real server (uvicorn, `procure.app:create_app`,
one process, on a free loopback port), signs in over the API for a bearer token and runs
each phase for `--seconds` with `--clients` concurrent httpx clients:

  health                        GET /api/health
  compliance, same as_of        every request the same date, as clients ask it: answered
                                from memory (procure.services.freshness, result cache)
  compliance, varying as_of     a new date every request: the engine runs on the records
                                cached for the contract (what a dashboard stepping
                                through dates costs)
  compliance, nothing cached    a second server with procure.services.compliance's caches
                                sized 0: every request loads the records and evaluates
                                (what the first request costs after a change to the
                                contract's records)

and prints requests/s, p50/p95 latency and errors per phase, and each compliance phase's
throughput as a share of the same server's health figure (the goal: at least 1/5, for
the route as clients ask it: the same as_of; the last two phases show what the caches
save). Server and client CPU per request are printed too: the client runs on the same
machine and takes CPU from the server (reading a 1 MB answer costs it more than the
server spends sending it), so compare the ratios within one run, not figures between runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
import synthetic  # noqa: E402
from import_bench import fresh_database  # noqa: E402

from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from procure.services.contracts import ensure_organisation, import_contract_toml, accept_pending_on_behalf  # noqa: E402
from procure.services.passwords import hash_password  # noqa: E402
from procure.services.placement_import import import_placements  # noqa: E402
from procure.services.reporting import hours_from_csv, report_hours, submit_report  # noqa: E402
from procure.services.tokens import principal_of  # noqa: E402
from procure.settings import load_settings  # noqa: E402
from procure.storage import migrations  # noqa: E402
from procure.storage.database import create_database_engine  # noqa: E402
from procure.storage.models import User  # noqa: E402

AS_OF = date(2018, 3, 31)
PASSWORD = "benchmark password"
BUYER_EMAIL = "buyer@bench.test"
GOAL = 1 / 5


def logged_app():
    """The application, logging the traceback of any 500 (uvicorn factory of the first phases)."""
    from procure.app import create_app

    app = create_app()
    if app.logging_config is not None:
        app.logging_config.log_exceptions = "always"
    return app


def uncached_app():
    """The same with the read model's cache sized 0 (uvicorn factory of the last phase)."""
    from cachetools import LRUCache

    from procure.services import compliance

    compliance._kept.cache = LRUCache(maxsize=0)  # nothing fits: every answer is computed
    return logged_app()


# --- the data -------------------------------------------------------------------------


def build(url: str, data: Path, placements: int, secret: bytes) -> str:
    """Migrate, import the synthetic contract and its records; the contract's id."""
    migrations.upgrade(url)
    synthetic.write(data, placements, 1, AS_OF)
    engine = create_database_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            buyer_org = ensure_organisation(session, synthetic.BUYER, None, [], "buyer")
            contractor_org = ensure_organisation(session, synthetic.CONTRACTOR, None, [], "contractor")
            password_hash = hash_password(PASSWORD)
            buyer = User(email=BUYER_EMAIL, role="buyer", organisation_id=buyer_org.id, password_hash=password_hash)
            contractor = User(email="contractor@bench.test", role="contractor", organisation_id=contractor_org.id,
                              password_hash=password_hash)
            session.add_all([buyer, contractor])
            session.commit()
            contract = import_contract_toml(session, principal_of(buyer), (data / "contract.toml").read_text("utf-8"),
                                            source="contract.toml").contract
            accept_pending_on_behalf(session, None, contract)  # as the contractor and subcontractors would
            session.commit()
            as_contractor = principal_of(contractor)
            result = import_placements(session, as_contractor, contract.id, data / "placements.csv", secret=secret)
            assert result.created == placements, result
            report_hours(session, as_contractor, contract.id, hours_from_csv((data / "hours.csv").read_bytes()))
            for line in (data / "reports.csv").read_text("utf-8").splitlines()[1:]:
                period, submitted_on = line.split(",")
                submit_report(session, as_contractor, contract.id, period, today=AS_OF,
                              submitted_on=date.fromisoformat(submitted_on))
            return str(contract.id)
    finally:
        engine.dispose()


# --- the server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """uvicorn in a subprocess on a free loopback port; stopped on leaving the block."""

    def __init__(self, factory: str, environment: dict[str, str]):
        self.factory, self.environment = factory, environment
        self.url = f"http://127.0.0.1:{free_port()}"

    def __enter__(self) -> "Server":
        port = self.url.rsplit(":", 1)[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", self.factory, "--app-dir", str(Path(__file__).parent),
             "--host", "127.0.0.1", "--port", port, "--log-level", "warning", "--no-access-log"],
            env=self.environment,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited with status {self.process.returncode} before answering")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise SystemExit("the server did not answer /api/health within 60 s")

    def __exit__(self, *_exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def sign_in(server: Server) -> dict[str, str]:
    response = httpx.post(f"{server.url}/api/auth/token", json={"email": BUYER_EMAIL, "password": PASSWORD}, timeout=30)
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['token']}"}


# --- the load -------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; nan elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    server_cpu: float = 0.0  # seconds
    client_cpu: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def cpu_ms_per_request(self, seconds: float) -> float:
        return seconds / len(self.latencies) * 1000 if self.latencies else float("nan")

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000 if ordered else float("nan")


async def _client(phase: Phase, base: str, headers: dict[str, str], paths, deadline: float) -> None:
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        while time.perf_counter() < deadline:
            path = next(paths)
            started = time.perf_counter()
            try:
                response = await client.get(path)
            except httpx.HTTPError as error:
                response, problem = None, repr(error)
            if response is not None and response.status_code == 200:
                phase.latencies.append(time.perf_counter() - started)
                continue
            phase.errors += 1
            if response is not None:
                problem = f"{response.status_code} {response.text[:200]}"
            phase.first_error = phase.first_error or problem


async def _load(phase: Phase, base: str, headers: dict[str, str], paths, clients: int, seconds: float) -> None:
    started = time.perf_counter()
    await asyncio.gather(*(_client(phase, base, headers, paths, started + seconds) for _ in range(clients)))
    phase.seconds = time.perf_counter() - started


def run_phase(name: str, server: Server, headers: dict[str, str], paths, clients: int, seconds: float) -> Phase:
    # One request first, not counted: the first of a phase would otherwise have every
    # client wait for the same cold evaluation (and a short phase measure only that).
    warm_up = httpx.get(server.url + next(paths), headers=headers, timeout=60)
    if warm_up.status_code != 200:
        raise SystemExit(f"{name}: the first request answered {warm_up.status_code} {warm_up.text[:500]}")
    phase = Phase(name)
    server_cpu, client_cpu = cpu_seconds(server.process.pid), time.process_time()
    asyncio.run(_load(phase, server.url, headers, paths, clients, seconds))
    phase.server_cpu = cpu_seconds(server.process.pid) - server_cpu
    phase.client_cpu = time.process_time() - client_cpu
    print(f"  {name}: {phase.per_second:,.0f} requests/s, {phase.errors} errors", file=sys.stderr)
    return phase


def same_as_of(contract_id: str):
    while True:
        yield f"/api/contracts/{contract_id}/compliance?as_of={AS_OF}"


def varying_as_of(contract_id: str):
    """A different date every request, stepping back a day at a time over the year before
    the data's date (where nearly everything is reported, so every evaluation is a full
    one); after a year they repeat, long gone from the 64-entry result cache by then."""
    day = 0
    while True:
        yield f"/api/contracts/{contract_id}/compliance?as_of={AS_OF - timedelta(days=day % 365)}"
        day += 1


# --- the run --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--placements", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--database-url", help="postgresql+psycopg://user@host:5432/db (default: a temporary SQLite file)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="procure-compliance-bench-") as folder, \
            fresh_database(args.database_url) as url:
        key_file = Path(folder) / "secret_key"
        environment = {**os.environ, "PROCURE_DATABASE_URL": url, "PROCURE_SECRET_KEY_FILE": str(key_file),
                       "PROCURE_LOG_LEVEL": "warning"}
        environment.pop("PROCURE_SECRET_KEY", None)
        secret = load_settings(environment).secret_key  # writes the key file the server then reads
        contract_id = build(url, Path(folder) / "data", args.placements, secret)
        print(f"database {make_url(url).get_backend_name()}, {args.placements} placements, 8 clauses; "
              f"{args.clients} clients, {args.seconds:g} s per phase; load average before {os.getloadavg()}",
              file=sys.stderr)

        phases: list[tuple[Phase, Phase]] = []  # (phase, the same server's health phase)
        with Server("compliance_bench:logged_app", environment) as server:
            headers = sign_in(server)
            health = run_phase("health", server, headers, iter(lambda: "/api/health", None), args.clients, args.seconds)
            phases.append((health, health))
            for name, paths in (("compliance, same as_of", same_as_of(contract_id)),
                                ("compliance, varying as_of", varying_as_of(contract_id))):
                phases.append((run_phase(name, server, headers, paths, args.clients, args.seconds), health))
        with Server("compliance_bench:uncached_app", environment) as server:
            headers = sign_in(server)
            health = run_phase("health (uncached server)", server, headers, iter(lambda: "/api/health", None),
                               args.clients, args.seconds)
            phases.append((health, health))
            phases.append((run_phase("compliance, nothing cached", server, headers, varying_as_of(contract_id),
                                     args.clients, args.seconds), health))
        load = os.getloadavg()

    print(f"{'phase':28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'× health':>9} "
          f"{'server CPU ms/req':>18} {'client CPU ms/req':>18}")
    for phase, health in phases:
        ratio = phase.per_second / health.per_second if health.per_second else float("nan")
        mark = "" if phase is health or ratio >= GOAL else "  (under 1/5)"
        print(f"{phase.name:28} {phase.per_second:8,.0f} {phase.percentile(0.5):8.1f} {phase.percentile(0.95):8.1f} "
              f"{phase.errors:7d} {ratio:9.2f} {phase.cpu_ms_per_request(phase.server_cpu):18.2f} "
              f"{phase.cpu_ms_per_request(phase.client_cpu):18.2f}{mark}")
        if phase.first_error:
            print(f"  first error: {phase.first_error}")
    print(f"load average after (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
