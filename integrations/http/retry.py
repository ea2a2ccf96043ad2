"""When the HTTP base tries a call again in the same process, and how long it waits first.

- A 429 was refused, not done: any call, a write too, waits what the ERP says (Retry-After, or
  the ERP's own reset header) and goes again. A wait longer than `max_wait`, or more than
  `attempts` tries, raises ErpRateLimited with `retry_after`: the task retries it later, so a
  write refused for its rate is delayed, never dropped.
- A timeout, a dropped connection or a 5xx may have been done: only a safe call (GET, HEAD, or
  one the client marks idempotent) is tried again, with exponential back-off (and the ERP's
  Retry-After on a 503 if it sends one). An unsafe write is left to the caller, which asks the
  ERP before writing again (e.g. a voucher looked up by our external number).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from integrations.errors import ErpError, ErpRateLimited, ErpUnavailable

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # tries in all, the first included
    backoff: float = 0.5  # seconds before the second try; doubled each time after
    max_backoff: float = 8.0
    max_wait: float = 30.0  # the longest a call waits in-process for a rate limit to reset
    jitter: float = 0.1  # +- this share of each back-off, so parallel clients do not align

    def wait(self, error: ErpError, attempt: int, *, safe: bool) -> float | None:
        """Seconds to wait before try number `attempt + 1`, or None to give up and raise."""
        if attempt >= self.attempts:
            return None
        if isinstance(error, ErpRateLimited):
            if error.retry_after is None:
                return self._backoff(attempt)
            return error.retry_after if error.retry_after <= self.max_wait else None
        if isinstance(error, ErpUnavailable) and safe:
            told = getattr(error, "retry_after", None)
            if told is not None:
                return told if told <= self.max_wait else None
            return self._backoff(attempt)
        return None

    def _backoff(self, attempt: int) -> float:
        base = min(self.backoff * 2 ** (attempt - 1), self.max_backoff)
        return max(base * (1 + random.uniform(-self.jitter, self.jitter)), 0.0)


NO_RETRY = RetryPolicy(attempts=1)
