"""A booked payment undone (a negative correction in the creditor's ERP): cases.payments.
payment_reverse books every entry the payment made again negated, so the case owes again what it
paid and its stored outstanding equals its ledger; settlements.services.payment_reverse_settle
settles the reversal as the negative difference, so the payment's settlement and the reversal's
net to nothing line by line. Once per payment; a case the payment closed stays closed, flagged."""

from collections import defaultdict
from decimal import Decimal

import pytest

from cases import ledger
from cases.ledger import outstanding_mismatches
from cases.models import Case, LedgerEntry, Payment
from collection.payments import payment_register, payment_reverse
from settlements.models import Settlement
from tests.settlements.conftest import LETTER_DAY

pytestmark = pytest.mark.django_db
D = Decimal
OWED = D("1251.78")  # se_case: 1000.00 capital, 60.00 + 180.00 fees, 11.78 interest
# Beyond capital and interest: paid to us, 1011.78 goes over and we keep 88.22 of the fees; paid
# to the creditor directly, it holds 88.22 of our fees, which we claim. Either way lines to undo.
PAID = D("1100.00")


def lines_by_key(settlement):
    return {(x.kind, x.invoice_id): x.amount for x in settlement.lines.all()}


def stored(case) -> Decimal:
    return Case.objects.get(pk=case.pk).outstanding


@pytest.mark.parametrize("source", [Payment.Source.DIRECT, Payment.Source.COLLECTOR])
def test_a_reversed_payment_is_owed_again_and_its_settlement_taken_back(se_case, source):
    case = se_case()
    payment = payment_register(
        case=case, source=source, external_id="p-1", amount=PAID, paid_on=LETTER_DAY
    )
    paid = Settlement.objects.get(payment=payment)
    assert lines_by_key(paid)  # the payment moved the creditor's side: there is something to undo
    assert stored(case) == OWED - PAID

    reversal = payment_reverse(payment=payment, reversal_id="neg-1", on=LETTER_DAY)

    # The debtor's side: owed again, stored figure = ledger, every entry negated on its invoice.
    case.refresh_from_db()
    assert ledger.outstanding(case) == OWED
    assert stored(case) == OWED
    assert outstanding_mismatches(Case.objects.filter(pk=case.pk)) == []
    back = LedgerEntry.objects.filter(case=case, key__startswith="reversal:neg-1:")
    original = LedgerEntry.objects.filter(payment=payment).exclude(key__startswith="reversal:")
    assert sorted((e.component, e.invoice_id, -e.amount) for e in back) == sorted(
        (e.component, e.invoice_id, e.amount) for e in original
    )
    assert case.events.filter(kind="payment_reversed").count() == 1

    # The creditor's side: the reversal's lines are the payment's lines negated.
    assert reversal.kind == Settlement.Kind.REVERSAL and reversal.payment is None
    assert (reversal.capital + reversal.interest + reversal.fees) == -PAID
    net = defaultdict(D)
    for key, amount in [*lines_by_key(paid).items(), *lines_by_key(reversal).items()]:
        net[key] += amount
    assert all(v == 0 for v in net.values()), dict(net)
    assert reversal.to_creditor == -paid.to_creditor
    assert reversal.to_collector == -paid.to_collector

    # Once: the same correction again, or another naming the same payment, does nothing.
    assert payment_reverse(payment=payment, reversal_id="neg-1", on=LETTER_DAY) is None
    assert payment_reverse(payment=payment, reversal_id="neg-2", on=LETTER_DAY) is None
    assert stored(case) == OWED
    assert Settlement.objects.filter(case=case, kind=Settlement.Kind.REVERSAL).count() == 1


def test_a_reversed_payment_that_closed_the_case_leaves_it_closed_and_flagged(se_case):
    case = se_case()
    payment = payment_register(
        case=case,
        source=Payment.Source.DIRECT,
        external_id="p-all",
        amount=OWED,
        paid_on=LETTER_DAY,
    )
    case.refresh_from_db()
    assert (case.status, stored(case)) == (Case.Status.CLOSED, D("0.00"))

    reversal = payment_reverse(payment=payment, reversal_id="neg-all", on=LETTER_DAY)

    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert case.number in case.support_flag
    assert stored(case) == ledger.outstanding(case) == OWED
    assert outstanding_mismatches(Case.objects.filter(pk=case.pk)) == []
    paid = Settlement.objects.get(payment=payment)
    assert reversal.to_creditor == -paid.to_creditor
    assert reversal.to_collector == -paid.to_collector
