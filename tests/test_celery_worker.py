"""The pipeline through a real Celery worker process on the real stack (PostgreSQL + Redis).

Runs where CELERY_BROKER_URL points at Redis and DATABASE_URL at PostgreSQL (.ci/run sets both);
on the embedded default (SQLite, eager tasks) there is no broker to test, so it is skipped."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings as django_settings

from cases.models import Case
from collection.payments import incoming_payment_register
from collection.tasks import run_payouts, sync_creditor
from letters.models import Letter
from nordic.calendar import local_today
from settlements.models import Payout, Settlement
from tests.celery_workers import ON_THE_REAL_STACK, celery_workers, wait_for
from tests.onboarding import active_creditor

pytestmark = ON_THE_REAL_STACK


@pytest.fixture
def worker(settings):
    """A `celery worker` process on a queue of its own, using this test's database."""
    with celery_workers(settings.MEDIA_ROOT, queue_prefix="test") as start:
        yield start()


@pytest.fixture
def live_tripletex():
    """The emulator seeded relative to today in Oslo: the worker computes dates on its own."""
    from integrations.tripletex.emulator import TripletexEmulator, seed_demo, serve

    emulator = TripletexEmulator()
    seeded = seed_demo(emulator, local_today("Europe/Oslo"))
    with serve(emulator) as server:
        yield emulator, seeded, server.url


def test_sync_letters_payment_and_voucher_through_a_worker(worker, live_tripletex):
    emulator, seeded, url = live_tripletex
    company = seeded["companies"][1]
    creditor = active_creditor({"base_url": url, "employee_token": company["employee_token"]})
    assert django_settings.CELERY_TASK_ALWAYS_EAGER is False

    sync_creditor.delay(creditor.pk)
    wait_for(lambda: Case.objects.filter(creditor=creditor).exists(), "the worker's import")
    cases = list(Case.objects.filter(creditor=creditor))
    # Each opened case's number was written back to the ERP by a task the worker ran.
    wait_for(
        lambda: len(emulator.case_statuses(company["id"])) >= len(cases),
        "case numbers in the ERP",
    )

    from collection.tasks import advance_due_cases

    advance_due_cases.delay()
    # The advance writes the letters; a second task on the worker renders their PDFs.
    wait_for(
        lambda: Letter.objects.filter(creditor=creditor).exclude(file="").count() == len(cases),
        "a rendered reminder letter per case",
    )
    case = cases[0]
    letter = Letter.objects.get(case=case)
    with letter.file.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"

    incoming = incoming_payment_register(
        reference=case.payment_reference,
        amount=letter.total,
        paid_on=dt.date.today(),
        external_id="worker-bank-1",
        currency="NOK",
    )
    payment = incoming.payment
    settlement = Settlement.objects.get(payment=payment)
    run_payouts.delay(creditor.pk)  # what beat's daily payout run queues per creditor
    payout = wait_for(
        lambda: Payout.objects.filter(creditor=creditor, voucher_status="posted").first(),
        "the payout voucher posted by the worker",
    )
    assert payout.amount == settlement.to_creditor
    vouchers = [
        v
        for v in emulator.vouchers(company["id"])
        if v["externalVoucherNumber"] == payout.external_number
    ]
    assert len(vouchers) == 1
    case.refresh_from_db()
    assert case.outcome == Case.Outcome.PAID
    assert settlement.to_creditor + settlement.to_collector == letter.total - Decimal("0.00")
