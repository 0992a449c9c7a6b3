"""Finding 10: bad input that crashes, and noisy logs.

The attacker is a signed-in user (a buyer importing contracts, anyone mistyping a URL,
or a script probing the API): TOML arrays nested 500 deep answered 500 and left a
390 KB traceback in the log; routine 401/404/422 were logged at ERROR with tracebacks.
Bad input must answer 4xx with a one-line log at INFO; only real faults log at ERROR.
"""

from __future__ import annotations

import logging
import time
import traceback
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from litestar import get
from litestar.testing import TestClient

from procure.app import create_app

CONTRACTS = Path(__file__).parents[2] / "contracts"
REMONTHAGEN = CONTRACTS / "remonthagen.toml"
TOML = {"Content-Type": "application/toml"}
DEPTHS = (500, 5000)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def deep_contract(depth: int, where: str = "top") -> str:
    text = REMONTHAGEN.read_text(encoding="utf-8")
    if where == "top":
        return f"x = {nested(depth)}\n" + text
    if where == "inline":
        return text.replace("[contract]", "[contract]\nextra = " + "{a = " * depth + "1" + "}" * depth, 1)
    return text.replace("[contract]", f"[contract]\ntarget_groups_extra = {nested(depth)}", 1)


def _text(record: logging.LogRecord) -> str:
    """A record as "LEVEL message", with its traceback if it carries one."""
    text = f"{record.levelname} {record.getMessage()}"
    if record.exc_info:
        text += "\nTraceback (exc_info)\n" + "".join(traceback.format_exception(*record.exc_info))
    return text


def _log_after(caplog: pytest.LogCaptureFixture, expected: str) -> str:
    """What procure and Litestar logged, once `expected` shows up (Litestar logs through
    a queue thread)."""
    for _ in range(100):
        logged = "\n".join(_text(r) for r in list(caplog.records) if r.name != "httpx")
        if expected in logged:
            return logged
        time.sleep(0.05)
    raise AssertionError(f"nothing logged with {expected!r}: {caplog.text[:2000]}")


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("where", ["top", "inline", "contract"])
def test_deeply_nested_toml_import_answers_422_and_logs_one_line(api_client, tenants, caplog, depth: int,
                                                                   where: str) -> None:
    caplog.clear()
    response = api_client.post("/api/contracts/import", content=deep_contract(depth, where).encode(),
                               headers={**tenants.headers["buyer"], **TOML})
    assert response.status_code == 422, response.text[:300]
    assert "nested too deeply" in response.text
    logged = _log_after(caplog, "-> 422")
    assert "Traceback" not in logged and "ERROR" not in logged
    assert len(logged) < 2000, logged[:500]


def test_a_deeply_nested_clause_answers_4xx(api_client, tenants) -> None:
    imported = api_client.post("/api/contracts/import", content=REMONTHAGEN.read_bytes(),
                               headers={**tenants.headers["buyer"], **TOML})
    assert imported.status_code == 200, imported.text
    contract_id = imported.json()["contract"]["id"]
    value: list = []
    for _ in range(600):
        value = [value]
    clause = {"code": "SC-9", "title": "Deep", "rule": "placement_count", "target": 5, "period": "year",
              "min_weeks": 8, "target_groups": value}
    response = api_client.post(f"/api/contracts/{contract_id}/clauses", json=clause, headers=tenants.headers["buyer"])
    assert 400 <= response.status_code < 500, response.text[:300]


@pytest.mark.parametrize("depth", DEPTHS)
def test_the_command_line_refuses_deep_toml_with_exit_2(clean_database, tmp_path: Path, depth: int) -> None:
    from procure.cli import cli

    path = tmp_path / "deep.toml"
    path.write_text(deep_contract(depth), encoding="utf-8")
    loaded = CliRunner().invoke(cli, ["contracts", "load", str(path)])
    assert loaded.exit_code == 2, loaded.output[-500:]
    assert "nested too deeply" in loaded.output
    evaluated = CliRunner().invoke(cli, ["evaluate", str(path), "--placements",
                                         str(CONTRACTS / "remonthagen.placements.csv"), "--as-of", "2018-06-30"])
    assert evaluated.exit_code == 2, evaluated.output[-500:]
    assert "nested too deeply" in evaluated.output
    assert "Traceback" not in loaded.output + evaluated.output


def test_routine_401_404_422_are_one_info_line_each(api_client, tenants, caplog) -> None:
    caplog.clear()
    missing = f"/api/contracts/{uuid.uuid4()}"
    assert api_client.get(missing).status_code == 401
    assert api_client.get(missing, headers=tenants.headers["other_buyer"]).status_code == 404
    invalid = api_client.post("/api/contracts/import", content=b"[contract]\nreference = 1\n",
                              headers={**tenants.headers["buyer"], **TOML})
    assert invalid.status_code == 422
    logged = _log_after(caplog, "-> 422")
    assert "Traceback" not in logged and "ERROR" not in logged, logged[:2000]
    lines = [line for line in logged.splitlines() if " -> 4" in line]
    assert [line.split(" -> ")[1].split()[0] for line in lines] == ["401", "404", "422"], logged[:2000]
    assert all(line.startswith("INFO") for line in lines)


def test_pages_without_a_session_log_no_traceback(app_client, caplog) -> None:
    caplog.clear()
    assert app_client.get(f"/contracts/{uuid.uuid4()}", follow_redirects=False).status_code == 303
    assert app_client.get("/no-such-page").status_code == 404
    logged = _log_after(caplog, "-> 404")
    assert "Traceback" not in logged and "ERROR" not in logged, logged[:2000]


@get("/api/health/fault", sync_to_thread=False)
def fault() -> None:
    raise RuntimeError("a real fault")


@pytest.fixture
def faulty_client(engine):
    # Made before the test's log capture starts: the app's logging setup replaces the
    # root logger's handlers.
    app = create_app(engine=engine)
    app.register(fault)
    with TestClient(app) as client:
        yield client


def test_a_real_fault_is_still_logged_at_error_with_its_traceback(faulty_client, caplog) -> None:
    caplog.clear()
    assert faulty_client.get("/api/health/fault").status_code == 500
    logged = _log_after(caplog, "RuntimeError: a real fault")
    assert "ERROR" in logged and "Traceback" in logged and "RuntimeError: a real fault" in logged
