"""End to end in a real browser: headless Chromium (Debian's package) driven by Playwright,
against the real server on a free port with a fresh SQLite database.

A buyer creates a contract with two clauses; a contractor uploads a placements CSV with
one bad row, sees the error, uploads the fixed file and sees the dashboard change; an
auditor downloads the report PDF; a contractor cannot open another contractor's contract.
Screenshots of the main pages go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: apt-get install chromium chromium-driver")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

CSV_HEADER = "participant_ref,target_groups,gender,birth_year,placement_type,start,end,hours_per_week,days_per_week,supervisor_trained,status\n"
CSV_ROWS = [
    "P-0001,newcomer,female,1990,internship,2024-02-05,2024-05-31,40,5,yes,completed\n",
    "P-0002,unemployed_youth,male,2001,internship,2024-03-04,2024-06-28,40,5,yes,completed\n",
]
BAD_ROW = "P-0003,newcomer,male,1995,internship,2024-13-01,2024-06-28,40,5,yes,completed\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    import uvicorn

    from procure.app import create_app
    from procure.settings import load_settings
    from procure.storage import migrations
    from procure.storage.database import create_database_engine
    from web_world import build_world

    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'procure.sqlite3'}"
    migrations.upgrade(url)
    settings = load_settings({"PROCURE_DATABASE_URL": url, "PROCURE_SECRET_KEY": "browser-test-secret-" + "x" * 32})
    engine = create_database_engine(url)
    world = build_world(engine)
    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(create_app(settings, engine), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", world
    uv.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import expect, sync_playwright

    # A loaded CI machine draws a chart or checks a file in seconds, not milliseconds;
    # waiting longer costs nothing when the page is quick.
    expect.set_options(timeout=30_000)

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


UNLABELLED = """() => Array.from(document.querySelectorAll("input, select, textarea"))
    .filter(e => e.type !== "hidden" && e.labels.length === 0 && !e.getAttribute("aria-label"))
    .map(e => e.name || e.id)"""


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    # Every control of every page shown has a label.
    assert page.evaluate(UNLABELLED) == [], name


def _sign_in(browser, base: str, email: str, **context):
    from web_world import PASSWORD

    page = browser.new_context(base_url=base, accept_downloads=True, **context).new_page()
    page.goto("/sign-in")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/contracts")
    return page


def test_buyer_contractor_auditor_end_to_end(server, browser, tmp_path):
    from playwright.sync_api import expect
    from pypdf import PdfReader

    base, world = server

    # -- the buyer creates a contract with two clauses and appoints the auditor ----------
    buyer = _sign_in(browser, base, world.email("buyer"))
    expect(buyer.get_by_test_id("identity")).to_contain_text("Östersundshem AB")
    expect(buyer.get_by_test_id("identity")).to_contain_text("beställare")
    _shot(buyer, "buyer-portfolio")
    buyer.get_by_role("link", name="Nytt kontrakt").click()
    buyer.get_by_label("Referens").fill("OH-2024-E2E")
    buyer.get_by_label("Benämning").fill("Brf Lärkan, new housing")
    buyer.get_by_label("Leverantörens organisationsnummer").fill("556033-4285")
    buyer.get_by_label("Kontraktsvärde (kr)").fill("60000000")
    buyer.get_by_label("Start").fill("2024-01-01")
    buyer.get_by_label("Slut").fill("2026-12-31")
    buyer.get_by_role("button", name="Skapa").click()
    buyer.wait_for_url("**/clauses")
    contract_url = buyer.url.rsplit("/clauses", 1)[0]

    buyer.get_by_role("link", name="Lägg till krav").click()
    buyer.get_by_label("Kod").fill("SC-1")
    buyer.get_by_label("Rubrik").fill("Internships")
    buyer.get_by_label("target (valfritt)").fill("4")
    buyer.get_by_label("Minst antal veckor").fill("8")
    # The rule in plain language as it is typed.
    expect(buyer.get_by_test_id("preview")).to_contain_text("minst 8 veckor")
    expect(buyer.get_by_test_id("preview")).to_contain_text("4")
    _shot(buyer, "clause-editor")
    buyer.get_by_role("button", name="Spara").click()
    buyer.wait_for_url("**/clauses")

    buyer.get_by_role("link", name="Lägg till krav").click()
    buyer.get_by_label("Regeltyp").select_option("supervision")
    buyer.get_by_role("button", name="Välj regeltyp").click()
    buyer.wait_for_url("**rule=supervision")
    buyer.get_by_label("Kod").fill("SC-2")
    buyer.get_by_label("Rubrik").fill("Trained supervisors")
    buyer.get_by_label("share (valfritt)").fill("0.9")
    expect(buyer.get_by_test_id("preview")).to_contain_text("utbildad handledare")
    buyer.get_by_role("button", name="Spara").click()
    buyer.wait_for_url("**/clauses")
    expect(buyer.get_by_test_id("clause-row-SC-1")).to_be_visible()
    expect(buyer.get_by_test_id("clause-row-SC-2")).to_be_visible()

    buyer.goto(contract_url + "/parties")
    buyer.get_by_label("Organisation", exact=False).first.fill("556345-6788")
    buyer.get_by_label("Som", exact=True).select_option("auditor")
    buyer.get_by_role("button", name="Utse").click()
    expect(buyer.get_by_test_id("appointments")).to_contain_text("556345-6788")
    expect(buyer.get_by_test_id("appointment-status")).to_have_text("inbjuden, inte besvarad")

    # -- the contractor uploads a CSV with one bad row, then the fixed file --------------
    contractor = _sign_in(browser, base, world.email("contractor"))
    assert contractor.goto(contract_url).status == 404  # not yet accepted
    contractor.get_by_role("link", name="Inbjudningar").click()
    expect(contractor.get_by_test_id("invitations")).to_contain_text("OH-2024-E2E")
    _shot(contractor, "invitations")
    contractor.get_by_role("button", name="Acceptera").click()
    contractor.wait_for_url("**/appointments")
    contractor.goto(contract_url)
    expect(contractor.get_by_test_id("clause-SC-1").get_by_test_id("actual")).to_have_text("0")
    _shot(contractor, "dashboard-before")
    contractor.get_by_role("link", name="Placeringar").click()
    bad_file = tmp_path / "placements.csv"
    bad_file.write_text(CSV_HEADER + "".join(CSV_ROWS) + BAD_ROW, encoding="utf-8")
    contractor.get_by_label("CSV-fil").set_input_files(str(bad_file))
    contractor.get_by_role("button", name="Kontrollera filen").click()
    errors = contractor.get_by_test_id("csv-errors")
    expect(errors).to_contain_text("start")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr td").first).to_have_text("4")
    _shot(contractor, "csv-errors")

    good_file = tmp_path / "placements-fixed.csv"
    good_file.write_text(CSV_HEADER + "".join(CSV_ROWS) + BAD_ROW.replace("2024-13-01", "2024-03-01"), encoding="utf-8")
    contractor.get_by_label("CSV-fil").set_input_files(str(good_file))
    contractor.get_by_role("button", name="Kontrollera filen").click()
    expect(contractor.get_by_test_id("csv-ok")).to_be_visible()
    contractor.get_by_role("button", name="Bekräfta och spara").click()
    contractor.wait_for_url(contract_url)
    expect(contractor.get_by_test_id("clause-SC-1").get_by_test_id("actual")).to_have_text("3")
    _shot(contractor, "dashboard-after")

    # -- on a phone ------------------------------------------------------------------------
    phone = _sign_in(browser, base, world.email("contractor"), viewport={"width": 375, "height": 812})
    phone.goto(contract_url)
    expect(phone.get_by_test_id("clause-SC-1")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    _shot(phone, "dashboard-phone")
    phone.goto(contract_url + "/placements")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    _shot(phone, "placements-phone")
    phone.goto(contract_url + "/reporting")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    _shot(phone, "reporting-phone")
    phone.goto(f"{base}/appointments")
    expect(phone.get_by_test_id("invitations")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    # -- another contractor's contract answers 404 -------------------------------------------
    response = contractor.goto(f"{base}/contracts/{world.other_contract_id}")
    assert response.status == 404
    expect(contractor.get_by_role("heading", name="Sidan finns inte")).to_be_visible()
    assert "Norrbygg" not in contractor.content()

    # -- the auditor downloads the report ------------------------------------------------------
    auditor = _sign_in(browser, base, world.email("auditor"))
    auditor.goto("/appointments")
    auditor.get_by_role("button", name="Acceptera").click()
    auditor.wait_for_url("**/appointments")
    auditor.goto(contract_url)
    _shot(auditor, "auditor-dashboard")
    with auditor.expect_download() as download_info:
        auditor.get_by_test_id("report-en").click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    auditor.goto(contract_url + "/audit")
    expect(auditor.get_by_test_id("chain")).to_contain_text("obruten")
    _shot(auditor, "audit-log")
    auditor.goto("/reports/verify")
    auditor.get_by_label("PDF-fil").set_input_files(files=[{"name": "report.pdf", "mimeType": "application/pdf", "buffer": pdf}])
    auditor.get_by_role("button", name="Verifiera", exact=True).click()
    expect(auditor.get_by_test_id("verify-outcome")).to_contain_text("äkta och oförändrad")
    _shot(auditor, "verify")


def test_keyboard_alone_signs_in(server, browser):
    from web_world import PASSWORD

    base, world = server
    page = browser.new_context(base_url=base).new_page()
    page.goto("/sign-in")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    for _ in range(8):
        if page.evaluate("document.activeElement.id") == "email":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "email"
    page.keyboard.type(world.email("auditor"))
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/contracts")
    assert "Revisionsbyrån Mitt AB" in page.content()
