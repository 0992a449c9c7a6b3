"""What a process may remember of the database, and for how long: the audit log's head.

Every change is logged in the audit log in the same transaction (procure.services.audit_log),
so the number of entries in the log names the state of the database. What the services
remember — a token's user, a compliance answer — is kept with the head it was read
under, and is good only while the head is the same.

Reading the head is one indexed query, but on the hot path of a cached request it was
most of the cost (bench/compliance_bench.py). So a process remembers the head too:

- a commit in this process that logged a change forgets it at once, so the process sees
  its own changes immediately, as before;
- a change committed by another process (a second app server, the command line) is seen
  when the head is next read, at most `FRESH_FOR` seconds later. Until then this process
  may answer from what it remembered, including a token revoked elsewhere: that is the
  price of the fast path, and the bound is kept short.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from procure.storage.models import AuditChain, AuditLogEntry

FRESH_FOR = 1.0  # seconds

# Audit-log object types whose rows the rules engine never reads (load_contract_records).
# A deny list, so that a new kind of entry counts as a change until someone decides it
# cannot change a result. Leaving them out of `Head.evaluated` keeps sign-ins from
# emptying every dashboard's cache.
NOT_EVALUATED = ("api_token", "user", "report", "evidence_file")


@dataclass(frozen=True)
class Head:
    database: str
    sequence: int  # entries written, all chains together
    evaluated: int  # entries written of a kind the engine's inputs depend on


# The log is append-only and every entry moves its chain's head on by one, so the sum of
# the heads counts the committed entries: it moves on with every commit of a change, in
# whichever chain. (Positions are per chain now, so no entry's position is a global head.)
# `evaluated` counts the entries that matter to the engine; that count reads the whole
# log, where the last sequence number was one index look-up: the price of per-chain
# positions until a per-contract data version replaces this module.
_WRITTEN = select(func.coalesce(func.sum(AuditChain.head_sequence), 0))
_EVALUATED = (
    select(func.count()).select_from(AuditLogEntry)
    .where(col(AuditLogEntry.object_type).not_in(NOT_EVALUATED)).scalar_subquery()
)
# Built once: building the statement cost as much as running it.
_HEAD = select(_WRITTEN.scalar_subquery(), _EVALUATED)


def entries_written(session: Session) -> int:
    """The number of entries in the audit log, read from the chains' heads."""
    return session.execute(_WRITTEN).scalar_one()


_AUDITED = "procure.audited"
_clock = time.monotonic
_lock = threading.Lock()
_epoch = 0  # moves on every commit of a logged change in this process
_remembered: dict[str, tuple[Head, int, float]] = {}  # database -> (head, epoch then, when read)


def note_change(session: Session) -> None:
    """Called for every audit-log entry: the session's commit will move the head."""
    session.info[_AUDITED] = True


@event.listens_for(OrmSession, "after_commit")
def _after_commit(session: OrmSession) -> None:
    global _epoch
    if session.info.pop(_AUDITED, False):
        with _lock:
            _epoch += 1


@event.listens_for(OrmSession, "after_rollback")
def _after_rollback(session: OrmSession) -> None:
    session.info.pop(_AUDITED, None)


def database_of(session: Session) -> str:
    # Tests and tools may use several databases in one process.
    return str(session.get_bind().engine.url)


def read_head(session: Session) -> Head:
    """The head as the database has it now (and remembered for `FRESH_FOR` seconds)."""
    # The epoch is taken before the query: a commit in between leaves the remembered head
    # out of date at once, rather than passing it off as current.
    epoch = _epoch
    written, evaluated = session.execute(_HEAD).one()
    head = Head(database_of(session), written, evaluated)
    with _lock:
        _remembered[head.database] = (head, epoch, _clock())
    return head


def remembered_head(database: str) -> Head | None:
    """The head read less than `FRESH_FOR` seconds ago with no change in this process
    since, or None: then it must be read."""
    found = _remembered.get(database)
    if found is None:
        return None
    head, epoch, read_at = found
    if epoch != _epoch or _clock() - read_at >= FRESH_FOR:
        return None
    return head


def forget() -> None:
    """Tests: start from nothing remembered."""
    with _lock:
        _remembered.clear()
