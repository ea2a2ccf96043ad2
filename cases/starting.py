"""Where a case handed over by an accounting program starts: the type of its assignment says
(Visma's "Betalningspåminnelse", "Inkassokrav", "Kronofogden", "Bevakning"). A reminder starts at
the country's first letter; a collection demand at the first collection letter (Norway's
inkassovarsel, which must come before a betalingsoppfordring; else the demand); enforcement and
surveillance skip the letters: the creditor has pressed the claim itself already."""

import datetime as dt
from enum import StrEnum

from django.db import transaction
from django.utils import translation

from cases import engine
from cases.lifecycle import (
    HANDOVER,
    LETTER_STAGES,
    STAGE_PLAN,
    InvalidTransition,
    handover_move,
)
from cases.models import Case
from cases.rules import country_rules
from cases.services import event_add, locked

S = Case.Stage


class StartType(StrEnum):
    REMINDER = "reminder"
    DEMAND = "demand"
    ENFORCEMENT = "enforcement"
    SURVEILLANCE = "surveillance"


def start_stage(kind: str, country: str) -> str:
    """The stage a case of this assignment type starts at in this country."""
    plan = STAGE_PLAN[country]
    match StartType(kind):
        case StartType.REMINDER:
            return plan[0]
        case StartType.DEMAND:
            return S.NOTICE if S.NOTICE in plan else S.DEMAND
        case StartType.ENFORCEMENT:
            return S.ENFORCEMENT
        case StartType.SURVEILLANCE:
            return S.SURVEILLANCE


@transaction.atomic
def case_start_at(*, case: Case, stage: str, today: dt.date, actor=None) -> Case:
    """Have a case that was just opened (stage new) start at `stage`. A letter stage is entered
    by the next advance, as a plan's first stage is (fees, letter, legal waiting times apply);
    enforcement (with its application prepared) and surveillance are entered now."""
    case = locked(case)
    if case.stage != S.NEW or case.status != Case.Status.OPEN:
        raise InvalidTransition(f"case {case.number} has started already")
    plan = STAGE_PLAN[case.country]
    if stage in LETTER_STAGES and stage in plan:
        case.start_stage = "" if stage == plan[0] else stage
        case.save(update_fields=["start_stage"])
        with translation.override("en"):  # the stored text; the page renders data["stage"]
            text = f"Starts at {Case.Stage(stage).label}"
        event_add(case, "start_stage", text, actor=actor, stage=stage)
        return case
    if stage not in HANDOVER:
        raise InvalidTransition(f"a case in {case.country} cannot start at {stage}")
    facts = engine.load_facts([case])[0]
    rules = country_rules(case.country)
    claim = facts.claim()
    w = engine.Writes()
    w.entries += engine.interest_entries(facts, rules, claim, today)  # as a decision books it
    w.events.append(
        handover_move(
            case,
            stage,
            on=today,
            actor=actor,
            message="Handed over at this stage",
            data={"why": "handover"},
        )
    )
    case.next_action_on = None
    if stage == S.ENFORCEMENT:
        w.enforcement.append(engine.enforcement_application(facts, rules, claim, today))
    w.cases.append(case)
    engine.write(w)
    return case
