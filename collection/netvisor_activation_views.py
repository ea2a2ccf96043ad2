"""The Netvisor Store activation in the browser: the Store's signed hand-off, 1 terms, 2 KYC,
3 the agreement (signed through creditors.signing), done; and the removal question.

The person comes from the Netvisor Store, not logged in here: the hand-off (signed, used once)
puts the activation's id in the session, and every step reads it from there. They get portal
credentials only after the first transfer (collection.netvisor_activation)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from collection import netvisor_activation as service
from collection.netvisor_activation_forms import KycForm, RemovalForm, TermsForm
from collection.netvisor_models import NetvisorActivation
from collection.onboarding_forms import SignForm
from creditors import signing
from creditors.services import OnboardingError
from integrations.netvisor.store import HandoffRefused, handoff_verify
from letters.rendering import html_to_pdf

SESSION_KEY = "netvisor_activation"
REMOVAL_KEY = "netvisor_removal"
STEPS = (_("Terms"), _("Customer due diligence"), _("Agreement"))


def _refused(request, reason: str, status: int = 200, activation=None):
    context = {"reason": reason, "activation": activation}
    return render(request, "netvisor/refused.html", context, status=status)


def _page(request, template: str, step: int, activation, **context):
    return render(
        request,
        f"netvisor/{template}.html",
        {"step": step, "steps": STEPS, "activation": activation, **context},
    )


def handoff(request):
    """Where the Netvisor Store sends the browser (integrations.netvisor.store)."""
    now = service.clock()
    try:
        found = handoff_verify(
            secret=settings.NETVISOR_HANDOFF_SECRET, params=request.GET, now=now.timestamp()
        )
    except HandoffRefused:
        return _refused(
            request, _("This link from the Netvisor Store is not valid. Open the Store again."), 403
        )
    try:
        if found.action == "remove":
            activation = service.service_remove(handoff=found, now=now)
            request.session[REMOVAL_KEY] = activation.pk
            return redirect("netvisor-removal")
        activation = service.activation_start(handoff=found, now=now)
    except service.ActivationRefused as exc:
        return _refused(request, str(exc))
    request.session[SESSION_KEY] = activation.pk
    return redirect("netvisor-terms")


def _activation(request) -> NetvisorActivation | None:
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    try:
        return service.activation_get(pk)
    except NetvisorActivation.DoesNotExist:
        return None


def _step(view):
    """The session's activation, still waiting, outside the break; the refusal page if not."""

    def wrapped(request, *args, **kwargs):
        activation = _activation(request)
        if activation is None:
            return _refused(request, _("Start the activation from the Netvisor Store."), 403)
        if activation.status == NetvisorActivation.Status.ACTIVE:
            return redirect("netvisor-done")
        try:
            service.waiting_check(activation, service.clock())
        except service.ActivationRefused as exc:
            return _refused(request, str(exc), activation=activation)
        return view(request, activation, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return require_http_methods(["GET", "POST"])(wrapped)


@_step
def terms(request, activation):
    form = TermsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service.terms_accept(activation=activation)
        except service.ActivationRefused as exc:
            return _refused(request, str(exc), activation=activation)
        return redirect("netvisor-kyc")
    return _page(request, "terms", 1, activation, form=form)


@_step
def kyc(request, activation):
    if activation.terms_accepted_at is None:
        return redirect("netvisor-terms")
    form = KycForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service.kyc_record(activation=activation, answers=form.cleaned_data)
        except service.ActivationRefused as exc:
            return _refused(request, str(exc), activation=activation)
        except OnboardingError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("netvisor-agreement")
    return _page(request, "kyc", 2, activation, form=form)


def _agreements(activation) -> list[signing.Agreement]:
    return [signing.agreement_render(activation.creditor, render=html_to_pdf)]


@_step
def agreement(request, activation):
    try:
        service.signing_check(activation=activation)
    except service.ActivationRefused:
        return redirect("netvisor-kyc")
    form = SignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            error = _sign(request, activation, request.POST)
            if error is None:
                return redirect("netvisor-done")
            form.add_error(None, error)
    else:
        agreements = _agreements(activation)
        request.session["netvisor_signing"] = agreements[0].sha256
        begun = signing.signer().start(
            agreements, callback_url=request.build_absolute_uri(reverse("netvisor-signed"))
        )
        if begun.redirect_url:
            return redirect(begun.redirect_url)
    text = signing.agreement_html(activation.creditor)
    return _page(request, "agreement", 3, activation, form=form, text=text)


def _sign(request, activation, data) -> str | None:
    """Sign what was shown, then finish the activation; the error to show, or None."""
    agreements = _agreements(activation)
    if agreements[0].sha256 != request.session.get("netvisor_signing"):
        return _("The agreement has changed since you opened it: read it again and sign.")
    try:
        signature = signing.signer().complete(agreements, data)
        with transaction.atomic():  # signed and active, or neither
            signing.agreements_sign(
                agreements=agreements, signature=signature, user=activation.user
            )
            service.activation_complete(activation=activation)
    except (signing.SigningError, OnboardingError, service.ActivationRefused) as exc:
        return str(exc)
    return None


@_step
def signed(request, activation):
    """A signing provider's callback (the callback_url given to Signer.start)."""
    error = _sign(request, activation, request.POST if request.method == "POST" else request.GET)
    if error is not None:
        return _refused(request, error)
    return redirect("netvisor-done")


def agreement_pdf(request):
    activation = _activation(request)
    if activation is None or activation.creditor_id is None:
        return _refused(request, _("Start the activation from the Netvisor Store."), 403)
    pdf = _agreements(activation)[0].pdf
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agreement-{activation.creditor_id}.pdf"'
    return response


def done(request):
    activation = _activation(request)
    if activation is None or activation.status != NetvisorActivation.Status.ACTIVE:
        return redirect("netvisor-terms")
    return _page(request, "done", 4, activation)


@require_http_methods(["GET", "POST"])
def removal(request):
    pk = request.session.get(REMOVAL_KEY)
    activation = NetvisorActivation.objects.filter(pk=pk).select_related("creditor").first()
    if activation is None:
        return _refused(request, _("Remove the service from the Netvisor Store."), 403)
    form = RemovalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and not activation.removal_choice:
        try:
            service.removal_answer(activation=activation, choice=form.cleaned_data["choice"])
        except service.ActivationRefused as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("netvisor-removal")
    open_cases = service.open_cases(activation.creditor).count()
    return _page(request, "removal", 0, activation, form=form, open_cases=open_cases)
