"""The onboarding wizard (Tripletex): API key, 1 contact details, 2 company data (or, for an
accounting firm's key, the client companies to onboard), 3 the agreement, 4 finish.

Public until step 1 has made (or logged in) the user. The wizard's state lives in the session
(the API key encrypted as ERP connections are at rest); each step checks that the steps before
it are done and sends the person back to the first one that is not. Services do the work:
collection.onboarding (the ERP), creditors.signup (users, firms); the agreement, its signing and
the activation are the steps every onboarding shares (collection.onboarding_steps)."""

from dataclasses import asdict

from django.contrib.auth import authenticate, login
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from collection import onboarding
from collection import onboarding_steps as steps
from collection.onboarding_forms import (
    COUNTRY,
    PAYOUT_KIND,
    ApiKeyForm,
    ClientsForm,
    CompanyForm,
    ContactForm,
)
from creditors import signing
from creditors.encryption import decrypt_json, encrypt_json
from creditors.models import Creditor
from creditors.services import OnboardingError
from creditors.signup import (
    ExistingUser,
    creditor_admin_add,
    firm_for_client,
    firm_register,
    user_register,
)

SESSION_KEY = "onboarding"
ERP = "tripletex"
STEPS = ("contact", "company", "agreement", "finish")


def _state(request) -> dict:
    return request.session.get(SESSION_KEY) or {}


def _save(request, state: dict) -> None:
    request.session[SESSION_KEY] = state


def _connection(state: dict, client_id=0) -> dict:
    return onboarding.connection_from_key(
        erp_kind=ERP, api_key=decrypt_json(state["key"]), client_id=client_id
    )


def _first_missing(request, state: dict) -> str | None:
    """The URL name of the first step not done yet, or None when all before finish are."""
    if not state.get("key"):
        return "onboarding-start"
    if not request.user.is_authenticated:
        return "onboarding-contact"
    if not state.get("creditors"):
        return "onboarding-company"
    return None


def _creditors(request, state: dict) -> list[Creditor]:
    return steps.flow_creditors(request, state)  # through the tenant check


def _render(request, template: str, step: int, state: dict, **context):
    return render(
        request,
        f"onboarding/{template}.html",
        {"step": step, "steps": STEPS, "firm": state.get("firm"), "state": state, **context},
    )


@require_http_methods(["GET", "POST"])
def start(request):
    form = ApiKeyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        connection = onboarding.connection_from_key(
            erp_kind=ERP, api_key=form.cleaned_data["api_key"]
        )
        try:
            found = onboarding.erp_key_check(erp_kind=ERP, connection=connection)
        except OnboardingError as exc:
            form.add_error("api_key", str(exc))
        else:
            taken = set(
                Creditor.objects.filter(
                    country=COUNTRY, org_number__in=[c.org_number for c in found.clients]
                ).values_list("org_number", flat=True)
            )
            _save(
                request,
                {
                    "key": encrypt_json(connection["employee_token"]),
                    "company": asdict(found.company),
                    "firm": asdict(found.company) if found.is_firm else None,
                    "clients": [
                        {**asdict(c), "taken": c.org_number in taken} for c in found.clients
                    ],
                },
            )
            if request.user.is_authenticated:
                return redirect("onboarding-company")
            return redirect("onboarding-contact")
    return render(request, "onboarding/start.html", {"form": form, "step": 0, "steps": STEPS})


@require_http_methods(["GET", "POST"])
def contact(request):
    state = _state(request)
    if not state.get("key"):
        return redirect("onboarding-start")
    if request.user.is_authenticated:
        return redirect("onboarding-company")
    form = ContactForm(request.POST if request.method == "POST" else None)
    existing = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_register(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password"],
            )
        except ExistingUser as exc:
            existing = True
            form.add_error("email", str(exc))
        except OnboardingError as exc:
            form.add_error("password", str(exc))
        else:
            # Through the configured backends (and login throttling), as the login form would.
            user = authenticate(request, username=user.username, password=data["password"])
            login(request, user)
            return redirect("onboarding-company")
    login_url = f"{reverse('login')}?next={reverse('onboarding-company')}"
    return _render(request, "contact", 1, state, form=form, existing=existing, login_url=login_url)


@require_http_methods(["GET", "POST"])
def company(request):
    state = _state(request)
    missing = _first_missing(request, state)
    if missing in ("onboarding-start", "onboarding-contact"):
        return redirect(missing)
    if state.get("creditors"):
        return redirect("onboarding-agreement")
    if state.get("firm"):
        return _firm_clients(request, state)
    form = CompanyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                firm = None
                if data["uses_firm"]:
                    firm = firm_for_client(country=COUNTRY, org_number=data["firm_org_number"])
                creditor = onboarding.creditor_onboard(
                    erp_kind=ERP,
                    connection=_connection(state),
                    country=COUNTRY,
                    payout_account_kind=PAYOUT_KIND,
                    payout_account=data["payout_account"],
                    contact_email=request.user.email,
                    accounting_firm=firm,
                )
                creditor_admin_add(creditor=creditor, user=request.user)
        except OnboardingError as exc:
            form.add_error(None, str(exc))
        else:
            _save(request, {**state, "creditors": [creditor.pk]})
            return redirect("onboarding-agreement")
    return _render(request, "company", 2, state, form=form, company=state["company"])


def _firm_clients(request, state):
    """Step 2 for an accounting firm's key: tick the clients, a payout account for each."""
    form = ClientsForm(request.POST if request.method == "POST" else None, clients=state["clients"])
    if request.method == "POST" and form.is_valid():
        firm_company = state["firm"]
        try:
            with transaction.atomic():
                firm = firm_register(
                    name=firm_company["name"],
                    org_number=firm_company["org_number"],
                    country=COUNTRY,
                    erp_kind=ERP,
                    connection=_connection(state),
                    user=request.user,
                )
                ids = []
                for client, account in form.cleaned_data["picked"]:
                    creditor = onboarding.creditor_onboard(
                        erp_kind=ERP,
                        connection=_connection(state, client_id=client["erp_id"]),
                        country=COUNTRY,
                        payout_account_kind=PAYOUT_KIND,
                        payout_account=account,
                        contact_email=client["email"] or request.user.email,
                        accounting_firm=firm,
                    )
                    ids.append(creditor.pk)
        except OnboardingError as exc:
            form.add_error(None, str(exc))
        else:
            _save(request, {**state, "creditors": ids})
            return redirect("onboarding-agreement")
    return _render(request, "clients", 2, state, form=form)


@require_http_methods(["GET", "POST"])
def agreement(request):
    state = _state(request)
    missing = _first_missing(request, state)
    if missing:
        return redirect(missing)
    creditors = _creditors(request, state)
    if all(c.agreement_signed_at for c in creditors):
        return redirect("onboarding-finish")
    form, answer = steps.sign_form_step(
        request,
        state,
        session_key=SESSION_KEY,
        callback="onboarding-signed",
        signed=lambda: redirect("onboarding-finish"),
    )
    if answer is not None:
        return answer
    texts = [(c, signing.agreement_html(c)) for c in creditors]
    return _render(request, "agreement", 3, state, form=form, agreements=texts)


signed, agreement_pdf = steps.signing_views(
    state=_state,
    first_missing=_first_missing,
    start="onboarding-start",
    agreement="onboarding-agreement",
    signed_next=lambda request, state: redirect("onboarding-finish"),
)


@require_http_methods(["GET", "POST"])
def finish(request):
    state = _state(request)
    missing = _first_missing(request, state)
    if missing:
        return redirect(missing)
    creditors = _creditors(request, state)
    if not all(c.agreement_signed_at for c in creditors):
        return redirect("onboarding-agreement")
    if request.method == "POST":
        return _activate(request, creditors)
    return _render(request, "finish", 4, state, creditors=creditors)


def _activate(request, creditors):
    if not steps.creditors_activate(request, creditors):
        return redirect("onboarding-finish")
    request.session.pop(SESSION_KEY, None)
    return redirect("case-list", creditor_id=creditors[0].pk)
