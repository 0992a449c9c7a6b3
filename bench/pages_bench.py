"""Server-side render time of the main pages for a contract with 1,000 placements.

    python bench/pages_bench.py [--placements 1000] [--runs 20]

Builds a fresh SQLite database, imports the synthetic contract (bench/synthetic.py,
seeded) and its placements through the services, signs in as the buyer, and times each
page through the whole application in-process (routing, session, database, engine,
template; no network), next to the health route in the same run. Prints p50 and p90 in
milliseconds per page. The goal: every page under 100 ms p50.

A contract's evaluation (procure.services.compliance) and each chart (procure.web.charts)
are kept per process until the audit log moves on; the "first view after a change" rows time a page with
that cache emptied before every request.
"""

from __future__ import annotations

import argparse
import logging
import re
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import synthetic  # noqa: E402
from litestar.testing import TestClient  # noqa: E402
from sqlmodel import Session  # noqa: E402

from procure.app import create_app  # noqa: E402
from procure.formats.contract_toml import load_contract_file  # noqa: E402
from procure.services.contracts import import_contract  # noqa: E402
from procure.services.passwords import hash_password  # noqa: E402
from procure.services.placement_import import import_placements  # noqa: E402
from procure.services.tokens import principal_of  # noqa: E402
from procure.settings import load_settings  # noqa: E402
from procure.storage import migrations  # noqa: E402
from procure.storage.database import create_database_engine  # noqa: E402
from procure.storage.models import Organisation, User  # noqa: E402

AS_OF = date(2018, 3, 31)
PASSWORD = "benchmark password"


def build(folder: Path, placements: int):
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    migrations.upgrade(url)
    settings = load_settings({"PROCURE_DATABASE_URL": url, "PROCURE_SECRET_KEY": "pages-benchmark-" + "k" * 32})
    engine = create_database_engine(url)
    synthetic.write(folder / "data", placements, 1, AS_OF)
    with Session(engine, expire_on_commit=False) as session:
        contract = import_contract(session, None, load_contract_file(folder / "data" / "contract.toml"), accept=True).contract
        buyer_org = session.get(Organisation, contract.buyer_org_id)
        contractor_org = session.get(Organisation, contract.contractor_org_id)
        password_hash = hash_password(PASSWORD)
        buyer = User(email="buyer@bench.test", role="buyer", organisation_id=buyer_org.id, password_hash=password_hash)
        contractor = User(email="contractor@bench.test", role="contractor", organisation_id=contractor_org.id,
                          password_hash=password_hash)
        session.add_all([buyer, contractor])
        session.commit()
        import_placements(session, principal_of(contractor), contract.id, folder / "data" / "placements.csv",
                          secret=settings.secret_key)
    return settings, engine, contract.id


def sign_in(client: TestClient, email: str) -> None:
    token = re.search(r'name="_csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD, "_csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303, response.text


def forget_evaluations() -> None:
    """As after a change: the next page reads and evaluates the contract again."""
    from procure.services import compliance

    compliance.clear_cache()


def timed(client: TestClient, path: str, runs: int, cold: bool = False) -> list[float]:
    first = client.get(path)  # warm up, and check it renders
    assert first.status_code == 200, f"{path}: {first.status_code} {first.text[:500]}"
    times = []
    for _ in range(runs):
        if cold:
            forget_evaluations()
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times


def main(argv: list[str] | None = None) -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--placements", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="procure-pages-bench-") as folder:
        settings, engine, contract_id = build(Path(folder), args.placements)
        base = f"/contracts/{contract_id}"
        pages = {
            "health (/api/health)": "/api/health",
            "portfolio (/contracts)": "/contracts",
            "dashboard": f"{base}?as_of={AS_OF}",
            "dashboard, first view after a change": (f"{base}?as_of={AS_OF}", True),
            "one progress chart (SVG)": f"{base}/clauses/SC-1/chart.svg?as_of={AS_OF}",
            "one chart, first view after a change": (f"{base}/clauses/SC-1/chart.svg?as_of={AS_OF}", True),
            "clauses": f"{base}/clauses",
            "clause editor": f"{base}/clauses/new",
            "placements (50 a page)": f"{base}/placements",
            "hours and period reports": f"{base}/reporting",
            "audit log": f"{base}/audit",
        }
        with TestClient(app=create_app(settings, engine)) as client:
            sign_in(client, "buyer@bench.test")
            print(f"{args.placements} placements, {args.runs} runs per page, as of {AS_OF}")
            print(f"{'page':38} {'p50 ms':>8} {'p90 ms':>8}")
            for name, target in pages.items():
                path, cold = target if isinstance(target, tuple) else (target, False)
                times = sorted(timed(client, path, args.runs, cold))
                p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
                flag = "" if statistics.median(times) < 100 else "  (over 100 ms)"
                print(f"{name:38} {statistics.median(times):8.1f} {p90:8.1f}{flag}")
        engine.dispose()


if __name__ == "__main__":
    main()
