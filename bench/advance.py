"""Batch advance throughput on PostgreSQL: N due cases, W worker processes, cases/s.

    .venv/bin/python bench/advance.py --cases 100000 --workers 2
    .venv/bin/python bench/advance.py --cases 20000 --workers 1 --batch 500 --keep

Creates a dedicated database (dropped first, and again at the end unless --keep), migrates it,
bulk-creates N due cases across a few NO/SE/FI creditors (each case due 30 days before the run
day, stage "new", one invoice with its capital entry, as cases.services.case_open writes them),
then starts W processes together, each calling collection.advance.advance_due_batch(render=False)
until it returns 0. Letters get their rows but are not rendered (bench/letters.py measures
that). Afterwards it checks that every case advanced exactly once.
"""

import argparse
import datetime as dt
import multiprocessing as mp
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
# "python bench/advance.py" puts bench/ first on sys.path, where bench/letters.py would shadow
# the letters package; put the project root first instead.
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "autocollect.settings")
os.environ.setdefault("AUTOCOLLECT_DEV_MODE", "1")  # a development machine
os.environ.setdefault("DJANGO_DEBUG", "0")  # as in production: DEBUG keeps a log of every query

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/autocollect_bench"
NOW = dt.datetime(2026, 11, 2, 7, 0, tzinfo=dt.UTC)  # a Monday; the same date in all three zones
TODAY = dt.date(2026, 11, 2)
DUE = TODAY - dt.timedelta(days=30)
# (country, debtor kind) per creditor: the cases are spread evenly over these.
CREDITORS = [
    ("NO", "business"),
    ("NO", "consumer"),
    ("SE", "business"),
    ("SE", "consumer"),
    ("FI", "business"),
    ("FI", "consumer"),
]
CHUNK = 5000


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def make_creditors() -> list[int]:
    from creditors.models import Creditor
    from nordic.countries import COUNTRIES

    return [
        Creditor.objects.create(
            legal_name=f"Bench creditor {i} ({country}, {kind})",
            org_number=f"8{i:08d}",
            country=country,
            currency=COUNTRIES[country].currency,
            time_zone=COUNTRIES[country].time_zone,
            erp_kind="tripletex",
            status=Creditor.Status.ACTIVE,
        ).pk
        for i, (country, kind) in enumerate(CREDITORS)
    ]


def seed_chunk(span: tuple[int, int, list[int]]) -> None:
    """Cases start+1..stop, written with bulk_create (ids come back via RETURNING)."""
    import django

    django.setup()
    from django.db import connection

    from cases.seeding import due_cases_in_bulk
    from creditors.models import Creditor

    start, stop, creditor_ids = span
    creditors = list(Creditor.objects.filter(pk__in=creditor_ids).order_by("pk"))
    kinds = {c.pk: kind for c, (_, kind) in zip(creditors, CREDITORS, strict=True)}
    due_cases_in_bulk(
        creditors=creditors,
        seqs=range(1_000_001 + start, 1_000_001 + stop),
        due=DUE,
        opened_on=TODAY,
        kind_of=lambda cr: kinds[cr.pk],
    )

    connection.close()


def seed(n: int, processes: int) -> None:
    """N due cases over a few creditors, written by `processes` processes in chunks."""
    from django.db import connection

    creditor_ids = make_creditors()
    connection.close()  # the pool is forked: each process opens its own connection
    spans = [(start, min(start + CHUNK, n), creditor_ids) for start in range(0, n, CHUNK)]
    with mp.get_context("fork").Pool(processes) as pool:
        pool.map(seed_chunk, spans, chunksize=1)


def _timed(stats: dict, name: str, fn):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            stats[name] += time.perf_counter() - started

    return wrapper


def backend_cpu(pid: int) -> float:
    """CPU seconds of a local PostgreSQL backend (user + system), from /proc; NaN elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


def worker(barrier, results, batch: int | None) -> None:
    """One worker process: wait for the others, then advance until nothing is due."""
    import django

    django.setup()
    from django.db import connection

    from cases import engine
    from collection import advance

    stats = defaultdict(float)
    engine.load_facts = _timed(stats, "load facts", engine.load_facts)
    engine.plan_step = _timed(stats, "plan", engine.plan_step)
    engine.write = _timed(stats, "write", engine.write)
    advance.letters_create = _timed(stats, "write", advance.letters_create)  # rows + letters
    kwargs = {"now": NOW, "render": False} | ({"limit": batch} if batch else {})
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    barrier.wait()
    started, cpu, pg_cpu = time.perf_counter(), time.process_time(), backend_cpu(backend)
    taken = batches = 0
    while n := advance.advance_due_batch(**kwargs):
        taken += n
        batches += 1
    stats["seconds"] = time.perf_counter() - started
    stats["cpu"], stats["pg cpu"] = time.process_time() - cpu, backend_cpu(backend) - pg_cpu
    connection.close()
    results.put({"pid": os.getpid(), "taken": taken, "batches": batches} | stats)


def verify(n: int) -> list[str]:
    """Every case advanced exactly once: one stage event, one letter, no fee twice."""
    from django.db.models import Count

    from cases.models import Case, CaseEvent, LedgerEntry
    from letters.models import Letter

    problems = []
    stages = dict(Case.objects.values_list("stage").annotate(n=Count("id")))
    if stages != {"reminder": n}:
        problems.append(f"stages {stages}, expected all {n} at reminder")
    moves = CaseEvent.objects.filter(kind="stage")
    once = moves.filter(from_stage="new", to_stage="reminder").values("case_id").distinct()
    if moves.count() != n or once.count() != n:
        problems.append(f"{moves.count()} stage moves on {once.count()} cases, expected {n}")
    letters = Letter.objects.values("case_id").annotate(n=Count("id"))
    if Letter.objects.count() != n or letters.filter(n__gt=1).exists():
        problems.append(f"{Letter.objects.count()} letters, expected one per case ({n})")
    fees = LedgerEntry.objects.filter(component="fee").values("case_id", "key")
    if fees.annotate(n=Count("id")).filter(n__gt=1).exists():
        problems.append("a fee was booked twice on a case")
    if Case.objects.filter(next_action_on__lte=TODAY).exists():
        problems.append("cases still due")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="due cases (default 100000)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--batch", type=int, help="limit per batch (default: the engine's)")
    parser.add_argument("--db", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if "bench" not in urlsplit(args.db).path:
        parser.error(f"{args.db} is dropped and recreated: its name must contain 'bench'")
    os.environ["DATABASE_URL"] = args.db

    phases = {}
    started = time.perf_counter()
    recreate_database(args.db)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    phases["create + migrate"] = time.perf_counter() - started

    started = time.perf_counter()
    seed(args.cases, max(args.workers, 2))
    phases["seed"] = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum would have done by the nightly run
    phases["vacuum analyze"] = time.perf_counter() - started
    connection.close()  # children are forked: they must open their own connections

    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(args.workers + 1), ctx.Queue()
    procs = [
        ctx.Process(target=worker, args=(barrier, results, args.batch)) for _ in range(args.workers)
    ]
    for p in procs:
        p.start()
    barrier.wait()
    started = time.perf_counter()
    per_worker = [results.get() for _ in procs]
    advance = time.perf_counter() - started
    for p in procs:
        p.join()
    phases["advance"] = advance

    started = time.perf_counter()
    problems = verify(args.cases)
    phases["verify"] = time.perf_counter() - started

    taken = sum(w["taken"] for w in per_worker)
    cpu = sum(w["cpu"] + w["pg cpu"] for w in per_worker)
    print(
        f"{args.cases} due cases, {args.workers} worker(s), batch {args.batch or 'default'}: "
        f"advanced {taken} in {advance:.2f} s = {taken / advance:,.0f} cases/s (letters excluded)"
        f"; CPU (workers + their PostgreSQL backends) {1e6 * cpu / max(taken, 1):.0f} µs/case"
    )
    for name, seconds in phases.items():
        print(f"  {name:<18} {seconds:8.2f} s")
    for w in sorted(per_worker, key=lambda w: w["pid"]):
        inner = w["load facts"] + w["plan"] + w["write"]
        print(
            f"  worker {w['pid']}: {w['taken']} cases in {w['batches']} calls, "
            f"{w['seconds']:.2f} s; CPU: Python {w['cpu']:.2f} s, "
            f"its PostgreSQL backend {w['pg cpu']:.2f} s\n"
            f"    wall by phase: lock + read cases + commit {w['seconds'] - inner:.2f} s, "
            f"load facts {w['load facts']:.2f} s, plan {w['plan']:.2f} s, "
            f"write {w['write']:.2f} s"
        )
    if not args.keep:
        from django.db import connections

        connections.close_all()
        drop_database(args.db)
    if problems or taken != args.cases:
        print("FAILED: " + "; ".join(problems or [f"took {taken}, expected {args.cases}"]))
        sys.exit(1)
    print("verified: every case advanced exactly once (one stage move, one letter, no fee twice)")


if __name__ == "__main__":
    main()
