from celery import shared_task

from integrations.errors import ErpError
from settlements.services import settlement_post


@shared_task(name="settlements.post_settlement", bind=True, max_retries=8, default_retry_delay=120)
def post_settlement(self, settlement_id: int) -> None:
    try:
        settlement_post(settlement_id=settlement_id)
    except ErpError as exc:
        if exc.retryable and not self.request.is_eager:
            raise self.retry(exc=exc, countdown=getattr(exc, "retry_after", None) or 120) from exc
        if not self.request.is_eager:
            raise
        # In-process mode the failure is recorded on the settlement (status failed, last_error)
        # and shown to support staff; the request that caused the payment must not fail for it.
