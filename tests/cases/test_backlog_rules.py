"""A backlog case (overdue at the creditor's activation, Case.backlog): the creditor may have
sent its own fee-bearing reminder, so ours is fee-free in every country and may go out at once;
the later letters keep their fees."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from cases.rules import country_rules
from cases.rules.base import Claim

pytestmark = pytest.mark.django_db
D = Decimal
DUE, ON = dt.date(2026, 9, 1), dt.date(2026, 11, 4)  # two months overdue: every fee allowed


@pytest.mark.parametrize(
    "country, kind, agreed",
    [("SE", "consumer", True), ("NO", "consumer", False), ("NO", "business", False),
     ("FI", "consumer", False), ("FI", "business", False)],
)  # fmt: skip
def test_backlog_reminder_has_no_fee_and_later_letters_keep_theirs(country, kind, agreed):
    rules = country_rules(country)
    claim = Claim(
        country=country,
        debtor_kind=kind,
        capital=D("1000"),
        earliest_due=DUE,
        fees_charged=D("0"),
        reminder_fee_agreed=agreed,
    )
    assert rules.fees(claim, "reminder", ON), "the ordinary reminder carries a fee here"
    backlog = replace(claim, backlog=True)
    assert rules.fees(backlog, "reminder", ON) == []
    after = rules.plan[1]  # the letter after the reminder
    assert rules.fees(backlog, after, ON) == rules.fees(claim, after, ON) != []


def test_backlog_reminder_may_go_out_the_day_after_due():
    """FI: a consumer's fee-bearing reminder waits for day 15 (KKV 2024); a fee-free backlog
    reminder need not."""
    claim = Claim("FI", "consumer", D("100"), DUE, D("0"))
    rules = country_rules("FI")
    assert rules.earliest(claim, "reminder", ON) == DUE + dt.timedelta(15)
    assert rules.earliest(replace(claim, backlog=True), "reminder", ON) == DUE + dt.timedelta(1)
