"""Money in: payments (to us, or directly to the creditor) and credit notes, booked on the case
ledger in the country's order with the order recorded on the payment."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from cases import engine, ledger
from cases.models import Case, Invoice, LedgerEntry, Payment
from cases.rules import country_rules
from cases.services import case_close, case_flag, event_add, locked

C = LedgerEntry.Component
K = LedgerEntry.Kind
ZERO = Decimal("0.00")


def _book_interest_to(case: Case, day: dt.date) -> None:
    """Interest runs until the day money arrives: book it before the money is allocated. A debtor
    who pays by the deadline of the last letter owes what the letter said, not a day more."""
    last_letter = case.letters.order_by("-letter_date", "-pk").first()
    if last_letter and day <= last_letter.pay_by:
        day = min(day, last_letter.letter_date)
    facts = engine.load_facts([case])[0]
    ledger.entries_post(
        engine.interest_entries(facts, country_rules(case.country), facts.claim(), day)
    )


@dataclass(frozen=True)
class PaymentBooked:
    """What booking a payment did, for the layer above to act on (settle it, tell the ERP)."""

    payment: Payment
    parts: dict[str, Decimal]  # the allocation by ledger component; empty when not `created`
    created: bool  # False: the same payment again, booked the first time
    closed: bool  # this payment closed the case


def payment_register(
    *,
    case: Case,
    source: str,
    external_id: str,
    amount: Decimal,
    paid_on: dt.date,
    reference: str = "",
) -> PaymentBooked:
    """Book a payment on the case: allocate it and close the case when nothing is owed. The
    same (source, external_id) twice returns the first payment and books nothing. Settling it is
    the caller's (settlements.services.payment_settle)."""
    if amount <= 0:
        raise ValueError("a payment amount must be positive")
    with transaction.atomic():
        case = locked(case)
        existing = Payment.objects.filter(
            creditor_id=case.creditor_id, source=source, external_id=external_id
        ).first()
        if existing:
            return PaymentBooked(existing, {}, created=False, closed=False)
        written_off = case.outcome == Case.Outcome.WRITTEN_OFF
        if case.status != Case.Status.CLOSED:
            _book_interest_to(case, paid_on)
            _cancel_fees_of_letters_sent_after(case, paid_on)
        order = ledger.allocation_order(case)
        owed = _written_off(case) if written_off else ledger.balances(case)
        parts = ledger.split(amount, owed, order)
        payment = Payment.objects.create(
            creditor_id=case.creditor_id,
            case=case,
            source=source,
            external_id=external_id,
            amount=amount,
            currency=case.currency,
            paid_on=paid_on,
            reference=reference,
            allocation_order=",".join(order),
        )
        if written_off:
            # Money after a write-off first revives what was written off, then pays it: the
            # ledger stays balanced and the creditor gets what came in.
            _entries(
                case,
                payment,
                {k: v for k, v in parts.items() if k != C.OVERPAYMENT},
                K.WRITE_OFF_REVERSAL,
                sign=1,
            )
        _entries(case, payment, parts, K.PAYMENT, sign=-1)
        event_add(
            case,
            "payment",
            f"Payment of {amount} {case.currency} ({source})",
            payment=payment.pk,
            amount=str(amount),
            currency=case.currency,
            source=source,
            allocation={k: str(v) for k, v in parts.items()},
            order=list(order),
        )
        closed = case.status != Case.Status.CLOSED and ledger.outstanding(case) <= 0
        if closed:
            case_close(case=case, outcome=Case.Outcome.PAID)
    return PaymentBooked(payment, parts, created=True, closed=closed)


def _cancel_fees_of_letters_sent_after(case: Case, paid_on: dt.date) -> None:
    """SE (IMY, SE-A3): the inkassokostnad is owed only if the krav was sent no later than the
    day the payment was booked. A payment booked before a letter went out cancels that letter's
    fee (once: the key makes it idempotent)."""
    if case.country != "SE":
        return
    for letter in case.letters.filter(letter_date__gt=paid_on):
        fee = LedgerEntry.objects.filter(
            case=case, key=f"fee:{letter.stage}", kind=K.CHARGE
        ).first()
        key = f"credit:fee:{letter.stage}"
        if fee and not LedgerEntry.objects.filter(case=case, key=key).exists():
            ledger.entries_post(
                [
                    LedgerEntry(
                        creditor_id=case.creditor_id,
                        case=case,
                        key=key,
                        kind=K.CREDIT,
                        component=C.FEE,
                        amount=-fee.amount,
                        booked_on=paid_on,
                        description="fee not owed: paid before the letter was sent",
                        params={"what": "fee_not_owed", "stage": letter.stage},
                    )
                ]
            )


def _written_off(case: Case) -> dict[str, Decimal]:
    """What the write-off took away and no later payment has revived yet."""
    rows = (
        LedgerEntry.objects.filter(case=case, kind__in=[K.WRITE_OFF, K.WRITE_OFF_REVERSAL])
        .values("component")
        .annotate(total=Sum("amount"))
    )
    return {r["component"]: -r["total"].quantize(ZERO) for r in rows if r["total"] < 0}


def _entries(case, payment, parts, kind, *, sign) -> None:
    rows = []
    for component, amount in parts.items():
        shares = _capital_by_invoice(case, amount) if component == C.CAPITAL else [(None, amount)]
        for invoice, share in shares:
            suffix = f"{component}:{invoice.pk}" if invoice else component
            rows.append(
                LedgerEntry(
                    creditor_id=case.creditor_id,
                    case=case,
                    kind=kind,
                    component=component,
                    amount=sign * share,
                    booked_on=payment.paid_on,
                    payment=payment,
                    invoice=invoice,
                    key=f"{kind}:{payment.pk}:{suffix}",
                )
            )
    ledger.entries_post(rows)


def _capital_by_invoice(case: Case, amount: Decimal):
    """Capital goes to the oldest invoice first."""
    owed = {
        invoice: total.quantize(ZERO)
        for invoice, total in LedgerEntry.objects.filter(case=case, component=C.CAPITAL)
        .exclude(kind=K.WRITE_OFF)
        .values_list("invoice")
        .annotate(total=Sum("amount"))
    }
    left = amount
    shares = []
    for invoice in case.invoices.order_by("due_date", "pk"):
        share = min(left, owed.get(invoice.pk, ZERO))
        if share > 0:
            shares.append((invoice, share))
            left -= share
    if left > 0 and shares:  # rounding or a write-off revival beyond the invoices' capital
        invoice, share = shares[-1]
        shares[-1] = (invoice, share + left)
    elif left > 0:
        shares.append((case.invoices.order_by("due_date", "pk").first(), left))
    return shares


def credit_register(
    *, case: Case, invoice: Invoice, amount: Decimal, credited_on: dt.date, external_id: str
) -> bool:
    """A credit note on an invoice in the case lowers its capital. A fully credited claim was
    never owed, so the fees and interest on it fall away and the case closes as credited.
    Returns whether this credit note closed the case."""
    with transaction.atomic():
        case = locked(case)
        key = f"credit:{external_id}"
        if LedgerEntry.objects.filter(case=case, key=key).exists():
            return False
        capital = (
            LedgerEntry.objects.filter(case=case, invoice=invoice, component=C.CAPITAL).aggregate(
                t=Sum("amount")
            )["t"]
            or ZERO
        )
        take = min(amount, capital)
        if take > 0:
            ledger.entries_post(
                [
                    LedgerEntry(
                        creditor_id=case.creditor_id,
                        case=case,
                        kind=K.CREDIT,
                        component=C.CAPITAL,
                        amount=-take,
                        booked_on=credited_on,
                        invoice=invoice,
                        key=key,
                        description=f"Credit note on invoice {invoice.number}",
                        params={"what": "credit_note", "invoice": invoice.number},
                    )
                ]
            )
        event_add(
            case,
            "credit",
            f"Credit note of {amount} {case.currency} on {invoice.number}",
            credited=str(take),
            amount=str(amount),
            currency=case.currency,
            invoice_number=invoice.number,
        )
        if ledger.balances(case)[C.CAPITAL] <= 0 and case.status != Case.Status.CLOSED:
            owed = ledger.balances(case)
            ledger.entries_post(
                [
                    LedgerEntry(
                        creditor_id=case.creditor_id,
                        case=case,
                        kind=K.CREDIT,
                        component=component,
                        amount=-owed[component],
                        booked_on=credited_on,
                        key=f"credit:{external_id}:{component}",
                        description="claim credited",
                        params={"what": "claim_credited"},
                    )
                    for component in (C.FEE, C.INTEREST)
                    if owed[component] > 0
                ]
            )
            case_close(case=case, outcome=Case.Outcome.CREDITED)
            return True
    return False


@dataclass(frozen=True)
class PaymentReversed:
    """What reversing a payment did, for the layer above to settle."""

    case: Case  # locked, with its creditor
    payment: Payment
    parts: dict[str, Decimal]  # what the payment had paid, now taken back, by component
    created: bool  # False: the payment was reversed before; nothing booked now


def payment_reverse(*, payment: Payment, reversal_id: str, on: dt.date) -> PaymentReversed:
    """Undo a booked payment (a negative correction of it in the creditor's ERP): every ledger
    entry the payment booked (its allocation, and a write-off it revived) is booked again
    negated, on the same component and invoice, so what it paid is owed again. The entries go
    through ledger.entries_post, so the case's stored outstanding moves with them. A payment is
    reversed once, whichever correction names it (keys `reversal:<id>:<entry>`). A case the
    payment closed stays closed and is flagged for support (a closed case is not reopened by a
    sync). Settling the reversal is the caller's (settlements.services.payment_reverse_settle)."""
    with transaction.atomic():
        case = locked(payment.case)
        originals = list(payment.entries.exclude(key__startswith="reversal:").order_by("pk"))
        if payment.entries.filter(key__startswith="reversal:").exists():
            return PaymentReversed(case, payment, {}, created=False)
        parts: dict[str, Decimal] = {}
        for e in originals:
            if e.kind == K.PAYMENT:
                parts[e.component] = parts.get(e.component, ZERO) - e.amount
        ledger.entries_post(
            [
                LedgerEntry(
                    creditor_id=case.creditor_id,
                    case=case,
                    kind=e.kind,
                    component=e.component,
                    amount=-e.amount,
                    booked_on=on,
                    payment=payment,
                    invoice_id=e.invoice_id,
                    key=f"reversal:{reversal_id}:{e.pk}",
                    description=f"Payment {payment.external_id} reversed (negative correction)",
                    params={"what": "payment_reversed", "payment": payment.external_id},
                )
                for e in originals
            ]
        )
        event_add(
            case,
            "payment_reversed",
            f"Payment of {payment.amount} {payment.currency} reversed: corrected in the ERP",
            payment=payment.pk,
            reversal=reversal_id,
            amount=str(payment.amount),
            currency=payment.currency,
        )
        if case.status == Case.Status.CLOSED:
            case_flag(
                case=case,
                reason=f"A payment that closed case {case.number} was reversed",
                flag="payment_reversed",
                number=case.number,
            )
    return PaymentReversed(case, payment, parts, created=True)
