"""The registration from Visma Home (collection.visma_registration), page by page:

    /onboarding/visma/          the Visma Home link: off to Visma Connect (PKCE, state)
    .../callback/               back with a code: signed in, the companies read from Visma.net
    .../register/               1 check the fetched details, tick the creditors, Register
    .../agreement/              2 one agreement per creditor, read (PDF) and signed
    .../login/                  3 pick the creditor to work in -> its company settings

The flow's state lives in the session under its own key; each step sends the person back to the
first step not done. Signing is the onboarding steps every flow shares (onboarding_steps)."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from collection import onboarding_steps as steps
from collection import visma_registration as registration
from creditors import signing
from creditors.services import OnboardingError
from integrations.visma import connect

SESSION_KEY = "onboarding_visma"
STEPS = (
    ("register", gettext_lazy("Companies")),
    ("agreement", gettext_lazy("Agreements")),
    ("login", gettext_lazy("Log in")),
)
BACKEND = "autocollect.auth.EmailOrUsernameBackend"


def _state(request) -> dict:
    return request.session.get(SESSION_KEY) or {}


def _save(request, state: dict) -> None:
    request.session[SESSION_KEY] = state


def _first_missing(request, state: dict) -> str | None:
    if not request.user.is_authenticated or "companies" not in state:
        return "visma-home"
    if not state.get("creditors"):
        return "visma-register"
    return None


def _render(request, template: str, step: int, state: dict, **context):
    return render(
        request,
        f"onboarding/visma/{template}.html",
        {"step": step, "steps": STEPS, "steps_labelled": True, "state": state, **context},
    )


def _callback_uri(request) -> str:
    return request.build_absolute_uri(reverse("visma-callback"))


@require_http_methods(["GET"])
def home(request):
    """Where "AutoCollect" in Visma Home points: sign in through Visma Connect."""
    verifier, challenge = connect.pkce_pair()
    state = secrets.token_urlsafe(24)
    _save(request, {"oidc": {"state": state, "verifier": verifier}})
    return redirect(
        connect.authorize_url(
            connect_url=settings.VISMA_CONNECT_URL,
            client_id=settings.VISMA_CLIENT_ID,
            redirect_uri=_callback_uri(request),
            state=state,
            challenge=challenge,
        )
    )


@require_http_methods(["GET"])
def callback(request):
    oidc = _state(request).get("oidc") or {}
    if request.GET.get("error") or not oidc:
        return _refused(request, request.GET.get("error", ""))
    if not secrets.compare_digest(request.GET.get("state", ""), oidc["state"]):
        return _refused(request, "state")
    try:
        person = connect.user_sign_in(
            connect_url=settings.VISMA_CONNECT_URL,
            client_id=settings.VISMA_CLIENT_ID,
            client_secret=settings.VISMA_CLIENT_SECRET,
            code=request.GET.get("code", ""),
            redirect_uri=_callback_uri(request),
            verifier=oidc["verifier"],
        )
    except connect.ConnectRefused as exc:
        return _refused(request, str(exc))
    user = registration.connect_user(person)
    login(request, user, backend=BACKEND)  # a new session key: the sign-in's state goes with it
    companies = registration.companies_fetch(person.tenants, user)
    _save(request, {"companies": [c.as_dict() for c in companies]})
    return redirect("visma-register")


def _refused(request, why: str):
    request.session.pop(SESSION_KEY, None)
    return render(request, "onboarding/visma/refused.html", {"why": why}, status=400)


@require_http_methods(["GET", "POST"])
def register(request):
    state = _state(request)
    if not request.user.is_authenticated or "companies" not in state:
        return redirect("visma-home")
    if state.get("creditors"):
        return redirect("visma-agreement")
    companies = state["companies"]
    open_ids = [c["tenant_id"] for c in companies if not c["error"]]
    error = ""
    if request.method == "POST":
        chosen = [t for t in request.POST.getlist("tenant") if t in open_ids]
        if len(open_ids) == 1:  # the only company: no list to tick (the guide)
            chosen = open_ids
        try:
            creditors = registration.visma_creditors_register(user=request.user, tenant_ids=chosen)
        except OnboardingError as exc:
            error = str(exc)
        else:
            _save(request, {**state, "creditors": [c.pk for c in creditors]})
            return redirect("visma-agreement")
    return _render(
        request, "register", 1, state, companies=companies, open_count=len(open_ids), error=error
    )


@require_http_methods(["GET", "POST"])
def agreement(request):
    state = _state(request)
    missing = _first_missing(request, state)
    if missing:
        return redirect(missing)
    creditors = steps.flow_creditors(request, state)
    if all(c.agreement_signed_at for c in creditors):
        return redirect("visma-login")
    form, answer = steps.sign_form_step(
        request,
        state,
        session_key=SESSION_KEY,
        callback="visma-signed",
        signed=lambda: redirect("visma-login"),
    )
    if answer is not None:
        return answer
    return _render(
        request,
        "agreement",
        2,
        state,
        form=form,
        agreements=[(c, signing.agreement_html(c)) for c in creditors],
        pdf_url="visma-agreement-pdf",
    )


signed, agreement_pdf = steps.signing_views(
    state=_state,
    first_missing=_first_missing,
    start="visma-home",
    agreement="visma-agreement",
    signed_next=lambda request, state: redirect("visma-login"),
)


@require_http_methods(["GET", "POST"])
def pick(request):
    """Log in: the creditor to work in, then its company settings (the guide's next step)."""
    state = _state(request)
    missing = _first_missing(request, state)
    if missing:
        return redirect(missing)
    creditors = steps.flow_creditors(request, state)
    if not all(c.agreement_signed_at for c in creditors):
        return redirect("visma-agreement")
    if request.method == "POST":
        wanted = request.POST.get("creditor", "")
        chosen = next((c for c in creditors if str(c.pk) == wanted), None)
        if chosen is None and len(creditors) == 1:
            chosen = creditors[0]
        if chosen is not None:
            request.session.pop(SESSION_KEY, None)
            messages.info(
                request,
                _(
                    "Fill in the company settings (debt description, payout account, "
                    "addresses), then the import filter, and activate."
                ),
            )
            return redirect(f"{reverse('creditor-settings', args=[chosen.pk])}#company")
        messages.error(request, _("Choose the creditor to log in to."))
    return _render(request, "login", 3, state, creditors=creditors)
