"""Advancing due cases, with their letters: the engine (cases) plans and writes each case's step,
the letters app writes the letters it planned in the same transaction, and after commit the
letters are rendered and cases the step closed are written back to the ERP."""

import datetime as dt

from django.db import transaction

from cases import batch, engine
from cases.rules import RuleBook
from collection.closing import cases_closed
from letters.services import letters_create
from letters.tasks import render_letters
from nordic.calendar import local_today


def advance_due_batch(
    *, now: dt.datetime | None = None, limit: int = 1000, render: bool = True
) -> int:
    """Take up to `limit` due cases per time zone and do each one's step; returns how many
    cases were taken. Every taken case leaves the due set for today (a new stage, a later
    next action, or closed), so calling this until it returns 0 ends."""
    book = RuleBook.load()
    taken = 0
    for zone in batch.active_zones():
        with batch.gc_paused(), transaction.atomic():
            count, writes = batch.advance_zone(zone, local_today(zone, now), limit, book)
            _deliver(writes, render)
        taken += count
    return taken


def case_advance(*, case_id: int, today: dt.date, render: bool = True) -> str | None:
    """Do the case's due step now (a creditor's action, a test, the shell). Returns the stage
    entered, or None when nothing was due; safe to call twice."""
    with transaction.atomic():
        stage, writes = batch.advance_case(case_id=case_id, today=today)
        _deliver(writes, render)
    return stage


def _deliver(writes: engine.Writes, render: bool) -> None:
    """The letters the engine planned, written now in bulk and rendered after commit; the cases
    the steps closed (a decision defaulting to "close") settled and written back to the ERP after
    commit, as a user's close is (collection.closing)."""
    letter_ids = letters_create(plans=writes.letters)
    if render and letter_ids:
        transaction.on_commit(lambda: render_letters.delay(letter_ids), robust=True)
    cases_closed([case.pk for case in writes.closed])
