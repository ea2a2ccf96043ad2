"""The whole collection path over real HTTP to the Tripletex emulator, on the real database,
with real PDF rendering: import, case, reminder letter, payment, settlement voucher, write-back."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from cases import ledger
from cases.models import Case, Debtor, Invoice, Payment
from collection.models import QuarantinedRecord, SyncRun
from collection.payments import incoming_payment_register
from collection.payouts import payouts_run
from collection.sync import creditor_sync
from collection.tasks import advance_due_cases
from integrations import registry
from integrations.base import CaseStatus
from integrations.errors import ErpMalformedResponse
from letters.models import Letter
from nordic.formatting import format_money, normalize_space
from settlements.models import Payout, Settlement
from tests.conftest import TT_TODAY
from tests.onboarding import active_creditor

D = Decimal


def pdf_text(letter: Letter) -> str:
    with letter.file.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    return normalize_space(" ".join(page.extract_text() for page in reader.pages))


def expected_imports(emulator, company_id, today=TT_TODAY):
    """Invoices the default filter takes: >= 14 days past due, something outstanding."""
    return {
        str(inv["id"])
        for inv in emulator.state.owned("invoice", company_id)
        if not inv["isCreditNote"]
        and inv["amountCurrencyOutstanding"] > 0
        and (today - dt.date.fromisoformat(inv["invoiceDueDate"])).days >= 14
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_invoice_to_paid_case_over_http(tripletex, tripletex_connection, monkeypatch):
    company = tripletex.seeded["companies"][0]
    creditor = active_creditor(tripletex_connection(0))
    # Company data came from the ERP.
    assert creditor.legal_name == company["name"]
    assert creditor.org_number == company["organization_number"]

    # Import.
    run = creditor_sync(creditor=creditor, today=TT_TODAY)
    assert run.status == SyncRun.Status.OK
    imported = set(Invoice.objects.filter(creditor=creditor).values_list("erp_id", flat=True))
    assert imported == expected_imports(tripletex, company["id"])
    assert Case.objects.filter(creditor=creditor).count() == len(imported)

    # The case number is written back on the invoice's voucher in the ERP.
    invoice = Invoice.objects.filter(creditor=creditor).order_by("due_date").first()
    case = invoice.case
    shown = tripletex.case_statuses(company["id"], invoice.erp_voucher_id)
    assert shown == [(case.number, {CaseStatus.ONGOING})]

    # The pipeline sends the reminder letter (the periodic task, in the creditor's local day).
    monkeypatch.setattr("collection.advance.local_today", lambda tz, now=None: TT_TODAY)
    assert advance_due_cases() == len(imported)
    case.refresh_from_db()
    assert case.stage == Case.Stage.REMINDER
    letter = Letter.objects.get(case=case, stage="reminder")
    owed = ledger.outstanding(case)
    # INKF § 1-2 purregebyr (2026) and interest at 12.25 % (2026 H2) from the day after due.
    days = (TT_TODAY - invoice.due_date).days
    interest = (invoice.outstanding_amount * D("0.1225") * days / 365).quantize(D("0.01"))
    assert ledger.balances(case)["fee"] == D("38.00")
    assert owed == invoice.outstanding_amount + D("38.00") + interest
    text = pdf_text(letter)
    assert case.number in text
    assert case.payment_reference in text
    assert normalize_space(format_money(owed, "NOK", "nb")) in text
    assert invoice.number in text

    # The debtor pays the full amount to our account with the case's KID.
    incoming = incoming_payment_register(
        reference=case.payment_reference,
        amount=owed,
        paid_on=TT_TODAY + dt.timedelta(days=3),
        external_id="bank-0001",
        currency="NOK",
    )
    payment = incoming.payment
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Case.Status.CLOSED, Case.Outcome.PAID)

    # The payout run pays it out; its voucher is in the creditor's ledger and closes the invoice.
    settlement = Settlement.objects.get(payment=payment)
    assert settlement.to_creditor == invoice.outstanding_amount + interest
    assert settlement.to_collector == D("38.00")
    (payout,) = payouts_run(creditor=creditor, today=TT_TODAY + dt.timedelta(days=3))
    payout.refresh_from_db()
    assert payout.voucher_status == Payout.VoucherStatus.POSTED
    assert payout.amount == settlement.to_creditor
    vouchers = [
        v
        for v in tripletex.vouchers(company["id"])
        if v["externalVoucherNumber"] == payout.external_number
    ]
    assert len(vouchers) == 1 and str(vouchers[0]["id"]) == payout.erp_voucher_id
    assert tripletex.invoice(company["id"], int(invoice.erp_id))["amountCurrencyOutstanding"] == 0
    number, meaning = tripletex.case_statuses(company["id"], invoice.erp_voucher_id)[-1]
    assert number == case.number and CaseStatus.PAID in meaning

    # A later sync sees our own voucher in the ERP and books nothing twice; it only opens cases
    # for invoices that have become 14 days overdue since.
    later = TT_TODAY + dt.timedelta(days=4)
    creditor_sync(creditor=creditor, today=later)
    assert Payment.objects.filter(case=case).count() == 1
    now_imported = set(Invoice.objects.filter(creditor=creditor).values_list("erp_id", flat=True))
    assert now_imported == expected_imports(tripletex, company["id"], later) | imported
    assert len(now_imported) > len(imported)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sync_twice_imports_nothing_twice(tripletex, tripletex_connection):
    creditor = active_creditor(tripletex_connection(1))
    creditor_sync(creditor=creditor, today=TT_TODAY)
    counts = (Debtor.objects.count(), Invoice.objects.count(), Case.objects.count())
    assert counts[2] > 0
    requests_before = len(tripletex.case_calls())
    second = creditor_sync(creditor=creditor, today=TT_TODAY)
    assert (second.status, second.cases_opened, second.imported) == ("ok", 0, 0)
    assert (Debtor.objects.count(), Invoice.objects.count(), Case.objects.count()) == counts
    # No write-back repeated either: nothing new was opened.
    assert len(tripletex.case_calls()) == requests_before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_malformed_reply_fails_the_run_and_changes_nothing(tripletex, tripletex_connection):
    # Three invoices a page: page one is fine, page two is broken; page one must not be written.
    creditor = active_creditor(tripletex_connection(0, page_size=3))
    raw, reason = (
        '{"fullResultSize": 4, "from": 3, "count": 1, "values": [{"id": 7',
        "did not answer JSON",
    )
    tripletex.fail_next("from=3", status=200, raw=raw)
    with pytest.raises(ErpMalformedResponse):
        creditor_sync(creditor=creditor, today=TT_TODAY)
    assert (Debtor.objects.count(), Invoice.objects.count(), Case.objects.count()) == (0, 0, 0)
    run = SyncRun.objects.get(creditor=creditor)
    assert run.status == SyncRun.Status.FAILED
    assert reason in run.error and "nothing was changed" in run.error
    creditor.refresh_from_db()
    assert creditor.last_sync_error == run.error and creditor.last_synced_on is None

    # The next run, with the ERP answering properly again, imports everything.
    assert creditor_sync(creditor=creditor, today=TT_TODAY).status == SyncRun.Status.OK
    company_id = tripletex.seeded["companies"][0]["id"]
    assert Case.objects.count() == len(expected_imports(tripletex, company_id))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_unreadable_invoice_is_quarantined_and_the_run_goes_on(tripletex, tripletex_connection):
    """Issue 7 item 7: one record the ERP sends garbled no longer fails the run (a reply that
    is not JSON at all still does, above)."""
    creditor = active_creditor(tripletex_connection(0))
    client = registry.connect("tripletex", tripletex_connection(0)).client
    rows = list(client.list_invoices(TT_TODAY - dt.timedelta(days=1096), TT_TODAY))
    broken = {k: v for k, v in rows[0].items() if k != "invoiceDueDate"} | {"id": 7}
    values = [*rows, broken]
    page = {"fullResultSize": len(values) + 1, "from": 0, "count": len(values), "values": values}
    tripletex.fail_next("/invoice?", status=200, body=page)
    run = creditor_sync(creditor=creditor, today=TT_TODAY)
    assert run.status == SyncRun.Status.OK and run.quarantined == 1
    company_id = tripletex.seeded["companies"][0]["id"]
    assert Case.objects.count() == len(expected_imports(tripletex, company_id))
    row = QuarantinedRecord.objects.get(creditor=creditor, resolved_at=None)
    assert (row.kind, row.erp_id, row.sync_run) == ("invoice", "7", run)
    assert "invoice 7: invoiceDueDate missing" in row.reason and '"id":7' in row.payload


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_direct_payment_in_erp_reaches_the_case(tripletex, tripletex_connection):
    company = tripletex.seeded["companies"][0]
    creditor = active_creditor(tripletex_connection(0))
    creditor_sync(creditor=creditor, today=TT_TODAY)
    invoice = Invoice.objects.filter(creditor=creditor).order_by("due_date").first()
    tripletex.register_direct_payment(
        company["id"], int(invoice.erp_id), D("1000.00"), TT_TODAY + dt.timedelta(days=1)
    )
    run = creditor_sync(creditor=creditor, today=TT_TODAY + dt.timedelta(days=1))
    assert run.payments == 1
    payment = Payment.objects.get(case=invoice.case)
    assert (payment.source, payment.amount) == (Payment.Source.DIRECT, D("1000.00"))
    # Interest ran to the payment day (12.25 %, actual/365, from the day after due).
    days = (TT_TODAY + dt.timedelta(days=1) - invoice.due_date).days
    interest = (invoice.outstanding_amount * D("0.1225") * days / 365).quantize(D("0.01"))
    assert ledger.outstanding(invoice.case) == invoice.outstanding_amount + interest - D("1000")
    # A direct payment moves no money through us: recorded, nothing to pay out.
    assert payment.settlement.status == Settlement.Status.NOTHING
    assert not payment.settlement.lines.exists()
    # Seen again on the next sync: nothing more.
    creditor_sync(creditor=creditor, today=TT_TODAY + dt.timedelta(days=2))
    assert Payment.objects.filter(case=invoice.case).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_credit_note_in_erp_closes_the_case_as_credited(tripletex, tripletex_connection):
    company = tripletex.seeded["companies"][0]
    creditor = active_creditor(tripletex_connection(0))
    creditor_sync(creditor=creditor, today=TT_TODAY)
    invoice = Invoice.objects.filter(creditor=creditor).order_by("due_date").first()
    tripletex.add_credit_note(company["id"], int(invoice.erp_id), TT_TODAY + dt.timedelta(days=1))
    creditor_sync(creditor=creditor, today=TT_TODAY + dt.timedelta(days=1))
    case = Case.objects.get(pk=invoice.case_id)
    assert (case.status, case.outcome) == (Case.Status.CLOSED, Case.Outcome.CREDITED)
    assert ledger.outstanding(case) == D("0.00")
    assert not Payment.objects.filter(case=case).exists()  # a credit note is not money
    # No letter for a credited claim, and the ERP is told the case is done.
    from collection.tasks import advance_due_cases

    advance_due_cases()
    assert not Letter.objects.filter(case=case).exists()
    number, meaning = tripletex.case_statuses(company["id"], invoice.erp_voucher_id)[-1]
    assert number == case.number and CaseStatus.CREDITED in meaning


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_voucher_that_reached_the_erp_unrecorded_is_not_counted_again(
    tripletex, tripletex_connection
):
    """The worker posted the voucher and died before saving its id: the next sync finds the
    voucher by our external number first and does not book its posting as a direct payment."""
    creditor = active_creditor(tripletex_connection(0))
    creditor_sync(creditor=creditor, today=TT_TODAY)
    case = Case.objects.filter(creditor=creditor).order_by("pk").first()
    incoming = incoming_payment_register(
        reference=case.payment_reference,
        amount=D("500.00"),
        paid_on=TT_TODAY,
        external_id="bank-x",
        currency="NOK",
    )
    assert incoming.payment.settlement.status == Settlement.Status.PENDING
    (payout,) = payouts_run(creditor=creditor, today=TT_TODAY)
    payout.refresh_from_db()
    assert payout.voucher_status == Payout.VoucherStatus.POSTED
    Payout.objects.filter(pk=payout.pk).update(voucher_status="pending", erp_voucher_id="")
    creditor_sync(creditor=creditor, today=TT_TODAY + dt.timedelta(days=1))
    assert list(Payment.objects.filter(case=case).values_list("source", "amount")) == [
        ("collector", D("500.00"))
    ]
    payout.refresh_from_db()
    assert payout.voucher_status == Payout.VoucherStatus.POSTED and payout.erp_voucher_id
