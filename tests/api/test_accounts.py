"""Organisations and users over the API: who may manage them, and what fits together."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from procure.services.passwords import hash_password
from procure.storage.models import AuditLogEntry, User

ADMIN_ONLY = "only an administrator may manage organisations and users"
PASSWORD = "ett långt lösenord"


def make_org_admin(engine: Engine, user: User) -> None:
    with Session(engine) as session:
        session.get(User, user.id).is_org_admin = True
        session.commit()


def entries(engine: Engine, object_type: str) -> list[AuditLogEntry]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(AuditLogEntry).where(AuditLogEntry.object_type == object_type).order_by(AuditLogEntry.sequence)
            ).all()
        )


# --- organisations -------------------------------------------------------------------


def test_an_admin_creates_an_organisation_with_a_normalised_number(api_client: TestClient, tenants, clean_database) -> None:
    admin = tenants.headers["admin"]
    response = api_client.post(
        "/api/organisations", json={"name": "Peab Sverige AB", "org_number": "5566778899", "kind": "contractor"}, headers=admin
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["org_number"] == "556677-8899"

    assert api_client.get(f"/api/organisations/{created['id']}", headers=admin).json() == created
    listed = api_client.get("/api/organisations", params={"limit": 2, "offset": 0}, headers=admin).json()
    assert listed["total"] == len(tenants.organisations) + 1
    assert listed["limit"] == 2 and len(listed["items"]) == 2

    [entry] = [e for e in entries(clean_database, "organisation") if e.object_id == created["id"]]
    assert entry.action == "create" and entry.after["org_number"] == "556677-8899"
    assert entry.actor_user_id == tenants.users["admin"].id


def test_a_duplicate_organisation_number_is_a_conflict(api_client: TestClient, tenants) -> None:
    response = api_client.post(
        "/api/organisations",
        json={"name": "Östersundshem again", "org_number": "5561101816", "kind": "buyer"},
        headers=tenants.headers["admin"],
    )
    assert response.status_code == 409
    assert "556110-1816 already exists" in response.json()["error"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "Fel AB", "org_number": "556677-8890", "kind": "buyer"}, "org_number"),
        ({"name": "Fel AB", "org_number": "556677-8899", "kind": "supplier"}, "kind"),
    ],
    ids=["bad check digit", "unknown kind"],
)
def test_bad_organisation_input_names_the_field(api_client: TestClient, tenants, body: dict, field: str) -> None:
    response = api_client.post("/api/organisations", json=body, headers=tenants.headers["admin"])
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == [field]


def test_renaming_an_organisation_is_logged_with_before_and_after(api_client: TestClient, tenants, clean_database) -> None:
    org = tenants.organisations["buyer"]
    response = api_client.patch(
        f"/api/organisations/{org.id}", json={"name": "Östersundshem Bostäder AB"}, headers=tenants.headers["admin"]
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Östersundshem Bostäder AB"
    [entry] = entries(clean_database, "organisation")
    assert (entry.action, entry.before["name"], entry.after["name"]) == ("update", "Östersundshem AB", "Östersundshem Bostäder AB")


def test_an_organisation_with_users_cannot_change_kind(api_client: TestClient, tenants) -> None:
    org = tenants.organisations["buyer"]
    response = api_client.patch(f"/api/organisations/{org.id}", json={"kind": "contractor"}, headers=tenants.headers["admin"])
    assert response.status_code == 409
    assert "cannot become 'contractor'" in response.json()["error"]


@pytest.mark.parametrize("who", ["buyer", "contractor", "auditor"])
def test_organisation_routes_are_for_administrators_only(api_client: TestClient, tenants, who: str) -> None:
    headers = tenants.headers[who]
    org_id = tenants.organisations[who].id
    attempts = [
        api_client.get("/api/organisations", headers=headers),
        api_client.post("/api/organisations", json={"name": "X AB", "org_number": "556677-8899", "kind": "buyer"}, headers=headers),
        api_client.get(f"/api/organisations/{org_id}", headers=headers),
        api_client.patch(f"/api/organisations/{org_id}", json={"name": "Mine now"}, headers=headers),
    ]
    assert [r.status_code for r in attempts] == [403] * 4
    assert {r.json()["error"] for r in attempts} == {ADMIN_ONLY}


# --- users ---------------------------------------------------------------------------


def test_an_admin_creates_a_user_without_revealing_the_hash(api_client: TestClient, tenants, clean_database) -> None:
    admin = tenants.headers["admin"]
    response = api_client.post(
        "/api/users",
        json={
            "email": "Karin.Ek@Skanska.test",
            "role": "contractor",
            "organisation_id": str(tenants.organisations["contractor"].id),
            "password": PASSWORD,
        },
        headers=admin,
    )
    assert response.status_code == 201, response.text
    user = response.json()
    assert user["email"] == "karin.ek@skanska.test"
    assert "password" not in response.text and "argon2" not in response.text

    listing = api_client.get("/api/users", params={"limit": 500}, headers=admin)
    assert listing.json()["total"] == len(tenants.users) + 1
    assert "argon2" not in listing.text and "password" not in listing.text

    # The audit entry leaves the hash out too.
    [entry] = entries(clean_database, "user")
    assert entry.after["email"] == "karin.ek@skanska.test" and "password_hash" not in entry.after

    # The same email in other letters is the same user.
    again = api_client.post(
        "/api/users",
        json={"email": "KARIN.EK@skanska.test", "role": "contractor", "organisation_id": user["organisation_id"], "password": PASSWORD},
        headers=admin,
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    "role, org, message",
    [
        ("contractor", "buyer", "role 'contractor' does not fit Östersundshem AB (556110-1816), an organisation of kind 'buyer'"),
        ("buyer", "auditor", "role 'buyer' does not fit Revisionsbyrån Mitt AB (556345-6788), an organisation of kind 'audit'"),
        ("auditor", "contractor", "role 'auditor' does not fit Skanska Sverige AB (556033-4285), an organisation of kind 'contractor'"),
        ("admin", "buyer", "an admin operates the installation and belongs to no organisation"),
        ("buyer", None, "buyer users belong to an organisation of kind 'buyer': give the user's organisation"),
    ],
)
def test_a_role_that_does_not_fit_the_organisation_is_refused(
    api_client: TestClient, tenants, role: str, org: str | None, message: str
) -> None:
    body = {"email": "ny@example.test", "role": role, "password": PASSWORD}
    if org:
        body["organisation_id"] = str(tenants.organisations[org].id)
    response = api_client.post("/api/users", json=body, headers=tenants.headers["admin"])
    assert response.status_code == 422
    assert response.json()["error"].startswith(message)


def test_a_short_password_is_refused(api_client: TestClient, tenants) -> None:
    response = api_client.post(
        "/api/users",
        json={"email": "ny@example.test", "role": "admin", "password": "kort"},
        headers=tenants.headers["admin"],
    )
    assert response.status_code == 400
    assert "password" in response.text


@pytest.mark.parametrize("who", ["buyer", "contractor", "auditor"])
def test_users_who_are_not_administrators_may_not_manage_users(api_client: TestClient, tenants, who: str) -> None:
    headers = tenants.headers[who]
    other = tenants.users["admin"].id
    attempts = [
        api_client.get("/api/users", headers=headers),
        api_client.post(
            "/api/users",
            json={"email": "ny@example.test", "role": tenants.users[who].role, "password": PASSWORD},
            headers=headers,
        ),
        api_client.patch(f"/api/users/{other}", json={"is_active": False}, headers=headers),
    ]
    assert [r.status_code for r in attempts] == [403] * 3
    assert {r.json()["error"] for r in attempts} == {ADMIN_ONLY}


def test_an_organisation_admin_manages_its_own_organisation_only(api_client: TestClient, tenants, clean_database) -> None:
    make_org_admin(clean_database, tenants.users["contractor"])
    headers = tenants.headers["contractor"]
    own_org = tenants.organisations["contractor"].id

    created = api_client.post(
        "/api/users", json={"email": "platschef@skanska.test", "role": "contractor", "password": PASSWORD}, headers=headers
    )
    assert created.status_code == 201, created.text
    assert created.json()["organisation_id"] == str(own_org)

    other_role = api_client.post(
        "/api/users", json={"email": "b@skanska.test", "role": "buyer", "password": PASSWORD}, headers=headers
    )
    assert other_role.status_code == 403
    assert "may create contractor users only" in other_role.json()["error"]

    other_org = api_client.post(
        "/api/users",
        json={
            "email": "x@norrbygg.test",
            "role": "contractor",
            "organisation_id": str(tenants.organisations["other_contractor"].id),
            "password": PASSWORD,
        },
        headers=headers,
    )
    assert other_org.status_code == 403
    assert "its own organisation only" in other_org.json()["error"]

    listed = api_client.get("/api/users", headers=headers).json()
    assert {u["organisation_id"] for u in listed["items"]} == {str(own_org)}
    assert listed["total"] == 2

    # Another organisation's user does not exist for it; organisations stay admin-only.
    foreign = tenants.users["other_contractor"].id
    assert api_client.patch(f"/api/users/{foreign}", json={"is_active": False}, headers=headers).status_code == 404
    assert api_client.get(f"/api/users/{foreign}", headers=headers).status_code == 404
    assert api_client.get("/api/organisations", headers=headers).status_code == 403


def test_deactivating_a_user_ends_their_tokens(api_client: TestClient, tenants, clean_database) -> None:
    make_org_admin(clean_database, tenants.users["buyer"])
    colleague = api_client.post(
        "/api/users", json={"email": "kollega@ostersundshem.test", "role": "buyer", "password": PASSWORD},
        headers=tenants.headers["buyer"],
    ).json()
    token = api_client.post("/api/auth/token", json={"email": "kollega@ostersundshem.test", "password": PASSWORD}).json()["token"]
    colleague_headers = {"Authorization": f"Bearer {token}"}
    assert api_client.get("/api/me", headers=colleague_headers).status_code == 200

    response = api_client.patch(f"/api/users/{colleague['id']}", json={"is_active": False}, headers=tenants.headers["buyer"])
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert api_client.get("/api/me", headers=colleague_headers).status_code == 401
    assert api_client.post("/api/auth/token", json={"email": "kollega@ostersundshem.test", "password": PASSWORD}).status_code == 401


def test_an_organisation_admin_cannot_change_a_users_role(api_client: TestClient, tenants, clean_database) -> None:
    make_org_admin(clean_database, tenants.users["buyer"])
    other = api_client.post(
        "/api/users", json={"email": "kollega@ostersundshem.test", "role": "buyer", "password": PASSWORD},
        headers=tenants.headers["buyer"],
    ).json()
    response = api_client.patch(f"/api/users/{other['id']}", json={"role": "admin"}, headers=tenants.headers["buyer"])
    assert response.status_code == 403


def test_an_admin_changes_a_role_only_to_one_that_fits(api_client: TestClient, tenants) -> None:
    user = tenants.users["buyer"]
    response = api_client.patch(f"/api/users/{user.id}", json={"role": "auditor"}, headers=tenants.headers["admin"])
    assert response.status_code == 422
    assert "does not fit Östersundshem AB" in response.json()["error"]


def test_a_user_changes_their_own_password_and_signs_in_again(api_client: TestClient, tenants, clean_database) -> None:
    user = tenants.users["auditor"]
    headers = tenants.headers["auditor"]
    with Session(clean_database) as session:
        session.get(User, user.id).password_hash = hash_password(PASSWORD)
        session.commit()
    response = api_client.patch(f"/api/users/{user.id}", json={"password": "nytt hemligt lösenord", "current_password": PASSWORD},
                                headers=headers)
    assert response.status_code == 200
    # The old token is revoked with the old password; the new password works.
    assert api_client.get("/api/me", headers=headers).status_code == 401
    signed_in = api_client.post("/api/auth/token", json={"email": user.email, "password": "nytt hemligt lösenord"})
    assert signed_in.status_code == 201
    [entry] = entries(clean_database, "user")
    assert entry.reason == "password changed" and entry.actor_user_id == user.id

    # But not their own role.
    fresh = {"Authorization": f"Bearer {signed_in.json()['token']}"}
    assert api_client.patch(f"/api/users/{user.id}", json={"role": "admin"}, headers=fresh).status_code == 403


def test_an_admin_cannot_deactivate_themselves(api_client: TestClient, tenants) -> None:
    admin = tenants.users["admin"]
    response = api_client.patch(f"/api/users/{admin.id}", json={"is_active": False}, headers=tenants.headers["admin"])
    assert response.status_code == 409
    assert "cannot deactivate yourself" in response.json()["error"]
