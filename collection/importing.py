"""The import's bulk path: ERP invoices, a page at a time, through the import filter into debtors,
invoices and cases, with a fixed number of statements per page whatever its size (COPY and one
INSERT ... ON CONFLICT per table on PostgreSQL, cases opened by cases.opening.cases_open_bulk).

Nothing here holds more than a page: the invoices already in collection are looked up per page,
and the ones the ERP listed are marked (Invoice.synced_at) so that the pass over the cases
whose invoice was not listed (paid or credited in the ERP, or gone) finds them in the database
afterwards. Values are checked against the columns before the write (cases.bulk.misfits); a
page whose bulk write fails all the same is written again one record at a time, each in its own
savepoint, and the record that fails is quarantined with the reason."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import queue
import threading
from collections import Counter
from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from cases.bulk import misfits, upsert
from cases.models import Case, Debtor, Invoice
from cases.opening import INVOICE_COLUMNS, NewInvoice, cases_open_bulk
from collection.models import QuarantinedRecord, SyncRun
from collection.quarantine import quarantine_record
from collection.writeback import write_back_after_commit
from creditors.import_filter import ImportRules
from integrations.base import ErpBadRecord, ErpCustomer, ErpInvoice

logger = logging.getLogger("integrations.sync")
PAGE = 1000  # invoices written together; memory and statements per page stay flat
# Debtors stored by this run, remembered to write each customer once, not once a page: a cap,
# so that memory stays bounded whatever the number of customers (past it, they are written again).
DEBTORS_KEPT = 50_000

DEBTOR_COLUMNS = [
    "creditor_id",
    "erp_id",
    "number",
    "name",
    "kind",
    "identity_number",
    "address_line1",
    "address_line2",
    "postal_code",
    "city",
    "country",
    "email",
    "phone",
    "customer_class",
    "language",
]


@dataclasses.dataclass
class ImportJob:
    """One run's import: its rules, counts and what the later passes need (no record lists)."""

    creditor: object
    run: SyncRun
    today: dt.date
    rules: ImportRules
    mark: dt.datetime  # synced_at of every invoice this run saw listed
    erp: str  # the ERP's name, for reasons people read
    skipped: Counter = dataclasses.field(default_factory=Counter)
    failed: set = dataclasses.field(default_factory=set)  # (kind, erp id) quarantined
    changed: list = dataclasses.field(default_factory=list)  # (invoice pk, ErpInvoice)
    release_open: bool = False  # open quarantine rows exist: release those read fine
    # New this page, imported with less outstanding than their amount: the sync reads which of
    # their ERP movements the imported balance holds (collection.prior_movements).
    partly_paid: list = dataclasses.field(default_factory=list)
    # Customer erp id -> (its debtor row as this run stored it, the debtor's pk): a customer
    # with invoices on many pages is upserted (and checked) again only if its row changed.
    debtors: dict = dataclasses.field(default_factory=dict)

    def quarantine(self, kind, erp_id, reason, payload="", case=None) -> None:
        self.failed.add((kind, erp_id))
        quarantine_record(
            creditor=self.creditor,
            run=self.run,
            kind=kind,
            erp_id=erp_id,
            reason=reason,
            payload=payload,
            case=case,
        )

    def release(self, kind: str, erp_ids: Iterable[str]) -> None:
        """Close the open quarantine rows of records read and stored fine in this run."""
        ids = [i for i in erp_ids if (kind, i) not in self.failed]
        if not (self.release_open and ids):
            return
        QuarantinedRecord.objects.for_creditor(self.creditor).filter(
            kind=kind, erp_id__in=ids, resolved_at=None
        ).update(resolved_at=self.mark)


def import_page(job: ImportJob, records: list) -> None:
    """Import one page of listed records (ErpInvoice or ErpBadRecord)."""
    job.run.seen += len(records)
    invoices = []
    for r in records:
        if isinstance(r, ErpBadRecord):
            reason = f"{job.erp} answered a record we cannot read: {r.reason}"
            job.quarantine(r.kind, r.erp_id, reason, r.payload)
        else:
            invoices.append(r)
    known = _known(job.creditor, [i.erp_id for i in invoices])
    fresh, seen, debtors = [], [], {}  # debtors: the page's customers' rows, made once each
    for invoice in invoices:
        pk, case_id, outstanding, status = known.get(invoice.erp_id, (None, None, None, None))
        if case_id is not None:  # in collection already: changes come in through `changed`
            if status != Case.Status.CLOSED:
                seen.append(pk)
                if invoice.outstanding < outstanding:
                    job.changed.append((pk, invoice))
            continue
        skip = job.rules.skip_reason(invoice, job.today)
        if skip is not None:
            job.skipped[str(skip.code)] += 1
            continue
        errors = _misfits(job, invoice, debtors)
        if errors:
            _refuse(job, invoice, ValidationError(errors))
            continue
        fresh.append(invoice)
        if invoice.outstanding < invoice.amount:
            job.partly_paid.append(invoice)
    if seen:
        Invoice.objects.filter(pk__in=seen).update(synced_at=job.mark)
    opened = _store(job, fresh, debtors)
    job.run.imported += len(opened)
    job.run.cases_opened += len(opened)
    write_back_after_commit(opened)  # our case numbers on the ERP's invoices
    for kind in (QuarantinedRecord.Kind.INVOICE, QuarantinedRecord.Kind.VANISHED):
        job.release(kind, (i.erp_id for i in invoices))


KNOWN = """SELECT i.erp_id, i.id, i.case_id, i.outstanding_amount, c.status
    FROM cases_invoice i LEFT JOIN cases_case c ON c.id = i.case_id
    WHERE i.creditor_id = %s AND i.erp_id = ANY(%s)"""


def _known(creditor, erp_ids: list[str]) -> dict[str, tuple]:
    """The page's invoices we have: erp id -> (pk, case id, outstanding, case status)."""
    if connection.vendor == "postgresql":  # one array parameter, not a thousand
        with connection.cursor() as cursor:
            cursor.execute(KNOWN, [creditor.pk, erp_ids])
            rows = cursor.fetchall()
    else:
        rows = (
            Invoice.objects.for_creditor(creditor)
            .filter(erp_id__in=erp_ids)
            .values_list("erp_id", "pk", "case_id", "outstanding_amount", "case__status")
        )
    return {erp_id: rest for erp_id, *rest in rows}


def _store(job: ImportJob, invoices: list[ErpInvoice], debtors: dict) -> list[int]:
    """Debtors, invoices and cases of the page in bulk; if that fails, one at a time, so that
    one record the checks missed costs itself only."""
    if not invoices:
        return []
    try:
        with transaction.atomic():  # a savepoint: a failed page leaves the run usable
            opened, written = _write(job, invoices, debtors)
        _remember(job, written)
        return opened
    except Exception:
        logger.warning("sync of %s: a page failed in bulk, stored one by one", job.creditor)
    opened = []
    for invoice in invoices:
        try:
            with transaction.atomic():
                ids, written = _write(job, [invoice], debtors)
            _remember(job, written)
            opened += ids
        except Exception as exc:  # one bad record must not hold back the others, every night
            logger.exception("sync of %s: invoice %s not stored", job.creditor, invoice.erp_id)
            _refuse(job, invoice, exc)
    return opened


def _write(job: ImportJob, invoices: list[ErpInvoice], debtors: dict) -> tuple[list[int], dict]:
    """The page's debtors (those this run has not stored as they are now; `debtors`: their
    rows by erp id), invoices and cases; returns the cases' ids and the debtors written, for
    _remember once the savepoint holds (a page rolled back must not be remembered as stored)."""
    kept = job.debtors
    rows = {i.customer.erp_id: debtors[i.customer.erp_id] for i in invoices}
    rows = {k: row for k, row in rows.items() if kept.get(k, (None,))[0] != row}
    written = upsert(Debtor, DEBTOR_COLUMNS, list(rows.values()))
    new = []
    for i in invoices:
        erp_id = i.customer.erp_id
        debtor_id = written[erp_id] if erp_id in written else kept[erp_id][1]
        new.append(_new_invoice(debtor_id, i, job.mark, job.rules.is_backlog(i)))
    opened = cases_open_bulk(creditor=job.creditor, invoices=new, today=job.today)
    return opened, {erp_id: (rows[erp_id], pk) for erp_id, pk in written.items()}


def _remember(job: ImportJob, debtors: dict) -> None:
    if len(job.debtors) + len(debtors) > DEBTORS_KEPT:
        job.debtors.clear()
    job.debtors.update(debtors)


def _debtor_row(creditor_id: int, c: ErpCustomer) -> tuple:
    a = c.address
    kind = Debtor.Kind.CONSUMER.value if c.is_private else Debtor.Kind.BUSINESS.value
    return (creditor_id, c.erp_id, c.number, c.name, kind, c.org_number, a.line1, a.line2,
            a.postal_code, a.city, a.country, c.email, c.phone, c.customer_class,
            c.language)  # fmt: skip


def _new_invoice(debtor_id: int, e: ErpInvoice, mark=None, backlog=False) -> NewInvoice:
    return NewInvoice(debtor_id, e.erp_id, e.number, e.invoice_date, e.due_date, e.currency,
                      e.amount, e.outstanding, e.text, e.payment_reference, e.locator, mark,
                      backlog)  # fmt: skip


def _misfits(job: ImportJob, invoice: ErpInvoice, debtors: dict) -> dict[str, list[str]]:
    """The checks full_clean made per record, named as it named them (a customer's row as
    this run stored it already passed them). Adds the customer's debtor row to `debtors`."""
    customer = invoice.customer
    row = _debtor_row(job.creditor.pk, customer)
    errors = {}
    if job.debtors.get(customer.erp_id, (None,))[0] != row:
        debtor = misfits(Debtor, DEBTOR_COLUMNS, row)
        errors = {f"customer {customer.erp_id} {k}": v for k, v in debtor.items()}
    if not errors:  # the later wins if the ERP answered the same customer twice, differently
        debtors[customer.erp_id] = row
    row = (job.creditor.pk, *_new_invoice(0, invoice)[:-1], None)
    errors.update(misfits(Invoice, INVOICE_COLUMNS, row))
    return errors


def _refuse(job: ImportJob, invoice: ErpInvoice, exc: Exception) -> None:
    reason = f"could not be stored: {why(exc)}"
    job.quarantine("invoice", invoice.erp_id, reason, payload(invoice))


def why(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return f"{type(exc).__name__}: {exc}"


def payload(record) -> str:
    return json.dumps(dataclasses.asdict(record), default=str, ensure_ascii=False)


def pages(records: Iterator, size: int = PAGE) -> Iterator[list]:
    page = []
    for record in records:
        page.append(record)
        if len(page) >= size:
            yield page
            page = []
    if page:
        yield page


_END = object()


def prefetched(items: Iterator, depth: int = 2) -> Iterator:
    """Iterate `items` in a thread, at most `depth` ahead: the next ERP page is fetched and
    parsed while this one is written (the ERP and the database work meanwhile in their own
    processes). An exception in the thread is raised here, in order."""
    box: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(entry) -> bool:
        while not stop.is_set():
            try:
                box.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False  # the consumer has gone

    def produce():
        try:
            for item in items:
                if not offer((item, None)):
                    return
            offer((_END, None))
        except BaseException as exc:  # handed to the consumer, which raises it
            offer((_END, exc))

    thread = threading.Thread(target=produce, name="erp-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item, exc = box.get()
            if exc is not None:
                raise exc
            if item is _END:
                return
            yield item
    finally:
        stop.set()
        thread.join(timeout=5)
