"""The sync: read the ERP, then write everything in one transaction, so that a failed read or a
malformed reply changes nothing. Also the write-backs of case numbers."""

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases.calendar import local_today
from cases.models import Case, Debtor, Invoice, Payment
from cases.payments import credit_register, payment_register
from cases.services import case_open
from creditors.import_filter import skip_reason
from creditors.models import Creditor, ImportFilter
from integrations.base import ErpCustomer, ErpInvoice, ErpPayment, adapter_for
from integrations.errors import ErpError
from integrations.models import SyncRun
from settlements.models import Settlement
from settlements.services import settlements_retry

logger = logging.getLogger("integrations.sync")

ERP_STATUS = {  # what the ERP shows for our case
    "": "ONGOING",
    Case.Outcome.PAID: "SETTLED",
    Case.Outcome.CREDITED: "SETTLED",
    Case.Outcome.WITHDRAWN: "WITHDRAWN",
}


def creditor_sync(*, creditor: Creditor, today: dt.date | None = None) -> SyncRun:
    today = today or local_today(creditor.time_zone)
    run = SyncRun.objects.create(creditor=creditor, as_of=today)
    erp = creditor.get_erp_kind_display()
    try:
        # Settlements whose voucher may be in the ERP already get their voucher id first, so
        # that their postings are never mistaken for direct payments below.
        settlements_retry(creditor=creditor)
        adapter = adapter_for(creditor)
        erp_invoices = list(adapter.list_open_invoices(as_of=today))
        changed = _read_changed_cases(creditor, adapter, erp_invoices)
        with transaction.atomic():
            # One sync per creditor at a time: a second one waits here, then finds the first's
            # cases and opens none twice.
            Creditor.objects.select_for_update().get(pk=creditor.pk)
            _apply(run, creditor, erp_invoices, changed, today)
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


def _finish(run: SyncRun, creditor: Creditor, status: str, error: str) -> None:
    run.status, run.error, run.finished_at = status, error, timezone.now()
    run.save(
        update_fields=[
            "status",
            "error",
            "finished_at",
            "seen",
            "imported",
            "cases_opened",
            "payments",
        ]
    )
    creditor.last_sync_error = error
    fields = ["last_sync_error"]
    if status == SyncRun.Status.OK:
        creditor.last_synced_on = sync_slot(timezone.now().astimezone(ZoneInfo(creditor.time_zone)))
        fields.append("last_synced_on")
    creditor.save(update_fields=fields)


def _read_changed_cases(creditor, adapter, erp_invoices) -> list[tuple[Invoice, ErpInvoice, list]]:
    """Invoices in open cases that the ERP now shows with less outstanding (paid or credited
    there), with the ERP's payments on them."""
    open_now = {i.erp_id: i for i in erp_invoices}
    known = (
        Invoice.objects.for_creditor(creditor)
        .exclude(case=None)
        .exclude(case__status=Case.Status.CLOSED)
    )
    changed = []
    for invoice in known:
        current = open_now.get(invoice.erp_id)
        if current is not None and current.outstanding >= invoice.outstanding_amount:
            continue
        current = current or adapter.get_invoice(invoice.erp_id)
        changed.append((invoice, current, adapter.list_direct_payments(current)))
    return changed


def _apply(run, creditor, erp_invoices, changed, today) -> None:
    rules, _ = ImportFilter.objects.get_or_create(creditor=creditor)
    run.seen = len(erp_invoices)
    for erp_invoice in erp_invoices:
        existing = Invoice.objects.for_creditor(creditor).filter(erp_id=erp_invoice.erp_id).first()
        if existing and existing.case_id:
            continue  # in collection already; changes arrive through `changed`
        if skip_reason(creditor=creditor, rules=rules, invoice=erp_invoice, today=today):
            continue
        debtor = _upsert_debtor(creditor, erp_invoice.customer)
        invoice = _upsert_invoice(creditor, debtor, erp_invoice)
        run.imported += 1
        case_open(creditor=creditor, debtor=debtor, invoices=[invoice], today=today)
        run.cases_opened += 1
    ours = set(
        Settlement.objects.for_creditor(creditor)
        .exclude(erp_voucher_id="")
        .values_list("erp_voucher_id", flat=True)
    )
    for invoice, current, erp_payments in changed:
        run.payments += _register_erp_movements(invoice, erp_payments, ours)
        invoice.outstanding_amount = current.outstanding
        invoice.save(update_fields=["outstanding_amount", "synced_at"])


def _register_erp_movements(invoice: Invoice, erp_payments: list[ErpPayment], ours: set) -> int:
    """Direct payments and credit notes the creditor matched in its ERP. Both are idempotent
    (keyed by the ERP's posting id), so reading them again books nothing."""
    count = 0
    for p in erp_payments:
        if p.voucher_id and p.voucher_id in ours:
            continue  # our own settlement voucher, already on the case
        if p.kind == "credit_note":
            credit_register(
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
        count += 1
    return count


def _upsert_debtor(creditor, customer: ErpCustomer) -> Debtor:
    a = customer.address
    debtor, _ = Debtor.objects.update_or_create(
        creditor=creditor,
        erp_id=customer.erp_id,
        defaults={
            "number": customer.number,
            "name": customer.name,
            "kind": Debtor.Kind.CONSUMER if customer.is_private else Debtor.Kind.BUSINESS,
            "identity_number": customer.org_number,
            "address_line1": a.line1,
            "address_line2": a.line2,
            "postal_code": a.postal_code,
            "city": a.city,
            "country": a.country,
            "email": customer.email,
            "phone": customer.phone,
            "customer_class": customer.customer_class,
        },
    )
    return debtor


def _upsert_invoice(creditor, debtor, e: ErpInvoice) -> Invoice:
    invoice, _ = Invoice.objects.update_or_create(
        creditor=creditor,
        erp_id=e.erp_id,
        defaults={
            "debtor": debtor,
            "number": e.number,
            "invoice_date": e.invoice_date,
            "due_date": e.due_date,
            "currency": e.currency,
            "original_amount": e.amount,
            "outstanding_amount": e.outstanding,
            "text": e.text,
            "erp_payment_reference": e.payment_reference,
            "erp_voucher_id": e.voucher_id,
        },
    )
    return invoice


def case_reference_write(*, case_id: int) -> None:
    """Show our case number (and whether the case is ongoing or done) on its invoices in the ERP."""
    case = Case.objects.select_related("creditor").get(pk=case_id)
    adapter = adapter_for(case.creditor)
    url = f"{settings.AUTOCOLLECT_PORTAL_URL}/c/{case.creditor_id}/cases/{case.number}/"
    for invoice in case.invoices.all():
        adapter.write_case_reference(
            invoice_erp_id=invoice.erp_id,
            voucher_id=invoice.erp_voucher_id,
            case_number=case.number,
            status=ERP_STATUS.get(case.outcome, "ONGOING"),
            url=url,
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
