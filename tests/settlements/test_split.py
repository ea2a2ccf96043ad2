"""The creditor/us split, as pure functions over a case's position (no database): capital and
interest are the creditor's and paid over first, whatever order the debtor's payment was
allocated in; fees are kept only out of money beyond them (seed 002); VAT on kept reminder fees
is netted where the terms carry a rate; money paid to the creditor directly is netted."""

from decimal import Decimal

from settlements import split
from settlements.split import Position, Terms, delta, split_fee_share, split_standard

D = Decimal
SE_VAT = Terms(vat_rate=D("25"))


def position(**kw) -> Position:
    base = dict(
        money_to_us=D("0.00"),
        money_direct=D("0.00"),
        capital_claim=((1, D("1000.00")),),
        interest_claim=D("20.00"),
        reminder_fee_claim=D("60.00"),
        fees_paid=D("0.00"),
        reminder_fees_paid=D("0.00"),
        last_invoice=1,
    )
    base.update(kw)
    return Position(**base)


def test_full_payment_pays_capital_and_interest_over_and_keeps_the_fees_less_vat():
    # 1000 capital + 20 interest + 60 reminder fee + 180 collection fee, paid in one go.
    pos = position(money_to_us=D("1260.00"), fees_paid=D("240.00"), reminder_fees_paid=D("60.00"))
    target = split_standard(pos, SE_VAT)
    assert target.lines == {
        (split.CAPITAL, 1): D("1000.00"),
        (split.INTEREST, None): D("20.00"),
        (split.REMINDER_FEE_VAT, None): D("-15.00"),  # 25 % of the 60 kept
    }
    assert target.fees_kept == D("240.00")
    assert target.cash() == D("1005.00")


def test_a_partial_payment_allocated_to_fees_first_is_paid_over_as_capital():
    # The ledger took 60 fee + 20 interest + 20 capital (fees first); the creditor gets all 100.
    pos = position(money_to_us=D("100.00"), fees_paid=D("60.00"), reminder_fees_paid=D("60.00"))
    target = split_standard(pos, SE_VAT)
    assert target.lines == {(split.CAPITAL, 1): D("100.00")}
    assert target.fees_kept == D("0.00")
    # The rest arrives: the fees are kept now, out of the last payment.
    rest = position(money_to_us=D("1080.00"), fees_paid=D("60.00"), reminder_fees_paid=D("60.00"))
    later = split_standard(rest, SE_VAT)
    assert delta(later, target.lines) == {
        (split.CAPITAL, 1): D("900.00"),
        (split.INTEREST, None): D("20.00"),
        (split.REMINDER_FEE_VAT, None): D("-15.00"),
    }


def test_no_vat_without_a_rate():
    pos = position(money_to_us=D("1080.00"), fees_paid=D("60.00"), reminder_fees_paid=D("60.00"))
    assert (split.REMINDER_FEE_VAT, None) not in split_standard(pos, Terms()).lines


def test_bypass_money_held_by_the_creditor_shrinks_what_we_pay():
    # 500 paid to the creditor directly, then the rest (580) to us.
    pos = position(
        money_direct=D("500.00"),
        money_to_us=D("580.00"),
        fees_paid=D("60.00"),
        reminder_fees_paid=D("60.00"),
    )
    target = split_standard(pos, SE_VAT)
    assert target.lines == {
        (split.CAPITAL, 1): D("500.00"),
        (split.INTEREST, None): D("20.00"),
        (split.REMINDER_FEE_VAT, None): D("-15.00"),
    }
    assert target.cash() == D("505.00")  # 580 in, 60 fees and 15 VAT kept


def test_fees_the_creditor_received_directly_are_claimed():
    # Everything paid to the creditor: it owes us the fee and the VAT on it.
    pos = position(money_direct=D("1080.00"), fees_paid=D("60.00"), reminder_fees_paid=D("60.00"))
    target = split_standard(pos, SE_VAT)
    assert target.lines == {
        (split.DIRECT_INTEREST, 1): D("20.00"),
        (split.BYPASS_FEES, 1): D("-60.00"),
        (split.REMINDER_FEE_VAT, None): D("-15.00"),
    }
    assert target.cash() == D("-75.00")


def test_a_write_off_keeps_the_fees_paid_and_books_the_loss():
    # 100 paid to us (fees first: 60 fee, 20 interest, 20 capital), then written off: the claim
    # is what was paid, and the 980 capital left goes to the loss account.
    pos = position(
        money_to_us=D("100.00"),
        capital_claim=((1, D("20.00")),),
        interest_claim=D("20.00"),
        reminder_fee_claim=D("60.00"),
        fees_paid=D("60.00"),
        reminder_fees_paid=D("60.00"),
        written_off=((1, D("980.00")),),
    )
    before = {(split.CAPITAL, 1): D("100.00")}
    assert delta(split_standard(pos, Terms()), before) == {
        (split.CAPITAL, 1): D("-80.00"),
        (split.INTEREST, None): D("20.00"),
        (split.LOSS, 1): D("980.00"),
    }


def test_fee_share_pays_the_reminder_fee_over_as_fee_income():
    pos = position(money_to_us=D("1080.00"), fees_paid=D("60.00"), reminder_fees_paid=D("60.00"))
    target = split_fee_share(pos, SE_VAT)
    assert target.lines == {
        (split.CAPITAL, 1): D("1000.00"),
        (split.INTEREST, None): D("20.00"),
        (split.FEE_INCOME, None): D("60.00"),
    }
    assert target.fees_kept == D("0.00")


def test_capital_goes_to_the_oldest_invoice_first():
    pos = position(
        money_to_us=D("700.00"),
        capital_claim=((1, D("500.00")), (2, D("500.00"))),
        last_invoice=2,
    )
    assert split_standard(pos, Terms()).lines == {
        (split.CAPITAL, 1): D("500.00"),
        (split.CAPITAL, 2): D("200.00"),
    }
