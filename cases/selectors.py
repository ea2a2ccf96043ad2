"""Reads on cases, always scoped by an explicit creditor (except the system-wide batch queries)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, QuerySet

from cases.models import Case, CaseEvent, DecisionRequest, Invoice
from creditors.models import Creditor

# The case list's sort keys (a "-" in front: descending) and the columns they order by; every
# order ends on the primary key so that pages never repeat or skip a row.
CASE_SORTS: dict[str, tuple[str, ...]] = {
    "opened": ("opened_on",),
    "number": ("number",),
    "debtor": ("debtor__name",),
    "stage": ("stage",),
    "status": ("status",),
    "next_action": ("next_action_on",),
    "outstanding": ("outstanding",),
}
DEFAULT_SORT = "-opened"
NULLABLE_SORTS = frozenset({"next_action_on", "number"})
BULK_IDS = 1000  # at most this many cases share an invoice or case number (never, in practice)


@dataclass(frozen=True)
class CaseFilter:
    """What the case list is narrowed to and ordered by (the portal's form and the API's query
    parameters both produce one: cases.filters)."""

    query: str = ""  # a case, invoice or KID number (whole), or words of the debtor's name
    stage: str = ""
    status: str = ""
    debtor: str = ""  # the debtor's name (part of it), customer number or org/personal number
    opened_from: dt.date | None = None
    opened_to: dt.date | None = None
    amount_min: Decimal | None = None  # outstanding, in the case's currency
    amount_max: Decimal | None = None
    pending_decision: bool | None = None  # True: only cases awaiting the creditor's decision
    sort: str = DEFAULT_SORT


def case_list(
    *,
    creditor: Creditor,
    filters: CaseFilter | None = None,
    status: str | None = None,
    query: str = "",
) -> QuerySet[Case]:
    """The creditor's cases, filtered and sorted in the database (one query per page whatever
    the number of cases). `status`/`query` are shorthands for the fields of `filters`."""
    f = filters or CaseFilter(status=status or "", query=query)
    qs = (
        Case.objects.for_creditor(creditor)
        # The page's debtors in a second query, not joined: a join between the sort and the
        # LIMIT keeps PostgreSQL from sorting only the top rows (it sorted all, on disk).
        .prefetch_related("debtor")
    )
    if f.status:
        qs = qs.filter(status=f.status)
    if f.stage:
        qs = qs.filter(stage=f.stage)
    if f.opened_from:
        qs = qs.filter(opened_on__gte=f.opened_from)
    if f.opened_to:
        qs = qs.filter(opened_on__lte=f.opened_to)
    # What the case owes is stored on it (Case.outstanding, kept with its ledger): the amount
    # filter and the sort by it read the (creditor, outstanding, id) index.
    if f.amount_min is not None:
        qs = qs.filter(outstanding__gte=f.amount_min)
    if f.amount_max is not None:
        qs = qs.filter(outstanding__lte=f.amount_max)
    if f.pending_decision is not None:
        # the open decision's deadline is stored on the case (cases.engine.write keeps it)
        qs = qs.filter(decision_deadline__isnull=not f.pending_decision)
    if f.debtor:
        qs = qs.filter(
            Q(debtor__name__icontains=f.debtor)
            | Q(debtor__number=f.debtor)
            | Q(debtor__identity_number=f.debtor)
        )
    if f.query:
        # A case, invoice or KID number is matched whole, words search the debtor's name. The
        # numbers are looked up first, through their indexes (one query, a handful of ids):
        # inside an OR, PostgreSQL would test them against every case of the creditor.
        ids = list(
            Invoice.objects.for_creditor(creditor)
            .filter(number=f.query, case__isnull=False)
            .values_list("case_id", flat=True)[:BULK_IDS]
        )
        if f.query.isdigit():
            ids += (
                Case.objects.for_creditor(creditor)
                .filter(Q(number=f.query) | Q(payment_reference=f.query))
                .values_list("pk", flat=True)[:BULK_IDS]
            )
            qs = qs.filter(pk__in=ids)
        else:
            qs = qs.filter(Q(pk__in=ids) | Q(debtor__name__icontains=f.query))
    return qs.order_by(*_ordering(f.sort))


def _ordering(sort: str) -> list:
    if sort.lstrip("-") not in CASE_SORTS:
        sort = DEFAULT_SORT
    descending, columns = sort.startswith("-"), CASE_SORTS[sort.lstrip("-")]
    # nulls_last only where a column may be empty: on a NOT NULL column it would keep PostgreSQL
    # from reading the (creditor, opened_on, id) index backwards for the default order
    order = [
        (F(c).desc(nulls_last=True) if descending else F(c).asc(nulls_last=True))
        if c in NULLABLE_SORTS
        else (F(c).desc() if descending else F(c).asc())
        for c in columns
    ]
    return [*order, "-pk" if descending else "pk"]


def case_get(*, creditor: Creditor, number: str) -> Case:
    return Case.objects.for_creditor(creditor).select_related("debtor").get(number=number)


def case_history(*, creditor: Creditor, case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.for_creditor(creditor).filter(case=case)


def case_open_decision(*, creditor: Creditor, case: Case) -> DecisionRequest | None:
    return DecisionRequest.objects.for_creditor(creditor).filter(case=case, answer="").first()
