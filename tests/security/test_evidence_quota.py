"""Finding 13: no quota on evidence files.

The attacker is a contractor (the party that uploads evidence) filling the database
with file after file. Each file is capped by a setting, and a contract's files together
by another; beyond either the upload is refused with 413 and a JSON message naming the
limit, and nothing is stored.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from litestar.testing import TestClient

from contract_setup import add_contract
from procure.app import create_app
from procure.settings import ConfigurationError, get_settings, load_settings

PDF_HEAD = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
KEY = {"PROCURE_SECRET_KEY": "k" * 32}


def pdf_of(size: int) -> bytes:
    return PDF_HEAD + b"0" * (size - len(PDF_HEAD))


@pytest.fixture
def limited_client(clean_database):
    settings = replace(get_settings(), evidence_max_file_bytes=2048, evidence_quota_bytes=5000)
    with TestClient(app=create_app(settings=settings, engine=clean_database)) as client:
        yield client


def _placement(client, headers, contract_id, ref: str) -> str:
    client.post(f"/api/contracts/{contract_id}/participants", json={"ref": ref}, headers=headers)
    created = client.post(f"/api/contracts/{contract_id}/placements",
                          json={"participant_ref": ref, "placement_type": "internship", "start": "2017-08-01"},
                          headers=headers)
    assert created.status_code == 201, created.text
    return created.json()["id"]


def _upload(client, headers, contract_id, placement_id, content: bytes, name: str = "scan.pdf"):
    return client.post(f"/api/contracts/{contract_id}/placements/{placement_id}/evidence",
                       files={"file": (name, content, "application/pdf")}, headers=headers)


def _listed(client, headers, contract_id, placement_id) -> list:
    return client.get(f"/api/contracts/{contract_id}/placements/{placement_id}/evidence", headers=headers).json()


def test_a_file_over_the_configured_limit_is_413_naming_it(limited_client, tenants, clean_database) -> None:
    contractor = tenants.headers["contractor"]
    contract_id = add_contract(clean_database, tenants)
    placement = _placement(limited_client, contractor, contract_id, "P-1")
    response = _upload(limited_client, contractor, contract_id, placement, pdf_of(3000))
    assert response.status_code == 413, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "2 KB" in response.json()["error"] and "per evidence file" in response.json()["error"]
    assert _listed(limited_client, contractor, contract_id, placement) == []


def test_uploads_stop_at_the_contracts_quota(limited_client, tenants, clean_database) -> None:
    contractor = tenants.headers["contractor"]
    contract_id = add_contract(clean_database, tenants)
    first = _placement(limited_client, contractor, contract_id, "P-1")
    second = _placement(limited_client, contractor, contract_id, "P-2")
    # 2,000 bytes each, under the per-file limit: two fit in 5,000 bytes, the third not,
    # whichever placement it is attached to.
    assert _upload(limited_client, contractor, contract_id, first, pdf_of(2000)).status_code == 201
    assert _upload(limited_client, contractor, contract_id, second, pdf_of(2000)).status_code == 201
    refused = _upload(limited_client, contractor, contract_id, second, pdf_of(2000))
    assert refused.status_code == 413, refused.text
    message = refused.json()["error"]
    assert "quota of 4.9 KB" in message and "3.9 KB used" in message, message
    assert len(_listed(limited_client, contractor, contract_id, second)) == 1
    # A file that still fits is taken.
    assert _upload(limited_client, contractor, contract_id, second, pdf_of(900)).status_code == 201


def test_the_limits_are_settings_with_sensible_defaults() -> None:
    defaults = load_settings(KEY)
    assert defaults.evidence_max_file_bytes == 10 * 1024 * 1024
    assert defaults.evidence_quota_bytes == 2 * 1024 ** 3
    chosen = load_settings({**KEY, "PROCURE_EVIDENCE_MAX_FILE_BYTES": "1048576",
                            "PROCURE_EVIDENCE_QUOTA_BYTES": "5_000_000_000"})
    assert (chosen.evidence_max_file_bytes, chosen.evidence_quota_bytes) == (1048576, 5_000_000_000)
    for name, value in (("PROCURE_EVIDENCE_QUOTA_BYTES", "lots"), ("PROCURE_EVIDENCE_MAX_FILE_BYTES", "0"),
                        ("PROCURE_EVIDENCE_MAX_FILE_BYTES", str(10 ** 10))):
        with pytest.raises(ConfigurationError, match=name):
            load_settings({**KEY, name: value})
