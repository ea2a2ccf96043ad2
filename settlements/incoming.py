"""Payments that reach our bank account: matched to a case by payment reference, or kept in the
unmatched queue for support staff with the reason. Never lost, never booked twice."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from cases.models import Case, Payment
from cases.payments import payment_register
from cases.references import InvalidReference, validate_reference
from settlements.models import IncomingPayment


def _match(reference: str, currency: str) -> tuple[Case | None, str]:
    compact = "".join(reference.split())
    for country in ("NO", "SE", "FI"):
        try:
            compact = validate_reference(country, compact)
            break
        except InvalidReference:
            continue
    else:
        return None, f"reference {reference!r} is not a valid KID, OCR or Finnish/RF reference"
    case = Case.objects.filter(payment_reference=compact).first()
    if case is None:
        return None, f"no case has payment reference {compact}"
    if case.currency != currency:
        return None, f"case {case.number} is in {case.currency}, the payment in {currency}"
    return case, ""


def incoming_payment_register(
    *,
    external_id: str,
    reference: str,
    amount: Decimal,
    currency: str,
    paid_on: dt.date,
    payer: str = "",
) -> IncomingPayment:
    """Register a bank transaction once; book it on its case when the reference matches."""
    with transaction.atomic():
        incoming, created = IncomingPayment.objects.select_for_update().get_or_create(
            external_id=external_id,
            defaults={
                "reference": reference,
                "amount": amount,
                "currency": currency,
                "paid_on": paid_on,
                "payer": payer,
                "status": IncomingPayment.Status.UNMATCHED,
            },
        )
        if not created:
            return incoming  # the same bank file twice: nothing happens the second time
        case, reason = _match(reference, currency)
        if case is None:
            incoming.reason = reason
            incoming.save(update_fields=["reason"])
            return incoming
        return _book(incoming, case)


def incoming_payment_match(*, incoming: IncomingPayment, case: Case) -> IncomingPayment:
    """Support staff put an unmatched payment on the right case."""
    with transaction.atomic():
        incoming = IncomingPayment.objects.select_for_update().get(pk=incoming.pk)
        if incoming.status != IncomingPayment.Status.UNMATCHED:
            raise ValueError(f"payment {incoming.external_id} is {incoming.status} already")
        if case.currency != incoming.currency:
            raise ValueError(f"case {case.number} is in {case.currency}")
        return _book(incoming, case)


def _book(incoming: IncomingPayment, case: Case) -> IncomingPayment:
    incoming.payment = payment_register(
        case=case,
        source=Payment.Source.COLLECTOR,
        external_id=incoming.external_id,
        amount=incoming.amount,
        paid_on=incoming.paid_on,
        reference=incoming.reference,
    )
    incoming.status, incoming.reason = IncomingPayment.Status.MATCHED, ""
    incoming.save(update_fields=["payment", "status", "reason"])
    return incoming
