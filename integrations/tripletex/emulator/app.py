"""The Tripletex API v2 emulator on the emulator kit: its routes, its auth check, its rendering.

It speaks the real shapes: session tokens and Basic auth "<companyId>:<token>" (accountant
clients included), the list envelope, `fields` expansion, ApiError bodies with x-tlx-request-id
and X-Rate-Limit-* headers on every answer. The server, the store, the faults (`.faults`) and the
contract checks come from `integrations.emulation`. Test hooks are plain methods (add_company,
add_invoice, register_direct_payment, fail_next, ...), not HTTP.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from decimal import Decimal

from werkzeug.wrappers import Request

from integrations.emulation.app import EmulatorApp, Route
from integrations.emulation.faults import RateLimitHeaders
from integrations.tripletex import jsonutil
from integrations.tripletex.casestatus import meanings
from integrations.tripletex.emulator.model import ApiFailure, Ref
from integrations.tripletex.emulator.rendering import Call, Renderer, parse_fields
from integrations.tripletex.emulator.state import State
from integrations.tripletex.emulator.views import ROUTES

DEFAULT_CONSUMER_TOKEN = "test-consumer-autocollect"
_ENCODED = re.compile(r"%(3e|3a)", re.IGNORECASE)
# The internal codes Tripletex gives an HTTP status (TT-OAS, "Error codes").
_CODES = {400: 4000, 401: 3000, 403: 9000, 404: 6000, 405: 4000, 409: 7000, 422: 15000, 429: 0}


def _locked(name: str):
    """A test hook that runs State.<name> under the emulator's lock."""

    def method(self, *args, **kwargs):
        with self.lock:
            return getattr(self.state, name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"State.{name}, under the emulator's lock."
    return method


class TripletexEmulator(EmulatorApp):
    prefix = "/v2"
    request_id_header = "x-tlx-request-id"
    # Tripletex sends X-Rate-Limit-* on every answer; Retry-After on a 429 is UNCONFIRMED
    # (erp-apis.md 1.5), sent here with the same value as X-Rate-Limit-Reset.
    rate_limit_headers = RateLimitHeaders(
        limit="X-Rate-Limit-Limit",
        remaining="X-Rate-Limit-Remaining",
        reset="X-Rate-Limit-Reset",
        retry_after="Retry-After",
        always=True,
    )

    def __init__(
        self,
        consumer_token: str = DEFAULT_CONSUMER_TOKEN,
        *,
        rate_limit: int = 1000,
        rate_period: float = 10.0,
        refuse_duplicate_vouchers: bool = True,
    ):
        """`refuse_duplicate_vouchers=False` (the kit's `faults.allow_duplicates("voucher")`)
        takes a voucher whose external number exists already, as an ERP without that guard
        would (Tripletex answers 409)."""
        super().__init__(rate_limit=rate_limit, rate_period=rate_period)
        self.consumer_token = consumer_token
        self.state = State(consumer_token, self.faults)
        if not refuse_duplicate_vouchers:
            self.faults.allow_duplicates("voucher")

    # --- the kit's hooks -----------------------------------------------------------------

    def routes(self) -> list[Route]:
        return [Route(*route) for route in ROUTES]

    def normalize_path(self, path: str) -> str:
        # Clients (and Tripletex's own example.sh) send >whoAmI and :create URL-encoded.
        return _ENCODED.sub(lambda m: {"3e": ">", "3a": ":"}[m.group(1).lower()], path)

    def handle(self, request: Request, route: Route, params: dict) -> tuple[int, str]:
        call = Call(self.state, Renderer(self.state, request.host), request.args, params=params)
        if route.auth:
            call.company, call.token = self._authenticate(request)
        if request.method in ("POST", "PUT") and request.get_data():
            call.body = self._body(request)
        status, body = route.handler(call)
        return status, self.render(body) if body is not None else ""

    def failure(self, exc: Exception, request_id: str) -> tuple[int, str] | None:
        if isinstance(exc, ApiFailure):
            return exc.status, self.render(_api_error(exc, request_id))
        return None

    def error(self, status: int, message: str, *, request_id: str, detail: str = "") -> str:
        code = _CODES.get(status, 1000 if status >= 500 else 0)
        return self.render(_api_error(ApiFailure(status, code, message, detail), request_id))

    def render(self, body) -> str:
        return fast_dumps(body)

    def expire_credentials(self) -> None:
        with self.lock:
            self.state.sessions.clear()

    def rate_key(self, request: Request) -> str:
        """Tripletex counts per employee (token), whatever the session."""
        if request.args.get("employeeToken"):
            return "employee:" + request.args["employeeToken"]
        auth = request.authorization
        session = self.state.sessions.get(auth.password) if auth and auth.password else None
        return "employee:" + session["employee_token"] if session else "anonymous"

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

    # --- test hooks --------------------------------------------------------------------------

    add_company = _locked("add_company")
    add_employee_token = _locked("add_employee_token")
    grant_login_access = _locked("grant_login_access")
    add_customer = _locked("add_customer")
    add_invoice = _locked("add_invoice")  # add_invoice(..., front=True): lists before the rest
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

    def case_statuses(self, company_id: int, locator: str | None = None) -> list[tuple]:
        """What Tripletex shows of our cases, oldest first, in neutral words: (case number, the
        CaseStatus values its status/message pair can stand for), on the invoice voucher
        `locator` (an invoice's locator) or on every voucher."""
        return [
            (s["referenceNumber"], meanings(s["status"], s["message"]))
            for s in sorted(
                self.voucher_statuses(company_id), key=lambda s: (s["timestamp"], s["id"])
            )
            if locator is None or s["voucher"]["id"] == int(locator)
        ]

    def case_calls(self) -> list[dict]:
        """The requests that read or wrote our case reference and status (voucherStatus)."""
        return self.requests("/voucherStatus")

    def invoice(self, company_id: int, invoice_id: int) -> dict:
        found = self._rendered(
            "invoice", company_id, "*,currency(*),postings(*)", lambda i: i["id"] == invoice_id
        )
        if not found:
            raise KeyError(f"no invoice {invoice_id} in company {company_id}")
        return found[0]

    def expire_sessions(self) -> None:
        """Forget every session token: the next call with one answers 401."""
        self.expire_credentials()


_MARK = "\u0000dec:"
_MARKED = re.compile(r'"\\u0000dec:(-?[0-9]+(?:\.[0-9]+)?)"')


def _marked(value):
    if isinstance(value, Decimal) and value.is_finite():
        return f"{_MARK}{value:f}"
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def fast_dumps(body) -> str:
    """jsonutil.dumps's output (Decimals as JSON numbers), by the C encoder: a Decimal goes out
    as a marked string that one substitution turns back into the number. jsonutil's pure Python
    encoder took most of the time of a page of 1000 invoices. (A string holding the marker
    itself would be changed too; no Tripletex text holds a NUL character.)"""
    text = json.dumps(body, default=_marked, ensure_ascii=False, separators=(",", ":"))
    return _MARKED.sub(r"\1", text)


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
