"""Case.outstanding, the stored figure the case list filters and sorts on, is always the sum of
the case's ledger (cases.ledger.entries_post writes both in one transaction): after a mix of
every kind of ledger write, on SQLite and on PostgreSQL; no other code writes ledger entries; the
data migration fills it; the case list's amount filter and sort read it and answer as the ledger
sums would."""

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Exists, OuterRef, Q

from cases import ledger
from cases.ledger import ledger_outstanding, outstanding_mismatches
from cases.models import Case, DecisionRequest, LedgerEntry
from cases.payments import credit_register, payment_register
from cases.plans import payment_plan_create
from cases.selectors import CaseFilter, case_list
from cases.services import case_pause, case_withdraw, case_write_off, decision_answer
from collection.advance import advance_due_batch, case_advance
from collection.sync import creditor_sync
from integrations.emulation.testing import running
from integrations.tripletex.emulator import TripletexEmulator
from integrations.tripletex.emulator.seed import seed_bulk
from tests.conftest import TT_TODAY

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = TT_TODAY
ROOT = Path(__file__).resolve().parents[2]


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC)  # the same day in the Nordics


def agree() -> int:
    """Assert every case's stored outstanding is its ledger's sum, and its stored decision
    deadline its open decision's (None without one); returns how many cases."""
    assert outstanding_mismatches() == []
    assert deadline_mismatches() == []
    return Case.objects.count()


def deadline_mismatches() -> list[tuple[int, dt.date | None, dt.date | None]]:
    open_ = dict(DecisionRequest.objects.filter(answer="").values_list("case_id", "deadline"))
    return [
        (pk, stored, open_.get(pk))
        for pk, stored in Case.objects.values_list("pk", "decision_deadline")
        if stored != open_.get(pk)
    ]


def fresh(case: Case) -> Case:
    return Case.objects.select_related("debtor").get(pk=case.pk)


def test_stored_outstanding_is_the_ledgers_sum_after_every_kind_of_write(make_creditor, make_case):
    # bulk import: 12 cases opened by the sync's bulk path (COPY on PostgreSQL)
    with running(TripletexEmulator(), seed=lambda e: seed_bulk(e, TODAY, 12)) as erp:
        token = erp.seeded["companies"][0]["employee_token"]
        no = make_creditor(erp_connection={"base_url": erp.url, "employee_token": token})
        assert creditor_sync(creditor=no, today=TODAY).cases_opened == 12
    se, fi = make_creditor(country="SE"), make_creditor(country="FI")
    # case_open, one at a time
    n1, n2, n3 = (make_case(no, amount=D(a), today=TODAY) for a in ("1200.00", "640.50", "90.00"))
    s1, s2 = (make_case(se, amount=D("3000.00"), today=TODAY, kind="consumer") for _ in "12")
    f1, f2 = (make_case(fi, amount=D("1500.00"), today=TODAY, kind="consumer") for _ in "12")
    assert agree() == 19

    # one case advanced on its own, then daily batches: reminders with their fees and interest
    assert case_advance(case_id=f1.pk, today=TODAY, render=False) == "reminder"
    day = TODAY
    for _ in range(20):
        advance_due_batch(now=at(day), render=False)
        day += dt.timedelta(days=1)
    agree()

    # a partial payment (fee and interest first), a payment booked before a Swedish letter went
    # out (its fee credited), an overpayment (owed back, not owed), credit notes (partial; in full
    # it closes the case and credits the fees), a write-off, then money after it, a withdrawal,
    # a Swedish payment plan's fee
    payment_register(case=n1, source="collector", external_id="p-n1", amount=D("400"), paid_on=day)
    se_letter = fresh(s1).letters.order_by("-letter_date").first()
    payment_register(
        case=s1, source="direct", external_id="p-s1", amount=D("50"),
        paid_on=se_letter.letter_date - dt.timedelta(days=1),
    )  # fmt: skip
    payment_register(case=n3, source="collector", external_id="p-n3", amount=D("900"), paid_on=day)
    credit_register(
        case=f1, invoice=f1.invoices.get(), amount=D("500"), credited_on=day, external_id="cn-f1"
    )
    credit_register(
        case=f2, invoice=f2.invoices.get(), amount=D("1500"), credited_on=day, external_id="cn-f2"
    )
    case_write_off(case=n2, today=day)
    payment_register(case=n2, source="collector", external_id="p-n2", amount=D("300"), paid_on=day)
    imported = Case.objects.filter(creditor=no).exclude(pk__in=[n1.pk, n2.pk, n3.pk])
    case_withdraw(case=imported.order_by("pk").first(), today=day)
    payment_plan_create(case=s2, instalments=3, first_due=day + dt.timedelta(10), today=day)
    agree()

    # more batches, far enough for the creditor's decision, and one answered by hand
    open_decision = Case.objects.filter(stage=Case.Stage.DECISION, status=Case.Status.OPEN)
    for _ in range(120):
        advance_due_batch(now=at(day), render=False)
        day += dt.timedelta(days=1)
        if open_decision.exists():
            break
    waiting = open_decision.first()
    assert waiting is not None
    agree()
    assert fresh(waiting).decision_deadline == waiting.decisions.get(answer="").deadline
    option = waiting.decisions.get(answer="").options[0]
    decision_answer(case=waiting, option=option, today=day, actor=None)
    assert fresh(waiting).decision_deadline is None
    payment_register(case=n1, source="collector", external_id="p-n1b", amount=D("10"), paid_on=day)
    # and the same payment twice books nothing
    payment_register(case=n1, source="collector", external_id="p-n1b", amount=D("10"), paid_on=day)
    agree()

    written = Counter(LedgerEntry.objects.values_list("kind", "component"))
    for kind_component in [
        ("charge", "capital"), ("charge", "fee"), ("charge", "interest"), ("payment", "fee"),
        ("payment", "capital"), ("payment", "overpayment"), ("credit", "capital"),
        ("credit", "fee"), ("write_off", "capital"), ("write_off", "fee"),
        ("write_off_reversal", "fee"), ("write_off_reversal", "capital"),
    ]:  # fmt: skip
        assert written[kind_component], (kind_component, written)
    assert LedgerEntry.objects.filter(case=s1, key__startswith="credit:fee:").exists()
    assert LedgerEntry.objects.filter(case=s2, key__startswith="fee:payment_plan:").exists()
    outcomes = set(Case.objects.values_list("outcome", flat=True))
    assert {"paid", "credited", "written_off", "withdrawn"} <= outcomes
    # the figure moved away from the invoices' capital on most cases
    moved = Case.objects.exclude(outstanding__in=[D("1200"), D("640.50"), D("90"), D("3000")])
    assert moved.count() > 12
    assert fresh(n3).outstanding == 0  # overpaid: nothing owed, the rest owed back

    # past the other decisions' deadlines: their defaults applied, their cases' deadlines cleared
    waiting = Case.objects.filter(decision_deadline__isnull=False)
    for _ in range(120):
        if waiting.exists():
            break
        advance_due_batch(now=at(day), render=False)
        day += dt.timedelta(days=1)
    pending = set(waiting.values_list("pk", flat=True))
    assert pending
    agree()
    for _ in range(40):
        advance_due_batch(now=at(day), render=False)
        day += dt.timedelta(days=1)
    agree()
    defaulted = DecisionRequest.objects.filter(case__in=pending, answered_at__isnull=True)
    assert defaulted.exclude(answer="").count() == len(pending)
    assert not Case.objects.filter(pk__in=pending, decision_deadline__isnull=False).exists()


def test_a_batch_moves_the_outstanding_of_the_cases_it_saves_in_one_update(
    make_creditor, make_case
):
    """The engine's batch writes the moved figure with its one case update (no UPDATE more)."""
    creditor = make_creditor()
    cases = [make_case(creditor, today=TODAY) for _ in range(3)]
    advance_due_batch(now=at(TODAY), render=False)
    agree()
    fees = {c.pk: ledger.outstanding(c) - D("1000.00") for c in cases}
    assert all(fee > 0 for fee in fees.values())
    assert all(fresh(c).outstanding == D("1000.00") + fees[c.pk] for c in cases)


WRITES = re.compile(
    r"LedgerEntry\.objects\.(create|bulk_create|get_or_create|update_or_create)"
    r"|insert\(\s*LedgerEntry|copy_rows\(\s*LedgerEntry|\.ledger\.(create|add)\("
    r"|(INSERT INTO|UPDATE|COPY) cases_ledgerentry",
    re.IGNORECASE,
)
# cases.ledger posts; the bulk opening and the test seeding write new cases owing their entries.
ALLOWED = {"cases/ledger.py", "cases/opening.py", "cases/seeding.py"}


def test_no_code_but_entries_post_writes_ledger_entries():
    apps_dirs = [p for p in ROOT.iterdir() if (p / "__init__.py").exists()]
    found = []
    for package in apps_dirs:
        for path in package.rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" in rel or rel in ALLOWED:
                continue
            if WRITES.search(path.read_text()):
                found.append(rel)
    assert found == []
    assert WRITES.search((ROOT / "cases/ledger.py").read_text())  # the pattern finds writes


def test_the_migration_fills_the_stored_outstanding(make_creditor, make_case):
    migration = __import__("cases.migrations.0011_case_outstanding", fromlist=["fill"])
    creditor = make_creditor()
    paid = make_case(creditor, amount=D("800.00"), today=TODAY)
    payment_register(case=paid, source="collector", external_id="x", amount=D("900"), paid_on=TODAY)
    make_case(creditor, amount=D("123.45"), today=TODAY)
    advance_due_batch(now=at(TODAY), render=False)
    Case.objects.update(outstanding=D("0.00"))  # as the added column leaves existing cases
    assert len(outstanding_mismatches()) == 1  # the paid case owes 0 (its overpayment is owed back)

    def execute(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    migration.fill(apps, SimpleNamespace(connection=connection, execute=execute))
    assert agree() == 2


def test_the_migration_fills_the_stored_decision_deadline(make_creditor, make_case):
    migration = __import__("cases.migrations.0016_case_decision_deadline", fromlist=["fill"])
    creditor = make_creditor()
    make_case(creditor, today=TODAY)
    make_case(creditor, today=TODAY)
    waiting, day = Case.objects.filter(decision_deadline__isnull=False), TODAY
    while not waiting.exists() and day < TODAY + dt.timedelta(200):
        advance_due_batch(now=at(day), render=False)
        day += dt.timedelta(days=1)
    assert waiting.count() == 2
    Case.objects.update(decision_deadline=None)  # as the added column leaves existing cases
    assert len(deadline_mismatches()) == 2

    def execute(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    migration.fill(apps, SimpleNamespace(connection=connection, execute=execute))
    assert agree() == 2 and waiting.count() == 2


def test_the_case_list_filters_and_sorts_on_the_stored_figure_as_on_the_ledgers_sums(
    make_creditor, make_case
):
    creditor = make_creditor()
    amounts = ["100.00", "950.00", "2500.00", "2500.00", "7000.00", "40.10"]
    cases = [make_case(creditor, amount=D(a), today=TODAY) for a in amounts]
    advance_due_batch(now=at(TODAY), render=False)  # fees and interest on every case
    payment_register(
        case=cases[1], source="collector", external_id="p", amount=D("500"), paid_on=TODAY
    )
    payment_register(
        case=cases[5], source="collector", external_id="o", amount=D("999"), paid_on=TODAY
    )  # overpaid: owes 0
    make_case(make_creditor(), amount=D("2500.00"))  # another creditor's case never shows
    summed = dict(
        Case.objects.for_creditor(creditor)
        .annotate(owed=ledger_outstanding())
        .values_list("pk", "owed")
    )
    assert len(set(summed.values())) == 5  # two cases owe the same: the sort's tie on the key

    def in_range(lo, hi):
        return {
            pk
            for pk, owed in summed.items()
            if (lo is None or owed >= lo) and (hi is None or owed <= hi)
        }

    for lo, hi in [(None, D("1000")), (D("900"), D("3000")), (D("5000"), None), (D("0"), D("0"))]:
        listed = case_list(creditor=creditor, filters=CaseFilter(amount_min=lo, amount_max=hi))
        assert {c.pk for c in listed} == in_range(lo, hi) and listed, (lo, hi)
    for sort in ("outstanding", "-outstanding"):
        got = [c.pk for c in case_list(creditor=creditor, filters=CaseFilter(sort=sort))]
        descending = sort.startswith("-")
        assert got == sorted(summed, key=lambda pk: (summed[pk], pk), reverse=descending)
        listed = case_list(creditor=creditor, filters=CaseFilter(sort=sort))
        assert [c.outstanding for c in listed] == [summed[pk] for pk in got]
    # it reads the stored column, never the ledger
    f = CaseFilter(amount_min=D("1"), amount_max=D("9000"), sort="-outstanding")
    sql = str(case_list(creditor=creditor, filters=f).query)
    assert "cases_ledgerentry" not in sql and '"cases_case"."outstanding"' in sql


def test_every_case_list_filter_and_sort_answers_as_the_queries_before_the_stored_columns(
    make_creditor, make_case
):
    """The pending-decision filter reads Case.decision_deadline, the debtor filter and the name
    search the matching debtors' ids: the same rows, in the same order, as the joins and the
    Exists over open decisions they replace; every sort gives the columns' order, ties on the
    key, cases without a next action last."""
    creditor = make_creditor()
    names = ["Berg Bygg AS", "Solberg", "Strand Kafé", "Fjellheim", "Aas Maling", "Bergstrand"]
    cases, day = [], TODAY
    waiting = Case.objects.filter(creditor=creditor, decision_deadline__isnull=False)
    for i in range(300):  # a case opened every five days: at different stages when we stop
        if i % 5 == 0:
            amount = D(100 + 37 * len(cases))
            cases.append(make_case(creditor, amount=amount, due=day - dt.timedelta(30), today=day))
        advance_due_batch(now=at(day), render=False)
        day += dt.timedelta(days=1)
        stages = set(Case.objects.filter(creditor=creditor).values_list("stage", flat=True))
        if len(cases) >= 8 and waiting.count() >= 3 and len(stages) >= 4:
            break
    first = waiting.order_by("pk").first()
    decision_answer(
        case=first,
        option="surveillance"
        if "surveillance" in first.decisions.get(answer="").options
        else "close",
        today=day,
        actor=None,
    )
    case_pause(case=cases[-1], reason="disputed")
    for i, case in enumerate(cases):
        case.debtor.name = names[i % len(names)] + f" {i}"
        case.debtor.number, case.debtor.identity_number = f"K{i}", f"99887766{i}"
        case.debtor.save()
    make_case(make_creditor(), amount=D("500"))  # another creditor's case never shows
    agree()
    rows = list(Case.objects.for_creditor(creditor).select_related("debtor"))
    open_decisions = set(
        DecisionRequest.objects.filter(answer="").values_list("case_id", flat=True)
    )
    stages = Counter(c.stage for c in rows)
    assert len(stages) >= 3 and 2 <= len(open_decisions & {c.pk for c in rows}) < len(rows), stages

    def ids(f):
        return [c.pk for c in case_list(creditor=creditor, filters=f)]

    # filters: the rows the old queries (joins, Exists) found
    base = Case.objects.for_creditor(creditor)
    pending = Exists(DecisionRequest.objects.filter(answer="", case=OuterRef("pk")))

    def old_debtor(v):
        return Q(debtor__name__icontains=v) | Q(debtor__number=v) | Q(debtor__identity_number=v)

    for f, old in [
        (CaseFilter(pending_decision=True), base.filter(pending)),
        (CaseFilter(pending_decision=False), base.filter(~pending)),
        (CaseFilter(debtor="berg"), base.filter(old_debtor("berg"))),
        (CaseFilter(debtor="K3"), base.filter(old_debtor("K3"))),
        (CaseFilter(debtor="998877665"), base.filter(old_debtor("998877665"))),
        (CaseFilter(query="strand"), base.filter(debtor__name__icontains="strand")),
        (
            CaseFilter(debtor="berg", pending_decision=True),
            base.filter(old_debtor("berg"), pending),
        ),
    ]:
        expected = set(old.values_list("pk", flat=True))
        assert set(ids(f)) == expected and expected, f

    # sorts: the column's order, then the key; next action empty last either way
    keys = {
        "stage": lambda c: c.stage, "status": lambda c: c.status,
        "next_action": lambda c: c.next_action_on, "debtor": lambda c: c.debtor.name,
        "opened": lambda c: c.opened_on, "number": lambda c: c.number,
        "outstanding": lambda c: c.outstanding,
    }  # fmt: skip
    for sort, key in keys.items():
        for descending in (False, True):
            got = ids(CaseFilter(sort=("-" if descending else "") + sort))
            have = [c for c in rows if key(c) is not None]
            expected = [
                c.pk for c in sorted(have, key=lambda c: (key(c), c.pk), reverse=descending)
            ]
            expected += [
                c.pk
                for c in sorted(
                    (c for c in rows if key(c) is None), key=lambda c: c.pk, reverse=descending
                )
            ]
            assert got == expected, (sort, descending)
    # filtered and sorted: pending decisions by next action
    got = ids(CaseFilter(pending_decision=True, sort="next_action"))
    assert got == [
        c.pk
        for c in sorted(
            (c for c in rows if c.pk in open_decisions), key=lambda c: (c.next_action_on, c.pk)
        )
    ]
