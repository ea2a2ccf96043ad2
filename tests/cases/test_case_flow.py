"""The case engine's core moves: stage transitions, letters with fees, payments on the ledger."""

import datetime as dt
from decimal import Decimal

import pytest

from cases import ledger
from cases.lifecycle import InvalidTransition, transition
from cases.models import Case, CaseEvent, LedgerEntry, Payment
from collection.advance import case_advance
from collection.payments import payment_register
from letters.models import Letter

pytestmark = pytest.mark.django_db
D = Decimal


def test_first_advance_sends_reminder_with_fee_and_second_does_nothing(make_creditor, make_case):
    creditor = make_creditor(country="NO")
    case = make_case(creditor, due=dt.date(2026, 10, 1), today=dt.date(2026, 11, 2))
    assert case_advance(case_id=case.pk, today=dt.date(2026, 11, 2)) == "reminder"
    assert case_advance(case_id=case.pk, today=dt.date(2026, 11, 2)) is None
    case.refresh_from_db()
    assert case.stage == Case.Stage.REMINDER
    assert Letter.objects.filter(case=case).count() == 1
    # INKF § 1-2, sats 750 from 2026-01-01 -> purring 38 NOK (sent >= 14 days after due).
    assert ledger.balances(case)["fee"] == D("38.00")
    letter = Letter.objects.get(case=case)
    # INKL: 14 days to pay, counted from sending; 2026-11-16 is a Monday.
    assert letter.pay_by == dt.date(2026, 11, 16)
    assert case.next_action_on == dt.date(2026, 11, 17)
    # forsinkelsesrenteloven: 12.25 % (2026 H2) from the day after due, 32 days, actual/365.
    assert ledger.balances(case)["interest"] == D("10.74")
    assert letter.total == D("1048.74")


def test_norwegian_reminder_earlier_than_14_days_after_due_has_no_fee(make_creditor, make_case):
    creditor = make_creditor(country="NO")
    case = make_case(creditor, due=dt.date(2026, 10, 23), today=dt.date(2026, 11, 2))
    case_advance(case_id=case.pk, today=dt.date(2026, 11, 2))  # 10 days after due
    assert ledger.balances(case)["fee"] == D("0.00")


def test_stages_follow_the_country_plan(make_creditor, make_case):
    creditor = make_creditor(country="NO")
    case = make_case(creditor)
    day = dt.date(2026, 11, 2)
    seen = []
    while (stage := case_advance(case_id=case.pk, today=day)) is not None:
        seen.append(stage)
        case.refresh_from_db()
        day = case.next_action_on or day
    # After the decision deadline the creditor's default (surveillance) applies.
    assert seen == ["reminder", "notice", "demand", "decision", "surveillance"]
    assert list(Letter.objects.filter(case=case).values_list("stage", flat=True)) == [
        "reminder",
        "notice",
        "demand",
    ]
    # Each stage fee once: purring 38 + inkassovarsel 38 + betalingsoppfordring 113 (2026 rates).
    assert ledger.balances(case)["fee"] == D("189.00")


def test_invalid_transition_raises_and_records_nothing(make_creditor, make_case):
    case = make_case(make_creditor(country="SE"))
    before = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(InvalidTransition):
        transition(case, Case.Stage.NOTICE)  # SE has no inkassovarsel
    with pytest.raises(InvalidTransition):
        transition(case, Case.Stage.ENFORCEMENT)  # not before a creditor decision
    assert CaseEvent.objects.filter(case=case).count() == before


def test_case_events_are_append_only(make_creditor, make_case):
    case = make_case(make_creditor())
    event = CaseEvent.objects.filter(case=case).first()
    event.message = "rewritten"
    with pytest.raises(Exception, match="append-only"):
        event.save()
    with pytest.raises(Exception, match="append-only"):
        event.delete()
    with pytest.raises(Exception, match="append-only"):
        CaseEvent.objects.filter(case=case).update(message="rewritten")
    with pytest.raises(Exception, match="append-only"):
        CaseEvent.objects.filter(case=case).delete()


def test_partial_payment_goes_to_fees_first_then_capital(make_creditor, make_case):
    creditor = make_creditor(country="NO")
    case = make_case(creditor)
    case_advance(case_id=case.pk, today=dt.date(2026, 11, 2))
    payment = payment_register(
        case=case,
        source=Payment.Source.COLLECTOR,
        external_id="bank-1",
        amount=D("100.00"),
        paid_on=dt.date(2026, 11, 5),
    )
    assert payment.allocation_order == "fee,interest,capital"
    balances = ledger.balances(case)
    # 38 fee, then 10.74 interest, then 51.26 capital; paid within the letter's deadline, so
    # no interest beyond the letter date.
    assert (balances["fee"], balances["interest"]) == (D("0.00"), D("0.00"))
    assert balances["capital"] == D("948.74")
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    # The creditor's side differs on purpose (settlements.split, seed 002): its capital and
    # interest are paid over first, the 38 fee is kept only once they are.
    assert payment.settlement.to_creditor == D("100.00")
    assert payment.settlement.to_collector == D("0.00")


def test_full_payment_closes_case_and_overpayment_is_kept(make_creditor, make_case):
    creditor = make_creditor(country="NO")
    case = make_case(creditor)
    case_advance(case_id=case.pk, today=dt.date(2026, 11, 2))
    payment_register(
        case=case,
        source=Payment.Source.COLLECTOR,
        external_id="bank-2",
        amount=D("1050.00"),
        paid_on=dt.date(2026, 11, 5),
    )
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Case.Status.CLOSED, Case.Outcome.PAID)
    assert ledger.outstanding(case) == D("0.00")
    assert ledger.balances(case)["overpayment"] == D("-1.26")  # owed back to the debtor


def test_same_payment_twice_books_once(make_creditor, make_case):
    case = make_case(make_creditor())
    for _ in range(2):
        payment_register(
            case=case,
            source=Payment.Source.DIRECT,
            external_id="posting-9",
            amount=D("300.00"),
            paid_on=dt.date(2026, 11, 5),
        )
    assert Payment.objects.filter(case=case).count() == 1
    assert LedgerEntry.objects.filter(case=case, kind="payment").count() == 2  # interest, capital
    # Interest ran to the payment day (1000 at 12.25 % for 35 days = 11.75) before the payment.
    assert ledger.outstanding(case) == D("1011.75") - D("300.00")


def test_finnish_consumer_payment_goes_to_capital_first(make_creditor, make_case):
    creditor = make_creditor(country="FI")
    case = make_case(
        creditor, kind="consumer", due=dt.date(2026, 10, 1), today=dt.date(2026, 10, 20)
    )
    case_advance(case_id=case.pk, today=dt.date(2026, 10, 20))  # day 19: fee allowed
    payment = payment_register(
        case=case,
        source=Payment.Source.COLLECTOR,
        external_id="fi-1",
        amount=D("1000.00"),
        paid_on=dt.date(2026, 10, 25),
    )
    # perintälaki 7 §: capital, then interest, then costs.
    assert payment.allocation_order == "capital,interest,fee"
    assert ledger.balances(case)["capital"] == D("0.00")
    assert ledger.balances(case)["fee"] == D("5.00")
