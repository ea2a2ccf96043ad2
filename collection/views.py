"""The creditor portal's case pages, which span several apps (cases, letters, the import runs):
server-rendered, thin; every read goes through a selector with the creditor resolved from the
user's memberships (another tenant's object is a 404), and every view checks the user's role
against creditors.permissions (an action not allowed is a 403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases import ledger, selectors
from cases.access import case_for_user
from cases.actions import CASE_ACTIONS
from cases.lifecycle import InvalidTransition
from cases.models import Case
from cases.services import PAUSE_REASONS
from collection import selectors as sync_selectors
from collection.actions import case_act
from creditors import permissions
from creditors.access import creditor_for_action, creditors_for_user
from creditors.permissions import Action
from letters import selectors as letter_selectors
from letters.models import Letter
from letters.services import letter_render


def _portal_context(request, creditor, **extra):
    return {
        "creditor": creditor,
        "my_creditors": creditors_for_user(request.user),
        "can": permissions.can_map(request.user, creditor),
        **extra,
    }


@login_required
def home(request):
    if request.GET.get("creditor"):  # the creditor switch, without JavaScript
        creditor = creditor_for_action(request.user, request.GET["creditor"], Action.VIEW)
        return redirect("case-list", creditor_id=creditor.pk)
    first = creditors_for_user(request.user).order_by("legal_name").first()
    if first is None:
        return render(request, "portal/no_creditor.html", status=200)
    return redirect("case-list", creditor_id=first.pk)


@login_required
def case_list(request, creditor_id):
    creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
    status = request.GET.get("status") or None
    if status not in (None, *Case.Status.values):
        status = None
    cases = selectors.case_list(creditor=creditor, status=status, query=request.GET.get("q", ""))
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/case_list.html",
        _portal_context(
            request,
            creditor,
            page=page,
            status=status or "",
            q=request.GET.get("q", ""),
            statuses=Case.Status.choices,
            last_sync=sync_selectors.last_sync(creditor=creditor),
            quarantined=sync_selectors.quarantine_open(creditor=creditor),
        ),
    )


@login_required
def case_detail(request, creditor_id, number):
    creditor, case = case_for_user(request.user, creditor_id, number)
    return render(
        request,
        "portal/case_detail.html",
        _portal_context(
            request,
            creditor,
            case=case,
            balances=ledger.balances(case),
            outstanding=ledger.outstanding(case),
            invoices=case.invoices.order_by("due_date"),
            events=selectors.case_history(creditor=creditor, case=case),
            letters=letter_selectors.case_letters(creditor=creditor, case=case),
            entries=case.ledger.all(),
            decision=selectors.case_open_decision(creditor=creditor, case=case),
            pause_reasons=PAUSE_REASONS,
        ),
    )


@login_required
def letter_download(request, creditor_id, number, letter_id):
    creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
    try:
        letter = letter_selectors.letter_get(
            creditor=creditor, case_number=number, letter_id=letter_id
        )
    except Letter.DoesNotExist:
        raise Http404("No such letter") from None
    if not letter.file:  # still queued for rendering: render it now rather than fail the user
        letter = letter_render(letter_id=letter.pk)
    return FileResponse(
        letter.file.open("rb"),
        content_type="application/pdf",
        filename=f"{number}-{letter.stage}.pdf",
    )


@login_required
@require_POST
def case_action(request, creditor_id, number, verb):
    """Pause, resume, withdraw, write off or answer the decision (see cases.actions)."""
    creditor, case = case_for_user(request.user, creditor_id, number, CASE_ACTIONS[verb].permission)
    try:
        case_act(case=case, verb=verb, actor=request.user, data=request.POST)
        messages.success(request, CASE_ACTIONS[verb].done)
    except (InvalidTransition, ValueError) as exc:
        messages.error(request, str(exc))
    return redirect("case-detail", creditor_id=creditor.pk, number=case.number)
