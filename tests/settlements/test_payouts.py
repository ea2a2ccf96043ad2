"""Payments become settlement lines and payouts whose lines sum to the payout, and the one voucher
per payout balances (debits = credits) for full, partial, bypass and over-payment cases, and for
write-offs and withdrawals; exact Decimal sums on the real database (SQLite or PostgreSQL)."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from cases import ledger
from cases.models import Case, Payment
from collection.actions import case_act
from collection.payments import payment_register
from collection.postings import erp_voucher
from settlements import split
from settlements.models import Payout, Settlement, SettlementLine
from settlements.payouts import payout_batch_create, payout_lines, payout_pay
from tests.settlements.conftest import LETTER_DAY

pytestmark = pytest.mark.django_db
D = Decimal
US, DIRECT = Payment.Source.COLLECTOR, Payment.Source.DIRECT


def pay(case, amount, source=US, day=LETTER_DAY, n=[0]):  # noqa: B006 - a counter
    n[0] += 1
    return payment_register(
        case=case, source=source, external_id=f"t-{n[0]}", amount=D(amount), paid_on=day
    )


def payout_of(creditor) -> Payout:
    (payout,) = payout_batch_create(creditor=creditor, today=LETTER_DAY)
    return payout_pay(payout=payout)


def cash_sum(payout) -> Decimal:
    lines = SettlementLine.objects.filter(settlement__payout=payout, kind__in=split.CASH_KINDS)
    return (lines.aggregate(t=Sum("amount"))["t"] or D(0)).quantize(D("0.01"))


def balanced_voucher(payout):
    """The voucher as the ERP gets it (the record refuses an unbalanced one), debits = credits."""
    voucher = erp_voucher(payout)
    debits = sum(line.amount for line in voucher.lines if line.amount > 0)
    credits = -sum(line.amount for line in voucher.lines if line.amount < 0)
    assert debits == credits and debits > 0
    return {(line.account_number, line.invoice_number): line.amount for line in voucher.lines} | {
        "debits": debits
    }


def lines_of(payout) -> dict:
    return {(line.kind, line.invoice_id): line.amount for line in payout_lines(payout)}


def test_full_payment(se_case):
    case = se_case()
    invoice = case.invoices.get()
    pay(case, "1251.78")
    payout = payout_of(case.creditor)
    # Capital and interest paid over; 240 fees kept; VAT on the 60 reminder fee invoiced.
    assert lines_of(payout) == {
        ("capital", invoice.pk): D("1000.00"),
        ("interest", None): D("11.78"),
        ("reminder_fee_vat", None): D("-15.00"),
    }
    assert payout.amount == cash_sum(payout) == D("996.78")
    settlement = Settlement.objects.get(case=case)
    assert settlement.to_collector == D("240.00") and settlement.payout == payout
    v = balanced_voucher(payout)
    assert v[(1550, "")] == D("996.78")  # bankkonto motpost
    assert v[(1500, invoice.number)] == D("-1000.00")  # closes the invoice in the ERP
    assert v[(8050, "")] == D("-11.78")  # interest income
    assert v[(2711, "")] == D("15.00")  # the VAT, with the creditor's VAT code
    assert erp_voucher(payout).lines[-1].vat_code == "1"


def test_partial_payments_pay_capital_over_first_and_keep_the_fees_last(se_case):
    case = se_case()
    pay(case, "300.00")  # the ledger takes fees and interest first ...
    assert ledger.balances(case)["fee"] == D("0.00")
    first = payout_of(case.creditor)
    assert first.amount == cash_sum(first) == D("300.00")  # ... the creditor gets all of it
    assert set(lines_of(first)) == {("capital", case.invoices.get().pk)}
    balanced_voucher(first)
    pay(case, "951.78")
    second = payout_of(case.creditor)
    assert second.amount == cash_sum(second) == D("696.78")
    assert first.amount + second.amount == D("996.78")  # the same as paid in one go
    balanced_voucher(second)


def test_bypass_payment_is_netted(se_case):
    case = se_case()
    pay(case, "500.00", source=DIRECT)  # the debtor paid the creditor directly
    assert payout_batch_create(creditor=case.creditor, today=LETTER_DAY) == []  # nothing yet
    pay(case, "751.78")
    payout = payout_of(case.creditor)
    # 751.78 in; the creditor holds 500 already: we pay 500 capital + interest, keep 240 + 15.
    assert payout.amount == cash_sum(payout) == D("496.78")
    v = balanced_voucher(payout)
    assert v[(1500, case.invoices.get().number)] == D("-500.00")


def test_fees_paid_to_the_creditor_are_claimed_from_its_next_payout(se_case):
    creditor = se_case().creditor
    bypassed, other = se_case(creditor), se_case(creditor)
    pay(bypassed, "1251.78", source=DIRECT)  # all of it to the creditor, fees too
    pay(other, "1251.78")
    payout = payout_of(creditor)
    # 996.78 for the other case, less our 240 fees and 15 VAT the creditor holds.
    assert payout.amount == cash_sum(payout) == D("741.78")
    lines = lines_of(payout)
    assert lines[("bypass_fees", bypassed.invoices.get().pk)] == D("-240.00")
    assert lines[("direct_interest", bypassed.invoices.get().pk)] == D("11.78")
    balanced_voucher(payout)


def test_overpayment_is_not_paid_to_the_creditor(se_case):
    case = se_case()
    payment = pay(case, "1300.00")
    assert payment.settlement.overpayment == D("48.22")  # owed back to the debtor
    payout = payout_of(case.creditor)
    assert payout.amount == cash_sum(payout) == D("996.78")
    balanced_voucher(payout)


def test_a_write_off_keeps_the_fees_paid_books_the_loss_and_nets_against_later_money(
    se_case, make_user
):
    case = se_case()
    creditor = case.creditor
    admin = make_user(creditor, role="admin")
    pay(case, "300.00")
    assert payout_of(creditor).amount == D("300.00")
    case_act(case=case, verb="write-off", actor=admin, data={})
    close = Settlement.objects.get(case=case, kind=Settlement.Kind.CLOSE)
    invoice = case.invoices.get()
    # Of the 300, the debtor paid 240 fees, 11.78 interest, 48.22 capital: the 240 paid over as
    # capital comes back to us, with the VAT on the 60 reminder fee now kept; the 951.78 capital
    # never paid is booked as a loss.
    assert {(x.kind, x.invoice_id): x.amount for x in close.lines.all()} == {
        ("capital", invoice.pk): D("-251.78"),
        ("interest", None): D("11.78"),
        ("reminder_fee_vat", None): D("-15.00"),
        ("loss", invoice.pk): D("951.78"),
    }
    assert close.to_creditor == D("-255.00") and close.to_collector == D("240.00")
    assert payout_batch_create(creditor=creditor, today=LETTER_DAY) == []  # negative: it waits
    pay(se_case(creditor), "1251.78")
    payout = payout_of(creditor)
    assert payout.amount == cash_sum(payout) == D("741.78")  # 996.78 - 255
    v = balanced_voucher(payout)
    assert v[(7830, "")] == D("951.78")  # loss account
    assert Settlement.objects.filter(payout=payout).count() == 2


def test_a_withdrawal_settles_what_was_paid(se_case, make_user):
    case = se_case()
    creditor = case.creditor
    pay(case, "300.00")
    payout_of(creditor)
    case_act(case=case, verb="withdraw", actor=make_user(creditor, role="admin"), data={})
    case.refresh_from_db()
    assert case.outcome == Case.Outcome.WITHDRAWN
    close = Settlement.objects.get(case=case, kind=Settlement.Kind.CLOSE)
    assert close.to_creditor == D("-255.00")  # the fees paid, and the VAT on the reminder fee
    assert not close.lines.filter(kind="loss").exists()  # the creditor takes the claim back


def test_payout_batches_take_each_settlement_once(se_case):
    case = se_case()
    pay(case, "1251.78")
    payout = payout_of(case.creditor)
    assert payout_batch_create(creditor=case.creditor, today=LETTER_DAY) == []
    assert payout.account == case.creditor.payout_account
    assert payout_pay(payout=payout).paid_at == payout.paid_at


def test_a_fee_share_agreement_pays_the_reminder_fee_over_as_fee_income(se_case):
    case = se_case(agreement_type="fee_share")
    pay(case, "1251.78")
    payout = payout_of(case.creditor)
    # Capital, interest and the 60 reminder fee are the creditor's; we keep the 180 only: no VAT.
    assert payout.amount == cash_sum(payout) == D("1071.78")
    assert Settlement.objects.get(case=case).to_collector == D("180.00")
    v = balanced_voucher(payout)
    assert v[(3900, "")] == D("-60.00")  # fee income
    assert (2711, "") not in v
