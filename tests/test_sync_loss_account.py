"""Seed 001 "Konto tapsføring": a creditor that writes an invoice off in its ERP against the loss
account of its account setup (default 7830) is not reporting a payment: the sync leaves the
posting out and the case stays open, while a payment booked the same way against the bank is a
direct payment. Over real HTTP to the Tripletex emulator, on the real database."""

import datetime as dt
from decimal import Decimal

import pytest

from cases.models import Case, Payment
from collection.sync import creditor_sync
from creditors.models import AccountSetup
from tests.conftest import TT_TODAY
from tests.onboarding import active_creditor as onboard

pytestmark = pytest.mark.django_db
D = Decimal


def creditor_books(tripletex, invoice, amount: Decimal, contra: int) -> None:
    """The creditor's own voucher in Tripletex: the invoice's receivable credited against
    `contra` (its loss account, or its bank)."""
    company = tripletex.seeded["companies"][0]["id"]
    in_erp = tripletex.invoice(company, int(invoice.erp_id))
    with tripletex.lock:
        state = tripletex.state
        account = {n: state.account_by_number(company, n)["id"] for n in (contra, 1500)}
        state.post_voucher(
            company,
            {
                "date": (TT_TODAY + dt.timedelta(days=1)).isoformat(),
                "description": "Tapsført" if contra != 1920 else "Innbetaling",
                "postings": [
                    {"account": {"id": account[contra]}, "amountGross": amount, "row": 1},
                    {
                        "account": {"id": account[1500]},
                        "amountGross": -amount,
                        "customer": {"id": in_erp["customer"]["id"]},
                        "invoiceNumber": str(in_erp["invoiceNumber"]),
                        "row": 2,
                    },
                ],
            },
        )


def test_a_write_off_on_the_loss_account_is_not_a_payment(tripletex, tripletex_connection):
    creditor = onboard(tripletex_connection(0))
    loss_account = AccountSetup.objects.get(creditor=creditor).loss_account
    assert loss_account == 7830  # the default of seed 001
    creditor_sync(creditor=creditor, today=TT_TODAY)
    first, second = Case.objects.filter(creditor=creditor).order_by("pk")[:2]
    written_off = first.invoices.get()
    creditor_books(tripletex, written_off, written_off.outstanding_amount, contra=loss_account)
    paid = second.invoices.get()
    creditor_books(tripletex, paid, D("100.00"), contra=1920)

    run = creditor_sync(creditor=creditor, today=TT_TODAY + dt.timedelta(days=1))
    assert run.payments == 1
    first.refresh_from_db()
    assert first.status != Case.Status.CLOSED and not Payment.objects.filter(case=first).exists()
    [payment] = Payment.objects.filter(case=second)
    assert (payment.source, payment.amount) == (Payment.Source.DIRECT, D("100.00"))
    written_off.refresh_from_db()
    assert written_off.outstanding_amount == 0  # read once, not again every night
    assert creditor_sync(creditor=creditor, today=TT_TODAY + dt.timedelta(days=2)).payments == 0
