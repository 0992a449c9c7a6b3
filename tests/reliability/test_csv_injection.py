"""Every CSV procure writes for people to open neutralises spreadsheet formulas.

A contractor chooses participant references; `=cmd|' /C calc'!A0` is a valid one (the
import only refuses '/'), so it must reach an auditor's spreadsheet as text. The
placements CSV writer is also read back by machines (a report's placements.csv is
re-evaluated by `procure evaluate`), so its neutralising must survive a round trip.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from reliability_world import World
from sqlmodel import Session

from procure.domain.model import Participant, Placement
from procure.formats.formula_cells import FORMULA_TRIGGERS, neutralise, restore
from procure.formats.records_csv import read_placements, write_placements_csv
from procure.services import reports
from procure.services.tokens import principal_of

PAYLOADS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "'=1"]
# References may not contain '/' (placement ids use it), so what can be stored and read back:
STORABLE = [payload.replace("/", "-") for payload in PAYLOADS]


def cells_of(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_no_cell_is_a_formula(text: str) -> None:
    for cell in cells_of(text):
        assert not cell.startswith(FORMULA_TRIGGERS), cell


def people(ref: str) -> tuple[list[Participant], list[Placement]]:
    participant = Participant(ref=ref, target_groups=("newcomer",), gender="female", birth_year=1990)
    placement = Placement(
        id=f"{ref}/1", participant_ref=ref, placement_type="internship", start=date(2016, 4, 4), end=date(2016, 5, 27),
        employer_org_number="556033-4285", hours_per_week=Decimal("24"), days_per_week=Decimal("3"), status="completed",
    )
    return [participant], [placement]


def test_the_placements_csv_writer_neutralises_formula_references() -> None:
    for payload in PAYLOADS:
        text = write_placements_csv(*people(payload))
        assert_no_cell_is_a_formula(text)
        assert "'" + payload in cells_of(text)


def test_the_placements_csv_reads_back_what_was_written(tmp_path) -> None:
    for payload in STORABLE:
        path = tmp_path / "placements.csv"
        path.write_text(write_placements_csv(*people(payload)), encoding="utf-8")
        participants, placements = read_placements(path, secret=b"k" * 32)
        assert [p.ref for p in participants] == [payload]
        assert [p.participant_ref for p in placements] == [payload]


@given(st.text(max_size=30))
def test_neutralise_is_undone_exactly_by_restore(text: str) -> None:
    assert restore(neutralise(text)) == text
    assert not neutralise(text).startswith(FORMULA_TRIGGERS)


def test_the_evidence_export_neutralises_a_formula_reference(world: World, client, clean_database) -> None:
    payload = STORABLE[0]
    contractor, buyer = world.headers("contractor"), world.headers("buyer")
    url = f"/api/contracts/{world.contract_id}"
    clause = client.post(
        f"{url}/clauses",
        json={"code": "K1", "title": "Placements", "rule": "placement_count", "target": 2},
        headers=buyer,
    )
    assert clause.status_code == 201, clause.text
    made = client.post(f"{url}/participants", json={"ref": payload, "gender": "male"}, headers=contractor)
    assert made.status_code == 201, made.text
    placed = client.post(
        f"{url}/placements",
        json={"participant_ref": payload, "placement_type": "internship", "start": "2016-05-02", "end": "2016-08-31"},
        headers=contractor,
    )
    assert placed.status_code == 201, placed.text

    with Session(clean_database) as session:
        auditor = principal_of(world.tenants.users["auditor"])
        exported = reports.evidence_export(session, auditor, world.contract_id, date(2018, 6, 30), "csv")
    text = exported.content.decode("utf-8")
    assert "'" + payload in cells_of(text)
    assert_no_cell_is_a_formula(text)
