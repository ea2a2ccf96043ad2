"""Reads for the support console. Support staff work across every creditor, so these queries are
not scoped by one (the console is for staff only, and opening one creditor's data is logged)."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from cases.messages import case_thread, creditor_thread
from cases.models import Case, Message
from creditors.models import Creditor
from settlements.models import IncomingPayment
from support.models import Ticket

SEARCH_LIMIT = 20


def ticket_list(
    *,
    kind: str = "",
    creditor_id: int | None = None,
    status: str = Ticket.Status.OPEN,
    assignee=None,
) -> QuerySet[Ticket]:
    qs = Ticket.objects.select_related("creditor", "case", "assignee")
    if kind:
        qs = qs.filter(kind=kind)
    if creditor_id:
        qs = qs.filter(creditor_id=creditor_id)
    if status:
        qs = qs.filter(status=status)
    if assignee is not None:
        qs = qs.filter(assignee=assignee)
    return qs


def ticket_get(*, pk: int) -> Ticket:
    return Ticket.objects.select_related("creditor", "case", "case__debtor", "assignee").get(pk=pk)


def ticket_thread(*, ticket: Ticket) -> QuerySet[Message] | None:
    """The conversation a reply goes to: the case's, else the creditor's general one."""
    if ticket.creditor is None:
        return None
    if ticket.case is not None:
        return case_thread(creditor=ticket.creditor, case=ticket.case)
    return creditor_thread(creditor=ticket.creditor)


def support_staff() -> QuerySet:
    return get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")


def unmatched_payments() -> QuerySet[IncomingPayment]:
    return IncomingPayment.objects.filter(status=IncomingPayment.Status.UNMATCHED)


def incoming_get(*, pk: int) -> IncomingPayment:
    return IncomingPayment.objects.get(pk=pk)


def case_search(*, query: str, currency: str = "") -> list[Case]:
    """Cases of any creditor by case number, payment reference, debtor name or invoice number."""
    query = query.strip()
    if not query:
        return []
    digits = query.replace(" ", "")
    qs = Case.objects.select_related("creditor", "debtor").filter(
        Q(number=digits)
        | Q(payment_reference=digits)
        | Q(payment_reference=digits.lstrip("0"))
        | Q(debtor__name__icontains=query)
        | Q(invoices__number=query)
    )
    if currency:
        qs = qs.filter(currency=currency)
    return list(qs.distinct().order_by("-opened_on", "-pk")[:SEARCH_LIMIT])


def case_get(*, pk) -> Case:
    return Case.objects.select_related("creditor").get(pk=pk)


def creditor_choices() -> QuerySet[Creditor]:
    return Creditor.objects.order_by("legal_name").only("pk", "legal_name")
