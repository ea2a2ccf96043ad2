"""Thin tasks: take ids, call services, retry only what may succeed later."""

from celery import shared_task

from cases import selectors, services
from integrations.errors import ErpError
from integrations.services import case_reference_write


@shared_task(name="cases.advance_due_cases")
def advance_due_cases() -> int:
    """Advance every case whose next action is due in its creditor's local date."""
    advanced = 0
    for case_id, today in selectors.due_case_ids():
        advanced += services.case_advance(case_id=case_id, today=today) is not None
    return advanced


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
