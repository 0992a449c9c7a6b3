"""Each contract's data version: bumped in SQL, in the same transaction, by any change to
what the rules engine reads of it (`load_contract_records`).

The one place that does it is here, on the session, so that no service can forget:

- `before_flush` sees the new, changed and deleted ORM rows of the engine's input tables
  (contract fields, clauses, waivers, appointments, participants, placements, labour
  hours, period reports, and organisations, whose names and numbers a contract shows);
- `do_orm_execute` sees the bulk statements on those tables run through
  `Session.execute` (the CSV import's `insert`/`update`, retention's `update`).

The bump is `UPDATE contracts SET data_version = data_version + 1 WHERE id IN (…)`:
atomic in the database, so two processes changing one contract at once never lose an
increment, and committed or rolled back with the change itself. Whoever reads the
version reads the state of the data it names; a cache keyed by it is exact in every
process at once, with no clock involved.

A session that changed a contract and has not committed yet sees a version that another
transaction may also reach (if this one rolls back); `changed_here` names those contracts
so that the read model does not cache what such a session computes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import BinaryExpression, Table, or_, select, update
from sqlalchemy.event import listens_for
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlmodel import col

from procure.storage.models import (
    Appointment,
    Clause,
    Contract,
    LabourHours,
    Organisation,
    Participant,
    PeriodReport,
    Placement,
    Waiver,
    table_of,
)

# Rows that belong to one contract through their `contract_id`.
OWNED = (Clause, Appointment, Participant, Placement, LabourHours, PeriodReport)
_OWNED_TABLES = {model.__tablename__ for model in OWNED}
_CONTRACTS: Table = table_of(Contract)
_CHANGED = "procure.data_version.changed"  # session.info: contract ids changed, not yet committed
_CHUNK = 500


def current(session: OrmSession, contract_id: uuid.UUID) -> int | None:
    """The contract's data version as this transaction sees it (None: no such contract).
    A column query, never a loaded row's possibly older attribute."""
    return session.execute(select(_CONTRACTS.c.data_version).where(_CONTRACTS.c.id == contract_id)).scalar()


def changed_here(session: OrmSession) -> frozenset[uuid.UUID]:
    """The contracts this session has changed in its open transaction (None for all:
    see `_bump_all`); their versions are not yet final."""
    return frozenset(session.info.get(_CHANGED, ()))


def _note(session: OrmSession, ids: Iterable[Any]) -> None:
    session.info.setdefault(_CHANGED, set()).update(ids)


@listens_for(OrmSession, "after_commit")
@listens_for(OrmSession, "after_rollback")
def _settled(session: OrmSession) -> None:
    session.info.pop(_CHANGED, None)


def _bump(session: OrmSession, where: ColumnElement[bool], parameters: Any = None) -> None:
    statement = update(_CONTRACTS).where(where).values(data_version=_CONTRACTS.c.data_version + 1)
    # The session's connection, not Session.execute: no ORM events, no autoflush.
    session.connection().execute(statement, parameters)


def _bump_ids(session: OrmSession, ids: set[Any]) -> None:
    ids = {uuid.UUID(str(i)) if not isinstance(i, uuid.UUID) else i for i in ids if i is not None}
    for chunk in _chunks(sorted(ids)):
        _bump(session, _CONTRACTS.c.id.in_(chunk))
    _note(session, ids)


def _bump_all(session: OrmSession) -> None:
    """When the contracts a statement touches cannot be told: every contract. Rare."""
    _bump(session, _CONTRACTS.c.id.is_not(None))
    _note(session, session.connection().execute(select(_CONTRACTS.c.id)).scalars())


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _of_organisation(organisation_id: uuid.UUID) -> ColumnElement[bool]:
    """The contracts an organisation appears in, as a party or an employer."""
    return or_(
        _CONTRACTS.c.buyer_org_id == organisation_id,
        _CONTRACTS.c.contractor_org_id == organisation_id,
        _CONTRACTS.c.id.in_(select(col(Appointment.contract_id)).where(col(Appointment.organisation_id) == organisation_id)),
        _CONTRACTS.c.id.in_(select(col(Placement.contract_id)).where(col(Placement.employer_org_id) == organisation_id)),
        _CONTRACTS.c.id.in_(select(col(LabourHours.contract_id)).where(col(LabourHours.employer_org_id) == organisation_id)),
    )


@listens_for(OrmSession, "before_flush")
def _before_flush(session: OrmSession, _context: Any, _instances: Any) -> None:
    ids: set[Any] = set()
    clause_ids: set[uuid.UUID] = set()  # waivers' clauses not in the session
    organisations: set[uuid.UUID] = set()
    changed = [obj for obj in session.dirty if session.is_modified(obj)]
    for obj in (*session.new, *changed, *session.deleted):
        if isinstance(obj, OWNED):
            ids.add(obj.contract_id)
        elif isinstance(obj, Waiver):
            clause = session.identity_map.get(session.identity_key(Clause, obj.clause_id)) if obj.clause_id else None
            if clause is not None:
                ids.add(clause.contract_id)
            elif obj.clause_id is not None:
                clause_ids.add(obj.clause_id)
        elif isinstance(obj, Contract) and obj not in session.new:
            ids.add(obj.id)  # a new contract starts at its default version
        elif isinstance(obj, Organisation) and obj not in session.new:
            organisations.add(obj.id)
    if clause_ids:
        with session.no_autoflush:
            ids.update(session.connection().execute(
                select(col(Clause.contract_id)).where(col(Clause.id).in_(clause_ids)).distinct()).scalars())
    for organisation_id in organisations:
        owners = session.connection().execute(select(_CONTRACTS.c.id).where(_of_organisation(organisation_id)))
        ids.update(owners.scalars())
    if ids:
        _bump_ids(session, ids)


def _named_binds(where: ColumnElement[Any]) -> set[str]:
    return {node.key for node in visitors.iterate(where) if isinstance(node, BindParameter) and node.value is None}


@listens_for(OrmSession, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is None:
        return
    name = getattr(table, "name", None)
    if name == _CONTRACTS.name:
        if state.is_update and not _is_bump(state.statement):
            _bump_dml(state, _CONTRACTS, _CONTRACTS.c.id)
        return
    if name == Waiver.__tablename__:
        _bump_dml(state, table, None)
        return
    if name not in _OWNED_TABLES:
        return
    _bump_dml(state, table, table.c.contract_id)


def _is_bump(statement: Any) -> bool:
    return "data_version" in {getattr(key, "key", key) for key in _values_of(statement)}


def _values_of(statement: Any) -> dict[Any, Any]:
    """The `.values(...)` of an insert or update (a private attribute of SQLAlchemy's), or {}."""
    return getattr(statement, "_values", None) or {}


def _bump_dml(state: ORMExecuteState, table: Any, owner: Any) -> None:
    """The contracts a bulk statement touches, bumped before it runs."""
    session, statement, parameters = state.session, state.statement, state.parameters
    many = isinstance(parameters, list)
    rows: list[Any] = parameters if isinstance(parameters, list) else [parameters or {}]
    if state.is_insert:
        if owner is not None and rows and all(owner.key in row for row in rows):
            _bump_ids(session, {row[owner.key] for row in rows})
        elif owner is not None and not many and _values_of(statement):
            inserted = {getattr(k, "key", k): v for k, v in _values_of(statement).items()}
            given = inserted.get(owner.key)
            if isinstance(given, BindParameter):
                given = given.value
            _bump_ids(session, {given}) if given is not None else _bump_all(session)
        else:
            _bump_all(session)
        return
    where = getattr(statement, "whereclause", None)  # an update's or a delete's
    if where is None:
        _bump_all(session)
        return
    if owner is None:  # waivers: through their clause
        contracts = select(col(Clause.contract_id)).where(col(Clause.id).in_(select(table.c.clause_id).where(where)))
    else:
        contracts = select(owner).where(where)
    binds = _named_binds(where)
    key_column = _compared_to_one_bind(where)
    if many and key_column is not None:
        # The usual bulk form, `WHERE id = :b_id` once per row: one query per chunk.
        column, bind = key_column
        values = sorted({row[bind] for row in rows if bind in row}, key=str)
        found: set[Any] = set()
        for chunk in _chunks(values):
            if owner is not None:
                query = select(owner).where(column.in_(chunk)).distinct()
            else:
                query = select(col(Clause.contract_id)).where(
                    col(Clause.id).in_(select(table.c.clause_id).where(column.in_(chunk)))).distinct()
            found.update(session.connection().execute(query).scalars())
        _bump_ids(session, found)
        return
    for row in rows:
        owners = set(session.connection().execute(contracts, {k: v for k, v in row.items() if k in binds}).scalars())
        _bump_ids(session, owners)


def _compared_to_one_bind(where: ColumnElement[Any]) -> tuple[Any, str] | None:
    if isinstance(where, BinaryExpression) and where.operator is operators.eq \
            and isinstance(where.right, BindParameter) and where.right.value is None:
        return where.left, where.right.key
    return None
