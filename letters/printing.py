"""The daily print batch per creditor: every letter to post that day in one PDF for the print
house, and a manifest of where each one is in it.

The batch is the archived PDFs put one after the other with pypdf (already a dependency): a letter
goes out exactly as it was archived, checked against its SHA-256, never laid out again. Letters are
ordered by the debtor's country, postal code and case number (the order post is sorted in).

The manifest is CSV (UTF-8, a header row), one row per letter: seq, letter_id, case_number,
debtor_name, address (the lines joined by " / "), pages, first_page, last_page (1-based, inclusive,
in the batch PDF) and sha256 (of the letter's own PDF). Its page ranges follow each other without
a gap and end at the batch's page count.

A batch is made once per creditor and local day, at AUTOCOLLECT_PRINT_BATCH_HOUR (the print
house's pick-up) or later; a letter queued after it goes in the next day's. A letter that cannot
go (its file changed, no postal address) is left out, recorded as a failed attempt and tried in a
later batch, up to AUTOCOLLECT_DELIVERY_ATTEMPTS (letters.delivery).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from creditors.models import Creditor
from letters.delivery import DeliveryError, archived_pdf, delivery_failed, max_attempts
from letters.models import Delivery, PrintBatch

D = Delivery.Status
MANIFEST_FIELDS = [
    "seq", "letter_id", "case_number", "debtor_name", "address", "pages", "first_page",
    "last_page", "sha256",
]  # fmt: skip


def _open_post(creditor_id: int, now: dt.datetime):
    return Delivery.objects.filter(
        creditor_id=creditor_id,
        channel=Delivery.Channel.POST,
        status__in=[D.QUEUED, D.FAILED],
        attempts__lt=max_attempts(),
    ).filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def print_batch_build(
    *, creditor_id: int, day: dt.date, now: dt.datetime | None = None
) -> PrintBatch | None:
    """The creditor's batch for `day` from the post deliveries waiting now; None when there is
    none to print (or the day's batch is made already: calling twice makes one batch)."""
    now = now or timezone.now()
    with transaction.atomic():
        # The creditor's row lock makes two builds of one creditor take turns.
        list(Creditor.objects.select_for_update().filter(pk=creditor_id).values_list("pk"))
        if PrintBatch.objects.filter(creditor_id=creditor_id, batch_date=day).exists():
            return None
        deliveries = list(
            _open_post(creditor_id, now)
            .select_for_update(of=("self",))
            .select_related("letter__case__debtor")
        )
        deliveries.sort(
            key=lambda d: (
                d.letter.case.debtor.country,
                d.letter.case.debtor.postal_code,
                d.letter.case.number,
                d.pk,
            )
        )
        writer, good, manifest = PdfWriter(), [], []
        for d in deliveries:
            try:
                if not d.address:
                    raise DeliveryError("no postal address")
                pages = list(PdfReader(io.BytesIO(archived_pdf(d.letter))).pages)
            except Exception as exc:
                delivery_failed(delivery=d, error=exc, now=now)
                continue
            d.first_page, d.pages = len(writer.pages) + 1, len(pages)
            for page in pages:
                writer.add_page(page)
            good.append(d)
            manifest.append(_manifest_row(len(good), d))
        if not good:
            return None
        buffer = io.BytesIO()
        writer.write(buffer)
        pdf = buffer.getvalue()
        batch = PrintBatch(
            creditor_id=creditor_id,
            batch_date=day,
            sha256=hashlib.sha256(pdf).hexdigest(),
            pages=len(writer.pages),
            letter_count=len(good),
        )
        stem = f"print-{creditor_id}-{day.isoformat()}"
        batch.file.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        batch.manifest.save(f"{stem}.csv", ContentFile(_csv(manifest)), save=False)
        batch.save()
        for d in good:
            d.status, d.sent_at, d.print_batch = D.SENT, now, batch
            d.attempts += 1
            d.last_attempt_at, d.next_attempt_at, d.last_error = now, None, ""
        Delivery.objects.bulk_update(
            good,
            ["status", "sent_at", "print_batch", "first_page", "pages", "attempts",
             "last_attempt_at", "next_attempt_at", "last_error"],
            batch_size=500,
        )  # fmt: skip
    return batch


def _manifest_row(seq: int, d: Delivery) -> dict:
    letter = d.letter
    return {
        "seq": seq,
        "letter_id": letter.pk,
        "case_number": letter.case.number,
        "debtor_name": letter.case.debtor.name,
        "address": " / ".join(d.address.splitlines()[1:]),
        "pages": d.pages,
        "first_page": d.first_page,
        "last_page": d.first_page + d.pages - 1,
        "sha256": letter.sha256,
    }


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def manifest_rows(batch: PrintBatch) -> list[dict]:
    """The batch's manifest as written (strings, as CSV has them)."""
    with batch.manifest.open("rb") as fh:
        return list(csv.DictReader(io.StringIO(fh.read().decode())))


def print_batches_due(*, now: dt.datetime) -> list[tuple[int, dt.date]]:
    """(creditor, local day) for each creditor with post waiting whose local time has reached
    the batch hour and that has no batch for its local day yet."""
    waiting = (
        Delivery.objects.filter(
            channel=Delivery.Channel.POST,
            status__in=[D.QUEUED, D.FAILED],
            attempts__lt=max_attempts(),
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .values_list("creditor_id", flat=True)
        .distinct()
    )
    zones = dict(Creditor.objects.filter(pk__in=waiting).values_list("pk", "time_zone"))
    due = []
    for creditor_id, zone in zones.items():
        local = now.astimezone(ZoneInfo(zone))
        if local.hour >= settings.AUTOCOLLECT_PRINT_BATCH_HOUR:
            due.append((creditor_id, local.date()))
    made = set(
        PrintBatch.objects.filter(
            creditor_id__in=[c for c, _ in due], batch_date__in={d for _, d in due}
        ).values_list("creditor_id", "batch_date")
    )
    return sorted(x for x in due if x not in made)
