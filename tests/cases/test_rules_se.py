"""Sweden, table by table. Each test names the rule it checks (ids from domain-rules.md)."""

import datetime as dt
from decimal import Decimal

import pytest

from cases import interest, ledger
from cases.models import LedgerEntry, Payment
from cases.rules import RuleBook
from collection.advance import case_advance
from collection.payments import payment_register
from letters.models import Letter
from tests.cases.helpers import fees

pytestmark = pytest.mark.django_db
D = Decimal


def test_interest_vector_10000_sek_due_2023_05_15():
    """räntelagen 6 §, 9 §: reference rate + 8 pp, fixed per half-year (SE-L4, SE-A8):
    10.50 % until 30 June 2023 and 11.50 % from 1 July 2023, actual/365."""
    rates = RuleBook.load().rates(country="SE", debtor_kind="consumer")
    parts = interest.segments(
        principal=D("10000"),
        start=dt.date(2023, 5, 16),
        end=dt.date(2023, 7, 31),
        rates=rates,
        day_count="act/365",
    )
    assert [(p.start, p.end, p.rate, p.days) for p in parts] == [
        (dt.date(2023, 5, 16), dt.date(2023, 6, 30), D("10.50"), 46),
        (dt.date(2023, 7, 1), dt.date(2023, 7, 31), D("11.50"), 31),
    ]
    # 10000 × 10.5 % × 46/365 = 132.33; 10000 × 11.5 % × 31/365 = 97.67
    assert interest.interest(
        principal=D("10000"),
        start=dt.date(2023, 5, 16),
        end=dt.date(2023, 7, 31),
        rates=rates,
        day_count="act/365",
    ) == D("230.00")


def test_consumer_case_60_reminder_180_demand_and_interest_split_at_1_july(
    make_creditor, make_case
):
    """lag 1981:739 4 §: at most 60 kr for the påminnelse (one per debt), 180 kr for the
    inkassokrav; interest 10.50 % to 30 June, 11.50 % from 1 July 2023."""
    creditor = make_creditor(country="SE", reminder_fee_agreed=True)
    case = make_case(
        creditor,
        amount=D("10000.00"),
        due=dt.date(2023, 5, 15),
        today=dt.date(2023, 5, 20),
        kind="consumer",
    )
    assert case_advance(case_id=case.pk, today=dt.date(2023, 5, 20)) == "reminder"
    case.refresh_from_db()
    # No statutory wait for the reminder; 10 days to pay (practice), 2023-05-30 a Tuesday.
    assert case.next_action_on == dt.date(2023, 5, 31)
    assert case_advance(case_id=case.pk, today=dt.date(2023, 5, 31)) == "demand"
    demand = Letter.objects.get(case=case, stage="demand")
    # God inkassosed: at least 8 days from sending (SE-A2): 2023-06-08.
    assert demand.pay_by == dt.date(2023, 6, 8)
    assert fees(case) == [("fee:reminder", D("60.00")), ("fee:demand", D("180.00"))]
    payment_register(
        case=case,
        source=Payment.Source.COLLECTOR,
        external_id="se-1",
        amount=D("100.00"),
        paid_on=dt.date(2023, 7, 31),
    )
    booked = LedgerEntry.objects.filter(case=case, component="interest", kind="charge")
    # 5.16–5.20 (14.38), 5.21–5.31 (31.64) at 10.5 %; 6.1–7.31 split at 1 July
    # (86.30 + 97.67 = 183.97); each booking is rounded to öre once.
    assert [e.amount for e in booked] == [D("14.38"), D("31.64"), D("183.97")]
    assert [e.period_end for e in booked] == [
        dt.date(2023, 5, 20),
        dt.date(2023, 5, 31),
        dt.date(2023, 7, 31),
    ]


def test_no_reminder_fee_unless_agreed_when_the_debt_arose(make_creditor, make_case):
    """lag 1981:739 2 §: a påminnelseavgift needs an agreement made when the debt arose."""
    creditor = make_creditor(country="SE", reminder_fee_agreed=False)
    case = make_case(
        creditor, due=dt.date(2026, 10, 1), today=dt.date(2026, 10, 10), kind="consumer"
    )
    case_advance(case_id=case.pk, today=dt.date(2026, 10, 10))
    assert fees(case) == []


def test_business_debtor_gets_450_compensation_instead_of_reminder_and_demand_fees(
    make_creditor, make_case
):
    """lag 1981:739 4 a §: 450 kr förseningsersättning between businesses; reminder and
    collection costs only beyond it (IMY, SE-A1), so no 60 or 180 on top."""
    creditor = make_creditor(country="SE", reminder_fee_agreed=True)
    case = make_case(creditor, due=dt.date(2026, 10, 1), today=dt.date(2026, 10, 10))
    day = dt.date(2026, 10, 10)
    for _ in range(2):
        case_advance(case_id=case.pk, today=day)
        case.refresh_from_db()
        day = case.next_action_on
    assert case.stage == "demand"
    assert fees(case) == [("fee:b2b_compensation", D("450.00"))]
    assert ledger.balances(case)["fee"] == D("450.00")


def test_fee_uses_the_rate_valid_on_the_letter_date(make_creditor, make_case):
    """SFS 2013:56: 50 kr before 2013-03-16 (förordning 1981:1057), 60 kr from that day."""
    creditor = make_creditor(country="SE", reminder_fee_agreed=True)
    old = make_case(creditor, due=dt.date(2013, 3, 1), today=dt.date(2013, 3, 15), kind="consumer")
    new = make_case(creditor, due=dt.date(2013, 3, 1), today=dt.date(2013, 3, 16), kind="consumer")
    case_advance(case_id=old.pk, today=dt.date(2013, 3, 15))
    case_advance(case_id=new.pk, today=dt.date(2013, 3, 16))
    assert fees(old) == [("fee:reminder", D("50.00"))]
    assert fees(new) == [("fee:reminder", D("60.00"))]


def test_demand_fee_not_owed_when_payment_was_booked_before_the_demand(make_creditor, make_case):
    """IMY (SE-A3): inkassokostnad is owed only if the krav was sent no later than the day the
    payment was booked on the creditor's account."""
    creditor = make_creditor(country="SE", reminder_fee_agreed=True)
    case = make_case(
        creditor,
        amount=D("1000.00"),
        due=dt.date(2026, 9, 1),
        today=dt.date(2026, 9, 10),
        kind="consumer",
    )
    case_advance(case_id=case.pk, today=dt.date(2026, 9, 10))
    case.refresh_from_db()
    case_advance(case_id=case.pk, today=case.next_action_on)  # the inkassokrav, with 180 kr
    demand = Letter.objects.get(case=case, stage="demand")
    payment_register(
        case=case,
        source=Payment.Source.DIRECT,
        external_id="early",
        amount=D("100.00"),
        paid_on=demand.letter_date - dt.timedelta(days=1),
    )
    credited = LedgerEntry.objects.get(case=case, key="credit:fee:demand")
    assert credited.amount == D("-180.00")
    assert ledger.balances(case)["fee"] == D("0.00")  # the 60 kr reminder fee was paid first
