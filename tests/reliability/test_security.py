"""Security headers, cookie flags, CSRF on every state-changing page route, and no
personal number or password in any log line."""

from __future__ import annotations

import logging
import re

import pytest
from bad_inputs import csv, row
from litestar.testing import TestClient
from reliability_world import World
from sqlmodel import Session

from procure.app import create_app
from procure.services.passwords import hash_password
from procure.storage.models import User

PASSWORD = "correct horse battery staple 42"
PERSONAL_NUMBER = "19121212-1212"
# Every way the number could be written out.
NUMBER_FORMS = ("19121212-1212", "191212121212", "121212-1212", "1212121212")
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


def assert_security_headers(response, *, https: bool = False) -> None:
    headers = response.headers
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy or headers["content-type"].startswith("image/svg")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"]
    assert ("strict-transport-security" in headers) == https


def test_every_kind_of_response_carries_the_security_headers(world: World, client) -> None:
    responses = [
        client.get("/api/health"),
        client.get(f"/api/contracts/{world.contract_id}", headers=world.headers("buyer")),
        client.get("/api/contracts"),  # 401
        client.get("/api/no-such-route"),  # the router's own 404
        client.post(f"/api/contracts/{world.contract_id}/placements", content=b"{", headers={**world.headers("contractor"), "Content-Type": "application/json"}),
        client.get("/sign-in"),
        client.get("/static/procure.css"),
        client.get("/schema/openapi.json"),
    ]
    for response in responses:
        assert_security_headers(response)


def test_the_pages_need_no_inline_script() -> None:
    from procure.web.routes import TEMPLATE_DIR

    for template in TEMPLATE_DIR.rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"{template} has an inline script, which the CSP blocks"
        assert not re.search(r"\son[a-z]+=", text), f"{template} has an inline event handler, which the CSP blocks"


def test_over_https_strict_transport_security_is_sent(clean_database) -> None:
    with TestClient(app=create_app(engine=clean_database), base_url="https://testserver.local") as client:
        assert_security_headers(client.get("/api/health"), https=True)


@pytest.fixture
def page_user(clean_database, tenants) -> str:
    email = "site@skanska.test"
    with Session(clean_database) as session:
        session.add(User(email=email, role="contractor", organisation_id=tenants.organisations["contractor"].id,
                         password_hash=hash_password(PASSWORD)))
        session.commit()
    return email


def page_sign_in(client: TestClient, email: str, password: str = PASSWORD):
    token = CSRF_FIELD.search(client.get("/sign-in").text).group(1)
    return client.post("/sign-in", data={"email": email, "password": password, "_csrf_token": token}, follow_redirects=False)


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_session_cookie_is_httponly_samesite_and_secure_over_https(clean_database, page_user, scheme: str) -> None:
    with TestClient(app=create_app(engine=clean_database), base_url=f"{scheme}://testserver.local") as client:
        response = page_sign_in(client, page_user)
        assert response.status_code in (302, 303), response.text[:300]
        cookies = [value for name, value in response.headers.multi_items() if name == "set-cookie"]
        session = next(value for value in cookies if value.startswith("procure_session="))
        flags = session.lower()
        assert "httponly" in flags
        assert "samesite=lax" in flags or "samesite=strict" in flags
        assert ("secure" in flags.split("; ")) == (scheme == "https")


def page_routes(app) -> list[tuple[str, str]]:
    found = []
    for route in app.routes:
        if route.path.startswith(("/api", "/schema")):
            continue
        for method in getattr(route, "methods", ()):
            if method in STATE_CHANGING:
                found.append((method, route.path))
    return found


def test_every_state_changing_page_route_refuses_a_request_without_a_csrf_token(world: World, client, page_user) -> None:
    routes = page_routes(client.app)
    assert ("POST", "/sign-in") in routes and len(routes) > 5, routes
    assert page_sign_in(client, page_user).status_code in (302, 303)
    for method, path in routes:
        concrete = re.sub(r"\{(\w+):\w+\}", lambda m: str(world.ids.get(m.group(1), world.contract_id)), path)
        response = client.request(method, concrete, data={"anything": "x"}, follow_redirects=False)
        assert response.status_code == 403, (method, path, response.status_code)


def test_no_personal_number_or_password_reaches_a_log_line(world: World, client, page_user, caplog, capfd) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger().setLevel(logging.DEBUG)
    contractor = world.headers("contractor")
    url = f"/api/contracts/{world.contract_id}"
    # Sign in over the API, right and wrong, and on the sign-in page.
    assert client.post("/api/auth/token", json={"email": page_user, "password": PASSWORD}).status_code == 201
    assert client.post("/api/auth/token", json={"email": page_user, "password": PASSWORD + "x"}).status_code == 401
    assert page_sign_in(client, page_user, PASSWORD + "x").status_code in (400, 401, 200)
    assert page_sign_in(client, page_user).status_code in (302, 303)
    # A participant with a personal number, an import with personal numbers, a failing import.
    made = client.post(f"{url}/participants", json={"ref": "P-0100", "personal_number": PERSONAL_NUMBER}, headers=contractor)
    assert made.status_code == 201, made.text
    good = csv(row(ref="P-0101", personnummer=PERSONAL_NUMBER))
    imported = client.post(f"{url}/placements/import", content=good.encode(), headers={**contractor, "Content-Type": "text/csv"})
    assert imported.status_code == 200, imported.text
    bad = csv(row(ref="P-0102", personnummer="19121212-1213", start="2016-02-30"))
    refused = client.post(f"{url}/placements/import", content=bad.encode(), headers={**contractor, "Content-Type": "text/csv"})
    assert refused.status_code == 422
    for response in (made, imported, refused):
        assert not any(form in response.text for form in NUMBER_FORMS)

    captured = capfd.readouterr()
    lines = [record.getMessage() for record in caplog.records]
    lines += [repr(record.args) for record in caplog.records] + [captured.out, captured.err]
    assert len(caplog.records) > 3, "logging was not captured at all"
    secrets = (*NUMBER_FORMS, "19121212-1213", "191212121213", PASSWORD)
    leaks = [line for line in lines if any(secret in line for secret in secrets)]
    assert not leaks, leaks[:3]
