"""The one way a case is closed, for one case (cases.services.case_close) or a batch of them (the
engine's default decisions): status, outcome and closed_at set and the "closed" event recorded.
Nothing else sets Case.Status.CLOSED. Telling the ERP is the layer above's: every caller in
collection/ that can close a case writes it back after commit (collection.writeback)."""

from django.utils import timezone

from cases.models import Case, CaseEvent

FIELDS = ["status", "outcome", "next_action_on", "closed_at"]


def close(
    case: Case, *, outcome: str, message: str = "", actor=None, note: str = "", why: str = ""
) -> CaseEvent | None:
    """Apply the close on the instance (the caller holds its lock and saves it); return the
    unsaved event that records it, or None when the case is closed already. `message` is the
    stored English text; `note` (a person's words) and `why` (cases.describe.WHY) are data."""
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
        data={"outcome": outcome, "note": note, "why": why},
    )
