"""A contract to report on, for the placement, import, reporting and evidence tests.

Östersundshem's Remonthagen contract with Skanska as contractor, Jämtbygg appointed as
subcontractor and Revisionsbyrån Mitt as auditor (the parties of `tenants`), stored
directly so that these tests do not depend on the contracts API.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date

from sqlalchemy import Engine, select
from sqlmodel import Session, SQLModel

from procure.storage.models import Appointment, Contract

from api_parties import Tenants

TERM = (date(2016, 3, 1), date(2018, 6, 30))


def add_contract(
    engine: Engine, tenants: Tenants, *, reference: str = "OH-2016-REMONTHAGEN", contractor: str = "contractor",
    appoint: bool = True,
) -> uuid.UUID:
    with Session(engine) as session:
        contract = Contract(
            reference=reference,
            title="Remonthagen, new rental housing",
            buyer_org_id=tenants.organisations["buyer"].id,
            contractor_org_id=tenants.organisations[contractor].id,
            value_sek=180_000_000,
            start=TERM[0],
            end=TERM[1],
            status="active",
        )
        session.add(contract)
        session.flush()
        # Accepted, as the organisations would (stored directly, like the contract: no log entries).
        for role in ("contractor", "subcontractor", "auditor") if appoint else ("contractor",):
            name = contractor if role == "contractor" else role
            session.add(Appointment(contract_id=contract.id, organisation_id=tenants.organisations[name].id,
                                    org_number=tenants.org_number(name), role=role, status="accepted"))
        session.commit()
        return contract.id


def fingerprint(engine: Engine, *names: str) -> dict[str, tuple[int, str]]:
    """Row count and a hash of the content of each named table."""
    import procure.storage.models  # noqa: F401

    result = {}
    with engine.connect() as connection:
        for name in names:
            table = SQLModel.metadata.tables[name]
            rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            result[name] = (len(rows), hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest())
    return result
