"""One test per injected fault on the Tripletex sync, over real HTTP to the emulator and on the
real database: the run's outcome (failed with a readable reason and nothing written, or
recovered and complete) and that no invoice, case, payment or voucher was lost or doubled.

"Complete" is measured against a fault-free sync of an identical emulator (the demo seed is
deterministic, ids included), so the tests do not restate the import filter's rules.

A timeout, a dropped connection, a 429 or a 5xx on a page is retried by the HTTP base (a page
read is a safe GET; a 429 waits what the ERP says), so the same run completes. A malformed answer
is not retried blindly: the run fails clean and the next one completes."""

import datetime as dt
import time
from decimal import Decimal

import pytest

from cases.models import Case, Debtor, Invoice, Payment
from collection.models import SyncRun
from collection.payments import payment_register
from collection.payouts import payouts_run
from collection.sync import creditor_sync
from integrations.emulation.testing import running
from integrations.errors import (
    ErpError,
    ErpMalformedResponse,
    ErpRateLimited,
    ErpUnavailable,
)
from integrations.tripletex.client import TripletexClient
from integrations.tripletex.emulator import TripletexEmulator, seed_demo
from tests.conftest import TT_TODAY

pytestmark = pytest.mark.django_db
PAGE = 4  # the demo company's 15 invoices come in four pages


@pytest.fixture
def creditor(make_creditor, tripletex_connection):
    return make_creditor(erp_connection=tripletex_connection(0, page_size=PAGE))


@pytest.fixture
def baseline(make_creditor):
    """What a sync without faults imports from a fresh, identical emulator."""
    with running(TripletexEmulator(), seed=lambda e: seed_demo(e, TT_TODAY)) as erp:
        token = erp.seeded["companies"][0]["employee_token"]
        clean = make_creditor(
            erp_connection={"base_url": erp.url, "employee_token": token, "page_size": PAGE}
        )
        run = creditor_sync(creditor=clean, today=TT_TODAY)
    assert run.status == SyncRun.Status.OK and run.imported >= PAGE + 1  # more than one page
    return {
        "invoices": set(Invoice.objects.filter(creditor=clean).values_list("erp_id", flat=True)),
        "payments": Payment.objects.filter(creditor=clean).count(),
        "seen": run.seen,
    }


def failed_run(creditor, error: type[ErpError]) -> SyncRun:
    with pytest.raises(error):
        creditor_sync(creditor=creditor, today=TT_TODAY)
    return SyncRun.objects.filter(creditor=creditor).latest("pk")


def assert_nothing_written(creditor, run: SyncRun, *words: str) -> None:
    assert run.status == SyncRun.Status.FAILED
    assert "nothing was changed" in run.error
    for word in words:
        assert word in run.error, run.error
    creditor.refresh_from_db()
    assert creditor.last_sync_error == run.error  # the creditor reads the reason
    for model in (Invoice, Case, Debtor, Payment):
        assert not model.objects.filter(creditor=creditor).exists(), model.__name__


def assert_complete(creditor, baseline, extra=frozenset()) -> None:
    """Every invoice the clean run imports, each once, each in one case; no payment doubled."""
    erp_ids = list(Invoice.objects.filter(creditor=creditor).values_list("erp_id", flat=True))
    assert len(erp_ids) == len(set(erp_ids)), "an invoice imported twice"
    assert set(erp_ids) == baseline["invoices"] | set(extra)
    assert Case.objects.filter(creditor=creditor).count() == len(erp_ids)
    assert all(i.case_id for i in Invoice.objects.filter(creditor=creditor).only("case_id")), (
        "an invoice without its case"
    )
    debtors = list(Debtor.objects.filter(creditor=creditor).values_list("erp_id", flat=True))
    assert len(debtors) == len(set(debtors)), "a debtor imported twice"
    assert Payment.objects.filter(creditor=creditor).count() == baseline["payments"]


def sync_ok(creditor) -> SyncRun:
    run = creditor_sync(creditor=creditor, today=TT_TODAY)
    assert run.status == SyncRun.Status.OK and run.error == ""
    return run


def retried_pages(tripletex) -> list[tuple[str, object]]:
    """(page offset, fault) of every list call: a faulted page followed by the same page."""
    return [
        (r["query"]["from"], r["fault"])
        for r in tripletex.requests("/v2/invoice")
        if "from" in r["query"]
    ]


def assert_page_retried(tripletex, fault: str) -> None:
    pages = retried_pages(tripletex)
    faulted = [i for i, (_, f) in enumerate(pages) if f == fault]
    assert len(faulted) == 1, pages
    i = faulted[0]
    assert pages[i + 1] == (pages[i][0], None)  # the same page again, answered


def test_timeout_on_a_page_is_retried_and_the_run_completes(
    tripletex, creditor, baseline, monkeypatch
):
    # The client waits 30 s for an answer; a test waits half a second (the stall is longer).
    monkeypatch.setitem(TripletexClient.__init__.__kwdefaults__, "timeout", (2, 0.5))
    stall = tripletex.faults.timeout("/invoice?", skip=1, seconds=2)
    run = sync_ok(creditor)
    # The stalled page is logged only when the emulator answers it, to no one, after the run:
    # that it fired and the run is complete shows the page was read again in this run.
    assert stall.fired == 1
    assert run.imported == len(baseline["invoices"])
    assert_complete(creditor, baseline)


def test_dropped_connection_on_a_page_is_retried_and_the_run_completes(
    tripletex, creditor, baseline
):
    tripletex.faults.drop("/invoice?", skip=2)
    run = sync_ok(creditor)
    assert_page_retried(tripletex, "drop")
    assert run.imported == len(baseline["invoices"])
    assert_complete(creditor, baseline)


def test_rate_limit_on_a_page_waits_retry_after_and_the_run_completes(
    tripletex, creditor, baseline
):
    tripletex.faults.rate_limited("/invoice?", retry_after=1, skip=1)
    started = time.monotonic()
    run = sync_ok(creditor)
    assert time.monotonic() - started >= 1  # waited what Tripletex said
    assert_page_retried(tripletex, "rate_limited")
    assert run.imported == len(baseline["invoices"])
    assert_complete(creditor, baseline)


def test_a_rate_limit_longer_than_the_client_waits_fails_clean_with_the_wait(
    tripletex, creditor, baseline
):
    tripletex.faults.rate_limited("/invoice?", retry_after=60, skip=1)
    with pytest.raises(ErpRateLimited) as err:
        creditor_sync(creditor=creditor, today=TT_TODAY)
    assert err.value.retry_after == 60  # the task retries after exactly that long
    run = SyncRun.objects.filter(creditor=creditor).latest("pk")
    assert_nothing_written(creditor, run, "rate limited", "429")
    sync_ok(creditor)
    assert_complete(creditor, baseline)


def test_server_error_on_a_page_is_retried_and_the_run_completes(tripletex, creditor, baseline):
    tripletex.faults.server_error("/invoice?", status=503, skip=3)
    run = sync_ok(creditor)
    assert_page_retried(tripletex, "server_error")
    assert run.imported == len(baseline["invoices"])
    assert_complete(creditor, baseline)


def test_a_server_that_stays_down_fails_the_run_clean(tripletex, creditor, baseline):
    tripletex.faults.server_error("/invoice?", status=503, skip=1, times=None)
    run = failed_run(creditor, ErpUnavailable)
    assert_nothing_written(creditor, run, "503", "GET /invoice")
    tripletex.faults.clear()
    sync_ok(creditor)
    assert_complete(creditor, baseline)


def test_expired_token_mid_run_is_renewed_and_the_run_completes(tripletex, creditor, baseline):
    tripletex.faults.expired_token("/invoice?", skip=2)
    run = sync_ok(creditor)
    assert len(tripletex.requests(":create")) == 2  # one new session, once
    assert [r["status"] for r in tripletex.requests("/v2/invoice") if r["fault"]] == [401]
    assert run.imported == len(baseline["invoices"])
    assert_complete(creditor, baseline)


def test_malformed_page_fails_clean_and_the_next_run_completes(tripletex, creditor, baseline):
    tripletex.faults.malformed("/invoice?", skip=1)
    run = failed_run(creditor, ErpMalformedResponse)
    assert_nothing_written(creditor, run, "did not answer JSON")
    sync_ok(creditor)  # a garbled answer is not retried blindly: the next run reads it again
    assert_complete(creditor, baseline)


def test_a_page_that_shifts_mid_run_doubles_nothing(tripletex, creditor, baseline):
    company = tripletex.seeded["companies"][0]
    new = []

    def insert_before_the_offset():
        due = TT_TODAY - dt.timedelta(days=40)
        new.append(
            tripletex.add_invoice(
                company["id"],
                company["customer_ids"][0],
                due - dt.timedelta(days=30),
                due,
                Decimal("1234.00"),
                front=True,  # lists first: every later invoice moves one place down
            )
        )

    tripletex.faults.shift_page("/invoice?", insert_before_the_offset)
    first = sync_ok(creditor)
    pages = [r["query"]["from"] for r in tripletex.requests("/v2/invoice") if "from" in r["query"]]
    assert pages[:2] == ["0", str(PAGE)] and new  # it shifted between the first two pages
    # Read in id order, the new invoice comes last instead of pushing a row onto the next page:
    # every invoice once, the new one included, in this very run.
    assert first.seen == baseline["seen"] + 1
    assert first.imported == len(baseline["invoices"]) + 1
    assert_complete(creditor, baseline, extra={str(new[0])})
    assert sync_ok(creditor).imported == 0


def test_a_row_removed_before_the_offset_mid_run_is_read_all_the_same(
    tripletex, creditor, baseline
):
    """Sorting keeps inserts from shifting pages, removals still shift them: the first invoice
    of page two moves onto page one once page one is read. The reconciling pass over the ids
    the ERP has at the end finds it, in the same run."""
    company = tripletex.seeded["companies"][0]
    first_page = sorted(company["open_invoice_ids"])[:PAGE]

    def remove_one_already_read():
        tripletex.delete("invoice", first_page[0], company["id"])

    tripletex.faults.shift_page("/invoice?", remove_one_already_read)
    run = sync_ok(creditor)
    assert_complete(creditor, baseline)  # the removed one was read before it went
    assert run.seen == baseline["seen"]
    fetched = [r for r in tripletex.requests("/v2/invoice") if "id" in r["query"]]
    assert len(fetched) == 1  # the one row no page brought, fetched by id


def test_voucher_answer_lost_without_duplicate_refusal_is_posted_once(
    tripletex, creditor, baseline
):
    from settlements.models import Payout

    sync_ok(creditor)
    # The ERP takes the same voucher twice, and the answer to our post is lost after the ERP
    # booked it: only asking the ERP for our external number keeps it from a second voucher.
    tripletex.faults.allow_duplicates("voucher")
    tripletex.faults.drop("/ledger/voucher", method="POST", after=True)
    case = Case.objects.filter(creditor=creditor).order_by("pk").first()
    payment_register(
        case=case,
        source=Payment.Source.COLLECTOR,
        external_id="bank-fault-1",
        amount=Decimal("500.00"),
        paid_on=TT_TODAY,
    )
    (payout,) = payouts_run(creditor=creditor, today=TT_TODAY)  # the post's answer is lost
    payout.refresh_from_db()
    assert payout.voucher_status == Payout.VoucherStatus.FAILED and payout.erp_voucher_id == ""
    company_id = tripletex.seeded["companies"][0]["id"]
    outstanding = tripletex.invoice(company_id, int(case.invoices.get().erp_id))

    sync_ok(creditor)  # the sync retries payouts first: found in the ERP, not posted again
    payout.refresh_from_db()
    ours = [
        v
        for v in tripletex.vouchers(company_id)
        if v["externalVoucherNumber"] == payout.external_number
    ]
    assert len(ours) == 1, f"{len(ours)} vouchers for one payout"
    posts = [r for r in tripletex.requests("/ledger/voucher") if r["method"] == "POST"]
    assert len(posts) == 1
    assert payout.voucher_status == Payout.VoucherStatus.POSTED
    assert payout.erp_voucher_id == str(ours[0]["id"])
    after = tripletex.invoice(company_id, outstanding["id"])  # credited once, by the first post
    assert after["amountCurrencyOutstanding"] == outstanding["amountCurrencyOutstanding"]
    assert Payment.objects.filter(creditor=creditor).count() == baseline["payments"] + 1
    erp_ids = list(Invoice.objects.filter(creditor=creditor).values_list("erp_id", flat=True))
    assert len(erp_ids) == len(set(erp_ids)) and set(erp_ids) == baseline["invoices"]
