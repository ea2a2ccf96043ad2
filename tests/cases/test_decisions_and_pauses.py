"""Creditor decisions, enforcement applications, pauses, withdrawals and payment plans."""

import datetime as dt
from decimal import Decimal

import pytest

from cases import ledger
from cases.lifecycle import InvalidTransition
from cases.models import Case, DecisionRequest, EnforcementApplication, Payment, PaymentPlan
from cases.plans import payment_plan_create, payment_plans_check
from cases.services import (
    case_pause,
    case_resume,
    case_withdraw,
    decision_answer,
)
from collection.advance import case_advance
from collection.payments import payment_register
from letters.models import Letter

pytestmark = pytest.mark.django_db
D = Decimal


def run_to(case, stage, day):
    while case.stage != stage:
        assert case_advance(case_id=case.pk, today=day) is not None
        case.refresh_from_db()
        day = case.next_action_on or day
    return day


@pytest.fixture
def swedish_case(make_creditor, make_case):
    creditor = make_creditor(
        country="SE", reminder_fee_agreed=True, default_decision="surveillance"
    )
    return make_case(
        creditor,
        amount=D("5000.00"),
        due=dt.date(2026, 9, 1),
        today=dt.date(2026, 9, 10),
        kind="consumer",
    )


def test_decision_request_with_deadline_options_and_default(swedish_case):
    run_to(swedish_case, "decision", dt.date(2026, 9, 10))
    decision = DecisionRequest.objects.get(case=swedish_case)
    assert decision.options == ["enforcement", "surveillance", "close"]
    assert decision.default_option == "surveillance"
    assert decision.deadline >= decision.requested_on + dt.timedelta(days=14)
    # Nothing happens before the deadline passes.
    assert case_advance(case_id=swedish_case.pk, today=decision.deadline) is None
    assert (
        case_advance(case_id=swedish_case.pk, today=decision.deadline + dt.timedelta(days=1))
        == "surveillance"
    )
    decision.refresh_from_db()
    assert decision.answer == "surveillance"


def test_enforcement_produces_the_application_for_kronofogden(swedish_case, make_user):
    day = run_to(swedish_case, "decision", dt.date(2026, 9, 10))
    user = make_user(swedish_case.creditor)
    decision_answer(case=swedish_case, option="enforcement", today=day, actor=user)
    swedish_case.refresh_from_db()
    assert swedish_case.stage == Case.Stage.ENFORCEMENT
    application = EnforcementApplication.objects.get(case=swedish_case)
    balances = ledger.balances(swedish_case)
    assert application.authority.startswith("Kronofogdemyndigheten")
    assert application.capital == D("5000.00")
    assert application.fees == balances["fee"] == D("240.00")  # 60 + 180
    assert application.interest == balances["interest"] > 0
    assert application.interest_from == dt.date(2026, 9, 2)
    assert application.interest_rate == D("10.00")  # SE 2026 H1 row still in force
    assert application.application_fee == D("300.00")  # förordning 1992:1094, SE-L3
    with pytest.raises(InvalidTransition):
        decision_answer(case=swedish_case, option="close", today=day, actor=user)


def test_an_option_not_offered_is_refused(swedish_case, make_user):
    day = run_to(swedish_case, "decision", dt.date(2026, 9, 10))
    with pytest.raises(InvalidTransition, match="not an option"):
        decision_answer(
            case=swedish_case, option="sell", today=day, actor=make_user(swedish_case.creditor)
        )


def test_disputed_case_sends_nothing_until_resumed(swedish_case):
    case_pause(case=swedish_case, reason="disputed", note="Debtor says the work was not done")
    assert case_advance(case_id=swedish_case.pk, today=dt.date(2026, 9, 30)) is None
    assert not Letter.objects.filter(case=swedish_case).exists()
    case_resume(case=swedish_case, today=dt.date(2026, 10, 5))
    assert case_advance(case_id=swedish_case.pk, today=dt.date(2026, 10, 5)) == "reminder"


def test_withdrawn_case_is_closed_and_its_fees_cancelled(swedish_case):
    case_advance(case_id=swedish_case.pk, today=dt.date(2026, 9, 10))
    case_withdraw(case=swedish_case, today=dt.date(2026, 9, 12))
    swedish_case.refresh_from_db()
    assert swedish_case.outcome == Case.Outcome.WITHDRAWN
    assert ledger.balances(swedish_case)["fee"] == D("0.00")
    assert ledger.balances(swedish_case)["capital"] == D("5000.00")  # the creditor's claim


def test_payment_plan_pauses_charges_the_swedish_fee_and_a_missed_instalment_resumes(
    swedish_case,
):
    day = dt.date(2026, 9, 10)
    case_advance(case_id=swedish_case.pk, today=day)
    plan = payment_plan_create(
        case=swedish_case, instalments=3, first_due=dt.date(2026, 10, 1), today=day
    )
    swedish_case.refresh_from_db()
    assert (swedish_case.status, swedish_case.pause_reason) == ("paused", "payment_plan")
    # lag 1981:739 4 §: 170 kr for an amortisation plan.
    assert ledger.balances(swedish_case)["fee"] == D("230.00")
    assert sum(i.amount for i in plan.instalments.all()) == ledger.outstanding(swedish_case)
    first = plan.instalments.first()
    payment_register(
        case=swedish_case,
        source=Payment.Source.COLLECTOR,
        external_id="i1",
        amount=first.amount,
        paid_on=dt.date(2026, 10, 1),
    )
    in_time = dt.datetime(2026, 10, 31, 12, tzinfo=dt.UTC)  # second instalment not yet late
    assert payment_plans_check(now=in_time) == 0
    late = dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC)  # 2nd due 10-31, 5 grace days passed
    assert payment_plans_check(now=late) == 1
    plan.refresh_from_db()
    swedish_case.refresh_from_db()
    assert plan.status == PaymentPlan.Status.BROKEN
    assert swedish_case.status == Case.Status.OPEN
    assert swedish_case.next_action_on <= dt.date(2026, 11, 10)


def test_creditor_decides_in_the_portal_and_another_tenant_cannot(
    swedish_case, make_user, make_creditor, client
):
    run_to(swedish_case, "decision", dt.date(2026, 9, 10))
    client.force_login(make_user(make_creditor()))  # a user of another creditor
    url = f"/c/{swedish_case.creditor_id}/cases/{swedish_case.number}/decide/"
    assert client.post(url, {"option": "enforcement"}).status_code == 404
    client.force_login(make_user(swedish_case.creditor, role="admin"))
    page = client.get(f"/c/{swedish_case.creditor_id}/cases/{swedish_case.number}/")
    assert "Your decision is needed" in page.content.decode()
    response = client.post(url, {"option": "enforcement"})
    assert response.status_code == 302
    swedish_case.refresh_from_db()
    assert swedish_case.stage == "enforcement"
    assert EnforcementApplication.objects.filter(case=swedish_case).exists()
