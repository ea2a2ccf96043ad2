"""Issue 7 item 7: one bad ERP record no longer blocks a creditor's sync. Over real HTTP to the
Tripletex emulator, on the real database (run on PostgreSQL too: a 230-character name was a
DataError there and failed the whole run every night)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from cases.models import Case, Debtor, Invoice, Payment
from collection.models import QuarantinedRecord, SyncRun
from collection.quarantine import quarantine_record
from collection.sync import creditor_sync
from tests.conftest import TT_TODAY
from tests.onboarding import active_creditor as onboard
from tests.test_pipeline_e2e import expected_imports

D = Decimal
DAY = TT_TODAY + dt.timedelta(days=1)
LONG_NAME = ("Vestlandske Rør- og Sanitærentreprenører " * 6)[:230]


def open_rows(creditor):
    return {
        r.kind: r for r in QuarantinedRecord.objects.filter(creditor=creditor, resolved_at=None)
    }


def overdue_invoice(tripletex, company_id, customer_name, amount):
    customer = tripletex.add_customer(company_id, customer_name)
    due = DAY - dt.timedelta(days=30)
    return customer, tripletex.add_invoice(
        company_id, customer, due - dt.timedelta(days=14), due, D(amount)
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bad_records_are_quarantined_and_the_rest_of_the_run_goes_through(
    tripletex, tripletex_connection
):
    company_id = tripletex.seeded["companies"][0]["id"]
    creditor = onboard(tripletex_connection(0))
    assert creditor_sync(creditor=creditor, today=TT_TODAY).status == SyncRun.Status.OK
    gone, paid = Invoice.objects.filter(creditor=creditor).order_by("due_date")[:2]
    # In the ERP: one invoice in collection is deleted, another is paid to the creditor, and two
    # new overdue invoices arrive, one for a customer whose name does not fit our column.
    tripletex.delete("invoice", int(gone.erp_id), company_id)
    tripletex.register_direct_payment(company_id, int(paid.erp_id), D("500.00"), DAY)
    long_customer, long_invoice = overdue_invoice(tripletex, company_id, LONG_NAME, "990.00")
    _, fine_invoice = overdue_invoice(tripletex, company_id, "Kort Navn AS", "1250.00")
    assert len(LONG_NAME) == 230

    run = creditor_sync(creditor=creditor, today=DAY)

    assert run.status == SyncRun.Status.OK, run.error  # was: failed, nothing imported or booked
    assert (run.imported, run.payments, run.quarantined) == (1, 1, 2)
    assert Invoice.objects.get(creditor=creditor, erp_id=str(fine_invoice)).case_id
    assert not Invoice.objects.filter(erp_id=str(long_invoice)).exists()
    assert not Debtor.objects.filter(name=LONG_NAME).exists()
    # The direct payment on another case is booked in the same run.
    payment = Payment.objects.get(case=paid.case)
    assert (payment.source, payment.amount) == (Payment.Source.DIRECT, D("500.00"))
    # The case whose invoice vanished is on hold for support instead of advancing.
    held = Case.objects.get(pk=gone.case_id)
    assert (held.status, held.pause_reason) == (Case.Status.PAUSED, "erp_invoice_missing")
    assert gone.number in held.support_flag
    assert held.events.filter(kind="paused").count() == 1
    rows = open_rows(creditor)
    assert set(rows) == {"vanished", "invoice"}
    assert (rows["vanished"].erp_id, rows["vanished"].case_id) == (gone.erp_id, held.pk)
    assert "no longer in Tripletex" in rows["vanished"].reason
    assert "Object not found" in rows["vanished"].reason  # the ERP's own 404 message
    assert rows["invoice"].erp_id == str(long_invoice)
    assert f"customer {long_customer} name" in rows["invoice"].reason
    assert "at most 200 characters (it has 230)" in rows["invoice"].reason
    assert LONG_NAME in rows["invoice"].payload and rows["invoice"].sync_run == run

    # The next night: the name was shortened in the ERP. The invoice imports and leaves the
    # quarantine; the vanished one stays (seen again, not paused or flagged twice).
    first_seen = rows["vanished"].first_seen_at
    tripletex.update("customer", long_customer, company_id, name="Vestlandske Rør AS")
    again = creditor_sync(creditor=creditor, today=DAY + dt.timedelta(days=1))
    assert (again.status, again.imported, again.payments, again.quarantined) == ("ok", 1, 0, 1)
    assert Invoice.objects.get(creditor=creditor, erp_id=str(long_invoice)).case_id
    assert set(open_rows(creditor)) == {"vanished"}
    assert open_rows(creditor)["vanished"].first_seen_at == first_seen
    assert QuarantinedRecord.objects.get(erp_id=str(long_invoice)).resolved_at is not None
    assert held.events.filter(kind__in=["paused", "flagged"]).count() == 2
    assert Payment.objects.filter(case=paid.case).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_amount_beyond_the_bound_from_the_erp_is_quarantined_not_stored(
    tripletex, tripletex_connection
):
    """Issue 7 item 6 at the ERP entry: 1e12 was a DataError on PostgreSQL (the run failed) and
    on SQLite a stored row that broke every later sync of the creditor."""
    company_id = tripletex.seeded["companies"][0]["id"]
    creditor = onboard(tripletex_connection(0))
    _, huge = overdue_invoice(tripletex, company_id, "Stor Kunde AS", "1e12")
    run = creditor_sync(creditor=creditor, today=DAY)
    assert (run.status, run.quarantined) == ("ok", 1)
    assert Case.objects.count() == len(expected_imports(tripletex, company_id, DAY)) - 1
    assert not Invoice.objects.filter(erp_id=str(huge)).exists()
    row = open_rows(creditor)["invoice"]
    assert row.erp_id == str(huge) and "beyond the limit" in row.reason
    # A later sync still works, and once the ERP has the right amount the invoice imports.
    assert creditor_sync(creditor=creditor, today=DAY).status == SyncRun.Status.OK
    amounts = {"amountCurrency": D("1000.00"), "amountCurrencyOutstanding": D("1000.00")}
    tripletex.update("invoice", huge, company_id, **amounts)
    assert creditor_sync(creditor=creditor, today=DAY).quarantined == 0
    assert Invoice.objects.get(erp_id=str(huge)).outstanding_amount == D("1000.00")
    assert not open_rows(creditor)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_reason_is_stored_in_english_whatever_language_is_active(
    tripletex, tripletex_connection
):
    """A run in a thread where another language is active (after a portal request in Finnish)
    stored Django's messages in that language: the reason is stored text, written in English
    like the case history, for support and the creditor alike."""
    company_id = tripletex.seeded["companies"][0]["id"]
    creditor = onboard(tripletex_connection(0))
    long_customer, _ = overdue_invoice(tripletex, company_id, LONG_NAME, "990.00")
    with translation.override("fi"):
        run = creditor_sync(creditor=creditor, today=DAY)
    assert (run.status, run.quarantined) == ("ok", 1)
    reason = open_rows(creditor)["invoice"].reason
    assert f"customer {long_customer} name" in reason
    assert "at most 200 characters (it has 230)" in reason


@pytest.mark.django_db
def test_the_creditor_sees_its_open_quarantined_records_on_the_case_list(
    client, make_creditor, make_user, django_user_model
):
    creditor, other = make_creditor(), make_creditor()
    reason = "could not be stored: customer 42 name: Ensure this value has at most 200 characters"
    quarantine_record(creditor=creditor, run=None, kind="invoice", erp_id="4711", reason=reason)
    done = quarantine_record(creditor=creditor, run=None, kind="invoice", erp_id="9", reason="x")
    QuarantinedRecord.objects.filter(pk=done.pk).update(resolved_at=done.last_seen_at)

    client.force_login(make_user(creditor))
    page = client.get(f"/c/{creditor.pk}/cases/").content.decode()
    assert "Records set aside by the import" in page
    assert "Invoice 4711" in page and "customer 42 name" in page
    assert "Invoice 9<" not in page  # resolved ones are not listed
    client.force_login(make_user(other))
    assert "4711" not in client.get(f"/c/{other.pk}/cases/").content.decode()

    # Support sees it in the admin with the reason.
    support = django_user_model.objects.create_superuser("support", password="pw-for-tests-1")
    client.force_login(support)
    listing = client.get("/admin/collection/quarantinedrecord/").content.decode()
    assert "4711" in listing and "customer 42 name" in listing
