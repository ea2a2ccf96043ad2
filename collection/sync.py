"""The sync: read the ERP, then write everything in one transaction, so that a failed read or a
malformed reply changes nothing. One record that cannot be read or stored does not fail the
run: it is quarantined with the reason (collection.quarantine) and the rest goes through,
each record in its own savepoint. ERP records become debtors, invoices and cases here; the
integrations layer below only reads and writes the ERP."""

import dataclasses
import datetime as dt
import json
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Case, Debtor, Invoice, Payment
from cases.services import case_flag, case_open, case_pause
from collection.erp import adapter_for
from collection.models import QuarantinedRecord, SyncRun
from collection.payments import credit_note_register, payment_register
from collection.postings import settlements_retry
from collection.quarantine import quarantine_record, quarantine_release
from collection.writeback import write_back_after_commit
from creditors.import_filter import ImportRules
from creditors.models import Creditor
from integrations.base import ErpBadRecord, ErpCustomer, ErpInvoice, ErpPayment
from integrations.errors import ErpError, ErpMalformedResponse, ErpNotFound, ErpRejected
from nordic.calendar import local_today
from settlements.models import Settlement

logger = logging.getLogger("integrations.sync")


def creditor_sync(*, creditor: Creditor, today: dt.date | None = None) -> SyncRun:
    today = today or local_today(creditor.time_zone)
    run = SyncRun.objects.create(creditor=creditor, as_of=today)
    erp = creditor.get_erp_kind_display()
    try:
        # Settlements whose voucher may be in the ERP already get their voucher id first, so
        # that their postings are never mistaken for direct payments below.
        settlements_retry(creditor=creditor)
        adapter = adapter_for(creditor)
        read = _Read(list(adapter.list_open_invoices(as_of=today)))
        _read_changed_cases(creditor, adapter, read)
        with transaction.atomic():
            # One sync per creditor at a time: a second one waits here, then finds the first's
            # cases and opens none twice.
            Creditor.objects.select_for_update().get(pk=creditor.pk)
            _apply(run, creditor, read, today)
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


@dataclasses.dataclass
class _Read:
    """What the read phase got from the ERP, before anything is written."""

    listed: list  # ErpInvoice | ErpBadRecord
    changed: list = dataclasses.field(default_factory=list)  # (Invoice, ErpInvoice, payments)
    vanished: list = dataclasses.field(default_factory=list)  # (Invoice, reason)
    unreadable: list = dataclasses.field(default_factory=list)  # ErpBadRecord, read one by one

    @property
    def invoices(self) -> list[ErpInvoice]:
        return [r for r in self.listed if isinstance(r, ErpInvoice)]

    @property
    def bad(self) -> list[ErpBadRecord]:
        return [r for r in self.listed if isinstance(r, ErpBadRecord)] + self.unreadable


def _read_changed_cases(creditor, adapter, read: _Read) -> None:
    """Invoices in open cases that the ERP now shows with less outstanding (paid or credited
    there), with the ERP's payments on them. An invoice the ERP no longer has (404) is
    `vanished`; one it answers garbled for is a bad record. Whatever else goes wrong (the ERP
    down, the key revoked) fails the run."""
    open_now = {i.erp_id: i for i in read.invoices}
    known = (
        Invoice.objects.for_creditor(creditor)
        .exclude(case=None)
        .exclude(case__status=Case.Status.CLOSED)
        .select_related("case")
    )
    for invoice in known:
        current = open_now.get(invoice.erp_id)
        if current is not None and current.outstanding >= invoice.outstanding_amount:
            continue
        try:
            current = current or adapter.get_invoice(invoice.erp_id)
            read.changed.append((invoice, current, adapter.list_direct_payments(current)))
        except ErpNotFound as exc:
            read.vanished.append((invoice, str(exc)))
        except (ErpMalformedResponse, ErpRejected) as exc:
            read.unreadable.append(ErpBadRecord("invoice", invoice.erp_id, str(exc), exc.detail))


def _apply(run, creditor, read: _Read, today) -> None:
    rules = ImportRules.for_creditor(creditor)  # once: no query per invoice below
    skipped: dict[str, int] = {}
    run.seen = len(read.listed)
    erp = creditor.get_erp_kind_display()
    failed: set[tuple[str, str]] = set()  # (kind, erp id) quarantined in this run

    def quarantine(kind, erp_id, reason, payload="", case=None):
        failed.add((kind, erp_id))
        quarantine_record(
            creditor=creditor,
            run=run,
            kind=kind,
            erp_id=erp_id,
            reason=reason,
            payload=payload,
            case=case,
        )

    for bad in read.bad:
        quarantine(
            bad.kind,
            bad.erp_id,
            f"{erp} answered a record we cannot read: {bad.reason}",
            bad.payload,
        )
    for erp_invoice in read.invoices:
        existing = Invoice.objects.for_creditor(creditor).filter(erp_id=erp_invoice.erp_id).first()
        if existing and existing.case_id:
            continue  # in collection already; changes arrive through `changed`
        skip = rules.skip_reason(erp_invoice, today)
        if skip is not None:
            skipped[str(skip.code)] = skipped.get(str(skip.code), 0) + 1
            continue
        try:
            with transaction.atomic():  # a savepoint: a failed record leaves the run usable
                debtor = _upsert_debtor(creditor, erp_invoice.customer)
                invoice = _upsert_invoice(creditor, debtor, erp_invoice)
                case = case_open(
                    creditor=creditor,
                    debtor=debtor,
                    invoices=[invoice],
                    today=today,
                    backlog=rules.is_backlog(erp_invoice),
                )
                write_back_after_commit([case.pk])  # our case number on the ERP's invoice
        except Exception as exc:  # one bad record must not hold back the others, every night
            logger.exception("sync of %s: invoice %s not stored", creditor, erp_invoice.erp_id)
            quarantine(
                "invoice",
                erp_invoice.erp_id,
                f"could not be stored: {_why(exc)}",
                _payload(erp_invoice),
            )
            continue
        run.imported += 1
        run.cases_opened += 1
    ours = set(
        Settlement.objects.for_creditor(creditor)
        .exclude(erp_voucher_id="")
        .values_list("erp_voucher_id", flat=True)
    )
    booked: set[str] = set()
    for invoice, current, erp_payments in read.changed:
        done, count = _register_erp_movements(invoice, erp_payments, ours, quarantine)
        run.payments += count
        booked |= done
        if len(done) == len(erp_payments):
            # Only once every movement is booked: else the invoice is read again next night.
            invoice.outstanding_amount = current.outstanding
            invoice.save(update_fields=["outstanding_amount", "synced_at"])
    for invoice, reason in read.vanished:
        _hold_vanished(invoice, reason, erp, quarantine)
    read_fine = {i.erp_id for i in read.invoices} | {i.erp_id for _, i, _ in read.changed}
    for kind, ok in (
        (QuarantinedRecord.Kind.INVOICE, read_fine),
        (QuarantinedRecord.Kind.VANISHED, read_fine),
        (QuarantinedRecord.Kind.PAYMENT, booked),
    ):
        quarantine_release(
            creditor=creditor, kind=kind, erp_ids={i for i in ok if (kind, i) not in failed}
        )
    run.quarantined = len(failed)
    run.skipped_by_reason = dict(sorted(skipped.items()))


def _hold_vanished(invoice: Invoice, reason: str, erp: str, quarantine) -> None:
    """An invoice in collection that the ERP no longer has: the claim may have been cancelled
    there, so the case must not press on (letters, fees) until support has looked."""
    case = invoice.case
    why = f"invoice {invoice.number} is no longer in {erp} ({reason})"
    quarantine("vanished", invoice.erp_id, f"{why}; case {case.number} is on hold", case=case)
    if case.status == Case.Status.OPEN:
        case_pause(case=case, reason="erp_invoice_missing", note=why)
        case_flag(case=case, reason=why)


def _register_erp_movements(
    invoice: Invoice, erp_payments: list[ErpPayment], ours: set, quarantine
) -> tuple[set[str], int]:
    """Direct payments and credit notes the creditor matched in its ERP. Both are idempotent
    (keyed by the ERP's posting id), so reading them again books nothing. Returns the ids
    dealt with and how many were booked; one that cannot be booked is quarantined."""
    done, count = set(), 0
    for p in erp_payments:
        if p.voucher_id and p.voucher_id in ours:
            done.add(p.erp_id)
            continue  # our own settlement voucher, already on the case
        try:
            with transaction.atomic():
                _register_erp_movement(invoice, p)
        except Exception as exc:
            logger.exception("sync: %s %s on invoice %s not booked", p.kind, p.erp_id, invoice)
            quarantine(
                "payment",
                p.erp_id,
                f"{p.kind} of {p.amount} {p.currency} on invoice {invoice.number} "
                f"could not be booked: {_why(exc)}",
                _payload(p),
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


def _why(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return f"{type(exc).__name__}: {exc}"


def _payload(record) -> str:
    return json.dumps(dataclasses.asdict(record), default=str, ensure_ascii=False)


def _stored(obj, *, exclude: list[str]):
    """Check every field against the model (lengths, bounds, choices) before saving, so a
    record that does not fit is refused the same way on SQLite and PostgreSQL."""
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    obj.save()
    return obj


def _upsert_debtor(creditor, customer: ErpCustomer) -> Debtor:
    a = customer.address
    debtor = Debtor.objects.for_creditor(creditor).filter(erp_id=customer.erp_id).first()
    debtor = debtor or Debtor(creditor=creditor, erp_id=customer.erp_id)
    values = {
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
    }
    for name, value in values.items():
        setattr(debtor, name, value)
    try:
        return _stored(debtor, exclude=["creditor"])
    except ValidationError as exc:
        raise ValidationError(
            {f"customer {customer.erp_id} {k}": v for k, v in exc.message_dict.items()}
        ) from None


def _upsert_invoice(creditor, debtor, e: ErpInvoice) -> Invoice:
    invoice = Invoice.objects.for_creditor(creditor).filter(erp_id=e.erp_id).first()
    invoice = invoice or Invoice(creditor=creditor, erp_id=e.erp_id)
    values = {
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
    }
    for name, value in values.items():
        setattr(invoice, name, value)
    return _stored(invoice, exclude=["creditor", "debtor", "case"])


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
