"""Visma.net behind AutoCollect's adapter (integrations.features), built from a VismaConnection.

Our client id and secret come from settings (VISMA_CLIENT_ID / VISMA_CLIENT_SECRET), the company
tenant id from the creditor's connection. Our case number, status, type and URL go on the
customer invoice's debtCollectionCase* fields; settlement vouchers are journal transactions,
released once posted. No Visma.net word leaves this package.
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
from integrations.errors import ErpAuthError, ErpMalformedResponse, ErpRejected
from integrations.features import ErpAdapter, Feature
from integrations.reconcile import listed_once
from integrations.visma import mapping
from integrations.visma.casestatus import CASE_TYPE, STATUS_MAP
from integrations.visma.client import VismaClient, dumps
from integrations.visma.connection import VismaConnection

ERP = "visma"


class VismaAdapter(ErpAdapter):
    slug = "visma"
    label = "Visma.net"
    connection_type = VismaConnection
    features = frozenset(
        {
            Feature.READ_COMPANY,
            Feature.LIST_OPEN_INVOICES,
            Feature.READ_CUSTOMERS,
            Feature.READ_DIRECT_PAYMENTS,
            Feature.WRITE_CASE_REFERENCE,
            Feature.WRITE_CASE_STATUS,
            Feature.REGISTER_PAYMENT,
            Feature.POST_VOUCHER,
        }
    )  # not LIST_CLIENT_COMPANIES: a Connect token reaches one company tenant
    connection: VismaConnection

    def __init__(self, connection: VismaConnection):
        super().__init__(connection)
        self._customers: dict[str, ErpCustomer] | None = None
        self._invoices: dict[str, tuple[dict, str]] = {}  # number -> (DTO, ETag) as last read

    @cached_property
    def client(self) -> VismaClient:
        if not (settings.VISMA_CLIENT_ID and settings.VISMA_CLIENT_SECRET):
            raise ErpAuthError(
                "AutoCollect has no Visma Connect client (VISMA_CLIENT_ID and VISMA_CLIENT_SECRET "
                "in the environment)",
                erp=ERP,
            )
        conn = self.connection
        return VismaClient(
            conn.base_url,
            client_id=settings.VISMA_CLIENT_ID,
            client_secret=settings.VISMA_CLIENT_SECRET,
            tenant_id=conn.tenant_id,
            token_url=conn.token_url,
            page_size=conn.page_size,
        )

    # --- reads ------------------------------------------------------------------------------

    def fetch_company(self) -> ErpCompany:
        return mapping.company_from_json(self.client.company_settings(), self.connection.tenant_id)

    def list_customers(self) -> Iterator[ErpCustomer]:
        for row in self.client.list_customers():
            yield mapping.customer_from_json(row, self.connection.consumer_classes)

    def list_customer_classes(self) -> list[ErpCustomerClass]:
        classes = [mapping.customer_class_from_json(c) for c in self.client.customer_classes()]
        return sorted(classes, key=lambda c: c.name)

    def _customer(self, number: str) -> ErpCustomer:
        if self._customers is None:
            # One listing of every customer before the invoices: the invoice DTO names only its
            # customer's number and name.
            self._customers = {c.erp_id: c for c in self.list_customers()}
        if number not in self._customers:
            row = self.client.get_customer(number)
            self._customers[number] = mapping.customer_from_json(
                row, self.connection.consumer_classes
            )
        return self._customers[number]

    def _invoice(self, row: dict) -> ErpInvoice:
        return mapping.invoice_from_json(row, self._customer(mapping.invoice_customer_key(row)))

    def list_open_invoices(self, *, as_of: dt.date) -> Iterator[ErpInvoice | ErpBadRecord]:
        # Paging by number is not stable while invoices are paid between two page reads: each
        # page carries the list's totalCount, so a count that moves (or rows read that do not
        # add up to it) sends a reconciling pass over the numbers (integrations.reconcile).
        listing = {"rows": 0, "totals": set()}
        due_before = as_of + dt.timedelta(days=1)  # due on as_of or earlier

        def counted(rows):
            for row in rows:
                listing["rows"] += 1
                yield row

        def current_keys():
            totals = listing["totals"]
            if listing["rows"] == 0 and totals <= {None, 0}:
                return []
            if len(totals) == 1 and listing["rows"] == next(iter(totals)):
                return []  # the count held still and every row came: nothing shifted
            return [mapping.record_id(r) for r in self.client.list_open_invoices(due_before)]

        rows = listed_once(
            counted(self.client.list_open_invoices(due_before, observe=listing["totals"].add)),
            key=_key,
            current_keys=current_keys,
            fetch=lambda numbers: (self._read_invoice(n)[0] for n in numbers),
        )
        for row in rows:
            try:
                invoice = self._invoice(row)
            except ErpMalformedResponse as exc:
                yield ErpBadRecord("invoice", mapping.record_id(row), str(exc), _text(row))
                continue
            if invoice.is_credit_note or invoice.outstanding <= 0:
                continue
            yield invoice

    def _read_invoice(self, number: str, applications: bool = False) -> tuple[dict, str]:
        found = self.client.get_invoice(number, applications=applications)
        self._invoices[number] = found
        return found

    def get_invoice(self, erp_id: str) -> ErpInvoice:
        return self._invoice(self._read_invoice(erp_id, applications=True)[0])

    def list_direct_payments(self, invoice: ErpInvoice) -> list[ErpPayment]:
        data, _ = self._read_invoice(invoice.erp_id, applications=True)
        return mapping.payments_from_invoice_json(data, invoice)

    # --- case reference and status ----------------------------------------------------------

    def write_case_reference(self, *, invoice: InvoiceRef, case_number: str, url: str = ""):
        """Our case number, type and URL on the invoice (status Ongoing unless one is there);
        nothing written when it shows them already."""
        self._write_case(invoice.erp_id, case_number, None, url)

    def write_case_status(
        self, *, invoice: InvoiceRef, case_number: str, status: CaseStatus, url: str = ""
    ):
        try:
            word = STATUS_MAP[CaseStatus(status)]
        except ValueError:
            raise ValueError(f"no Visma.net case status for {status!r}") from None
        self._write_case(invoice.erp_id, case_number, word, url)

    def _write_case(self, number: str, case_number: str, status: str | None, url: str) -> None:
        data, etag = self._invoices.get(number) or self._read_invoice(number)
        for attempt in (1, 2):
            shown = mapping.case_fields(data)
            wanted_status = status or shown.get("caseStatus") or STATUS_MAP[CaseStatus.ONGOING]
            if shown.get("caseNumber") != case_number:
                wanted_status = status or STATUS_MAP[CaseStatus.ONGOING]
            wanted = {
                "caseNumber": case_number,
                "caseType": CASE_TYPE,
                "caseStatus": wanted_status,
                "caseUrl": url or shown.get("caseUrl") or "",
            }
            if all((shown.get(k) or "") == v for k, v in wanted.items()):
                return
            body = mapping.case_update(case_number, CASE_TYPE, wanted_status, wanted["caseUrl"])
            response = self._put_if_match(number, body, etag)
            if response is not None:
                # 204: the invoice shows it now (its new ETag with it).
                data = {**data, "debtCollection": wanted}
                self._invoices[number] = (data, response.headers.get("ETag", ""))
                return
            if attempt == 2:
                raise ErpRejected(
                    f"invoice {number} changed under every write (412 twice)", erp=ERP, status=412
                )
            data, etag = self._read_invoice(number)  # moved under us: read once more

    def _put_if_match(self, number: str, body: dict, etag: str):
        """The PUT's response, or None on 412 (the ETag moved)."""
        try:
            return self.client.update_invoice(number, body, etag)
        except ErpRejected as exc:
            if exc.status == 412:
                return None
            raise

    # --- money into the ERP -----------------------------------------------------------------

    def register_payment(
        self, *, invoice: InvoiceRef, paid_on: dt.date, amount: Decimal, currency: str
    ) -> str:
        data, _ = self._read_invoice(invoice.erp_id)
        current = self._invoice(data)
        if currency != current.currency:
            raise ErpRejected(
                f"a payment in {currency} on an invoice in {current.currency}", erp=ERP
            )
        body = {
            "type": {"value": "Payment"},
            "hold": {"value": False},
            "applicationDate": {"value": f"{paid_on.isoformat()}T00:00:00"},
            "customer": {"value": current.customer.number},
            "currency": {"value": currency},
            "paymentAmount": {"value": amount},
            "paymentRef": {"value": current.payment_reference or current.number},
            "paymentLines": [
                {
                    "operation": "Insert",
                    "documentType": {"value": "Invoice"},
                    "refNbr": {"value": current.number},
                    "amountPaid": {"value": amount},
                }
            ],
        }
        return self.client.create_payment(body)

    def find_settlement_voucher(self, external_number: str) -> str | None:
        since = dt.date.today() - dt.timedelta(days=self.connection.voucher_lookback_days)
        for row in self.client.list_journal_transactions(since):
            if mapping.voucher_matches(row, external_number):
                batch = row.get("batchNumber")
                if isinstance(batch, str) and batch:
                    if row.get("status") in ("Hold", "Balanced"):
                        self.client.release_journal_transaction(batch)  # posted, not released
                    return batch
        return None

    def post_settlement_voucher(self, voucher: SettlementVoucher) -> str:
        found = self.find_settlement_voucher(voucher.external_number)
        if found:
            return found
        batch = self.client.create_journal_transaction(mapping.voucher_to_json(voucher))
        self.client.release_journal_transaction(batch)
        return batch


def _text(data) -> str:
    try:
        return dumps(data)
    except (TypeError, ValueError):
        return repr(data)


def _key(row) -> str | None:
    found = mapping.record_id(row)
    return None if found == "?" else found
