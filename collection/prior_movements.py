"""Payments and credit notes the ERP had on an invoice before we took it over.

The outstanding amount we import is the ERP's: every payment and credit note made before the
import is netted into it already. When the invoice later changes in the ERP, the ERP lists ALL
of its movements, old and new; booking the old ones again would count them twice (the debtor
would be credited twice, the creditor paid out what it had received itself).

The rule: a movement is booked on the case only if it is NOT one the ERP showed on the invoice
when we took it over. Right after a page of invoices is stored (or a transfer taken), each new
case's invoice that the ERP shows with less outstanding than its amount is read once with its
movements, and their ids are kept on the case (an append-only case event, kind
`erp_prior_movements`, which also tells the creditor what the imported balance already holds).

Why by id and not by date: a payment's date in the ERP is its value date, not when it was
registered. A payment made on the import day, before or after the import, has the same date
as the import; one registered after the import may be dated before it (backdated). "Dated after
the case opened" would miss the first kind or count the second twice. The ids the ERP showed at
import are exactly the movements in the imported outstanding, whatever their dates.

The one gap between the two reads (the listing that gave the outstanding, then the read of the
movements): a movement registered in between is in the list but not in the imported
outstanding. The list is therefore cut to what the outstanding says was paid before: when the
listed movements add up to more than amount - imported outstanding, the newest (by date, then
id) are left out of the prior set until they do not, so that the newcomer is booked, not lost.
"""

from __future__ import annotations

from decimal import Decimal

from cases.models import CaseEvent, Invoice
from cases.services import event_add
from integrations.base import ErpInvoice, ErpPayment

KIND = "erp_prior_movements"
ZERO = Decimal("0.00")


def _signed(m: ErpPayment) -> Decimal:
    return -m.amount if m.kind == "reversal" else m.amount


def prior_choose(movements: list[ErpPayment], paid_before: Decimal) -> list[ErpPayment]:
    """The movements that make up `paid_before` (the invoice amount less the imported
    outstanding): all of them, less the newest while they add up to more."""
    chosen = sorted(movements, key=lambda m: (m.paid_on, m.erp_id))
    while chosen and sum((_signed(m) for m in chosen), ZERO) > paid_before:
        chosen.pop()
    return chosen


def needs_prior(erp: ErpInvoice) -> bool:
    """Only an invoice imported with less outstanding than its amount can have movements in
    the imported balance (the others are not read again at import)."""
    return erp.outstanding < erp.amount


def prior_movements_record(*, invoice: Invoice, movements: list[ErpPayment]) -> set[str]:
    """Keep on the invoice's case which of the ERP's movements the imported balance holds.
    Idempotent: an invoice recorded once is not recorded again."""
    existing = prior_ids([invoice]).get(invoice.pk)
    if existing is not None:
        return existing
    paid_before = invoice.original_amount - invoice.outstanding_amount
    chosen = prior_choose(movements, paid_before)
    ids = [m.erp_id for m in chosen]
    total = sum((_signed(m) for m in chosen), ZERO)
    event_add(
        invoice.case,
        KIND,
        f"Invoice {invoice.number}: {total} {invoice.currency} paid or credited in the ERP before "
        f"the import is in the imported balance ({len(ids)} movement(s)), not booked again",
        invoice=invoice.pk,
        erp_ids=ids,
        total=str(total),
        invoice_number=invoice.number,
        currency=invoice.currency,
    )
    return set(ids)


def prior_ids(invoices) -> dict[int, set[str]]:
    """Invoice pk -> the ids of the movements that were in its imported balance (absent: none
    recorded, so every movement is new)."""
    by_case: dict[int, list[int]] = {}
    for invoice in invoices:
        by_case.setdefault(invoice.case_id, []).append(invoice.pk)
    events = CaseEvent.objects.filter(case_id__in=list(by_case), kind=KIND).values_list("data")
    found: dict[int, set[str]] = {}
    for (data,) in events:
        found.setdefault(data["invoice"], set()).update(data["erp_ids"])
    return found


def movements_new(invoice: Invoice, movements: list[ErpPayment]) -> list[ErpPayment]:
    """The ERP's movements on the invoice that are not in its imported balance."""
    prior = prior_ids([invoice]).get(invoice.pk, set())
    return [m for m in movements if m.erp_id not in prior]
