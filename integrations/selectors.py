"""Reads on sync data, always scoped by an explicit creditor."""

from django.db.models import QuerySet

from creditors.models import Creditor
from integrations.models import QuarantinedRecord


def quarantine_open(*, creditor: Creditor) -> QuerySet[QuarantinedRecord]:
    """The creditor's ERP records that wait for a fix, newest first (the portal shows them)."""
    return (
        QuarantinedRecord.objects.for_creditor(creditor)
        .filter(resolved_at=None)
        .select_related("case")
        .order_by("-last_seen_at", "-pk")
    )
