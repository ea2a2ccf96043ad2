"""A user's action on one case (cases.actions: pause, resume, withdraw, write off, decide); when the
action closed the case, what was paid is settled and the ERP told."""

from django.db import transaction

from cases import actions
from cases.models import Case
from collection.closing import cases_closed


def case_act(*, case: Case, verb: str, actor, data) -> Case:
    """Run the action (the caller has checked its permission); a close is written back after
    commit. Raises InvalidTransition or ValueError as cases.actions.case_act does."""
    was_closed = case.status == Case.Status.CLOSED
    with transaction.atomic():
        case = actions.case_act(case=case, verb=verb, actor=actor, data=data)
        if case.status == Case.Status.CLOSED and not was_closed:
            # What was paid so far is settled for good (a write-off books the loss).
            cases_closed([case.pk])
    return case
