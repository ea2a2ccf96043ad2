"""The creditor's payouts in the portal: each payout, what it paid, the remittance as sent, and
the outcome of its voucher in the ERP (posted, failed with the reason and retried on the next
run, or not posted). Read-only: payouts are made by the scheduled run (collection.payouts)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render

from collection import selectors
from collection.views import portal_context
from creditors.access import creditor_for_action
from creditors.permissions import Action
from settlements.models import Payout


@login_required
def payout_list(request, creditor_id):
    creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
    page = Paginator(selectors.payouts(creditor=creditor), 25).get_page(request.GET.get("page"))
    waiting = selectors.settlements_waiting(creditor=creditor)
    return render(
        request,
        "portal/payouts.html",
        portal_context(request, creditor, page=page, waiting=waiting),
    )


@login_required
def payout_remittance(request, creditor_id, payout_id):
    creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
    try:
        payout = selectors.payout_get(creditor=creditor, payout_id=payout_id)
    except Payout.DoesNotExist:
        raise Http404("No such payout") from None
    if not payout.remittance:
        raise Http404("The remittance is not made yet")
    return FileResponse(
        payout.remittance.open("rb"),
        content_type="application/pdf",
        filename=f"{payout.external_number}.pdf",
    )
