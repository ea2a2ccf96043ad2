"""The one way a case is closed, for one case (cases.services.case_close) or a batch of them (the
engine's default decisions): status, outcome and closed_at set, the "closed" event recorded, and
the ERP told after commit. A close that skips any of these leaves a case the creditor's ERP still
shows as ongoing, so nothing else sets Case.Status.CLOSED."""

from django.db import transaction
from django.utils import timezone

from cases.models import Case, CaseEvent

FIELDS = ["status", "outcome", "next_action_on", "closed_at"]


def close(case: Case, *, outcome: str, message: str = "", actor=None) -> CaseEvent | None:
    """Apply the close on the instance (the caller holds its lock and saves it); return the
    unsaved event that records it, or None when the case is closed already."""
    if case.status == Case.Status.CLOSED:
        return None
    case.status, case.outcome = Case.Status.CLOSED, outcome
    case.next_action_on = None
    case.closed_at = timezone.now()
    return CaseEvent(
        creditor_id=case.creditor_id,
        case=case,
        kind="closed",
        message=message or f"Case closed: {outcome}",
        actor=actor,
        data={"outcome": outcome},
    )


def write_back_after_commit(case_ids: list[int]) -> None:
    """Show the closed status on the cases' invoices in the ERP once the close is committed."""
    if not case_ids:
        return
    from cases import tasks

    for case_id in case_ids:
        # robust: an ERP that is down must not fail the committed close; the task retries.
        transaction.on_commit(
            lambda case_id=case_id: tasks.write_case_reference.delay(case_id), robust=True
        )
