"""The actions a user takes on one case, as the portal and the API offer them: the permission
each needs (creditors.permissions) and the service that does it. One table for both surfaces, so
neither can offer an action without its check."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from cases.models import Case
from cases.services import (
    PAUSE_REASONS,
    case_pause,
    case_resume,
    case_withdraw,
    case_write_off,
    decision_answer,
)
from creditors.permissions import Action
from nordic.calendar import local_today


@dataclass(frozen=True)
class CaseAction:
    permission: Action
    # (case, actor, today, data) -> the case after the service; data: the posted fields
    run: Callable[[Case, object, dt.date, dict], Case]
    done: str


def _pause(case, actor, today, data):
    reason = data.get("reason") or "creditor_hold"
    if reason not in PAUSE_REASONS:
        raise ValueError(f"unknown pause reason {reason!r} ({', '.join(PAUSE_REASONS)})")
    return case_pause(case=case, reason=reason, actor=actor, note=data.get("note", ""))


def _resume(case, actor, today, data):
    return case_resume(case=case, today=today, actor=actor, note=data.get("note", ""))


def _withdraw(case, actor, today, data):
    return case_withdraw(case=case, today=today, actor=actor, note=data.get("note", ""))


def _write_off(case, actor, today, data):
    return case_write_off(case=case, today=today, actor=actor, note=data.get("note", ""))


def _decide(case, actor, today, data):
    return decision_answer(case=case, option=data.get("option", ""), today=today, actor=actor)


CASE_ACTIONS: dict[str, CaseAction] = {
    "pause": CaseAction(Action.PAUSE, _pause, "Case paused."),
    "resume": CaseAction(Action.PAUSE, _resume, "Case resumed."),
    "withdraw": CaseAction(Action.WITHDRAW, _withdraw, "Case withdrawn."),
    "write-off": CaseAction(Action.WRITE_OFF, _write_off, "Case written off."),
    "decide": CaseAction(Action.DECIDE, _decide, "Decision recorded."),
}


def case_act(*, case: Case, verb: str, actor, data) -> Case:
    """Run the action; the caller has checked `CASE_ACTIONS[verb].permission`.
    Raises InvalidTransition (not possible in the case's state) or ValueError (bad input)."""
    today = local_today(case.creditor.time_zone)
    return CASE_ACTIONS[verb].run(case, actor, today, data)
