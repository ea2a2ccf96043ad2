"""The permission table, walked: every role (and an outsider) × every portal view and API endpoint,
driven by creditors.permissions.PERMISSIONS. Allowed: the success status and the effect happened.
Denied: 403 and no effect (an endpoint that forgot its check does the thing and fails here).
Another tenant's user: 404 and no effect. A test also fails when a URL is added to the portal or
the API without a step here (issue 7, item 2)."""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases.models import Case, DecisionRequest
from cases.services import case_pause
from collection.advance import case_advance
from creditors.models import (
    AccountingFirm,
    AccountSetup,
    FirmClientAccess,
    FirmMembership,
    ImportFilter,
    ImportFilterAmount,
    ImportFilterOverride,
    Membership,
)
from creditors.permissions import PERMISSIONS, Action, Role
from letters.models import Letter
from support.models import Ticket
from tests.settlements.conftest import payout_with_remittance

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)
OUTSIDER = "outsider"  # a user of another creditor
ROLES = [*Role, OUTSIDER]
NEW_ACCOUNT = "12345678903"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class World:
    creditor: object
    firm: object
    users: dict
    make_case: Callable
    make_user: Callable


@pytest.fixture
def world(make_creditor, make_case, django_user_model):
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


def case_message_written(w, ctx):
    return ctx["case"].messages.filter(body="Does the debtor dispute this?").exists()


def decided(w, ctx):
    return DecisionRequest.objects.filter(case=ctx["case"]).exclude(answer="").exists()


def filter_changed(w, ctx):
    return ImportFilter.objects.get(creditor=w.creditor).days_after_due == 30


def an_override(w):
    o = ImportFilterOverride.objects.create(creditor=w.creditor, customer_class="Privat")
    return {"override_id": o.pk}


def a_currency(w):
    return {"currency": "NOK"}


def a_payout(w):
    return {"payout_id": payout_with_remittance(w.creditor).pk}


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


def company_changed(w, ctx):
    w.creditor.refresh_from_db()
    return w.creditor.debt_description == "Plumbing work"


def agreement_type_changed(w, ctx):
    w.creditor.refresh_from_db()
    return w.creditor.agreement_type == "fee_share"


def accounts_changed(w, ctx):
    return AccountSetup.objects.get(creditor=w.creditor).loss_account == 7831


def deactivated(w, ctx):
    w.creditor.refresh_from_db()
    return w.creditor.status == "paused"


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


def report_payment(ctx):
    invoice = ctx["case"].invoices.first()
    return {"payment-report_id": str(uuid.uuid4()), "payment-invoice": str(invoice.pk),
            "payment-amount": "10.00", "payment-on": "2026-11-01"}  # fmt: skip


def report_credit_note(ctx):
    invoice = ctx["case"].invoices.first()
    return {"credit-report_id": str(uuid.uuid4()), "credit-invoice": str(invoice.pk),
            "credit-number": "K-1", "credit-amount": "10.00",
            "credit-on": "2026-11-01"}  # fmt: skip


def direct_payment_booked(w, ctx):
    from cases.models import Payment

    return Payment.objects.filter(case=ctx["case"], source=Payment.Source.DIRECT).exists()


def credit_booked(w, ctx):
    from cases.models import LedgerEntry

    return LedgerEntry.objects.filter(case=ctx["case"], key__startswith="credit:").exists()


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


CASE = ("number",)
P, A = "portal", "api"
STEPS = [
    # portal
    Step(P, "get", "portal-home", Action.VIEW, ok=302),
    Step(P, "get", "case-list", Action.VIEW),
    Step(P, "get", "case-detail", Action.VIEW, open_case, url_keys=CASE),
    Step(P, "get", "letter-download", Action.VIEW, lettered_case, url_keys=(*CASE, "letter_id")),
    Step(P, "post", "case-pause", Action.PAUSE, open_case, case_is("paused"), 302,
         lambda ctx: {"reason": "disputed"}, CASE),
    Step(P, "post", "case-resume", Action.PAUSE, paused_case, case_is("open"), 302, url_keys=CASE),
    Step(P, "post", "case-withdraw", Action.WITHDRAW, open_case, case_is("closed", "withdrawn"),
         302, url_keys=CASE),
    Step(P, "post", "case-write-off", Action.WRITE_OFF, open_case,
         case_is("closed", "written_off"), 302, url_keys=CASE),
    Step(P, "post", "case-decide", Action.DECIDE, decision_case, decided, 302,
         lambda ctx: {"option": ctx["option"]}, CASE),
    Step(P, "post", "case-report-payment", Action.REPORT, open_case, direct_payment_booked, 302,
         report_payment, CASE),
    Step(P, "post", "case-report-credit-note", Action.REPORT, open_case, credit_booked, 302,
         report_credit_note, CASE),
    Step(P, "get", "dashboard", Action.VIEW),
    Step(P, "get", "sync-runs", Action.VIEW),
    Step(P, "get", "payout-list", Action.VIEW),
    Step(P, "get", "payout-remittance", Action.VIEW, a_payout, url_keys=("payout_id",)),
    Step(P, "post", "case-bulk", Action.PAUSE, open_case, case_is("paused"), 302,
         lambda ctx: {"verb": "pause", "case": [ctx["number"]], "confirm": "1",
                      "reason": "disputed"}),
    Step(P, "post", "case-bulk", Action.WITHDRAW, open_case, case_is("closed", "withdrawn"), 302,
         lambda ctx: {"verb": "withdraw", "case": [ctx["number"]], "confirm": "1"}),
    Step(P, "post", "case-message", Action.VIEW, open_case, case_message_written, 302,
         lambda ctx: {"body": "Does the debtor dispute this?"}, CASE),
    Step(P, "get", "creditor-settings", Action.VIEW),
    Step(P, "post", "creditor-settings", Action.SETTINGS, no_case, filter_changed, 302,
         lambda ctx: {"enabled": "on", "days_after_due": "30", "min_amount": "0"}),
    Step(P, "post", "creditor-import-override-set", Action.SETTINGS, no_case, customer_excluded,
         302, lambda ctx: {"override-customer_erp_id": "c-77", "override-excluded": "on"}),
    Step(P, "post", "creditor-import-override-remove", Action.SETTINGS, an_override,
         override_gone, 302, url_keys=("override_id",)),
    Step(P, "post", "creditor-import-amount-set", Action.SETTINGS, no_case, amount_set, 302,
         lambda ctx: {"amount-currency": "NOK", "amount-min_amount": "500"}),
    Step(P, "post", "creditor-import-amount-remove", Action.SETTINGS, an_amount, amount_gone,
         302, url_keys=("currency",)),
    Step(P, "post", "creditor-company", Action.SETTINGS, no_case, company_changed, 302,
         lambda ctx: {"debt_description": "Plumbing work", "address_line1": "Storgata 1",
                      "postal_code": "0155", "city": "Oslo"}),
    Step(P, "post", "creditor-account-setup", Action.SETTINGS, no_case, accounts_changed, 302,
         lambda ctx: {"enabled": "on", "receivable_account": "1500", "clearing_account": "1550",
                      "interest_income_account": "8050", "fee_income_account": "3900",
                      "loss_account": "7831", "vat_cost_account": "2711", "vat_code": "1"}),
    Step(P, "get", "creditor-activation", Action.SETTINGS),
    Step(P, "post", "creditor-activation", Action.SETTINGS, no_case, deactivated, 302,
         lambda ctx: {"confirm": "yes"}),
    Step(P, "post", "creditor-payout-account", Action.SETTINGS, no_case, payout_changed, 302,
         lambda ctx: {"kind": "no_account", "account": NEW_ACCOUNT}),
    Step(P, "get", "creditor-users", Action.VIEW),
    Step(P, "post", "creditor-user-add", Action.MANAGE_USERS, new_user, is_member, 302,
         lambda ctx: {"username": ctx["username"], "role": "user"}),
    Step(P, "post", "creditor-user-remove", Action.MANAGE_USERS, leaving_member, member_gone, 302,
         url_keys=("membership_id",)),
    Step(P, "post", "creditor-firm-access-grant", Action.GRANT_FIRM_ACCESS, firm_member(False),
         has_access, 302, url_keys=("firm_membership_id",)),
    Step(P, "post", "creditor-firm-access-revoke", Action.REVOKE_FIRM_ACCESS, firm_member(True),
         lost_access, 302, url_keys=("firm_membership_id",)),
    # API
    Step(A, "get", "api-case-list", Action.VIEW),
    Step(A, "get", "api-case-detail", Action.VIEW, open_case, url_keys=CASE),
    Step(A, "post", "api-case-pause", Action.PAUSE, open_case, case_is("paused"), 200,
         lambda ctx: {"reason": "disputed"}, CASE),
    Step(A, "post", "api-case-resume", Action.PAUSE, paused_case, case_is("open"), url_keys=CASE),
    Step(A, "post", "api-case-withdraw", Action.WITHDRAW, open_case,
         case_is("closed", "withdrawn"), url_keys=CASE),
    Step(A, "post", "api-case-write-off", Action.WRITE_OFF, open_case,
         case_is("closed", "written_off"), url_keys=CASE),
    Step(A, "post", "api-case-decide", Action.DECIDE, decision_case, decided, 200,
         lambda ctx: {"option": ctx["option"]}, CASE),
    Step(A, "get", "api-creditor-settings", Action.VIEW),
    Step(A, "patch", "api-creditor-settings", Action.SETTINGS, no_case, filter_changed, 200,
         lambda ctx: {"days_after_due": 30}),
    Step(A, "get", "api-creditor-import-overrides", Action.VIEW),
    Step(A, "post", "api-creditor-import-overrides", Action.SETTINGS, no_case, customer_excluded,
         200, lambda ctx: {"customer_erp_id": "c-77", "excluded": True}),
    Step(A, "delete", "api-creditor-import-override", Action.SETTINGS, an_override,
         override_gone, 204, url_keys=("override_id",)),
    Step(A, "put", "api-creditor-import-amount", Action.SETTINGS, a_currency, amount_set, 200,
         lambda ctx: {"min_amount": "500"}, ("currency",)),
    Step(A, "delete", "api-creditor-import-amount", Action.SETTINGS, an_amount, amount_gone, 204,
         url_keys=("currency",)),
    Step(A, "get", "api-sync-runs", Action.VIEW),
    Step(A, "put", "api-creditor-payout-account", Action.SETTINGS, no_case, payout_changed, 200,
         lambda ctx: {"kind": "no_account", "account": NEW_ACCOUNT}),
    Step(A, "get", "api-creditor-users", Action.VIEW),
    Step(A, "post", "api-creditor-users", Action.MANAGE_USERS, new_user, is_member, 201,
         lambda ctx: {"username": ctx["username"], "role": "user"}),
    Step(A, "delete", "api-creditor-user", Action.MANAGE_USERS, leaving_member, member_gone, 204,
         url_keys=("membership_id",)),
    Step(A, "put", "api-creditor-firm-access", Action.GRANT_FIRM_ACCESS, firm_member(False),
         has_access, url_keys=("firm_membership_id",)),
    Step(A, "delete", "api-creditor-firm-access", Action.REVOKE_FIRM_ACCESS, firm_member(True),
         lost_access, 204, url_keys=("firm_membership_id",)),
]  # fmt: skip


# --- the support console: support staff only; its URLs name no creditor, so a user of another
# creditor gets the 403 every user who is not support staff gets ----------------------------


def a_ticket(w):
    from cases.messages import message_post
    from support.refresh import tickets_refresh

    ctx = open_case(w)
    message_post(creditor=w.creditor, case=ctx["case"], author=w.make_user(), body="Help?")
    tickets_refresh()
    ctx["ticket"] = Ticket.objects.get(kind=Ticket.Kind.MESSAGE, case=ctx["case"])
    ctx["ticket_id"] = ctx["ticket"].pk
    return ctx


def an_unmatched_payment(w):
    from collection.payments import incoming_payment_register

    ctx = lettered_case(w)
    incoming = incoming_payment_register(
        external_id=f"bank-{ctx['number']}",
        reference="no reference",
        amount="10.00",
        currency=ctx["case"].currency,
        paid_on=DAY,
    )
    return {**ctx, "incoming_id": incoming.pk, "incoming": incoming}


def ticket_is(check):
    def effect(w, ctx):
        ctx["ticket"].refresh_from_db()
        return bool(check(ctx["ticket"]))

    return effect


def payment_matched(w, ctx):
    ctx["incoming"].refresh_from_db()
    return ctx["incoming"].status == "matched"


# --- the API around cases, the assignments API and API keys (issue 9 item 6) ------------------


def case_message_posted(w, ctx):
    return ctx["case"].messages.exists()


def general_message_posted(w, ctx):
    from cases.models import Message

    return Message.objects.filter(creditor=w.creditor, case=None).exists()


def an_assignment(ctx):
    return {
        "type": "reminder",
        "currency": "NOK",
        "accept_terms": True,
        "idempotency_key": "a-1",
        "debtor": {"customer_number": "K-1", "name": "Kunde AS", "kind": "business"},
        "invoices": [
            {
                "number": "9001",
                "invoice_date": "2026-09-01",
                "due_date": "2026-09-15",
                "amount": "1200.00",
            }
        ],
    }


def assigned(w, ctx):
    from collection.models import Assignment

    return Assignment.objects.filter(creditor=w.creditor).exists()


def key_created(w, ctx):
    from creditors.models import ApiKey

    return ApiKey.objects.filter(creditor=w.creditor, name="Program").exists()


def an_api_key(w):
    from creditors.apikeys import api_key_create

    admin = w.users[Role.CREDITOR_ADMIN]
    api_key, _ = api_key_create(creditor=w.creditor, actor=admin, name="Old", role="admin")
    return {"key_id": api_key.pk, "api_key": api_key}


def an_assigned_case(w):
    from collection.models import Assignment

    ctx = open_case(w)
    assignment = Assignment.objects.create(
        creditor=w.creditor, idempotency_key="k-9", request_hash="0" * 64, kind="reminder",
        case=ctx["case"],
    )  # fmt: skip
    return {"assignment_id": assignment.pk, "idempotency_key": assignment.idempotency_key}


def key_revoked(w, ctx):
    ctx["api_key"].refresh_from_db()
    return ctx["api_key"].revoked_at is not None


V = Action.VIEW
STEPS += [
    *(Step(A, "get", name, V, open_case, url_keys=CASE)
      for name in ("api-case-events", "api-case-letters", "api-case-decisions",
                   "api-case-messages")),
    Step(A, "get", "api-case-letter-pdf", V, lettered_case, url_keys=(*CASE, "letter_id")),
    Step(A, "post", "api-case-messages", V, open_case, case_message_posted, 201,
         lambda ctx: {"body": "Hello"}, CASE),
    Step(A, "get", "api-messages", V),
    Step(A, "post", "api-messages", V, no_case, general_message_posted, 201,
         lambda ctx: {"body": "Hello"}),
    *(Step(A, "get", name, V)
      for name in ("api-payments", "api-settlements", "api-payouts", "api-assignments",
                   "api-assignment-payments", "api-assignment-settlements")),
    Step(A, "post", "api-assignments", Action.ASSIGN, no_case, assigned, 201, an_assignment),
    Step(A, "get", "api-assignment", V, an_assigned_case, url_keys=("assignment_id",)),
    Step(A, "get", "api-assignment-by-key", V, an_assigned_case, url_keys=("idempotency_key",)),
    Step(P, "get", "creditor-api-keys", Action.SETTINGS),
    Step(P, "post", "creditor-api-keys", Action.SETTINGS, no_case, key_created, 302,
         lambda ctx: {"name": "Program", "role": "user"}),
    Step(P, "post", "creditor-api-key-revoke", Action.SETTINGS, an_api_key, key_revoked, 302,
         url_keys=("key_id",)),
    Step(A, "get", "api-creditor-api-keys", Action.SETTINGS),
    Step(A, "post", "api-creditor-api-keys", Action.SETTINGS, no_case, key_created, 201,
         lambda ctx: {"name": "Program", "role": "user"}),
    Step(A, "delete", "api-creditor-api-key", Action.SETTINGS, an_api_key, key_revoked,
         url_keys=("key_id",)),
]  # fmt: skip


S, T = Action.SUPPORT_CONSOLE, ("ticket_id",)
STEPS += [
    Step(P, "get", "support-tickets", S, tenant=False),
    Step(P, "get", "support-ticket", S, a_ticket, url_keys=T, tenant=False),
    Step(P, "post", "support-ticket-assign", S, a_ticket, ticket_is(lambda t: t.assignee_id),
         302, lambda ctx: {"assignee": "me"}, T, tenant=False),
    Step(P, "post", "support-ticket-reply", S, a_ticket,
         lambda w, ctx: ctx["case"].messages.filter(from_support=True).exists(), 302,
         lambda ctx: {"body": "Answer"}, T, tenant=False),
    Step(P, "post", "support-ticket-close", S, a_ticket, ticket_is(lambda t: t.closed_at), 302,
         url_keys=T, tenant=False),
    Step(P, "get", "support-payments", S, tenant=False),
    Step(P, "get", "support-payment", S, an_unmatched_payment, url_keys=("incoming_id",),
         tenant=False),
    Step(P, "post", "support-payment-match", S, an_unmatched_payment, payment_matched, 302,
         lambda ctx: {"case": ctx["case"].pk}, ("incoming_id",), tenant=False),
    # The agreement type is a term of the signed agreement: support's to change, not the admin's.
    Step(P, "post", "creditor-agreement-type", S, no_case, agreement_type_changed, 302,
         lambda ctx: {"type": "fee_share"}),
]  # fmt: skip


def _url(step, w, ctx):
    if step.url_name == "portal-home":
        return f"{reverse('portal-home')}?creditor={w.creditor.pk}"
    kwargs = {k: ctx[k] for k in step.url_keys}
    if step.tenant:
        kwargs["creditor_id"] = w.creditor.pk
    return reverse(step.url_name, kwargs=kwargs)


@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize(
    "step", STEPS, ids=lambda s: f"{s.surface}:{s.method}:{s.url_name}:{s.action.value}"
)
def test_permission_table(client, world, step, role):
    ctx = step.setup(world)
    if step.effect is not None:
        assert not step.effect(world, ctx), "the effect is there before the request"
    client.force_login(world.users[role])
    url, data = _url(step, world, ctx), step.data(ctx)
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


def test_every_portal_view_and_api_endpoint_is_walked():
    """A new URL in the portal or the API must join the walk above (and so the table)."""
    walked = {(s.url_name, s.method) for s in STEPS}
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
                if p.name in NOT_WALKED:
                    continue
                view_class = getattr(p.callback, "view_class", None)
                if view_class is not None:  # DRF: every method handler it defines
                    methods = {m for m in HTTP_METHODS if hasattr(view_class, m)}
                    missing.extend((p.name, m) for m in methods if (p.name, m) not in walked)
                elif not any(name == p.name for name, _ in walked):
                    missing.append((p.name, "*"))

    visit(get_resolver().url_patterns)
    assert missing == []


def test_the_table_is_as_documented():
    """The module docstring's table is the contract; keep a few rows pinned here."""
    assert Action.SETTINGS in PERMISSIONS[Role.CREDITOR_ADMIN]
    assert PERMISSIONS[Role.CREDITOR_USER] == {Action.VIEW, Action.PAUSE}
    for role in (Role.FIRM_ADMIN, Role.FIRM_USER, Role.SUPPORT):
        assert Action.SETTINGS not in PERMISSIONS[role]
    for action in (Action.DECIDE, Action.WITHDRAW, Action.WRITE_OFF):
        assert action not in PERMISSIONS[Role.SUPPORT]
