"""The permission table walked through the portal: every role (and an outsider) x every portal
view, the support console's included (tests/permission_walk.py: how a step is judged; the API's
walk: tests/test_permissions_api.py)."""

import uuid

import pytest

from creditors.models import AccountSetup
from creditors.permissions import PERMISSIONS, Action, Role
from support.models import Ticket
from tests.permission_walk import (
    CASE,
    DAY,
    NEW_ACCOUNT,
    ROLES,
    P,
    Step,
    amount_gone,
    amount_set,
    an_amount,
    an_api_key,
    an_override,
    case_is,
    customer_excluded,
    decided,
    decision_case,
    filter_changed,
    firm_member,
    has_access,
    is_member,
    key_created,
    key_revoked,
    leaving_member,
    lettered_case,
    lost_access,
    make_world,
    member_gone,
    new_user,
    no_case,
    open_case,
    override_gone,
    paused_case,
    payout_changed,
    step_id,
    unwalked,
    walk_step,
)
from tests.settlements.conftest import payout_with_remittance

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_creditor, make_case, django_user_model):
    return make_world(make_creditor, make_case, django_user_model)


# --- what the portal's steps need beyond the shared ones -------------------------------------


def case_message_written(w, ctx):
    return ctx["case"].messages.filter(body="Does the debtor dispute this?").exists()


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


def a_payout(w):
    return {"payout_id": payout_with_remittance(w.creditor).pk}


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


S, T = Action.SUPPORT_CONSOLE, ("ticket_id",)
STEPS = [
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
    Step(P, "get", "creditor-api-keys", Action.SETTINGS),
    Step(P, "post", "creditor-api-keys", Action.SETTINGS, no_case, key_created, 302,
         lambda ctx: {"name": "Program", "role": "user"}),
    Step(P, "post", "creditor-api-key-revoke", Action.SETTINGS, an_api_key, key_revoked, 302,
         url_keys=("key_id",)),
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


@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize("step", STEPS, ids=step_id)
def test_permission_table(client, world, step, role):
    walk_step(client, world, step, role)


def test_every_portal_view_is_walked():
    """A new URL there must join the walk above (and so the table)."""
    assert unwalked(STEPS, P) == []


def test_the_table_is_as_documented():
    """The module docstring's table is the contract; keep a few rows pinned here."""
    assert Action.SETTINGS in PERMISSIONS[Role.CREDITOR_ADMIN]
    assert PERMISSIONS[Role.CREDITOR_USER] == {Action.VIEW, Action.PAUSE}
    for role in (Role.FIRM_ADMIN, Role.FIRM_USER, Role.SUPPORT):
        assert Action.SETTINGS not in PERMISSIONS[role]
    for action in (Action.DECIDE, Action.WITHDRAW, Action.WRITE_OFF):
        assert action not in PERMISSIONS[Role.SUPPORT]
