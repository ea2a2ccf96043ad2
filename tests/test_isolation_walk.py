"""Tenant isolation, walked over the URL resolver (issue 9, done-when): every portal URL and API
endpoint, its parameters filled with creditor B's objects, requested by a user of creditor A with
every method it answers: 404 each time, also with B's object under A's own creditor id. A new
URL is walked without touching this file; one whose parameter has no filler below, or that is
not about a creditor's data, fails until it is given one or listed in EXEMPT with its reason.
Support staff's views of B's data land in the audit log (creditors.audit)."""

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from collection.advance import case_advance
from collection.models import Assignment
from creditors.apikeys import api_key_create
from creditors.models import (
    AccountingFirm,
    FirmClientAccess,
    FirmMembership,
    ImportFilter,
    ImportFilterAmount,
    ImportFilterOverride,
    Membership,
    SupportAccessLog,
)
from letters.models import Letter
from tests.settlements.conftest import payout_with_remittance

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 2)
METHODS = ("get", "post", "put", "patch", "delete")

_PUBLIC = "login-free, about no creditor"
_OWN = "the user's own account, about no creditor"
_SUPPORT = "support console: support staff only (403 for a creditor's user, tests/test_support*)"
_WIZARD = "onboarding wizard: works on the creditor in the user's own session"
EXEMPT = {
    "healthz": _PUBLIC,
    "login": _PUBLIC,
    "logout": _PUBLIC,
    "password_reset": _PUBLIC,
    "password_reset_done": _PUBLIC,
    "password_reset_confirm": _PUBLIC,
    "password_reset_complete": _PUBLIC,
    "api-token": _PUBLIC,
    "api-schema": _PUBLIC + " (the API's description)",
    "api-docs": _PUBLIC + " (the API's description)",
    "api-not-found": "a 404 for any other address under /api/ already",
    "me": _OWN,
    "language-set": _OWN,
    "portal-home": "no creditor in its path: sends the user to one of their own creditors",
    **{
        name: _SUPPORT
        for name in (
            "support-tickets", "support-ticket", "support-ticket-assign", "support-ticket-reply",
            "support-ticket-close", "support-payments", "support-payment", "support-payment-match",
        )
    },
    **{
        name: _WIZARD
        for name in (
            "onboarding-start", "onboarding-contact", "onboarding-company",
            "onboarding-agreement", "onboarding-signed", "onboarding-finish",
        )
    },
    **{
        name: "Inexchange Store activation: the creditor a signed Store hand-off put in the session"
        for name in (
            "inexchange-handoff", "inexchange-start", "inexchange-business", "inexchange-users",
            "inexchange-review", "inexchange-agreement-pdf", "inexchange-signed",
        )
    },
    **{
        name: "our partner API: a partner's key, no creditor's user; it reaches only the creditors "
        "enrolled through the partner, 404 otherwise (tests/inexchange/test_partner_api.py)"
        for name in ("partner-case", "partner-payments", "partner-credit-notes")
    },
    **{
        name: "Netvisor Store activation: the activation a signed Store hand-off put in the session"
        for name in (
            "netvisor-handoff", "netvisor-terms", "netvisor-kyc", "netvisor-agreement",
            "netvisor-agreement-pdf", "netvisor-signed", "netvisor-done", "netvisor-removal",
        )
    },
    **{
        name: "Visma.net registration: only the creditors this Visma Connect sign-in registered, "
        "kept in the session; any other id goes back to the start"
        for name in (
            "visma-home", "visma-callback", "visma-register", "visma-agreement",
            "visma-agreement-pdf", "visma-signed", "visma-login",
        )
    },
}  # fmt: skip


@pytest.fixture
def tenants(make_creditor, make_case, make_user, django_capture_on_commit_callbacks):
    firm = AccountingFirm.objects.create(name="Regnskap AS", org_number="931558720")
    a, b = make_creditor("Alfa AS"), make_creditor("Beta AS", accounting_firm=firm)
    case_b = make_case(b)
    with django_capture_on_commit_callbacks(execute=True):
        case_advance(case_id=case_b.pk, today=TODAY)
    admin_b = make_user(b, role="admin")
    firm_member = FirmMembership.objects.create(firm=firm, user=make_user())
    FirmClientAccess.objects.create(firm_membership=firm_member, creditor=b)
    ImportFilterAmount.objects.create(
        import_filter=ImportFilter.objects.get(creditor=b), currency="NOK", min_amount=100
    )
    api_key, _ = api_key_create(creditor=b, actor=admin_b, name="B's program", role="admin")
    assignment = Assignment.objects.create(
        creditor=b,
        idempotency_key="b-order-17",
        request_hash="0" * 64,
        kind="reminder",
        case=case_b,
    )
    b_objects = {
        "creditor_id": b.pk,
        "number": case_b.number,
        "letter_id": Letter.objects.get(case=case_b).pk,
        "override_id": ImportFilterOverride.objects.create(creditor=b, customer_class="X").pk,
        "currency": "NOK",
        "membership_id": Membership.objects.get(creditor=b, user=admin_b).pk,
        "firm_membership_id": firm_member.pk,
        "key_id": api_key.pk,
        "assignment_id": assignment.pk,
        "idempotency_key": assignment.idempotency_key,
        "payout_id": payout_with_remittance(b).pk,
    }
    return a, b, b_objects, make_user(a, role="admin")


def _patterns(patterns=None, prefix=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if getattr(p, "app_name", None) == "admin":
                continue  # the Django admin: staff only, a creditor's user goes to its login
            yield from _patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield p


def _methods(pattern):
    view_class = getattr(pattern.callback, "view_class", None)
    if view_class is not None:
        return [m for m in METHODS if hasattr(view_class, m)]
    return ["get", "post"]


GHOSTS = {"creditor_id": 999_999, "number": "0", "currency": "XXX"}  # none of these exists


def _answers(client, pattern, kwargs):
    url = reverse(pattern.name, kwargs=kwargs)
    return url, [
        getattr(client, m)(url, {}, content_type="application/json").status_code
        for m in _methods(pattern)
    ]


def test_every_url_of_another_creditor_is_404(client, tenants):
    """Each URL with B's objects answers A's user exactly as with objects that do not exist, and
    that answer is a 404 (on the methods the view takes; 405 on those it refuses). Two views
    check the input or the role before looking the object up and answer 400/403 alike for B's
    object and for none; they are listed in EARLY_REFUSAL."""
    a, b, b_objects, user_a = tenants
    client.force_login(user_a)
    walked, unfilled, leaks = 0, [], []
    for pattern in _patterns():
        if pattern.name in EXEMPT:
            continue
        params = list(pattern.pattern.converters)
        if "creditor_id" not in params or any(k not in b_objects for k in params):
            unfilled.append((pattern.name, str(pattern.pattern)))
            continue
        b_kwargs = {k: b_objects[k] for k in params}
        ghost = {k: GHOSTS.get(k, 999_999) for k in params}
        variants = [(b_kwargs, {**b_kwargs, "creditor_id": GHOSTS["creditor_id"]})]
        if set(params) - {"creditor_id", "currency"}:  # B's object under A's own creditor
            variants.append(({**b_kwargs, "creditor_id": a.pk}, {**ghost, "creditor_id": a.pk}))
        for kwargs, ghost_kwargs in variants:
            url, answered = _answers(client, pattern, kwargs)
            _, ghost_answered = _answers(client, pattern, ghost_kwargs)
            walked += len(answered)
            allowed = EARLY_REFUSAL.get(pattern.name, {404, 405})
            if answered != ghost_answered or set(answered) - allowed:
                leaks.append((url, answered, ghost_answered))
    assert unfilled == [], "give each URL a filler for its parameters or an EXEMPT reason"
    assert leaks == [], leaks
    assert walked > 60


# Views that refuse before the object is looked up, alike for any object (no existence leaks):
EARLY_REFUSAL = {
    # the bulk form's action is read first: an unknown one is a 400 for any creditor
    "case-bulk": {400, 404, 405},
    # a creditor admin may not grant firm access on any creditor (403 before the lookup)
    "api-creditor-firm-access": {403, 404},
    "creditor-firm-access-grant": {403, 404, 405},
    # a PUT of nothing under one's own creditor: invalid input, whatever the currency
    "api-creditor-import-amount": {400, 404},
    # the wizard serves only the creditors of the user's own onboarding session
    "onboarding-agreement-pdf": {302},
}


def test_the_walk_sees_b_data_for_b_itself(client, tenants, make_user):
    """The fillers are real: B's own admin gets through on the same URLs (no 404)."""
    _, b, b_objects, _ = tenants
    client.force_login(Membership.objects.filter(creditor=b, role="admin").first().user)
    names = ("case-detail", "letter-download", "api-case-detail", "api-case-letters")
    for name in (
        *names, "api-assignment", "api-assignment-by-key", "creditor-api-keys",
        "payout-remittance",
    ):  # fmt: skip
        pattern = next(p for p in _patterns() if p.name == name)
        kwargs = {k: b_objects[k] for k in pattern.pattern.converters}
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200, name


def test_support_staffs_views_are_in_the_audit_log(client, tenants, make_user):
    _, b, b_objects, _ = tenants
    staff = make_user(staff=True)
    client.force_login(staff)
    portal = reverse("case-detail", kwargs={"creditor_id": b.pk, "number": b_objects["number"]})
    api = reverse("api-case-events", kwargs={"creditor_id": b.pk, "number": b_objects["number"]})
    assert client.get(portal).status_code == 200
    assert client.get(api).status_code == 200
    logged = SupportAccessLog.objects.filter(user=staff, creditor=b)
    assert {entry.path for entry in logged} >= {portal, api}
