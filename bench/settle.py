"""Time to settle 10 000 payments and pay them out, on PostgreSQL.

    .venv/bin/python bench/settle.py --payments 10000
    .venv/bin/python bench/settle.py --payments 2000 --keep

Creates a dedicated database (dropped first, and again at the end unless --keep), migrates it,
and bulk-creates one due case per payment over four creditors (NO and SE, business and consumer
debtors; 1 000.00 capital each, due 30 days before the run day) as cases.services.case_open
writes them. Then, timed phase by phase, in one process:

  pay     every payment through collection.payments.payment_register, as the bank file's
          matcher books it: the interest to the payment day, the ledger allocation, the case
          closed when paid, and the settlement (settlements.split over the case's position, its
          lines). Every third payment is partial (300.00), the others pay what is owed.
  payout  collection.payouts.payouts_run per creditor: the batch, the payout paid, the
          remittance rendered (WeasyPrint, one PDF per payout with every line) and e-mailed
          (locmem backend). Bookkeeping is off for the run (no ERP here: the voucher is built
          and checked afterwards, not posted; posting is one HTTP call per payout).

The write-back of cases a payment closed (one ERP call per case, after commit) is left out.

Afterwards it checks that every payment has its settlement, every payout's cash lines add up to
the payout to the cent, and every payout's voucher balances.
"""

import argparse
import datetime as dt
import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/letters.py would shadow the letters package
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "autocollect.settings")
os.environ.setdefault("AUTOCOLLECT_DEV_MODE", "1")
os.environ.setdefault("DJANGO_DEBUG", "0")  # DEBUG keeps a log of every query

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/autocollect_bench_settle"
TODAY = dt.date(2026, 11, 2)
DUE = TODAY - dt.timedelta(days=30)
CREDITORS = [("NO", "business"), ("NO", "consumer"), ("SE", "business"), ("SE", "consumer")]


def admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    return admin, parts.path.lstrip("/")


def recreate_database(url: str) -> None:
    import psycopg

    admin, name = admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    admin, name = admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(n: int):
    from cases.seeding import due_cases_in_bulk
    from creditors.models import AccountSetup, Creditor
    from nordic.countries import COUNTRIES

    creditors = []
    for i, (country, _) in enumerate(CREDITORS):
        creditor = Creditor.objects.create(
            legal_name=f"Bench creditor {i} ({country})",
            org_number=f"7{i:08d}",
            country=country,
            currency=COUNTRIES[country].currency,
            time_zone=COUNTRIES[country].time_zone,
            erp_kind="tripletex",
            status=Creditor.Status.ACTIVE,
            contact_email=f"ekonomi{i}@example.com",
            payout_account="8601 11 17947",
        )
        AccountSetup.objects.create(creditor=creditor, enabled=False)
        creditors.append(creditor)
    kinds = {c.pk: kind for c, (_, kind) in zip(creditors, CREDITORS, strict=True)}
    for start in range(0, n, 5000):
        due_cases_in_bulk(
            creditors=creditors,
            seqs=range(2_000_001 + start, 2_000_001 + min(start + 5000, n)),
            due=DUE,
            opened_on=TODAY,
            kind_of=lambda cr: kinds[cr.pk],
        )
    return creditors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--payments", type=int, default=10000)
    ap.add_argument("--db", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--profile", action="store_true", help="cProfile the pay phase (top 25)")
    args = ap.parse_args()
    if "bench" not in urlsplit(args.db).path:
        sys.exit("--db must name a database with 'bench' in its name: it is dropped")
    os.environ["DATABASE_URL"] = args.db
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    phases: dict[str, float] = {}

    def phase(name, fn, *a, **kw):
        started = time.perf_counter()
        result = fn(*a, **kw)
        phases[name] = time.perf_counter() - started
        return result

    import tempfile

    phase("create", recreate_database, args.db)
    import django
    from django.conf import settings

    django.setup()
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-settle-")
    from django.core.management import call_command
    from django.db import connection

    phase("migrate", call_command, "migrate", verbosity=0)
    creditors = phase("seed", seed, args.payments)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")

    from django.core import mail

    import collection.payments
    from cases import ledger
    from cases.models import Case, Payment
    from collection.payments import payment_register
    from collection.payouts import payouts_run
    from collection.postings import erp_voucher
    from settlements import split
    from settlements.models import Payout, Settlement, SettlementLine

    # The write-back of a case the payment closed is one ERP call per case, queued after commit:
    # not settling, and there is no ERP here. Left out.
    collection.payments.write_back_after_commit = lambda case_ids: None
    mail.outbox = []
    cases = list(Case.objects.select_related("creditor", "debtor").order_by("pk"))

    def pay_all():
        for i, case in enumerate(cases):
            amount = (
                Decimal("300.00")
                if i % 3 == 0
                else ledger.outstanding(case)
                + Decimal(
                    "40.00"  # the interest to the payment day is booked at payment: pay past it
                )
            )
            payment_register(
                case=case,
                source=Payment.Source.COLLECTOR,
                external_id=f"bench-{case.pk}",
                amount=amount,
                paid_on=TODAY,
            )

    import settlements.services as settling

    split_stats = {"seconds": 0.0, "queries": 0}
    queries = {"n": 0}

    def count(execute, sql, params, many, context):
        queries["n"] += 1
        return execute(sql, params, many, context)

    original_create = settling.settlement_create

    def timed_create(**kw):  # the settlement's share of a payment: split, lines
        started, before = time.perf_counter(), queries["n"]
        try:
            return original_create(**kw)
        finally:
            split_stats["seconds"] += time.perf_counter() - started
            split_stats["queries"] += queries["n"] - before

    settling.settlement_create = timed_create
    connection.execute_wrappers.append(count)
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        phase("pay", profiler.runcall, pay_all)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    else:
        phase("pay", pay_all)
    pay_queries = queries["n"]
    connection.execute_wrappers.remove(count)
    payouts = phase(
        "payout", lambda: [p for c in creditors for p in payouts_run(creditor=c, today=TODAY)]
    )

    # verify
    assert Settlement.objects.count() == len(cases), "a payment without its settlement"
    for payout in Payout.objects.all():
        cash = sum(
            SettlementLine.objects.filter(
                settlement__payout=payout, kind__in=split.CASH_KINDS
            ).values_list("amount", flat=True),
            Decimal("0.00"),
        )
        assert cash == payout.amount, (payout, cash)
        erp_voucher(payout)  # raises unless debits = credits
    assert len(mail.outbox) == len(payouts)
    assert not Settlement.objects.filter(status=Settlement.Status.PENDING).exists()

    n = len(cases)
    total = phases["pay"] + phases["payout"]
    lines = SettlementLine.objects.count()
    print(
        f"{n} payments over {len(creditors)} creditors: settled and paid out in {total:.2f} s"
        f" = {n / total:,.0f} payments/s ({lines} settlement lines, {len(payouts)} payouts)"
    )
    print(
        f"  pay: {pay_queries / n:.1f} queries per payment, of which the settlement"
        f" {split_stats['queries'] / n:.1f} ({split_stats['seconds'] / n * 1000:.1f} ms of"
        f" {phases['pay'] / n * 1000:.1f} ms per payment)"
    )
    for name, seconds in phases.items():
        extra = f"  ({n / seconds:,.0f} payments/s)" if name in ("pay", "payout") else ""
        print(f"  {name:<10} {seconds:8.2f} s{extra}")
    print("verified: a settlement per payment; each payout's lines sum to it; vouchers balance")
    connection.close()
    if not args.keep:
        drop_database(args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
