"""The permission table walked through the API: every role (and an outsider) x every endpoint
of the cases, settings, users, API keys and assignments APIs (tests/permission_walk.py: how a step
is judged; the portal's walk: tests/test_permissions.py)."""

import pytest

from creditors.permissions import Action
from tests.permission_walk import (
    CASE,
    NEW_ACCOUNT,
    ROLES,
    A,
    Step,
    a_currency,
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

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_creditor, make_case, django_user_model):
    return make_world(make_creditor, make_case, django_user_model)


# --- what the API's steps need beyond the shared ones (issue 9 item 6) -----------------------


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


def an_assigned_case(w):
    from collection.models import Assignment

    ctx = open_case(w)
    assignment = Assignment.objects.create(
        creditor=w.creditor, idempotency_key="k-9", request_hash="0" * 64, kind="reminder",
        case=ctx["case"],
    )  # fmt: skip
    return {"assignment_id": assignment.pk, "idempotency_key": assignment.idempotency_key}


V = Action.VIEW
STEPS = [
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
    # The ERP's customers to name in an override: for who may set one (no ERP here: 200, its
    # status says so; tests/test_erp_customers.py reads a real one).
    Step(A, "get", "api-creditor-erp-customers", Action.SETTINGS),
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
    Step(A, "get", "api-creditor-api-keys", Action.SETTINGS),
    Step(A, "post", "api-creditor-api-keys", Action.SETTINGS, no_case, key_created, 201,
         lambda ctx: {"name": "Program", "role": "user"}),
    Step(A, "delete", "api-creditor-api-key", Action.SETTINGS, an_api_key, key_revoked,
         url_keys=("key_id",)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize("step", STEPS, ids=step_id)
def test_permission_table(client, world, step, role):
    walk_step(client, world, step, role)


def test_every_api_endpoint_is_walked():
    """A new URL there must join the walk above (and so the table)."""
    assert unwalked(STEPS, A) == []
