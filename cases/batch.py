"""The batch around the engine's planner: lock a time zone's due cases (SKIP LOCKED on
PostgreSQL, so two workers never take the same case), plan and write each one's step, and record
a case that failed. Runs in the caller's transaction (collection.advance), which writes the
planned letters too and holds the locks until then."""

import datetime as dt
import gc
import logging
from collections.abc import Iterable
from contextlib import contextmanager

from cases import engine
from cases.models import Case, CaseEvent
from cases.rules import RuleBook, country_rules
from creditors.models import Creditor

logger = logging.getLogger("autocollect.cases")


def active_zones() -> Iterable[str]:
    """The time zones of active creditors: each is advanced on its own local day."""
    return (
        Creditor.objects.filter(status=Creditor.Status.ACTIVE)
        .values_list("time_zone", flat=True)
        .distinct()
    )


def advance_zone(
    zone: str, today: dt.date, limit: int, book: RuleBook
) -> tuple[int, engine.Writes]:
    """One batch of the zone's due cases: locked, planned and written; returns how many it took
    and what it wrote. Runs inside the caller's transaction, which holds the cases' locks until
    the caller has written the batch's letters too (select_for_update refuses to run outside)."""
    # Lock ids only, then read the cases: sorted with their debtors, rows spilled to disk.
    ids = list(
        Case.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            status=Case.Status.OPEN,
            next_action_on__lte=today,
            creditor__time_zone=zone,
            creditor__status=Creditor.Status.ACTIVE,
        )
        .order_by("next_action_on", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return 0, engine.Writes()
    cases = list(
        Case.objects.filter(pk__in=ids).select_related("debtor").order_by("next_action_on", "pk")
    )
    creditors = Creditor.objects.in_bulk({c.creditor_id for c in cases})
    rules = {country: country_rules(country, book) for country in {c.country for c in cases}}
    w, failed = engine.Writes(), []
    for facts in engine.load_facts(cases):
        facts.case.creditor = creditors[facts.case.creditor_id]  # shared, loaded once
        mark = w.mark()
        try:
            engine.plan_step(facts, rules[facts.case.country], today, w)
        except Exception as exc:  # one bad case must not hold back the batch, every tick
            logger.exception("case %s could not advance", facts.case.number)
            w.rollback(mark)
            failed.append((facts.case, exc))
    engine.write(w)
    _record_failures(failed, today)
    return len(cases), w


def _record_failures(failed, today: dt.date) -> None:
    """Leave each failed case as it was, retry it tomorrow, and tell support in its history."""
    if not failed:
        return
    Case.objects.filter(pk__in=[c.pk for c, _ in failed]).update(
        next_action_on=today + dt.timedelta(days=1)
    )
    CaseEvent.objects.bulk_create(
        CaseEvent(
            creditor_id=c.creditor_id,
            case_id=c.pk,
            kind="advance_failed",
            message=f"The next step failed and is retried tomorrow: {exc}",
            data={"error": str(exc)},
        )
        for c, exc in failed
    )


@contextmanager
def gc_paused():
    """No cyclic GC during a batch: its objects live to the end of it, yet every collection
    walked them (and all of Django) again. It runs as usual between batches."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def advance_case(*, case_id: int, today: dt.date) -> tuple[str | None, engine.Writes]:
    """The same step for one case, in the caller's transaction (collection.advance.case_advance).
    Returns the stage entered (None when nothing was due; safe to call twice) and the writes."""
    # In the caller's transaction: the lock below is held until it commits.
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("creditor", "debtor")
        .get(pk=case_id)
    )
    if case.status != Case.Status.OPEN or not case.next_action_on or case.next_action_on > today:
        return None, engine.Writes()
    w = engine.Writes()
    facts = engine.load_facts([case])[0]
    stage = engine.plan_step(facts, country_rules(case.country), today, w)
    engine.write(w)
    return stage, w
