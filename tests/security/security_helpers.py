"""Requests the security tests share: participants, placements and CSV imports."""

from __future__ import annotations

HEADER = "participant_ref,personnummer,placement_type,start,end,hours_per_week,employer_org_number,status"

# Skatteverket's test numbers: one that the victim registers, one nobody does.
KNOWN = "19121212-1212"
UNKNOWN = "19101010-1010"


def csv_import(client, headers, contract_id, lines: list[str], **params):
    text = "\n".join([HEADER, *lines]) + "\n"
    return client.post(
        f"/api/contracts/{contract_id}/placements/import", content=text.encode(),
        headers={**headers, "Content-Type": "text/csv"}, params=params,
    )


def add_participant(client, headers, contract_id, ref: str, **fields) -> dict:
    response = client.post(f"/api/contracts/{contract_id}/participants", json={"ref": ref, **fields}, headers=headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


def add_placement(client, headers, contract_id, ref: str, start: str = "2017-01-09", end: str = "2017-03-03") -> dict:
    response = client.post(
        f"/api/contracts/{contract_id}/placements",
        json={"participant_ref": ref, "placement_type": "internship", "start": start, "end": end,
              "hours_per_week": 24, "status": "completed"},
        headers=headers,
    )
    assert response.status_code in (200, 201), response.text
    return response.json()
