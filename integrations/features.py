"""What an ERP can do, feature by feature: a `Feature` enum, one small protocol per feature, and
the adapter base that says which it has.

Callers ask before they call (`adapter.has(Feature.POST_VOUCHER)`) and skip what an ERP lacks:
Inexchange has no payment or voucher API, so its settlements are not posted and its direct
payments are not read. One giant interface for all ERPs would make each lacking ERP fake
methods; a feature set makes the gaps explicit (the shape of Sentry's integration features).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from decimal import Decimal
from typing import ClassVar, Protocol

from integrations.base import (
    CaseStatus,
    ErpBadRecord,
    ErpCompany,
    ErpCustomer,
    ErpCustomerClass,
    ErpInvoice,
    ErpPayment,
    ErpTransfer,
    InvoiceRef,
    SettlementVoucher,
)


class Feature(enum.StrEnum):
    READ_COMPANY = "read_company"
    LIST_OPEN_INVOICES = "list_open_invoices"
    READ_CUSTOMERS = "read_customers"  # customers and their classes
    READ_DIRECT_PAYMENTS = "read_direct_payments"  # direct payments and credit notes
    WRITE_CASE_REFERENCE = "write_case_reference"  # our case number on the invoice
    WRITE_CASE_STATUS = "write_case_status"  # whether our case is ongoing or done
    REGISTER_PAYMENT = "register_payment"  # a payment on the invoice in the ERP
    POST_VOUCHER = "post_voucher"  # a settlement voucher into the ERP's ledger
    LIST_CLIENT_COMPANIES = "list_client_companies"  # an accounting firm's key: its clients


class ReadsCompany(Protocol):
    def fetch_company(self) -> ErpCompany: ...


class ListsOpenInvoices(Protocol):
    def list_open_invoices(self, *, as_of: dt.date) -> Iterator[ErpInvoice | ErpBadRecord]:
        """Invoices with an outstanding amount, credit notes excluded. A record that cannot be
        read comes as an ErpBadRecord; a reply that cannot be read at all raises."""

    def get_invoice(self, erp_id: str) -> ErpInvoice: ...


class ReadsCustomers(Protocol):
    def list_customers(self) -> Iterator[ErpCustomer]: ...

    def list_customer_classes(self) -> list[ErpCustomerClass]: ...


class ReadsDirectPayments(Protocol):
    def list_direct_payments(self, invoice: ErpInvoice) -> list[ErpPayment]:
        """Payments (to the creditor, not to us) and credit notes matched on the invoice."""


class WritesCaseReference(Protocol):
    def write_case_reference(self, *, invoice: InvoiceRef, case_number: str, url: str = ""):
        """Show our case number on the invoice. Idempotent."""


class WritesCaseStatus(Protocol):
    def write_case_status(
        self, *, invoice: InvoiceRef, case_number: str, status: CaseStatus, url: str = ""
    ):
        """Show whether our case is ongoing or done on the invoice. Idempotent."""


class RegistersPayment(Protocol):
    def register_payment(
        self, *, invoice: InvoiceRef, paid_on: dt.date, amount: Decimal, currency: str
    ) -> str:
        """Register a payment on the invoice; returns the ERP's id for it. Not idempotent: the
        caller records it before a second attempt."""


class PostsVoucher(Protocol):
    def find_settlement_voucher(self, external_number: str) -> str | None:
        """The ERP's id of the voucher posted with our external number, or None."""

    def post_settlement_voucher(self, voucher: SettlementVoucher) -> str:
        """Post the voucher, return the ERP's id; a second call with the same external number
        returns the first voucher's id and posts nothing."""


class ListsClientCompanies(Protocol):
    def list_client_companies(self) -> list[ErpCompany]:
        """The client companies an accounting firm's key reaches (none for a company's own key);
        each `erp_id` is what the adapter's connection names to reach that client."""


class ReceivesTransfers(Protocol):
    """Not a Feature of the sync's kind: an ERP where the creditor hands invoices over itself
    (Netvisor) says so with `ErpAdapter.receives_transfers`; its cases come from these
    transfers, never from a listing of every open invoice."""

    def list_transfers(self, *, as_of: dt.date) -> list[ErpTransfer]:
        """The invoices handed over to us in the ERP and not yet acknowledged, each checked
        against the ERP's rules (a refused one says why)."""

    def acknowledge_transfer(self, erp_id: str) -> None:
        """The transfer is taken (or refused with its reason recorded): not listed again."""

    def get_invoice(self, erp_id: str) -> ErpInvoice: ...

    def list_direct_payments(self, invoice: ErpInvoice) -> list[ErpPayment]: ...


PROTOCOLS: dict[Feature, type] = {
    Feature.READ_COMPANY: ReadsCompany,
    Feature.LIST_OPEN_INVOICES: ListsOpenInvoices,
    Feature.READ_CUSTOMERS: ReadsCustomers,
    Feature.READ_DIRECT_PAYMENTS: ReadsDirectPayments,
    Feature.WRITE_CASE_REFERENCE: WritesCaseReference,
    Feature.WRITE_CASE_STATUS: WritesCaseStatus,
    Feature.REGISTER_PAYMENT: RegistersPayment,
    Feature.POST_VOUCHER: PostsVoucher,
    Feature.LIST_CLIENT_COMPANIES: ListsClientCompanies,
}


def protocol_methods(protocol: type) -> list[str]:
    return [n for n, v in vars(protocol).items() if callable(v) and not n.startswith("_")]


class ErpAdapter:
    """One subclass per ERP, registered by slug (integrations.registry), built from its typed
    connection (`connection_type.from_dict`, checked at onboarding)."""

    slug: ClassVar[str]
    label: ClassVar[str]
    features: ClassVar[frozenset[Feature]] = frozenset()
    receives_transfers: ClassVar[bool] = False  # ReceivesTransfers: cases come by transfer
    connection_type: ClassVar[type]

    def __init__(self, connection):
        if not isinstance(connection, self.connection_type):
            raise TypeError(
                f"{type(self).__name__} takes a {self.connection_type.__name__}, "
                f"not {type(connection).__name__}: parse it with integrations.registry.connect"
            )
        self.connection = connection

    def has(self, feature: Feature) -> bool:
        return feature in self.features

    @classmethod
    def missing_methods(cls) -> list[str]:
        """Methods a declared feature needs that the class does not define."""
        protocols = [(str(f), PROTOCOLS[f]) for f in sorted(cls.features)]
        if cls.receives_transfers:
            protocols.append(("receives_transfers", ReceivesTransfers))
        return [
            f"{label}: {name}"
            for label, protocol in protocols
            for name in protocol_methods(protocol)
            if not callable(getattr(cls, name, None))
        ]
