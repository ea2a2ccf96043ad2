"""Money the creditor's ERP records on an invoice we collect, for an ERP whose cases come by
transfer (Netvisor, seed 003 "bypass payments"): each open case's invoice is read with its
payments, and each becomes what it is on the case:

- a payment the customer made to the creditor (recorded without "payment is settlement from
  collection agency", or a matched reference payment): a direct payment;
- a credit invoice applied to the invoice: a credit note;
- an instalment of a payment plan (partial payments matched by default): a direct payment, and
  the case stays paused (reason payment_plan) while instalments arrive;
- a negative correction: the payment it corrects is reversed on the case;
- our own settlements and credit losses: nothing (the guide: a credit loss is not reported).

All idempotent (a payment by its ERP id, a reversal by its ERP id), so a night read twice books
nothing twice. One that cannot be booked is set aside with the reason; the others go through.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from cases.models import Case, Invoice, LedgerEntry, Payment
from cases.services import case_pause
from collection.erp import adapter_for
from collection.importing import payload
from collection.models import QuarantinedRecord, SyncRun
from collection.payments import credit_note_register, payment_register, payment_reverse
from collection.prior_movements import movements_new, prior_ids, prior_movements_record
from collection.quarantine import quarantine_record
from creditors.models import Creditor
from integrations.base import ErpPayment
from integrations.errors import ErpMalformedResponse, ErpNotFound
from nordic.calendar import local_today

logger = logging.getLogger("integrations.sync")


def erp_payments_sync(*, creditor: Creditor, today: dt.date | None = None) -> SyncRun:
    """Read every open case's invoice and its payments from the ERP and book what is new."""
    today = today or local_today(creditor.time_zone)
    run = SyncRun.objects.create(creditor=creditor, as_of=today)
    adapter = adapter_for(creditor)
    invoices = (
        Invoice.objects.for_creditor(creditor)
        .exclude(case=None)
        .exclude(case__status=Case.Status.CLOSED)
        .select_related("case")
        .order_by("pk")
    )
    for invoice in invoices:
        try:
            erp = adapter.get_invoice(invoice.erp_id)
            movements = adapter.list_direct_payments(erp)
        except (ErpNotFound, ErpMalformedResponse) as exc:
            _set_aside(run, creditor, "invoice", invoice.erp_id, str(exc), invoice.case)
            continue
        movements = _new_since_transfer(invoice, movements)
        for movement in movements:
            try:
                with transaction.atomic():
                    run.payments += movement_book(invoice=invoice, movement=movement, today=today)
            except Exception as exc:
                logger.exception("payment %s on %s not booked", movement.erp_id, invoice)
                reason = (
                    f"{movement.kind} of {movement.amount} {movement.currency} on invoice "
                    f"{invoice.number} could not be booked: {exc}"
                )
                _set_aside(
                    run,
                    creditor,
                    "payment",
                    movement.erp_id,
                    reason,
                    invoice.case,
                    payload(movement),
                )
    run.status = SyncRun.Status.OK
    run.save()
    return run


def _new_since_transfer(invoice: Invoice, movements: list[ErpPayment]) -> list[ErpPayment]:
    """Leave out the payments and credits made before the transfer: the transferred outstanding
    holds them (collection.prior_movements). The first read of a case, on the night its transfer
    is taken (transfers_sync reads the payments right after the transfers), records which they
    are; an invoice transferred in full has none."""
    if invoice.original_amount > invoice.outstanding_amount and invoice.pk not in prior_ids(
        [invoice]
    ):
        prior_movements_record(invoice=invoice, movements=movements)
    return movements_new(invoice, movements)


def _set_aside(run, creditor, kind, erp_id, reason, case, data="") -> None:
    run.quarantined += 1
    kinds = {"invoice": QuarantinedRecord.Kind.INVOICE, "payment": QuarantinedRecord.Kind.PAYMENT}
    quarantine_record(
        creditor=creditor,
        run=run,
        kind=kinds[kind],
        erp_id=erp_id,
        reason=reason,
        payload=data,
        case=case,
    )


def movement_book(*, invoice: Invoice, movement: ErpPayment, today: dt.date) -> int:
    """Book one ERP movement on the invoice's case; 1 if it booked something new."""
    case = invoice.case
    if movement.kind == "credit_note":
        key = f"credit:{invoice.creditor_id}:{movement.erp_id}"
        if LedgerEntry.objects.filter(case=case, key=key).exists():
            return 0
        credit_note_register(
            case=case,
            invoice=invoice,
            amount=movement.amount,
            credited_on=movement.paid_on,
            external_id=f"{invoice.creditor_id}:{movement.erp_id}",
        )
        return 1
    if movement.kind == "reversal":
        corrected = Payment.objects.filter(
            creditor_id=case.creditor_id,
            case=case,
            source=Payment.Source.DIRECT,
            external_id=movement.reverses,
        ).first()
        if corrected is None:
            raise LookupError(f"the corrected payment {movement.reverses} is not on this case")
        before = LedgerEntry.objects.filter(payment=corrected, key__startswith="reversal:")
        if before.exists():
            return 0
        payment_reverse(payment=corrected, reversal_id=movement.erp_id, on=movement.paid_on)
        return 1
    if Payment.objects.filter(
        creditor_id=case.creditor_id, source=Payment.Source.DIRECT, external_id=movement.erp_id
    ).exists():
        return 0
    payment_register(
        case=case,
        source=Payment.Source.DIRECT,
        external_id=movement.erp_id,
        amount=movement.amount,
        paid_on=movement.paid_on,
    )
    if movement.kind == "instalment":
        case.refresh_from_db()
        if case.status == Case.Status.OPEN:
            case_pause(
                case=case,
                reason="payment_plan",
                why="plan_in_erp",  # cases.describe.WHY
            )
    return 1
