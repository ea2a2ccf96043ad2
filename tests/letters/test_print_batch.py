"""The daily print batch: 1 000 letters, rendered by the real pipeline (advance, render, delivery
by post), become one PDF whose pages and manifest agree; a batch is made once a day; a letter
whose archived PDF changed is left out and tried again in a later batch."""

import csv
import datetime as dt
import hashlib
import io
import random
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader

from cases.models import Case, Invoice, LedgerEntry
from cases.seeding import due_cases_in_bulk
from collection.advance import advance_due_batch
from letters.delivery import letter_deliver
from letters.models import Delivery, Letter, PrintBatch
from letters.printing import MANIFEST_FIELDS, manifest_rows, print_batch_build, print_batches_due
from letters.services import letter_render
from letters.tasks import build_print_batch

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 2)  # a Monday
NOW = dt.datetime(2026, 11, 2, 7, 0, tzinfo=dt.UTC)  # 08:00 in Oslo
AFTERNOON = dt.datetime(2026, 11, 2, 14, 30, tzinfo=dt.UTC)  # 15:30 in Oslo


def add_invoices(cases: list[Case], count: int) -> None:
    """More invoices on these cases (a longer letter), each with its capital on the ledger."""
    invoices = Invoice.objects.bulk_create(
        Invoice(
            creditor=case.creditor,
            debtor=case.debtor,
            case=case,
            erp_id=f"x{case.number}-{i}",
            number=f"{case.number}-{i}",
            invoice_date=TODAY - dt.timedelta(days=44),
            due_date=TODAY - dt.timedelta(days=30),
            currency=case.currency,
            original_amount=Decimal("250.00"),
            outstanding_amount=Decimal("250.00"),
        )
        for case in cases
        for i in range(count)
    )
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            creditor=inv.creditor,
            case=inv.case,
            kind=LedgerEntry.Kind.CHARGE,
            component=LedgerEntry.Component.CAPITAL,
            amount=inv.outstanding_amount,
            booked_on=TODAY,
            invoice=inv,
            description=f"Invoice {inv.number}",
            key=f"capital:invoice:{inv.pk}",
        )
        for inv in invoices
    )


def letters_to_post(creditor, n: int, *, first: int) -> list[Letter]:
    """N due cases of the creditor, advanced to their first letter, rendered and queued for
    post (the debtors have no e-mail address), as the beat's advance and render tasks do."""
    cases = due_cases_in_bulk(
        creditors=[creditor],
        seqs=range(first, first + n),
        due=TODAY - dt.timedelta(days=30),
        opened_on=TODAY,
    )
    # Some longer letters, so that page counts differ: every 9th case has 30 more invoices.
    add_invoices(cases[::9], 30)
    while advance_due_batch(now=NOW, render=False):
        pass
    letters = list(Letter.objects.filter(case__in=cases).order_by("pk"))
    assert len(letters) == n
    for letter in letters:
        letter_render(letter_id=letter.pk)
        assert letter_deliver(letter_id=letter.pk).channel == Delivery.Channel.POST
    return list(Letter.objects.filter(case__in=cases).select_related("case__debtor").order_by("pk"))


def test_a_thousand_letters_make_one_batch_whose_pages_and_manifest_agree(make_creditor):
    creditor = make_creditor()
    letters = letters_to_post(creditor, 1000, first=5_000_001)
    assert print_batches_due(now=NOW) == []  # 08:00 in Oslo: before the batch hour
    assert print_batches_due(now=AFTERNOON) == [(creditor.pk, TODAY)]
    assert build_print_batch.delay(creditor.pk, TODAY.isoformat()).get() == 1000

    batch = PrintBatch.objects.get(creditor=creditor)
    assert batch.batch_date == TODAY and batch.letter_count == 1000
    with batch.file.open("rb") as fh:
        pdf = fh.read()
    assert hashlib.sha256(pdf).hexdigest() == batch.sha256
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == batch.pages

    rows = manifest_rows(batch)
    with batch.manifest.open("rb") as fh:
        assert fh.readline().decode().strip() == ",".join(MANIFEST_FIELDS)
    assert len(rows) == 1000
    by_id = {letter.pk: letter for letter in letters}
    assert sorted(int(r["letter_id"]) for r in rows) == sorted(by_id)
    # The ranges follow each other from page 1 to the last page, without gap or overlap.
    expected_first = 1
    for seq, row in enumerate(rows, 1):
        assert int(row["seq"]) == seq
        assert int(row["first_page"]) == expected_first
        assert int(row["last_page"]) == expected_first + int(row["pages"]) - 1
        expected_first = int(row["last_page"]) + 1
    assert expected_first - 1 == batch.pages
    page_counts = {int(r["pages"]) for r in rows}
    assert len(page_counts) > 1, f"every letter has {page_counts} page(s): ranges untested"

    # Each row is its letter: its number, its archived PDF's checksum and page count, and the
    # batch's pages in its range are that PDF's pages (checked on a sample: extracting text
    # from 1 000 letters would double the test's time).
    deliveries = {d.letter_id: d for d in Delivery.objects.filter(print_batch=batch)}
    assert len(deliveries) == 1000
    for row in rows:
        letter = by_id[int(row["letter_id"])]
        delivery = deliveries[letter.pk]
        assert row["case_number"] == letter.case.number
        assert row["debtor_name"] == letter.case.debtor.name
        assert row["address"] == "Kirkeveien 2 / 0368 Oslo"
        assert row["sha256"] == letter.sha256
        assert delivery.status == Delivery.Status.SENT and delivery.sent_at
        assert (delivery.first_page, delivery.pages) == (
            int(row["first_page"]),
            int(row["pages"]),
        )
    sample = random.Random(10).sample(rows, 12) + [r for r in rows if int(r["pages"]) > 1][:3]
    for row in sample:
        letter = by_id[int(row["letter_id"])]
        with letter.file.open("rb") as fh:
            own = fh.read()
        assert hashlib.sha256(own).hexdigest() == row["sha256"]
        own_pages = PdfReader(io.BytesIO(own)).pages
        assert len(own_pages) == int(row["pages"])
        first = int(row["first_page"]) - 1
        for i, page in enumerate(own_pages):
            batch_text = reader.pages[first + i].extract_text()
            assert batch_text == page.extract_text()
        assert letter.case.number in reader.pages[first].extract_text()
    # Post is ordered by postal code then case number: here all share one code.
    assert [r["case_number"] for r in rows] == sorted(r["case_number"] for r in rows)

    # Made once a day: the next tick and a second build find the day's batch made.
    assert print_batches_due(now=AFTERNOON + dt.timedelta(hours=1)) == []
    assert print_batch_build(creditor_id=creditor.pk, day=TODAY) is None
    assert PrintBatch.objects.count() == 1


def test_a_letter_whose_pdf_changed_is_left_out_and_tried_in_a_later_batch(make_creditor):
    creditor = make_creditor()
    good, changed, no_address = letters_to_post(creditor, 3, first=6_000_001)
    # Someone overwrote one archived PDF: it no longer matches the letter's SHA-256.
    with changed.file.open("rb") as fh:
        original = fh.read()
    changed.file.storage.delete(changed.file.name)
    changed.file.storage.save(changed.file.name, ContentFile(b"%PDF-1.7 not the letter"))
    # The other's debtor has no postal address any more, since the delivery was queued.
    Delivery.objects.filter(letter=no_address).update(address="")

    batch = print_batch_build(creditor_id=creditor.pk, day=TODAY, now=AFTERNOON)
    assert batch.letter_count == 1
    assert [int(r["letter_id"]) for r in manifest_rows(batch)] == [good.pk]
    failed = Delivery.objects.get(letter=changed)
    assert failed.status == Delivery.Status.FAILED and failed.attempts == 1
    assert "does not match its SHA-256" in failed.last_error
    assert failed.next_attempt_at == AFTERNOON + dt.timedelta(minutes=5)
    assert "no postal address" in Delivery.objects.get(letter=no_address).last_error

    # The archive is put right: the next day's batch takes it, the other keeps failing.
    changed.file.storage.delete(changed.file.name)
    changed.file.storage.save(changed.file.name, ContentFile(original))
    tomorrow = AFTERNOON + dt.timedelta(days=1)
    assert print_batches_due(now=tomorrow) == [(creditor.pk, TODAY + dt.timedelta(days=1))]
    second = print_batch_build(creditor_id=creditor.pk, day=TODAY + dt.timedelta(days=1))
    assert [int(r["letter_id"]) for r in manifest_rows(second)] == [changed.pk]
    row = next(csv.DictReader(io.StringIO(second.manifest.open("rb").read().decode())))
    assert row["first_page"] == "1" and row["sha256"] == changed.sha256
    changed_delivery = Delivery.objects.get(letter=changed)
    assert changed_delivery.status == Delivery.Status.SENT
    assert changed_delivery.attempts == 2 and changed_delivery.print_batch == second
    assert Delivery.objects.get(letter=no_address).attempts == 2
