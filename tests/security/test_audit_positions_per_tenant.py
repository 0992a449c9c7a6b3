"""Finding 17 (second half): the installation-wide audit sequence shows every tenant how
busy the others are.

The audit log's positions were one installation-wide sequence: a buyer reading its own
contract's audit log saw its next entry numbered after everything every other tenant had
done meanwhile, and a chain head that moved with their work. Positions are now per chain:
a tenant sees only its own contracts' chains.
"""

from __future__ import annotations

from litestar.testing import TestClient


def change_title(client: TestClient, headers: dict, contract_id, title: str) -> None:
    contract = client.get(f"/api/contracts/{contract_id}", headers=headers).json()
    response = client.patch(f"/api/contracts/{contract_id}", headers=headers,
                            json={"title": title, "version": contract["version"]})
    assert response.status_code == 200, response.text


def audit_log(client: TestClient, headers: dict, contract_id) -> dict:
    response = client.get(f"/api/contracts/{contract_id}/audit-log", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_tenant_bs_positions_do_not_move_when_tenant_a_writes(api_client, tenants, contracts):
    a, b = tenants.headers["buyer"], tenants.headers["other_buyer"]
    change_title(api_client, b, contracts["B"], "Norrbacken, etapp 1")
    before = audit_log(api_client, b, contracts["B"])
    assert [e["sequence"] for e in before["items"]] == [1]
    assert before["chain"]["head_sequence"] == 1

    for number in range(1, 6):  # tenant A is busy
        change_title(api_client, a, contracts["A"], f"Remonthagen, etapp {number}")
    assert audit_log(api_client, b, contracts["B"])["chain"] == before["chain"]

    change_title(api_client, b, contracts["B"], "Norrbacken, etapp 2")
    after = audit_log(api_client, b, contracts["B"])
    assert [e["sequence"] for e in after["items"]] == [1, 2]  # not 1, 7
    assert after["chain"]["head_sequence"] == 2 and after["total"] == 2
    assert after["items"][0]["entry_hash"] == after["items"][1]["prev_hash"]


def test_tenant_as_chain_counts_only_its_own_entries(api_client, tenants, contracts):
    change_title(api_client, tenants.headers["other_buyer"], contracts["B"], "Norrbacken, etapp 1")
    change_title(api_client, tenants.headers["buyer"], contracts["A"], "Remonthagen, etapp 1")
    body = audit_log(api_client, tenants.headers["buyer"], contracts["A"])
    assert [e["sequence"] for e in body["items"]] == [1]
    assert {e["contract_id"] for e in body["items"]} == {str(contracts["A"])}
    assert body["chain"]["head_sequence"] == 1

