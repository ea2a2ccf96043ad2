"""Real `celery worker` processes for the tests on the real stack (PostgreSQL + Redis), on a
queue of their own and on the test's database and media folder; skipped on the embedded default
(SQLite, eager tasks), which has no broker to test."""

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]

ON_THE_REAL_STACK = [
    pytest.mark.celery_worker,
    # Flushed tables get the migrations' rule tables back (Django's serialized rollback).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"),
        reason="needs a Redis broker and PostgreSQL (.ci/run runs this on the real stack)",
    ),
]


def wait_for(predicate, what: str, timeout: float = 60.0):
    """The predicate's first true value, polled until `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@contextmanager
def celery_workers(media_root, *, queue_prefix: str, env=None, options=()):
    """A function that starts one more worker on this queue. Each worker runs in its own
    process group, so that killing one kills its pool processes too (as a container's OOM kill
    does); on the way out every worker still running is stopped (SIGTERM to its group)."""
    from autocollect.celery import app

    assert connection.vendor == "postgresql", "the worker test runs on PostgreSQL"
    queue = f"{queue_prefix}-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_QUEUE": queue,
        "AUTOCOLLECT_MEDIA_ROOT": str(media_root),
        **(env or {}),
    }
    command = [sys.executable, "-m", "celery", "-A", "autocollect", "worker"]
    command += ["--loglevel=WARNING", "--concurrency=2", "-Q", queue]
    command += ["--without-gossip", "--without-mingle", *options]
    started = []

    def start() -> subprocess.Popen:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        started.append(proc)
        return proc

    old_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        yield start
    finally:
        app.conf.task_default_queue = old_queue
        for proc in started:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
