"""The steps every onboarding flow shares, whatever brought the company to us (a Tripletex API key
pasted into the wizard, collection.onboarding_views; the Inexchange Store's hand-off,
collection.inexchange_activation): the flow's creditors kept in its session state, the agreement
shown, signed through creditors.signing (the checksum of what was shown checked again when the
signing completes), its PDF, and the activation.

Each flow keeps its own session key and its own URLs; it hands these functions its state and the
names of its URLs, and keeps only what differs (how the company and the people come in)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from collection.onboarding_forms import SignForm
from creditors import signing
from creditors.access import creditor_for_user
from creditors.models import Creditor
from creditors.services import OnboardingError, creditor_activate
from letters.rendering import html_to_pdf


def flow_creditors(request, state: dict) -> list[Creditor]:
    """The flow's creditors, through the tenant check: ones this user reaches."""
    return [creditor_for_user(request.user, pk) for pk in state.get("creditors", [])]


def flow_agreements(request, state: dict) -> list[signing.Agreement]:
    return [signing.agreement_render(c, render=html_to_pdf) for c in flow_creditors(request, state)]


def signing_begin(request, state: dict, *, session_key: str, callback: str):
    """Render the agreements, remember their checksums in the session, start the signer. The
    provider's page to go to (a redirect), or None when the signer is our own form."""
    agreements = flow_agreements(request, state)
    state = {**state, "signing": {str(a.creditor_id): a.sha256 for a in agreements}}
    request.session[session_key] = state
    begun = signing.signer().start(
        agreements, callback_url=request.build_absolute_uri(reverse(callback))
    )
    return redirect(begun.redirect_url) if begun.redirect_url else None


def signing_complete(request, state: dict, data) -> str | None:
    """Sign what was shown when signing began; the error to show, or None when signed."""
    agreements = flow_agreements(request, state)
    shown = state.get("signing") or {}
    if {str(a.creditor_id): a.sha256 for a in agreements} != shown:
        return _("The agreement has changed since you opened it: read it again and sign.")
    try:
        signature = signing.signer().complete(agreements, data)
        signing.agreements_sign(agreements=agreements, signature=signature, user=request.user)
    except (signing.SigningError, OnboardingError) as exc:
        return str(exc)
    return None


def sign_form_step(request, state: dict, *, session_key: str, callback: str, signed: Callable):
    """The agreement step's form: a POST signs what was shown (then `signed()` is the answer), a
    GET begins signing (a provider's page to go to, if it has one). (form, response or None)."""
    form = SignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            error = signing_complete(request, state, request.POST)
            if error is None:
                return form, signed()
            form.add_error(None, error)
        return form, None
    return form, signing_begin(request, state, session_key=session_key, callback=callback)


def agreement_pdf_response(request, state: dict, creditor_id: int) -> HttpResponse:
    creditor = creditor_for_user(request.user, creditor_id)
    agreement = signing.agreement_render(creditor, render=html_to_pdf)
    response = HttpResponse(agreement.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agreement-{creditor_id}.pdf"'
    return response


def signing_views(
    *,
    state: Callable[[object], dict],
    first_missing: Callable[[object, dict], str | None],
    start: str,
    agreement: str,
    signed_next: Callable[[object, dict], HttpResponse],
):
    """A flow's two signing views, `signed` (the signing provider's callback) and `agreement_pdf`
    (one of the flow's creditors' agreement), from the flow's state getter, its first-missing
    check, the URL names of its start and agreement steps and what follows a signing (a
    response from the request and the state)."""

    @require_http_methods(["GET", "POST"])
    def signed(request):
        """A signing provider's callback (the callback_url given to Signer.start)."""
        current = state(request)
        missing = first_missing(request, current)
        if missing:
            return redirect(missing)
        data = request.POST if request.method == "POST" else request.GET
        error = signing_complete(request, current, data)
        if error is not None:
            messages.error(request, error)
            return redirect(agreement)
        return signed_next(request, current)

    def agreement_pdf(request, creditor_id):
        current = state(request)
        if first_missing(request, current) or creditor_id not in current["creditors"]:
            return redirect(start)
        return agreement_pdf_response(request, current, creditor_id)

    return signed, agreement_pdf


def creditors_activate(request, creditors: list[Creditor]) -> bool:
    """Start AutoCollect for the signed creditors, all or none; a message either way."""
    try:
        with transaction.atomic():
            for creditor in creditors:
                creditor_activate(creditor=creditor)
    except OnboardingError as exc:
        messages.error(request, str(exc))
        return False
    for creditor in creditors:
        messages.success(
            request, _("AutoCollect is active for %(name)s.") % {"name": creditor.legal_name}
        )
    return True
