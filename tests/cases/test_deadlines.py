"""A letter's pay-by date moves past weekends and holidays per country (SE lag 1930:173 2 §,
FI laki 150/1930 5 §; NO: banks closed 24 and 31 Dec, see cases/calendar.py)."""

import datetime as dt

import pytest

from collection.advance import case_advance
from letters.models import Letter
from nordic.references import validate_reference

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "country, sent, falls_on, moved_to",
    [
        # 10 days for a Swedish reminder; 14 for NO purring and FI maksumuistutus.
        ("SE", "2025-06-10", "2025-06-20", "2025-06-23"),  # midsommarafton
        ("NO", "2025-06-06", "2025-06-20", "2025-06-20"),  # an ordinary Friday in Norway
        ("FI", "2025-06-06", "2025-06-20", "2025-06-23"),  # juhannusaatto
        ("SE", "2025-12-14", "2025-12-24", "2025-12-29"),  # julafton, then 25–28 Dec
        ("NO", "2025-12-10", "2025-12-24", "2025-12-29"),
        ("FI", "2025-12-10", "2025-12-24", "2025-12-29"),  # jouluaatto
        ("SE", "2025-12-21", "2025-12-31", "2026-01-02"),  # nyårsafton, then 1 Jan
        ("NO", "2025-12-17", "2025-12-31", "2026-01-02"),
        ("FI", "2025-12-17", "2025-12-31", "2025-12-31"),  # not in 150/1930 5 §: stays
    ],
)
def test_pay_by_moves_to_the_next_business_day(
    make_creditor, make_case, country, sent, falls_on, moved_to
):
    sent = dt.date.fromisoformat(sent)
    creditor = make_creditor(country=country)
    case = make_case(creditor, due=sent - dt.timedelta(days=30), today=sent)
    assert case_advance(case_id=case.pk, today=sent) == "reminder"
    letter = Letter.objects.get(case=case)
    assert letter.pay_by == dt.date.fromisoformat(moved_to)
    assert (dt.date.fromisoformat(falls_on) - sent).days in (10, 14)


@pytest.mark.parametrize(
    "country, kid", [("SE", "MOD10"), ("NO", "MOD10"), ("NO", "MOD11"), ("FI", "MOD10")]
)
def test_every_generated_reference_validates(make_creditor, make_case, country, kid):
    creditor = make_creditor(country=country, kid_algorithm=kid)
    cases = [make_case(creditor) for _ in range(25)]
    for case in cases:
        assert validate_reference(country, case.payment_reference) == case.payment_reference
    assert len({c.payment_reference for c in cases}) == 25
