"""Payments that reach our bank account. Each is stored first, as the bank reported it (the
reference and the amount as text), and only then read and matched to a case by its payment
reference; whatever cannot be booked waits in the unmatched queue for support staff with the
reason. Never lost, never booked twice. The entry point that also posts the settlement and tells
the ERP is the layer above's (collection.payments.incoming_payment_register)."""

import datetime as dt
import logging
from decimal import Decimal

from django.db import transaction

from cases.models import Case, Payment
from nordic.money import MINOR_UNITS, AmountError, money
from nordic.references import InvalidReference, normalize_reference, validate_reference
from settlements.models import IncomingPayment
from settlements.services import payment_settle

logger = logging.getLogger("settlements.incoming")
REASON_LENGTH = IncomingPayment._meta.get_field("reason").max_length


def incoming_payment_store(
    *,
    external_id: str,
    reference: str,
    amount: Decimal | str,
    currency: str,
    paid_on: dt.date,
    payer: str = "",
) -> tuple[IncomingPayment, bool]:
    """Register a bank transaction once, as received (the amount as text too); returns the row
    and whether it is new (the same bank file twice gives the first row)."""
    code = str(currency or "").strip().upper()
    try:
        parsed, reason = money(amount, code if code in MINOR_UNITS else None), ""
    except AmountError as exc:
        parsed, reason = None, f"the amount cannot be booked: {exc}"
    normalized = normalize_reference(reference or "")
    with transaction.atomic():
        return IncomingPayment.objects.get_or_create(
            external_id=external_id,
            defaults={
                "reference": reference or "",
                # Longer than any reference scheme allows: kept raw only, it cannot match.
                "normalized_reference": normalized if len(normalized) <= 64 else "",
                "raw_amount": "" if amount is None else str(amount),
                "amount": parsed,
                "currency": code[:3],
                "paid_on": paid_on,
                "payer": (payer or "")[:200],
                "status": IncomingPayment.Status.UNMATCHED,
                "reason": reason[:REASON_LENGTH] or "not matched yet",
            },
        )


def incoming_payment_auto_match(*, incoming: IncomingPayment) -> IncomingPayment:
    """Book a stored, unmatched payment on the case its reference names, or record why not.
    A failure while booking leaves the payment stored and unmatched with the reason."""
    with transaction.atomic():
        incoming = IncomingPayment.objects.select_for_update().get(pk=incoming.pk)
        if incoming.status != IncomingPayment.Status.UNMATCHED:
            return incoming
        case, reason = _match(incoming)
        if case is not None:
            try:
                with transaction.atomic():
                    return _book(incoming, case)
            except Exception as exc:  # whatever it was, the payment must stay in the queue
                logger.exception("incoming payment %s could not be booked", incoming.external_id)
                incoming.refresh_from_db()
                reason = f"could not be booked on case {case.number}: {type(exc).__name__}: {exc}"
        incoming.reason = reason[:REASON_LENGTH]
        incoming.save(update_fields=["reason"])
        return incoming


def incoming_payment_match(*, incoming: IncomingPayment, case: Case) -> IncomingPayment:
    """Support staff put an unmatched payment on the right case."""
    with transaction.atomic():
        incoming = IncomingPayment.objects.select_for_update().get(pk=incoming.pk)
        if incoming.status != IncomingPayment.Status.UNMATCHED:
            raise ValueError(f"payment {incoming.external_id} is {incoming.status} already")
        if incoming.amount is None or incoming.amount <= 0:
            raise ValueError(
                f"payment {incoming.external_id} has no positive amount ({incoming.raw_amount!r})"
            )
        if case.currency != incoming.currency:
            raise ValueError(f"case {case.number} is in {case.currency}")
        return _book(incoming, case)


def _match(incoming: IncomingPayment) -> tuple[Case | None, str]:
    if incoming.amount is None:
        return None, incoming.reason
    if incoming.amount <= 0:
        return None, f"the amount {incoming.amount} is not positive: nothing to book"
    ref = incoming.normalized_reference
    case = _case_for(ref)
    if case is None:
        return None, _why_no_case(incoming.reference, ref)
    # The reference is this case's; it must also pass the check the creditor agreed with its
    # bank (a Norwegian KID: MOD10 or MOD11, never "either").
    try:
        validate_reference(case.country, ref, kid_algorithm=case.creditor.kid_algorithm)
    except InvalidReference as exc:
        return (
            None,
            f"reference {ref} is case {case.number}'s but fails its creditor's check: {exc}",
        )
    if case.currency != incoming.currency:
        return None, f"case {case.number} is in {case.currency}, the payment in {incoming.currency}"
    return case, ""


def _case_for(ref: str) -> Case | None:
    if not ref:
        return None
    cases = Case.objects.select_related("creditor")
    found = cases.filter(payment_reference=ref).first()
    if found or not (ref.isdigit() or ref.startswith("RF")):
        return found
    # A Finnish reference is printed without leading zeros but often paid zero-padded, alone or
    # as the body of an RF reference.
    body = ref[4:] if ref.startswith("RF") else ref
    return cases.filter(payment_reference=body.lstrip("0") or body, country="FI").first()


def _why_no_case(raw: str, ref: str) -> str:
    for country in ("NO", "SE", "FI"):
        try:
            validate_reference(country, ref)
        except ValueError:
            continue
        return f"no case has payment reference {ref}"
    return f"reference {raw!r} is not a valid KID, OCR or Finnish/RF reference"


def _book(incoming: IncomingPayment, case: Case) -> IncomingPayment:
    settled = payment_settle(
        case=case,
        source=Payment.Source.COLLECTOR,
        external_id=incoming.external_id,
        amount=incoming.amount,
        paid_on=incoming.paid_on,
        reference=incoming.normalized_reference or incoming.reference[:64],
    )
    incoming.payment = settled.payment
    incoming.status, incoming.reason = IncomingPayment.Status.MATCHED, ""
    incoming.save(update_fields=["payment", "status", "reason"])
    return incoming
