"""The case lists' response times on PostgreSQL: the portal's page and the API's list, unfiltered,
filtered and sorted, for one creditor with N cases; p50 and p95 per scenario.

    .venv/bin/python bench/case_list.py --cases 10000
    .venv/bin/python bench/case_list.py --cases 100000 --repeat 60 --keep

Creates its own database (autocollect_bench_list unless --db says otherwise; dropped first, and
again at the end unless --keep), migrates it and writes N cases of one Norwegian creditor with
cases.seeding's bulk path (debtor, invoice, case, capital entry, event each), then spreads them
over stages, statuses, opening dates, amounts and debtor names and adds fee entries and open
decisions, all by SQL (the cases' stored outstanding set to their ledgers' sums after), so that
every filter has something to find and every sort something to order. After VACUUM ANALYZE it
logs a creditor admin in and times each URL through Django's test client (the whole request:
middleware, session, tenant and permission checks, the selector, the template or serializer) in
this process, --repeat times after three warm-up requests, in --rounds passes over all of them.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]  # bench/letters.py
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "autocollect.settings")
os.environ.setdefault("AUTOCOLLECT_DEV_MODE", "1")
os.environ.setdefault("DJANGO_DEBUG", "0")  # as in production: DEBUG keeps a log of every query
os.environ.setdefault("AUTOCOLLECT_API_RATE_USER", "1000000/minute")  # measure, not throttle
# Without DEBUG the pages name hashed static files: collected here, as the image does at build.
os.environ.setdefault("AUTOCOLLECT_STATIC_ROOT", "/tmp/autocollect-bench-static")


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    return admin, parts.path.lstrip("/")


def recreate_database(url: str) -> None:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/autocollect_bench_list"
CHUNK = 10_000
NAMES = ["Berg Bygg", "Strand Kafé", "Nordlys Regnskap", "Fjellheim", "Solberg", "Aas Maling"]

# name -> query string; each is measured on the portal's page and on the API's list
LISTS = [("portal", "/c/{pk}/cases/"), ("API", "/api/creditors/{pk}/cases/")]
QUERIES = [
    ("unfiltered (newest first)", ""),
    # each filter alone
    ("search a case number", "q={number}"),
    ("search words of a debtor's name", "q=strand"),
    ("stage", "stage=reminder"),
    ("status", "status=paused"),
    ("debtor", "debtor=berg"),
    ("opened in 90 days", "opened_from={since}"),
    ("outstanding 500-5000", "amount_min=500&amount_max=5000"),
    ("pending decision", "decision=yes"),
    # each sort alone
    ("by opened, oldest first", "sort=opened"),
    ("by number", "sort=number"),
    ("by debtor", "sort=debtor"),
    ("by stage", "sort=stage"),
    ("by status", "sort=-status"),
    ("by next action", "sort=next_action"),
    ("by outstanding, largest first", "sort=-outstanding"),
    # filtered and sorted
    ("status + stage, by outstanding", "status=open&stage=reminder&sort=-outstanding"),
    (
        "outstanding 500-5000, by debtor, page 3",
        "amount_min=500&amount_max=5000&sort=debtor&page=3",
    ),
    ("debtor 'berg', opened in 90 days, page 3", "debtor=berg&opened_from={since}&page=3"),
    ("pending decision, by next action", "decision=yes&sort=next_action"),
]
SCENARIOS = [  # the API pages by offset
    (f"{surface}, {name}", path, q if surface == "portal" else q.replace("page=3", "offset=100"))
    for surface, path in LISTS
    for name, q in QUERIES
]


def seed(n: int):
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.db import connection

    from cases.seeding import due_cases_in_bulk
    from creditors.models import Creditor, Membership
    from nordic.countries import COUNTRIES

    no = COUNTRIES["NO"]
    creditor = Creditor.objects.create(
        legal_name="Bench Rørlegger AS", org_number="811111111", country="NO",
        currency=no.currency, time_zone=no.time_zone, erp_kind="tripletex", status="active",
    )  # fmt: skip
    user = get_user_model().objects.create_user("bench-admin", password="bench-password-123")
    Membership.objects.create(user=user, creditor=creditor, role=Membership.Role.ADMIN)
    today = dt.date(2026, 11, 2)
    for start in range(0, n, CHUNK):
        due_cases_in_bulk(
            creditors=[creditor], seqs=range(1_000_001 + start, 1_000_001 + min(n, start + CHUNK)),
            due=today - dt.timedelta(days=30), opened_on=today,
        )  # fmt: skip
    names = "ARRAY[" + ",".join(f"'{x}'" for x in NAMES) + "]"
    with connection.cursor() as c:
        c.execute(f"UPDATE cases_debtor SET name = ({names})[id % {len(NAMES)} + 1] || ' ' || id")
        c.execute(
            """UPDATE cases_case SET
                 opened_on = %s::date - (id %% 400)::int,
                 next_action_on = CASE WHEN id %% 9 = 0 THEN NULL
                                  ELSE %s::date + (id %% 40)::int END,
                 stage = (ARRAY['new','reminder','notice','demand','decision'])[id %% 5 + 1],
                 status = CASE WHEN id %% 13 = 0 THEN 'closed' WHEN id %% 11 = 0 THEN 'paused'
                          ELSE 'open' END""",
            [today, today],
        )
        c.execute(
            "UPDATE cases_ledgerentry SET amount = 100 + (case_id * 37 % 20000)::int "
            "WHERE component = 'capital'"
        )
        c.execute(
            """INSERT INTO cases_ledgerentry (creditor_id, case_id, kind, component, amount,
                 booked_on, description, key)
               SELECT creditor_id, id, 'charge', 'fee', 38, opened_on, 'reminder fee',
                 'fee:reminder' FROM cases_case WHERE stage <> 'new'"""
        )
        c.execute(
            """INSERT INTO cases_decisionrequest (creditor_id, case_id, requested_on, deadline,
                 options, default_option, answer)
               SELECT creditor_id, id, %s, %s::date + 14, '["enforcement","close"]',
                 'close', '' FROM cases_case WHERE stage = 'decision' AND status = 'open'""",
            [today, today],
        )
        # and on their cases, as cases.engine.write stores an open decision's deadline
        c.execute(
            "UPDATE cases_case SET decision_deadline = %s::date + 14 "
            "WHERE stage = 'decision' AND status = 'open'",
            [today],
        )
        # the amounts and fees above were written around cases.ledger.entries_post: the cases'
        # stored outstanding follows them as the migration fills it (cases 0011)
        c.execute(
            """UPDATE cases_case AS c SET outstanding = s.total
               FROM (SELECT case_id, SUM(amount) AS total FROM cases_ledgerentry
                     WHERE component <> 'overpayment' GROUP BY case_id) AS s
               WHERE c.id = s.case_id"""
        )
        c.execute("VACUUM ANALYZE")
    return creditor, user, today


def measure(client, urls: list[str], repeat: int, rounds: int) -> list[tuple[float, float, int]]:
    """(p50, p95, bytes) per URL: three warm-up requests each, then `repeat` timed ones, taken in
    `rounds` passes over all the URLs, so that a burst of other work on the machine falls on
    every scenario alike rather than on the few measured during it."""
    sizes = []
    for url in urls:
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code, response.content[:300])
        sizes.append(len(response.content))
    times: list[list[float]] = [[] for _ in urls]
    for r in range(rounds):
        share = repeat // rounds + (1 if r < repeat % rounds else 0)
        for url, spent in zip(urls, times, strict=True):
            for _ in range(share):
                started = time.perf_counter()
                client.get(url)
                spent.append((time.perf_counter() - started) * 1000)
    results = []
    for spent, size in zip(times, sizes, strict=True):
        spent.sort()
        p95 = spent[min(len(spent) - 1, int(round(0.95 * len(spent))) - 1)]
        results.append((statistics.median(spent), p95, size))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=40, help="timed requests per scenario")
    parser.add_argument("--rounds", type=int, default=4, help="passes over the scenarios")
    parser.add_argument("--db", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    parser.add_argument("--explain", action="store_true", help="print the page query's plans")
    args = parser.parse_args()
    if "bench" not in urlsplit(args.db).path:
        parser.error(f"{args.db} is dropped and recreated: its name must contain 'bench'")
    os.environ["DATABASE_URL"] = args.db

    started = time.perf_counter()
    if not args.reuse:
        recreate_database(args.db)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from cases.models import Case
    from creditors.models import Creditor

    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)  # a kept database gets new indexes too
    if not args.reuse:
        seed(args.cases)
    print(f"database ready in {time.perf_counter() - started:.1f} s")
    creditor = Creditor.objects.get(org_number="811111111")
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-admin"))
    total = Case.objects.filter(creditor=creditor).count()
    number = Case.objects.filter(creditor=creditor).order_by("pk")[total // 2].number
    since = "2026-08-04"
    print(
        f"{total} cases of one creditor; {args.repeat} timed requests per line, "
        f"in {args.rounds} rounds over all lines; load average {os.getloadavg()[0]:.1f}"
    )
    urls = [
        path.format(pk=creditor.pk) + "?" + query.format(number=number, since=since)
        for _, path, query in SCENARIOS
    ]
    results = measure(client, urls, args.repeat, args.rounds)
    print(f"  {'scenario':<52} {'p50 ms':>8} {'p95 ms':>8} {'kB':>6}")
    for (name, _, _), (p50, p95, size) in zip(SCENARIOS, results, strict=True):
        print(f"  {name:<52} {p50:8.1f} {p95:8.1f} {size / 1000:6.0f}")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    if args.explain:
        explain(creditor)
    if not args.keep:
        from django.db import connections

        connections.close_all()
        drop_database(args.db)


def explain(creditor) -> None:
    from cases.selectors import CaseFilter, case_list

    for f in (CaseFilter(), CaseFilter(status="open", stage="reminder", sort="-outstanding")):
        qs = case_list(creditor=creditor, filters=f)
        print(f, "\n", qs[:50].explain(analyze=True), "\n count:", qs.count())


if __name__ == "__main__":
    main()
