"""The Visma.net ERP emulator on the emulator kit: Visma Connect's token endpoint and the
Financials API's routes, in the real shapes (VN-OAS): bare JSON arrays with metadata.totalCount,
mandatory pageNumber/pageSize, date conditions, ETag / If-Match / 412 on the invoice PUT,
`{"value": ...}` update DTOs, 201 with Location, X-RateLimit-* headers and Retry-After on 429,
and ON-IT's error body. A token for a customer tenant is issued but refused by every call.

Test hooks are plain methods (add_company, add_invoice, direct_payment, credit_note, invoice,
journal_transactions, ...) under the emulator's lock.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from urllib.parse import urlencode

from werkzeug.wrappers import Request

from integrations.emulation.app import EmulatorApp, Route
from integrations.emulation.faults import RateLimitHeaders
from integrations.visma.emulator.hooks import VismaTestHooks
from integrations.visma.emulator.shapes import (
    address_dto,
    customer_dto,
    etag,
    invoice_dto,
    journal_dto,
    json_body,
    json_default,
    payment_dto,
)
from integrations.visma.emulator.state import Refused, State, money, value

MAX_PAGE_SIZE = 1000
CONDITIONS = {
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "=": lambda a, b: a == b,
}


class VismaEmulator(VismaTestHooks, EmulatorApp):
    prefix = ""
    request_id_header = "X-Request-Id"
    rate_limit_headers = RateLimitHeaders(
        limit="X-RateLimit-Limit",
        remaining="X-RateLimit-Remaining",
        reset="X-RateLimit-Reset",
        retry_after="Retry-After",
        always=True,
    )

    def __init__(self, *, expires_in: int = 3600, rate_limit: int = 10000, rate_period=60.0):
        super().__init__(rate_limit=rate_limit, rate_period=rate_period)
        self.state = State(expires_in=expires_in)
        self._lists: dict[tuple, tuple[int, list]] = {}  # list query -> (generation, rows)

    # --- the kit's hooks -----------------------------------------------------------------

    def routes(self) -> list[Route]:
        return [
            Route("POST", "/connect/token", self.token, auth=False),
            Route("GET", "/connect/authorize", self.authorize, auth=False),
            Route("GET", "/connect/userinfo", self.userinfo, auth=False),
            Route("GET", "/v1/companysettings", self.company_settings),
            Route("GET", "/v1/customerinvoice", self.list_invoices),
            Route("GET", "/v1/customerinvoice/{invoiceNumber}", self.get_invoice),
            Route("PUT", "/v1/customerinvoice/{invoiceNumber}", self.put_invoice),
            Route("GET", "/v1/customer", self.list_customers),
            Route("GET", "/v1/customer/customerClass", self.customer_classes),
            Route("GET", "/v1/customer/{customerCd}", self.get_customer),
            Route("GET", "/v1/customerCreditNote", self.list_credit_notes),
            Route("GET", "/v1/customerpayment", self.list_payments),
            Route("POST", "/v1/customerpayment", self.create_payment),
            Route(
                "POST", "/v1/customerpayment/{paymentNumber}/action/release", self.release_payment
            ),
            Route("GET", "/v1/journaltransaction", self.list_journal),
            Route("GET", "/v1/journaltransaction/{batchNumber}", self.get_journal),
            Route("POST", "/v2/journaltransaction", self.create_journal),
            Route(
                "POST", "/v2/journaltransaction/{batchNumber}/action/release", self.release_journal
            ),
        ]

    def handle(self, request: Request, route: Route, params: dict) -> tuple[int, str]:
        company = None
        if route.auth:
            auth = request.headers.get("Authorization", "")
            if not auth.startswith("Bearer "):
                raise Refused(401, "Authorization has been denied for this request.")
            company, _ = self.state.company_for(auth[7:])
        answer = route.handler(request, company, **params)
        status, body = answer[0], answer[1]
        headers = answer[2] if len(answer) > 2 else {}
        request.environ["emulator.headers"] = headers
        return status, ("" if body is None else self.render(body))

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            extra = environ.get("emulator.headers") or {}
            return start_response(status, headers + list(extra.items()), exc_info)

        return super().__call__(environ, start)

    def failure(self, exc: Exception, request_id: str):
        if isinstance(exc, Refused):
            if exc.kind == "oauth":  # Visma Connect answers as an OAuth2 server
                return exc.status, json.dumps({"error": exc.message})
            return exc.status, self.error(
                exc.status, exc.message, request_id=request_id, kind=exc.kind
            )
        return None

    def error(self, status: int, message: str, *, request_id: str, detail="", kind="") -> str:
        """ON-IT's VismaNetExceptionDetails fields, with `message` as the API sends it."""
        kinds = {
            400: "ValidationException",
            401: "UnauthorizedAccessException",
            404: "NotFoundException",
            412: "PreconditionFailedException",
            429: "TooManyRequestsException",
        }
        return json.dumps(
            {
                "message": message,
                "ExceptionType": kind or kinds.get(status, "InternalServerErrorException"),
                "ExceptionMessage": message,
                "ExceptionMessageID": request_id,
                "ExceptionFaultCode": str(uuid.uuid5(uuid.NAMESPACE_URL, message))[:8],
                "ExceptionDetails": detail,
            }
        )

    def render(self, body) -> str:
        return json.dumps(body, default=json_default, ensure_ascii=False, separators=(",", ":"))

    def expire_credentials(self) -> None:
        self.state.tokens.clear()

    def rate_key(self, request: Request) -> str:
        auth = request.headers.get("Authorization", "")
        found = self.state.tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        return f"{found['client']}:{found['tenant']}" if found else "anonymous"

    # --- Visma Connect -------------------------------------------------------------------

    def token(self, request, company):
        return 200, self.state.issue_token(request.form.to_dict())

    def authorize(self, request, company):
        """The sign-in page, played: the user named by `login_hint` (or the only one) is signed
        in and sent back to the redirect URI with a code and the state."""
        hint = request.args.get("login_hint") or next(iter(self.state.users), "")
        code = self.state.authorize(request.args.to_dict(), hint)
        query = urlencode({"code": code, "state": request.args.get("state", "")})
        separator = "&" if "?" in request.args["redirect_uri"] else "?"
        return 302, None, {"Location": f"{request.args['redirect_uri']}{separator}{query}"}

    def userinfo(self, request, company):
        auth = request.headers.get("Authorization", "")
        return 200, self.state.userinfo(auth[7:] if auth.startswith("Bearer ") else "")

    # --- helpers -------------------------------------------------------------------------

    def _page(self, request, rows: list) -> list:
        """pageNumber/pageSize are mandatory; a size over the maximum is capped; every DTO
        carries the list's metadata."""
        try:
            number = int(request.args["pageNumber"])
            size = int(request.args["pageSize"])
        except (KeyError, ValueError):
            raise Refused(
                400, "It is mandatory to use the parameters pageSize and pageNumber"
            ) from None
        if number < 1 or size < 1:
            raise Refused(400, "pageNumber and pageSize must be positive")
        size = min(size, MAX_PAGE_SIZE)
        page = rows[(number - 1) * size : number * size]
        meta = {"totalCount": len(rows), "maxPageSize": MAX_PAGE_SIZE}
        return [{**row, "metadata": meta} for row in page]

    def _dated(self, request, name: str, rows: list, key) -> list:
        wanted = request.args.get(name)
        if not wanted:
            return rows
        condition = request.args.get(f"{name}Condition", "=")
        test = CONDITIONS.get(condition)
        try:
            day = dt.datetime.fromisoformat(wanted.replace(" ", "T"))
        except ValueError:
            raise Refused(400, f"Invalid value '{wanted}' for {name}") from None
        if test is None:
            raise Refused(400, f"Invalid condition '{condition}' for {name}")
        return [r for r in rows if test(key(r), day)]

    # --- company, customers --------------------------------------------------------------

    def company_settings(self, request, company):
        return 200, {
            "name": company.name,
            "corporateId": company.corporate_id,
            "defaultCurrency": company.currency,
            "email": company.email,
            "phone": company.phone,
            "address": address_dto(company.address),
        }

    def list_customers(self, request, company):
        rows = list(company.customers.values())
        if request.args.get("corporateId"):
            rows = [c for c in rows if c["corporateId"] == request.args["corporateId"]]
        return 200, self._page(request, [customer_dto(company, c) for c in rows])

    def get_customer(self, request, company, customerCd):
        found = company.customers.get(customerCd)
        if found is None:
            raise Refused(404, f"Customer with number {customerCd} not found")
        return 200, customer_dto(company, found)

    def customer_classes(self, request, company):
        return 200, [{"id": k, "description": d} for k, d in company.classes.items()]

    # --- invoices and credit notes ---------------------------------------------------------

    def _documents(self, request, company, kind: str) -> list:
        query = tuple(
            sorted((k, v) for k, v in request.args.items() if k not in ("pageNumber", "pageSize"))
        )
        key = (company.tenant_id, kind, query)
        cached = self._lists.get(key)
        if cached is None or cached[0] != self.state.generation:
            rows = [i for i in company.invoices.values() if i["documentType"] == kind]
            if request.args.get("status"):
                rows = [i for i in rows if i["status"] == request.args["status"]]
            if request.args.get("customer"):
                rows = [i for i in rows if i["customer"] == request.args["customer"]]
            rows = self._dated(
                request,
                "documentDueDate",
                rows,
                lambda i: dt.datetime.combine(i["documentDueDate"], dt.time()),
            )
            cached = self._lists[key] = (self.state.generation, rows)
        expand = request.args.get("expandApplications", "").lower() == "true"
        # Paged first, rendered after: a page of a long list costs its own rows only.
        page = self._page(request, cached[1])
        return [{**invoice_dto(company, i, expand), "metadata": i["metadata"]} for i in page]

    def list_invoices(self, request, company):
        return 200, self._documents(request, company, "Invoice")

    def list_credit_notes(self, request, company):
        return 200, self._documents(request, company, "CreditNote")

    def get_invoice(self, request, company, invoiceNumber):
        record = self.state.invoice(company, invoiceNumber)
        expand = request.args.get("expandApplications", "").lower() == "true"
        return 200, invoice_dto(company, record, expand), {"ETag": etag(record)}

    def put_invoice(self, request, company, invoiceNumber):
        record = self.state.invoice(company, invoiceNumber)
        wanted = request.headers.get("If-Match")
        if wanted and wanted.strip().strip('"') != record["timeStamp"]:
            raise Refused(412, "Customer invoice version does not match with If-Match header")
        body = json_body(request)
        fields = {
            "debtCollectionCaseNbr": "caseNumber",
            "debtCollectionCaseStatus": "caseStatus",
            "debtCollectionCaseType": "caseType",
            "debtCollectionCaseUrl": "caseUrl",
        }
        for name, key in fields.items():
            if name in body:
                record["debtCollection"][key] = value(body[name])
        if "excludeDebtCollection" in body:
            record["excludeDebtCollection"] = bool(value(body["excludeDebtCollection"]))
        for name in ("invoiceText", "note", "externalReference"):
            if name in body:
                record[name] = value(body[name])
        self.state.stamp(record)
        return 204, None, {"ETag": etag(record)}

    # --- payments ---------------------------------------------------------------------------

    def list_payments(self, request, company):
        rows = list(company.payments.values())
        ref = request.args.get("invoiceRefNbr")
        if ref:
            rows = [p for p in rows if any(x["refNbr"] == ref for x in p["paymentLines"])]
        return 200, self._page(request, [payment_dto(company, p) for p in rows])

    def create_payment(self, request, company):
        body = json_body(request)
        lines = []
        for line in body.get("paymentLines") or []:
            lines.append(
                {
                    "documentType": value(line.get("documentType")) or "Invoice",
                    "refNbr": str(value(line.get("refNbr")) or ""),
                    "amountPaid": money(value(line.get("amountPaid")) or 0),
                }
            )
        for line in lines:
            self.state.invoice(company, line["refNbr"])
        date = dt.date.fromisoformat(str(value(body.get("applicationDate")) or "")[:10])
        number = self.state.next_number(company, "payment", 500001)
        company.payments[number] = {
            "type": value(body.get("type")) or "Payment",
            "refNbr": number,
            "status": "Balanced",
            "hold": bool(value(body.get("hold"))),
            "applicationDate": date,
            "paymentRef": value(body.get("paymentRef")) or "",
            "customer": value(body.get("customer")),
            "currency": value(body.get("currency")) or company.currency,
            "paymentAmount": money(value(body.get("paymentAmount")) or 0),
            "paymentLines": lines,
            "_released": False,
        }
        location = f"{request.host_url.rstrip('/')}/v1/customerpayment/{number}"
        return 201, None, {"Location": location}

    def release_payment(self, request, company, paymentNumber):
        self.state.release_payment(company, paymentNumber)
        return 204, None

    # --- journal transactions -------------------------------------------------------------

    def create_journal(self, request, company):
        number = self.state.post_journal(company, json_body(request))
        location = f"{request.host_url.rstrip('/')}/v2/journaltransaction/{number}"
        return 201, None, {"Location": location}

    def release_journal(self, request, company, batchNumber):
        self.state.release_journal(company, batchNumber)
        return 204, None

    def list_journal(self, request, company):
        rows = self._dated(
            request,
            "createdDateTime",
            list(company.journal.values()),
            lambda j: j["_created"].replace(tzinfo=None),
        )
        return 200, self._page(request, [journal_dto(j) for j in rows])

    def get_journal(self, request, company, batchNumber):
        found = company.journal.get(batchNumber)
        if found is None:
            raise Refused(404, f"Journal transaction {batchNumber} not found")
        return 200, journal_dto(found)
