"""The small interface every ERP package implements, and the plain records it speaks in.

An adapter is built from a connection (the credentials and the ERP's company id, as a dict) and
only moves data: it never touches the database and knows no creditor, case or settlement. The
layer above (collection: `collection.erp.adapter_for`, `collection.sync`) builds it from the
creditor's stored connection and turns these records into debtors, invoices and cases.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar


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
    voucher_id: str = ""  # the ERP's ledger voucher behind the invoice, for write-backs
    collection_prohibited: bool = False  # the ERP says: do not collect this invoice
    disputed: bool = False  # the customer disputes the claim (never pressed: INKL § 17)


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
    kind: str = "payment"  # or "credit_note"


@dataclass(frozen=True)
class VoucherLine:
    account_number: int
    amount: Decimal  # debit positive, credit negative; lines of a voucher sum to zero
    description: str = ""
    customer_erp_id: str = ""
    invoice_number: str = ""


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


class ErpAdapter(abc.ABC):
    """What AutoCollect needs from an ERP. One subclass per ERP, registered by slug."""

    slug: ClassVar[str]
    label: ClassVar[str]
    # What this ERP can do, e.g. {"case_reference", "direct_payments", "vouchers"}.
    capabilities: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, connection: dict):
        self.connection = connection

    @abc.abstractmethod
    def fetch_company(self) -> ErpCompany: ...

    @abc.abstractmethod
    def list_open_invoices(self, *, as_of: dt.date) -> Iterator[ErpInvoice | ErpBadRecord]:
        """Charged invoices with an outstanding amount, credit notes excluded. A record that
        cannot be read comes as an ErpBadRecord; a reply that cannot be read at all raises."""

    @abc.abstractmethod
    def get_invoice(self, erp_id: str) -> ErpInvoice: ...

    @abc.abstractmethod
    def list_direct_payments(self, invoice: ErpInvoice) -> list[ErpPayment]:
        """Payments (paid to the creditor, not to us) and credit notes matched against the
        invoice in the ERP."""

    @abc.abstractmethod
    def write_case_reference(
        self, *, invoice_erp_id: str, voucher_id: str, case_number: str, status: str, url: str = ""
    ) -> None:
        """Show our case number on the invoice in the ERP. Idempotent."""

    @abc.abstractmethod
    def find_settlement_voucher(self, external_number: str) -> str | None:
        """The ERP's id of the voucher posted with our external number, or None."""

    @abc.abstractmethod
    def post_settlement_voucher(self, voucher: SettlementVoucher) -> str:
        """Post the voucher and return the ERP's voucher id. A second call with the same
        external number returns the first voucher's id and posts nothing."""


_registry: dict[str, type[ErpAdapter]] = {}


def register(cls: type[ErpAdapter]) -> type[ErpAdapter]:
    _registry[cls.slug] = cls
    return cls


def adapter_class(slug: str) -> type[ErpAdapter]:
    # Import the packages here so that registration needs no dynamic loading by name.
    from integrations import tripletex  # noqa: F401

    try:
        return _registry[slug]
    except KeyError:
        raise LookupError(f"no ERP integration called {slug!r}") from None
