"""The plain records every ERP package speaks in, whatever the ERP calls things.

An adapter (integrations.features) only moves data: it never touches the database and knows no
creditor, case or settlement. The layer above (collection) turns these records into debtors,
invoices and cases, and hands back the domain's own case status (`CaseStatus`) and the opaque
`locator` the adapter gave an invoice. No ERP's words (Tripletex's voucherStatus, ONGOING or
SETTLED, Visma's debtCollectionCase*, Netvisor's FAILED envelopes) appear here or above.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from decimal import Decimal


class CaseStatus(enum.StrEnum):
    """What the ERP is told about our case on its invoice. Each adapter maps it to its ERP's
    own words."""

    ONGOING = "ongoing"  # in collection
    PAID = "paid"  # closed: paid in full
    CREDITED = "credited"  # closed: credited in the ERP
    WITHDRAWN = "withdrawn"  # closed: the creditor took the claim back
    WRITTEN_OFF = "written_off"  # closed: given up as lost
    CLOSED_UNPAID = "closed_unpaid"  # closed without payment (e.g. no answer to a decision)


@dataclass(frozen=True)
class ErpAddress:
    line1: str = ""
    line2: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""  # ISO 3166 alpha-2


@dataclass(frozen=True)
class ErpCompany:
    erp_id: str
    name: str
    org_number: str
    email: str = ""
    phone: str = ""
    address: ErpAddress = field(default_factory=ErpAddress)


@dataclass(frozen=True)
class ErpCustomer:
    erp_id: str
    number: str
    name: str
    org_number: str = ""
    is_private: bool = False
    email: str = ""
    phone: str = ""
    address: ErpAddress = field(default_factory=ErpAddress)
    customer_class: str = ""
    collection_prohibited: bool = False  # the ERP says: do not collect from this customer
    language: str = ""  # the customer's language in the ERP (sv, nb, fi, en, ...); "" unknown


@dataclass(frozen=True)
class ErpInvoice:
    erp_id: str
    number: str
    customer: ErpCustomer
    invoice_date: dt.date
    due_date: dt.date
    currency: str
    amount: Decimal
    outstanding: Decimal
    text: str = ""
    payment_reference: str = ""
    is_credit_note: bool = False
    credited_invoice_erp_id: str = ""
    # Opaque to everyone but the adapter that made it: what it needs to find the invoice again
    # for a write-back (Tripletex: the ledger voucher behind the invoice). Stored with the
    # invoice and handed back in an InvoiceRef.
    locator: str = ""
    collection_prohibited: bool = False  # the ERP says: do not collect this invoice
    disputed: bool = False  # the customer disputes the claim (never pressed: INKL § 17)

    @property
    def voucher_id(self) -> str:
        # Transitional name for `locator` while collection.sync (helper B) moves to it.
        return self.locator

    @property
    def ref(self) -> InvoiceRef:
        return InvoiceRef(self.erp_id, self.locator)


@dataclass(frozen=True)
class InvoiceRef:
    """An invoice to write back to: its ERP id and the adapter's opaque locator ("" if not
    known: the adapter reads the invoice to find it)."""

    erp_id: str
    locator: str = ""


@dataclass(frozen=True)
class ErpCustomerClass:
    erp_id: str
    name: str


@dataclass(frozen=True)
class ErpBadRecord:
    """A record in an ERP listing that could not be read. The sync quarantines it with the
    reason and goes on with the rest, instead of failing the whole run."""

    kind: str  # "invoice"
    erp_id: str  # "?" when even the id is unreadable
    reason: str
    payload: str = ""  # the record as the ERP sent it (JSON text)


@dataclass(frozen=True)
class ErpPayment:
    """A payment the creditor received directly, or a credit note, matched on the invoice in
    the ERP."""

    erp_id: str
    invoice_erp_id: str
    paid_on: dt.date
    amount: Decimal
    currency: str
    voucher_id: str = ""  # lets the sync tell our own settlement postings from direct payments
    # The account numbers the posting's voucher books on, where the ERP tells: a creditor's own
    # write-off (the receivable against its loss account, seed 001 "Konto tapsføring") is not a
    # payment and the sync leaves it out.
    voucher_accounts: tuple[int, ...] = ()
    # "payment", "credit_note", "instalment" (a partial payment under a payment plan agreed in
    # the ERP) or "reversal" (a negative correction of the payment named by `reverses`)
    kind: str = "payment"
    reverses: str = ""


@dataclass(frozen=True)
class ErpTransfer:
    """An invoice the creditor handed over to us itself, in its ERP (Netvisor: "Transfer to the
    collection service"), for a reminder or straight to collection. The adapter checks it against
    the ERP's rules; `refusal` says, for the creditor, why it cannot be taken ("" to take it)."""

    erp_id: str  # the transfer's own id (acknowledged once taken or refused)
    kind: str  # "reminder" or "collection"
    invoice_erp_id: str
    invoice: ErpInvoice | None = None  # None when refused before it could be read
    refusal: str = ""
    payload: str = ""  # the transfer as the ERP sent it


@dataclass(frozen=True)
class VoucherLine:
    account_number: int
    amount: Decimal  # debit positive, credit negative; lines of a voucher sum to zero
    description: str = ""
    customer_erp_id: str = ""
    invoice_number: str = ""
    vat_code: str = ""  # the creditor's VAT code for the line (its account setup), if any


@dataclass(frozen=True)
class SettlementVoucher:
    external_number: str  # our settlement id: the ERP keeps it, so a second post finds the first
    date: dt.date
    description: str
    currency: str
    lines: tuple[VoucherLine, ...]

    def __post_init__(self):
        total = sum((line.amount for line in self.lines), Decimal(0))
        if total != 0:
            raise ValueError(f"voucher {self.external_number} does not balance ({total})")
