from cases.models import LedgerEntry


def fees(case) -> list[tuple[str, object]]:
    """The fees raised on a case, oldest first, as (ledger key, amount)."""
    return list(
        LedgerEntry.objects.filter(case=case, component="fee", kind="charge")
        .order_by("pk")
        .values_list("key", "amount")
    )
