"""Reads on sync data, always scoped by an explicit creditor."""

from django.db.models import QuerySet

from collection.models import QuarantinedRecord, SyncRun
from creditors.models import Creditor


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
