"""Payment plans: the debtor pays in instalments while the case rests; a missed instalment
(past its grace days) breaks the plan and collection resumes where it stood."""

import datetime as dt
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.db.models import Sum

from cases import ledger
from cases.models import Case, LedgerEntry, Payment, PaymentPlan, PlanInstalment
from cases.rules import RuleBook
from cases.services import case_pause, case_resume, event_add, locked
from nordic.calendar import local_today

C = LedgerEntry.Component
CENT = Decimal("0.01")


@transaction.atomic
def payment_plan_create(
    *,
    case: Case,
    instalments: int,
    first_due: dt.date,
    interval_days: int = 30,
    today: dt.date,
    actor=None,
) -> PaymentPlan:
    """Split what is owed into equal instalments (the last takes the cents). In Sweden an
    amortisation plan may carry its own fee (lag 1981:739 4 §, 170 kr), added before the split."""
    if instalments < 1:
        raise ValueError("a plan needs at least one instalment")
    case = locked(case)
    if case.status != Case.Status.OPEN:
        raise ValueError(f"case {case.number} is {case.status}")
    fee = RuleBook.load().value(
        country=case.country,
        rule="fee.payment_plan",
        on=today,
        debtor_kind=case.debtor.kind,
        default=Decimal(0),
    )
    key = f"fee:payment_plan:{today.isoformat()}"
    if (
        fee > 0
        and case.debtor.kind == "consumer"
        and not LedgerEntry.objects.filter(case=case, key=key).exists()
    ):
        ledger.entries_post(
            [
                LedgerEntry(
                    creditor_id=case.creditor_id,
                    case=case,
                    key=key,
                    kind=LedgerEntry.Kind.CHARGE,
                    component=C.FEE,
                    amount=fee,
                    booked_on=today,
                    description="payment plan fee",
                    params={"what": "fee", "fee": "payment_plan"},
                )
            ]
        )
    total = ledger.outstanding(case)
    plan = PaymentPlan.objects.create(creditor_id=case.creditor_id, case=case, created_on=today)
    each = (total / instalments).quantize(CENT, rounding=ROUND_DOWN)
    rows = [
        PlanInstalment(
            plan=plan,
            due_on=first_due + dt.timedelta(days=interval_days * i),
            amount=each if i < instalments - 1 else total - each * (instalments - 1),
        )
        for i in range(instalments)
    ]
    PlanInstalment.objects.bulk_create(rows)
    event_add(
        case,
        "payment_plan",
        f"Payment plan: {instalments} instalments of about {each}",
        actor=actor,
        plan=plan.pk,
        total=str(total),
        instalments=instalments,
        each=str(each),
        currency=case.currency,
    )
    case_pause(case=case, reason="payment_plan", actor=actor)
    return plan


def payment_plans_check(*, now: dt.datetime | None = None) -> int:
    """Break plans with a missed instalment and resume their cases; complete paid-up plans."""
    broken = 0
    for plan in PaymentPlan.objects.filter(status=PaymentPlan.Status.ACTIVE).select_related(
        "case__creditor"
    ):
        today = local_today(plan.case.creditor.time_zone, now)
        broken += plan_check(plan=plan, today=today)
    return broken


@transaction.atomic
def plan_check(*, plan: PaymentPlan, today: dt.date) -> bool:
    case = locked(plan.case)
    if case.status == Case.Status.CLOSED:
        plan.status = PaymentPlan.Status.COMPLETED
        plan.save(update_fields=["status"])
        return False
    paid = Payment.objects.filter(case=case, paid_on__gte=plan.created_on).aggregate(
        t=Sum("amount")
    )["t"] or Decimal(0)
    late = today - dt.timedelta(days=plan.grace_days)
    due = plan.instalments.filter(due_on__lt=late).aggregate(t=Sum("amount"))["t"] or Decimal(0)
    if paid >= due:
        return False
    plan.status = PaymentPlan.Status.BROKEN
    plan.save(update_fields=["status"])
    event_add(
        case,
        "payment_plan_broken",
        f"Instalments of {due} were due, {paid} paid: collection resumes",
        plan=plan.pk,
        due=str(due),
        paid=str(paid),
        currency=case.currency,
    )
    if case.status == Case.Status.PAUSED and case.pause_reason == "payment_plan":
        case_resume(case=case, today=today, why="plan_broken")
    return True
