"""Fault injection shared by every emulator, programmable per route, method and count.

    emulator.faults.timeout("/invoice", skip=1)          # the second page read stalls
    emulator.faults.drop("/ledger/voucher", method="POST", after=True)  # booked, answer lost
    emulator.faults.rate_limited("/invoice", retry_after=7)
    emulator.faults.server_error("/customer", status=503, times=2)
    emulator.faults.expired_token("/invoice")            # credentials expire just before it
    emulator.faults.malformed("/invoice/")               # the real answer, cut in half
    emulator.faults.shift_page("/invoice", insert)       # `insert` runs between two page reads
    emulator.faults.allow_duplicates("voucher")          # no duplicate refusal

A fault matches a request whose path (or path?query) contains `match`, and the method if given;
`skip` matching requests pass first, then it fires `times` times (None: for good). The emulator
answers a fault in its own ERP's shapes: its error body, its rate-limit headers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

TIMEOUT = "timeout"  # stall past the client's timeout, then answer (to no one, usually)
DROP = "drop"  # close the connection without an answer
RATE_LIMITED = "rate_limited"  # 429 with the ERP's rate-limit headers
SERVER_ERROR = "server_error"  # 5xx with the ERP's error body
EXPIRED_TOKEN = "expired_token"  # the ERP forgets its tokens: the call answers as it would
MALFORMED = "malformed"  # 2xx whose body cannot be parsed
SHIFT_PAGE = "shift_page"  # records change between this page read and the next
ANSWER = "answer"  # any status, body and headers (the general form of the above)


@dataclass
class Fault:
    kind: str
    match: str = ""
    method: str | None = None
    times: int | None = 1
    skip: int = 0
    seconds: float | None = None  # TIMEOUT: how long to stall; RATE_LIMITED: seconds to wait
    status: int = 0
    text: str | None = None  # ANSWER/MALFORMED: the body as sent (None: the ERP's own)
    headers: dict = field(default_factory=dict)
    after: bool = False  # DROP: after the request was handled, so only its answer is lost
    action: Callable[[], object] | None = None  # SHIFT_PAGE: what changes between the reads
    fired: int = 0

    def matches(self, method: str, path: str, query: str) -> bool:
        if self.method and self.method.upper() != method:
            return False
        return self.match in path or self.match in f"{path}?{query}"

    @property
    def spent(self) -> bool:
        return self.times is not None and self.fired >= self.times


@dataclass(frozen=True)
class RateLimitHeaders:
    """The names an ERP uses for its rate-limit headers (None: it sends no such header)."""

    limit: str | None = None
    remaining: str | None = None
    reset: str | None = None  # seconds until the window resets
    retry_after: str | None = None  # on a 429 only
    always: bool = False  # on every answer (Tripletex), or only on a 429

    def render(self, limit: int | None, remaining: int, reset: int, *, limited: bool) -> dict:
        if not (limited or self.always):
            return {}
        values = {self.remaining: remaining, self.reset: reset}
        if limit is not None:
            values[self.limit] = limit
        if limited:
            values[self.retry_after] = reset
        return {name: str(value) for name, value in values.items() if name}


class FaultPlan:
    """The faults armed on one emulator. Thread-safe: requests take faults concurrently."""

    def __init__(self):
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._duplicates_allowed: set[str] = set()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, method: str, path: str, query: str) -> Fault | None:
        """The first armed fault this request triggers (counted), or None."""
        with self._lock:
            for fault in self._faults:
                if not fault.matches(method, path, query):
                    continue
                if fault.skip:
                    fault.skip -= 1
                    continue
                fault.fired += 1
                if fault.spent:
                    self._faults.remove(fault)
                return fault
        return None

    def pending(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._duplicates_allowed.clear()

    # --- the faults by name ------------------------------------------------------------------

    def timeout(self, match="", *, seconds: float | None = None, **kw) -> Fault:
        """Stall `seconds` (default: the emulator's timeout_seconds) before handling the request.
        The request is still handled afterwards, as a slow server would."""
        return self.add(Fault(TIMEOUT, match, seconds=seconds, **kw))

    def drop(self, match="", *, after: bool = False, **kw) -> Fault:
        """Close the connection without an answer: before the request is handled, or after it
        (the ERP did the work, the caller never hears)."""
        return self.add(Fault(DROP, match, after=after, **kw))

    def rate_limited(self, match="", *, retry_after: float = 5, **kw) -> Fault:
        return self.add(Fault(RATE_LIMITED, match, seconds=retry_after, status=429, **kw))

    def server_error(self, match="", status: int = 500, **kw) -> Fault:
        return self.add(Fault(SERVER_ERROR, match, status=status, **kw))

    def expired_token(self, match="", **kw) -> Fault:
        """The emulator forgets every issued token just before the request: it answers as the
        ERP answers an expired token (Tripletex 401), and a new token works again."""
        return self.add(Fault(EXPIRED_TOKEN, match, **kw))

    def malformed(self, match="", *, text: str | None = None, **kw) -> Fault:
        """Handle the request, then answer `text` or the real body cut in half."""
        return self.add(Fault(MALFORMED, match, text=text, **kw))

    def shift_page(self, match, action: Callable[[], object], *, skip=0, **kw) -> Fault:
        """After the (skip+1)-th matching request is answered, run `action` under the emulator's
        lock, before any other request: e.g. records inserted before the reader's offset."""
        kw.setdefault("method", "GET")
        return self.add(Fault(SHIFT_PAGE, match, skip=skip, action=action, **kw))

    def answer(self, match="", status: int = 500, text: str | None = None, headers=None, **kw):
        return self.add(Fault(ANSWER, match, status=status, text=text, headers=headers or {}, **kw))

    # --- no duplicate refusal: a flag the emulator's handlers ask -----------------------------

    def allow_duplicates(self, kind: str = "*", allowed: bool = True) -> None:
        """Take a record whose external key exists already, as an ERP without that guard would
        (Tripletex answers a repeated externalVoucherNumber with 409)."""
        with self._lock:
            (self._duplicates_allowed.add if allowed else self._duplicates_allowed.discard)(kind)

    def refuses_duplicates(self, kind: str) -> bool:
        with self._lock:
            return not ({kind, "*"} & self._duplicates_allowed)


def garble(text: str) -> str:
    """A body cut in half: the usual way a proxy or a crashed worker breaks an answer."""
    return text[: max(len(text) // 2, 1)] if text else "<"
