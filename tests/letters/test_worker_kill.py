"""A Celery worker killed while it renders letters loses none: a new worker gets the messages
again (late acks; the broker's visibility timeout redelivers what the dead worker held) and
every letter is rendered once. On the real stack (PostgreSQL + Redis) like
tests/test_celery_worker.py; skipped on the embedded default, which has no broker."""

import datetime as dt
import hashlib
import os
import signal
from pathlib import Path

import pytest

from collection.advance import case_advance
from letters.models import Letter
from letters.tasks import render_letters
from tests.celery_workers import ON_THE_REAL_STACK, celery_workers, wait_for

LETTERS = 48  # ~4 s of rendering for two worker processes (~6 letters/s each)
PER_TASK = 12
TODAY = dt.date(2026, 11, 2)
VISIBILITY_TIMEOUT = 5  # seconds; production keeps the default hour

pytestmark = ON_THE_REAL_STACK


@pytest.fixture
def workers(settings):
    """Start `celery worker` processes on a queue of their own (killing one kills its pool
    processes too), redelivering a dead worker's messages after VISIBILITY_TIMEOUT."""
    with celery_workers(
        settings.MEDIA_ROOT,
        queue_prefix="test-kill",
        env={"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)},
        options=["--without-heartbeat"],
    ) as start:
        yield start


def sent() -> dict[int, tuple[str, str, dt.datetime]]:
    return {
        pk: (name, sha, at)
        for pk, name, sha, at in Letter.objects.filter(status=Letter.Status.SENT).values_list(
            "pk", "file", "sha256", "rendered_at"
        )
    }


def test_a_killed_worker_loses_no_letter_and_renders_none_twice(
    workers, make_creditor, make_case, settings
):
    creditor = make_creditor()
    for _ in range(LETTERS):
        case = make_case(creditor)
        assert case_advance(case_id=case.pk, today=TODAY, render=False) == "reminder"
    ids = list(Letter.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) == LETTERS
    for start in range(0, LETTERS, PER_TASK):
        render_letters.delay(ids[start : start + PER_TASK])

    first = workers()
    wait_for(lambda: len(sent()) >= 6, "the first worker's first letters", timeout=120)
    os.killpg(first.pid, signal.SIGKILL)  # mid-render: no warm shutdown, no acks
    first.wait(timeout=30)
    before_kill = sent()
    assert len(before_kill) < LETTERS, "all rendered before the kill: raise LETTERS"

    workers()
    # Queued messages go at once; the dead worker's unacknowledged ones after the broker's
    # visibility timeout (checked every few seconds).
    wait_for(lambda: len(sent()) == LETTERS, "every letter rendered", timeout=120)
    after = sent()
    # What the first worker finished is untouched: same file, same hash, same time.
    assert {pk: after[pk] for pk in before_kill} == before_kill
    letters = list(Letter.objects.all())
    assert {x.render_attempts for x in letters} == {1}
    assert all(x.last_error == "" for x in letters)
    for letter in letters:
        with letter.file.open("rb") as fh:
            assert hashlib.sha256(fh.read()).hexdigest() == letter.sha256
    # One file per letter: a render cut off by the kill left no second copy behind.
    files = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert sorted(str(p.relative_to(settings.MEDIA_ROOT)) for p in files) == sorted(
        x.file.name for x in letters
    )
