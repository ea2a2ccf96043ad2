"""A Celery worker killed while it renders letters loses none: a new worker gets the messages
again (late acks; the broker's visibility timeout redelivers what the dead worker held) and
every letter is rendered once. A pool process killed under a live worker gives its message
back at once (reject on worker lost), and a letter that fails in the worker is retried alone
after the backoff. On the real stack (PostgreSQL + Redis) like tests/test_celery_worker.py;
skipped on the embedded default, which has no broker."""

import datetime as dt
import hashlib
import os
import signal
from pathlib import Path

import pytest

from collection.advance import case_advance
from letters.models import Letter
from letters.tasks import RETRY_BASE_SECONDS, render_letters
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


@pytest.fixture
def hour_workers(settings):
    """Workers with production's visibility timeout (an hour): nothing they hold comes back from
    the broker during a test, so whatever runs again was given back by the worker itself."""
    with celery_workers(
        settings.MEDIA_ROOT,
        queue_prefix="test-hour",
        env={"CELERY_VISIBILITY_TIMEOUT": "3600"},
        options=["--without-heartbeat"],
    ) as start:
        yield start


def pool_processes(pid: int) -> list[int]:
    """The worker's prefork pool: the processes whose parent it is."""
    children = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:  # gone meanwhile
            continue
        if stat and int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            children.append(int(entry.name))
    return children


def letters_to_render(creditor, make_case, count: int) -> list[int]:
    for _ in range(count):
        case = make_case(creditor)
        assert case_advance(case_id=case.pk, today=TODAY, render=False) == "reminder"
    return list(Letter.objects.order_by("pk").values_list("pk", flat=True))


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


def test_a_killed_pool_process_gives_its_letters_back_at_once(
    hour_workers, make_creditor, make_case, settings
):
    """The worker lives on and replaces its pool process; the killed process's message is
    requeued (reject_on_worker_lost), not acknowledged as failed and its letters lost: with
    an hour's visibility timeout nothing else could bring it back within the test."""
    ids = letters_to_render(make_creditor(), make_case, LETTERS)
    for start in range(0, LETTERS, PER_TASK):
        render_letters.delay(ids[start : start + PER_TASK])

    worker = hour_workers()
    wait_for(lambda: len(sent()) >= 6, "the worker's first letters", timeout=120)
    pool = wait_for(lambda: pool_processes(worker.pid), "the worker's pool processes")
    for pid in pool:  # both are rendering: each holds a message of 12 letters
        os.kill(pid, signal.SIGKILL)
    assert len(sent()) < LETTERS, "all rendered before the kill: raise LETTERS"

    wait_for(lambda: len(sent()) == LETTERS, "every letter rendered", timeout=120)
    assert worker.poll() is None  # the same worker did it, with new pool processes
    letters = list(Letter.objects.all())
    assert {x.render_attempts for x in letters} == {1}
    files = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert len(files) == LETTERS


def test_a_letter_that_fails_in_the_worker_is_retried_alone_after_the_backoff(
    hour_workers, make_creditor, make_case
):
    broken_id, fine_id = letters_to_render(make_creditor(), make_case, 2)
    total = Letter.objects.get(pk=broken_id).total
    # Its lines no longer add up to its total: the renderer refuses it (a ValueError).
    Letter.objects.filter(pk=broken_id).update(total=total + 1)
    render_letters.delay([broken_id, fine_id])
    hour_workers()

    # One failure does not hold the other letter of the task back.
    fine = wait_for(
        lambda: Letter.objects.filter(pk=fine_id, status=Letter.Status.SENT).first(), "the other"
    )
    failed = Letter.objects.get(pk=broken_id)
    assert failed.status == Letter.Status.PENDING and failed.render_attempts == 1
    assert "lines sum to" in failed.last_error
    Letter.objects.filter(pk=broken_id).update(total=total)  # the cause is fixed

    # The retry comes after the backoff and renders the failed letter only (no sweep runs).
    letter = wait_for(
        lambda: Letter.objects.filter(pk=broken_id, status=Letter.Status.SENT).first(),
        "the retry",
        timeout=RETRY_BASE_SECONDS + 60,
    )
    assert letter.render_attempts == 2 and letter.last_error == ""
    waited = letter.rendered_at - failed.last_attempt_at
    assert waited >= dt.timedelta(seconds=RETRY_BASE_SECONDS - 1)
    again = Letter.objects.get(pk=fine_id)
    assert (again.rendered_at, again.render_attempts) == (fine.rendered_at, 1)
