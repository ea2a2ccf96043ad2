"""Every path that closes a case settles what was paid through the one close in collection/
(collection.closing.cases_closed): the engine's default decision "close" (one case, and the
batch over the due cases), the creditor's decision to close, and a credit note that closes the
claim. Exact Decimal lines; each close settles once."""

import datetime as dt
from decimal import Decimal

import pytest

from cases.models import Case, DecisionRequest
from collection.actions import case_act
from collection.advance import advance_due_batch, case_advance
from collection.closing import cases_closed
from collection.payments import credit_note_register
from settlements.models import Settlement
from tests.settlements.test_payouts import cash_sum, pay, payout_of

pytestmark = pytest.mark.django_db
D = Decimal


def at_decision(case):
    """Advance the case (paid 300 at the demand) to its decision request; the request."""
    day = case.next_action_on
    while case.stage != Case.Stage.DECISION:
        assert case_advance(case_id=case.pk, today=day) is not None
        case.refresh_from_db()
        day = case.next_action_on or day
    return DecisionRequest.objects.get(case=case)


def expected_close(case, close):
    # Of the 300, the debtor paid 240 fees, the interest, the rest capital (ledger order); while
    # the case was open all 300 was paid over as capital and interest. Closed unpaid, the claim is
    # what was paid: the fees come back to us with the VAT on the 60 reminder fee, and nothing is
    # booked as a loss (the creditor keeps its claim: no write-off).
    lines = {(x.kind, x.invoice_id): x.amount for x in close.lines.all()}
    interest = lines[("interest", None)]
    assert interest > 0
    assert lines == {
        ("capital", case.invoices.get().pk): D("-240.00") - interest,
        ("interest", None): interest,
        ("reminder_fee_vat", None): D("-15.00"),
    }
    assert close.to_creditor == D("-255.00") and close.to_collector == D("240.00")


@pytest.mark.parametrize("how", ["one case", "batch"])
def test_a_decision_defaulting_to_close_settles_what_was_paid(se_case, how):
    case = se_case(default_decision="close")
    pay(case, "300.00")
    assert payout_of(case.creditor).amount == D("300.00")
    decision = at_decision(case)
    assert decision.default_option == "close"
    after = decision.deadline + dt.timedelta(days=1)
    if how == "one case":
        assert case_advance(case_id=case.pk, today=after) is None
    else:
        now = dt.datetime.combine(after, dt.time(12), tzinfo=dt.UTC)
        assert advance_due_batch(now=now, render=False) >= 1
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Case.Status.CLOSED, Case.Outcome.CLOSED_UNPAID)
    close = Settlement.objects.get(case=case, kind=Settlement.Kind.CLOSE)
    expected_close(case, close)
    cases_closed([case.pk])  # again: settled once
    assert Settlement.objects.filter(case=case, kind=Settlement.Kind.CLOSE).count() == 1
    # A later payment on the closed case is settled as payments are, and the payouts still add up.
    pay(case, "100.00")
    later = Settlement.objects.filter(case=case, kind=Settlement.Kind.PAYMENT).last()
    assert later.to_creditor + later.to_collector == D("100.00")


def test_the_creditors_decision_to_close_settles(se_case, make_user):
    case = se_case()
    pay(case, "300.00")
    payout_of(case.creditor)
    at_decision(case)
    admin = make_user(case.creditor, role="admin")
    case_act(case=case, verb="decide", actor=admin, data={"option": "close"})
    case.refresh_from_db()
    assert case.outcome == Case.Outcome.CLOSED_UNPAID
    expected_close(case, Settlement.objects.get(case=case, kind=Settlement.Kind.CLOSE))


def test_a_credit_note_that_closes_the_claim_settles(se_case):
    case = se_case()
    pay(case, "300.00")
    first = payout_of(case.creditor)
    assert first.amount == cash_sum(first) == D("300.00")
    invoice = case.invoices.get()
    credit_note_register(
        case=case,
        invoice=invoice,
        amount=D("1000.00"),
        credited_on=dt.date(2026, 11, 20),
        external_id="cn-1",
    )
    case.refresh_from_db()
    assert case.outcome == Case.Outcome.CREDITED
    close = Settlement.objects.get(case=case, kind=Settlement.Kind.CLOSE)
    # The claim is what was paid: 48.22 capital and 11.78 interest (the demand's); the 240 fees
    # paid over as capital while it was owed come back, with the VAT on the reminder fee.
    assert close.to_creditor == D("-255.00") and close.to_collector == D("240.00")
    assert not close.lines.filter(kind="loss").exists()
