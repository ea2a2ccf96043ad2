"""The batch advance under concurrency and after downtime.

Two worker processes advance 1 000 due cases at once (PostgreSQL only: SQLite has no row locks
to skip): every case advances once, with one letter and one fee. A catch-up run after downtime
moves each case one stage per run, so every stage's letter goes out once, none skipped."""

import datetime as dt
import itertools
import json
import os
import subprocess
import sys
import textwrap
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Max

from cases.models import Case, CaseEvent, LedgerEntry
from cases.seeding import due_cases_in_bulk
from collection.advance import advance_due_batch
from letters.models import Letter

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 2)  # a Monday, the same date in Oslo, Stockholm and Helsinki at 07 UTC


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC)


def due_cases(creditor, n: int, *, due: dt.date, next_action_on: dt.date) -> list[Case]:
    base = 7_000_000 + (Case.objects.aggregate(top=Max("pk"))["top"] or 0)
    return due_cases_in_bulk(
        creditors=[creditor], seqs=range(base + 1, base + n + 1), due=due, opened_on=next_action_on
    )


def stage_moves() -> dict[int, list[tuple[str, str]]]:
    moves = defaultdict(list)
    rows = CaseEvent.objects.filter(kind="stage").order_by("pk")
    for case_id, from_stage, to_stage in rows.values_list("case_id", "from_stage", "to_stage"):
        moves[case_id].append((from_stage, to_stage))
    return moves


def per_case(qs, field: str) -> dict[int, list[str]]:
    found = defaultdict(list)
    for case_id, value in qs.order_by("pk").values_list("case_id", field):
        found[case_id].append(value)
    return found


# A worker process: Django on the test database, waits for "go" on stdin (the barrier), then
# advances in batches of 100 until nothing is due and prints how many cases each batch took.
WORKER = textwrap.dedent(
    """
    import datetime as dt, json, sys
    import django
    django.setup()
    from django.db import connection
    from cases.rules import RuleBook
    from collection.advance import advance_due_batch
    now = dt.datetime.fromisoformat(sys.argv[1])
    RuleBook.load()  # connect and warm up before the start line
    print("ready", flush=True)
    assert sys.stdin.readline().strip() == "go"
    batches = []
    while taken := advance_due_batch(now=now, limit=100, render=False):
        batches.append(taken)
    connection.close()
    print(json.dumps(batches), flush=True)
    """
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_advance_1000_due_cases_each_exactly_once(make_creditor):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED between two workers")
    creditor = make_creditor(country="NO")
    cases = due_cases(creditor, 1000, due=TODAY - dt.timedelta(days=30), next_action_on=TODAY)
    ids = {c.pk for c in cases}

    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "autocollect.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    env.pop("CELERY_BROKER_URL", None)  # render=False enqueues nothing; stay off any broker
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, at(TODAY).isoformat()],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for w in workers:  # the barrier: both connected and warmed up, then both go at once
            assert w.stdout.readline().strip() == "ready", w.stderr.read()
        for w in workers:
            w.stdin.write("go\n")
            w.stdin.flush()
        outputs = [w.communicate(timeout=300) for w in workers]
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
    assert [w.returncode for w in workers] == [0, 0], f"a worker failed: {outputs}"
    batches = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    split = [sum(b) for b in batches]
    print(f"two workers took {split[0]} + {split[1]} cases in batches {batches}")
    assert sum(split) == 1000  # no case was taken by both workers, none left behind

    moves = stage_moves()
    assert set(moves) == ids
    assert all(m == [("new", "reminder")] for m in moves.values())
    assert set(Case.objects.values_list("stage", flat=True)) == {"reminder"}
    assert not Case.objects.filter(next_action_on__lte=TODAY).exists()
    letters = per_case(Letter.objects.all(), "stage")
    assert set(letters) == ids and all(s == ["reminder"] for s in letters.values())
    fees = per_case(LedgerEntry.objects.filter(component="fee"), "key")
    assert set(fees) == ids and all(k == ["fee:reminder"] for k in fees.values())
    assert set(LedgerEntry.objects.filter(component="fee").values_list("amount", flat=True)) == {
        Decimal("38.00")  # INKF § 1-2 purring, sats 750 from 2026-01-01
    }
    # A further run finds nothing due.
    assert advance_due_batch(now=at(TODAY), render=False) == 0


@pytest.mark.django_db
def test_catch_up_after_downtime_sends_every_letter_once_one_stage_per_run(make_creditor):
    """Cases due for weeks (the nightly run was down) step one stage per run: run after run,
    day after day, each letter of the plan goes out once and each fee is booked once."""
    creditor = make_creditor(country="NO")
    cases = due_cases(
        creditor, 30, due=dt.date(2026, 6, 1), next_action_on=TODAY - dt.timedelta(weeks=6)
    )
    ids = {c.pk for c in cases}

    # The first run after the downtime: every case gets its reminder and nothing more, even
    # though the notice and the demand were "due" long ago.
    assert advance_due_batch(now=at(TODAY), limit=7, render=False) == 7
    while advance_due_batch(now=at(TODAY), limit=7, render=False):
        pass
    assert Counter(Case.objects.values_list("stage", flat=True)) == {"reminder": 30}
    assert Letter.objects.count() == 30

    # Then the nightly run, with another downtime of three weeks in the middle.
    day, runs = TODAY + dt.timedelta(days=1), Counter()
    while day < TODAY + dt.timedelta(days=150):
        if not TODAY + dt.timedelta(days=20) <= day < TODAY + dt.timedelta(days=41):
            runs[day] = advance_due_batch(now=at(day), render=False)
            assert advance_due_batch(now=at(day), render=False) == 0  # once per day
        day += dt.timedelta(days=1)
    assert sum(runs.values()) == 30 * 4  # notice, demand, decision, then the default applies

    plan = [
        ("new", "reminder"),
        ("reminder", "notice"),
        ("notice", "demand"),
        ("demand", "decision"),
        ("decision", "surveillance"),
    ]
    moves = stage_moves()
    assert set(moves) == ids and all(m == plan for m in moves.values())
    letters = per_case(Letter.objects.all(), "stage")
    assert all(s == ["reminder", "notice", "demand"] for s in letters.values())
    assert len(letters) == 30
    fees = per_case(LedgerEntry.objects.filter(component="fee"), "key")
    assert all(k == ["fee:reminder", "fee:notice", "fee:demand"] for k in fees.values())
    assert len(fees) == 30
    # Interest was booked once for every day: each period starts the day after the last ended.
    periods = per_case(LedgerEntry.objects.filter(component="interest"), "description")
    assert len(periods) == 30
    for texts in periods.values():
        spans = [[dt.date.fromisoformat(d) for d in t.split()[-1].split("..")] for t in texts]
        assert spans[0][0] == dt.date(2026, 6, 2)  # the day after the due date
        assert all(b == a + dt.timedelta(1) for (_, a), (b, _) in itertools.pairwise(spans))
    # No stage came before the previous letter's deadline had passed.
    sent = defaultdict(list)
    for case_id, letter_date, pay_by in Letter.objects.order_by("pk").values_list(
        "case_id", "letter_date", "pay_by"
    ):
        sent[case_id].append((letter_date, pay_by))
    for letters_of_case in sent.values():
        for (_, pay_by), (next_date, _) in itertools.pairwise(letters_of_case):
            assert next_date > pay_by
    assert set(Case.objects.values_list("stage", "next_action_on")) == {("surveillance", None)}


@pytest.mark.django_db
def test_a_case_that_fails_does_not_hold_back_the_batch(make_creditor, make_case, monkeypatch):
    from cases import engine
    from cases.models import CaseEvent

    creditor = make_creditor(country="NO")
    good = make_case(creditor, due=dt.date(2026, 10, 1), today=dt.date(2026, 11, 2))
    bad = make_case(creditor, due=dt.date(2026, 10, 1), today=dt.date(2026, 11, 2))
    real = engine.plan_step

    def plan_step(facts, rules, today, w):
        real(facts, rules, today, w)  # plans everything, then fails half-way for one case
        if facts.case.pk == bad.pk:
            raise RuntimeError("template missing")

    monkeypatch.setattr(engine, "plan_step", plan_step)
    now = dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)
    assert advance_due_batch(now=now, render=False) == 2
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.stage == "reminder"
    assert (bad.stage, bad.next_action_on) == ("new", dt.date(2026, 11, 3))
    assert not bad.letters.exists() and not bad.ledger.filter(component="fee").exists()
    failed = CaseEvent.objects.get(case=bad, kind="advance_failed")
    assert "template missing" in failed.message
    assert advance_due_batch(now=now, render=False) == 0  # retried tomorrow, not now
