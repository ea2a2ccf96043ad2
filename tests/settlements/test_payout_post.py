"""A payout's voucher reaches the creditor's ERP once, even when two posts race and the ERP would
take the same voucher twice (the emulator with its 409 on a repeated external number off), and a
post whose worker died mid-call is finished by asking the ERP first. (Before payouts these were
the per-payment payout voucher's tests; the claim and lease moved to the payout unchanged.)

Real HTTP to the Tripletex emulator, the real database (SQLite or PostgreSQL), real threads."""

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from cases.models import Case, Payment
from collection.erp import adapter_for
from collection.payments import payment_register
from collection.postings import erp_voucher, payout_post, payouts_retry
from collection.sync import creditor_sync
from integrations.tripletex import mapping
from integrations.tripletex.emulator import TripletexEmulator, seed_demo, serve
from settlements.models import Payout
from settlements.payouts import POST_LEASE, payout_batch_create, payout_lines, payout_pay
from tests.conftest import TT_TODAY
from tests.onboarding import active_creditor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def lenient_erp():
    """An ERP without Tripletex's guard: it takes a second voucher with the same number."""
    emulator = TripletexEmulator(refuse_duplicate_vouchers=False)
    emulator.seeded = seed_demo(emulator, TT_TODAY)
    with serve(emulator) as server:
        emulator.url = server.url
        yield emulator


@pytest.fixture
def pending_payout(lenient_erp):
    """A payment to us on a case imported from the ERP, paid out, its voucher not yet posted:
    each test posts it the way it needs."""
    company = lenient_erp.seeded["companies"][0]
    creditor = active_creditor(
        {"base_url": lenient_erp.url, "employee_token": company["employee_token"], "company_id": 0}
    )
    creditor_sync(creditor=creditor, today=TT_TODAY)
    case = Case.objects.filter(creditor=creditor).order_by("pk").first()
    payment_register(
        case=case,
        source=Payment.Source.COLLECTOR,
        external_id="bank-race-1",
        amount=Decimal("5000.00"),
        paid_on=TT_TODAY,
    )
    (payout,) = payout_batch_create(creditor=creditor, today=TT_TODAY)
    payout = payout_pay(payout=payout)
    assert payout.voucher_status == V.PENDING and payout.amount > 0
    return payout


V = Payout.VoucherStatus


def capital_paid_over(payout) -> Decimal:
    return sum(line.amount for line in payout_lines(payout) if line.kind == "capital")


def vouchers_for(erp, payout) -> list[dict]:
    company_id = erp.seeded["companies"][0]["id"]
    number = payout.external_number
    return [v for v in erp.vouchers(company_id) if v["externalVoucherNumber"] == number]


def voucher_posts(erp) -> list[dict]:
    return [r for r in erp.requests("/ledger/voucher") if r["method"] == "POST"]


def outstanding_in_erp(erp, payout) -> Decimal:
    company_id = erp.seeded["companies"][0]["id"]
    invoice = payout.settlements.get().case.invoices.get()
    return erp.invoice(company_id, int(invoice.erp_id))["amountCurrencyOutstanding"]


def test_the_lenient_erp_takes_a_repeated_voucher(lenient_erp, pending_payout):
    """The mode is real: two POSTs of one voucher, with no lookup between, give two vouchers;
    nothing on the ERP's side would stop a double post in the tests below."""
    client = adapter_for(pending_payout.creditor).client
    voucher = erp_voucher(pending_payout)
    accounts = {line.account_number for line in voucher.lines}
    body = mapping.voucher_to_json(voucher, {n: client.ledger_account_id(n) for n in accounts})
    client.post_voucher(body)
    client.post_voucher(body)
    assert len(vouchers_for(lenient_erp, pending_payout)) == 2


def post_waiting_for_sqlite(payout_id: int) -> Payout:
    """payout_post; on the tests' in-memory SQLite (shared cache) a second writer is told
    "table is locked" at once where the file database of `make run` waits (busy timeout), so
    wait here the same way. PostgreSQL waits on the row lock by itself."""
    for _ in range(200):
        try:
            return payout_post(payout_id=payout_id)
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("the SQLite database stayed locked")


def test_two_concurrent_posts_make_one_voucher(lenient_erp, pending_payout):
    payout = pending_payout
    before = outstanding_in_erp(lenient_erp, payout)
    # Every voucher POST waits (up to 2 s) for a second one: if both posts reach the ERP, both
    # have looked up our external number before either voucher exists.
    lenient_erp.hold("/ledger/voucher", parties=2, method="POST", timeout=2.0)
    start = threading.Barrier(2)
    results, errors = [], []

    def post():
        try:
            start.wait()
            results.append(post_waiting_for_sqlite(payout.pk).voucher_status)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors

    found = vouchers_for(lenient_erp, payout)
    assert len(found) == 1, f"{len(found)} vouchers in the ERP for one payout"
    assert len(voucher_posts(lenient_erp)) == 1
    payout.refresh_from_db()
    assert payout.voucher_status == V.POSTED
    assert payout.erp_voucher_id == str(found[0]["id"])
    assert payout.post_attempts == 1
    # The second post saw the first one's claim (or its outcome) and stayed off the ERP.
    assert sorted(results) in (
        [V.POSTED, V.POSTED],
        [V.POSTED, V.POSTING],
    )
    # The debtor's invoice in the creditor's ledger is credited once, not twice.
    capital = capital_paid_over(payout)
    assert capital > 0
    assert outstanding_in_erp(lenient_erp, payout) == before - capital


def test_a_post_under_way_keeps_others_off_the_erp(lenient_erp, pending_payout):
    payout = pending_payout
    Payout.objects.filter(pk=payout.pk).update(
        voucher_status=V.POSTING, post_attempts=1, post_attempted_at=timezone.now()
    )
    calls = len(lenient_erp.requests())
    assert payout_post(payout_id=payout.pk).voucher_status == V.POSTING
    assert payouts_retry(creditor=payout.creditor) == 0
    assert len(lenient_erp.requests()) == calls  # not one request to the ERP


def test_a_post_whose_worker_died_after_the_call_is_found_not_posted_again(
    lenient_erp, pending_payout
):
    payout = payout_post(payout_id=pending_payout.pk)
    voucher_id = payout.erp_voucher_id
    # The worker died after the ERP took the voucher and before it recorded the outcome.
    Payout.objects.filter(pk=payout.pk).update(
        voucher_status=V.POSTING,
        erp_voucher_id="",
        posted_at=None,
        post_attempted_at=timezone.now() - POST_LEASE - dt.timedelta(minutes=1),
    )
    assert payouts_retry(creditor=payout.creditor) == 1
    payout.refresh_from_db()
    assert (payout.voucher_status, payout.erp_voucher_id) == (V.POSTED, voucher_id)
    assert payout.post_attempts == 2
    assert len(vouchers_for(lenient_erp, payout)) == 1
    assert len(voucher_posts(lenient_erp)) == 1


def test_a_post_whose_worker_died_before_the_call_is_posted_once(lenient_erp, pending_payout):
    payout = pending_payout
    Payout.objects.filter(pk=payout.pk).update(
        voucher_status=V.POSTING,
        post_attempts=1,
        post_attempted_at=timezone.now() - POST_LEASE - dt.timedelta(minutes=1),
    )
    payout = payout_post(payout_id=payout.pk)
    assert payout.voucher_status == V.POSTED
    assert len(vouchers_for(lenient_erp, payout)) == 1
    lookups = lenient_erp.requests("/ledger/voucher/>externalVoucherNumber")
    assert lookups and lookups[0]["query"]["externalVoucherNumber"] == payout.external_number


def test_a_failed_post_that_did_reach_the_erp_is_found_on_retry(lenient_erp, pending_payout):
    """The ERP took the voucher but its answer was lost (here: a 500 after booking is simulated
    by posting, then failing the recorded outcome): the retry asks first and posts nothing."""
    payout = payout_post(payout_id=pending_payout.pk)
    Payout.objects.filter(pk=payout.pk).update(
        voucher_status=V.FAILED, erp_voucher_id="", last_error="read timed out"
    )
    payout = payout_post(payout_id=payout.pk)
    assert payout.voucher_status == V.POSTED and payout.last_error == ""
    assert len(vouchers_for(lenient_erp, payout)) == 1
    assert len(voucher_posts(lenient_erp)) == 1
