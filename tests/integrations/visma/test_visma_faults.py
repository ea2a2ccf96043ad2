"""One test per fault the emulator kit injects, on a Visma.net creditor's sync over real HTTP
and the real database: the run recovers and is complete, or fails clean with a readable reason
and nothing written (and the next run completes). "Complete" is measured against a fault-free
sync of an identical emulator (the seed is deterministic)."""

import time

import pytest

from cases.models import Case, Debtor, Invoice, Payment
from collection.models import SyncRun
from collection.sync import creditor_sync
from integrations.emulation.testing import running
from integrations.errors import ErpError, ErpMalformedResponse, ErpRateLimited, ErpUnavailable
from integrations.http import forget_process_state, ratelimit
from integrations.visma.client import VismaClient
from integrations.visma.emulator import VismaEmulator, seed_demo
from tests.integrations.visma.conftest import TODAY, connection

pytestmark = pytest.mark.django_db
LISTING = "/v1/customerinvoice?"


@pytest.fixture
def creditor(visma_creditor, monkeypatch):
    monkeypatch.setattr("collection.tasks.write_case_reference.delay", lambda *a: None)
    monkeypatch.setattr("collection.tasks.write_case_references.delay", lambda *a: None)
    return visma_creditor(page_size=3)


@pytest.fixture
def baseline(visma_creditor, creditor):
    with running(VismaEmulator(), seed=lambda e: seed_demo(e, TODAY)) as erp:
        clean = visma_creditor()
        clean.erp_connection = connection(erp, erp.seeded["companies"][0]["tenant_id"])
        clean.save()
        run = creditor_sync(creditor=clean, today=TODAY)
    forget_process_state()
    assert run.status == SyncRun.Status.OK and run.imported > 3  # more than one page
    return set(Invoice.objects.filter(creditor=clean).values_list("erp_id", flat=True))


def sync_ok(creditor) -> SyncRun:
    run = creditor_sync(creditor=creditor, today=TODAY)
    assert run.status == SyncRun.Status.OK and run.error == "", run.error
    return run


def failed_run(creditor, error: type[ErpError]) -> SyncRun:
    with pytest.raises(error):
        creditor_sync(creditor=creditor, today=TODAY)
    run = SyncRun.objects.filter(creditor=creditor).latest("pk")
    assert run.status == SyncRun.Status.FAILED and "nothing was changed" in run.error
    creditor.refresh_from_db()
    assert creditor.last_sync_error == run.error
    for model in (Invoice, Case, Debtor, Payment):
        assert not model.objects.filter(creditor=creditor).exists(), model.__name__
    return run


def assert_complete(creditor, baseline) -> None:
    erp_ids = list(Invoice.objects.filter(creditor=creditor).values_list("erp_id", flat=True))
    assert len(erp_ids) == len(set(erp_ids)), "an invoice imported twice"
    assert set(erp_ids) == baseline
    assert Case.objects.filter(creditor=creditor).count() == len(erp_ids)


def pages(visma) -> list[tuple[str, object]]:
    return [
        (r["query"].get("pageNumber"), r["fault"])
        for r in visma.requests("/v1/customerinvoice")
        if r["path"] == "/v1/customerinvoice"
    ]


def assert_page_retried(visma, fault: str) -> None:
    listed = pages(visma)
    [i] = [n for n, (_, f) in enumerate(listed) if f == fault]
    assert listed[i + 1] == (listed[i][0], None)  # the same page again, answered


def test_timeout_on_a_page_is_retried(visma, creditor, baseline, monkeypatch):
    monkeypatch.setitem(VismaClient.__init__.__kwdefaults__, "timeout", (2, 0.5))
    stall = visma.faults.timeout(LISTING, skip=1, seconds=2)
    sync_ok(creditor)
    assert stall.fired == 1
    assert_complete(creditor, baseline)


def test_dropped_connection_on_a_page_is_retried(visma, creditor, baseline):
    visma.faults.drop(LISTING, skip=1)
    sync_ok(creditor)
    assert_page_retried(visma, "drop")
    assert_complete(creditor, baseline)


def test_an_answer_lost_after_the_write_back_is_written_once(visma, creditor, norrsken):
    from collection.writeback import case_reference_write

    sync_ok(creditor)
    invoice = Invoice.objects.filter(creditor=creditor).order_by("pk").first()
    visma.faults.drop("/v1/customerinvoice/", method="PUT", after=True)
    case_reference_write(case_id=invoice.case_id)  # the PUT is idempotent: sent again
    shown = visma.invoice(norrsken["tenant_id"], invoice.erp_id)["debtCollection"]
    assert shown["caseNumber"] == invoice.case.number


def test_rate_limit_on_a_page_waits_retry_after(visma, creditor, baseline):
    visma.faults.rate_limited(LISTING, retry_after=1, skip=1)
    started = time.monotonic()
    sync_ok(creditor)
    assert time.monotonic() - started >= 1
    assert_page_retried(visma, "rate_limited")
    assert_complete(creditor, baseline)


def test_a_rate_limit_longer_than_we_wait_fails_clean_with_the_wait(visma, creditor, baseline):
    visma.faults.rate_limited(LISTING, retry_after=600, skip=1)
    with pytest.raises(ErpRateLimited) as err:
        creditor_sync(creditor=creditor, today=TODAY)
    assert err.value.retry_after == 600  # the task comes back after exactly that long
    visma.faults.clear()
    # Before then no call is made: the 429 said the budget is spent (X-RateLimit-Remaining 0).
    calls = len(visma.requests(LISTING))
    with pytest.raises(ErpRateLimited):
        creditor_sync(creditor=creditor, today=TODAY)
    assert len(visma.requests(LISTING)) == calls
    ratelimit.reset()  # 600 s later: the budget has reset
    sync_ok(creditor)
    assert_complete(creditor, baseline)


def test_server_error_on_a_page_is_retried(visma, creditor, baseline):
    visma.faults.server_error(LISTING, status=503, skip=2)
    sync_ok(creditor)
    assert_page_retried(visma, "server_error")
    assert_complete(creditor, baseline)


def test_a_server_that_stays_down_fails_the_run_clean(visma, creditor, baseline):
    visma.faults.server_error(LISTING, status=500, skip=1, times=None)
    run = failed_run(creditor, ErpUnavailable)
    assert "500" in run.error and "GET /v1/customerinvoice" in run.error
    visma.faults.clear()
    sync_ok(creditor)
    assert_complete(creditor, baseline)


def test_expired_token_mid_run_is_renewed(visma, creditor, baseline):
    visma.faults.expired_token(LISTING, skip=1)
    sync_ok(creditor)
    assert len([r for r in visma.requests("/connect/token") if r["status"] == 200]) == 2
    assert [r["status"] for r in visma.requests("/v1/customerinvoice") if r["fault"]] == [401]
    assert_complete(creditor, baseline)


def test_malformed_page_fails_clean_and_the_next_run_completes(visma, creditor, baseline):
    visma.faults.malformed(LISTING, skip=1)
    run = failed_run(creditor, ErpMalformedResponse)
    assert "did not answer JSON" in run.error
    sync_ok(creditor)
    assert_complete(creditor, baseline)


def test_an_invoice_paid_between_two_page_reads_skips_no_other(visma, creditor, baseline, norrsken):
    """A record leaving the Open list pulls the next page's first row back: the count on the
    pages moves, so the numbers are listed again and the missed invoice is fetched."""
    first = norrsken["open_invoices"][0]
    # remove_invoice takes the emulator's lock, which the fault's action already holds (RLock)
    visma.faults.shift_page(LISTING, lambda: visma.remove_invoice(norrsken["tenant_id"], first))
    sync_ok(creditor)
    erp_ids = set(Invoice.objects.filter(creditor=creditor).values_list("erp_id", flat=True))
    assert erp_ids == baseline  # the closed one was read on page 1; none was skipped
    assert len(visma.requests("/v1/customerinvoice/")) >= 1  # the missed one, fetched


def test_an_invoice_added_between_two_page_reads_is_imported_once(
    visma, creditor, baseline, norrsken
):
    added = []

    def add():
        company = visma.company(norrsken["tenant_id"])
        row = visma.state.add_invoice(
            company,
            norrsken["businesses"][0],
            "999.00",
            date=TODAY.replace(day=1),
            due=TODAY.replace(day=2),
            number="099999",
        )
        company.invoices = {row["referenceNumber"]: row, **company.invoices}  # listed first
        added.append(row["referenceNumber"])

    visma.faults.shift_page(LISTING, add)
    sync_ok(creditor)
    erp_ids = list(Invoice.objects.filter(creditor=creditor).values_list("erp_id", flat=True))
    assert len(erp_ids) == len(set(erp_ids))
    assert set(erp_ids) == baseline | set(added)


def test_any_other_answer_a_page_gets_fails_the_run_with_visma_s_message(visma, creditor, baseline):
    body = {"message": "Company is locked for maintenance", "ExceptionType": "LockedException"}
    visma.fail_next(LISTING, 400, body=body)
    run = failed_run(creditor, ErpError)
    assert "Company is locked for maintenance (LockedException)" in run.error
    sync_ok(creditor)
    assert_complete(creditor, baseline)


def test_the_customer_tenant_id_fails_the_run_with_the_id_to_use(visma_creditor, seeded):
    creditor = visma_creditor(tenant_id=seeded["customer_tenant_id"])
    run = failed_run(creditor, ErpError)
    assert "use the Company tenant id, not the Customer tenant id" in run.error
