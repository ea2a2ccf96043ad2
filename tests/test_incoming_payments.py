"""Payments to our account: matched by payment reference, or queued for support with the reason.
A bank file read twice books nothing twice."""

import datetime as dt
from decimal import Decimal

import pytest

from cases import ledger
from cases.models import Case, Payment
from collection.advance import case_advance
from collection.payments import incoming_payment_match, incoming_payment_register
from nordic.references import InvalidReference, no_kid, validate_kid
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


# --- issue 7 item 5: every bank transaction is stored as received, then matched -------------

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize("digits", [ARABIC_INDIC, FULLWIDTH], ids=["arabic-indic", "fullwidth"])
def test_reference_in_other_unicode_digits_is_stored_and_booked(case, digits):
    typed = case.payment_reference.translate(digits)
    incoming = receive(f" {typed[:4]} {typed[4:]} ", "100.00", "bank-unicode")
    incoming.refresh_from_db()
    assert incoming.reference == f" {typed[:4]} {typed[4:]} "  # kept as received
    assert incoming.normalized_reference == case.payment_reference
    assert incoming.status == IncomingPayment.Status.MATCHED
    assert incoming.payment.case == case and incoming.payment.amount == D("100.00")


def test_unknown_reference_in_other_digits_waits_with_its_reason(case):
    incoming = receive("١٢٣٤٥٦٧٨", "100.00", "bank-unicode-unknown")
    incoming.refresh_from_db()
    assert incoming.status == IncomingPayment.Status.UNMATCHED
    assert "not a valid" in incoming.reason
    assert Payment.objects.count() == 0


@pytest.mark.parametrize(
    "amount, stored, reason",
    [
        ("0", D("0.00"), "not positive"),
        ("-5", D("-5.00"), "not positive"),
        ("1e12", None, "beyond the limit"),
        ("12,50", None, "not a number"),
        ("NaN", None, "not a finite number"),
    ],
)
def test_payment_with_an_unbookable_amount_is_kept_with_the_reason(case, amount, stored, reason):
    incoming = incoming_payment_register(
        external_id=f"bank-amount-{amount}",
        reference=case.payment_reference,
        amount=amount,  # as the bank file has it
        currency="NOK",
        paid_on=DAY,
    )
    incoming = IncomingPayment.objects.get(external_id=f"bank-amount-{amount}")
    assert (incoming.raw_amount, incoming.amount) == (amount, stored)
    assert incoming.status == IncomingPayment.Status.UNMATCHED
    assert reason in incoming.reason
    assert Payment.objects.count() == 0
    # Support cannot book it either; it stays in the queue.
    with pytest.raises(ValueError, match="no positive amount"):
        incoming_payment_match(incoming=incoming, case=case)


def test_amount_with_a_half_cent_is_stored_rounded_half_up(case):
    incoming = receive(case.payment_reference, "10.005", "bank-half-cent")
    incoming.refresh_from_db()
    assert incoming.amount == D("10.01") and incoming.raw_amount == "10.005"
    assert incoming.payment.amount == D("10.01")
    assert Payment.objects.get(pk=incoming.payment_id).amount == D("10.01")


def test_kid_is_checked_with_the_creditors_own_algorithm(make_creditor, make_case):
    """A KID that passes MOD11 only is not booked for a creditor whose bank agreement is MOD10,
    even where it is the case's (here the agreement changed after the case was opened)."""
    creditor = make_creditor(country="NO", kid_algorithm="MOD11")
    case = make_case(creditor, due=dt.date(2026, 10, 1), today=DAY)
    # Its KID was made with MOD11; pick one whose MOD10 check digit differs (9 in 10 do).
    ref = next(
        k for b in range(1000, 1100) if not _valid_mod10(k := no_kid(str(b), algorithm="MOD11"))
    )
    Case.objects.filter(pk=case.pk).update(payment_reference=ref)
    creditor.kid_algorithm = "MOD10"
    creditor.save(update_fields=["kid_algorithm"])
    incoming = receive(ref, "100.00", "bank-mod11")
    incoming.refresh_from_db()
    assert incoming.status == IncomingPayment.Status.UNMATCHED
    assert "MOD10" in incoming.reason and case.number in incoming.reason
    assert Payment.objects.count() == 0
    # The creditor's own algorithm books it.
    creditor.kid_algorithm = "MOD11"
    creditor.save(update_fields=["kid_algorithm"])
    assert receive(ref, "100.00", "bank-mod11-ok").status == IncomingPayment.Status.MATCHED


def _valid_mod10(ref):
    try:
        validate_kid(ref, algorithm="MOD10")
    except InvalidReference:
        return False
    return True
