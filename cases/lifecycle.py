"""The stage machine: which stage follows which, per country, and the one way to move a case.

Every move goes through `move` (or `transition`, which also saves), which refuses a move the map
does not allow and produces the CaseEvent that records it."""

import datetime as dt

from django.utils import translation

from cases.models import Case, CaseEvent
from cases.rules.fi import FinnishRules
from cases.rules.no import NorwegianRules
from cases.rules.se import SwedishRules

S = Case.Stage

# The letter stages a case walks through before the creditor decides, per country (the
# country rules own them: purring/inkassovarsel/betalingsoppfordring and so on).
STAGE_PLAN: dict[str, tuple[str, ...]] = {
    rules.country: rules.plan for rules in (SwedishRules, NorwegianRules, FinnishRules)
}
LETTER_STAGES = frozenset({S.REMINDER, S.NOTICE, S.DEMAND, S.DEMAND_2})
AFTER_DECISION = (S.ENFORCEMENT, S.SURVEILLANCE)

ALLOWED: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.REMINDER, S.NOTICE, S.DEMAND}),
    S.REMINDER: frozenset({S.NOTICE, S.DEMAND}),
    S.NOTICE: frozenset({S.DEMAND}),
    S.DEMAND: frozenset({S.DEMAND_2, S.DECISION}),
    S.DEMAND_2: frozenset({S.DECISION}),
    S.DECISION: frozenset({S.ENFORCEMENT, S.SURVEILLANCE}),
    S.ENFORCEMENT: frozenset({S.SURVEILLANCE}),
    S.SURVEILLANCE: frozenset(),
}


class InvalidTransition(Exception):
    pass


def next_stage(case: Case) -> str | None:
    """The stage that follows the case's current one in its country's plan (a new case: the
    stage it was told to start at, else the plan's first)."""
    plan = STAGE_PLAN[case.country]
    if case.stage == S.NEW:
        return case.start_stage or plan[0]
    if case.stage in plan:
        i = plan.index(case.stage)
        return plan[i + 1] if i + 1 < len(plan) else None
    return None


# A case the creditor hands over past the letters (an assignment of type enforcement or
# surveillance: cases.starting) goes there from new, by handover_move only: the engine's moves
# never skip the creditor's decision.
HANDOVER = frozenset({S.ENFORCEMENT, S.SURVEILLANCE})


def move(
    case: Case, to_stage: str, *, on: dt.date, actor=None, message: str = "", data=None
) -> CaseEvent:
    """Check and apply the move on the instance; return the unsaved event that records it.
    Batch jobs save many of these at once; `transition` saves one."""
    allowed = ALLOWED.get(case.stage, frozenset())
    in_country = to_stage in STAGE_PLAN[case.country] or to_stage in AFTER_DECISION
    if to_stage not in allowed or not in_country:
        raise InvalidTransition(f"case {case.number}: {case.stage} -> {to_stage} is not allowed")
    return _moved(case, to_stage, on=on, actor=actor, message=message, data=data)


def handover_move(
    case: Case, to_stage: str, *, on: dt.date, actor=None, message="", data=None
) -> CaseEvent:
    """A new case straight to enforcement or surveillance, as the creditor handed it over."""
    if case.stage != S.NEW or to_stage not in HANDOVER:
        raise InvalidTransition(f"case {case.number}: {case.stage} -> {to_stage} is not allowed")
    return _moved(case, to_stage, on=on, actor=actor, message=message, data=data)


def _moved(case, to_stage, *, on, actor, message, data) -> CaseEvent:
    if case.status == Case.Status.CLOSED:
        raise InvalidTransition(f"case {case.number} is closed")
    from_stage = case.stage
    case.stage = to_stage
    case.stage_since = on
    return CaseEvent(
        creditor_id=case.creditor_id,
        case=case,
        kind="stage",
        from_stage=from_stage,
        to_stage=to_stage,
        message=message or _moved_to(to_stage),
        data={"note": "", **(data or {})},  # rendered by cases.describe
        actor=actor,
    )


def _moved_to(stage: str) -> str:
    with translation.override("en"):  # the history is stored text, in one language
        return f"Moved to {Case.Stage(stage).label}"


def transition(
    case: Case,
    to_stage: str,
    *,
    on: dt.date | None = None,
    actor=None,
    message: str = "",
    data=None,
) -> CaseEvent:
    """Move the case (the caller holds its row lock and the transaction) and record the move."""
    event = move(case, to_stage, on=on or dt.date.today(), actor=actor, message=message, data=data)
    case.save(update_fields=["stage", "stage_since"])
    event.save()
    return event
