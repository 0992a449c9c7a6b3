"""Screenshots for the documentation, taken of the demo in a real browser.

Every run checks that each page a guide shows opens for its role; with
PROCURE_DOCS_SCREENSHOTS=1 the screenshots are written into docs/manual/images/ (commit
them), otherwise into test-artifacts/docs-screenshots/.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_browser import CHROMIUM, CHROMIUM_ARGS, _free_port

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: apt-get install chromium")

ROOT = Path(__file__).resolve().parents[2]
TARGET = (ROOT / "docs" / "manual" / "images" if os.environ.get("PROCURE_DOCS_SCREENSHOTS") == "1"
          else ROOT / "test-artifacts" / "docs-screenshots")
REFERENCE = "OH-2016-REMONTHAGEN"

# (file name, demo user, path under the contract or absolute, what the page must show)
SHOTS = [
    ("portfolio", "buyer@ostersundshem.example", "/contracts", REFERENCE),
    ("dashboard", "buyer@ostersundshem.example", "", REFERENCE),
    ("clauses", "buyer@ostersundshem.example", "/clauses", "SC-1"),
    ("placements", "contractor@skanska.example", "/placements", "P-0001"),
    ("reporting", "contractor@skanska.example", "/reporting", REFERENCE),
    ("subcontractor-placements", "subcontractor@ue.example", "/placements", REFERENCE),
    ("audit-trail", "auditor@revision.example", "/audit", REFERENCE),
]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    import uvicorn
    from sqlmodel import Session, select

    from procure.app import create_app
    from procure.resources import resource_dir
    from procure.services.demo import run_demo
    from procure.settings import load_settings
    from procure.storage import migrations
    from procure.storage.database import create_database_engine
    from procure.storage.models import Contract

    folder = tmp_path_factory.mktemp("docs-screenshots")
    url = f"sqlite:///{folder / 'procure.sqlite3'}"
    migrations.upgrade(url)
    settings = load_settings({"PROCURE_DATABASE_URL": url, "PROCURE_SECRET_KEY": "docs-screenshots-" + "x" * 32})
    engine = create_database_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        run_demo(session, resource_dir("contracts"), settings.secret_key)
        contract_id = session.exec(select(Contract.id).where(Contract.reference == REFERENCE)).one()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, engine), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", str(contract_id)
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def test_the_guides_pages_open_for_their_roles(demo_server) -> None:
    from playwright.sync_api import expect, sync_playwright

    from procure.services.demo import DEMO_PASSWORD

    base, contract_id = demo_server
    expect.set_options(timeout=30_000)
    TARGET.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        pages = {}
        for name, email, path, shows in SHOTS:
            if email not in pages:
                page = browser.new_context(base_url=base, viewport={"width": 1280, "height": 800}).new_page()
                page.goto("/sign-in")
                page.get_by_label("E-postadress").fill(email)
                page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
                page.get_by_role("button", name="Logga in").click()
                page.wait_for_url("**/contracts")
                pages[email] = page
            page = pages[email]
            response = page.goto(path if path.startswith("/contracts") and path == "/contracts"
                                 else f"/contracts/{contract_id}{path}")
            assert response is not None and response.status == 200, (name, response and response.status)
            expect(page.locator("main")).to_contain_text(shows)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(TARGET / f"{name}.png"), full_page=False)
        browser.close()
