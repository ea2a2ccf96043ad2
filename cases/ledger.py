"""The case ledger: every balance is a sum of entries; payments are allocated component by
component in the country's order, and the order used is recorded on the payment."""

from decimal import Decimal

from django.db.models import Sum

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
