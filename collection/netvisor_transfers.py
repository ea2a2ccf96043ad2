"""Cases from invoices the creditor hands over in its ERP (Netvisor's "Transfer to the collection
service", seed 003): a reminder transfer opens a case at the country's first letter, a collection
transfer at the collection stage (the creditor has sent its own reminder and notice already).

The adapter checks each transfer against the ERP's rules and says why one is refused; a refused
transfer is recorded where the creditor sees it (the run's set-aside records, with the reason)
and acknowledged, so the creditor can fix it in Netvisor and transfer it again. Each transfer is
taken in its own transaction and acknowledged after it: a transfer whose acknowledgement was
lost is found in its case on the next run and acknowledged then, never opened twice. A transfer
we cannot store (an amount beyond the bound, a name longer than our column) is set aside with
the reason and not acknowledged, and the run goes on: once corrected in Netvisor, the next run
takes it (issue 7: one bad record must not hold back the others every night).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone, translation

from cases.models import Debtor, Invoice
from cases.services import case_open, event_add
from cases.starting import StartType, case_start_at, start_stage
from collection.erp import adapter_for
from collection.importing import payload, why
from collection.models import QuarantinedRecord, SyncRun
from collection.quarantine import quarantine_record, quarantine_release
from collection.writeback import write_back_after_commit
from creditors.models import Creditor
from integrations.base import ErpInvoice, ErpTransfer
from integrations.errors import ErpError
from nordic.calendar import local_today
from nordic.money import AmountError

logger = logging.getLogger("integrations.sync")
START = {"reminder": StartType.REMINDER, "collection": StartType.DEMAND}
LABEL = {"reminder": "the reminder service", "collection": "collection"}


def receives_transfers(creditor: Creditor) -> bool:
    from integrations import registry

    return bool(creditor.erp_kind) and registry.adapter_class(creditor.erp_kind).receives_transfers


def transfers_import(*, creditor: Creditor, today: dt.date | None = None) -> SyncRun | None:
    """Take the transfers waiting in the creditor's ERP: a case for each one the rules allow,
    the reason for each they refuse. Returns the run (imported, quarantined), or None when the
    service was removed in the Store (no new transfers; collection.netvisor_activation). The
    first transfer taken sends the activating user their portal credentials."""
    from collection.netvisor_activation import credentials_send, transfers_stopped

    if transfers_stopped(creditor):
        logger.info("transfers of %s not read: the service was removed", creditor)
        return None
    today = today or local_today(creditor.time_zone)
    run = SyncRun.objects.create(creditor=creditor, as_of=today)
    adapter = adapter_for(creditor)
    try:
        transfers = adapter.list_transfers(as_of=today)
        run.seen = len(transfers)
        for transfer in transfers:
            if transfer.refusal or transfer.invoice is None:
                _refuse(creditor, run, transfer)
            elif not _taken(creditor, run, transfer, today):
                continue  # set aside, not acknowledged: read again on the next run
            adapter.acknowledge_transfer(transfer.erp_id)
    except ErpError as exc:
        logger.warning("transfers of %s not read: %s", creditor, exc)
        _finish(run, SyncRun.Status.FAILED, f"Transfers from {adapter.label} not read: {exc}")
        raise
    run.cases_opened = run.imported
    _finish(run, SyncRun.Status.OK, "")
    if run.imported:
        credentials_send(creditor=creditor)
    return run


def _finish(run: SyncRun, status: str, error: str) -> None:
    run.status, run.error, run.finished_at = status, error, timezone.now()
    run.save()


def _refuse(creditor: Creditor, run: SyncRun, transfer: ErpTransfer) -> None:
    run.quarantined += 1
    invoice = transfer.invoice
    number = invoice.number if invoice else transfer.invoice_erp_id
    quarantine_record(
        creditor=creditor,
        run=run,
        kind=QuarantinedRecord.Kind.INVOICE,
        erp_id=transfer.invoice_erp_id,
        reason=(
            f"Invoice {number} was not taken for {LABEL.get(transfer.kind, transfer.kind)}: "
            f"{transfer.refusal or 'it could not be read'}"
        ),
        payload=transfer.payload,
    )


def _taken(creditor: Creditor, run: SyncRun, transfer: ErpTransfer, today: dt.date) -> bool:
    """Take the transfer (True), or set it aside with the reason when it cannot be stored. The
    fields are checked first, as the sync does, so that SQLite refuses what PostgreSQL would."""
    erp = transfer.invoice
    try:
        _check(creditor, erp)
        run.imported += _take(creditor, transfer, today)
    except (ValidationError, AmountError, DatabaseError) as exc:
        logger.warning("transfer %s of %s not taken: %s", transfer.erp_id, creditor, exc)
        run.quarantined += 1
        quarantine_record(
            creditor=creditor,
            run=run,
            kind=QuarantinedRecord.Kind.INVOICE,
            erp_id=transfer.invoice_erp_id,
            reason=f"Invoice {erp.number} could not be stored: {why(exc)}",
            payload=payload(erp),
        )
        return False
    quarantine_release(
        creditor=creditor, kind=QuarantinedRecord.Kind.INVOICE, erp_ids={transfer.invoice_erp_id}
    )
    return True


def _check(creditor: Creditor, erp: ErpInvoice) -> None:
    """full_clean's field checks on the debtor and invoice the transfer would write (lengths,
    blanks, choices, the amount bound), in English: the reason is stored."""
    customer = f"customer {erp.customer.erp_id} "
    debtor = Debtor(creditor=creditor, erp_id=erp.customer.erp_id, **_debtor_values(creditor, erp))
    invoice = Invoice(creditor=creditor, erp_id=erp.erp_id, **_invoice_values(erp))
    errors = {}
    with translation.override("en"):
        for prefix, obj in ((customer, debtor), ("", invoice)):
            try:
                obj.clean_fields(exclude=["creditor", "debtor", "case"])
            except ValidationError as exc:
                errors.update({prefix + k: v for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)


def _invoice_values(erp: ErpInvoice) -> dict:
    return {
        "number": erp.number,
        "invoice_date": erp.invoice_date,
        "due_date": erp.due_date,
        "currency": erp.currency,
        "original_amount": erp.amount,
        "outstanding_amount": erp.outstanding,
        "text": erp.text,
        "erp_payment_reference": erp.payment_reference,
        "erp_voucher_id": erp.locator,
    }


@transaction.atomic
def _take(creditor: Creditor, transfer: ErpTransfer, today: dt.date) -> int:
    """Open the transfer's case (1), or nothing when its invoice is in a case already (0)."""
    erp = transfer.invoice
    existing = (
        Invoice.objects.for_creditor(creditor).select_for_update().filter(erp_id=erp.erp_id).first()
    )
    if existing is not None and existing.case_id is not None:
        return 0
    debtor = _debtor(creditor, erp)
    values = {"debtor": debtor, **_invoice_values(erp)}
    if existing is None:
        invoice = Invoice.objects.create(creditor=creditor, erp_id=erp.erp_id, **values)
    else:
        Invoice.objects.filter(pk=existing.pk).update(**values)
        invoice = Invoice.objects.get(pk=existing.pk)
    case = case_open(creditor=creditor, debtor=debtor, invoices=[invoice], today=today)
    event_add(
        case,
        "transferred",
        f"Transferred from the ERP to {LABEL[transfer.kind]}",
        transfer=transfer.erp_id,
        transfer_kind=transfer.kind,
    )
    stage = start_stage(START[transfer.kind], case.country)
    case_start_at(case=case, stage=stage, today=today)
    write_back_after_commit([case.pk])  # our case number and status into Netvisor
    return 1


def _debtor(creditor: Creditor, erp: ErpInvoice) -> Debtor:
    values = _debtor_values(creditor, erp)
    debtor, _ = Debtor.objects.update_or_create(
        creditor=creditor, erp_id=erp.customer.erp_id, defaults=values
    )
    return debtor


def _debtor_values(creditor: Creditor, erp: ErpInvoice) -> dict:
    c = erp.customer
    a = c.address
    return {
        "number": c.number,
        "name": c.name,
        "kind": Debtor.Kind.CONSUMER if c.is_private else Debtor.Kind.BUSINESS,
        "identity_number": c.org_number,
        "address_line1": a.line1,
        "address_line2": a.line2,
        "postal_code": a.postal_code,
        "city": a.city,
        "country": a.country or creditor.country,
        "email": c.email,
        "phone": c.phone,
        "customer_class": c.customer_class,
    }


def transfers_sync(*, creditor: Creditor, today: dt.date | None = None) -> None:
    """After the creditor's nightly sync (settlements retried, vanished invoices held): the
    transfers waiting in its ERP, then the payments recorded there on the open cases."""
    from collection.netvisor_payments import erp_payments_sync

    transfers_import(creditor=creditor, today=today)
    erp_payments_sync(creditor=creditor, today=today)
