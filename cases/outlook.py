"""The steps still ahead of a case, as the engine would take them if nobody pays: each stage of
the country's plan with its earliest date, the fees it would add and the days the debtor gets.
Computed from the same country rules and dated rule rows the engine uses (cases.engine.plan_step),
never from figures of its own, so the portal promises what the engine then does."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from cases.engine import load_facts
from cases.lifecycle import LETTER_STAGES, STAGE_PLAN
from cases.models import Case
from cases.rules import country_rules
from nordic.calendar import deadline

S = Case.Stage


@dataclass(frozen=True)
class Step:
    stage: str
    earliest: dt.date  # the first day the step may be taken
    fees: tuple[Decimal, ...] = ()
    pay_by: dt.date | None = None  # letters: the debtor's deadline if sent on `earliest`
    options: tuple[str, ...] = field(default=())  # the decision: what the creditor may choose

    @property
    def label(self) -> str:
        return Case.Stage(self.stage).label

    @property
    def fee_total(self) -> Decimal:
        return sum(self.fees, Decimal("0.00"))


def steps_ahead(*, case: Case, today: dt.date) -> list[Step]:
    """The remaining stages up to and including the creditor's decision; none for a closed or
    paused case (a paused case waits for its resume), nor once the decision is asked."""
    if case.status != Case.Status.OPEN or case.stage not in (S.NEW, *STAGE_PLAN[case.country]):
        return []
    facts = load_facts([case])[0]
    if not facts.invoices:
        return []
    rules = country_rules(case.country)
    claim = facts.claim()
    plan = STAGE_PLAN[case.country]
    ahead = plan if case.stage == S.NEW else plan[plan.index(case.stage) + 1 :]
    previous, since = case.stage, case.stage_since
    on = max(today, case.next_action_on or today)  # the engine looks at the case on this day
    steps = []
    for stage in ahead:
        earliest = rules.earliest(claim, stage, on)
        if previous in LETTER_STAGES and since:
            earliest = max(earliest, since + dt.timedelta(rules.gap_after(claim, previous, on)))
        day = max(on, earliest)
        if stage in LETTER_STAGES:
            fees = tuple(
                f.amount for f in rules.fees(claim, stage, day) if f.key not in facts.fee_keys
            )
            pay_by = deadline(case.country, day, rules.days_to_pay(stage, day))
            steps.append(Step(stage, day, fees, pay_by))
            gap = rules.gap_after(claim, stage, day)
            on = max(pay_by + dt.timedelta(1), day + dt.timedelta(gap))
        else:
            decide_by = deadline(case.country, day, rules.days_to_pay(stage, day))
            steps.append(Step(stage, day, (), decide_by, tuple(rules.decision_options)))
        previous, since = stage, day
    return steps
