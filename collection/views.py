"""The creditor portal's case pages, which span several apps (cases, letters, the import runs):
server-rendered, thin; every read goes through a selector with the creditor resolved from the
user's memberships (another tenant's object is a 404), and every view checks the user's role
against creditors.permissions (an action not allowed is a 403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import ledger, selectors
from cases import messages as case_messages
from cases.access import case_for_user
from cases.actions import CASE_ACTIONS
from cases.lifecycle import InvalidTransition
from cases.outlook import steps_ahead
from cases.services import PAUSE_REASONS
from collection.actions import case_act
from creditors import permissions
from creditors.access import creditor_for_action, creditors_for_user
from creditors.permissions import Action
from letters import selectors as letter_selectors
from letters.models import Letter
from letters.services import letter_render
from nordic.calendar import local_today


def portal_context(request, creditor, **extra):
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
def case_detail(request, creditor_id, number):
    creditor, case = case_for_user(request.user, creditor_id, number)
    if not request.user.is_staff:  # the creditor has now seen support's answers
        case_messages.messages_mark_read(creditor=creditor, case=case, for_support=False)
    return render(
        request,
        "portal/case_detail.html",
        portal_context(
            request,
            creditor,
            case=case,
            balances=ledger.balances(case),
            outstanding=ledger.outstanding(case),
            invoices=case.invoices.order_by("due_date"),
            events=selectors.case_history(creditor=creditor, case=case).select_related("actor"),
            letters=letter_selectors.case_letters(creditor=creditor, case=case),
            entries=case.ledger.all(),
            payments=case.payments.order_by("paid_on", "pk"),
            decision=selectors.case_open_decision(creditor=creditor, case=case),
            steps=steps_ahead(case=case, today=local_today(creditor.time_zone)),
            thread=case_messages.case_thread(creditor=creditor, case=case),
            pause_reasons=PAUSE_REASONS,
        ),
    )


@login_required
@require_POST
def case_message(request, creditor_id, number):
    """The creditor writes to us about the case (support answers in its console)."""
    creditor, case = case_for_user(request.user, creditor_id, number)
    try:
        case_messages.message_post(
            creditor=creditor,
            case=case,
            author=request.user,
            body=request.POST.get("body", ""),
            from_support=request.user.is_staff,
        )
        messages.success(request, _("Your message was sent."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("case-detail", args=[creditor.pk, case.number]) + "#thread")


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
        messages.success(request, _(CASE_ACTIONS[verb].done))
    except (InvalidTransition, ValueError) as exc:
        messages.error(request, str(exc))
    return redirect("case-detail", creditor_id=creditor.pk, number=case.number)
