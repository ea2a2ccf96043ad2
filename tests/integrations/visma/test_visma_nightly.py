"""The nightly keep-true of a Visma.net creditor as Celery beat runs it: the schedule's entry
names the registered task, the task queues the creditor's sync only once 23:00 has come in
Stockholm, and the queued sync reads Visma.net over HTTP (tasks in-process, as the tests run
them)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from autocollect.celery import app
from cases.models import Case
from collection import tasks
from tests.integrations.visma.conftest import TODAY

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def test_beat_runs_the_due_creditors_task_every_quarter_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["sync-due-creditors"]
    assert entry["task"] == tasks.sync_due_creditors.name
    assert entry["task"] in app.tasks  # registered: beat's message finds its task
    schedule = entry["schedule"]
    assert schedule.hour == set(range(24)) and {0, 15, 30, 45} <= schedule.minute


def test_the_task_syncs_a_visma_creditor_from_23_stockholm_time(visma_creditor, visma, monkeypatch):
    monkeypatch.setattr("collection.tasks.write_case_references.delay", lambda *a: None)
    monkeypatch.setattr("collection.tasks.write_case_reference.delay", lambda *a: None)
    creditor = visma_creditor()
    creditor.last_synced_on = TODAY - dt.timedelta(days=1)
    creditor.save(update_fields=["last_synced_on"])
    now = {"at": dt.datetime(2026, 11, 25, 22, 59, tzinfo=STOCKHOLM)}
    monkeypatch.setattr("collection.sync.timezone.now", lambda: now["at"])
    assert tasks.sync_due_creditors() == 0  # 22:59 in Stockholm: not yet
    assert not visma.requests("/v1/customerinvoice")
    now["at"] = dt.datetime(2026, 11, 25, 23, 0, tzinfo=STOCKHOLM)
    assert tasks.sync_due_creditors() == 1
    creditor.refresh_from_db()
    assert creditor.last_synced_on == TODAY
    assert visma.requests("/v1/customerinvoice")  # read over HTTP from Visma.net
    assert Case.objects.filter(creditor=creditor).exists()
    assert tasks.sync_due_creditors() == 0  # once a night
