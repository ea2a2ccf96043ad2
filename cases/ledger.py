"""The case ledger: every balance is a sum of entries; payments are allocated component by
component in the country's order, and the order used is recorded on the payment.

Entries enter the ledger through `entries_post` alone, which moves the case's stored outstanding
(Case.outstanding, what the case list filters and sorts on) by the same amounts in the same
transaction. tests/cases/test_stored_outstanding.py checks that no other code writes entries and
that the stored figure equals the ledger's sum after every kind of write."""

from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Case as SqlCase
from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Round

from cases.bulk import insert
from cases.models import Case, LedgerEntry

C = LedgerEntry.Component
ZERO = Decimal("0.00")

# perintälaki 7 §: a Finnish consumer's payment goes to capital first; elsewhere costs first
# (agency practice; no statute found for SE, NO: see domain-rules.md § 4).
CONSUMER_FI_ORDER = (C.CAPITAL, C.INTEREST, C.FEE)
DEFAULT_ORDER = (C.FEE, C.INTEREST, C.CAPITAL)


def allocation_order(case: Case) -> tuple[str, ...]:
    if case.country == "FI" and case.debtor.kind == "consumer":
        return CONSUMER_FI_ORDER
    return DEFAULT_ORDER


def balances(case: Case) -> dict[str, Decimal]:
    rows = LedgerEntry.objects.filter(case=case).values("component").annotate(total=Sum("amount"))
    result = {c: ZERO for c in C.values}
    for row in rows:
        # SQLite sums decimals as floats-turned-Decimal: round back to cents.
        result[row["component"]] = (row["total"] or ZERO).quantize(ZERO)
    return result


def outstanding(case: Case) -> Decimal:
    b = balances(case)
    return b[C.CAPITAL] + b[C.FEE] + b[C.INTEREST]


def split(amount: Decimal, owed: dict[str, Decimal], order) -> dict[str, Decimal]:
    """How much of `amount` goes to each component, in `order`; the rest is overpayment."""
    parts: dict[str, Decimal] = {}
    left = amount
    for component in order:
        take = min(left, max(owed.get(component, ZERO), ZERO))
        if take > 0:
            parts[component] = take
            left -= take
    if left > 0:
        parts[C.OVERPAYMENT] = left
    return parts


# --- the stored outstanding ----------------------------------------------------------------

OWED = (C.CAPITAL, C.FEE, C.INTEREST)  # an overpayment is owed back to the debtor, not owed
SQLITE_CHUNK = 500  # cases per UPDATE on SQLite (two parameters each)
MOVE_OUTSTANDING = """UPDATE cases_case AS c SET outstanding = c.outstanding + v.change
    FROM unnest(%s::bigint[], %s::numeric[]) AS v(id, change) WHERE c.id = v.id"""


def owed_change(entries) -> dict[int, Decimal]:
    """What the entries add to each case's outstanding: case id -> amount (zero sums left in)."""
    change: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for e in entries:
        if e.component != C.OVERPAYMENT:
            change[e.case_id] += e.amount
    return dict(change)


def entries_post(entries: list[LedgerEntry], *, caller_saves_cases: bool = False) -> None:
    """Write the entries (COPY on PostgreSQL, bulk_create elsewhere; their ids are set) and move
    each case's stored outstanding by what they add to it, in the caller's transaction: one
    UPDATE for all the cases. The entries' case instances, where loaded, are moved in memory too.

    `caller_saves_cases`: the caller holds the cases' row locks, read them after taking the locks
    and saves their `outstanding` with its own update right after (the engine's batch update,
    cases.bulk.update_cases); then only the instances are moved, and every case must be loaded
    on its entries."""
    if not entries:
        return
    amount = LedgerEntry._meta.get_field("amount")
    for e in entries:  # to cents as they are stored, before they are summed
        e.amount = amount.to_python(e.amount)
    change = owed_change(entries)
    instances = {id(e.case): e.case for e in entries if LedgerEntry.case.is_cached(e)}
    if caller_saves_cases and {e.case_id for e in entries} - {c.pk for c in instances.values()}:
        raise ValueError("caller_saves_cases: every entry must carry its loaded case")
    insert(LedgerEntry, entries)
    for case in instances.values():
        case.outstanding = case.outstanding + change.get(case.pk, ZERO)
    if not caller_saves_cases:
        _move_outstanding({k: v for k, v in change.items() if v})


def _move_outstanding(change: dict[int, Decimal]) -> None:
    if not change:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(MOVE_OUTSTANDING, [list(change), list(change.values())])
        return
    # SQLite keeps decimals as floats: round the sum back to cents, as a fresh write stores it.
    money = DecimalField(max_digits=14, decimal_places=2)
    items = list(change.items())
    for start in range(0, len(items), SQLITE_CHUNK):
        part = dict(items[start : start + SQLITE_CHUNK])
        by_case = SqlCase(
            *(When(pk=pk, then=Value(amount, output_field=money)) for pk, amount in part.items()),
            output_field=money,
        )
        Case.objects.filter(pk__in=part).update(
            outstanding=Round(F("outstanding") + by_case, 2, output_field=money)
        )


def ledger_outstanding():
    """Each case's outstanding summed from its ledger, as a column of a Case query."""
    owed = (
        LedgerEntry.objects.filter(case=OuterRef("pk"))
        .exclude(component=C.OVERPAYMENT)
        .values("case")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    return Coalesce(Subquery(owed, output_field=money), Value(ZERO, output_field=money))


def outstanding_mismatches(cases=None) -> list[tuple[int, Decimal, Decimal]]:
    """Cases whose stored outstanding differs from their ledger's sum: (id, stored, ledger).
    Empty when the two agree, as they must (support and the tests ask; nothing repairs)."""
    qs = (cases if cases is not None else Case.objects.all()).annotate(owed=ledger_outstanding())
    rows = qs.values_list("pk", "outstanding", "owed").order_by("pk")
    return [(pk, s, o) for pk, s, o in rows if s.quantize(ZERO) != Decimal(o).quantize(ZERO)]
