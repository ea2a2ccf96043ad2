"""The stage machine: which stage follows which, per country, and the one way to move a case.

Every move goes through `transition`, which refuses a move the map does not allow and writes the
CaseEvent in the caller's transaction."""

from cases.models import Case, CaseEvent

S = Case.Stage

# The letter stages a case walks through before the creditor decides, per country.
STAGE_PLAN: dict[str, tuple[str, ...]] = {
    # betalningspåminnelse, inkassokrav
    "SE": (S.REMINDER, S.DEMAND, S.DECISION),
    # purring, inkassovarsel, betalingsoppfordring
    "NO": (S.REMINDER, S.NOTICE, S.DEMAND, S.DECISION),
    # maksumuistutus, maksuvaatimus (at most two with costs)
    "FI": (S.REMINDER, S.DEMAND, S.DEMAND_2, S.DECISION),
}
LETTER_STAGES = frozenset({S.REMINDER, S.NOTICE, S.DEMAND, S.DEMAND_2})

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
    """The stage that follows the case's current one in its country's plan."""
    plan = STAGE_PLAN[case.country]
    if case.stage == S.NEW:
        return plan[0]
    if case.stage in plan:
        i = plan.index(case.stage)
        return plan[i + 1] if i + 1 < len(plan) else None
    return None


def transition(case: Case, to_stage: str, *, actor=None, message: str = "", data=None) -> CaseEvent:
    """Move the case (the caller holds its row lock and the transaction) and record the move."""
    if case.status == Case.Status.CLOSED:
        raise InvalidTransition(f"case {case.number} is closed")
    allowed = ALLOWED.get(case.stage, frozenset())
    in_country = to_stage in STAGE_PLAN[case.country] or to_stage in (S.ENFORCEMENT, S.SURVEILLANCE)
    if to_stage not in allowed or not in_country:
        raise InvalidTransition(f"case {case.number}: {case.stage} -> {to_stage} is not allowed")
    from_stage = case.stage
    case.stage = to_stage
    case.save(update_fields=["stage"])
    return CaseEvent.objects.create(
        creditor_id=case.creditor_id,
        case=case,
        kind="stage",
        from_stage=from_stage,
        to_stage=to_stage,
        message=message or f"Moved to {Case.Stage(to_stage).label}",
        data=data or {},
        actor=actor,
    )
