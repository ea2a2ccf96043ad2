"""The case ledger stays balanced through partial payments, overpayments, credit notes and
payments after a write-off, and records how each payment was allocated."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from cases import ledger
from cases.models import Case, CaseEvent, LedgerEntry, Payment
from cases.payments import credit_register
from cases.services import case_write_off
from collection.advance import case_advance
from collection.payments import payment_register

pytestmark = pytest.mark.django_db
D = Decimal
DAY = dt.date(2026, 11, 2)


def assert_balanced(case):
    """Every component is what its entries sum to, none owed is negative, and every payment's
    entries add up to the payment (nothing lost, nothing invented)."""
    owed = ledger.balances(case)
    for component in ("capital", "fee", "interest"):
        assert owed[component] >= 0, component
    assert owed["overpayment"] <= 0
    for payment in Payment.objects.filter(case=case):
        booked = LedgerEntry.objects.filter(payment=payment, kind="payment").aggregate(
            t=Sum("amount")
        )["t"]
        assert D(booked).quantize(D("0.01")) == -payment.amount
        assert payment.allocation_order  # the order used is recorded on the payment
        assert CaseEvent.objects.filter(
            case=case, kind="payment", data__payment=payment.pk
        ).exists()


@pytest.fixture
def reminded(make_creditor, make_case):
    case = make_case(
        make_creditor(country="NO"), amount=D("1000.00"), due=dt.date(2026, 10, 1), today=DAY
    )
    case_advance(case_id=case.pk, today=DAY)  # 38 fee + 10.74 interest
    return case


def pay(case, amount, ref, day=DAY + dt.timedelta(days=3)):
    return payment_register(
        case=case, source=Payment.Source.COLLECTOR, external_id=ref, amount=D(amount), paid_on=day
    )


def test_partial_payment(reminded):
    pay(reminded, "500.00", "p1")
    assert ledger.outstanding(reminded) == D("548.74")
    assert_balanced(reminded)


def test_overpayment_is_kept_for_the_debtor(reminded):
    pay(reminded, "1100.00", "p1")
    reminded.refresh_from_db()
    assert reminded.outcome == Case.Outcome.PAID
    assert ledger.balances(reminded)["overpayment"] == D("-51.26")
    assert reminded.payments.get().settlement.overpayment == D("51.26")
    assert_balanced(reminded)


def test_partial_credit_note_lowers_capital(reminded):
    invoice = reminded.invoices.get()
    credit_register(
        case=reminded, invoice=invoice, amount=D("400.00"), credited_on=DAY, external_id="cn-1"
    )
    credit_register(
        case=reminded, invoice=invoice, amount=D("400.00"), credited_on=DAY, external_id="cn-1"
    )  # the same credit note again: nothing more
    assert ledger.balances(reminded)["capital"] == D("600.00")
    reminded.refresh_from_db()
    assert reminded.status == Case.Status.OPEN
    assert_balanced(reminded)


def test_full_credit_note_closes_the_case_and_drops_fees_and_interest(reminded):
    credit_register(
        case=reminded,
        invoice=reminded.invoices.get(),
        amount=D("1000.00"),
        credited_on=DAY,
        external_id="cn-2",
    )
    reminded.refresh_from_db()
    assert (reminded.status, reminded.outcome) == (Case.Status.CLOSED, Case.Outcome.CREDITED)
    assert ledger.outstanding(reminded) == D("0.00")
    assert_balanced(reminded)


def test_payment_after_write_off_revives_and_pays_what_was_written_off(reminded):
    case_write_off(case=reminded, today=DAY)
    reminded.refresh_from_db()
    assert reminded.outcome == Case.Outcome.WRITTEN_OFF
    assert ledger.outstanding(reminded) == D("0.00")
    payment = pay(reminded, "200.00", "late-1", day=DAY + dt.timedelta(days=60))
    # Still nothing outstanding: the reversal and the payment cancel out, allocation recorded.
    assert ledger.outstanding(reminded) == D("0.00")
    reversal = LedgerEntry.objects.filter(case=reminded, kind="write_off_reversal")
    assert sum(e.amount for e in reversal) == D("200.00")
    assert payment.allocation_order == "fee,interest,capital"
    assert payment.settlement.to_creditor == D("162.00")  # 10.74 interest + 151.26 capital
    assert payment.settlement.to_collector == D("38.00")
    assert_balanced(reminded)
