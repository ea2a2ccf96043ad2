"""Visma.net: a payment and a credit note applied to an invoice BEFORE its import are in the
imported outstanding; when the invoice changes later only the later movements are booked, and
reading it again books nothing twice (collection.prior_movements). Over real HTTP."""

import datetime as dt
from decimal import Decimal

import pytest

from cases import ledger
from cases.models import CaseEvent, Invoice, LedgerEntry, Payment
from collection.models import SyncRun
from collection.sync import creditor_sync
from tests.integrations.visma.conftest import TODAY

pytestmark = pytest.mark.django_db
D = Decimal


def paid_in(case) -> D:
    rows = LedgerEntry.objects.filter(case=case, kind=LedgerEntry.Kind.PAYMENT)
    return sum((e.amount for e in rows), D("0.00"))


@pytest.fixture
def creditor(visma_creditor, monkeypatch):
    monkeypatch.setattr("collection.tasks.write_case_reference.delay", lambda *a: None)
    monkeypatch.setattr("collection.tasks.write_case_references.delay", lambda *a: None)
    return visma_creditor(page_size=3)


def test_only_movements_after_the_import_are_booked(creditor, visma, norrsken):
    tenant, number = norrsken["tenant_id"], "100001"  # 4 375.00, no movement in the seed
    visma.direct_payment(tenant, number, "1000.00", TODAY)  # the import day, before it
    note = visma.credit_note(tenant, number, "375.00", TODAY - dt.timedelta(days=2))
    run = creditor_sync(creditor=creditor, today=TODAY)
    assert run.status == SyncRun.Status.OK, run.error
    invoice = Invoice.objects.select_related("case").get(creditor=creditor, erp_id=number)
    case = invoice.case
    assert invoice.outstanding_amount == D("3000.00")
    assert ledger.balances(case)[LedgerEntry.Component.CAPITAL] == D("3000.00")
    [prior] = CaseEvent.objects.filter(case=case, kind="erp_prior_movements")
    assert prior.data["total"] == "1375.00"
    assert any(f":{note}:" in i for i in prior.data["erp_ids"])  # CreditNote:<n>:<invoice>

    later = visma.direct_payment(tenant, number, "600.00", TODAY)  # same day, after the import
    for night in (1, 2):
        run = creditor_sync(creditor=creditor, today=TODAY + dt.timedelta(days=night))
        assert run.status == SyncRun.Status.OK, run.error
    [payment] = Payment.objects.filter(case=case)
    assert (payment.external_id, payment.amount) == (f"Payment:{later}:{number}", D("600.00"))
    assert not LedgerEntry.objects.filter(case=case, kind=LedgerEntry.Kind.CREDIT).exists()
    assert paid_in(case) == D("-600.00")  # the ledger holds the later payment only
    invoice.refresh_from_db()
    assert invoice.outstanding_amount == D("2400.00")


def test_the_seeded_pre_import_payment_and_credit_note_are_not_booked(creditor, visma, norrsken):
    creditor_sync(creditor=creditor, today=TODAY)
    part = Invoice.objects.get(creditor=creditor, erp_id=norrsken["part_paid_invoice"])
    credited = Invoice.objects.get(creditor=creditor, erp_id=norrsken["credited_invoice"])
    visma.direct_payment(norrsken["tenant_id"], part.erp_id, "100.00", TODAY)
    visma.direct_payment(norrsken["tenant_id"], credited.erp_id, "100.00", TODAY)
    creditor_sync(creditor=creditor, today=TODAY + dt.timedelta(days=1))
    for invoice in (part, credited):
        amounts = list(
            Payment.objects.filter(case=invoice.case_id).values_list("amount", flat=True)
        )
        assert amounts == [D("100.00")]
    assert not LedgerEntry.objects.filter(case=credited.case_id, kind="credit").exists()
