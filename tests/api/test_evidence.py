"""Evidence files of a placement: type judged by content, size limit, who may download."""

from __future__ import annotations

import hashlib

import pytest

from procure.services import evidence

from contract_setup import add_contract

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32
HTML = b"<!doctype html><script>alert(1)</script>"


@pytest.fixture
def setup(api_client, tenants, clean_database):
    contract_id = add_contract(clean_database, tenants)
    placements = {}
    for who, ref in (("contractor", "P-1"), ("subcontractor", "U-1")):
        headers = tenants.headers[who]
        api_client.post(f"/api/contracts/{contract_id}/participants", json={"ref": ref}, headers=headers)
        created = api_client.post(
            f"/api/contracts/{contract_id}/placements",
            json={"participant_ref": ref, "placement_type": "internship", "start": "2017-08-01"},
            headers=headers,
        )
        assert created.status_code == 201, created.text
        placements[who] = created.json()["id"]
    return contract_id, placements


def url(contract_id, placement_id, suffix=""):
    return f"/api/contracts/{contract_id}/placements/{placement_id}/evidence{suffix}"


def upload(client, headers, contract_id, placement_id, name, content, declared="application/pdf"):
    return client.post(url(contract_id, placement_id), files={"data": (name, content, declared)}, headers=headers)


@pytest.mark.parametrize("content, mime", [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")])
def test_pdf_png_and_jpeg_are_kept_with_their_hash(api_client, tenants, setup, content, mime):
    contract_id, placements = setup
    response = upload(api_client, tenants.headers["contractor"], contract_id, placements["contractor"], "avtal.pdf", content)
    assert response.status_code == 201, response.text
    stored = response.json()
    assert (stored["content_type"], stored["size_bytes"], stored["sha256"]) == (mime, len(content), hashlib.sha256(content).hexdigest())
    assert "content" not in stored


@pytest.mark.parametrize("content", [HTML, b"just text, named like a PDF", b"PK\x03\x04" + b"\x00" * 40])
def test_other_content_is_refused_whatever_its_name_and_declared_type(api_client, tenants, setup, content):
    contract_id, placements = setup
    response = upload(api_client, tenants.headers["contractor"], contract_id, placements["contractor"], "intyg.pdf", content)
    assert response.status_code == 422
    assert "PDF, PNG and JPEG" in response.json()["error"]


def test_a_file_over_the_limit_is_refused_with_413(api_client, tenants, setup):
    contract_id, placements = setup
    big = PDF + b"0" * evidence.MAX_EVIDENCE_BYTES
    response = upload(api_client, tenants.headers["contractor"], contract_id, placements["contractor"], "scan.pdf", big)
    assert response.status_code == 413
    listed = api_client.get(url(contract_id, placements["contractor"]), headers=tenants.headers["contractor"])
    assert listed.json() == []


def test_list_and_download_by_those_who_may_see_the_placement(api_client, tenants, setup):
    contract_id, placements = setup
    placement = placements["contractor"]
    stored = upload(api_client, tenants.headers["contractor"], contract_id, placement, "../../närvaro lista.pdf", PDF).json()
    assert stored["filename"] == "närvaro lista.pdf"

    listed = api_client.get(url(contract_id, placement), headers=tenants.headers["buyer"]).json()
    assert [item["id"] for item in listed] == [stored["id"]]
    for who in ("contractor", "buyer", "auditor"):
        download = api_client.get(url(contract_id, placement, f"/{stored['id']}"), headers=tenants.headers[who])
        assert download.status_code == 200, who
        assert download.content == PDF
        assert download.headers["content-type"].startswith("application/pdf")
        assert "attachment" in download.headers["content-disposition"]
    for who in ("subcontractor", "other_contractor", "other_buyer"):
        assert api_client.get(url(contract_id, placement, f"/{stored['id']}"), headers=tenants.headers[who]).status_code == 404, who
        assert api_client.get(url(contract_id, placement), headers=tenants.headers[who]).status_code == 404, who


def test_a_subcontractor_attaches_to_its_own_placements_only(api_client, tenants, setup):
    contract_id, placements = setup
    sub = tenants.headers["subcontractor"]
    assert upload(api_client, sub, contract_id, placements["subcontractor"], "a.png", PNG).status_code == 201
    assert upload(api_client, sub, contract_id, placements["contractor"], "a.png", PNG).status_code == 404
    assert upload(api_client, tenants.headers["auditor"], contract_id, placements["contractor"], "a.png", PNG).status_code == 403
