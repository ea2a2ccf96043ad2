"""The permission walk's parts (tests/test_permissions.py walks the portal, and
tests/test_permissions_api.py the API): every role (and an outsider) x every step, driven by
creditors.permissions.PERMISSIONS. Allowed: the success status and the effect happened. Denied:
403 and no effect (an endpoint that forgot its check does the thing and fails there). Another
tenant's user: 404 and no effect. Each walk also fails when a URL is added to its surface without
a step (issue 7, item 2)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases.models import Case, DecisionRequest
from cases.services import case_pause
from collection.advance import case_advance
from creditors.models import (
    AccountingFirm,
    FirmClientAccess,
    FirmMembership,
    ImportFilter,
    ImportFilterAmount,
    ImportFilterOverride,
    Membership,
)
from creditors.permissions import PERMISSIONS, Action, Role
from letters.models import Letter

DAY = dt.date(2026, 11, 2)
OUTSIDER = "outsider"  # a user of another creditor
ROLES = [*Role, OUTSIDER]
NEW_ACCOUNT = "12345678903"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
CASE = ("number",)
P, A = "portal", "api"


@dataclass
class World:
    creditor: object
    firm: object
    users: dict
    make_case: Callable
    make_user: Callable


def make_world(make_creditor, make_case, django_user_model) -> World:
    """A creditor of an accounting firm, a user in every role on it, and an outsider."""
    firm = AccountingFirm.objects.create(name="Vidde Regnskap AS", org_number="931558720")
    creditor = make_creditor(accounting_firm=firm, payout_account_kind="no_account")
    seq = iter(range(1000))

    def user(**kw):
        return django_user_model.objects.create(username=f"u{next(seq)}", **kw)

    def firm_user(role, access=True):
        membership = FirmMembership.objects.create(firm=firm, user=user(), role=role)
        if access:
            FirmClientAccess.objects.create(firm_membership=membership, creditor=creditor)
        return membership

    users = {
        Role.CREDITOR_ADMIN: user(),
        Role.CREDITOR_USER: user(),
        Role.FIRM_ADMIN: firm_user(FirmMembership.Role.ADMIN).user,
        Role.FIRM_USER: firm_user(FirmMembership.Role.USER).user,
        Role.SUPPORT: user(is_staff=True),
        OUTSIDER: user(),
    }
    Membership.objects.create(user=users[Role.CREDITOR_ADMIN], creditor=creditor, role="admin")
    Membership.objects.create(user=users[Role.CREDITOR_USER], creditor=creditor, role="user")
    Membership.objects.create(user=users[OUTSIDER], creditor=make_creditor(), role="admin")
    return World(creditor, firm, users, make_case, lambda: user())


# --- what each step needs, and how to see that it happened ---------------------------------


def no_case(w):
    return {}


def open_case(w):
    case = w.make_case(w.creditor)
    return {"number": case.number, "case": case}


def paused_case(w):
    ctx = open_case(w)
    case_pause(case=ctx["case"], reason="disputed")
    return ctx


def decision_case(w):
    ctx = open_case(w)
    case, day = ctx["case"], DAY
    while case.stage != Case.Stage.DECISION:
        assert case_advance(case_id=case.pk, today=day) is not None
        case.refresh_from_db()
        day = case.next_action_on or day
    ctx["option"] = DecisionRequest.objects.get(case=case).options[-1]
    return ctx


def lettered_case(w):
    ctx = open_case(w)
    case_advance(case_id=ctx["case"].pk, today=DAY)
    ctx["letter_id"] = Letter.objects.get(case=ctx["case"]).pk
    return ctx


def new_user(w):
    return {"username": w.make_user().username}


def leaving_member(w):
    membership = Membership.objects.create(user=w.make_user(), creditor=w.creditor)
    return {"membership_id": membership.pk}


def firm_member(access):
    def setup(w):
        membership = FirmMembership.objects.create(firm=w.firm, user=w.make_user())
        if access:
            FirmClientAccess.objects.create(firm_membership=membership, creditor=w.creditor)
        return {"firm_membership_id": membership.pk, "membership": membership}

    return setup


def case_is(status, outcome=""):
    def effect(w, ctx):
        ctx["case"].refresh_from_db()
        return (ctx["case"].status, ctx["case"].outcome) == (status, outcome)

    return effect


def decided(w, ctx):
    return DecisionRequest.objects.filter(case=ctx["case"]).exclude(answer="").exists()


def filter_changed(w, ctx):
    return ImportFilter.objects.get(creditor=w.creditor).days_after_due == 30


def an_override(w):
    o = ImportFilterOverride.objects.create(creditor=w.creditor, customer_class="Privat")
    return {"override_id": o.pk}


def a_currency(w):
    return {"currency": "NOK"}


def an_amount(w):
    rules = ImportFilter.objects.get(creditor=w.creditor)
    ImportFilterAmount.objects.create(import_filter=rules, currency="NOK", min_amount=100)
    return a_currency(w)


def customer_excluded(w, ctx):
    return ImportFilterOverride.objects.filter(
        creditor=w.creditor, customer_erp_id="c-77", excluded=True
    ).exists()


def override_gone(w, ctx):
    return not ImportFilterOverride.objects.filter(pk=ctx["override_id"]).exists()


def amount_set(w, ctx):
    return ImportFilterAmount.objects.filter(
        import_filter__creditor=w.creditor, currency="NOK", min_amount=500
    ).exists()


def amount_gone(w, ctx):
    return not ImportFilterAmount.objects.filter(import_filter__creditor=w.creditor).exists()


def payout_changed(w, ctx):
    w.creditor.refresh_from_db()
    return w.creditor.payout_account == NEW_ACCOUNT


def is_member(w, ctx):
    return Membership.objects.filter(user__username=ctx["username"], creditor=w.creditor).exists()


def member_gone(w, ctx):
    return not Membership.objects.filter(pk=ctx["membership_id"]).exists()


def has_access(w, ctx):
    return FirmClientAccess.objects.filter(
        firm_membership=ctx["membership"], creditor=w.creditor
    ).exists()


def lost_access(w, ctx):
    return not has_access(w, ctx)


def key_created(w, ctx):
    from creditors.models import ApiKey

    return ApiKey.objects.filter(creditor=w.creditor, name="Program").exists()


def an_api_key(w):
    from creditors.apikeys import api_key_create

    admin = w.users[Role.CREDITOR_ADMIN]
    api_key, _ = api_key_create(creditor=w.creditor, actor=admin, name="Old", role="admin")
    return {"key_id": api_key.pk, "api_key": api_key}


def key_revoked(w, ctx):
    ctx["api_key"].refresh_from_db()
    return ctx["api_key"].revoked_at is not None


@dataclass
class Step:
    surface: str  # "portal" or "api"
    method: str
    url_name: str
    action: Action
    setup: Callable = no_case
    effect: Callable | None = None  # None: a read, the status says it all
    ok: int = 200
    data: Callable = field(default=lambda ctx: {})
    url_keys: tuple = ()
    tenant: bool = True  # False: not about one creditor (the support console), no creditor_id


def step_id(step: Step) -> str:
    return f"{step.surface}:{step.method}:{step.url_name}:{step.action.value}"


def step_url(step, w, ctx):
    if step.url_name == "portal-home":
        return f"{reverse('portal-home')}?creditor={w.creditor.pk}"
    kwargs = {k: ctx[k] for k in step.url_keys}
    if step.tenant:
        kwargs["creditor_id"] = w.creditor.pk
    return reverse(step.url_name, kwargs=kwargs)


def walk_step(client, world: World, step: Step, role) -> None:
    """One role takes one step: the status and the effect the table says, and nothing else."""
    ctx = step.setup(world)
    if step.effect is not None:
        assert not step.effect(world, ctx), "the effect is there before the request"
    client.force_login(world.users[role])
    url, data = step_url(step, world, ctx), step.data(ctx)
    if step.surface == "api":
        response = getattr(client, step.method)(url, data, content_type="application/json")
    else:
        response = getattr(client, step.method)(url, data)

    if role == OUTSIDER and step.tenant:
        expected = 404
    elif step.action in PERMISSIONS.get(role, ()):
        expected = step.ok
    else:
        expected = 403
    assert response.status_code == expected, getattr(response, "content", b"")[:300]
    if step.effect is not None:
        happened = step.effect(world, ctx)
        assert happened == (expected == step.ok), "effect does not match the permission"
    if expected == step.ok and step.surface == "portal" and step.method == "post":
        # the portal reports a refused service call as a message and a redirect: none here
        page = client.get(response["Location"])
        assert 'class="error"' not in page.content.decode()


# Views of those apps that no creditor's role governs, each with the reason (the isolation walk,
# tests/test_isolation_walk.py, lists the same and more).
_WIZARD = "the onboarding wizard: before the creditor exists, no role on it"
NOT_WALKED: dict[str, str] = {
    name: _WIZARD
    for name in (
        "onboarding-start", "onboarding-contact", "onboarding-company", "onboarding-agreement",
        "onboarding-agreement-pdf", "onboarding-signed", "onboarding-finish",
        "inexchange-handoff", "inexchange-start", "inexchange-business", "inexchange-users",
        "inexchange-review", "inexchange-agreement-pdf", "inexchange-signed",
    )
} | {
    name: "our partner API: a partner's key, no user's role; it reaches only the creditors "
    "enrolled through the partner (tests/inexchange/test_partner_api.py)"
    for name in ("partner-case", "partner-payments", "partner-credit-notes")
} | {
    name: "the Netvisor Store activation: a signed Store hand-off, before any user has a role "
    "(tests/integrations/netvisor/test_netvisor_activation.py)"
    for name in (
        "netvisor-handoff", "netvisor-terms", "netvisor-kyc", "netvisor-agreement",
        "netvisor-agreement-pdf", "netvisor-signed", "netvisor-done", "netvisor-removal",
    )
} | {
    name: "the Visma.net registration: a Visma Connect sign-in, before any user has a role "
    "(tests/integrations/visma/test_visma_registration.py)"
    for name in (
        "visma-home", "visma-callback", "visma-register", "visma-agreement",
        "visma-agreement-pdf", "visma-signed", "visma-login",
    )
}  # fmt: skip


def unwalked(steps: list[Step], surface: str) -> list[tuple[str, str]]:
    """The views of one surface (the API: names "api-*") in the apps the table governs that no
    step walks, as (name, method), "*" for a whole view; NOT_WALKED's are left out."""
    assert all(s.url_name.startswith("api-") == (s.surface == A) for s in steps)
    walked = {(s.url_name, s.method) for s in steps}
    missing = []

    def visit(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                visit(p.url_patterns)
            elif isinstance(p, URLPattern) and p.callback.__module__.split(".")[0] in (
                "cases",
                "collection",
                "creditors",
                "support",
            ):
                if p.name in NOT_WALKED or (p.name or "").startswith("api-") != (surface == A):
                    continue
                view_class = getattr(p.callback, "view_class", None)
                if view_class is not None:  # DRF: every method handler it defines
                    methods = {m for m in HTTP_METHODS if hasattr(view_class, m)}
                    missing.extend((p.name, m) for m in methods if (p.name, m) not in walked)
                elif not any(name == p.name for name, _ in walked):
                    missing.append((p.name, "*"))

    visit(get_resolver().url_patterns)
    return missing
