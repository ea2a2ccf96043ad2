"""Tripletex behind AutoCollect's adapter: every feature (integrations.features).

Built from a TripletexConnection (integrations.tripletex.connection), checked at onboarding.
The consumer token is ours as Tripletex's integration partner, the same for every creditor: it
comes from settings.TRIPLETEX_CONSUMER_TOKEN, never from a creditor's stored connection.

Our case reference and status go in a voucherStatus on the invoice's voucher (the invoice's
`locator`); the neutral CaseStatus maps to Tripletex's status/message pairs here, and nowhere
else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from functools import cached_property

from django.conf import settings

from integrations.base import (
    CaseStatus,
    ErpBadRecord,
    ErpCompany,
    ErpCustomer,
    ErpCustomerClass,
    ErpInvoice,
    ErpPayment,
    InvoiceRef,
    SettlementVoucher,
)
from integrations.errors import (
    ErpAuthError,
    ErpConflict,
    ErpMalformedResponse,
    ErpNotFound,
    ErpRejected,
)
from integrations.features import ErpAdapter, Feature
from integrations.reconcile import listed_once
from integrations.tripletex import jsonutil, mapping
from integrations.tripletex.casestatus import CASE_TYPE, STATUS_MAP
from integrations.tripletex.client import (
    INVOICE_FIELDS,
    INVOICE_LIST_FIELDS,
    INVOICE_WITH_POSTINGS_FIELDS,
    TripletexClient,
)
from integrations.tripletex.connection import TripletexConnection

COMPANY_CURRENCY = "NOK"


class TripletexAdapter(ErpAdapter):
    slug = "tripletex"
    label = "Tripletex"
    connection_type = TripletexConnection
    features = frozenset(Feature)
    connection: TripletexConnection

    def __init__(self, connection: TripletexConnection):
        super().__init__(connection)
        self._statuses: dict[int, dict | None] = {}  # voucher -> its newest case status

    @cached_property
    def client(self) -> TripletexClient:
        if not settings.TRIPLETEX_CONSUMER_TOKEN:
            raise ErpAuthError(
                "the Tripletex connection lacks consumer_token (TRIPLETEX_CONSUMER_TOKEN in the "
                "environment)",
                erp="tripletex",
            )
        conn = self.connection
        return TripletexClient(
            conn.base_url,
            settings.TRIPLETEX_CONSUMER_TOKEN,
            conn.employee_token,
            conn.company_id,
            page_size=conn.page_size,
        )

    # --- reads ------------------------------------------------------------------------------

    def fetch_company(self) -> ErpCompany:
        me = self.client.who_am_i()
        company_id = me.get("companyId")
        if not isinstance(company_id, int):
            raise ErpMalformedResponse("whoAmI answer has no companyId", erp="tripletex")
        return mapping.company_from_json(self.client.get_company(company_id))

    def list_client_companies(self) -> list[ErpCompany]:
        """The accountant clients this key reaches; each `erp_id` is the company_id to connect."""
        return [mapping.company_from_json(c) for c in self.client.with_login_access()]

    def list_open_invoices(self, *, as_of: dt.date) -> Iterator[ErpInvoice | ErpBadRecord]:
        # /invoice cannot filter on due date or outstanding: read a wide window and filter here.
        # Paging by offset is not stable while invoices come and go: sorted by id, and with a
        # reconciling pass over the ids (integrations.reconcile), each is read exactly once.
        window = (as_of - dt.timedelta(days=self.connection.lookback_days), as_of + dt.timedelta(1))
        rows = listed_once(
            self.client.list_invoices(*window, INVOICE_LIST_FIELDS, sorting="id"),
            key=_row_id,
            current_keys=lambda: (
                row.get("id") for row in self.client.list_invoices(*window, "id", sorting="id")
            ),
            fetch=lambda ids: self.client.list_invoices(
                *window, INVOICE_LIST_FIELDS, id=",".join(map(str, ids))
            ),
        )
        customers = mapping.CustomerMemo()  # a customer's invoices share its mapped record
        for row in rows:
            try:
                invoice = mapping.invoice_from_json(row, customers)
            except ErpMalformedResponse as exc:
                # One unreadable record: the others still count (a broken page still raises).
                yield ErpBadRecord("invoice", mapping.record_id(row), str(exc), _json_text(row))
                continue
            if invoice.is_credit_note or invoice.outstanding <= 0:
                continue
            yield invoice

    def get_invoice(self, erp_id: str) -> ErpInvoice:
        return mapping.invoice_from_json(self.client.get_invoice(_int_id(erp_id), INVOICE_FIELDS))

    def list_customers(self) -> Iterator[ErpCustomer]:
        for row in self.client.list_customers():
            yield mapping.customer_from_json(row)

    def list_customer_classes(self) -> list[ErpCustomerClass]:
        # The classes in use, from the customers' category1 (every customer lists it expanded).
        found = {}
        for row in self.client.list_customers("id,category1(*)"):
            category = mapping.customer_class_from_json(row)
            if category is not None:
                found.setdefault(category.erp_id, category)
        return sorted(found.values(), key=lambda c: c.name)

    def list_direct_payments(self, invoice: ErpInvoice) -> list[ErpPayment]:
        data = self.client.get_invoice(_int_id(invoice.erp_id), INVOICE_WITH_POSTINGS_FIELDS)
        return mapping.payments_from_invoice_json(data)

    # --- case reference and status ----------------------------------------------------------

    def write_case_reference(self, *, invoice: InvoiceRef, case_number: str, url: str = ""):
        """Our case number on the invoice's voucher; skipped when its newest collection status
        names the case already (whatever the status)."""
        voucher = self._voucher(invoice)
        latest = self._latest_status(voucher)
        if latest and latest.get("referenceNumber") == case_number:
            return
        self._post_status(voucher, case_number, CaseStatus.ONGOING, url)

    def write_case_status(
        self, *, invoice: InvoiceRef, case_number: str, status: CaseStatus, url: str = ""
    ):
        try:
            wanted = STATUS_MAP[CaseStatus(status)]
        except ValueError:
            raise ValueError(f"no Tripletex voucher status for case status {status!r}") from None
        voucher = self._voucher(invoice)
        latest = self._latest_status(voucher)
        if (
            latest
            and latest.get("referenceNumber") == case_number
            and (latest.get("status"), latest.get("message")) == wanted
        ):
            return
        self._post_status(voucher, case_number, CaseStatus(status), url)

    def _voucher(self, invoice: InvoiceRef) -> int:
        locator = invoice.locator or self.get_invoice(invoice.erp_id).locator
        if not locator:
            raise ErpMalformedResponse(
                f"invoice {invoice.erp_id}: voucher missing", erp="tripletex"
            )
        return _int_id(locator)

    def _latest_status(self, voucher: int) -> dict | None:
        if voucher not in self._statuses:
            existing = self.client.list_voucher_status([voucher], type=CASE_TYPE)
            mine = [s for s in existing if (s.get("voucher") or {}).get("id") == voucher]
            self._statuses[voucher] = (
                max(mine, key=lambda s: (str(s.get("timestamp") or ""), s.get("id") or 0))
                if mine
                else None
            )
        return self._statuses[voucher]

    def _post_status(self, voucher: int, case_number: str, status: CaseStatus, url: str):
        state, message = STATUS_MAP[status]
        body = {
            "voucher": {"id": voucher},
            "type": CASE_TYPE,
            "status": state,
            "message": message,
            "referenceNumber": case_number,
        }
        if url:
            body["externalObjectUrl"] = url
        self._statuses[voucher] = self.client.post_voucher_status(body)

    # --- money into the ERP -----------------------------------------------------------------

    def register_payment(
        self, *, invoice: InvoiceRef, paid_on: dt.date, amount: Decimal, currency: str
    ) -> None:
        if currency != COMPANY_CURRENCY:
            # paidAmount is in the company currency; we do not know the ERP's rate.
            raise ErpRejected(
                f"a payment in {currency} needs its amount in {COMPANY_CURRENCY}", erp="tripletex"
            )
        types = self.client.payment_types()
        if not types:
            raise ErpRejected("the company has no payment type for invoices", erp="tripletex")
        self.client.register_payment(
            _int_id(invoice.erp_id), paid_on=paid_on, payment_type_id=types[0]["id"], amount=amount
        )

    def find_settlement_voucher(self, external_number: str) -> str | None:
        found = self.client.find_voucher_by_external_number(external_number)
        return str(found["id"]) if found else None

    def post_settlement_voucher(self, voucher: SettlementVoucher) -> str:
        found = self.find_settlement_voucher(voucher.external_number)
        if found:
            return found
        numbers = sorted({line.account_number for line in voucher.lines})
        account_ids = {n: self.client.ledger_account_id(n) for n in numbers}
        body = mapping.voucher_to_json(voucher, account_ids)
        try:
            posted = self.client.post_voucher(body)
        except ErpConflict:
            # Posted concurrently (or the first answer was lost): the ERP has it, return that one.
            found = self.client.find_voucher_by_external_number(voucher.external_number)
            if not found:
                raise
            return str(found["id"])
        if not isinstance(posted.get("id"), int):
            raise ErpMalformedResponse("posted voucher has no id", erp="tripletex")
        return str(posted["id"])


def _json_text(data) -> str:
    try:
        return jsonutil.dumps(data)
    except (TypeError, ValueError):
        return repr(data)


def _row_id(row) -> int | None:
    found = row.get("id") if isinstance(row, dict) else None
    return found if isinstance(found, int) and not isinstance(found, bool) else None


def _int_id(erp_id: str) -> int:
    try:
        return int(erp_id)
    except (TypeError, ValueError):
        raise ErpNotFound(f"{erp_id!r} is not a Tripletex id", erp="tripletex") from None
