"""The Inexchange activation (seed 004), from the Store's hand-off to an active creditor:

    hand-off -> start ("Get started") -> 1 your business -> 2 users -> 3 review and sign -> active

The flow's state lives in the session under its own key; each step sends the person back to the
first step not done. The services are collection.inexchange_activation; review, signing and
activation are the steps every onboarding shares (collection.onboarding_steps), on the Tripletex
wizard's templates (onboarding/base.html, onboarding/agreement.html)."""

from dataclasses import asdict

from django.contrib.auth import authenticate, login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from collection import inexchange_activation as activation
from collection import onboarding_steps as steps
from collection.inexchange_activation_forms import BusinessForm, UsersForm
from creditors import signing
from creditors.models import Creditor
from creditors.services import OnboardingError
from creditors.signup import ExistingUser, user_register
from integrations.inexchange.handoff import HandoffRefused

SESSION_KEY = "onboarding_inexchange"
STEPS = (("business", _("Your business")), ("users", _("Users")), ("review", _("Review and sign")))


def _state(request) -> dict:
    return request.session.get(SESSION_KEY) or {}


def _save(request, state: dict) -> None:
    request.session[SESSION_KEY] = state


def _first_missing(request, state: dict) -> str | None:
    if not state.get("company"):
        return "inexchange-start"
    if not state.get("business"):
        return "inexchange-business"
    if not request.user.is_authenticated or not state.get("creditors"):
        return "inexchange-users"
    return None


def _render(request, template: str, step: int, state: dict, **context):
    return render(
        request,
        f"onboarding/{template}.html",
        {"step": step, "steps": STEPS, "steps_labelled": True, "state": state, **context},
    )


@require_http_methods(["GET"])
def handoff(request):
    """Where "Fortsätt" in the Store sends the browser (the signed hand-off): the company read
    from Inexchange into a new flow, then on to a URL without the signature."""
    try:
        company = activation.handoff_accept(params=request.GET)
    except HandoffRefused:
        return render(request, "onboarding/inexchange/refused.html", status=400)
    except OnboardingError as exc:
        return render(request, "onboarding/inexchange/refused.html", {"error": exc}, status=502)
    request.session.cycle_key()
    _save(request, {"company": asdict(company)})
    return redirect("inexchange-start")


@require_http_methods(["GET"])
def start(request):
    state = _state(request)
    if not state.get("company"):
        return render(request, "onboarding/inexchange/refused.html", status=400)
    return _render(request, "inexchange/start", 0, state, company=state["company"])


def _business_initial(state: dict) -> dict:
    company = state["company"]
    existing = Creditor.objects.filter(country="SE", org_number=company["org_number"]).first()
    return {
        "payout_account_kind": "bankgiro",
        "address_line1": company["address_line1"],
        "postal_code": company["postal_code"],
        "city": company["city"],
        # the creditor's default debt description, when it is with us already
        "debt_description": existing.debt_description if existing else "",
        **state.get("business", {}),
    }


@require_http_methods(["GET", "POST"])
def business(request):
    state = _state(request)
    if not state.get("company"):
        return redirect("inexchange-start")
    if state.get("creditors"):
        return redirect("inexchange-review")
    initial = _business_initial(state)
    form = BusinessForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "other_addresses"}
        _save(request, {**state, "business": data})
        return redirect("inexchange-users")
    address = ("address_line1", "postal_code", "city")
    as_fetched = all(form[n].value() == initial[n] for n in address)
    return _render(
        request, "inexchange/business", 1, state, form=form, company=state["company"],
        address_open=not as_fetched or any(form[n].errors for n in address),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def users(request):
    state = _state(request)
    missing = _first_missing(request, state)
    if missing in ("inexchange-start", "inexchange-business"):
        return redirect(missing)
    if state.get("creditors") and request.user.is_authenticated:
        return redirect("inexchange-review")
    new_user = not request.user.is_authenticated
    form = UsersForm(request.POST if request.method == "POST" else None, new_user=new_user)
    existing = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = request.user
            if new_user:
                user = user_register(
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password=data["password"],
                )
            creditor = activation.inexchange_creditor_onboard(
                erp_id=state["company"]["erp_id"],
                business=state["business"],
                user=user,
                phone=data["phone"],
                others=data["others"],
            )
        except ExistingUser as exc:
            existing = True
            form.add_error("email", str(exc))
        except OnboardingError as exc:
            form.add_error(None, str(exc))
        else:
            if new_user:  # through the configured backends, as the login form would
                login(
                    request,
                    authenticate(request, username=user.username, password=data["password"]),
                )
            _save(request, {**state, "creditors": [creditor.pk]})
            return redirect("inexchange-review")
    login_url = f"{reverse('login')}?next={reverse('inexchange-users')}"
    return _render(
        request, "inexchange/users", 2, state, form=form, existing=existing, login_url=login_url
    )


@require_http_methods(["GET", "POST"])
def review(request):
    state = _state(request)
    missing = _first_missing(request, state)
    if missing:
        return redirect(missing)
    creditors = steps.flow_creditors(request, state)
    if all(c.agreement_signed_at for c in creditors):
        return _activate(request, creditors)
    form, answer = steps.sign_form_step(
        request,
        state,
        session_key=SESSION_KEY,
        callback="inexchange-signed",
        signed=lambda: _activate(request, steps.flow_creditors(request, state)),
    )
    if answer is not None:
        return answer
    creditor = creditors[0]
    return _render(
        request,
        "inexchange/review",
        3,
        state,
        form=form,
        creditor=creditor,
        # as the agreement names it, written as in its country: "Bankgiro 5050-1055"
        payout_account=signing.agreement_context(creditor)["payout_account"],
        # the admin first ("admin" < "user")
        members=creditor.memberships.select_related("user").order_by("role", "user__email"),
        agreements=[(c, signing.agreement_html(c)) for c in creditors],
        pdf_url="inexchange-agreement-pdf",
    )


signed, agreement_pdf = steps.signing_views(
    state=_state,
    first_missing=_first_missing,
    start="inexchange-start",
    agreement="inexchange-review",
    signed_next=lambda request, state: _activate(request, steps.flow_creditors(request, state)),
)


def _activate(request, creditors):
    if not steps.creditors_activate(request, creditors):  # signed: the portal's switch retries
        return redirect("creditor-activation", creditor_id=creditors[0].pk)
    request.session.pop(SESSION_KEY, None)
    return redirect("case-list", creditor_id=creditors[0].pk)
