"""What the API remembers between changes (procure.services.freshness).

A request asked before with nothing changed since is answered without the database; a
change made in this process shows at once; one made by another process shows within
`FRESH_FOR` seconds. "Another process" is played by making the change here and then
setting this process's change counter back, as if the commit had happened elsewhere.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from procure.services import freshness
from procure.services.tokens import principal_for_token, revoke_token, token_hash
from procure.storage.models import ApiToken

from test_compliance import demo  # noqa: F401  (the fixture)

URL = "/api/contracts/{}/compliance?as_of=2018-06-30"


@pytest.fixture
def clock(monkeypatch) -> list[float]:
    """freshness' clock, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(freshness, "_clock", lambda: now[0])
    freshness.forget()
    return now


@contextmanager
def statements(engine):
    executed: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        executed.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield executed
    finally:
        event.remove(engine, "before_cursor_execute", record)


def beyond_the_token(executed: list[str]) -> list[str]:
    return [statement for statement in executed if "api_tokens" not in statement and statement != "BEGIN"]


def as_if_elsewhere(change):
    """Runs `change` (committed in this process), then forgets that this process made it."""
    epoch = freshness._epoch
    result = change()
    assert freshness._epoch > epoch, "the change was logged and committed"
    freshness._epoch = epoch
    return result


def test_asked_again_with_nothing_changed_is_answered_without_the_database(api_client, demo, clean_database, clock):
    headers, contracts = demo
    url = URL.format(contracts["OH-2016-REMONTHAGEN"])
    first = api_client.get(url, headers=headers["buyer"])
    assert first.status_code == 200
    with statements(clean_database) as executed:
        again = api_client.get(url, headers=headers["buyer"])
    assert again.status_code == 200 and again.content == first.content
    # Only the bearer token is looked up, on every request (issue 15: no token state in memory).
    assert beyond_the_token(executed) == []
    clock[0] += freshness.FRESH_FOR
    with statements(clean_database) as executed:
        later = api_client.get(url, headers=headers["buyer"])
    assert later.content == first.content
    assert beyond_the_token(executed), "after FRESH_FOR seconds the head is read again"


def test_another_tenant_and_a_subcontractor_are_never_answered_from_memory(api_client, demo, clean_database, clock):
    headers, contracts = demo
    url = URL.format(contracts["OH-2016-REMONTHAGEN"])
    full = api_client.get(url, headers=headers["buyer"]).json()
    for _ in range(2):
        assert api_client.get(url, headers=headers["stranger"]).status_code == 404
    api_client.get(url, headers=headers["subcontractor"])
    with statements(clean_database) as executed:
        own = api_client.get(url, headers=headers["subcontractor"]).json()
    assert executed, "a subcontractor's share is read from its placements"
    assert sum(len(c["counted"]) for c in own["clauses"]) < sum(len(c["counted"]) for c in full["clauses"])


def test_a_token_revoked_here_is_refused_at_once(api_client, demo, clock):
    headers, contracts = demo
    url = URL.format(contracts["OH-2016-REMONTHAGEN"])
    assert api_client.get(url, headers=headers["auditor"]).status_code == 200
    assert api_client.delete("/api/auth/token", headers=headers["auditor"]).status_code == 204
    refused = api_client.get(url, headers=headers["auditor"])
    assert refused.status_code == 401 and "revoked" in refused.json()["error"]


def test_a_token_revoked_elsewhere_is_refused_at_once(api_client, demo, clean_database, clock):
    headers, contracts = demo
    url = URL.format(contracts["OH-2016-REMONTHAGEN"])
    assert api_client.get(url, headers=headers["auditor"]).status_code == 200
    token = headers["auditor"]["Authorization"].removeprefix("Bearer ")

    def revoke():
        with Session(clean_database) as session:
            revoke_token(session, principal_for_token(session, token), token)
            session.commit()

    as_if_elsewhere(revoke)
    with Session(clean_database) as session:
        assert session.exec(select(ApiToken).where(ApiToken.token_hash == token_hash(token))).one().revoked_at
    # Tokens are never answered from memory: the revocation counts here at once.
    assert api_client.get(url, headers=headers["auditor"]).status_code == 401


def test_a_change_made_elsewhere_shows_within_fresh_for(api_client, demo, clock):
    headers, contracts = demo
    contract_id = contracts["OH-2016-REMONTHAGEN"]
    url = URL.format(contract_id)
    before = api_client.get(url, headers=headers["buyer"]).json()
    counted = next(c for c in before["clauses"] if c["code"] == "SC-1")["counted"][0]["placement_id"]
    placement = api_client.get(f"/api/contracts/{contract_id}/placements/{counted}", headers=headers["contractor"]).json()

    changed = as_if_elsewhere(lambda: api_client.patch(
        f"/api/contracts/{contract_id}/placements/{counted}", headers=headers["contractor"],
        json={"placement_type": "mentorship", "version": placement["version"], "reason": "reported as the wrong type"},
    ))
    assert changed.status_code == 200, changed.text
    assert api_client.get(url, headers=headers["buyer"]).json() == before, "not yet seen: remembered"
    clock[0] += freshness.FRESH_FOR
    after = api_client.get(url, headers=headers["buyer"]).json()
    sc1 = next(c for c in after["clauses"] if c["code"] == "SC-1")
    assert counted not in {item["placement_id"] for item in sc1["counted"]}
