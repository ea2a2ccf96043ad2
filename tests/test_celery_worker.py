"""The pipeline through a real Celery worker process on the real stack (PostgreSQL + Redis).

Runs where CELERY_BROKER_URL points at Redis and DATABASE_URL at PostgreSQL (.ci/run sets both);
on the embedded default (SQLite, eager tasks) there is no broker to test, so it is skipped."""

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from cases.models import Case
from collection.onboarding import creditor_onboard
from collection.payments import incoming_payment_register
from collection.tasks import sync_creditor
from creditors.services import creditor_activate, creditor_sign_agreement
from letters.models import Letter
from nordic.calendar import local_today
from settlements.models import Settlement

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.celery_worker,
    # Flushed tables get the migrations' rule tables back (Django's serialized rollback).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"),
        reason="needs a Redis broker and PostgreSQL (.ci/run runs this on the real stack)",
    ),
]


def wait_for(predicate, what: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def worker(settings):
    """A `celery worker` process on a queue of its own, using this test's database."""
    from autocollect.celery import app

    assert connection.vendor == "postgresql", "the worker test runs on PostgreSQL"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_QUEUE": queue,
        "AUTOCOLLECT_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    old_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "autocollect",
            "worker",
            "--loglevel=WARNING",
            "--concurrency=2",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        yield proc
    finally:
        app.conf.task_default_queue = old_queue
        proc.terminate()
        proc.wait(timeout=30)


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
    creditor = creditor_onboard(
        erp_kind="tripletex",
        country="NO",
        payout_account_kind="no_account",
        payout_account="8601 11 17947",
        contact_email="okonomi@example.no",
        connection={
            "base_url": url,
            "employee_token": company["employee_token"],
        },
    )
    creditor_sign_agreement(creditor=creditor)
    creditor_activate(creditor=creditor)
    assert django_settings.CELERY_TASK_ALWAYS_EAGER is False

    sync_creditor.delay(creditor.pk)
    wait_for(lambda: Case.objects.filter(creditor=creditor).exists(), "the worker's import")
    cases = list(Case.objects.filter(creditor=creditor))
    # Each opened case's number was written back to the ERP by a task the worker ran.
    wait_for(
        lambda: len(emulator.voucher_statuses(company["id"])) >= len(cases),
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
    settlement = wait_for(
        lambda: Settlement.objects.filter(payment=payment, status="posted").first(),
        "the settlement voucher posted by the worker",
    )
    vouchers = [
        v
        for v in emulator.vouchers(company["id"])
        if v["externalVoucherNumber"] == settlement.external_number
    ]
    assert len(vouchers) == 1
    case.refresh_from_db()
    assert case.outcome == Case.Outcome.PAID
    assert settlement.to_creditor + settlement.to_collector == letter.total - Decimal("0.00")
