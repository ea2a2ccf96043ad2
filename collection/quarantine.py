"""ERP records a sync could not read or store: kept with the reason (for support in the admin and
for the creditor in the portal) so that the rest of the run goes through, and released when a
later run reads and stores them fine."""

import logging

from django.utils import timezone

from collection.models import QuarantinedRecord, SyncRun
from creditors.models import Creditor

logger = logging.getLogger("integrations.sync")
PAYLOAD_LIMIT = 20_000


def quarantine_record(
    *,
    creditor: Creditor,
    run: SyncRun | None,
    kind: str,
    erp_id: str,
    reason: str,
    payload: str = "",
    case=None,
) -> QuarantinedRecord:
    """Record (or, seen again, refresh) the open quarantine row of one ERP record."""
    logger.warning("sync of %s: %s %s quarantined: %s", creditor, kind, erp_id, reason)
    now = timezone.now()
    values = {
        "sync_run": run,
        "reason": reason,
        "payload": payload[:PAYLOAD_LIMIT],
        "last_seen_at": now,
    }
    if case is not None:
        values["case"] = case
    row = (
        QuarantinedRecord.objects.for_creditor(creditor)
        .filter(kind=kind, erp_id=erp_id, resolved_at=None)
        .first()
    )
    if row is None:
        return QuarantinedRecord.objects.create(
            creditor=creditor, kind=kind, erp_id=erp_id, **values
        )
    for name, value in values.items():
        setattr(row, name, value)
    row.save(update_fields=list(values))
    return row


def quarantine_release(*, creditor: Creditor, kind: str, erp_ids: set[str]) -> int:
    """Close the open rows of records that were read and stored fine; returns how many."""
    open_ids = {
        pk: erp_id
        for pk, erp_id in QuarantinedRecord.objects.for_creditor(creditor)
        .filter(kind=kind, resolved_at=None)
        .values_list("pk", "erp_id")
    }
    done = [pk for pk, erp_id in open_ids.items() if erp_id in erp_ids]
    if not done:
        return 0
    return QuarantinedRecord.objects.filter(pk__in=done).update(resolved_at=timezone.now())
