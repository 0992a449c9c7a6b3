"""Malformed files and bodies get a clear 4xx (exit code 2 on the command line) with the
reason, and leave every table of the database exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_inputs import BAD_CSV, BAD_TOML, HEADER, csv, row
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_world import World, table_fingerprints

from procure.cli import cli

CSV_TYPE = {"Content-Type": "text/csv"}
TOML_TYPE = {"Content-Type": "application/toml"}
FUZZ = settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def reason_of(response) -> str:
    body = response.json()
    return " ".join([body["error"], *(problem["message"] for problem in body.get("problems", []))])


def assert_refused(response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/json")
    assert len(reason_of(response)) > 10


def run_cli(*args: str | Path):
    return CliRunner().invoke(cli, [str(arg) for arg in args], catch_exceptions=False)


# --- the placements CSV ------------------------------------------------------------------


@pytest.mark.parametrize("name", BAD_CSV)
def test_a_bad_csv_is_refused_over_the_api_and_nothing_changes(world: World, client, clean_database, name: str) -> None:
    before = table_fingerprints(clean_database)
    url = f"/api/contracts/{world.contract_id}/placements/import"
    response = client.post(url, content=BAD_CSV[name], headers={**world.headers("contractor"), **CSV_TYPE})
    assert_refused(response)
    assert table_fingerprints(clean_database) == before


@pytest.mark.parametrize("name", ["latin-1", "30 February", "binary junk"])
def test_a_bad_csv_uploaded_as_a_form_file_is_refused_too(world: World, client, clean_database, name: str) -> None:
    before = table_fingerprints(clean_database)
    url = f"/api/contracts/{world.contract_id}/placements/import"
    response = client.post(url, files={"file": ("placements.csv", BAD_CSV[name], "text/csv")}, headers=world.headers("contractor"))
    assert_refused(response)
    assert table_fingerprints(clean_database) == before


def test_the_reasons_name_the_problem(world: World, client) -> None:
    url = f"/api/contracts/{world.contract_id}/placements/import"
    headers = {**world.headers("contractor"), **CSV_TYPE}
    expected = {
        "latin-1": "UTF-8", "utf-16": "UTF-16", "30 February": "no such day", "negative hours": "hours",
        "header only": "no rows", "empty file": "no CSV", "10,000 columns": "unknown column",
    }
    for name, words in expected.items():
        assert words in reason_of(client.post(url, content=BAD_CSV[name], headers=headers)), name
    dated = client.post(url, content=BAD_CSV["30 February"], headers=headers).json()["problems"][0]
    assert (dated["row"], dated["column"]) == (2, "start")


@pytest.mark.parametrize("name", BAD_CSV)
def test_a_bad_csv_is_refused_by_the_command_with_exit_code_2(world: World, clean_database, tmp_path, name: str) -> None:
    before = table_fingerprints(clean_database)
    path = tmp_path / "placements.csv"
    path.write_bytes(BAD_CSV[name])
    result = run_cli("placements", "import", "OH-2016-REMONTHAGEN", path)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert table_fingerprints(clean_database) == before


@given(junk=st.binary(max_size=4000))
@FUZZ
def test_arbitrary_bytes_never_break_the_import(world: World, client, clean_database, junk: bytes) -> None:
    before = table_fingerprints(clean_database)
    url = f"/api/contracts/{world.contract_id}/placements/import"
    response = client.post(url, content=junk, headers={**world.headers("contractor"), **CSV_TYPE})
    assert_refused(response)
    assert table_fingerprints(clean_database) == before


@given(cells=st.lists(st.text(max_size=40), min_size=1, max_size=15))
@FUZZ
def test_arbitrary_cells_are_imported_or_refused_as_a_whole(world: World, client, clean_database, cells: list[str]) -> None:
    before = table_fingerprints(clean_database)
    import csv as csv_module
    import io

    line = io.StringIO()
    csv_module.writer(line).writerow(cells)
    body = (HEADER + "\n" + line.getvalue()).encode()
    response = client.post(
        f"/api/contracts/{world.contract_id}/placements/import", content=body, headers={**world.headers("contractor"), **CSV_TYPE}
    )
    if response.status_code == 200:
        assert response.json()["rows"] == 1
    else:
        assert_refused(response)
        assert table_fingerprints(clean_database) == before


# --- the contract TOML -------------------------------------------------------------------


@pytest.mark.parametrize("name", BAD_TOML)
def test_a_bad_contract_toml_is_refused_over_the_api_and_nothing_changes(world: World, client, clean_database, name: str) -> None:
    before = table_fingerprints(clean_database)
    response = client.post("/api/contracts/import", content=BAD_TOML[name], headers={**world.headers("buyer"), **TOML_TYPE})
    assert_refused(response)
    assert table_fingerprints(clean_database) == before


@pytest.mark.parametrize("name", BAD_TOML)
def test_a_bad_contract_toml_is_refused_by_the_command_with_exit_code_2(world: World, clean_database, tmp_path, name: str) -> None:
    before = table_fingerprints(clean_database)
    path = tmp_path / "contract.toml"
    path.write_bytes(BAD_TOML[name])
    result = run_cli("contracts", "load", path)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert table_fingerprints(clean_database) == before


@given(text=st.text(max_size=2000))
@FUZZ
def test_arbitrary_text_never_breaks_the_contract_import(world: World, client, clean_database, text: str) -> None:
    before = table_fingerprints(clean_database)
    response = client.post("/api/contracts/import", content=text.encode(), headers={**world.headers("buyer"), **TOML_TYPE})
    assert_refused(response)
    assert table_fingerprints(clean_database) == before


# --- the JSON routes ---------------------------------------------------------------------

PLACEMENT = {"participant_ref": "P-0001", "placement_type": "internship", "start": "2016-04-01", "end": "2016-09-30"}
BAD_PLACEMENTS = {
    "30 February": {**PLACEMENT, "start": "2016-02-30"},
    "negative hours": {**PLACEMENT, "hours_per_week": -8},
    "1 MB reference": {**PLACEMENT, "participant_ref": "P" + "x" * 1_000_000},
    "formula reference": {**PLACEMENT, "participant_ref": '=HYPERLINK("http://x","y")'},
    "unknown type": {**PLACEMENT, "placement_type": "holiday"},
    "end before start": {**PLACEMENT, "end": "2016-01-01"},
    "wrong types": {**PLACEMENT, "start": 20160401, "hours_per_week": "many"},
    "a list": [PLACEMENT],
}
BAD_PARTICIPANTS = {
    "bad personal number": {"ref": "P-0009", "personal_number": "19121212-1213"},
    "unknown gender": {"ref": "P-0009", "gender": "robot"},
    "birth year 1066": {"ref": "P-0009", "birth_year": 1066},
    "10,000 target groups": {"ref": "P-0009", "target_groups": [f"g{i}" for i in range(10_000)]},
}


@pytest.mark.parametrize("name", BAD_PLACEMENTS)
def test_a_bad_placement_body_is_refused(world: World, client, clean_database, name: str) -> None:
    before = table_fingerprints(clean_database)
    response = client.post(
        f"/api/contracts/{world.contract_id}/placements", json=BAD_PLACEMENTS[name], headers=world.headers("contractor")
    )
    assert_refused(response)
    assert table_fingerprints(clean_database) == before


@pytest.mark.parametrize("name", BAD_PARTICIPANTS)
def test_a_bad_participant_body_is_refused(world: World, client, clean_database, name: str) -> None:
    before = table_fingerprints(clean_database)
    response = client.post(
        f"/api/contracts/{world.contract_id}/participants", json=BAD_PARTICIPANTS[name], headers=world.headers("contractor")
    )
    assert_refused(response)
    assert "19121212" not in response.text
    assert table_fingerprints(clean_database) == before


@pytest.mark.parametrize(
    "body",
    [b"", b"{", b"\xff\xfe{}", b"null", b'{"start": "2016-04-01"' + b" " * 1_000_000 + b"}", b"[" * 10_000 + b"]" * 10_000],
    ids=["empty", "cut short", "not UTF-8", "null", "1 MB of blanks", "nested 10,000 deep"],
)
def test_a_body_that_is_not_json_is_refused(world: World, client, clean_database, body: bytes) -> None:
    before = table_fingerprints(clean_database)
    response = client.post(
        f"/api/contracts/{world.contract_id}/placements",
        content=body,
        headers={**world.headers("contractor"), "Content-Type": "application/json"},
    )
    assert_refused(response)
    assert table_fingerprints(clean_database) == before


@given(body=st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                         lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(sorted(PLACEMENT) + ["hours_per_week", "status", "x"]), inner, max_size=6),
                         max_leaves=20))
@FUZZ
def test_arbitrary_json_never_breaks_placement_reporting(world: World, client, clean_database, body) -> None:
    response = client.post(f"/api/contracts/{world.contract_id}/placements", json=body, headers=world.headers("contractor"))
    assert response.status_code in (201, 400, 403, 404, 409, 422), response.text[:500]
    if response.status_code != 201:
        assert_refused(response)
