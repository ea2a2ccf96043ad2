"""Money in, end to end: booked on the case (cases), settled (settlements: lines that wait for the
creditor's next payout, collection.payouts), and a case the money closed written back to the ERP
after commit."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from cases.models import Case, Invoice, Payment
from cases.payments import credit_register
from collection.closing import cases_closed
from collection.writeback import write_back_after_commit
from settlements.incoming import incoming_payment_auto_match, incoming_payment_store
from settlements.incoming import incoming_payment_match as incoming_match
from settlements.models import IncomingPayment, Settlement
from settlements.services import payment_reverse_settle, payment_settle


def payment_register(
    *,
    case: Case,
    source: str,
    external_id: str,
    amount: Decimal,
    paid_on: dt.date,
    reference: str = "",
) -> Payment:
    """Book and settle a payment (the same payment twice books nothing); tell the ERP when the
    payment closed the case. The settlement is paid out and booked with the next payout."""
    with transaction.atomic():
        settled = payment_settle(
            case=case,
            source=source,
            external_id=external_id,
            amount=amount,
            paid_on=paid_on,
            reference=reference,
        )
        if settled.closed:
            write_back_after_commit([settled.payment.case_id])
    return settled.payment


def payment_reverse(*, payment: Payment, reversal_id: str, on: dt.date) -> Settlement | None:
    """A booked payment undone (a negative correction in the creditor's ERP): reversed on its
    case and settled (settlements.services.payment_reverse_settle); the reversal's lines wait
    for the creditor's next payout. None when the payment was reversed before."""
    return payment_reverse_settle(payment=payment, reversal_id=reversal_id, on=on)


def credit_note_register(
    *, case: Case, invoice: Invoice, amount: Decimal, credited_on: dt.date, external_id: str
) -> None:
    """A credit note from the ERP on an invoice in the case; a case it closes is settled (what
    was paid so far) and written back."""
    with transaction.atomic():
        closed = credit_register(
            case=case,
            invoice=invoice,
            amount=amount,
            credited_on=credited_on,
            external_id=external_id,
        )
        if closed:
            cases_closed([case.pk])


def incoming_payment_register(
    *,
    external_id: str,
    reference: str,
    amount: Decimal | str,
    currency: str,
    paid_on: dt.date,
    payer: str = "",
) -> IncomingPayment:
    """A transaction on our bank account: stored once as received, then booked on the case its
    reference names when it can be (settlements.incoming), settled, posted and written back.
    The same transaction again returns the first row and does nothing."""
    incoming, created = incoming_payment_store(
        external_id=external_id,
        reference=reference,
        amount=amount,
        currency=currency,
        paid_on=paid_on,
        payer=payer,
    )
    if not created:
        return incoming  # the same bank file twice: nothing happens the second time
    return _delivered(incoming_payment_auto_match(incoming=incoming))


def incoming_payment_match(*, incoming: IncomingPayment, case: Case) -> IncomingPayment:
    """Support staff put an unmatched payment on the right case."""
    return _delivered(incoming_match(incoming=incoming, case=case))


def _delivered(incoming: IncomingPayment) -> IncomingPayment:
    """Write back the case of a payment just booked if it is closed now (idempotent: the ERP
    status is set, not added). Its settlement waits for the next payout."""
    if incoming.status == IncomingPayment.Status.MATCHED:
        payment = incoming.payment
        if payment.case.status == Case.Status.CLOSED:
            write_back_after_commit([payment.case_id])
    return incoming
