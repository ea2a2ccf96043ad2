"""Payments to our account: matched by payment reference, or queued for support with the reason.
A bank file read twice books nothing twice."""

import datetime as dt
from decimal import Decimal

import pytest

from cases import ledger
from cases.models import Case, Payment
from cases.services import case_advance
from settlements.incoming import incoming_payment_match, incoming_payment_register
from settlements.models import IncomingPayment

pytestmark = pytest.mark.django_db
D = Decimal
DAY = dt.date(2026, 11, 2)


@pytest.fixture
def case(make_creditor, make_case):
    case = make_case(make_creditor(country="NO"), due=dt.date(2026, 10, 1), today=DAY)
    case_advance(case_id=case.pk, today=DAY)
    return case


def receive(reference, amount, external_id, currency="NOK"):
    return incoming_payment_register(
        external_id=external_id,
        reference=reference,
        amount=D(amount),
        currency=currency,
        paid_on=DAY,
    )


def test_matched_by_reference_closes_the_case(case):
    incoming = receive(case.payment_reference, str(ledger.outstanding(case)), "bank-1")
    assert incoming.status == IncomingPayment.Status.MATCHED
    case.refresh_from_db()
    assert case.outcome == Case.Outcome.PAID


def test_reference_with_spaces_as_typed_by_the_debtor_matches(case):
    spaced = " ".join(case.payment_reference[i : i + 3] for i in range(0, 9, 3))
    assert receive(spaced, "10.00", "bank-2").status == IncomingPayment.Status.MATCHED


@pytest.mark.parametrize(
    "reference, reason",
    [("12345678", "not a valid"), ("", "not a valid"), ("10000024", "no case has")],
)
def test_unmatched_payment_waits_for_support_with_the_reason(case, reference, reason):
    incoming = receive(reference, "500.00", f"bank-{reference}")
    assert incoming.status == IncomingPayment.Status.UNMATCHED
    assert reason in incoming.reason
    assert Payment.objects.count() == 0
    # Support staff put it on the right case.
    incoming_payment_match(incoming=incoming, case=case)
    incoming.refresh_from_db()
    assert incoming.status == IncomingPayment.Status.MATCHED
    assert incoming.payment.case == case


def test_wrong_currency_is_not_booked(case):
    incoming = receive(case.payment_reference, "50.00", "bank-eur", currency="EUR")
    assert incoming.status == IncomingPayment.Status.UNMATCHED
    assert "NOK" in incoming.reason and "EUR" in incoming.reason


def test_the_same_bank_transaction_twice_books_once(case):
    first = receive(case.payment_reference, "100.00", "bank-dup")
    second = receive(case.payment_reference, "100.00", "bank-dup")
    assert first.pk == second.pk
    assert Payment.objects.filter(case=case).count() == 1
    assert IncomingPayment.objects.count() == 1
