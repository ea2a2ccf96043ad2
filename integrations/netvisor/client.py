"""HTTP client for Netvisor's XML API (`.nv` resources), on the shared HTTP base.

- Every request is signed anew (integrations.netvisor.auth: the MAC over the final URL with its
  query string, a fresh timestamp and transaction id per try), for the company the connection's
  organisation id names: one user key, many companies.
- One request at a time per company ("send one message at a time and wait for a response ...
  overlapping messages to the same customer environment cause different errors", support article
  77000500440), with the long read timeout the same article asks for (120 s).
- Answers are XML (integrations.netvisor.xmlcodec); a FAILED envelope, inside a 200 or with an
  HTTP error status, becomes the typed error of its category (integrations.netvisor.envelope).
- Lists page "above key": `invoicesabovenetvisorkey=<last NetvisorKey>`, 500 rows a page.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import requests
from lxml import etree

from integrations.errors import ErpError, ErpMalformedResponse, ErpNotFound
from integrations.http import ContinuationPaging, ErpHttpClient, RetryPolicy, SignedHeaderAuth
from integrations.netvisor import envelope, xmlcodec
from integrations.netvisor.auth import NetvisorKeys, NetvisorSigner
from integrations.netvisor.connection import PAGE_SIZE

TIMEOUT = (10, 120)  # connect, read: "at least 120 000 ms" (article 77000500440)
_locks: dict[tuple, threading.Lock] = {}
_locks_guard = threading.Lock()


def company_lock(base_url: str, organisation_id: str) -> threading.Lock:
    """The process's lock for one Netvisor company: its calls go one at a time."""
    key = (base_url.rstrip("/"), organisation_id)
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


class NetvisorClient(ErpHttpClient):
    erp_name = "netvisor"
    retry = RetryPolicy(attempts=3, max_wait=60)

    def __init__(
        self,
        base_url: str,
        keys: NetvisorKeys,
        *,
        timeout=TIMEOUT,
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
        page_size: int = PAGE_SIZE,
        algorithm: str = "HMACSHA256",
        signer: NetvisorSigner | None = None,
    ):
        self.keys = keys
        self.page_size = page_size
        self.signer = signer or NetvisorSigner(keys, algorithm=algorithm)
        self.lock = company_lock(base_url, keys.organisation_id)
        super().__init__(
            base_url,
            auth=SignedHeaderAuth(self.signer),
            tenant=keys.organisation_id,
            timeout=timeout,
            session=session,
            retry=retry,
        )

    # --- one at a time, errors by envelope --------------------------------------------------

    def _send(self, prepared, method, path, attempt, timeout):
        with self.lock:
            return super()._send(prepared, method, path, attempt, timeout)

    def body_error(self, response, method, path) -> ErpError | None:
        return envelope.envelope_error(response.content, f"{method} {path}", response.status_code)

    def error_for(self, response, method, path) -> ErpError:
        """With UseHTTPResponseStatusCodes=1 a failure also has an HTTP status; the envelope's
        category names it better than the status does (which status goes with which category
        is UNCONFIRMED), so the category wins when there is one."""
        try:
            root = xmlcodec.parse(response.content)
        except xmlcodec.XmlError:
            root = None
        if root is not None and envelope.category_of(root):
            found = envelope.status_error(
                root,
                f"{method} {path} answered {response.status_code}",
                response.status_code,
                response.text,
            )
            if found is not None:
                return found
        return super().error_for(response, method, path)

    def error_reason(self, response) -> str:
        return response.text[:300] or response.reason or "no body"

    def decode(self, response):
        return xmlcodec.parse(response.content)

    def xml(self, method: str, path: str, *, body: etree._Element | None = None, **kwargs):
        if body is not None:
            kwargs["data"] = xmlcodec.to_bytes(body)
            kwargs.setdefault("headers", {})["Content-Type"] = (
                f"text/xml; charset={xmlcodec.ENCODING}"
            )
        response = self.request(method, path, **kwargs)
        try:
            return self.decode(response)
        except xmlcodec.XmlError as exc:
            raise ErpMalformedResponse(
                f"{method} {self.loggable(path)} did not answer XML ({exc})",
                erp=self.erp_name,
                status=response.status_code,
                detail=response.text[:2000],
            ) from None

    # --- resources --------------------------------------------------------------------------

    def iter_sales_invoices(self, **filters) -> Iterator[etree._Element]:
        """Every `SalesInvoiceList/SalesInvoice` (filters as the resource names them), 500 a
        page, each page asked for above the last page's last NetvisorKey."""

        def rows(root) -> list:
            if root.find("SalesInvoiceList") is None:
                raise ErpMalformedResponse(
                    "salesinvoicelist.nv: answer has no SalesInvoiceList", erp=self.erp_name
                )
            return root.findall("SalesInvoiceList/SalesInvoice")

        paging = ContinuationPaging(
            token_param="invoicesabovenetvisorkey",
            next_token=lambda body, page: xmlcodec.text(page[-1], "NetvisorKey") or None,
            size=self.page_size,
        )

        def fetch(extra: dict):
            return self.xml("GET", "/salesinvoicelist.nv", params={**filters, **extra})

        for page in paging.pages(fetch, rows):
            yield from page

    def get_sales_invoice(self, netvisor_key: str) -> etree._Element:
        root = self.xml(
            "GET",
            "/getsalesinvoice.nv",
            params={"netvisorkey": netvisor_key, "showprocesshistory": 1, "pdfimage": "nopdf"},
        )
        invoice = root.find("SalesInvoice")
        if invoice is None or len(invoice) == 0:
            # Netvisor answers OK with an empty <SalesInvoice /> for a key it lacks.
            raise ErpNotFound(f"sales invoice {netvisor_key} not found", erp=self.erp_name)
        return invoice

    def get_customer(self, netvisor_key: str) -> etree._Element:
        root = self.xml("GET", "/getcustomer.nv", params={"id": netvisor_key})
        customer = root.find("Customer")
        if customer is None or len(customer) == 0:
            raise ErpNotFound(f"customer {netvisor_key} not found", erp=self.erp_name)
        return customer

    def get_company_information(self) -> etree._Element:
        root = self.xml(
            "GET", "/getcompanyinformation.nv", params={"id": self.keys.organisation_id}
        )
        company = root.find("CompanyInformation/Company")
        if company is None:
            raise ErpMalformedResponse("company information has no Company", erp=self.erp_name)
        return company

    def company_list(self) -> list[etree._Element]:
        """The companies the user's key reaches (an accounting firm's user: its clients)."""
        root = self.xml("GET", "/companylist.nv")
        return root.findall("CompanyList/Company")

    def sales_payments(self, invoice_netvisor_key: str) -> list[etree._Element]:
        root = self.xml(
            "GET", "/salespaymentlist.nv", params={"invoicenetvisorkey": invoice_netvisor_key}
        )
        return root.findall("SalesPaymentList/SalesPayment")

    def update_invoice_status(self, netvisor_key: str, status: str) -> None:
        """updatesalesinvoicestatus.nv, no body (article 77000554158)."""
        self.xml(
            "POST",
            "/updatesalesinvoicestatus.nv",
            params={"netvisorkey": netvisor_key, "status": status},
            idempotent=True,  # setting a status twice leaves it as set
        )

    def add_invoice_comment(self, netvisor_key: str, comment: str) -> None:
        """A line in the invoice's processing history (salesinvoicecomment.nv, <= 500 chars)."""
        e = xmlcodec.element
        body = e(
            "root",
            children=[
                e(
                    "salesinvoicecomments",
                    children=[
                        e(
                            "salesinvoicecomment",
                            children=[
                                e("invoicetype", "invoice"),
                                e("invoicenetvisorkey", netvisor_key),
                                e("comment", comment[:500]),
                            ],
                        )
                    ],
                )
            ],
        )
        self.xml("POST", "/salesinvoicecomment.nv", body=body)

    def post_voucher(self, body: etree._Element) -> str:
        root = self.xml("POST", "/accounting.nv", body=body)
        key = xmlcodec.text(root, "Replies/InsertedDataIdentifier")
        if not key:
            raise ErpMalformedResponse("accounting.nv: no InsertedDataIdentifier", erp="netvisor")
        return key

    def vouchers(self, start: dt.date, end: dt.date) -> list[etree._Element]:
        root = self.xml(
            "GET",
            "/accountinglist.nv",
            params={"startdate": start.isoformat(), "enddate": end.isoformat()},
        )
        return root.findall("Vouchers/Voucher")

    def collection_transfers(self) -> list[etree._Element]:
        """The transfer material waiting for us (our design, see the package docstring)."""
        root = self.xml("GET", "/collectiontransferlist.nv")
        return root.findall("CollectionTransferList/CollectionTransfer")

    def acknowledge_transfer(self, transfer_key: str) -> None:
        self.xml(
            "POST",
            "/collectiontransferlist.nv",
            params={"acknowledge": transfer_key},
            idempotent=True,
        )
