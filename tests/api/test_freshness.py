"""What token authentication remembers between changes (procure.services.freshness).

A revocation made in this process shows at once; one made by another process shows within
`FRESH_FOR` seconds. "Another process" is played by making the change here and then
setting this process's change counter back, as if the commit had happened elsewhere.
Compliance answers no longer use freshness: tests/api/test_data_version.py.
"""

from __future__ import annotations

import pytest
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


def as_if_elsewhere(change):
    """Runs `change` (committed in this process), then forgets that this process made it."""
    epoch = freshness._epoch
    result = change()
    assert freshness._epoch > epoch, "the change was logged and committed"
    freshness._epoch = epoch
    return result


def test_a_token_revoked_here_is_refused_at_once(api_client, demo, clock):
    headers, contracts = demo
    url = URL.format(contracts["OH-2016-REMONTHAGEN"])
    assert api_client.get(url, headers=headers["auditor"]).status_code == 200
    assert api_client.delete("/api/auth/token", headers=headers["auditor"]).status_code == 204
    refused = api_client.get(url, headers=headers["auditor"])
    assert refused.status_code == 401 and "revoked" in refused.json()["error"]


def test_a_token_revoked_elsewhere_is_refused_within_fresh_for(api_client, demo, clean_database, clock):
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
    assert api_client.get(url, headers=headers["auditor"]).status_code == 200, "not yet seen: remembered"
    clock[0] += freshness.FRESH_FOR
    assert api_client.get(url, headers=headers["auditor"]).status_code == 401


