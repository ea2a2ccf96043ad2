"""Import throughput: N invoices from the Tripletex emulator over HTTP into PostgreSQL.

    .venv/bin/python bench/import.py --invoices 100000
    .venv/bin/python bench/import.py --invoices 20000 --page-size 1000 --keep --profile

The emulator runs in a process of its own (`python -m integrations.tripletex.emulator --bulk N`:
one company, N overdue invoices over N/10 customers), so it shares no GIL with the importer. The
importer (this process) recreates a dedicated database (dropped first, and again at the end
unless --keep), migrates it in a child process, creates one active creditor and runs
`collection.sync.creditor_sync` once: every invoice becomes a debtor (upserted), an invoice, a
case with its number and KID, its capital ledger entry and its "opened" event. Then, in the same
run, the anchors: the listing alone (HTTP + JSON; then with mapping and the reconciling pass),
and the same invoice rows written by COPY into a staging table + INSERT ... ON CONFLICT alone.
Finally a second sync, which must import nothing, and the checks. Peak memory is this process's
maxrss (resource.getrusage), taken before the anchors run.

Write-backs of the case numbers are queued (one message a page) for a worker, not run here.
"""

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # not bench/ first: bench/letters.py would shadow `letters`
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "autocollect.settings")
os.environ.setdefault("AUTOCOLLECT_DEV_MODE", "1")  # a development machine
os.environ.setdefault("DJANGO_DEBUG", "0")  # as in production: DEBUG keeps a log of every query
# Not eager: write-backs are queued (in memory here) for a worker, as in production.
os.environ["CELERY_BROKER_URL"] = "memory://localhost/"

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/autocollect_bench_import"


def start_emulator(invoices: int, erp: str = "tripletex") -> tuple[subprocess.Popen, str, dict]:
    proc = subprocess.Popen(
        [sys.executable, "-m", f"integrations.{erp}.emulator", "--port", "0"]
        + ["--bulk", str(invoices)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    banner = proc.stdout.readline()
    if "emulator on " not in banner:
        proc.kill()
        raise SystemExit(f"the emulator did not start: {banner!r}")
    return proc, banner.split(" on ", 1)[1].strip(), json.loads(proc.stdout.readline())


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc), e.g. the emulator or a backend."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--page-size", type=int, default=2500, help="ERP page (from/count)")
    parser.add_argument("--db", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--profile", action="store_true", help="cProfile the first sync")
    parser.add_argument(
        "--erp", choices=["tripletex", "visma"], default="tripletex", help="the ERP's emulator"
    )
    args = parser.parse_args()
    if "bench" not in urlsplit(args.db).path:
        parser.error(f"{args.db} is dropped and recreated: its name must contain 'bench'")
    os.environ["DATABASE_URL"] = args.db

    from bench.advance import drop_database, recreate_database

    phases = {}
    started = time.perf_counter()
    emulator, url, seeded = start_emulator(args.invoices, args.erp)
    phases["emulator seeded"] = time.perf_counter() - started
    try:
        started = time.perf_counter()
        recreate_database(args.db)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, check=True
        )
        phases["create + migrate"] = time.perf_counter() - started
        run(args, url, seeded, phases, emulator.pid)
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(args.db)


def run(args, url: str, seeded: dict, phases: dict, emulator_pid: int) -> None:
    import django

    django.setup()
    from django.db import connection  # noqa: F811

    from cases.models import Case, CaseEvent, Debtor, Invoice, LedgerEntry
    from collection.sync import creditor_sync
    from creditors.models import AccountSetup, Creditor, ImportFilter
    from integrations import registry

    company = seeded["companies"][0]
    connection_data = {
        "base_url": url,
        "employee_token": company.get("employee_token", ""),
        "page_size": args.page_size,
    }
    tenant = {"legal_name": "Masse Faktura AS", "org_number": "912345602", "country": "NO"}
    tenant.update(currency="NOK", time_zone="Europe/Oslo")
    if args.erp == "visma":  # Visma.net: a company tenant, pages of at most 1000
        connection_data = {
            "tenant_id": company["tenant_id"],
            "base_url": url,
            "token_url": f"{url}/connect/token",
            "page_size": min(args.page_size, 1000),
        }
        tenant = {"legal_name": "Massfaktura AB", "org_number": "5566778899", "country": "SE"}
        tenant.update(currency="SEK", time_zone="Europe/Stockholm")
    creditor = Creditor.objects.create(
        **tenant,
        erp_kind=args.erp,
        erp_connection=connection_data,
        status=Creditor.Status.ACTIVE,
    )
    ImportFilter.objects.create(creditor=creditor)
    AccountSetup.objects.create(creditor=creditor)
    rss_before = rss_mb()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    others = cpu_seconds(emulator_pid), cpu_seconds(backend)

    cpu = time.process_time()
    started = time.perf_counter()
    if args.profile:
        import cProfile
        import pstats
        from collections import defaultdict

        spent = defaultdict(float)

        def timed(execute, sql, params, many, context):
            t = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[" ".join(sql.split())[:70]] += time.perf_counter() - t

        # cProfile sees one thread: the reading thread (fetch, JSON, mapping) gets its own.
        import collection.sync

        reading = cProfile.Profile()
        prefetched = collection.sync.prefetched

        def profiled(items):
            items = iter(items)
            while True:
                with reading:
                    item = next(items, None)
                if item is None:
                    return
                yield item

        collection.sync.prefetched = lambda items, **kw: prefetched(profiled(items), **kw)
        try:
            with connection.execute_wrapper(timed), cProfile.Profile() as profile:
                first = creditor_sync(creditor=creditor)
        finally:
            collection.sync.prefetched = prefetched
        print("writing (main thread):")
        pstats.Stats(profile).sort_stats("tottime").print_stats(20)
        print("reading thread (fetch, JSON, mapping):")
        pstats.Stats(reading).sort_stats("tottime").print_stats(15)
        for sql, seconds in sorted(spent.items(), key=lambda kv: -kv[1])[:12]:
            print(f"  {seconds:6.2f} s  {sql}")
    else:
        first = creditor_sync(creditor=creditor)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    emulator_cpu, backend_cpu = (
        cpu_seconds(pid) - before
        for pid, before in zip((emulator_pid, backend), others, strict=True)
    )
    peak = rss_mb()
    phases["import"] = elapsed

    started = time.perf_counter()
    second = creditor_sync(creditor=creditor)
    phases["second sync (imports nothing)"] = time.perf_counter() - started

    # --- anchors, in the same run on the same machine ------------------------------------------
    # The client keeps Tripletex's rate (a bucket of 90 calls, 9 a second, per employee token):
    # let it fill up again, so that the listing below measures the emulator, not the bucket.
    time.sleep(10)
    adapter = registry.connect(args.erp, connection_data)
    from integrations.tripletex.client import INVOICE_LIST_FIELDS

    window = (first.as_of - dt.timedelta(days=1096), first.as_of + dt.timedelta(days=1))
    started = time.perf_counter()
    if args.erp == "visma":
        listing = adapter.client.list_open_invoices(first.as_of + dt.timedelta(days=1))
    else:
        listing = adapter.client.list_invoices(*window, INVOICE_LIST_FIELDS)
    fetched = sum(1 for _ in listing)
    fetch_only = fetched / (time.perf_counter() - started)
    started = time.perf_counter()
    mapped = sum(1 for _ in adapter.list_open_invoices(as_of=first.as_of))
    fetch_map = mapped / (time.perf_counter() - started)
    copy_rate = anchor_copy(creditor)

    counts = {
        "debtors": Debtor.objects.count(),
        "invoices": Invoice.objects.filter(creditor=creditor).count(),
        "cases": Case.objects.count(),
        "ledger entries": LedgerEntry.objects.count(),
        "events": CaseEvent.objects.count(),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT number), count(DISTINCT payment_reference) FROM cases_case"
        )
        distinct = cursor.fetchone()
    n = args.invoices
    problems = [
        f"{name}: {got}, expected {n}"
        for name, got in counts.items()
        if name != "debtors" and got != n
    ]
    if first.status != "ok" or first.imported != n:
        problems.append(f"first sync {first.status}, imported {first.imported}: {first.error}")
    if second.imported or second.status != "ok":
        problems.append(f"second sync imported {second.imported} ({second.status})")
    if distinct != (n, n):
        problems.append(f"case numbers / references not unique: {distinct}")

    rate = first.imported / elapsed
    print(
        f"{n} invoices from the {args.erp} emulator over HTTP "
        f"(page size {connection_data['page_size']}), "
        f"one creditor: imported {first.imported} in {elapsed:.2f} s = {rate:,.0f} invoices/s; "
        f"peak memory of the importing process {peak:.0f} MB ({rss_before:.0f} MB before the "
        f"import)\n  CPU per invoice: importer {1e6 * cpu / n:.0f} µs, its PostgreSQL backend "
        f"{1e6 * backend_cpu / n:.0f} µs, emulator {1e6 * emulator_cpu / n:.0f} µs "
        f"(2 cores: {1e6 * (cpu + backend_cpu + emulator_cpu) / n / 2:.0f} µs of wall at best)"
    )
    print(
        f"  anchors: fetch alone (HTTP + JSON) {fetch_only:,.0f} invoices/s, with mapping and "
        f"the reconciling pass {fetch_map:,.0f}/s; COPY + INSERT ... ON CONFLICT of the same "
        f"invoice rows {copy_rate:,.0f} rows/s; import / fetch alone = {rate / fetch_only:.2f}, "
        f"import / COPY = {rate / copy_rate:.2f}"
    )
    for name, seconds in phases.items():
        print(f"  {name:<30} {seconds:8.2f} s")
    print("  rows: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    if problems:
        print("FAILED: " + "; ".join(problems))
        sys.exit(1)
    print("verified: every invoice once, in one case with its ledger entry and event; "
          "case numbers and references unique; a second sync imports nothing")  # fmt: skip


def anchor_copy(creditor) -> float:
    """The invoices the import wrote, written again for another creditor by the same bulk
    upsert (COPY into a staging table, one INSERT ... ON CONFLICT per 1000 rows), alone."""
    from django.db import transaction

    from cases.bulk import upsert
    from cases.models import Invoice
    from collection.importing import INVOICE_COLUMNS
    from creditors.models import Creditor

    other = Creditor.objects.create(
        legal_name="Anchor AS", org_number="900000001", country="NO", currency="NOK"
    )
    stored = Invoice.objects.filter(creditor=creditor).values_list(*INVOICE_COLUMNS)
    rows = [(other.pk, *row[1:]) for row in stored.iterator(chunk_size=10_000)]
    started = time.perf_counter()
    with transaction.atomic():
        for start in range(0, len(rows), 1000):
            upsert(Invoice, INVOICE_COLUMNS, rows[start : start + 1000])
    return len(rows) / (time.perf_counter() - started)


if __name__ == "__main__":
    main()
