"""Netvisor end to end over real HTTP to the emulator and a real database: transfers to the
reminder service and to collection open cases at the right stage, refusals carry the guide's
reason where the creditor sees it, our case number and status are written back, bypass payments
reach the case (and a negative correction undoes one), a payment plan keeps the case paused, a
settlement voucher is posted once, and injected faults leave nothing half done."""

import datetime as dt
from decimal import Decimal

import pytest
from netvisor_helpers import TODAY, adapter_for

from cases import ledger
from cases.models import Case, LedgerEntry, Payment
from collection.models import QuarantinedRecord, SyncRun
from collection.netvisor_payments import erp_payments_sync
from collection.netvisor_transfers import transfers_import
from integrations.base import SettlementVoucher, VoucherLine
from integrations.errors import ErpUnavailable
from settlements.models import Settlement

pytestmark = pytest.mark.django_db


def case_of(creditor, netvisor, name) -> Case:
    return Case.objects.get(
        creditor=creditor, invoices__erp_id=str(netvisor.seeded["invoices"][name])
    )


def imported(creditor, netvisor, django_capture_on_commit_callbacks) -> SyncRun:
    with django_capture_on_commit_callbacks(execute=True):
        return transfers_import(creditor=creditor, today=TODAY)


def test_transfers_open_cases_at_the_stage_the_guide_gives(
    creditor, netvisor, django_capture_on_commit_callbacks
):
    run = imported(creditor, netvisor, django_capture_on_commit_callbacks)
    assert (run.status, run.seen, run.imported, run.quarantined) == ("ok", 8, 3, 5)
    reminder = case_of(creditor, netvisor, "reminder")
    collection = case_of(creditor, netvisor, "collection")
    assert reminder.start_stage == ""  # the plan's first letter: the payment reminder
    assert collection.start_stage == Case.Stage.DEMAND  # reminded already: collection stage
    capital = LedgerEntry.objects.get(case=collection, kind="charge", component="capital")
    assert capital.amount == Decimal("1225.00")  # the 15,00 collection cost stays in Netvisor
    assert reminder.debtor.kind == "consumer" and collection.debtor.identity_number == "2345678-4"
    # Every transfer is acknowledged: the next run takes nothing again.
    assert imported(creditor, netvisor, django_capture_on_commit_callbacks).seen == 0
    assert Case.objects.filter(creditor=creditor).count() == 3


def test_refused_transfers_say_why_where_the_creditor_sees_them(
    creditor, netvisor, django_capture_on_commit_callbacks
):
    imported(creditor, netvisor, django_capture_on_commit_callbacks)
    ids = netvisor.seeded["invoices"]
    reasons = {
        r.erp_id: r.reason
        for r in QuarantinedRecord.objects.filter(creditor=creditor, resolved_at=None)
    }
    assert "collection prohibition" in reasons[str(ids["prohibition"])]
    assert "Currency invoices cannot be transferred" in reasons[str(ids["currency"])]
    assert "in USD" in reasons[str(ids["currency"])]
    assert "Only an overdue invoice" in reasons[str(ids["not_overdue"])]
    assert "Reminded status" in reasons[str(ids["not_reminded"])]
    assert "separate interest invoice" in reasons[str(ids["interest"])]
    refused = [str(ids[k]) for k in ("prohibition", "currency", "not_overdue", "interest")]
    assert not Case.objects.filter(invoices__erp_id__in=refused).exists()


def test_case_number_into_the_history_and_status_onto_the_invoice(
    creditor, netvisor, django_capture_on_commit_callbacks
):
    imported(creditor, netvisor, django_capture_on_commit_callbacks)
    case = case_of(creditor, netvisor, "collection")
    org = netvisor.seeded["organisation_id"]
    invoice = netvisor.state.invoice(org, netvisor.seeded["invoices"]["collection"])
    comments = [c for _, action, c in invoice["history"] if action == "Comment"]
    assert len(comments) == 1 and f"AutoCollect case {case.number}" in comments[0]
    assert invoice["status"] == "requested"
    # Written again (a retried task): nothing added.
    adapter = adapter_for(netvisor)
    ref = adapter.get_invoice(str(invoice["id"])).ref
    adapter.write_case_reference(invoice=ref, case_number=case.number)
    adapter.write_case_status(invoice=ref, case_number=case.number, status="ongoing")
    assert len([h for h in invoice["history"] if h[1] == "Comment"]) == 1
    assert len(netvisor.requests("/updatesalesinvoicestatus.nv")) == 3  # one per new case


def test_bypass_payments_reach_the_case_and_a_correction_reverses_one(
    creditor, netvisor, django_capture_on_commit_callbacks
):
    imported(creditor, netvisor, django_capture_on_commit_callbacks)
    org, ids = netvisor.seeded["organisation_id"], netvisor.seeded["invoices"]
    s = netvisor.state
    day = TODAY + dt.timedelta(days=2)
    s.add_payment(org, ids["reminder"], "50.00", on=day, source="reference")  # matched ref.
    s.add_payment(org, ids["reminder"], "20.00", on=day, source="manual")  # no agency tick
    s.add_payment(org, ids["reminder"], "99.00", on=day, source="collectionagency")  # ours
    s.add_payment(org, ids["reminder"], "10.00", on=day, source="creditloss")  # not reported
    s.add_payment(org, ids["collection"], "225.00", on=day, source="creditnote")  # credit inv.
    with django_capture_on_commit_callbacks(execute=True):
        run = erp_payments_sync(creditor=creditor, today=day)
    assert run.payments == 3 and run.quarantined == 0
    reminder = case_of(creditor, netvisor, "reminder")
    direct = Payment.objects.filter(case=reminder, source=Payment.Source.DIRECT)
    assert sorted(p.amount for p in direct) == [Decimal("20.00"), Decimal("50.00")]
    collection = case_of(creditor, netvisor, "collection")
    credit = LedgerEntry.objects.get(case=collection, kind="credit")
    assert credit.amount == Decimal("-225.00")
    # The 50,00 was recorded wrongly: a negative payment corrects it.
    s.add_payment(org, ids["reminder"], "-50.00", on=day + dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        run = erp_payments_sync(creditor=creditor, today=day + dt.timedelta(days=1))
    assert run.payments == 1
    reversed_ = LedgerEntry.objects.filter(case=reminder, key__startswith="reversal:")
    assert sum(e.amount for e in reversed_) == Decimal("50.00")
    assert reminder.events.filter(kind="payment_reversed").count() == 1
    # Through the general reversal (cases.payments.payment_reverse): the stored balance is the
    # ledger's, and the reversal is settled once (settlements.services.payment_reverse_settle).
    reminder.refresh_from_db()
    assert reminder.outstanding == ledger.outstanding(reminder)
    assert Settlement.objects.filter(case=reminder, kind=Settlement.Kind.REVERSAL).count() == 1
    # Read again: nothing booked twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert erp_payments_sync(creditor=creditor, today=day).payments == 0


def test_a_payment_plan_keeps_the_case_paused_while_instalments_arrive(
    creditor, netvisor, django_capture_on_commit_callbacks
):
    imported(creditor, netvisor, django_capture_on_commit_callbacks)
    org, plan_invoice = netvisor.seeded["organisation_id"], netvisor.seeded["invoices"]["plan"]
    for month in (1, 2):
        netvisor.state.add_payment(
            org, plan_invoice, "200.00", on=TODAY + dt.timedelta(days=30 * month)
        )
        with django_capture_on_commit_callbacks(execute=True):
            erp_payments_sync(creditor=creditor, today=TODAY + dt.timedelta(days=30 * month))
        case = case_of(creditor, netvisor, "plan")
        assert (case.status, case.pause_reason) == ("paused", "payment_plan")
    assert Payment.objects.filter(case=case, source=Payment.Source.DIRECT).count() == 2


def test_a_settlement_voucher_is_posted_once(netvisor):
    adapter = adapter_for(netvisor)
    voucher = SettlementVoucher(
        external_number="S-77",
        date=TODAY,
        description="AutoCollect settlement",
        currency="EUR",
        lines=(
            VoucherLine(1910, Decimal("100.00"), "Maksu"),
            VoucherLine(1700, Decimal("-100.00"), "Saatava"),
        ),
    )
    first = adapter.post_settlement_voucher(voucher)
    assert adapter.post_settlement_voucher(voucher) == first
    assert adapter.find_settlement_voucher("S-77") == first
    assert len(netvisor.state.store.all("voucher", netvisor.seeded["organisation_id"])) == 1
    # The answer of a post is lost: the retry asks first and finds it.
    other = SettlementVoucher("S-78", TODAY, "AutoCollect settlement", "EUR", voucher.lines)
    netvisor.faults.drop("/accounting.nv", method="POST", after=True)
    with pytest.raises(ErpUnavailable):
        adapter.post_settlement_voucher(other)
    assert adapter_for(netvisor).post_settlement_voucher(other)
    assert len(netvisor.state.store.all("voucher", netvisor.seeded["organisation_id"])) == 2


def test_maintenance_during_the_import_changes_nothing(
    creditor, netvisor, django_capture_on_commit_callbacks
):
    netvisor.fail_with("/collectiontransferlist.nv", "SYSTEM_MAINTANANCE", times=3)
    with pytest.raises(ErpUnavailable):
        imported(creditor, netvisor, django_capture_on_commit_callbacks)
    run = SyncRun.objects.get(creditor=creditor)
    assert run.status == "failed" and "SYSTEM_MAINTANANCE" in run.error
    assert not Case.objects.filter(creditor=creditor).exists()


def test_a_lost_acknowledgement_opens_no_second_case(
    creditor, netvisor, django_capture_on_commit_callbacks
):
    netvisor.faults.drop("/collectiontransferlist.nv", method="POST", times=3)
    with pytest.raises(ErpUnavailable):
        imported(creditor, netvisor, django_capture_on_commit_callbacks)
    assert Case.objects.filter(creditor=creditor).count() == 1  # taken, not acknowledged
    run = imported(creditor, netvisor, django_capture_on_commit_callbacks)
    assert run.status == "ok" and Case.objects.filter(creditor=creditor).count() == 3


def test_the_demo_creditor_is_finnish_in_eur_with_finnish_letters(
    netvisor, django_capture_on_commit_callbacks
):
    from collection.netvisor_demo import load_netvisor_demo
    from collection.tasks import advance_due_cases
    from letters.models import Letter

    with django_capture_on_commit_callbacks(execute=True):
        creditor = load_netvisor_demo(erp_url=netvisor.url, seeded=netvisor.seeded, today=TODAY)
    assert (creditor.country, creditor.currency, creditor.erp_kind) == ("FI", "EUR", "netvisor")
    assert creditor.org_number == netvisor.seeded["organisation_id"]
    assert Case.objects.filter(creditor=creditor).count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        advance_due_cases()
    languages = set(
        Letter.objects.filter(case__creditor=creditor).values_list("language", flat=True)
    )
    assert languages == {"fi"}
