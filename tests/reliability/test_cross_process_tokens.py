"""Several `procure serve` processes on one database behave like one (issue 15).

Two real servers, A (two worker processes) and B, share the test database (SQLite or,
with PROCURE_TEST_POSTGRES_URL, PostgreSQL). A token or a page session ended through B
is refused by A at the very next request: no process keeps a token, a session or a
revocation in memory.
"""

from __future__ import annotations

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import delete
from sqlmodel import Session, SQLModel

from procure.cli import cli
from procure.services import accounts
import procure.storage.models  # noqa: F401  (every table, for delete_everything)
from procure.storage.models import Organisation, UserCreate
from serving import procure_server

EMAIL = "platschef@ostersundshem.test"
PASSWORD = "Gran-Tjäle-Kvarn-Nio"
CSRF = 'name="_csrf_token" value="'

pytestmark = pytest.mark.storage


def delete_everything(engine) -> None:
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(delete(table))


@pytest.fixture(scope="module")
def servers(database_url, engine, tmp_path_factory):
    """A and B, started once for the module (starting a server takes seconds), and a user."""
    delete_everything(engine)
    with Session(engine, expire_on_commit=False) as session:
        organisation = Organisation(name="Östersundshem AB", org_number="556110-1816", kind="buyer")
        session.add(organisation)
        session.commit()
        accounts.create_user(session, None, UserCreate(email=EMAIL, role="buyer", organisation_id=organisation.id,
                                                       password=PASSWORD))
    cwd = tmp_path_factory.mktemp("servers")
    try:
        with procure_server(database_url, cwd, "--workers", "2") as a, procure_server(database_url, cwd) as b:
            yield a, b
    finally:
        delete_everything(engine)


def csrf(client: httpx.Client, url: str) -> str:
    page = client.get(url)
    assert CSRF in page.text, url
    return page.text.split(CSRF, 1)[1].split('"', 1)[0]


def test_a_token_revoked_through_one_server_is_refused_by_another_at_once(servers) -> None:
    a, b = servers
    with httpx.Client(timeout=30) as client:
        assert client.get(f"{a}/api/ready").json()["status"] == "ready"
        token = client.post(f"{a}/api/auth/token", json={"email": EMAIL, "password": PASSWORD}).json()["token"]
        bearer = {"Authorization": f"Bearer {token}"}
        for _ in range(4):  # every worker of A has had the token (and could have remembered it)
            assert client.get(f"{a}/api/me", headers=bearer).status_code == 200
        assert client.delete(f"{b}/api/auth/token", headers=bearer).status_code == 204
        assert [client.get(f"{a}/api/me", headers=bearer).status_code for _ in range(4)] == [401] * 4


def test_a_page_session_signed_out_through_one_server_is_refused_by_another_at_once(servers) -> None:
    a, b = servers
    with httpx.Client(timeout=30) as browser:
        signed_in = browser.post(f"{a}/sign-in", data={"email": EMAIL, "password": PASSWORD,
                                                      "_csrf_token": csrf(browser, f"{a}/sign-in")})
        assert signed_in.status_code == 303, signed_in.text
        cookie = f"procure_session={browser.cookies.get('procure_session')}"
        for _ in range(4):
            assert browser.get(f"{a}/contracts").status_code == 200
        # Cookies are not told apart by port: the same browser signs out through B.
        signed_out = browser.post(f"{b}/sign-out", data={"_csrf_token": csrf(browser, f"{b}/contracts")})
        assert signed_out.status_code == 303
    with httpx.Client(timeout=30, headers={"Cookie": cookie}) as replay:
        for _ in range(4):
            refused = replay.get(f"{a}/contracts")
            assert refused.status_code in (302, 303) and "/sign-in" in refused.headers["location"]


def test_serve_wants_at_least_one_worker() -> None:
    result = CliRunner().invoke(cli, ["serve", "--workers", "0"])
    assert result.exit_code == 2
    assert "--workers" in result.output
