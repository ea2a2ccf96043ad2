"""The nightly sync runs after 23:00 in each creditor's own time zone, once per local day."""

import datetime as dt

import pytest

from collection.sync import creditors_due_for_sync

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def test_nightly_sync_is_due_per_creditor_time_zone(make_creditor):
    oslo, helsinki = make_creditor(country="NO"), make_creditor(country="FI")
    for creditor in (oslo, helsinki):  # both ran the night of the 24th
        creditor.last_synced_on = dt.date(2026, 11, 24)
        creditor.save()
    # 21:30 UTC in winter: 22:30 in Oslo (UTC+1), 23:30 in Helsinki (UTC+2).
    now = dt.datetime(2026, 11, 25, 21, 30, tzinfo=UTC)
    assert list(creditors_due_for_sync(now=now)) == [helsinki]
    # 22:05 UTC: 23:05 in Oslo; 00:05 on the 26th in Helsinki, still owed the 25th's run.
    later = dt.datetime(2026, 11, 25, 22, 5, tzinfo=UTC)
    assert set(creditors_due_for_sync(now=later)) == {oslo, helsinki}


def test_a_creditor_synced_today_is_not_due_again_and_a_missed_night_catches_up(make_creditor):
    helsinki = make_creditor(country="FI")
    now = dt.datetime(2026, 11, 25, 21, 30, tzinfo=UTC)
    helsinki.last_synced_on = dt.date(2026, 11, 25)
    helsinki.save()
    assert list(creditors_due_for_sync(now=now)) == []
    # The night of the 24th ran; we were down at 23:00 on the 25th: the next morning's tick
    # catches up.
    helsinki.last_synced_on = dt.date(2026, 11, 24)
    helsinki.save()
    morning = dt.datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    assert list(creditors_due_for_sync(now=morning)) == [helsinki]


def test_paused_creditors_are_not_synced(make_creditor):
    make_creditor(country="FI", status="paused")
    now = dt.datetime(2026, 11, 25, 21, 30, tzinfo=UTC)
    assert list(creditors_due_for_sync(now=now)) == []
