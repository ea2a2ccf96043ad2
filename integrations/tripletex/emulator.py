"""A Tripletex API v2 emulator: a werkzeug WSGI app with in-memory state, for tests and demos.

    emulator = TripletexEmulator()
    ids = seed_demo(emulator, date.today())
    with serve(emulator) as server:          # http://127.0.0.1:<port>/v2
        TripletexClient(server.url, ids["consumer_token"], ...)

or standalone: `python -m integrations.tripletex.emulator --port 8801 --demo`.

It speaks the real shapes: session tokens and Basic auth "<companyId>:<token>" (accountant
clients included), the list envelope, `fields` expansion, ApiError bodies with x-tlx-request-id
and X-Rate-Limit-* headers on every answer. Test hooks are plain methods (add_company,
add_invoice, register_direct_payment, fail_next, ...), not HTTP.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import re
import threading
import time
import uuid
from decimal import Decimal

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from integrations.tripletex import jsonutil
from integrations.tripletex.emulator_model import ApiFailure, Ref
from integrations.tripletex.emulator_seed import seed_demo
from integrations.tripletex.emulator_state import State
from integrations.tripletex.emulator_views import ROUTES, Call, Renderer, parse_fields

__all__ = ["TripletexEmulator", "seed_demo", "serve", "ServerHandle"]

DEFAULT_CONSUMER_TOKEN = "test-consumer-autocollect"
_ENCODED = re.compile(r"%(3e|3a)", re.IGNORECASE)


def _locked(name: str):
    """A test hook that runs State.<name> under the emulator's lock."""

    def method(self, *args, **kwargs):
        with self.lock:
            return getattr(self.state, name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"State.{name}, under the emulator's lock."
    return method


def _rule_path(spec_path: str) -> str:
    return "/v2" + spec_path.replace("{id}", "<int:id>").replace("{token}", "<token>")


class TripletexEmulator:
    def __init__(
        self,
        consumer_token: str = DEFAULT_CONSUMER_TOKEN,
        *,
        rate_limit: int = 1000,
        rate_period: float = 10.0,
        refuse_duplicate_vouchers: bool = True,
    ):
        """`refuse_duplicate_vouchers=False` takes a voucher whose external number exists
        already, as an ERP without that guard would (Tripletex answers 409)."""
        self.consumer_token = consumer_token
        self.state = State(consumer_token)
        self.state.refuse_duplicate_vouchers = refuse_duplicate_vouchers
        self.lock = threading.Lock()
        self.rate_limit, self.rate_period = rate_limit, rate_period
        self._windows: dict[str, list] = {}  # key -> [window start, count]
        self._faults: list[dict] = []
        self._holds: list[dict] = []
        self.log: list[dict] = []
        self.url_map = Map(
            [Rule(_rule_path(p), endpoint=(p, h, auth), methods=[m]) for m, p, h, auth in ROUTES]
        )

    # --- WSGI --------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        request = Request(environ)
        self._wait_at_hold(request)  # outside the lock: the others must get in meanwhile
        with self.lock:
            response = self._dispatch(request)
        return response(environ, start_response)

    def _dispatch(self, request: Request) -> Response:
        request_id = uuid.uuid4().hex
        path = _ENCODED.sub(lambda m: {"3e": ">", "3a": ":"}[m.group(1).lower()], request.path)
        record = {"method": request.method, "path": path, "query": request.args.to_dict()}
        record["spec_path"] = None
        fault = self._take_fault(request.method, path, request.query_string.decode())
        key = self._rate_key(request)
        try:
            if fault is not None:
                status, text, extra = fault["status"], fault["text"], fault["headers"]
                return self._finish(record, request_id, status, text, extra, key)
            self._count(key)
            adapter = self.url_map.bind("emulator")
            (spec_path, handler, needs_auth), params = adapter.match(path, method=request.method)
            record["spec_path"] = spec_path
            call = Call(self.state, Renderer(self.state, request.host), request.args, params=params)
            if needs_auth:
                call.company, call.token = self._authenticate(request)
            if request.method in ("POST", "PUT") and request.get_data():
                record["request_text"] = request.get_data(as_text=True)
                call.body = self._body(request)
            status, body = handler(call)
            text = jsonutil.dumps(body) if body is not None else ""
        except ApiFailure as failure:
            status, text = failure.status, jsonutil.dumps(_api_error(failure, request_id))
        except NotFound:
            failure = ApiFailure(404, 6000, "Object not found", f"No endpoint {path}")
            status, text = 404, jsonutil.dumps(_api_error(failure, request_id))
        except MethodNotAllowed:
            failure = ApiFailure(405, 4000, "Method not allowed", f"{request.method} {path}")
            status, text = 405, jsonutil.dumps(_api_error(failure, request_id))
        return self._finish(record, request_id, status, text, {}, key)

    def _finish(self, record, request_id, status, text, extra, key) -> Response:
        count = self._windows.get(key, [0, 0])[1]
        reset = self._seconds_left(key)
        headers = {
            "x-tlx-request-id": request_id,
            "X-Rate-Limit-Limit": str(self.rate_limit),
            "X-Rate-Limit-Remaining": str(max(self.rate_limit - count, 0)),
            "X-Rate-Limit-Reset": str(reset),
            **(extra or {}),
        }
        record.update(status=status, response_text=text, request_id=request_id)
        self.log.append(record)
        if len(self.log) > 20000:  # a long-running demo keeps the recent requests only
            del self.log[:10000]
        mimetype = "application/json" if text else None
        return Response(text, status=status, headers=headers, mimetype=mimetype)

    def _authenticate(self, request: Request) -> tuple[int, dict]:
        auth = request.headers.get("Authorization", "")
        if not auth.lower().startswith("basic "):
            raise ApiFailure(401, 3000, "Mangler autentisering.", "Basic auth required")
        try:
            username, _, password = base64.b64decode(auth[6:]).decode().partition(":")
        except ValueError:
            raise ApiFailure(401, 3000, "Ugyldig autentisering.", "Bad Basic auth") from None
        return self.state.authenticate(username, password)

    def _body(self, request: Request):
        try:
            return jsonutil.loads(request.get_data())
        except ValueError as exc:
            raise ApiFailure(422, 22000, "Ugyldig JSON.", f"Invalid JSON: {exc}") from None

    # --- rate limit: a fixed window per employee token (Tripletex counts per employee) -------

    def _rate_key(self, request: Request) -> str:
        if request.args.get("employeeToken"):
            return "employee:" + request.args["employeeToken"]
        auth = request.authorization
        session = self.state.sessions.get(auth.password) if auth and auth.password else None
        return "employee:" + session["employee_token"] if session else "anonymous"

    def _seconds_left(self, key: str) -> int:
        window = self._windows.get(key)
        if window is None:
            return int(self.rate_period)
        return max(int(window[0] + self.rate_period - time.monotonic()) + 1, 0)

    def _count(self, key: str) -> None:
        now = time.monotonic()
        window = self._windows.get(key)
        if window is None or now - window[0] >= self.rate_period:
            window = self._windows[key] = [now, 0]
        window[1] += 1
        reset = self._seconds_left(key)
        if window[1] > self.rate_limit:
            raise ApiFailure(429, 0, "For mange forespørsler.", f"Rate limit, reset in {reset} s")

    # --- fault injection ---------------------------------------------------------------------

    def fail_next(
        self,
        path_substring: str,
        status: int = 500,
        body: dict | list | None = None,
        raw: str | bytes | None = None,
        headers: dict | None = None,
        method: str | None = None,
    ) -> None:
        """The next request whose path (or path?query) contains `path_substring` answers
        `status` with `body` (JSON), or `raw` as is (for broken JSON), or an ApiError."""
        if raw is not None:
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        elif body is not None:
            text = jsonutil.dumps(body)
        else:
            failure = ApiFailure(status, 1000 if status >= 500 else 0, f"Injected {status}")
            text = jsonutil.dumps(_api_error(failure, "injected"))
        with self.lock:
            self._faults.append(
                {
                    "match": path_substring,
                    "status": status,
                    "text": text,
                    "method": method,
                    "headers": dict(headers or {}),
                }
            )

    def _take_fault(self, method: str, path: str, query: str) -> dict | None:
        for fault in self._faults:
            if fault["method"] and fault["method"] != method:
                continue
            if fault["match"] in path or fault["match"] in f"{path}?{query}":
                self._faults.remove(fault)
                return fault
        return None

    def hold(
        self, path_substring: str, parties: int = 2, *, method: str | None = None, timeout=2.0
    ) -> None:
        """The next `parties` requests whose path contains `path_substring` wait for one another
        (at most `timeout` seconds) before they are served: lines up concurrent calls."""
        with self.lock:
            self._holds.append(
                {
                    "match": path_substring,
                    "method": method,
                    "left": parties,
                    "barrier": threading.Barrier(parties, timeout=timeout),
                }
            )

    def _wait_at_hold(self, request: Request) -> None:
        path = _ENCODED.sub(lambda m: {"3e": ">", "3a": ":"}[m.group(1).lower()], request.path)
        with self.lock:
            hold = next(
                (
                    h
                    for h in self._holds
                    if h["match"] in path and h["method"] in (None, request.method)
                ),
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

    # --- test hooks --------------------------------------------------------------------------

    add_company = _locked("add_company")
    add_employee_token = _locked("add_employee_token")
    grant_login_access = _locked("grant_login_access")
    add_customer = _locked("add_customer")
    add_invoice = _locked("add_invoice")
    add_credit_note = _locked("add_credit_note")
    delete = _locked("delete")  # delete(kind, id, company): e.g. an invoice deleted in the ERP
    update = _locked("update")  # update(kind, id, company, **fields): e.g. a customer renamed

    def add_accountant_token(self, home_company: int, clients, token: str | None = None) -> str:
        """An employee token of an accounting firm with login access to the client companies."""
        with self.lock:
            return self.state.add_employee_token(home_company, token, clients=clients)

    def register_direct_payment(
        self, company_id: int, invoice_id: int, amount: Decimal, date: dt.date, **kw
    ) -> int:
        """Book a payment the creditor got directly, as PUT /invoice/{id}/:payment would."""
        with self.lock:
            return self.state.register_payment(company_id, invoice_id, date, Decimal(amount), **kw)

    def _rendered(self, kind: str, company_id: int, fields: str, keep=lambda o: True):
        with self.lock:
            renderer, spec = Renderer(self.state, "emulator"), parse_fields(fields)
            objs = sorted(self.state.owned(kind, company_id), key=lambda o: o["id"])
            return [renderer.render(Ref(kind, o["id"]), spec) for o in objs if keep(o)]

    def vouchers(self, company_id: int, *, include_invoice_vouchers: bool = False) -> list[dict]:
        """Vouchers posted through the API or by payments (with postings expanded)."""
        with self.lock:
            invoice_vouchers = {i["voucher"].id for i in self.state.owned("invoice", company_id)}
        return self._rendered(
            "voucher",
            company_id,
            "*,postings(*)",
            lambda v: include_invoice_vouchers or v["id"] not in invoice_vouchers,
        )

    def voucher_statuses(self, company_id: int) -> list[dict]:
        return self._rendered("voucherStatus", company_id, "*")

    def invoice(self, company_id: int, invoice_id: int) -> dict:
        found = self._rendered(
            "invoice", company_id, "*,currency(*),postings(*)", lambda i: i["id"] == invoice_id
        )
        if not found:
            raise KeyError(f"no invoice {invoice_id} in company {company_id}")
        return found[0]

    def expire_sessions(self) -> None:
        """Forget every session token: the next call with one answers 401."""
        with self.lock:
            self.state.sessions.clear()

    def requests(self, path_substring: str = "") -> list[dict]:
        with self.lock:
            return [r for r in self.log if path_substring in r["path"]]


def _api_error(failure: ApiFailure, request_id: str) -> dict:
    return {
        "status": failure.status,
        "code": failure.code,
        "message": failure.message,
        "link": "https://tripletex.no/v2-docs/",
        "developerMessage": failure.developer,
        "validationMessages": failure.validation,
        "requestId": request_id,
    }


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class ServerHandle:
    """A running emulator server: `.url` ends in /v2; `.shutdown()` or use it as a context."""

    def __init__(self, server, thread: threading.Thread):
        self.server, self.thread = server, thread
        self.host, self.port = server.host, server.server_port
        self.url = f"http://{self.host}:{self.port}/v2"

    def shutdown(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()


def serve(
    emulator: TripletexEmulator, host: str = "127.0.0.1", port: int = 0, *, quiet: bool = True
) -> ServerHandle:
    handler = _QuietHandler if quiet else WSGIRequestHandler
    server = make_server(host, port, emulator, threaded=True, request_handler=handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="tripletex-emulator"
    )
    thread.daemon = True
    thread.start()
    return ServerHandle(server, thread)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the Tripletex API v2 emulator.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8801)
    parser.add_argument("--demo", action="store_true", help="seed two demo companies")
    parser.add_argument("--consumer-token", default=DEFAULT_CONSUMER_TOKEN)
    parser.add_argument(
        "--allow-duplicate-vouchers",
        action="store_true",
        help="take a voucher whose external number exists already (Tripletex answers 409)",
    )
    args = parser.parse_args(argv)
    emulator = TripletexEmulator(
        args.consumer_token, refuse_duplicate_vouchers=not args.allow_duplicate_vouchers
    )
    seeded = seed_demo(emulator, dt.date.today()) if args.demo else None
    server = serve(emulator, args.host, args.port, quiet=False)
    print(f"Tripletex emulator on {server.url}", flush=True)
    if seeded:
        print(json.dumps(seeded), flush=True)  # ASCII-escaped: safe on any console
    try:
        server.thread.join()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
