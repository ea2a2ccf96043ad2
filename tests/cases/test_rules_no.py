"""Norway: inkassoloven (INKL) and inkassoforskriften (INKF), table by table."""

import datetime as dt
from decimal import Decimal

import pytest

from cases import interest
from cases.models import LedgerEntry
from cases.rules import RuleBook
from collection.advance import case_advance
from letters.models import Letter
from tests.cases.helpers import fees

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.mark.parametrize(
    "days_after_due, fee",
    [
        (10, []),
        (13, []),
        (14, [("fee:reminder", D("38.00"))]),
        (40, [("fee:reminder", D("38.00"))]),
    ],
)
def test_purring_fee_only_from_14_days_after_due(make_creditor, make_case, days_after_due, fee):
    """INKF § 1-2 (1): purregebyr only if the purring is sent 14 days or more after due;
    sats/20 = 38 kr with inkassosats 750 from 2026-01-01 (NO-S1, flagged unconfirmed)."""
    today = dt.date(2026, 11, 10)
    case = make_case(
        make_creditor(country="NO"), due=today - dt.timedelta(days=days_after_due), today=today
    )
    case_advance(case_id=case.pk, today=today)
    assert fees(case) == fee


def test_sats_in_force_when_the_letter_is_sent(make_creditor, make_case):
    """INKF § 1-2 last paragraph: the sats in force when the letter is sent: 35 kr in 2025,
    38 kr from 2026-01-01."""
    creditor = make_creditor(country="NO")
    old = make_case(creditor, due=dt.date(2025, 11, 1), today=dt.date(2025, 12, 31))
    new = make_case(creditor, due=dt.date(2025, 11, 1), today=dt.date(2026, 1, 2))
    case_advance(case_id=old.pk, today=dt.date(2025, 12, 31))
    case_advance(case_id=new.pk, today=dt.date(2026, 1, 2))
    assert fees(old) == [("fee:reminder", D("35.00"))]
    assert fees(new) == [("fee:reminder", D("38.00"))]


def test_purring_inkassovarsel_betalingsoppfordring_with_14_day_deadlines(make_creditor, make_case):
    """INKL § 9: inkassovarsel gives at least 14 days from sending; § 10 the same for the
    betalingsoppfordring; INKF § 1-2 fees 38 + 38 + 113 (2026), within the § 1-3 limit of
    1 purring + 1 varsel + 1 betalingsoppfordring."""
    case = make_case(
        make_creditor(country="NO"), due=dt.date(2026, 1, 5), today=dt.date(2026, 2, 2)
    )
    day = dt.date(2026, 2, 2)
    for expected in ("reminder", "notice", "demand"):
        assert case_advance(case_id=case.pk, today=day) == expected
        letter = Letter.objects.get(case=case, stage=expected)
        assert (letter.pay_by - letter.letter_date).days >= 14
        case.refresh_from_db()
        assert case.next_action_on > letter.pay_by
        day = case.next_action_on
    assert fees(case) == [
        ("fee:reminder", D("38.00")),
        ("fee:notice", D("38.00")),
        ("fee:demand", D("113.00")),
    ]


def test_interest_splits_at_the_half_year(make_creditor):
    """forsinkelsesrenteloven § 3: the rate set for each half-year applies to running claims:
    12.25 % in 2025 H2 and 12.00 % in 2026 H1 (NO-S1, FOR-2025-12-18-2658)."""
    rates = RuleBook.load().rates(country="NO", debtor_kind="business")
    parts = interest.segments(
        principal=D("10000"),
        start=dt.date(2025, 12, 1),
        end=dt.date(2026, 1, 31),
        rates=rates,
        day_count="act/365",
    )
    assert [(p.rate, p.days) for p in parts] == [(D("12.25"), 31), (D("12.00"), 31)]


def test_support_corrects_an_unconfirmed_row_and_new_letters_use_it(make_creditor, make_case):
    """The 2026 sats (750) is one secondary source (domain-rules.md § 8 item 3): support staff
    may correct it in the admin; letters sent after the correction use the corrected row."""
    from cases.models import RuleValue

    row = RuleValue.objects.get(country="NO", rule="fee.reminder", valid_from=dt.date(2026, 1, 1))
    assert row.confirmed is False
    row.value = D("37.50")
    row.save()
    case = make_case(
        make_creditor(country="NO"), due=dt.date(2026, 10, 1), today=dt.date(2026, 11, 2)
    )
    case_advance(case_id=case.pk, today=dt.date(2026, 11, 2))
    assert fees(case) == [("fee:reminder", D("37.50"))]


def test_contractual_rate_applies_to_businesses_not_consumers(make_creditor, make_case):
    creditor = make_creditor(country="NO", contractual_interest_rate=D("18.000"))
    business = make_case(creditor, due=dt.date(2026, 10, 1), today=dt.date(2026, 10, 31))
    consumer = make_case(
        creditor, due=dt.date(2026, 10, 1), today=dt.date(2026, 10, 31), kind="consumer"
    )
    for case in (business, consumer):
        case_advance(case_id=case.pk, today=dt.date(2026, 10, 31))

    def booked(case):
        return LedgerEntry.objects.get(case=case, component="interest").amount

    assert booked(business) == D("14.79")  # 1000 × 18 % × 30/365
    assert booked(consumer) == D("10.07")  # 1000 × 12.25 % × 30/365 (statutory)
