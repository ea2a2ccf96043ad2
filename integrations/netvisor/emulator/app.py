"""The Netvisor emulator on the kit: the `.nv` resources our client uses, the MAC check, FAILED
envelopes (inside a 200, or with an HTTP status when the request asks for one).

Auth, as Netvisor checks it: a known partner and API user, a company the user reaches
(X-Netvisor-Organisation-ID), a timestamp within five minutes of the server's clock, a MAC that
matches the final URL and headers (HMACSHA256 or SHA256), and a transaction id never seen before
(REQUEST_NOT_UNIQUE). Requests to one company that overlap are counted (`overlaps`): Netvisor
asks for one at a time.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from decimal import Decimal

from werkzeug.wrappers import Request

from integrations.emulation.app import EmulatorApp, Route
from integrations.emulation.store import NotFound
from integrations.netvisor import xmlcodec
from integrations.netvisor.auth import NetvisorKeys, plain_mac
from integrations.netvisor.auth import mac as hmac_mac
from integrations.netvisor.emulator.state import STATUSES, Failure, State, response_status
from integrations.netvisor.emulator.store import StorePages

e = xmlcodec.element
H = "X-Netvisor-Authentication-"
# Which HTTP status goes with which category is UNCONFIRMED (erp-apis.md 3.5): our choice.
HTTP_STATUS = {
    "AUTHENTICATION_FAILED": 401,
    "SERVICE_ACCESS_ERROR": 403,
    "INVALID_DATA": 400,
    "INVALID_DATA_SIZE": 400,
    "PERIOD_LOCK": 400,
    "DUPLICATE_DATA": 409,
    "REQUEST_NOT_UNIQUE": 409,
    "SYSTEM_MAINTANANCE": 503,
    "TECHNICAL_ERROR": 500,
}
CLOCK_SKEW = dt.timedelta(minutes=5)


class NetvisorEmulator(EmulatorApp):
    mimetype = "text/xml"

    def __init__(self, *, page_size: int = 500, clock=None):
        super().__init__()
        self.state = State()
        self.page_size = page_size
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.transactions: set[str] = set()
        self._active: Counter = Counter()
        self._active_lock = threading.Lock()
        self.overlaps = 0
        self.last_body = b""
        self.store_pages = StorePages(self)  # the Store's pages, outside the API (store.py)

    def store_configure(self, *, handoff_url: str, secret: str, integration_user: str) -> None:
        """Where the Store sends the browser, the secret it signs with, and our integration
        user it grants the company to."""
        pages = self.store_pages
        pages.handoff_url, pages.secret, pages.integration_user = (
            handoff_url,
            secret,
            integration_user,
        )

    def store_url(self, user: str) -> str:
        """The Store's front page for a Netvisor user (needs `url`: while served)."""
        return f"{self.url}/store?user={user}"

    # --- the kit's hooks ----------------------------------------------------------------------

    def routes(self) -> list[Route]:
        get, post = "GET", "POST"
        return [
            Route(get, "/salesinvoicelist.nv", self.sales_invoice_list),
            Route(get, "/getsalesinvoice.nv", self.get_sales_invoice),
            Route(get, "/getcompanyinformation.nv", self.company_information),
            Route(get, "/companylist.nv", self.company_list),
            Route(get, "/salespaymentlist.nv", self.sales_payment_list),
            Route(post, "/updatesalesinvoicestatus.nv", self.update_status),
            Route(post, "/salesinvoicecomment.nv", self.comment),
            Route(post, "/accounting.nv", self.accounting),
            Route(get, "/accountinglist.nv", self.accounting_list),
            Route(get, "/collectiontransferlist.nv", self.transfer_list),
            Route(post, "/collectiontransferlist.nv", self.transfer_acknowledge),
        ]

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/store" or path.startswith("/store/"):
            return self.store_pages(Request(environ))(environ, start_response)
        org = environ.get("HTTP_X_NETVISOR_ORGANISATION_ID", "")
        with self._active_lock:
            self._active[org] += 1
            if self._active[org] > 1:
                self.overlaps += 1
        try:
            return super().__call__(environ, start_response)
        finally:
            with self._active_lock:
                self._active[org] -= 1

    def handle(self, request: Request, route: Route, params: dict) -> tuple[int, str]:
        org = self._authenticate(request)
        if request.method == "POST":
            self.last_body = request.get_data()
        root = route.handler(request, org)
        body = e("Root", children=[response_status(self.clock()), *root])
        return 200, xmlcodec.document(body).decode("utf-8")

    def failure(self, exc: Exception, request_id: str):
        if isinstance(exc, NotFound):
            exc = Failure("INVALID_DATA", str(exc))
        if not isinstance(exc, Failure):
            return None
        return self._status_for(exc.category), self.failed_text(exc.category, exc.message)

    def error(self, status: int, message: str, *, request_id: str, detail: str = "") -> str:
        category = "SYSTEM_MAINTANANCE" if status == 503 else "TECHNICAL_ERROR"
        if status == 404:
            category = "INVALID_DATA"
        return self.failed_text(category, f"{message} {detail}".strip())

    def render(self, body) -> str:
        return body if isinstance(body, str) else xmlcodec.document(body).decode("utf-8")

    def failed_text(self, category: str, message: str) -> str:
        status = response_status(self.clock(), Failure(category, message))
        return xmlcodec.document(e("Root", children=[status])).decode("utf-8")

    def _status_for(self, category: str) -> int:
        wants = getattr(self, "_wants_status_codes", True)
        return HTTP_STATUS.get(category, 500) if wants else 200

    # --- test hooks -------------------------------------------------------------------------

    def fail_with(
        self,
        path_substring: str,
        category: str,
        message: str = "injected",
        *,
        http_status: bool = False,
        method: str | None = None,
        times: int = 1,
    ):
        """The next matching request answers a FAILED envelope of `category`: inside a 200,
        or with the category's HTTP status."""
        status = HTTP_STATUS.get(category, 500) if http_status else 200
        self.faults.answer(
            path_substring,
            status,
            self.failed_text(category, message),
            method=method,
            times=times,
        )

    # --- auth -------------------------------------------------------------------------------

    def _authenticate(self, request: Request) -> str:
        h = request.headers
        self._wants_status_codes = h.get(H + "UseHTTPResponseStatusCodes") == "1"
        partner_key = self.state.partners.get(h.get(H + "PartnerId", ""))
        user = self.state.users.get(h.get(H + "CustomerId", ""))
        if partner_key is None:
            raise Failure("AUTHENTICATION_FAILED", "Integraatiokumppania ei löydy")
        if user is None:
            raise Failure("AUTHENTICATION_FAILED", "Käyttäjää ei löydy")
        org = h.get("X-Netvisor-Organisation-ID", "")
        timestamp = h.get(H + "Timestamp", "")
        try:
            moment = dt.datetime.strptime(timestamp, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=dt.UTC)
        except ValueError:
            raise Failure("AUTHENTICATION_FAILED", "Aikaleima virheellinen") from None
        if abs(self.clock() - moment) > CLOCK_SKEW:
            raise Failure("AUTHENTICATION_FAILED", "Aikaleima ei ole voimassa")
        language = h.get("X-Netvisor-Interface-Language", "")
        keys = NetvisorKeys(
            sender=h.get(H + "Sender", ""),
            customer_id=h.get(H + "CustomerId", ""),
            customer_key=user["key"],
            partner_id=h.get(H + "PartnerId", ""),
            partner_key=partner_key,
            organisation_id=org,
            language=language.upper() if language.upper() in ("EN", "FI", "SE") else "EN",
        )
        url = _final_url(request)
        transaction = h.get(H + "TransactionId", "")
        algorithm = h.get(H + "MACHashCalculationAlgorithm", "SHA256").upper()
        if algorithm == "HMACSHA256":
            unix = h.get(H + "TimestampUnix", "")
            if not unix.isdigit() or abs(int(unix) - int(moment.timestamp())) > 1:
                raise Failure("AUTHENTICATION_FAILED", "TimestampUnix ei vastaa aikaleimaa")
            expected = hmac_mac(_keyed(keys, language), url, timestamp, transaction, int(unix))
        elif algorithm == "SHA256":
            expected = plain_mac(_keyed(keys, language), url, timestamp, transaction, "SHA256")
        else:
            raise Failure("AUTHENTICATION_FAILED", f"Algoritmi {algorithm} ei ole tuettu")
        if h.get(H + "MAC", "").lower() != expected:
            raise Failure("AUTHENTICATION_FAILED", "MAC ei täsmää")
        if not transaction or transaction in self.transactions:
            raise Failure("REQUEST_NOT_UNIQUE", "Tapahtumatunniste on jo käytetty")
        self.transactions.add(transaction)
        if org not in user["orgs"] or org not in self.state.companies:
            raise Failure("AUTHENTICATION_FAILED", f"Ei oikeutta yritykseen {org}")
        return org

    # --- resources ----------------------------------------------------------------------------

    def sales_invoice_list(self, request, org):
        args = request.args
        above = int(args.get("invoicesabovenetvisorkey") or 0)
        wanted = (args.get("invoicestatus") or "").lower()
        number = args.get("invoicenumber")
        rows = sorted(self.state.store.all("invoice", org), key=lambda i: i["id"])
        rows = [
            i
            for i in rows
            if i["id"] > above
            and (not wanted or wanted in (i["status"], self.state.substatus(i)))
            and (number is None or i["number"] == number)
        ][: self.page_size]
        host = request.host
        return [e("SalesInvoiceList", children=[self.state.invoice_row(i, host) for i in rows])]

    def get_sales_invoice(self, request, org):
        try:
            invoice = self.state.invoice(org, int(request.args.get("netvisorkey", "0")))
        except (NotFound, ValueError):
            return [e("SalesInvoice")]  # as Netvisor: OK with an empty invoice
        return [self.state.invoice_detail(invoice)]

    def company_information(self, request, org):
        wanted = request.args.get("id") or org
        if wanted not in self.state.companies:
            raise Failure("INVALID_DATA", f"Yritystä {wanted} ei löydy")
        return [self.state.company_info(wanted)]

    def company_list(self, request, org):
        user = self.state.users[request.headers.get(H + "CustomerId")]
        companies = [
            e(
                "Company",
                children=[
                    e("Id", i + 1),
                    e("IsActive", 1),
                    e("Name", self.state.companies[o]["name"]),
                    e("FinnishOrganizationIdentifier", o),
                ],
            )
            for i, o in enumerate(user["orgs"])
            if o in self.state.companies
        ]
        return [e("CompanyList", children=[e("IsMore", 0), *companies])]

    def sales_payment_list(self, request, org):
        key = request.args.get("invoicenetvisorkey")
        rows = [
            p
            for p in self.state.store.all("payment", org)
            if key is None or str(p["invoice"]) == key
        ]
        return [e("SalesPaymentList", children=[self.state.payment_row(p) for p in rows])]

    def update_status(self, request, org):
        status = (request.args.get("status") or "").lower()
        if status not in STATUSES:
            raise Failure("INVALID_DATA", f"Tuntematon tila {status}")
        invoice = self.state.invoice(org, int(request.args.get("netvisorkey", "0")))
        invoice["status"] = status
        invoice["history"].append((self.state.today, "Status", f"Tila: {status}"))
        return []

    def comment(self, request, org):
        root = _body(request)
        for c in root.iter("salesinvoicecomment"):
            text = xmlcodec.text(c, "comment")
            if len(text) > 500:
                raise Failure("INVALID_DATA_SIZE", "Kommentti on liian pitkä")
            invoice = self.state.invoice(org, int(xmlcodec.text(c, "invoicenetvisorkey") or 0))
            invoice["history"].append((self.state.today, "Comment", text))
        return []

    def accounting(self, request, org):
        voucher = _body(request).find("voucher")
        if voucher is None or not xmlcodec.text(voucher, "voucherclass"):
            raise Failure("INVALID_DATA", "voucherclass puuttuu")
        lines = [
            {
                "sum": xmlcodec.decimal(xmlcodec.text(line, "linesum")),
                "description": xmlcodec.text(line, "description"),
                "account": int(xmlcodec.text(line, "accountnumber") or 0),
            }
            for line in voucher.findall("voucherline")
        ]
        if sum((line["sum"] for line in lines), Decimal(0)) != 0:
            raise Failure("INVALID_DATA", "Tosite ei täsmää")
        description = xmlcodec.text(voucher, "description")
        existing = self.state.store.all("voucher", org)
        if self.faults.refuses_duplicates("voucher") and any(
            v["description"] == description for v in existing
        ):
            raise Failure("DUPLICATE_DATA", "Tosite on jo olemassa")
        record = self.state.store.add(
            "voucher",
            {
                "_tenant": org,
                "date": xmlcodec.date(xmlcodec.text(voucher, "voucherdate")),
                "number": len(existing) + 1,
                "description": description,
                "voucher_class": xmlcodec.text(voucher, "voucherclass"),
                "lines": lines,
            },
        )
        return [e("Replies", children=[e("InsertedDataIdentifier", record["id"])])]

    def accounting_list(self, request, org):
        start = xmlcodec.date(request.args.get("startdate") or "2000-01-01")
        end = xmlcodec.date(request.args.get("enddate") or "2100-01-01")
        rows = [v for v in self.state.store.all("voucher", org) if start <= v["date"] <= end]
        return [e("Vouchers", children=[self.state.voucher_row(v) for v in rows])]

    def transfer_list(self, request, org):
        rows = [t for t in self.state.store.all("transfer", org) if not t["acknowledged"]]
        return [e("CollectionTransferList", children=[self.state.transfer_row(t) for t in rows])]

    def transfer_acknowledge(self, request, org):
        key = request.args.get("acknowledge", "")
        self.state.store.get("transfer", int(key) if key.isdigit() else 0, org)["acknowledged"] = (
            True
        )
        return []


def _keyed(keys: NetvisorKeys, language: str) -> NetvisorKeys:
    """The language as the request sent it (Netvisor takes any case; the MAC is over what was
    sent)."""
    if language == keys.language:
        return keys
    return _RawLanguageKeys(keys, language)


class _RawLanguageKeys:
    def __init__(self, keys: NetvisorKeys, language: str):
        self.__dict__.update(keys.__dict__)
        self.language = language


def _final_url(request: Request) -> str:
    raw = request.environ.get("REQUEST_URI") or request.environ.get("RAW_URI")
    if not raw:
        query = request.query_string.decode()
        raw = request.path + (f"?{query}" if query else "")
    return f"{request.scheme}://{request.host}{raw}"


def _body(request: Request):
    """The body in the charset its Content-Type names (ISO-8859-15 from our client; a body
    starts with <root>, without a declaration)."""
    raw = request.get_data()
    charset = request.mimetype_params.get("charset", "utf-8")
    try:
        return xmlcodec.parse(raw.decode(charset))
    except (LookupError, UnicodeDecodeError) as exc:
        raise Failure("INVALID_DATA", f"body is not {charset}: {exc}") from None
    except xmlcodec.XmlError as exc:
        raise Failure("INVALID_DATA", str(exc)) from None
