"""Thin tasks: take ids, call services, retry only what may succeed later."""

from celery import shared_task

from cases import engine
from cases.plans import payment_plans_check
from integrations.errors import ErpError
from integrations.services import case_reference_write


@shared_task(name="cases.advance_due_cases")
def advance_due_cases() -> int:
    """Advance every due case (in batches, each locked so that parallel runs share the work),
    and resume cases whose payment plan was broken."""
    payment_plans_check()
    total = 0
    while taken := engine.advance_due_batch():
        total += taken
    return total


@shared_task(
    name="cases.write_case_reference",
    bind=True,
    max_retries=5,
    default_retry_delay=60,
)
def write_case_reference(self, case_id: int) -> None:
    try:
        case_reference_write(case_id=case_id)
    except ErpError as exc:
        if exc.retryable and not self.request.is_eager:
            raise self.retry(exc=exc, countdown=getattr(exc, "retry_after", None) or 60) from exc
        raise
