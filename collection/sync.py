"""The sync: the ERP's open invoices stream through mapping and the import filter into debtors,
invoices and cases, a page at a time in bulk (collection.importing); then the cases whose
invoice the ERP shows with less outstanding, or no longer lists, get the ERP's payments and
credit notes. All in one transaction, so that a failed read or a malformed reply changes
nothing. One record that cannot be read or stored does not fail the run: it is quarantined with
the reason (collection.quarantine) and the rest goes through. ERP records become debtors,
invoices and cases here; the integrations layer below only reads and writes the ERP."""

import datetime as dt
import logging
from contextlib import closing
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from cases.batch import gc_paused
from cases.models import Case, Invoice, Payment
from cases.services import case_flag, case_pause
from collection import importing
from collection.erp import adapter_for
from collection.importing import ImportJob, import_page, pages, prefetched
from collection.models import QuarantinedRecord, SyncRun
from collection.payments import credit_note_register, payment_register
from collection.postings import payouts_retry
from collection.prior_movements import movements_new, prior_movements_record
from creditors.import_filter import ImportRules
from creditors.models import AccountSetup, Creditor
from integrations.base import ErpPayment
from integrations.errors import ErpError, ErpMalformedResponse, ErpNotFound, ErpRejected
from integrations.features import Feature
from nordic.calendar import local_today
from settlements.models import Payout, Settlement

logger = logging.getLogger("integrations.sync")
UNRESOLVED = [
    Payout.VoucherStatus.PENDING,
    Payout.VoucherStatus.POSTING,
    Payout.VoucherStatus.FAILED,
]


# What a run stores (quarantine reasons, the run's error, history) is written in English,
# whatever language the thread running it has active (a portal request before it).
@translation.override("en")
def creditor_sync(*, creditor: Creditor, today: dt.date | None = None) -> SyncRun:
    today = today or local_today(creditor.time_zone)
    run = SyncRun.objects.create(creditor=creditor, as_of=today)
    erp = creditor.get_erp_kind_display()
    try:
        # Payouts whose voucher may be in the ERP already get their voucher id first, so that
        # their postings are never mistaken for direct payments below. One the ERP refuses (a
        # closed period) stays failed for support and does not stop the night's import.
        payouts_retry(creditor=creditor)
        adapter = adapter_for(creditor)
        with transaction.atomic():
            # One sync per creditor at a time: a second one waits here, then finds the first's
            # cases and opens none twice.
            Creditor.objects.select_for_update().get(pk=creditor.pk)
            _import(run, creditor, adapter, today)
    except ErpError as exc:
        logger.warning("sync of %s failed: %s", creditor, exc)
        _finish(
            run,
            creditor,
            SyncRun.Status.FAILED,
            f"Import from {erp} failed, nothing was changed: {exc}",
        )
        raise
    except Exception as exc:
        logger.exception("sync of %s failed", creditor)
        _finish(
            run,
            creditor,
            SyncRun.Status.FAILED,
            f"Import from {erp} failed on our side, nothing was changed; support is "
            f"looking into it ({type(exc).__name__})",
        )
        raise
    _finish(run, creditor, SyncRun.Status.OK, "")
    return run


def _import(run: SyncRun, creditor: Creditor, adapter, today: dt.date) -> None:
    job = ImportJob(
        creditor=creditor,
        run=run,
        today=today,
        rules=ImportRules.for_creditor(creditor),  # once: no query per invoice below
        mark=timezone.now(),
        erp=creditor.get_erp_kind_display(),
        release_open=QuarantinedRecord.objects.for_creditor(creditor)
        .filter(resolved_at=None)
        .exists(),
    )
    if adapter.has(Feature.LIST_OPEN_INVOICES):
        listing = pages(adapter.list_open_invoices(as_of=today), importing.PAGE)
        # closing: a failed page stops the reading thread at once, not when collected
        with closing(prefetched(listing)) as listed:
            for page in listed:
                with gc_paused():  # a page's thousands of objects live to its end: no GC walks
                    import_page(job, page)
        # After the listing: its reading thread uses the adapter, which is not shared.
        _record_prior(job, adapter)
    _changed_cases(job, adapter)
    run.quarantined = len(job.failed)
    run.skipped_by_reason = dict(sorted(job.skipped.items()))


def _record_prior(job: ImportJob, adapter) -> None:
    """The run's new cases on invoices paid or credited in part before the import: which of
    their ERP movements the imported balance holds, read now, so that they are never booked
    again (collection.prior_movements says why by id and not by date). An ERP that cannot list
    movements books none later either. A read that fails fails the run (nothing stored)."""
    partly_paid, job.partly_paid = job.partly_paid, []
    if not adapter.has(Feature.READ_DIRECT_PAYMENTS):
        return
    for start in range(0, len(partly_paid), 500):
        chunk = partly_paid[start : start + 500]
        stored = {
            i.erp_id: i
            for i in Invoice.objects.for_creditor(job.creditor)
            .filter(erp_id__in=[e.erp_id for e in chunk])
            .exclude(case=None)
            .select_related("case")
        }
        for erp in chunk:
            if (invoice := stored.get(erp.erp_id)) is not None:
                movements = adapter.list_direct_payments(erp)
                prior_movements_record(invoice=invoice, movements=movements)


def _finish(run: SyncRun, creditor: Creditor, status: str, error: str) -> None:
    run.status, run.error, run.finished_at = status, error, timezone.now()
    if status == SyncRun.Status.FAILED:  # the pages written before the failure rolled back
        run.imported = run.cases_opened = run.payments = run.quarantined = 0
        run.skipped_by_reason = {}
    run.save(
        update_fields=[
            "status",
            "error",
            "finished_at",
            "seen",
            "imported",
            "cases_opened",
            "payments",
            "quarantined",
            "skipped_by_reason",
        ]
    )
    creditor.last_sync_error = error
    fields = ["last_sync_error"]
    if status == SyncRun.Status.OK:
        creditor.last_synced_on = sync_slot(timezone.now().astimezone(ZoneInfo(creditor.time_zone)))
        fields.append("last_synced_on")
    creditor.save(update_fields=fields)


def _changed_cases(job: ImportJob, adapter) -> None:
    """Cases whose invoice the ERP listed with less outstanding (collected by the pages), then
    those it did not list at all (paid in full or credited there, or gone), read one by one:
    with the ERP's payments and credit notes on them. The unlisted ones are found in the
    database (not marked with this run's synced_at), a batch at a time."""
    context = _Movements(job)
    for pk, current in job.changed:
        invoice = Invoice.objects.select_related("case").get(pk=pk)
        _read_movements(job, adapter, context, invoice, current)
    unlisted = (
        Invoice.objects.for_creditor(job.creditor)
        .exclude(case=None)
        .exclude(case__status=Case.Status.CLOSED)
        .filter(synced_at__lt=job.mark)
        .select_related("case")
        .order_by("pk")
    )
    last = 0
    while batch := list(unlisted.filter(pk__gt=last)[:200]):
        last = batch[-1].pk
        for invoice in batch:
            _read_movements(job, adapter, context, invoice, None)
    job.release(QuarantinedRecord.Kind.PAYMENT, context.booked)


class _Movements:
    """What telling our own settlement postings from direct payments needs, read once."""

    def __init__(self, job: ImportJob):
        payouts = Payout.objects.for_creditor(job.creditor)
        # Our payout vouchers, and the per-payment vouchers posted before payouts.
        self.ours = set(
            payouts.exclude(erp_voucher_id="").values_list("erp_voucher_id", flat=True)
        ) | set(
            Settlement.objects.for_creditor(job.creditor)
            .exclude(erp_voucher_id="")
            .values_list("erp_voucher_id", flat=True)
        )
        # Cases paid out in a payout whose voucher should be in the ERP but whose id we do not
        # know (its post failed, was refused, or is under way): it may be there all the same.
        self.unresolved = set(
            Settlement.objects.for_creditor(job.creditor)
            .filter(
                payout__voucher_status__in=UNRESOLVED,
                payout__erp_voucher_id="",
                payout__status=Payout.Status.PAID,
            )
            .values_list("case_id", flat=True)
        )
        self.booked: set[str] = set()
        # The creditor's loss account: its own write-offs there are not payments (seed 001).
        setup = AccountSetup.objects.filter(creditor=job.creditor).first()
        self.loss_account = setup.loss_account if setup else None


def _read_movements(job: ImportJob, adapter, context: _Movements, invoice, current) -> None:
    """Read the invoice (unless listed) and its payments from the ERP and book them. An invoice
    the ERP no longer has (404) is held; one it answers garbled for is quarantined. Whatever
    else goes wrong (the ERP down, the key revoked) fails the run."""
    try:
        current = current or adapter.get_invoice(invoice.erp_id)
        if adapter.has(Feature.READ_DIRECT_PAYMENTS):
            erp_payments = adapter.list_direct_payments(current)
        else:
            erp_payments = []
    except ErpNotFound as exc:
        _hold_vanished(invoice, str(exc), job.erp, job.quarantine)
        return
    except (ErpMalformedResponse, ErpRejected) as exc:
        reason = f"{job.erp} answered a record we cannot read: {exc}"
        job.quarantine("invoice", invoice.erp_id, reason, exc.detail or "")
        return
    # Those in the imported balance already are left out: booked again they would count twice.
    erp_payments = movements_new(invoice, erp_payments)
    done, count = _register_erp_movements(invoice, erp_payments, context, job.quarantine)
    job.run.payments += count
    context.booked |= done
    if len(done) == len(erp_payments):
        # Only once every movement is booked: else the invoice is read again next night.
        invoice.outstanding_amount = current.outstanding
        invoice.save(update_fields=["outstanding_amount", "synced_at"])
    for kind in (QuarantinedRecord.Kind.INVOICE, QuarantinedRecord.Kind.VANISHED):
        job.release(kind, [invoice.erp_id])


def _hold_vanished(invoice: Invoice, reason: str, erp: str, quarantine) -> None:
    """An invoice in collection that the ERP no longer has: the claim may have been cancelled
    there, so the case must not press on (letters, fees) until support has looked."""
    case = invoice.case
    why = f"invoice {invoice.number} is no longer in {erp} ({reason})"
    quarantine("vanished", invoice.erp_id, f"{why}; case {case.number} is on hold", case=case)
    if case.status == Case.Status.OPEN:
        case_pause(case=case, reason="erp_invoice_missing", note=why)
        case_flag(
            case=case,
            reason=why,
            flag="erp_invoice_missing",
            invoice=invoice.number,
            erp=erp,
            detail=reason,
        )


def _register_erp_movements(
    invoice: Invoice, erp_payments: list[ErpPayment], context: _Movements, quarantine
) -> tuple[set[str], int]:
    """Direct payments and credit notes the creditor matched in its ERP. Both are idempotent
    (keyed by the ERP's posting id), so reading them again books nothing. Returns the ids
    dealt with and how many were booked; one that cannot be booked is quarantined.

    Our own settlement vouchers credit the same invoice: a posting of a voucher whose id we
    recorded is ours and skipped. While a settlement of the case has no recorded voucher id
    (its post failed, was refused or is under way), a posting we cannot place may be that very
    voucher: it waits (not booked, the invoice read again next night) until the settlement is
    resolved, rather than be booked as the debtor paying twice."""
    done, count = set(), 0
    for p in erp_payments:
        if p.voucher_id and p.voucher_id in context.ours:
            done.add(p.erp_id)
            continue  # our own settlement voucher, already on the case
        if context.loss_account and context.loss_account in p.voucher_accounts:
            # The creditor wrote the invoice off on its loss account: not reported to us, so
            # the claim is not closed by mistake (seed 001 "Konto tapsføring").
            logger.info("sync: %s on invoice %s is a write-off: left out", p.erp_id, invoice)
            done.add(p.erp_id)
            continue
        if invoice.case_id in context.unresolved:
            logger.info(
                "sync: %s %s on invoice %s waits: a payout of case %s has no voucher id yet",
                p.kind,
                p.erp_id,
                invoice.number,
                invoice.case_id,
            )
            continue
        try:
            with transaction.atomic():
                _register_erp_movement(invoice, p)
        except Exception as exc:
            logger.exception("sync: %s %s on invoice %s not booked", p.kind, p.erp_id, invoice)
            quarantine(
                "payment",
                p.erp_id,
                f"{p.kind} of {p.amount} {p.currency} on invoice {invoice.number} "
                f"could not be booked: {importing.why(exc)}",
                importing.payload(p),
                invoice.case,
            )
            continue
        done.add(p.erp_id)
        count += 1
    return done, count


def _register_erp_movement(invoice: Invoice, p: ErpPayment) -> None:
    if p.kind == "credit_note":
        credit_note_register(
            case=invoice.case,
            invoice=invoice,
            amount=p.amount,
            credited_on=p.paid_on,
            external_id=f"{invoice.creditor_id}:{p.erp_id}",
        )
    else:
        payment_register(
            case=invoice.case,
            source=Payment.Source.DIRECT,
            external_id=p.erp_id,
            amount=p.amount,
            paid_on=p.paid_on,
        )


def sync_slot(local: dt.datetime) -> dt.date:
    """The night a sync at this local time belongs to: today from 23:00, else yesterday."""
    if local.hour >= settings.AUTOCOLLECT_NIGHTLY_SYNC_HOUR:
        return local.date()
    return local.date() - dt.timedelta(days=1)


def creditors_due_for_sync(*, now: dt.datetime | None = None):
    """Active creditors whose last nightly slot (23:00 in their own zone) has no sync yet: so a
    night missed while we were down is caught up on the next tick, not a day later."""
    now = now or timezone.now()
    for creditor in Creditor.objects.filter(status=Creditor.Status.ACTIVE):
        slot = sync_slot(now.astimezone(ZoneInfo(creditor.time_zone)))
        if creditor.last_synced_on is None or creditor.last_synced_on < slot:
            yield creditor
