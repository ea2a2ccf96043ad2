from celery import shared_task

from creditors.models import Creditor
from integrations.errors import ErpError
from integrations.services import creditor_sync, creditors_due_for_sync


@shared_task(name="integrations.sync_due_creditors")
def sync_due_creditors() -> int:
    count = 0
    for creditor in creditors_due_for_sync():
        sync_creditor.delay(creditor.pk)
        count += 1
    return count


@shared_task(name="integrations.sync_creditor", bind=True, max_retries=3, default_retry_delay=300)
def sync_creditor(self, creditor_id: int) -> None:
    creditor = Creditor.objects.get(pk=creditor_id)
    try:
        creditor_sync(creditor=creditor)
    except ErpError as exc:
        # The failure is on the SyncRun and the creditor's page either way.
        if exc.retryable and not self.request.is_eager:
            raise self.retry(exc=exc, countdown=getattr(exc, "retry_after", None) or 300) from exc
