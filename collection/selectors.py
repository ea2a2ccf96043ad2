"""Reads on sync data, always scoped by an explicit creditor."""

from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from cases.models import Case, DecisionRequest, Payment
from collection.models import Assignment, QuarantinedRecord, SyncRun
from creditors.models import Creditor
from settlements.models import Payout, Settlement


def quarantine_open(*, creditor: Creditor) -> QuerySet[QuarantinedRecord]:
    """The creditor's ERP records that wait for a fix, newest first (the portal shows them)."""
    return (
        QuarantinedRecord.objects.for_creditor(creditor)
        .filter(resolved_at=None)
        .select_related("case")
        .order_by("-last_seen_at", "-pk")
    )


def last_sync(*, creditor: Creditor) -> SyncRun | None:
    return SyncRun.objects.for_creditor(creditor).exclude(status=SyncRun.Status.RUNNING).first()


def sync_runs(*, creditor: Creditor) -> QuerySet[SyncRun]:
    """The creditor's import runs, newest first, with what each left out and why."""
    return SyncRun.objects.for_creditor(creditor)


def assignments(*, creditor: Creditor, state: str = "") -> QuerySet[Assignment]:
    """The creditor's assignments, newest first; state "ongoing" (its case not closed) or
    "completed" (closed)."""
    qs = Assignment.objects.for_creditor(creditor).select_related("case", "case__debtor")
    if state == "ongoing":
        qs = qs.exclude(case__status=Case.Status.CLOSED)
    elif state == "completed":
        qs = qs.filter(case__status=Case.Status.CLOSED)
    return qs


def assignment_get(*, creditor: Creditor, pk: int | None = None, key: str | None = None):
    """One of the creditor's assignments, by its id or by its idempotency key (DoesNotExist for
    another creditor's)."""
    lookup = {"pk": pk} if pk is not None else {"idempotency_key": key}
    return assignments(creditor=creditor).get(**lookup)


def payments(
    *, creditor: Creditor, case: Case | None = None, assigned: bool = False, after: int = 0
) -> QuerySet[Payment]:
    """The creditor's payments in id order (a client books them up to the last id it saw:
    `after`); `assigned`: only those on cases of assignments (what the program books)."""
    qs = Payment.objects.for_creditor(creditor).select_related("case").order_by("pk")
    if case is not None:
        qs = qs.filter(case=case)
    if assigned:
        qs = qs.filter(case__assignment__isnull=False)
    return qs.filter(pk__gt=after) if after else qs


def settlements(
    *, creditor: Creditor, case: Case | None = None, assigned: bool = False, after: int = 0
) -> QuerySet[Settlement]:
    qs = (
        Settlement.objects.for_creditor(creditor)
        .select_related("case")
        .prefetch_related("lines__invoice")
        .order_by("pk")
    )
    if case is not None:
        qs = qs.filter(case=case)
    if assigned:
        qs = qs.filter(case__assignment__isnull=False)
    return qs.filter(pk__gt=after) if after else qs


def payouts(*, creditor: Creditor) -> QuerySet[Payout]:
    """The creditor's payouts, newest first, each with how many settlements it pays."""
    return (
        Payout.objects.for_creditor(creditor)
        .annotate(settlement_count=Count("settlements"))
        .order_by("-pk")
    )


def settlements_waiting(*, creditor: Creditor) -> dict:
    """What waits for the next payout (or to be netted), by currency."""
    rows = (
        Settlement.objects.for_creditor(creditor)
        .filter(status=Settlement.Status.PENDING)
        .values("currency")
        .annotate(amount=Sum("to_creditor"), count=Count("pk"))
        .order_by("currency")
    )
    return {r["currency"]: (r["amount"].quantize(Decimal("0.01")), r["count"]) for r in rows}


def payout_get(*, creditor: Creditor, payout_id: int) -> Payout:
    return Payout.objects.for_creditor(creditor).get(pk=payout_id)


def case_decisions(*, creditor: Creditor, case: Case) -> QuerySet[DecisionRequest]:
    return DecisionRequest.objects.for_creditor(creditor).filter(case=case).order_by("pk")
