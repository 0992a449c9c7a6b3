"""A scale run: `procure serve --workers N` on PostgreSQL at regional size, under mixed load.

    .venv/bin/python bench/scale.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres
        [--contracts 10000] [--placements 1000000] [--seconds 60] [--workers 4]
        [--curve 100,1000,10000,100000] [--seed 1]

Creates a uniquely named scratch database on that server (dropped afterwards), migrates
it to head and loads it with COPY: a number of buyers, contractors and auditors, one
contract imported from bench/synthetic.py's contract TOML through the service (its 8
clauses over 8 rule kinds are then copied to every other contract in SQL), `--contracts`
contracts in all (each with an accepted auditor appointment, and an accepted contractor
appointment where the schema has that role), and `--placements` seeded synthetic
placements with their participants, spread over the contracts with a heavy tail (most
contracts small, a few large) after the `--curve` contracts got their fixed sizes.

Then it starts the real server (`procure serve --workers N`, on a free loopback port) and
for `--seconds` runs mixed load with httpx clients on this machine:

  buyers        the contract dashboard page (signed in through the sign-in form) and
                GET /api/contracts/{id}/compliance, on random contracts of their own
  contractors   POST /api/contracts/{id}/placements/import, a small CSV of new people
  auditors      GET /api/contracts/{id}/report.pdf and evidence.csv, one request at a
                time per auditor (the render limit allows two per user: none should be 429)
  health        GET /api/health, the baseline measured under the same load

and prints p50/p99 per route with each p50 as a multiple of /api/health's p50 in the
same run, errors (5xx and connection errors) and 4xx separately, and the RSS of each
worker process (sampled from /proc during the run). Afterwards every placement an
acknowledged import created must be in the database exactly once (lost writes).

Last, the cost curve: for each `--curve` size, a contract of that many placements is
changed (a participant and a placement added over the API) and the first compliance view
after the change is timed, next to /api/health's p50 measured just before. The machine is
shared and noisy: compare the ratios, not absolute figures between runs.

Exit code 1 when any request errored or any acknowledged write was lost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).parent))
import synthetic  # noqa: E402
from compliance_bench import cpu_seconds  # noqa: E402
from import_bench import fresh_database  # noqa: E402
from load import free_port, wait_until_up  # noqa: E402

from procure.services import contracts as contract_service  # noqa: E402
from procure.services.passwords import hash_password  # noqa: E402
from procure.services.tokens import issue_token, principal_of  # noqa: E402
from procure.storage import migrations  # noqa: E402
from procure.storage.database import create_database_engine  # noqa: E402
from procure.storage.models import Appointment, Organisation, User  # noqa: E402
from procure.storage.models.contracts import APPOINTMENT_ROLES  # noqa: E402

AS_OF = date(2018, 3, 31)
PASSWORD = "Scale-Bench-Gran-Tjäle"
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
BUYERS, CONTRACTORS, AUDITORS = 20, 40, 5
IMPORT_ROWS = 10  # new people per contractor import
# A new connection for every request (set by --keep-alive): the workers share one listening
# socket, and the kernel hands each new connection to whichever worker accepts first; a
# few clients holding their connections for the whole run pin all their requests to the
# worker that accepted them (the per-worker CPU figures show the spread).
LIMITS = httpx.Limits(max_keepalive_connections=0)


# --- the data -------------------------------------------------------------------------


@dataclass
class World:
    contracts: list[dict]  # id, buyer, contractor, auditor (organisation ids), size
    curve: dict[int, str]  # size -> contract id
    users: dict[str, list[dict]]  # role -> [{"email", "token", "org"}]


def org_number(kind: int, number: int) -> str:
    return f"8{kind}{number:04d}-{number:04d}"


def sizes(rnd: random.Random, contracts: int, placements: int) -> list[int]:
    """A heavy tail: Pareto weights, at most a twentieth of all placements in one contract."""
    if contracts <= 0:
        return []
    weights = [rnd.paretovariate(1.16) for _ in range(contracts)]
    cap = max(1, placements // 20)
    total = sum(weights)
    out = [min(cap, int(w / total * placements)) for w in weights]
    short = placements - sum(out)
    order = sorted(range(contracts), key=lambda i: -weights[i])
    position = 0
    while short > 0:  # the remainder, a placement at a time, largest weights first, under the cap
        index = order[position % contracts]
        if out[index] < cap or position >= 2 * contracts:
            out[index] += 1
            short -= 1
        position += 1
    return out


def copy_rows(cursor, table: str, columns: tuple[str, ...], rows) -> None:
    quoted = ", ".join(f'"{c}"' for c in columns)
    with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def build(url: str, args: argparse.Namespace, data: Path) -> World:
    """Migrate and load; the contracts, the curve contracts and a token per user."""
    started = time.perf_counter()
    migrations.upgrade(url)
    synthetic.write(data, 1, args.seed, AS_OF)  # contract.toml (one placement: unused)
    rnd = random.Random(args.seed)
    engine = create_database_engine(url)
    now = datetime.now(timezone.utc)
    password_hash = hash_password(PASSWORD)
    users: dict[str, list[dict]] = {"buyer": [], "contractor": [], "auditor": []}
    first_buyer = None
    with Session(engine, expire_on_commit=False) as session:
        orgs: dict[str, list[Organisation]] = {
            "buyer": [contract_service.ensure_organisation(session, synthetic.BUYER, None, [], "buyer")],
            "contractor": [contract_service.ensure_organisation(session, synthetic.CONTRACTOR, None, [], "contractor")],
            "auditor": [],
        }
        for kind, count, digit in (("buyer", BUYERS, 1), ("contractor", CONTRACTORS, 2), ("auditor", AUDITORS, 3)):
            while len(orgs[kind]) < count:
                number = len(orgs[kind])
                organisation = Organisation(name=f"{kind.title()} {number} AB", org_number=org_number(digit, number),
                                            kind="audit" if kind == "auditor" else kind)
                session.add(organisation)
                orgs[kind].append(organisation)
        session.flush()
        for kind, organisations in orgs.items():
            for number, organisation in enumerate(organisations):
                user = User(email=f"{kind}{number}@scale.test", role=kind, organisation_id=organisation.id,
                            password_hash=password_hash)
                session.add(user)
                session.flush()
                first_buyer = first_buyer or user
                users[kind].append({"email": user.email, "token": issue_token(session, user, now)[0],
                                    "org": organisation.id})
        session.commit()
        template = contract_service.import_contract_toml(
            session, principal_of(first_buyer), (data / "contract.toml").read_text("utf-8"), source="contract.toml").contract
        accept = getattr(contract_service, "accept_pending_on_behalf", None)  # appointments that need consent
        if accept is not None:
            accept(session, None, template)
            session.commit()
        template_id = template.id
        contract_row = {c: getattr(template, c) for c in ("title", "site", "value_sek", "currency", "start", "end", "status")}

    curve_sizes = [size for size in args.curve if size <= args.placements // 2]
    bulk = sizes(rnd, args.contracts - len(curve_sizes), args.placements - sum(curve_sizes))
    contracts = [{"id": template_id, "buyer": orgs["buyer"][0].id, "contractor": orgs["contractor"][0].id, "size": 0}]
    curve: dict[int, str] = {}
    for size in curve_sizes:  # the buyer of the template, its contractor: a buyer0 contract
        contracts.append({"id": uuid.uuid4(), "buyer": orgs["buyer"][0].id, "contractor": orgs["contractor"][0].id,
                          "size": size})
        curve[size] = str(contracts[-1]["id"])
    for size in bulk[1:] if bulk else []:
        contracts.append({"id": uuid.uuid4(), "buyer": rnd.choice(orgs["buyer"]).id,
                          "contractor": rnd.choice(orgs["contractor"]).id, "size": size})
    if bulk:
        contracts[0]["size"] = bulk[0]
    for number, contract in enumerate(contracts):
        contract["auditor"] = orgs["auditor"][number % len(orgs["auditor"])].id

    appointment_columns = set(Appointment.__table__.c.keys())
    numbers = {o.id: o.org_number for kind in orgs.values() for o in kind}
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        copy_rows(cursor, "contracts",
                  ("id", "reference", "buyer_org_id", "contractor_org_id", "title", "site", "value_sek", "currency",
                   "start", "end", "status", "extra_target_groups", "created_at", "version"),
                  ((c["id"], f"SCALE-{n:05d}", c["buyer"], c["contractor"], contract_row["title"], contract_row["site"],
                    contract_row["value_sek"], contract_row["currency"], contract_row["start"], contract_row["end"],
                    contract_row["status"], "[]", now, 1) for n, c in enumerate(contracts[1:], 1)))
        clause_columns = [c for c in _columns(cursor, "clauses") if c not in ("id", "contract_id")]
        listed = ", ".join(f'"{c}"' for c in clause_columns)
        cursor.execute(
            f"INSERT INTO clauses (id, contract_id, {listed}) SELECT gen_random_uuid(), c.id, "
            + ", ".join(f't."{c}"' for c in clause_columns)
            + " FROM clauses t CROSS JOIN contracts c WHERE t.contract_id = %s AND c.id <> %s",
            (template_id, template_id),
        )
        appointments = [("auditor", c["id"], c["auditor"]) for c in contracts]
        if "contractor" in APPOINTMENT_ROLES:  # appointments with consent: the contractor's, accepted
            appointments += [("contractor", c["id"], c["contractor"]) for c in contracts[1:]]
        columns = ["id", "contract_id", "organisation_id", "role", "created_at"]
        extra = {"org_number": None, "status": "accepted", "responded_at": now}
        columns += [c for c in extra if c in appointment_columns]
        copy_rows(cursor, "appointments", tuple(columns),
                  ((uuid.uuid4(), contract, org, role, now,
                    *[numbers[org] if c == "org_number" else extra[c] for c in columns[5:]])
                   for role, contract, org in appointments))
        raw.commit()
        people = placements = 0
        for contract in contracts:
            if not contract["size"]:
                continue
            rows = synthetic.placements(contract["size"], rnd, AS_OF)
            participant_ids: dict[str, uuid.UUID] = {}
            participant_rows, placement_rows = [], []
            for (ref, groups, gender, birth_year, _, kind, begin, end, hours, days, _employer, trained, status,
                 outcome, outcome_date, planned, before) in rows:
                if ref not in participant_ids:
                    participant_ids[ref] = uuid.uuid4()
                    participant_rows.append((participant_ids[ref], contract["id"], ref, json.dumps(groups.split("|")),
                                             gender, birth_year, contract["contractor"], now))
                placement_rows.append((uuid.uuid4(), contract["id"], participant_ids[ref], kind, begin, end, planned,
                                       hours, days, trained == "yes", status, outcome, outcome_date, before == "yes",
                                       contract["contractor"], contract["contractor"], now, now, 1))
            copy_rows(cursor, "participants", ("id", "contract_id", "ref", "target_groups", "gender", "birth_year",
                                               "reported_by_org_id", "created_at"), participant_rows)
            copy_rows(cursor, "placements",
                      ("id", "contract_id", "participant_id", "placement_type", "start", "end", "planned_end",
                       "hours_per_week", "days_per_week", "supervisor_trained", "status", "outcome", "outcome_date",
                       "employed_before_start", "employer_org_id", "reported_by_org_id", "created_at", "updated_at",
                       "version"), placement_rows)
            people += len(participant_rows)
            placements += len(placement_rows)
            if placements // 100_000 != (placements - len(placement_rows)) // 100_000:
                raw.commit()
                print(f"  loaded {placements:,} placements ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        raw.commit()
        raw.autocommit = True
        cursor.execute("ANALYZE")
    finally:
        raw.close()
    engine.dispose()
    print(f"loaded {len(contracts):,} contracts, {people:,} participants, {placements:,} placements in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    for contract in contracts:
        contract["id"] = str(contract["id"])
    return World(contracts, curve, users)


def _columns(cursor, table: str) -> list[str]:
    cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
                   (table,))
    return [row[0] for row in cursor.fetchall()]


# --- the server -----------------------------------------------------------------------


class Serve:
    """`procure serve --workers N` on a free loopback port; stopped on leaving the block."""

    def __init__(self, url: str, workers: int, folder: Path):
        self.base = f"http://127.0.0.1:{free_port()}"
        self.command = [str(Path(sys.executable).parent / "procure"), "serve", "--host", "127.0.0.1",
                        "--port", self.base.rsplit(":", 1)[1], "--workers", str(workers)]
        self.environment = {**os.environ, "PROCURE_DATABASE_URL": url, "PROCURE_SECRET_KEY": secrets.token_hex(32),
                            "PROCURE_LOG_LEVEL": "warning"}
        self.folder = folder

    def __enter__(self) -> "Serve":
        # The server's own output (weasyprint logs every page it lays out) goes to a file,
        # whose end is printed when the run found errors.
        self.log = (self.folder / "server.log").open("wb")
        self.process = subprocess.Popen(self.command, env=self.environment, cwd=self.folder,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        wait_until_up(self.base, self.process, timeout=90)
        return self

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join((self.folder / "server.log").read_text(errors="replace").splitlines()[-lines:])

    def __exit__(self, *_exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def workers(self) -> list[int]:
        """The worker processes: the server's children that serve (uvicorn spawns them)."""
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(stat[1]) == self.process.pid and b"resource_tracker" not in command:
                children.append(int(entry.name))
        return sorted(children)


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


class MemorySampler(threading.Thread):
    """The peak RSS of every worker, sampled each second until stopped, and the CPU time
    each spent meanwhile (how evenly the kernel spread the connections)."""

    def __init__(self, server: Serve):
        super().__init__(daemon=True)
        self.server, self.peak, self.stopping = server, defaultdict(float), threading.Event()
        self.cpu = {pid: cpu_seconds(pid) for pid in server.workers()}

    def run(self) -> None:
        while not self.stopping.is_set():
            for pid in self.server.workers():
                self.peak[pid] = max(self.peak[pid], rss_mb(pid))
            self.stopping.wait(1)

    def stop(self) -> dict[int, tuple[float, float, float]]:
        """pid: (peak RSS MB, RSS MB now, CPU seconds since the start)."""
        self.stopping.set()
        self.join()
        return {pid: (peak, rss_mb(pid), cpu_seconds(pid) - self.cpu.get(pid, 0.0)) for pid, peak in self.peak.items()}


# --- the load -------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    client_errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # 4xx by route
    errors: list[str] = field(default_factory=list)  # 5xx and connection errors
    imported: list[tuple[str, str]] = field(default_factory=list)  # (contract id, ref) acknowledged

    async def call(self, route: str, send) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await send()
        except httpx.HTTPError as error:
            self.errors.append(f"{route}: {type(error).__name__} {error}")
            return None
        if response.status_code >= 500:
            self.errors.append(f"{route}: {response.status_code} {response.text[:300]}")
        elif response.status_code >= 400:
            self.client_errors[route] += 1
        else:
            self.latencies[route].append(time.perf_counter() - started)
            return response
        return None


def import_csv(prefix: str) -> tuple[str, list[str]]:
    refs = [f"{prefix}-{k}" for k in range(IMPORT_ROWS)]
    lines = ["participant_ref,target_groups,gender,birth_year,placement_type,start,end,hours_per_week,days_per_week,status"]
    for number, ref in enumerate(refs):
        start = date(2016, 4, 1) + timedelta(days=number * 7)
        lines.append(f"{ref},newcomer,female,1990,internship,{start},{start + timedelta(days=55)},24,3,completed")
    return "\n".join(lines) + "\n", refs


async def buyer_client(base: str, user: dict, contracts: list[str], deadline: float, tally: Tally, rnd: random.Random) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=300, limits=LIMITS) as browser:
        form = await browser.get("/sign-in")
        signed_in = await browser.post("/sign-in", data={"email": user["email"], "password": PASSWORD,
                                                         "_csrf_token": CSRF.search(form.text).group(1)})
        if signed_in.status_code != 303:
            tally.errors.append(f"sign-in: {signed_in.status_code} {signed_in.text[:300]}")
            return
        bearer = {"Authorization": f"Bearer {user['token']}"}
        while time.perf_counter() < deadline:
            contract = rnd.choice(contracts)
            await tally.call("GET /contracts/{id} (dashboard page)", lambda: browser.get(f"/contracts/{contract}"))
            contract = rnd.choice(contracts)
            await tally.call("GET /api/contracts/{id}/compliance",
                             lambda: browser.get(f"/api/contracts/{contract}/compliance?as_of={AS_OF}", headers=bearer))


async def contractor_client(base: str, user: dict, contracts: list[str], deadline: float, tally: Tally,
                            rnd: random.Random, name: str) -> None:
    headers = {"Authorization": f"Bearer {user['token']}", "Content-Type": "text/csv"}
    number = 0
    async with httpx.AsyncClient(base_url=base, timeout=300, limits=LIMITS) as client:
        while time.perf_counter() < deadline:
            contract = rnd.choice(contracts)
            body, refs = import_csv(f"SCALE-{name}-{number}")
            number += 1
            response = await tally.call("POST /api/contracts/{id}/placements/import", lambda: client.post(
                f"/api/contracts/{contract}/placements/import", content=body.encode(), headers=headers))
            if response is not None and response.json().get("created") == len(refs):
                tally.imported += [(contract, ref) for ref in refs]
            elif response is not None:
                tally.errors.append(f"import acknowledged without creating every row: {response.text[:300]}")


async def auditor_client(base: str, user: dict, contracts: list[str], deadline: float, tally: Tally,
                         rnd: random.Random) -> None:
    headers = {"Authorization": f"Bearer {user['token']}"}
    async with httpx.AsyncClient(base_url=base, timeout=300, limits=LIMITS, headers=headers) as client:
        turn = 0
        while time.perf_counter() < deadline:
            contract = rnd.choice(contracts)
            if turn % 2 == 0:
                await tally.call("GET /api/contracts/{id}/report.pdf",
                                 lambda: client.get(f"/api/contracts/{contract}/report.pdf?as_of={AS_OF}"))
            else:
                await tally.call("GET /api/contracts/{id}/evidence.csv",
                                 lambda: client.get(f"/api/contracts/{contract}/evidence.csv?as_of={AS_OF}"))
            turn += 1


async def health_client(base: str, deadline: float, tally: Tally) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=300, limits=LIMITS) as client:
        while time.perf_counter() < deadline:
            await tally.call("GET /api/health", lambda: client.get("/api/health"))
            await asyncio.sleep(0.05)


async def mixed_load(base: str, world: World, seconds: float, clients: dict[str, int], seed: int) -> Tally:
    tally = Tally()
    rnd = random.Random(seed)
    # The load's contracts: all but the cost curve's (those are changed and timed on their own).
    curve = set(world.curve.values())
    of: dict[tuple[str, uuid.UUID], list[str]] = defaultdict(list)
    for contract in world.contracts:
        if contract["id"] in curve:
            continue
        for role in ("buyer", "contractor", "auditor"):
            of[role, contract[role]].append(contract["id"])
    deadline = time.perf_counter() + seconds

    def pick(role: str, number: int) -> tuple[dict, list[str]]:
        users = [u for u in world.users[role] if of.get((role, u["org"]))]
        user = users[number % len(users)]
        return user, of[role, user["org"]]

    tasks = [health_client(base, deadline, tally)]
    for number in range(clients["buyers"]):
        user, contracts = pick("buyer", number)
        tasks.append(buyer_client(base, user, contracts, deadline, tally, random.Random(rnd.random())))
    for number in range(clients["contractors"]):
        user, contracts = pick("contractor", number)
        tasks.append(contractor_client(base, user, contracts, deadline, tally, random.Random(rnd.random()),
                                       f"{number}-{secrets.token_hex(2)}"))
    for number in range(clients["auditors"]):
        user, contracts = pick("auditor", number)
        tasks.append(auditor_client(base, user, contracts, deadline, tally, random.Random(rnd.random())))
    await asyncio.gather(*tasks)
    return tally


def lost_writes(url: str, acknowledged: list[tuple[str, str]]) -> tuple[int, int]:
    """(acknowledged imported placements not stored exactly once, stored ones never acknowledged)."""
    engine = create_database_engine(url)
    with engine.connect() as connection:
        stored = {(str(contract), ref): count for contract, ref, count in connection.execute(text(
            "SELECT p.contract_id, pa.ref, count(*) FROM placements p JOIN participants pa ON pa.id = p.participant_id "
            "WHERE pa.ref LIKE 'SCALE-%' GROUP BY p.contract_id, pa.ref"))}
    engine.dispose()
    lost = sum(1 for key in acknowledged if stored.get(key) != 1)
    return lost, len(set(stored) - set(acknowledged))


# --- the cost curve -------------------------------------------------------------------


def cost_curve(base: str, world: World, repeats: int = 3) -> list[tuple[int, float, float, list[float]]]:
    """(size, health p50 ms, first compliance view after a change: median ms, every time ms)."""
    headers = {"Authorization": f"Bearer {world.users['buyer'][0]['token']}"}
    contractor = {"Authorization": f"Bearer {world.users['contractor'][0]['token']}"}
    out = []
    with httpx.Client(base_url=base, timeout=600) as client:
        for size, contract in sorted(world.curve.items()):
            health = []
            for _ in range(20):
                started = time.perf_counter()
                client.get("/api/health").raise_for_status()
                health.append(time.perf_counter() - started)
            firsts = []
            for turn in range(repeats):
                ref = f"CURVE-{secrets.token_hex(4)}"
                made = client.post(f"/api/contracts/{contract}/participants", headers=contractor,
                                   json={"ref": ref, "target_groups": ["newcomer"], "gender": "female"})
                assert made.status_code == 201, made.text
                placed = client.post(f"/api/contracts/{contract}/placements", headers=contractor, json={
                    "participant_ref": ref, "placement_type": "internship", "start": "2017-09-04",
                    "end": "2017-11-24", "hours_per_week": "24", "days_per_week": "3"})
                assert placed.status_code == 201, placed.text
                started = time.perf_counter()
                view = client.get(f"/api/contracts/{contract}/compliance?as_of={AS_OF}", headers=headers)
                firsts.append(time.perf_counter() - started)
                assert view.status_code == 200, view.text[:500]
            out.append((size, statistics.median(health) * 1000, statistics.median(firsts) * 1000,
                        [f * 1000 for f in firsts]))
            print(f"  curve {size:,}: first view {statistics.median(firsts) * 1000:,.0f} ms", file=sys.stderr)
    return out


# --- the run --------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000 if ordered else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True,
                        help="postgresql+psycopg://user@host:5432/db: a scratch database is created on that server")
    parser.add_argument("--contracts", type=int, default=10_000)
    parser.add_argument("--placements", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--curve", type=lambda raw: [int(part) for part in raw.split(",") if part],
                        default=[100, 1_000, 10_000, 100_000], help="placements of the cost curve's contracts")
    parser.add_argument("--buyers", type=int, default=6, help="concurrent buyer clients")
    parser.add_argument("--contractors", type=int, default=3, help="concurrent contractor clients")
    parser.add_argument("--auditors", type=int, default=2, help="concurrent auditor clients")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep-alive", action="store_true",
                        help="each client keeps its connection (by default every request opens a new one)")
    args = parser.parse_args(argv)
    if args.keep_alive:
        global LIMITS
        LIMITS = httpx.Limits()
    if make_url(args.database_url).get_backend_name() != "postgresql":
        parser.error("--database-url must be a PostgreSQL URL (postgresql+psycopg://…)")

    with tempfile.TemporaryDirectory(prefix="procure-scale-") as folder, fresh_database(args.database_url) as url:
        print(f"scratch database {make_url(url).database}; load average before {os.getloadavg()}", file=sys.stderr)
        world = build(url, args, Path(folder) / "data")
        with Serve(url, args.workers, Path(folder)) as server:
            sampler = MemorySampler(server)
            sampler.start()
            tally = asyncio.run(mixed_load(server.base, world, args.seconds, {
                "buyers": args.buyers, "contractors": args.contractors, "auditors": args.auditors}, args.seed))
            memory = sampler.stop()
            curve = cost_curve(server.base, world)
            if tally.errors:
                print(f"the server's log ends:\n{server.log_tail()}", file=sys.stderr)
        lost, unacknowledged = lost_writes(url, tally.imported)
        load = os.getloadavg()

    health = tally.latencies.get("GET /api/health", [])
    health_p50 = percentile(health, 0.5)
    print(f"PostgreSQL, {len(world.contracts):,} contracts, {args.placements:,} placements; "
          f"{args.workers} workers; {args.seconds:g} s mixed load "
          f"({args.buyers} buyers, {args.contractors} contractors, {args.auditors} auditors, 1 health; "
          f"{'connections kept alive' if args.keep_alive else 'a new connection per request'})")
    print(f"{'route':48} {'requests':>8} {'p50 ms':>9} {'p99 ms':>9} {'p50 × health':>13} {'4xx':>5}")
    for route in sorted(set(tally.latencies) | set(tally.client_errors)):
        values = tally.latencies.get(route, [])
        p50 = percentile(values, 0.5)
        print(f"{route:48} {len(values):8d} {p50:9.1f} {percentile(values, 0.99):9.1f} {p50 / health_p50:13.1f} "
              f"{tally.client_errors.get(route, 0):5d}")
    print(f"errors {len(tally.errors)}")
    print(f"client errors (4xx) {sum(tally.client_errors.values())}")
    print(f"placements acknowledged {len(tally.imported)}")
    print(f"placements lost {lost}")
    print(f"placements stored but not acknowledged {unacknowledged}")
    for number, (pid, (peak, last, cpu)) in enumerate(sorted(memory.items()), 1):
        print(f"worker {number} (pid {pid}): RSS peak {peak:.0f} MB, at the end {last:.0f} MB, "
              f"CPU {cpu:.1f} s during the load")
    print(f"{'cost curve: placements':24} {'first view ms':>14} {'health p50 ms':>14} {'× health':>10}  each")
    for size, health_ms, first_ms, each in curve:
        print(f"{size:24,} {first_ms:14,.0f} {health_ms:14.1f} {first_ms / health_ms:10,.0f}  "
              + ", ".join(f"{value:,.0f}" for value in each))
    print(f"load average after (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    for error in tally.errors[:10]:
        print(f"  {error}")
    return 1 if tally.errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())
