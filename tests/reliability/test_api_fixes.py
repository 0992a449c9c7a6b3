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


def test_a_contract_toml_with_a_title_longer_than_the_column_is_refused_with_the_field() -> None:
    import pytest

    from procure.formats.contract_toml import load_contract
    from procure.formats.errors import InputErrors

    from bad_inputs import toml

    with pytest.raises(InputErrors) as caught:
        load_contract(toml(title='"' + "x" * 301 + '"'))
    assert any(error.field and "title" in error.field and "at most 300" in error.message for error in caught.value.errors)


def test_a_json_body_nested_thousands_deep_is_a_400_not_a_500(world: World, client) -> None:
    response = client.post(
        f"/api/contracts/{world.contract_id}/placements",
        content=b"[" * 10_000 + b"]" * 10_000,
        headers={**world.headers("contractor"), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["error"]


def test_a_participant_reference_with_a_slash_is_refused_as_in_the_csv_import(world: World, client) -> None:
    response = client.post(
        f"/api/contracts/{world.contract_id}/participants", json={"ref": "P/17"}, headers=world.headers("contractor")
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "ref"
