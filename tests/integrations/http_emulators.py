"""Two tiny ERPs built with the emulator kit, for the HTTP base's tests over real HTTP.

- `Ledger` (Visma.net-like): OAuth2 client credentials with expiring tokens, Visma-style
  rate-limit headers, items read by page number and written by POST.
- `Nv` (Netvisor-like): every request signed with the MAC over its final URL and a transaction
  id used once, XML answers with `<Status>FAILED</Status>` in a 200, "above key" paging.
"""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs

from integrations.emulation import EmulatorApp, RateLimitHeaders, Route
from integrations.emulation.store import number_page
from integrations.errors import ErpError
from integrations.http import ErpHttpClient, OAuth2ClientCredentials, RetryPolicy
from integrations.netvisor.auth import NetvisorKeys, mac
from integrations.netvisor.envelope import envelope_error


class Refused(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class Ledger(EmulatorApp):
    prefix = "/v1"
    rate_limit_headers = RateLimitHeaders(
        "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"
    )

    def __init__(self, *, expires_in: int = 3600, items: int = 7):
        super().__init__()
        self.expires_in = expires_in
        self.tokens: dict[str, float] = {}  # token -> when it expires (monotonic)
        self.items = [{"id": n, "name": f"item {n}"} for n in range(1, items + 1)]

    def routes(self):
        return [
            Route("POST", "/connect/token", self.token, auth=False),
            Route("GET", "/items", self.list_items),
            Route("POST", "/items", self.create_item),
        ]

    def handle(self, request, route, params):
        if route.auth:
            token = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if self.tokens.get(token, 0) <= time.monotonic():
                raise Refused(401, "token expired or unknown")
        status, body = route.handler(request, **params)
        return status, json.dumps(body)

    def failure(self, exc, request_id):
        if isinstance(exc, Refused):
            return exc.status, self.error(exc.status, str(exc), request_id=request_id)
        return None

    def error(self, status, message, *, request_id, detail=""):
        return json.dumps({"message": message})

    def expire_credentials(self):
        self.tokens.clear()

    def token(self, request):
        form = request.form
        if (form.get("grant_type"), form.get("client_id"), form.get("client_secret")) != (
            "client_credentials",
            "client",
            "secret",
        ):
            raise Refused(401, "invalid_client")
        token = f"t-{len(self.requests('/connect/token'))}"
        self.tokens[token] = time.monotonic() + self.expires_in
        return 200, {"access_token": token, "expires_in": self.expires_in, "token_type": "Bearer"}

    def list_items(self, request):
        number, size = int(request.args["pageNumber"]), int(request.args["pageSize"])
        return 200, number_page(self.items, number, size)

    def create_item(self, request):
        item = {"id": len(self.items) + 1, **json.loads(request.get_data())}
        self.items.append(item)
        return 201, item


def ledger_client(erp: Ledger, *, tenant="tenant-1", secret="secret", **kw) -> ErpHttpClient:
    auth = OAuth2ClientCredentials(
        erp.url + "/connect/token",
        "client",
        secret,
        scope="items:read items:write",
        extra={"tenant_id": tenant},
    )
    kw.setdefault("retry", RetryPolicy(backoff=0.05, max_wait=5))
    return ErpHttpClient(erp.url, auth=auth, tenant=tenant, **kw)


# --- Nv ---------------------------------------------------------------------------------------

KEYS = NetvisorKeys(
    sender="AutoCollect",
    customer_id="api-user",
    customer_key="customer-key",
    partner_id="ac_partner",
    partner_key="partner-key",
    organisation_id="1967543-8",
)
MAC_HEADER = "X-Netvisor-Authentication-MAC"


class Nv(EmulatorApp):
    mimetype = "text/xml"
    page_size = 3

    def __init__(self, *, keys: NetvisorKeys = KEYS, invoices: int = 8):
        super().__init__()
        self.keys = keys
        self.transactions: set[str] = set()
        self.invoices = [
            {"NetvisorKey": n, "InvoiceNumber": 100 + n} for n in range(1, invoices + 1)
        ]

    def routes(self):
        return [Route("GET", "/salesinvoicelist.nv", self.invoice_list)]

    def handle(self, request, route, params):
        h = request.headers
        transaction = h.get("X-Netvisor-Authentication-TransactionId", "")
        expected = mac(
            self.keys,
            request.url,  # the URL as it arrived, query string included
            h.get("X-Netvisor-Authentication-Timestamp", ""),
            transaction,
            int(h.get("X-Netvisor-Authentication-TimestampUnix", "0")),
        )
        if h.get(MAC_HEADER) != expected:
            return 200, failed("AUTHENTICATION_FAILED", "MAC does not match")
        if transaction in self.transactions:
            return 200, failed("REQUEST_NOT_UNIQUE", "transaction id used before")
        self.transactions.add(transaction)
        return route.handler(request, **params)

    def error(self, status, message, *, request_id, detail=""):
        return failed("TECHNICAL_ERROR", message)

    def invoice_list(self, request):
        above = int(request.args.get("invoicesabovenetvisorkey", 0))
        rows = [i for i in self.invoices if i["NetvisorKey"] > above][: self.page_size]
        body = "".join(
            f"<SalesInvoice><NetvisorKey>{r['NetvisorKey']}</NetvisorKey>"
            f"<InvoiceNumber>{r['InvoiceNumber']}</InvoiceNumber></SalesInvoice>"
            for r in rows
        )
        return 200, f"<Root>{OK}<SalesInvoiceList>{body}</SalesInvoiceList></Root>"


OK = "<ResponseStatus><Status>OK</Status><TimeStamp>1.10.2026 16:03:24</TimeStamp></ResponseStatus>"


def failed(category: str, message: str) -> str:
    return (
        f"<Root><ResponseStatus><Status>FAILED</Status><Status>{category} :: {message}</Status>"
        "<TimeStamp>7.4.2026 13:46:07</TimeStamp></ResponseStatus></Root>"
    )


class NvClient(ErpHttpClient):
    erp_name = "netvisor"

    def body_error(self, response, method, path) -> ErpError | None:
        return envelope_error(response.text, f"{method} {path}", response.status_code)

    def decode(self, response):
        return ET.fromstring(response.text)


def invoice_rows(root) -> list[dict]:
    return [
        {
            "NetvisorKey": int(e.findtext("NetvisorKey")),
            "InvoiceNumber": e.findtext("InvoiceNumber"),
        }
        for e in root.iter("SalesInvoice")
    ]


def form_of(record: dict) -> dict:
    return {k: v[0] for k, v in parse_qs(record.get("request_text", "")).items()}
