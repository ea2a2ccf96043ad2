from celery import shared_task

from integrations.errors import ErpError
from settlements.models import Settlement
from settlements.services import POST_LEASE, settlement_post


@shared_task(name="settlements.post_settlement", bind=True, max_retries=8, default_retry_delay=120)
def post_settlement(self, settlement_id: int) -> None:
    try:
        settlement = settlement_post(settlement_id=settlement_id)
    except ErpError as exc:
        if exc.retryable and not self.request.is_eager:
            raise self.retry(exc=exc, countdown=getattr(exc, "retry_after", None) or 120) from exc
        if not self.request.is_eager:
            raise
        # In-process mode the failure is recorded on the settlement (status failed, last_error)
        # and shown to support staff; the request that caused the payment must not fail for it.
        return
    if settlement.status == Settlement.Status.POSTING and not self.request.is_eager:
        # Another attempt holds it: come back when, if its worker died, it may be taken over.
        raise self.retry(countdown=POST_LEASE.total_seconds() + 60)
