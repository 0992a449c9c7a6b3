"""Bugs the reliability suite found in the API, each pinned by the request that found it."""

from __future__ import annotations

from reliability_world import World


def test_evidence_upload_without_a_file_part_is_a_422_naming_the_field(world: World, client) -> None:
    url = f"/api/contracts/{world.contract_id}/placements/{world.ids['placement_id']}/evidence"
    body = b'--b\r\nContent-Disposition: form-data; name="note"\r\n\r\n{"a": 1}\r\n--b--\r\n'
    headers = {**world.headers("contractor"), "Content-Type": "multipart/form-data; boundary=b"}
    response = client.post(url, content=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["problems"][0]["field"] == "file"
