"""Many due cases at once, written as `cases.services.case_open` writes one (debtor, invoice,
case with number and payment reference, capital ledger entry, "opened" event), in bulk.
For the concurrency tests and bench/advance.py, where opening 100 000 cases one by one would
take longer than what is measured."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from cases.models import Case, CaseEvent, Debtor, Invoice, LedgerEntry
from nordic.references import reference_for_case


def due_cases_in_bulk(
    *,
    creditors: list,
    seqs: range,
    due: dt.date,
    opened_on: dt.date,
    kind_of: Callable = lambda creditor: "business",
    amount: Decimal = Decimal("1000.00"),
) -> list[Case]:
    """Case number i (for i in `seqs`, which must be unused) belongs to creditors[i % n]; its
    next action is due on `opened_on`."""
    owners = [creditors[i % len(creditors)] for i in seqs]
    debtors = Debtor.objects.bulk_create(
        Debtor(
            creditor=cr,
            erp_id=f"d{i}",
            name=f"Debtor {i}",
            kind=kind_of(cr),
            address_line1="Kirkeveien 2",
            postal_code="0368",
            city="Oslo",
            country=cr.country,
        )
        for i, cr in zip(seqs, owners, strict=True)
    )
    cases = Case.objects.bulk_create(
        Case(
            creditor=cr,
            debtor=d,
            country=cr.country,
            currency=cr.currency,
            number=str(i),
            payment_reference=reference_for_case(
                cr.country, str(i), kid_algorithm=cr.kid_algorithm
            ),
            opened_on=opened_on,
            next_action_on=opened_on,
            outstanding=amount,  # its capital entry below, as cases.opening writes a case
        )
        for i, cr, d in zip(seqs, owners, debtors, strict=True)
    )
    invoices = Invoice.objects.bulk_create(
        Invoice(
            creditor=c.creditor,
            debtor=c.debtor,
            case=c,
            erp_id=f"i{i}",
            number=str(i),
            invoice_date=due - dt.timedelta(days=14),
            due_date=due,
            currency=c.currency,
            original_amount=amount,
            outstanding_amount=amount,
        )
        for i, c in zip(seqs, cases, strict=True)
    )
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            creditor=inv.creditor,
            case=inv.case,
            kind=LedgerEntry.Kind.CHARGE,
            component=LedgerEntry.Component.CAPITAL,
            amount=inv.outstanding_amount,
            booked_on=opened_on,
            invoice=inv,
            description=f"Invoice {inv.number}",
            params={"what": "invoice", "invoice": inv.number},
            key=f"capital:invoice:{inv.pk}",
        )
        for inv in invoices
    )
    CaseEvent.objects.bulk_create(
        CaseEvent(
            creditor=c.creditor,
            case=c,
            kind="opened",
            message=f"Case opened on invoice(s) {inv.number}",
            data={"invoices": [inv.number]},
        )
        for c, inv in zip(cases, invoices, strict=True)
    )
    return cases
