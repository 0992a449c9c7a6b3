"""Finding 17 (first half): signed-in answers must not be kept by the browser.

The attacker is the next person at a shared site-office PC: after the previous user
signed out, Back (or the disk cache) must not show their contract, their participants'
data or their PDFs. Every signed-in page and every non-public /api answer says
`Cache-Control: no-store`; only the public resources may be cached.
"""

from __future__ import annotations

import pytest

AS_OF = "2018-06-30"


def _no_store(response) -> bool:
    return "no-store" in response.headers.get("cache-control", "")


@pytest.mark.parametrize("suffix", [
    "", "/compliance?as_of=2018-06-30", "/placements", "/participants",
    "/report.pdf?as_of=2018-06-30", "/evidence.csv?as_of=2018-06-30", "/evidence.xlsx?as_of=2018-06-30",
])
def test_api_answers_about_a_contract_are_not_stored(api_client, tenants, contract_id, suffix: str) -> None:
    response = api_client.get(f"/api/contracts/{contract_id}{suffix}", headers=tenants.headers["buyer"])
    assert response.status_code == 200, response.text
    assert _no_store(response), response.headers


def test_error_answers_and_lists_are_not_stored(api_client, tenants, contract_id) -> None:
    listing = api_client.get("/api/contracts", headers=tenants.headers["contractor"])
    denied = api_client.get(f"/api/contracts/{contract_id}", headers=tenants.headers["other_buyer"])
    unsigned = api_client.get(f"/api/contracts/{contract_id}")
    assert (listing.status_code, denied.status_code, unsigned.status_code) == (200, 404, 401)
    assert all(_no_store(r) for r in (listing, denied, unsigned))


def test_public_resources_may_still_be_cached(api_client) -> None:
    for path in ("/api/health", "/schema/openapi.json", "/static/procure.css"):
        response = api_client.get(path)
        assert response.status_code == 200, path
        assert not _no_store(response), path


def test_signed_in_pages_and_downloads_are_not_stored(signed_in, world) -> None:
    client = signed_in("buyer")
    base = f"/contracts/{world.contract_id}"
    for path in ("/contracts", base, f"{base}/parties", f"{base}/audit", f"{base}/clauses/SC-1/chart.svg",
                 f"{base}/evidence.csv?as_of={AS_OF}", f"{base}/evidence.xlsx?as_of={AS_OF}",
                 f"{base}/report.pdf?as_of={AS_OF}", "/reports/verify"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert _no_store(response), (path, response.headers.get("cache-control"))
