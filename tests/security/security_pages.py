"""Signing in on the pages, for the security tests that attack through them."""

from __future__ import annotations

from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session


def sign_in(client: TestClient, engine: Engine, email: str, password: str = "säkerhetsgranskning") -> None:
    """Give the user a password and sign the client in on the pages (cookie session)."""
    import re

    from sqlmodel import select

    from procure.services.passwords import hash_password
    from procure.storage.models import User

    with Session(engine) as session:
        user = session.exec(select(User).where(User.email == email)).one()
        user.password_hash = hash_password(password)
        session.add(user)
        session.commit()
    token = re.search(r'name="_csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)
    response = client.post("/sign-in", data={"email": email, "password": password, "_csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text


def csrf_of(client: TestClient, path: str) -> str:
    import re

    return re.search(r'name="_csrf_token" value="([^"]+)"', client.get(path).text).group(1)
