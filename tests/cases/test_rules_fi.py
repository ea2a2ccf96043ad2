"""Finland: perintälaki (513/1999) with the 2013 consumer caps and the 2022 B2B rules."""

import datetime as dt
from decimal import Decimal

import pytest

from cases import interest
from cases.rules import RuleBook, country_rules
from cases.rules.base import Claim
from collection.advance import case_advance
from letters.models import Letter
from tests.cases.helpers import fees

pytestmark = pytest.mark.django_db
D = Decimal


def test_consumer_reminder_is_never_dated_before_day_15(make_creditor, make_case):
    """KKV 2024-10-21 (FI-A2): a fee-bearing reminder not on day 14 after due, so day 15."""
    creditor = make_creditor(country="FI")
    case = make_case(
        creditor, due=dt.date(2026, 10, 1), today=dt.date(2026, 10, 2), kind="consumer"
    )
    for day in range(2, 16):
        assert case_advance(case_id=case.pk, today=dt.date(2026, 10, day)) is None
        case.refresh_from_db()
        assert case.next_action_on == dt.date(2026, 10, 16)
    assert not Letter.objects.filter(case=case).exists()
    assert case_advance(case_id=case.pk, today=dt.date(2026, 10, 16)) == "reminder"
    assert Letter.objects.get(case=case).letter_date == dt.date(2026, 10, 16)
    assert fees(case) == [("fee:reminder", D("5.00"))]  # FI-A1: 5 € per reminder


def test_consumer_steps_keep_more_than_14_days_apart_and_fees_follow_the_bands(
    make_creditor, make_case
):
    """perintälaki 5 § and KKV 2024: more than 14 days between reminder, demand and demand;
    10 e §: 1st demand 24 €, 2nd 12 € for capital 100–1 000 € (FI-S1)."""
    creditor = make_creditor(country="FI")
    case = make_case(
        creditor,
        amount=D("500.00"),
        due=dt.date(2026, 9, 1),
        today=dt.date(2026, 9, 20),
        kind="consumer",
    )
    day = dt.date(2026, 9, 20)
    dates = []
    while case_advance(case_id=case.pk, today=day) in ("reminder", "demand", "demand_2"):
        dates.append(day)
        case.refresh_from_db()
        day = case.next_action_on
    assert [b - a for a, b in zip(dates, dates[1:], strict=False)] >= [dt.timedelta(days=15)] * 2
    assert fees(case) == [
        ("fee:reminder", D("5.00")),
        ("fee:demand", D("24.00")),
        ("fee:demand_2", D("12.00")),
    ]


def test_consumer_fees_stop_at_the_total_cap():
    """perintälaki 10 e §: total costs for a consumer claim ≤ 100 € are capped at 60 €."""
    rules = country_rules("FI")
    claim = Claim(
        country="FI",
        debtor_kind="consumer",
        capital=D("80"),
        earliest_due=dt.date(2026, 1, 1),
        fees_charged=D("55"),
    )
    [fee] = rules.fees(claim, "demand", dt.date(2026, 6, 1))
    assert fee.amount == D("5")  # 14 € would pass the cap: only 5 € of room left


@pytest.mark.parametrize(
    "capital, expected",
    [(D("400"), D("50")), (D("2000"), D("70")), (D("9000"), D("90")), (D("20000"), D("110"))],
)
def test_business_first_demand_by_band(capital, expected):
    """299/2022 (FI-S2): B2B 1st maksuvaatimus 50/70/90/110 € by capital band."""
    claim = Claim(
        country="FI",
        debtor_kind="business",
        capital=capital,
        earliest_due=dt.date(2026, 1, 1),
        fees_charged=D("0"),
    )
    [fee] = country_rules("FI").fees(claim, "demand", dt.date(2026, 6, 1))
    assert fee.amount == expected


def test_business_reminder_may_go_out_the_day_after_due_with_12_euro(make_creditor, make_case):
    """The day-15 rule protects consumers; a business reminder costs 12 € (FI-S2)."""
    case = make_case(
        make_creditor(country="FI"), due=dt.date(2026, 10, 1), today=dt.date(2026, 10, 2)
    )
    assert case_advance(case_id=case.pk, today=dt.date(2026, 10, 2)) == "reminder"
    assert fees(case) == [("fee:reminder", D("12.00"))]


def test_interest_actual_actual_and_business_rate():
    """korkolaki 4 § (consumer: reference + 7) and 4 a § (B2B: + 8); oikeus.fi divides by 366
    in a leap year: 1 000 € at 11.5 % for 2024 H2's 184 days = 57.81 (consumer, 2024 H2)."""
    book = RuleBook.load()
    consumer = book.rates(country="FI", debtor_kind="consumer")
    business = book.rates(country="FI", debtor_kind="business")
    args = {
        "principal": D("1000"),
        "start": dt.date(2024, 7, 1),
        "end": dt.date(2024, 12, 31),
        "day_count": "act/act",
    }
    assert interest.interest(rates=consumer, **args) == D("57.81")  # 1000*.115*184/366
    assert interest.interest(rates=business, **args) == D("62.84")  # 1000*.125*184/366
