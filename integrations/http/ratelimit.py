"""A client-side rate limit per ERP tenant: one token bucket per (ERP, tenant key) in the process.

Every client built for the same tenant (each task builds its own adapter) draws from the same
bucket, so calls are spaced before the ERP has to answer 429. The rate is configured per ERP on
its client class (`ErpHttpClient.rate_limit`) and may be overridden per client.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimit:
    per_second: float  # the steady rate
    burst: int = 1  # how many calls may go at once after a quiet spell


class TokenBucket:
    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic):
        if limit.per_second <= 0 or limit.burst < 1:
            raise ValueError(f"not a rate limit: {limit}")
        self.limit = limit
        self.clock = clock
        self.tokens = float(limit.burst)
        self.updated = clock()
        self.lock = threading.Lock()

    def take(self) -> float:
        """Take one call's token if there is one and return 0, else the seconds until there is
        one (nothing taken)."""
        with self.lock:
            now = self.clock()
            self.tokens = min(
                self.limit.burst, self.tokens + (now - self.updated) * self.limit.per_second
            )
            self.updated = now
            if self.tokens >= 1:
                self.tokens -= 1
                return 0.0
            return (1 - self.tokens) / self.limit.per_second

    def acquire(self, sleep: Callable[[float], None] = time.sleep) -> float:
        """Wait for a token; returns how long it waited."""
        waited = 0.0
        while (wait := self.take()) > 0:
            sleep(wait)
            waited += wait
        return waited


_buckets: dict[tuple[str, str], TokenBucket] = {}
_buckets_lock = threading.Lock()


def bucket(erp: str, tenant: str, limit: RateLimit) -> TokenBucket:
    """The process's bucket for this ERP tenant (made on first use; a new limit replaces it)."""
    key = (erp, tenant)
    with _buckets_lock:
        found = _buckets.get(key)
        if found is None or found.limit != limit:
            found = _buckets[key] = TokenBucket(limit)
        return found


# What an ERP last said is left of a tenant's budget (its X-RateLimit-Remaining) and when that
# resets: the ERP counts every process's calls, so this stops a process once the budget is spent
# by all of them, where its own bucket spaces only its own calls. Kept per process.
_budgets: dict[tuple[str, str], tuple[int, float]] = {}  # -> (remaining, resets at, monotonic)


def budget_note(erp: str, tenant: str, remaining: str | None, reset: float | None) -> None:
    """Keep what an answer said: `remaining` calls until `reset` seconds from now."""
    if remaining is None or reset is None or not remaining.strip().isdigit():
        return
    with _buckets_lock:
        _budgets[(erp, tenant)] = (int(remaining), time.monotonic() + reset)


def budget_wait(erp: str, tenant: str) -> float:
    """Seconds until the tenant has budget again: 0 when it has some, or nothing was said."""
    with _buckets_lock:
        remaining, resets_at = _budgets.get((erp, tenant), (1, 0.0))
        left = resets_at - time.monotonic()
        return 0.0 if remaining > 0 or left <= 0 else left


def reset() -> None:
    """Forget every bucket and budget (tests: each emulator starts unthrottled)."""
    with _buckets_lock:
        _buckets.clear()
        _budgets.clear()
