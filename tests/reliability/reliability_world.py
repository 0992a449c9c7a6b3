"""The populated world the reliability tests run against, and table fingerprints.

The parties are those of the API tests (tests/api/api_parties.py): two tenants, a
contractor with a subcontractor and an auditor, and an administrator, each with a bearer
token. The world adds Östersundshem's contract with one participant and one placement, so
that generated requests hit real objects as well as missing ones.
"""

from __future__ import annotations

import hashlib

import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))

from api_parties import Tenants  # noqa: E402
from contract_setup import add_contract, fingerprint  # noqa: E402

__all__ = ["World", "Tenants", "add_contract", "table_fingerprints"]


@dataclass
class World:
    tenants: Tenants
    contract_id: uuid.UUID
    ids: dict[str, uuid.UUID] = field(default_factory=dict)

    def headers(self, role: str) -> dict[str, str]:
        return self.tenants.headers[role]


def table_fingerprints(engine: Engine) -> dict[str, tuple[int, str]]:
    """Row count and content hash of every table: equal before and after means unchanged.

    What a failed import leaves on purpose is left out (issue 12, finding 2): its entry in
    the audit log (counts only), the chain head that entry moved, and the failure counted
    against the user's throttle."""
    import procure.storage.models  # noqa: F401
    from sqlalchemy import select
    from sqlmodel import SQLModel

    tables = fingerprint(engine, *(name for name in SQLModel.metadata.tables if name not in ("import_failures", "audit_chains")))
    audit = SQLModel.metadata.tables["audit_log"]
    with engine.connect() as connection:
        kept = connection.execute(
            select(audit).where(audit.c.action != "import_failed").order_by(audit.c.sequence)
        ).all()
    tables["audit_log"] = (len(kept), hashlib.sha256(repr([tuple(row) for row in kept]).encode()).hexdigest())
    return tables
