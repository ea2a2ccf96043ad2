"""Netvisor behind AutoCollect's adapter (integrations.features), by the rules of the Netvisor
user's guide for a reminder and collection service (seed 003).

Cases come by transfer (`receives_transfers`), never from a listing of every open invoice: the
creditor hands an invoice over in Netvisor, to the reminder service or to collection, and each
transfer is checked here against the invoice as Netvisor has it now:
- a reminder transfer needs an overdue invoice; a collection transfer a "reminded" one (both a
  payment reminder and a notice were sent), and its case starts at the collection stage;
- a customer under collection prohibition is refused, and so is a currency invoice (the guide's
  error), and a separate interest invoice (interest is computed from the original invoice);
- collection costs added in Netvisor are not carried over (integrations.netvisor.mapping).
The refusal's reason is for the creditor (the layer above records it where the creditor sees it).

Our case number goes into the invoice's processing history (salesinvoicecomment.nv) and the case's
status onto the invoice (updatesalesinvoicestatus.nv), in Netvisor's words (STATUS).
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.conf import settings

from integrations.base import (
    CaseStatus,
    ErpCompany,
    ErpInvoice,
    ErpPayment,
    ErpTransfer,
    InvoiceRef,
    SettlementVoucher,
)
from integrations.errors import ErpConflict, ErpMalformedResponse, ErpNotFound
from integrations.features import ErpAdapter, Feature
from integrations.netvisor import mapping, xmlcodec
from integrations.netvisor.auth import NetvisorKeys
from integrations.netvisor.client import NetvisorClient
from integrations.netvisor.connection import NetvisorConnection

COMPANY_CURRENCY = "EUR"
# What the invoice's collection status says about our case (updatesalesinvoicestatus.nv). Which
# status means "with the collection agency" is UNCONFIRMED: "requested" (perintäpyyntö) while the
# case runs, "collected" when it ended paid or credited, back to "overdue" when it ended
# otherwise (the creditor has the claim again, as the guide's "returned to overdue").
STATUS = {
    CaseStatus.ONGOING: "requested",
    CaseStatus.PAID: "collected",
    CaseStatus.CREDITED: "collected",
    CaseStatus.WITHDRAWN: "overdue",
    CaseStatus.WRITTEN_OFF: "overdue",
    CaseStatus.CLOSED_UNPAID: "overdue",
}
CURRENCY_REFUSAL = (
    "Currency invoices cannot be transferred to the collection service (invoice in {currency}): "
    "collect it by other means."
)
VOUCHER_LOOKBACK_DAYS = 400


class NetvisorAdapter(ErpAdapter):
    slug = "netvisor"
    label = "Netvisor"
    connection_type = NetvisorConnection
    features = frozenset(
        {
            Feature.READ_COMPANY,
            Feature.LIST_CLIENT_COMPANIES,
            Feature.WRITE_CASE_REFERENCE,
            Feature.WRITE_CASE_STATUS,
            Feature.POST_VOUCHER,
        }
    )
    receives_transfers = True
    connection: NetvisorConnection

    def __init__(self, connection: NetvisorConnection):
        super().__init__(connection)
        self._facts: dict[str, mapping.InvoiceFacts] = {}

    @cached_property
    def client(self) -> NetvisorClient:
        conn = self.connection
        keys = NetvisorKeys(
            sender=settings.NETVISOR_SENDER,
            customer_id=conn.customer_id,
            customer_key=conn.customer_key,
            partner_id=settings.NETVISOR_PARTNER_ID,
            partner_key=settings.NETVISOR_PARTNER_KEY,
            organisation_id=conn.organisation_id,
            language=conn.language,
        )
        return NetvisorClient(conn.base_url, keys, page_size=conn.page_size)

    # --- company ------------------------------------------------------------------------------

    def fetch_company(self) -> ErpCompany:
        return mapping.company_from_xml(self.client.get_company_information())

    def list_client_companies(self) -> list[ErpCompany]:
        """The companies the user's key reaches; each `erp_id` is the organisation id to use."""
        own = self.connection.organisation_id
        return [
            c
            for c in map(mapping.client_company_from_xml, self.client.company_list())
            if c.erp_id and c.erp_id != own
        ]

    # --- invoices and payments ----------------------------------------------------------------

    def _read(self, erp_id: str) -> tuple[ErpInvoice, mapping.InvoiceFacts]:
        inv = self.client.get_sales_invoice(erp_id)
        number = xmlcodec.text(inv, "SalesInvoiceNumber")
        rows = [
            r
            for r in self.client.iter_sales_invoices(invoicenumber=number)
            if xmlcodec.text(r, "NetvisorKey") == str(erp_id)
        ]
        invoice, facts = mapping.invoice_from_xml(erp_id, inv, rows[0] if rows else None)
        self._facts[invoice.erp_id] = facts
        return invoice, facts

    def get_invoice(self, erp_id: str) -> ErpInvoice:
        return self._read(erp_id)[0]

    def list_direct_payments(self, invoice: ErpInvoice) -> list[ErpPayment]:
        facts = self._facts.get(invoice.erp_id) or self._read(invoice.erp_id)[1]
        return mapping.payments_from_xml(self.client.sales_payments(invoice.erp_id), invoice, facts)

    # --- transfers ----------------------------------------------------------------------------

    def list_transfers(self, *, as_of: dt.date) -> list[ErpTransfer]:
        found = []
        for row in self.client.collection_transfers():
            key, kind, invoice_key, _ = mapping.transfer_fields(row)
            payload = mapping.payload(row)
            if kind not in ("reminder", "collection"):
                refusal = f"unknown transfer type {kind!r}"
                found.append(ErpTransfer(key, kind, invoice_key, None, refusal, payload))
                continue
            try:
                invoice, facts = self._read(invoice_key)
            except ErpNotFound:
                refusal = f"invoice {invoice_key} is not in Netvisor"
                found.append(ErpTransfer(key, kind, invoice_key, None, refusal, payload))
                continue
            except ErpMalformedResponse as exc:
                found.append(ErpTransfer(key, kind, invoice_key, None, str(exc), payload))
                continue
            refusal = transfer_refusal(kind, invoice, facts, as_of)
            found.append(ErpTransfer(key, kind, invoice_key, invoice, refusal, payload))
        return found

    def acknowledge_transfer(self, erp_id: str) -> None:
        self.client.acknowledge_transfer(erp_id)

    # --- case reference and status ------------------------------------------------------------

    def write_case_reference(self, *, invoice: InvoiceRef, case_number: str, url: str = ""):
        """Our case number in the invoice's processing history, once."""
        inv = self.client.get_sales_invoice(invoice.erp_id)
        history = " ".join(
            "".join(line.itertext()) for line in inv.findall("ProcessHistory/ProcessHistoryLine")
        )
        if case_number in history:
            return
        comment = f"AutoCollect case {case_number}" + (f" {url}" if url else "")
        self.client.add_invoice_comment(invoice.erp_id, comment)

    def write_case_status(
        self, *, invoice: InvoiceRef, case_number: str, status: CaseStatus, url: str = ""
    ):
        wanted = STATUS[CaseStatus(status)]
        _, facts = self._read(invoice.erp_id)
        if wanted in facts.statuses:
            return
        self.client.update_invoice_status(invoice.erp_id, wanted)

    # --- settlement vouchers ------------------------------------------------------------------

    def find_settlement_voucher(self, external_number: str) -> str | None:
        today = dt.date.today()
        vouchers = self.client.vouchers(
            today - dt.timedelta(days=VOUCHER_LOOKBACK_DAYS), today + dt.timedelta(days=1)
        )
        return mapping.voucher_key_for(vouchers, external_number)

    def post_settlement_voucher(self, voucher: SettlementVoucher) -> str:
        found = self.find_settlement_voucher(voucher.external_number)
        if found:
            return found
        body = mapping.voucher_to_xml(voucher, settings.NETVISOR_VOUCHER_CLASS)
        try:
            return self.client.post_voucher(body)
        except ErpConflict:
            # DUPLICATE_DATA: posted concurrently, or the first answer was lost.
            found = self.find_settlement_voucher(voucher.external_number)
            if not found:
                raise
            return found


def transfer_refusal(
    kind: str, invoice: ErpInvoice, facts: mapping.InvoiceFacts, as_of: dt.date
) -> str:
    """Why the guide does not let this invoice be transferred so ("" if it does)."""
    if invoice.currency != COMPANY_CURRENCY:
        return CURRENCY_REFUSAL.format(currency=invoice.currency)
    if invoice.collection_prohibited:
        return (
            f"The customer {invoice.customer.name} is under collection prohibition in Netvisor: "
            "the invoice cannot be transferred."
        )
    if facts.interest_invoice:
        return (
            "A separate interest invoice is not transferred: interest is computed from the "
            "original invoice."
        )
    if invoice.is_credit_note or invoice.outstanding <= 0:
        return "The invoice has nothing left to pay."
    if kind == "reminder" and not (
        invoice.due_date < as_of and facts.statuses & {"overdue", "reminded"}
    ):
        return (
            f"Only an overdue invoice can be transferred to the reminder service (due "
            f"{invoice.due_date.isoformat()})."
        )
    if kind == "collection" and "reminded" not in facts.statuses:
        return (
            "Only an invoice in Reminded status can be transferred to collection: a payment "
            "reminder and a notice must have been sent and its collection status updated."
        )
    return ""
