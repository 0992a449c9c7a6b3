"""Throttling failed sign-ins, per email address and per client address.

At most `MAX_FAILURES` failed attempts within `WINDOW` for one email, and as many from
one client address; then every attempt (even with the right password) is answered 429
with Retry-After until the oldest failure leaves the window. A successful sign-in
clears the email's failures.

Litestar's `RateLimitConfig` counts every request per client, not failures per email,
so this is a small sliding window of failure times kept in a litestar `Store`, the app's
store named `STORE_NAME` (a MemoryStore unless configured). One app server keeps its
counts in memory; several app servers behind a load balancer would register a shared
`litestar.stores.redis.RedisStore` under that name (`Litestar(stores={...})`) so that
they count together. Behind a proxy, run the server with the proxy's forwarded headers
trusted, or every client shares the proxy's address. Two failures arriving at the same
instant may be counted as one (read, then write): the limit is approximate by one or
two attempts, which does not matter to what it is for.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from litestar.stores.base import Store

STORE_NAME = "procure_sign_in_failures"
MAX_FAILURES = 10
WINDOW = timedelta(minutes=15)


@dataclass
class SignInThrottle:
    store: Store
    max_failures: int = MAX_FAILURES
    window: timedelta = WINDOW
    clock: Callable[[], float] = field(default=time.time)

    @staticmethod
    def keys(email: str, address: str) -> list[str]:
        # Emails are personal data: the store (perhaps a shared Redis) sees only a hash.
        email_key = hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()
        return [f"email:{email_key}", f"address:{address}"]

    async def _recent(self, key: str, now: float) -> list[float]:
        raw = await self.store.get(key)
        times = json.loads(raw) if raw else []
        return [t for t in times if t > now - self.window.total_seconds()]

    async def retry_after(self, email: str, address: str) -> int | None:
        """Seconds to wait before the next attempt, or None when one may be made now."""
        now = self.clock()
        waits = []
        for key in self.keys(email, address):
            recent = await self._recent(key, now)
            if len(recent) >= self.max_failures:
                # The attempt that brings the count below the limit again.
                freed_at = sorted(recent)[len(recent) - self.max_failures] + self.window.total_seconds()
                waits.append(max(1, math.ceil(freed_at - now)))
        return max(waits) if waits else None

    async def failed(self, email: str, address: str) -> None:
        now = self.clock()
        for key in self.keys(email, address):
            recent = await self._recent(key, now)
            recent.append(now)
            await self.store.set(key, json.dumps(recent[-self.max_failures :]), expires_in=self.window)

    async def succeeded(self, email: str, address: str) -> None:
        await self.store.delete(self.keys(email, address)[0])
