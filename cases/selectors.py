"""Reads on cases, always scoped by an explicit creditor (except the system-wide batch queries)."""

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from cases.models import Case, CaseEvent, DecisionRequest, LedgerEntry
from creditors.models import Creditor


def case_list(*, creditor: Creditor, status: str | None = None, query: str = "") -> QuerySet[Case]:
    qs = (
        Case.objects.for_creditor(creditor)
        .select_related("debtor")
        .annotate(outstanding=_outstanding_subquery())
        .order_by("-opened_on", "-pk")
    )
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(
            Q(number__icontains=query)
            | Q(debtor__name__icontains=query)
            | Q(invoices__number=query)
        ).distinct()
    return qs


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
