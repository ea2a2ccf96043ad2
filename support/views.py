"""The support console: tickets across every creditor (assign, reply, close) and the unmatched
payments queue with matching by hand. Support staff only (creditors.permissions); opening one
creditor's data here is written to the audit log as the portal's views are (creditors.audit)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.models import Case
from creditors.audit import support_access_record
from creditors.permissions import require_support
from settlements.models import IncomingPayment
from support import selectors, services
from support.models import Ticket
from support.refresh import tickets_refresh

PAGE_SIZE = 50


def support_only(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        require_support(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def _ticket(pk) -> Ticket:
    try:
        return selectors.ticket_get(pk=pk)
    except Ticket.DoesNotExist:
        raise Http404("No such ticket") from None


def _incoming(pk) -> IncomingPayment:
    try:
        return selectors.incoming_get(pk=pk)
    except IncomingPayment.DoesNotExist:
        raise Http404("No such payment") from None


@support_only
def ticket_list(request):
    tickets_refresh()  # cheap (support.refresh): the list is as fresh as its sources
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", Ticket.Status.OPEN)
    mine = request.GET.get("mine") == "1"
    creditor_id = request.GET.get("creditor", "")
    tickets = selectors.ticket_list(
        kind=kind if kind in Ticket.Kind.values else "",
        status=status if status in Ticket.Status.values else "",
        creditor_id=int(creditor_id) if creditor_id.isdigit() else None,
        assignee=request.user if mine else None,
    )
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "support/ticket_list.html",
        {
            "page": page,
            "kinds": Ticket.Kind.choices,
            "statuses": Ticket.Status.choices,
            "kind": kind,
            "status": status,
            "mine": mine,
            "creditor_id": creditor_id,
            "creditors": selectors.creditor_choices(),
            "query": request.GET.urlencode(),
        },
    )


@support_only
def ticket_detail(request, ticket_id):
    ticket = _ticket(ticket_id)
    if ticket.creditor is not None:
        support_access_record(user=request.user, creditor=ticket.creditor)
    return render(
        request,
        "support/ticket_detail.html",
        {
            "ticket": ticket,
            "thread": selectors.ticket_thread(ticket=ticket),
            "staff": selectors.support_staff(),
        },
    )


@support_only
@require_POST
def ticket_assign(request, ticket_id):
    ticket = _ticket(ticket_id)
    who = request.POST.get("assignee", "")
    assignee = None
    if who == "me":
        assignee = request.user
    elif who:
        assignee = selectors.support_staff().filter(pk=who).first()
        if assignee is None:
            raise Http404("No such support user")
    services.ticket_assign(ticket=ticket, assignee=assignee)
    messages.success(request, _("Ticket assigned.") if assignee else _("Ticket unassigned."))
    return redirect("support-ticket", ticket_id=ticket.pk)


@support_only
@require_POST
def ticket_reply(request, ticket_id):
    ticket = _ticket(ticket_id)
    try:
        services.ticket_reply(ticket=ticket, author=request.user, body=request.POST.get("body", ""))
        messages.success(request, _("Your answer was sent to the creditor."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("support-ticket", args=[ticket.pk]) + "#thread")


@support_only
@require_POST
def ticket_close(request, ticket_id):
    ticket = services.ticket_close(ticket=_ticket(ticket_id), user=request.user)
    messages.success(request, _("Ticket closed."))
    return redirect("support-ticket", ticket_id=ticket.pk)


@support_only
def payment_list(request):
    page = Paginator(selectors.unmatched_payments(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "support/payment_list.html", {"page": page})


@support_only
def payment_detail(request, incoming_id):
    incoming = _incoming(incoming_id)
    query = request.GET.get("q", "")
    found = selectors.case_search(query=query, currency=incoming.currency)
    for creditor in {case.creditor for case in found}:  # their cases are shown: logged
        support_access_record(user=request.user, creditor=creditor)
    return render(
        request,
        "support/payment_detail.html",
        {"incoming": incoming, "q": query, "found": found},
    )


@support_only
@require_POST
def payment_match(request, incoming_id):
    incoming = _incoming(incoming_id)
    try:
        case = selectors.case_get(pk=request.POST.get("case"))
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("No such case") from None
    support_access_record(user=request.user, creditor=case.creditor)
    try:
        services.payment_match_by_hand(incoming=incoming, case=case, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("support-payment", incoming_id=incoming.pk)
    messages.success(
        request, _("The payment was booked on case %(number)s.") % {"number": case.number}
    )
    return redirect("support-payments")
