"""One close path: a case closed by the batch (the creditor's default decision once the deadline
has passed) is closed like any other: closed_at set, the event recorded, the ERP told."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cases.models import Case, CaseEvent, DecisionRequest, Invoice
from collection.advance import advance_due_batch
from collection.sync import creditor_sync
from integrations.base import CaseStatus
from tests.conftest import TT_TODAY
from tests.onboarding import active_creditor

OSLO = ZoneInfo("Europe/Oslo")


def batch_on(day: dt.date) -> int:
    """The periodic advance as it runs at noon in Oslo on `day` (every due case, in batches)."""
    now = dt.datetime.combine(day, dt.time(12), tzinfo=OSLO)
    total = 0
    while taken := advance_due_batch(now=now):
        total += taken
    return total


def latest_shown(tripletex, company_id: int, locator: str) -> tuple:
    """(case number, what the ERP's status can mean) last written on the invoice."""
    return tripletex.case_statuses(company_id, locator)[-1]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_default_close_in_the_batch_sets_closed_at_and_writes_back(tripletex, tripletex_connection):
    company = tripletex.seeded["companies"][0]
    creditor = active_creditor(tripletex_connection(0))
    creditor.default_decision = "close"
    creditor.save(update_fields=["default_decision"])
    creditor_sync(creditor=creditor, today=TT_TODAY)
    invoice = Invoice.objects.filter(creditor=creditor).order_by("due_date", "pk").first()
    case = invoice.case
    assert latest_shown(tripletex, company["id"], invoice.erp_voucher_id) == (
        case.number,
        {CaseStatus.ONGOING},
    )

    # Letter by letter up to the decision request, then past its deadline without an answer.
    day = TT_TODAY
    for _ in range(10):
        batch_on(day)
        case.refresh_from_db()
        if case.status == Case.Status.CLOSED:
            break
        day = case.next_action_on
    else:
        pytest.fail(f"the case never closed (stage {case.stage}, status {case.status})")

    decision = DecisionRequest.objects.get(case=case)
    assert decision.answer == "close" and day > decision.deadline
    assert case.outcome == Case.Outcome.CLOSED_UNPAID
    assert case.closed_at is not None
    assert case.next_action_on is None
    closed = CaseEvent.objects.get(case=case, kind="closed")
    assert closed.data == {"outcome": "closed_unpaid", "note": "", "why": "default_applied"}
    assert "default applies" in closed.message
    # The ERP now shows the collection as done on the invoice's voucher, with our case number.
    number, meaning = latest_shown(tripletex, company["id"], invoice.erp_voucher_id)
    assert number == case.number and CaseStatus.CLOSED_UNPAID in meaning
    assert CaseStatus.ONGOING not in meaning


@pytest.mark.django_db
def test_a_creditor_closing_by_answer_uses_the_same_path(make_creditor, make_case, make_user):
    from cases.services import decision_answer
    from collection.advance import case_advance

    creditor = make_creditor(country="SE", default_decision="surveillance")
    case = make_case(creditor, due=dt.date(2026, 9, 1), today=dt.date(2026, 9, 10))
    day = dt.date(2026, 9, 10)
    while case.stage != Case.Stage.DECISION:
        assert case_advance(case_id=case.pk, today=day) is not None
        case.refresh_from_db()
        day = case.next_action_on or day
    decision_answer(case=case, option="close", today=day, actor=make_user(creditor))
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Case.Status.CLOSED, Case.Outcome.CLOSED_UNPAID)
    assert case.closed_at is not None
    assert CaseEvent.objects.filter(case=case, kind="closed").count() == 1
