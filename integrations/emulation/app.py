"""The WSGI base every emulator is built on: routing, the request log, a fixed-window rate limit,
faults and holds. An ERP's emulator subclasses it and supplies its routes, its auth check and its
rendering (`handle`), its error body (`error`), and how its tokens expire.

Every answer carries the ERP's request-id header and, where the ERP sends them, its rate-limit
headers. The log keeps each exchange (method, path, route, status, bodies) for the contract
checks and for tests that count calls.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable
from typing import NamedTuple

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from integrations.emulation import faults as F
from integrations.emulation.faults import FaultPlan, RateLimitHeaders, garble

LOG_SIZE = 20000  # a long-running demo keeps the recent requests only


class Route(NamedTuple):
    method: str
    path: str  # as the ERP's documentation writes it: "/invoice/{id}/:payment"
    handler: Callable
    auth: bool = True


class Router:
    """Routes by the documented path; "{id}" is an integer, any other "{name}" a segment."""

    def __init__(self, routes: list[Route], prefix: str = ""):
        def rule(path: str) -> str:
            return prefix + re.sub(
                r"\{(\w+)\}", lambda m: f"<int:{m[1]}>" if m[1] == "id" else f"<{m[1]}>", path
            )

        self.routes = routes
        self._map = Map([Rule(rule(r.path), endpoint=r, methods=[r.method]) for r in routes])

    def match(self, path: str, method: str) -> tuple[Route, dict]:
        """The route and its path parameters; werkzeug's NotFound or MethodNotAllowed if none."""
        return self._map.bind("emulator").match(path, method=method)


class EmulatorApp:
    prefix = ""  # the API's base path, e.g. "/v2"
    mimetype = "application/json"
    request_id_header: str | None = None
    rate_limit_headers = RateLimitHeaders()
    timeout_seconds = 3.0  # how long a TIMEOUT fault stalls unless told

    def __init__(self, *, rate_limit: int | None = None, rate_period: float = 10.0):
        self.lock = threading.RLock()  # a SHIFT_PAGE action calls test hooks under it
        self.faults = FaultPlan()
        self.rate_limit, self.rate_period = rate_limit, rate_period
        self.router = Router(self.routes(), self.prefix)
        self.log: list[dict] = []
        self.url: str | None = None  # set while served (testing.running)
        self.seeded = None
        self._windows: dict[str, list] = {}  # rate-limit key -> [window start, count]
        self._holds: list[dict] = []
        self._released = threading.Event()  # set on stop: stalled requests give up at once

    # --- what each ERP's emulator provides ------------------------------------------------

    def routes(self) -> list[Route]:
        raise NotImplementedError

    def handle(self, request: Request, route: Route, params: dict) -> tuple[int, str]:
        """Check auth, run the route's handler, render its answer: (status, body text). May
        raise an exception `failure` turns into the ERP's error answer."""
        raise NotImplementedError

    def failure(self, exc: Exception, request_id: str) -> tuple[int, str] | None:
        """The answer to an exception `handle` raised, or None if it is not the ERP's own."""
        return None

    def error(self, status: int, message: str, *, request_id: str, detail: str = "") -> str:
        """An error body in the ERP's shape."""
        return json.dumps({"status": status, "message": message, "detail": detail})

    def render(self, body) -> str:
        return json.dumps(body)

    def expire_credentials(self) -> None:
        """Forget every token issued: the next call with one answers as an expired one."""

    def rate_key(self, request: Request) -> str:
        """Whom the rate limit counts (an employee, a client, an application)."""
        return "anonymous"

    def normalize_path(self, path: str) -> str:
        return path

    # --- WSGI ----------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        request = Request(environ)
        path = self.normalize_path(request.path)
        self._wait_at_hold(request.method, path)  # outside the lock: the others must get in
        fault = self.faults.take(request.method, path, request.query_string.decode())
        kind = fault.kind if fault else None
        record = {"method": request.method, "path": path, "query": request.args.to_dict()}
        record.update(route=None, fault=kind)
        if kind == F.TIMEOUT:
            self._released.wait(self.timeout_seconds if fault.seconds is None else fault.seconds)
        if kind == F.DROP and not fault.after:
            self._keep(record, status=None)
            _drop(environ)
        with self.lock:
            response = self._answer(request, path, fault, record)
        if kind == F.DROP:
            _drop(environ)
        return response(environ, start_response)

    def _answer(self, request: Request, path: str, fault, record: dict) -> Response:
        request_id = uuid.uuid4().hex
        key = self.rate_key(request)
        kind = fault.kind if fault else None
        limited = False
        extra = {}
        if kind in (F.ANSWER, F.SERVER_ERROR, F.RATE_LIMITED):
            status = fault.status
            text = fault.text
            if text is None:
                text = self.error(status, f"Injected {status}", request_id=request_id)
            # An injected 429 sends the ERP's rate-limit headers; a free-form answer only its own.
            limited, extra = kind == F.RATE_LIMITED, dict(fault.headers)
        else:
            if kind == F.EXPIRED_TOKEN:
                self.expire_credentials()
            status, text, limited = self._route(request, path, record, request_id, key)
            if kind == F.MALFORMED:
                text = garble(text) if fault.text is None else fault.text
        headers = {self.request_id_header: request_id} if self.request_id_header else {}
        wait = fault.seconds if kind == F.RATE_LIMITED else None
        headers.update(self._rate_headers(key, limited, wait), **extra)
        self._keep(record, status=status, response_text=text, request_id=request_id)
        if kind == F.SHIFT_PAGE:
            fault.action()
        return Response(
            text, status=status, headers=headers, mimetype=self.mimetype if text else None
        )

    def _route(self, request, path, record, request_id, key) -> tuple[int, str, bool]:
        try:
            if not self._count(key):
                reset = self._seconds_left(key)
                message = f"Rate limit exceeded, reset in {reset} s"
                return 429, self.error(429, message, request_id=request_id), True
            route, params = self.router.match(path, request.method)
            record["route"] = route.path
            if request.method in ("POST", "PUT", "PATCH") and request.get_data():
                record["request_text"] = request.get_data(as_text=True)
            status, text = self.handle(request, route, params)
        except NotFound:
            text = self.error(404, "Not found", request_id=request_id, detail=f"No endpoint {path}")
            return 404, text, False
        except MethodNotAllowed:
            detail = f"{request.method} {path}"
            return (
                405,
                self.error(405, "Method not allowed", request_id=request_id, detail=detail),
                False,
            )
        except Exception as exc:
            answer = self.failure(exc, request_id)
            if answer is None:
                raise
            status, text = answer
        return status, text, status == 429

    def _keep(self, record: dict, **fields) -> None:
        record.update(fields)
        with self.lock:
            self.log.append(record)
            if len(self.log) > LOG_SIZE:
                del self.log[: LOG_SIZE // 2]

    # --- rate limit: a fixed window per key ------------------------------------------------

    def _seconds_left(self, key: str) -> int:
        window = self._windows.get(key)
        if window is None:
            return int(self.rate_period)
        return max(int(window[0] + self.rate_period - time.monotonic()) + 1, 0)

    def _count(self, key: str) -> bool:
        """Count a request; False when the key is over its limit (for the rest of the window)."""
        if self.rate_limit is None:
            return True
        now = time.monotonic()
        window = self._windows.get(key)
        if window is None or now - window[0] >= self.rate_period:
            window = self._windows[key] = [now, 0]
        window[1] += 1
        return window[1] <= self.rate_limit

    def _rate_headers(self, key: str, limited: bool, wait: float | None) -> dict:
        count = self._windows.get(key, [0, 0])[1]
        limit = self.rate_limit
        remaining = 0 if limited or limit is None else max(limit - count, 0)
        reset = int(wait) if wait is not None else self._seconds_left(key)
        return self.rate_limit_headers.render(limit, remaining, reset, limited=limited)

    # --- test hooks shared by every emulator -----------------------------------------------

    def fail_next(
        self,
        path_substring: str,
        status: int = 500,
        body=None,
        raw=None,
        headers=None,
        method: str | None = None,
    ) -> None:
        """The next request whose path (or path?query) contains `path_substring` answers
        `status` with `body` (rendered), or `raw` as is (for broken bodies), or the ERP's error."""
        if raw is not None:
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        else:
            text = self.render(body) if body is not None else None
        self.faults.answer(path_substring, status, text, headers, method=method)

    def hold(
        self,
        path_substring: str,
        parties: int = 2,
        *,
        method: str | None = None,
        timeout: float = 2.0,
    ) -> None:
        """The next `parties` requests whose path contains `path_substring` wait for one another
        (at most `timeout` seconds) before they are served: lines up concurrent calls."""
        barrier = threading.Barrier(parties, timeout=timeout)
        with self.lock:
            self._holds.append(
                {"match": path_substring, "method": method, "left": parties, "barrier": barrier}
            )

    def _wait_at_hold(self, method: str, path: str) -> None:
        with self.lock:
            hold = next(
                (h for h in self._holds if h["match"] in path and h["method"] in (None, method)),
                None,
            )
            if hold is None:
                return
            hold["left"] -= 1
            if not hold["left"]:
                self._holds.remove(hold)
        try:
            hold["barrier"].wait()
        except threading.BrokenBarrierError:
            pass  # fewer came than expected: serve the ones that did

    def requests(self, path_substring: str = "") -> list[dict]:
        with self.lock:
            return [r for r in self.log if path_substring in r["path"]]

    def release(self) -> None:
        """Wake every stalled request (the server is stopping)."""
        self._released.set()

    def resume(self) -> None:
        self._released.clear()


def _drop(environ) -> None:
    """Close the client's connection with no answer; werkzeug takes the ConnectionError as a
    dropped connection and moves on."""
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    raise ConnectionAbortedError("emulator: connection dropped on purpose")
