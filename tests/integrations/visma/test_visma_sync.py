"""A Visma.net creditor through the platform, over real HTTP to the emulator and on the real
database: the import (bulk path, paged), the case number written back on the invoice, the
nightly sync reading direct payments and credit notes into the cases, and a settlement posted as
one journal transaction even when posted twice."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cases.models import Case, Debtor, Invoice, LedgerEntry, Payment
from collection.erp import adapter_for
from collection.models import SyncRun
from collection.sync import creditor_sync, creditors_due_for_sync
from collection.writeback import case_reference_write
from integrations.base import SettlementVoucher, VoucherLine
from tests.integrations.visma.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def creditor(visma_creditor, monkeypatch):
    # The write-back and settlement tasks are queued by the platform; these tests run them.
    monkeypatch.setattr("collection.tasks.write_case_reference.delay", lambda *a: None)
    monkeypatch.setattr("collection.tasks.write_case_references.delay", lambda *a: None)
    return visma_creditor(page_size=3)


def imported(creditor) -> dict[str, Invoice]:
    return {i.erp_id: i for i in Invoice.objects.filter(creditor=creditor).select_related("case")}


def test_the_import_pages_through_visma_and_opens_the_cases(creditor, visma, norrsken):
    run = creditor_sync(creditor=creditor, today=TODAY)
    assert run.status == SyncRun.Status.OK, run.error
    invoices = imported(creditor)
    # Open and overdue 10 days or more, in SEK, not excluded in Visma.net.
    wanted = set(norrsken["open_invoices"]) - {"100006"}  # the EUR one
    assert set(invoices) == wanted
    assert run.seen == 9 and run.imported == len(wanted)
    assert run.skipped_by_reason  # the EUR invoice, the excluded one, the too recent one
    assert all(i.case_id for i in invoices.values())
    listed = visma.requests("/v1/customerinvoice")
    pages = [r["query"]["pageNumber"] for r in listed if r["path"] == "/v1/customerinvoice"]
    assert pages == ["1", "2", "3"]
    kinds = dict(Debtor.objects.filter(creditor=creditor).values_list("erp_id", "kind"))
    for number in norrsken["consumers"]:
        if number in kinds:
            assert kinds[number] == Debtor.Kind.CONSUMER
    assert kinds[norrsken["businesses"][0]] == Debtor.Kind.BUSINESS
    assert invoices[norrsken["part_paid_invoice"]].outstanding_amount == Decimal("50000.00")
    # A second night imports nothing twice.
    again = creditor_sync(creditor=creditor, today=TODAY)
    assert again.status == SyncRun.Status.OK and again.cases_opened == 0
    assert Case.objects.filter(creditor=creditor).count() == len(wanted)


def test_the_case_number_is_written_back_and_shows_on_the_visma_invoice(creditor, visma, norrsken):
    creditor_sync(creditor=creditor, today=TODAY)
    invoice = imported(creditor)[norrsken["open_invoices"][0]]
    case_reference_write(case_id=invoice.case_id)
    shown = visma.invoice(norrsken["tenant_id"], invoice.erp_id)["debtCollection"]
    assert shown["caseNumber"] == invoice.case.number
    assert (shown["caseType"], shown["caseStatus"]) == ("DebtCollection", "Ongoing")
    assert shown["caseUrl"].endswith(f"/cases/{invoice.case.number}/")


def test_a_direct_payment_and_a_credit_note_in_visma_change_the_cases(creditor, visma, norrsken):
    creditor_sync(creditor=creditor, today=TODAY)
    tenant = norrsken["tenant_id"]
    # Invoices with no payment or credit in Visma.net before their import (the ones with:
    # test_visma_prior_movements.py).
    part, credited, full = "100001", "100007", "100003"
    visma.direct_payment(tenant, part, "1375.00", TODAY)
    note = visma.credit_note(tenant, credited, "3000.00", TODAY)
    visma.direct_payment(tenant, full, "890.50", TODAY)  # paid in full: no longer listed
    run = creditor_sync(creditor=creditor, today=TODAY + dt.timedelta(days=1))
    assert run.status == SyncRun.Status.OK, run.error
    assert run.payments == 3
    invoices = imported(creditor)
    payments = {(p.source, p.amount) for p in Payment.objects.filter(creditor=creditor)}
    assert (Payment.Source.DIRECT, Decimal("1375.00")) in payments
    assert (Payment.Source.DIRECT, Decimal("890.50")) in payments
    assert invoices[part].outstanding_amount == Decimal("3000.00")
    assert invoices[credited].outstanding_amount == Decimal("6999.00")
    credits = LedgerEntry.objects.filter(case_id=invoices[credited].case_id, kind="credit")
    assert [(c.amount, note in c.key) for c in credits] == [(Decimal("-3000.00"), True)]
    # Paid in full in Visma.net: no longer listed, read on its own, its capital paid (interest
    # run until the payment may still be owed: the case decides whether it closes).
    assert invoices[full].outstanding_amount == Decimal("0.00")
    # Read again the night after: nothing booked twice.
    creditor_sync(creditor=creditor, today=TODAY + dt.timedelta(days=2))
    assert Payment.objects.filter(creditor=creditor).count() == 2
    assert (
        LedgerEntry.objects.filter(case_id=invoices[credited].case_id, kind="credit").count() == 1
    )


def test_a_settlement_voucher_is_posted_once_through_the_creditor_s_adapter(
    creditor, visma, norrsken
):
    """The voucher feature the settlements' posting calls (collection builds the voucher per
    payout from the account setup): posted twice, in Visma.net once."""
    setup = creditor.account_setup
    voucher = SettlementVoucher(
        external_number="PO-1",
        date=TODAY,
        description="Payout 1",
        currency="SEK",
        lines=(
            VoucherLine(setup.clearing_account, Decimal("1800.00"), "AutoCollect payout 1"),
            VoucherLine(setup.receivable_account, Decimal("-1800.00"), "Faktura 100001"),
        ),
    )
    first = adapter_for(creditor).post_settlement_voucher(voucher)
    assert adapter_for(creditor).find_settlement_voucher("PO-1") == first
    assert adapter_for(creditor).post_settlement_voucher(voucher) == first
    [posted] = visma.journal_transactions(norrsken["tenant_id"])
    assert (posted["batchNumber"], posted["status"]) == (first, "Posted")
    assert [x["accountNumber"] for x in posted["journalTransactionLines"]] == ["1940", "1510"]


def test_the_nightly_sync_is_due_at_23_in_stockholm(creditor):
    stockholm = ZoneInfo("Europe/Stockholm")
    creditor.last_synced_on = TODAY - dt.timedelta(days=1)
    creditor.save()
    before = dt.datetime(2026, 11, 25, 22, 59, tzinfo=stockholm)
    at = dt.datetime(2026, 11, 25, 23, 0, tzinfo=stockholm)
    assert creditor not in list(creditors_due_for_sync(now=before))
    assert creditor in list(creditors_due_for_sync(now=at))
