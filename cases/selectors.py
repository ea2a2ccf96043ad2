"""Reads on cases, always scoped by an explicit creditor (except the system-wide batch queries)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from cases.models import Case, CaseEvent, DecisionRequest, Invoice, LedgerEntry
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


@dataclass(frozen=True)
class CaseFilter:
    """What the case list is narrowed to and ordered by (the portal's form and the API's query
    parameters both produce one: cases.filters)."""

    query: str = ""  # case number, invoice number, payment reference or debtor name
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
        .select_related("debtor")
        .annotate(
            outstanding=_outstanding_subquery(),
            decision_deadline=Subquery(
                _open_decisions().filter(case=OuterRef("pk")).values("deadline")[:1]
            ),
        )
    )
    if f.status:
        qs = qs.filter(status=f.status)
    if f.stage:
        qs = qs.filter(stage=f.stage)
    if f.opened_from:
        qs = qs.filter(opened_on__gte=f.opened_from)
    if f.opened_to:
        qs = qs.filter(opened_on__lte=f.opened_to)
    if f.amount_min is not None:
        qs = qs.filter(outstanding__gte=f.amount_min)
    if f.amount_max is not None:
        qs = qs.filter(outstanding__lte=f.amount_max)
    if f.pending_decision is not None:
        pending = Exists(_open_decisions().filter(case=OuterRef("pk")))
        qs = qs.filter(pending if f.pending_decision else ~pending)
    if f.debtor:
        qs = qs.filter(
            Q(debtor__name__icontains=f.debtor)
            | Q(debtor__number=f.debtor)
            | Q(debtor__identity_number=f.debtor)
        )
    if f.query:
        # Exists, not a join: a case with two matching invoices stays one row, without DISTINCT.
        invoice = Invoice.objects.filter(case=OuterRef("pk"), number=f.query)
        qs = qs.filter(
            Q(number__icontains=f.query)
            | Q(payment_reference=f.query)
            | Q(debtor__name__icontains=f.query)
            | Exists(invoice)
        )
    return qs.order_by(*_ordering(f.sort))


def _ordering(sort: str) -> list:
    if sort.lstrip("-") not in CASE_SORTS:
        sort = DEFAULT_SORT
    descending, columns = sort.startswith("-"), CASE_SORTS[sort.lstrip("-")]
    order = [
        F(c).desc(nulls_last=True) if descending else F(c).asc(nulls_last=True) for c in columns
    ]
    return [*order, "-pk" if descending else "pk"]


def _open_decisions() -> QuerySet[DecisionRequest]:
    return DecisionRequest.objects.filter(answer="")


def case_get(*, creditor: Creditor, number: str) -> Case:
    return Case.objects.for_creditor(creditor).select_related("debtor").get(number=number)


def case_history(*, creditor: Creditor, case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.for_creditor(creditor).filter(case=case)


def case_open_decision(*, creditor: Creditor, case: Case) -> DecisionRequest | None:
    return DecisionRequest.objects.for_creditor(creditor).filter(case=case, answer="").first()


def _outstanding_subquery():
    """What the debtor owes on the case (capital, fees, interest), as one column of the query."""
    owed = (
        LedgerEntry.objects.filter(case=OuterRef("pk"))
        .exclude(component=LedgerEntry.Component.OVERPAYMENT)
        .values("case")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    return Coalesce(Subquery(owed, output_field=money), Value(0, output_field=money))
