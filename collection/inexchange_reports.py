"""Payments and credit notes reported against an invoice in collection, by a partner through our
partner API (collection.inexchange_api) or by the creditor in the portal
(collection.inexchange_views), and the case as the partner reads it back. Both reports are
idempotent on the reporter's id for the movement."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.urls import reverse

from cases import ledger
from cases.models import Invoice, LedgerEntry, Payment
from collection.payments import credit_note_register, payment_register


class ReportRefused(ValueError):
    """The report cannot be booked (another currency, a closed case): the reason for a person."""


def _check(invoice: Invoice, currency: str) -> None:
    if currency != invoice.currency:
        raise ReportRefused(f"the invoice is in {invoice.currency}, not {currency}")
    if invoice.case is None:
        raise ReportRefused("the invoice is not in collection")


def payment_report(
    *, invoice: Invoice, source: str, id: str, amount: Decimal, currency: str, paid_on: dt.date
) -> bool:
    """A payment the creditor received directly: booked and settled on the case (and the ERP
    told when it closed it). Returns False when this id was booked before (nothing happens)."""
    _check(invoice, currency)
    external_id = f"{source}:{id}"[:64]
    case = invoice.case
    if Payment.objects.filter(case=case, external_id=external_id).exists():
        return False
    if case.status == case.Status.CLOSED:
        raise ReportRefused(f"case {case.number} is closed")
    payment_register(
        case=case,
        source=Payment.Source.DIRECT,
        external_id=external_id,
        amount=amount,
        paid_on=paid_on,
    )
    return True


def credit_note_report(
    *,
    invoice: Invoice,
    source: str,
    id: str,
    number: str,
    amount: Decimal,
    currency: str,
    credited_on: dt.date,
) -> bool:
    """A credit note against the invoice: lowers its capital; one crediting it in full closes
    the case as credited. Returns False when this id was booked before."""
    _check(invoice, currency)
    external_id = f"{invoice.creditor_id}:{source}:{id}"
    case = invoice.case
    if LedgerEntry.objects.filter(case=case, key=f"credit:{external_id}").exists():
        return False
    if case.status == case.Status.CLOSED:
        raise ReportRefused(f"case {case.number} is closed")
    credit_note_register(
        case=case, invoice=invoice, amount=amount, credited_on=credited_on, external_id=external_id
    )
    return True


@dataclass(frozen=True)
class CaseView:
    document_id: str
    invoice_number: str
    case_reference: str
    status: str
    outcome: str
    stage: str
    stage_label: str
    currency: str
    outstanding: Decimal
    payment_reference: str
    url: str

    @classmethod
    def of(cls, invoice: Invoice, site: str) -> CaseView:
        case = invoice.case
        path = reverse("case-detail", args=[case.creditor_id, case.number])
        return cls(
            document_id=invoice.erp_id,
            invoice_number=invoice.number,
            case_reference=case.number or "",
            status=case.status,
            outcome=case.outcome,
            stage=case.stage,
            stage_label=str(case.Stage(case.stage).label),
            currency=invoice.currency,
            outstanding=ledger.outstanding(case),
            payment_reference=case.payment_reference,
            url=site.rstrip("/") + path,
        )

    def as_dict(self) -> dict:
        return asdict(self)
