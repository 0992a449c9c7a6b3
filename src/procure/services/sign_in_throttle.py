"""Slowing down password guessing without handing attackers a way to lock people out.

Failed sign-ins are counted in the database (table `sign_in_failures`), so every app
process counts together, under two keys:

- an account *from one client address*: after `FREE_FAILURES` failures each further
  attempt waits twice as long as the last (1 s, 2 s, 4 s … at most `MAX_DELAY`). The
  account's owner signing in from another address is not slowed down by them;
- one client address, whatever the accounts: the same from `ADDRESS_FREE_FAILURES`
  failures on (generous, since an office may share one address), which stops one address
  from trying a few passwords on many accounts.

While a key waits, every attempt under it (even with the right password) is refused
with the seconds to wait. A successful sign-in clears the account's count from that
address; a key with no failure for `FORGET_AFTER` starts again from nothing. Keys are
keyed hashes (HMAC with the installation's secret): the table names no email address
and no client address. Two processes counting at the same instant both count: the
increment is one atomic upsert.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlalchemy import case, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from procure.services.errors import ServiceError, Unauthenticated
from procure.storage.models import SignInFailures, table_of

FREE_FAILURES = 5
ADDRESS_FREE_FAILURES = 50
FIRST_DELAY = timedelta(seconds=1)
MAX_DELAY = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=1)

T = TypeVar("T")


class Throttled(Exception):
    """Too many failed attempts: wait `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-in attempts: try again in {retry_after} seconds")
        self.retry_after = retry_after


def delay_after(failures: int, free: int) -> timedelta:
    """How long after the last of `failures` failures the next attempt must wait."""
    if failures < free:
        return timedelta(0)
    doublings = failures - free
    if doublings >= 20:  # 2**20 s is far past the ceiling; no need to compute it
        return MAX_DELAY
    return min(FIRST_DELAY * 2**doublings, MAX_DELAY)


@dataclass(frozen=True)
class SignInThrottle:
    secret: bytes

    def _key(self, *parts: str) -> str:
        return hmac.new(self.secret, "\x00".join(("sign-in throttle", *parts)).encode("utf-8"), hashlib.sha256).hexdigest()

    def keys(self, email: str, address: str) -> dict[str, int]:
        """Each key of an attempt with its number of free failures; the account's first."""
        return {
            self._key("account", email.strip().lower(), address): FREE_FAILURES,
            self._key("address", address): ADDRESS_FREE_FAILURES,
        }

    def retry_after(self, session: Session, email: str, address: str, now: datetime | None = None) -> int | None:
        """Seconds to wait before the next attempt, or None when one may be made now."""
        now = now or datetime.now(UTC)
        keys = self.keys(email, address)
        rows = session.exec(select(SignInFailures).where(col(SignInFailures.key).in_(list(keys)))).all()
        waits = [
            (row.last_failure_at + delay_after(row.failures, keys[row.key]) - now).total_seconds()
            for row in rows
            if row.last_failure_at > now - FORGET_AFTER
        ]
        wait = max(waits, default=0)
        return math.ceil(wait) if wait > 0 else None

    def failed(self, session: Session, email: str, address: str, now: datetime | None = None) -> None:
        now = now or datetime.now(UTC)
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        table = table_of(SignInFailures)
        stale = table.c.last_failure_at <= now - FORGET_AFTER
        for key in self.keys(email, address):
            upsert = dialect.insert(table).values(key=key, failures=1, last_failure_at=now)
            session.execute(
                upsert.on_conflict_do_update(
                    index_elements=[table.c.key],
                    set_={"failures": case((stale, 1), else_=table.c.failures + 1), "last_failure_at": now},
                )
            )
        # Keys nobody failed under for long are forgotten anyway: the table stays small.
        session.execute(delete(SignInFailures).where(col(SignInFailures.last_failure_at) <= now - FORGET_AFTER))
        session.commit()

    def succeeded(self, session: Session, email: str, address: str) -> None:
        account_key = next(iter(self.keys(email, address)))
        session.execute(delete(SignInFailures).where(col(SignInFailures.key) == account_key))
        session.commit()

    def attempt(
        self, session: Session, email: str, address: str, sign_in: Callable[[], T],
        failures: tuple[type[ServiceError], ...] = (Unauthenticated,),
    ) -> T:
        """Run `sign_in` unless the attempt must wait (Throttled); count its failure (one
        of `failures`: a wrong password) or success."""
        wait = self.retry_after(session, email, address)
        if wait is not None:
            raise Throttled(wait)
        try:
            result = sign_in()
        except failures:
            session.rollback()
            self.failed(session, email, address)
            raise
        self.succeeded(session, email, address)
        return result
