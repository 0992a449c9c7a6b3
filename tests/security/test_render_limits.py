"""Finding 9: one user can slow everyone.

The attacker is an appointed auditor firing many concurrent `report.pdf` requests. Each
user may wait for at most RENDERS_PER_USER renders at once (the count kept in the
database, for every app process); beyond that they get 429 with Retry-After, while
another tenant's requests are still answered. Identical concurrent requests share one
render. Renders are held open by the test (an event), not timed.
"""

from __future__ import annotations

import queue
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from procure.services import reports
from procure.services.render_limits import RENDERS_PER_USER
from procure.storage.models import IssuedReport, RenderLease

AS_OF = "2018-06-30"
WAIT = 120  # seconds: only a guard against a hang, never a measured threshold


@dataclass
class HeldRenders:
    """render_report replaced by one that counts its calls and waits for `release`."""

    release: threading.Event = field(default_factory=threading.Event)
    calls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldRenders]:
    state = HeldRenders()
    real = reports.render_report

    def render_report(*args, **kwargs):
        with state.lock:
            state.calls += 1
        assert state.release.wait(WAIT), "the test never released the render"
        return real(*args, **kwargs)

    reports.clear_cache()
    monkeypatch.setattr(reports, "render_report", render_report)
    yield state
    state.release.set()
    reports.clear_cache()


@pytest.fixture
def auditor_contract(reported_contract_id) -> uuid.UUID:
    """Remonthagen, whose TOML appoints Revisionsbyrån Mitt as auditor."""
    return reported_contract_id


def _fire(client, url: str, headers: dict[str, str], count: int) -> tuple[queue.Queue, list[threading.Thread]]:
    answers: queue.Queue = queue.Queue()
    threads = [threading.Thread(target=lambda: answers.put(client.get(url, headers=headers)), daemon=True)
               for _ in range(count)]
    for thread in threads:
        thread.start()
    return answers, threads


def _leases(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(RenderLease)).one()


def _until(condition, what: str) -> None:
    event = threading.Event()
    for _ in range(WAIT * 20):
        if condition():
            return
        event.wait(0.05)
    raise AssertionError(f"never happened: {what}")


def test_a_burst_from_one_user_gets_429_beyond_the_limit_while_others_are_served(
        api_client, tenants, auditor_contract, held: HeldRenders, clean_database: Engine) -> None:
    burst = 6
    url = f"/api/contracts/{auditor_contract}/report.pdf?as_of={AS_OF}"
    answers, threads = _fire(api_client, url, tenants.headers["auditor"], burst)

    refused = [answers.get(timeout=WAIT) for _ in range(burst - RENDERS_PER_USER)]
    assert [r.status_code for r in refused] == [429] * (burst - RENDERS_PER_USER)
    assert all(int(r.headers["retry-after"]) > 0 for r in refused)
    assert "reports being made" in refused[0].json()["error"]
    assert _leases(clean_database) == RENDERS_PER_USER  # the count is in the database
    assert answers.empty()  # the admitted ones are still rendering

    # Meanwhile another tenant reads and writes as usual.
    other = tenants.headers["other_buyer"]
    assert api_client.get("/api/contracts", headers=other).status_code == 200
    created = api_client.post("/api/contracts", headers=other, json={
        "reference": "HS-2026-BURST", "title": "Burst", "contractor_org_number": tenants.org_number("other_contractor"),
        "value_sek": 1_000_000, "start": "2026-01-01", "end": "2026-12-31"})
    assert created.status_code == 201, created.text

    held.release.set()
    served = [answers.get(timeout=WAIT) for _ in range(RENDERS_PER_USER)]
    for thread in threads:
        thread.join(WAIT)
    assert [r.status_code for r in served] == [200] * RENDERS_PER_USER
    assert held.calls == 1  # the two admitted identical requests shared one render
    assert _leases(clean_database) == 0  # the slots are free again
    assert served[0].headers["x-report-sha256"] == served[1].headers["x-report-sha256"]
    assert api_client.get(url, headers=tenants.headers["auditor"]).status_code == 200  # admitted again


def test_identical_concurrent_requests_render_once(api_client, tenants, auditor_contract, held: HeldRenders,
                                                   clean_database: Engine) -> None:
    url = f"/api/contracts/{auditor_contract}/report.pdf?as_of={AS_OF}&lang=en"
    callers = [tenants.headers["auditor"]] * RENDERS_PER_USER + [tenants.headers["buyer"]] * RENDERS_PER_USER
    answers: queue.Queue = queue.Queue()
    threads = [threading.Thread(target=lambda h=h: answers.put(api_client.get(url, headers=h)), daemon=True)
               for h in callers]
    for thread in threads:
        thread.start()
    _until(lambda: _leases(clean_database) == len(callers), "every request waiting for the render")
    held.release.set()
    got = [answers.get(timeout=WAIT) for _ in callers]
    for thread in threads:
        thread.join(WAIT)

    assert [r.status_code for r in got] == [200] * len(callers)
    assert held.calls == 1
    assert len({r.headers["x-report-sha256"] for r in got}) == 1
    assert len({r.headers["x-report-id"] for r in got}) == 1  # the id printed in the one file
    with Session(clean_database) as session:
        rows = session.exec(select(IssuedReport).where(IssuedReport.contract_id == auditor_contract)).all()
    assert len(rows) == len(callers)  # each download recorded
    assert len({row.sha256 for row in rows}) == 1


def test_the_report_page_says_so_readably(signed_in, world, held: HeldRenders, clean_database: Engine) -> None:
    auditor = signed_in("auditor")
    url = f"/contracts/{world.contract_id}/report.pdf?as_of=2017-06-30"
    burst = RENDERS_PER_USER + 1
    answers, threads = _fire(auditor, url, {}, burst)
    refused = answers.get(timeout=WAIT)
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("text/html")
    assert int(refused.headers["retry-after"]) > 0
    assert "reports being made" in refused.text
    held.release.set()
    assert sorted(answers.get(timeout=WAIT).status_code for _ in range(RENDERS_PER_USER)) == [200] * RENDERS_PER_USER
    for thread in threads:
        thread.join(WAIT)
