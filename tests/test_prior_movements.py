"""Payments and credit notes made in the ERP BEFORE an invoice was imported are in the imported
outstanding already; when the invoice changes later, the ERP lists them with the new ones, and
only the new ones may be booked on the case (collection.prior_movements). Over real HTTP to the
Tripletex emulator (the Visma.net one: tests/integrations/visma/test_visma_prior_movements.py)."""

import datetime as dt
from decimal import Decimal

import pytest

from cases import ledger
from cases.models import CaseEvent, Invoice, LedgerEntry, Payment
from collection.models import SyncRun
from collection.prior_movements import ZERO, prior_choose
from collection.sync import creditor_sync
from integrations.base import ErpPayment
from tests.conftest import TT_TODAY

pytestmark = pytest.mark.django_db
D = Decimal


def paid_in(case) -> D:
    rows = LedgerEntry.objects.filter(case=case, kind=LedgerEntry.Kind.PAYMENT)
    return sum((e.amount for e in rows), D("0.00"))


def tripletex_partial_credit(tripletex, company: int, invoice_id: int, amount: D, on: dt.date):
    """A credit note for part of the invoice, applied to it (the emulator's own credit note
    credits the whole invoice)."""
    with tripletex.lock:
        state = tripletex.state
        original = state.get("invoice", invoice_id, company)
        note_id = state.add_invoice(
            company, original["customer"].id, on, on, -amount, "NOK", "", "Delkreditering",
            credited=invoice_id,
        )  # fmt: skip
        note = state.objects["invoice"][note_id]
        for key in ("amountOutstanding", "amountCurrencyOutstanding",
                    "amountOutstandingTotal", "amountCurrencyOutstandingTotal"):  # fmt: skip
            original[key] += note[key]
            note[key] = D("0.00")
        original["postings"].append(note["postings"][0])
        original["version"] += 1
    return note_id


@pytest.fixture
def creditor(make_creditor, tripletex_connection, monkeypatch):
    monkeypatch.setattr("collection.tasks.write_case_reference.delay", lambda *a: None)
    monkeypatch.setattr("collection.tasks.write_case_references.delay", lambda *a: None)
    return make_creditor(erp_connection=tripletex_connection(0))


def test_tripletex_movements_before_the_import_are_not_booked_again(creditor, tripletex):
    company = tripletex.seeded["companies"][0]
    cid = company["id"]
    number = tripletex.add_invoice(
        cid, company["customer_ids"][0], TT_TODAY - dt.timedelta(days=40),
        TT_TODAY - dt.timedelta(days=26), D("5000.00"), "NOK", "", "Prior movements",
    )  # fmt: skip
    # Before the import: a part payment on the import day itself, and a part credit note.
    tripletex.register_direct_payment(cid, number, D("1200.00"), TT_TODAY)
    tripletex_partial_credit(tripletex, cid, number, D("800.00"), TT_TODAY - dt.timedelta(days=3))
    run = creditor_sync(creditor=creditor, today=TT_TODAY)
    assert run.status == SyncRun.Status.OK, run.error
    invoice = Invoice.objects.select_related("case").get(creditor=creditor, erp_id=str(number))
    assert invoice.outstanding_amount == D("3000.00")
    case = invoice.case
    capital = ledger.balances(case)[LedgerEntry.Component.CAPITAL]
    assert capital == D("3000.00")
    [prior] = CaseEvent.objects.filter(case=case, kind="erp_prior_movements")
    assert prior.data["total"] == "2000.00" and len(prior.data["erp_ids"]) == 2

    # After the import: a payment made the same day, and one back-dated before the import.
    tripletex.register_direct_payment(cid, number, D("500.00"), TT_TODAY)
    tripletex.register_direct_payment(cid, number, D("250.00"), TT_TODAY - dt.timedelta(days=5))
    for night in (1, 2, 3):  # read again and again: nothing twice
        run = creditor_sync(creditor=creditor, today=TT_TODAY + dt.timedelta(days=night))
        assert run.status == SyncRun.Status.OK, run.error
    booked = sorted(Payment.objects.filter(case=case).values_list("amount", flat=True))
    assert booked == [D("250.00"), D("500.00")]
    assert not LedgerEntry.objects.filter(case=case, kind=LedgerEntry.Kind.CREDIT).exists()
    assert paid_in(case) == D("-750.00")  # the ledger holds the two later payments only
    invoice.refresh_from_db()
    assert invoice.outstanding_amount == D("2250.00")


def test_an_invoice_imported_in_full_is_not_read_at_import(creditor, tripletex):
    creditor_sync(creditor=creditor, today=TT_TODAY)
    full = [
        i for i in Invoice.objects.filter(creditor=creditor)
        if i.original_amount == i.outstanding_amount
    ]  # fmt: skip
    assert full
    assert not CaseEvent.objects.filter(
        case_id__in=[i.case_id for i in full], kind="erp_prior_movements"
    ).exists()


def m(erp_id, amount, day, kind="payment"):
    return ErpPayment(erp_id, "1", dt.date(2026, 11, day), D(amount), "SEK", kind=kind)


def test_a_movement_registered_between_the_listing_and_the_read_is_left_to_book():
    """The listing said 300 was paid before; the read then found 300 and a newer 100: the newer
    one is not counted as prior (it is booked), the 300 are."""
    chosen = prior_choose([m("b", "100", 5), m("a", "300", 4)], D("300.00"))
    assert [c.erp_id for c in chosen] == ["a"]
    # All of them when they add up to what was paid before; none when nothing was.
    assert len(prior_choose([m("a", "200", 4), m("b", "100", 4)], D("300.00"))) == 2
    assert prior_choose([m("a", "200", 4)], ZERO) == []
