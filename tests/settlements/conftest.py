import datetime as dt
from decimal import Decimal

import pytest

from cases import ledger
from cases.models import Case
from collection.advance import case_advance

LETTER_DAY = dt.date(2026, 11, 13)  # the demand's letter date: paying then adds no interest


@pytest.fixture
def se_case(make_creditor, make_case):
    """A Swedish consumer case at the collection demand: 1000.00 capital, 60.00 reminder fee,
    180.00 collection fee, 11.78 interest = 1251.78 owed (its demand letter's total)."""

    def make(creditor=None, **extra):
        creditor = creditor or make_creditor(
            country="SE", reminder_fee_agreed=True, contact_email="ekonomi@example.se", **extra
        )
        case = make_case(
            creditor, due=dt.date(2026, 10, 1), today=dt.date(2026, 11, 2), kind="consumer"
        )
        day = dt.date(2026, 11, 2)
        for _ in range(2):
            case_advance(case_id=case.pk, today=day)
            case.refresh_from_db()
            day = case.next_action_on
        assert case.stage == Case.Stage.DEMAND
        assert ledger.outstanding(case) == Decimal("1251.78")
        return case

    return make


def payout_with_remittance(creditor, day=LETTER_DAY):
    """A paid payout of the creditor with its remittance file (for the walks over the URLs)."""
    from django.core.files.base import ContentFile

    from settlements.models import Payout

    payout = Payout.objects.create(
        creditor=creditor, currency=creditor.currency, amount=Decimal("0.00"), created_on=day
    )
    payout.remittance.save(f"{payout.external_number}.pdf", ContentFile(b"%PDF-1.7 test"))
    return payout
