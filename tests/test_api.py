"""The REST API (issue 9 item 6): API keys per creditor, users' tokens (through the login
lockout), the one error format, rate limits, the endpoints around a case, and the assignments
API that accounting programs push invoices with: idempotency, terms with the first assignment,
each type's starting stage, ongoing/completed, payments and settlements to book."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cases.models import Case, EnforcementApplication, Payment
from collection.advance import case_advance
from collection.models import Assignment
from collection.payments import payment_register
from collection.payouts import payouts_run
from creditors.apikeys import api_key_create
from creditors.models import ApiKey, CreditorAuditEvent, Membership

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def setup(make_creditor, make_user):
    creditor = make_creditor(country="SE")
    admin = make_user(creditor, role="admin")
    _, key = api_key_create(creditor=creditor, actor=admin, name="Visma desktop", role="admin")
    return creditor, admin, key


def api(client, key):
    client.defaults["HTTP_AUTHORIZATION"] = f"Api-Key {key}"
    return client


def assignment(kind="reminder", number="5001", customer="K-17", **extra):
    due = TODAY - dt.timedelta(days=60)
    return {
        "type": kind,
        "currency": "SEK",
        "debtor": {
            "customer_number": customer,
            "name": "Kund AB",
            "kind": "business",
            "address_line1": "Storgatan 1",
            "postal_code": "11122",
            "city": "Stockholm",
            "country": "SE",
        },
        "invoices": [
            {
                "number": number,
                "invoice_date": str(due - dt.timedelta(days=30)),
                "due_date": str(due),
                "amount": "1250.00",
            }
        ],
        "accept_terms": True,
        **extra,
    }


def post(client, creditor, body, key="k-1"):
    return client.post(
        f"/api/creditors/{creditor.pk}/assignments/",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": key} if key else {},
    )


def assert_error(response, status, code):
    assert response.status_code == status, response.content[:300]
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and isinstance(error["fields"], dict)
    return error


# --- API keys and tokens ----------------------------------------------------------------------


def test_api_key_is_shown_once_stored_hashed_scoped_and_revocable(client, make_creditor, setup):
    creditor, admin, _ = setup
    client.force_login(admin)
    created = client.post(
        f"/api/creditors/{creditor.pk}/api-keys/",
        {"name": "Fortnox sync", "role": "user"},
        content_type="application/json",
    )
    assert created.status_code == 201
    key = created.json()["key"]
    stored = ApiKey.objects.get(pk=created.json()["id"])
    assert key not in (stored.key_hash, stored.prefix) and stored.key_hash != ""
    listed = client.get(f"/api/creditors/{creditor.pk}/api-keys/").json()
    assert all("key" not in row for row in listed) and len(listed) == 2
    client.logout()

    machine = api(client, key)
    assert machine.get(f"/api/creditors/{creditor.pk}/cases/").status_code == 200
    other = make_creditor()
    assert_error(machine.get(f"/api/creditors/{other.pk}/cases/"), 404, "not_found")
    # role "user": the permission table applies to the key as to a person
    assert_error(post(machine, creditor, assignment()), 403, "permission_denied")

    client.defaults.pop("HTTP_AUTHORIZATION")
    client.force_login(admin)
    revoked = client.delete(f"/api/creditors/{creditor.pk}/api-keys/{stored.pk}/")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert not Membership.objects.filter(user=stored.user).exists()
    client.logout()
    assert_error(api(client, key).get(f"/api/creditors/{creditor.pk}/cases/"), 401,
                 "authentication_failed")  # fmt: skip
    assert (
        CreditorAuditEvent.objects.filter(
            creditor=creditor, action__in=["api_key_created", "api_key_revoked"]
        ).count()
        == 3
    )  # the fixture's key, this one, its revocation


def test_a_wrong_key_is_refused(client, setup):
    creditor, _, key = setup
    response = api(client, key[:-2] + "xx").get(f"/api/creditors/{creditor.pk}/cases/")
    assert_error(response, 401, "authentication_failed")


def test_user_token_and_the_login_lockout(client, setup):
    creditor, admin, _ = setup
    got = client.post(
        "/api/auth/token/",
        {"username": admin.username, "password": "pw-for-tests-1"},
        content_type="application/json",
    )
    assert got.status_code == 200 and got.json()["token"] == Token.objects.get(user=admin).key
    listed = client.get(
        f"/api/creditors/{creditor.pk}/cases/",
        headers={"Authorization": f"Token {got.json()['token']}"},
    )
    assert listed.status_code == 200
    wrong = {"username": admin.username, "password": "nope"}
    statuses = [
        client.post("/api/auth/token/", wrong, content_type="application/json").status_code
        for _ in range(6)
    ]
    assert statuses[:4] == [401] * 4 and statuses[-1] == 429
    right = {"username": admin.username, "password": "pw-for-tests-1"}
    assert (
        client.post("/api/auth/token/", right, content_type="application/json").status_code == 429
    )


# --- the one error format and the rate limit -----------------------------------------------


def test_every_error_has_the_one_format(client, setup, make_creditor):
    creditor, _, key = setup
    c = api(client, key)
    assert_error(c.get("/api/no-such-thing/"), 404, "not_found")
    assert_error(c.get(f"/api/creditors/{creditor.pk}/cases/1/"), 404, "not_found")
    bad = assert_error(post(c, creditor, {"type": "loan"}), 400, "invalid")
    assert {"type", "currency", "debtor", "invoices"} <= set(bad["fields"])
    assert_error(c.get(f"/api/creditors/{creditor.pk}/cases/?amount_min=lots"), 400, "invalid")
    assert_error(c.delete(f"/api/creditors/{creditor.pk}/cases/"), 405, "method_not_allowed")
    client.defaults.pop("HTTP_AUTHORIZATION")
    assert_error(client.get(f"/api/creditors/{creditor.pk}/cases/"), 401, "not_authenticated")


def test_rate_limit_per_key_in_the_error_format(client, setup, settings):
    creditor, _, key = setup
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "3/minute", "anon": "3/minute"},
    }
    cache.clear()
    try:
        c = api(client, key)
        codes = [c.get(f"/api/creditors/{creditor.pk}/cases/").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        error = assert_error(c.get(f"/api/creditors/{creditor.pk}/cases/"), 429, "throttled")
        assert "second" in error["message"]
    finally:
        cache.clear()


# --- assignments -------------------------------------------------------------------------------


def test_the_same_assignment_twice_opens_one_case(client, setup):
    creditor, _, key = setup
    c = api(client, key)
    first = post(c, creditor, assignment())
    again = post(c, creditor, assignment())
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Case.objects.filter(creditor=creditor).count() == 1
    # the key may come in the body too
    in_body = post(c, creditor, assignment(number="5002", idempotency_key="k-2"), key=None)
    assert in_body.status_code == 201
    assert post(c, creditor, assignment(number="5002"), key="k-2").status_code == 200
    assert Case.objects.filter(creditor=creditor).count() == 2


def test_the_same_key_with_another_body_is_a_conflict(client, setup):
    creditor, _, key = setup
    c = api(client, key)
    assert post(c, creditor, assignment()).status_code == 201
    changed = assignment()
    changed["invoices"][0]["amount"] = "999.00"
    assert_error(post(c, creditor, changed), 409, "idempotency_conflict")
    assert_error(post(c, creditor, assignment(), key=None), 400, "invalid")
    # the same invoice in a second assignment: it is in a case already
    assert_error(post(c, creditor, assignment(), key="k-9"), 409, "invoice_in_case")
    assert Case.objects.filter(creditor=creditor).count() == 1


def test_terms_are_accepted_with_the_first_assignment(client, setup):
    creditor, _, key = setup
    c = api(client, key)
    refused = assert_error(post(c, creditor, assignment(accept_terms=False)), 400, "invalid")
    assert "accept_terms" in refused["fields"]
    assert not Case.objects.exists()
    assert post(c, creditor, assignment()).json()["terms_accepted"] is True
    later = post(c, creditor, assignment(number="7", accept_terms=False), key="k-2")
    assert later.status_code == 201 and later.json()["terms_accepted"] is False
    audit = CreditorAuditEvent.objects.filter(creditor=creditor, action="terms_accepted")
    assert [a.new_value for a in audit] == ["2026-1"]


@pytest.mark.parametrize(
    "country,kind,stage,letter",
    [
        ("SE", "reminder", "reminder", True),
        ("SE", "demand", "demand", True),
        ("NO", "reminder", "reminder", True),
        ("NO", "demand", "notice", True),  # Norway: the inkassovarsel comes first by law
        ("FI", "demand", "demand", True),
        ("SE", "enforcement", "enforcement", False),
        ("SE", "surveillance", "surveillance", False),
    ],
)
def test_each_assignment_type_starts_at_its_stage(
    client, make_creditor, make_user, country, kind, stage, letter
):
    creditor = make_creditor(country=country)
    admin = make_user(creditor, role="admin")
    _, key = api_key_create(creditor=creditor, actor=admin, name="program", role="admin")
    body = assignment(kind)
    body["currency"] = creditor.currency
    created = post(api(client, key), creditor, body)
    assert created.status_code == 201, created.content
    case = Case.objects.get(number=created.json()["case"])
    if letter:  # a letter stage: the next advance enters it, with its letter
        assert case.stage == "new"
        assert case_advance(case_id=case.pk, today=TODAY) == stage
        assert case.letters.get().stage == stage
    else:  # past the letters: entered now, nothing more planned
        assert (case.stage, case.next_action_on) == (stage, None)
        assert EnforcementApplication.objects.filter(case=case).exists() == (stage == "enforcement")


def test_ongoing_completed_and_what_to_book(client, setup, make_case):
    creditor, _, key = setup
    c = api(client, key)
    paid = Case.objects.get(number=post(c, creditor, assignment()).json()["case"])
    open_ = post(c, creditor, assignment(number="5002"), key="k-2").json()["case"]
    make_case(creditor)  # imported from the ERP, not an assignment: not booked by the program
    case_advance(case_id=paid.pk, today=TODAY)
    for case in Case.objects.filter(creditor=creditor):
        payment_register(
            case=case, source=Payment.Source.COLLECTOR, external_id=f"bank-{case.pk}",
            amount=Decimal("5000.00"), paid_on=TODAY,
        ) if case.pk != Case.objects.get(number=open_).pk else None  # fmt: skip
    base = f"/api/creditors/{creditor.pk}/assignments/"
    assert [r["case"] for r in c.get(f"{base}?state=ongoing").json()["results"]] == [open_]
    done = c.get(f"{base}?state=completed").json()["results"]
    assert [(r["case"], r["status"], r["outcome"]) for r in done] == [
        (paid.number, "closed", "paid")
    ]
    to_book = c.get(f"{base}payments/").json()["results"]
    assert [p["case"] for p in to_book] == [paid.number]
    assert c.get(f"{base}payments/?after={to_book[-1]['id']}").json()["results"] == []
    settled = c.get(f"{base}settlements/").json()["results"]
    assert [s["case"] for s in settled] == [paid.number]
    assert Decimal(settled[0]["capital"]) == Decimal("1250.00")
    # the creditor-wide lists have the ERP case's payment too
    assert c.get(f"/api/creditors/{creditor.pk}/payments/").json()["count"] == 2
    assert settled[0]["lines"] and settled[0]["payout"] is None  # waits for the payout run
    payouts_run(creditor=creditor, today=TODAY)
    payouts = c.get(f"/api/creditors/{creditor.pk}/payouts/").json()["results"]
    assert len(payouts) == 1 and payouts[0]["settlements"] == 2
    assert Decimal(payouts[0]["amount"]) == sum(
        Decimal(s["to_creditor"])
        for s in c.get(f"/api/creditors/{creditor.pk}/settlements/").json()["results"]
    )
    assert payouts[0]["voucher_status"] in ("posted", "failed", "not_posted")
    assert Assignment.objects.filter(creditor=creditor).count() == 2


# --- the endpoints around one case -------------------------------------------------------------


def test_case_events_letters_pdf_decisions_and_messages(
    client, setup, django_capture_on_commit_callbacks
):
    creditor, _, key = setup
    c = api(client, key)
    number = post(c, creditor, assignment()).json()["case"]
    case = Case.objects.get(number=number)
    with django_capture_on_commit_callbacks(execute=True):
        case_advance(case_id=case.pk, today=TODAY)
    base = f"/api/creditors/{creditor.pk}/cases/{number}/"
    kinds = [e["kind"] for e in c.get(f"{base}events/").json()["results"]]
    assert kinds[0] == "opened" and "stage" in kinds
    letters = c.get(f"{base}letters/").json()["results"]
    assert [x["stage"] for x in letters] == ["reminder"]
    pdf = c.get(f"{base}letters/{letters[0]['id']}.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert c.get(f"{base}decisions/").json()["results"] == []
    wrote = c.post(
        f"{base}messages/", {"body": "Kunden har betalat?"}, content_type="application/json"
    )
    assert wrote.status_code == 201 and wrote.json()["case"] == number
    assert [m["body"] for m in c.get(f"{base}messages/").json()["results"]] == [
        "Kunden har betalat?"
    ]
    assert_error(
        c.post(f"{base}messages/", {"body": "  "}, content_type="application/json"), 400, "invalid"
    )
    general = c.post(
        f"/api/creditors/{creditor.pk}/messages/", {"body": "Hej"}, content_type="application/json"
    )
    assert general.status_code == 201 and general.json()["case"] is None
    listed = c.get(f"/api/creditors/{creditor.pk}/cases/?stage=reminder&limit=1").json()
    assert listed["count"] == 1 and listed["results"][0]["number"] == number
    assert c.get(f"/api/creditors/{creditor.pk}/cases/?stage=demand").json()["count"] == 0
    acted = c.post(f"{base}withdraw/", {}, content_type="application/json")
    assert acted.status_code == 200
    assert_error(c.post(f"{base}withdraw/", {}, content_type="application/json"), 409,
                 "invalid_transition")  # fmt: skip
