"""Company settings for the creditor's admin (issue 9 item 2): each section saves through its
audited service, refuses what is wrong with a message, and is read-only (403 on change) for the
other roles; the default debt description reaches the letters; the activation switch says what
happens (the first import's invoices counted over real HTTP to the Tripletex emulator) and is
audited."""

import datetime as dt

import pytest
from django.urls import reverse

from collection.activation import activation_preview
from collection.advance import case_advance
from collection.onboarding import creditor_onboard
from creditors.models import AccountSetup, Creditor, CreditorAuditEvent, Membership
from creditors.services import creditor_settings_update
from letters.models import Letter
from letters.rendering import render_letter_html
from letters.services import letter_context
from tests.conftest import TT_TODAY
from tests.onboarding import agreement_signed

pytestmark = pytest.mark.django_db

COMPANY = {
    "debt_description": "Rørleggerarbeid etter avtale",
    "contact_email": "okonomi@fjordvik.no",
    "address_line1": "Bryggen 4",
    "postal_code": "5003",
    "city": "Bergen",
    "invoice_address": "Postboks 77\n5804 Bergen",
    "agreement_address": "",
}
ACCOUNTS = {
    "enabled": "on",
    "receivable_account": "1510",
    "clearing_account": "1550",
    "interest_income_account": "8050",
    "fee_income_account": "3900",
    "loss_account": "7830",
    "vat_cost_account": "2711",
    "vat_code": "1",
}


def audit(creditor, action):
    return list(CreditorAuditEvent.objects.for_creditor(creditor).filter(action=action))


@pytest.fixture
def admin_and_user(make_creditor, make_user):
    creditor = make_creditor("Fjordvik Rørlegger AS")
    return creditor, make_user(creditor, role="admin"), make_user(creditor, role="user")


def test_the_settings_page_has_every_section(client, admin_and_user):
    creditor, admin, user = admin_and_user
    client.force_login(admin)
    page = client.get(reverse("creditor-settings", args=[creditor.pk])).content.decode()
    for anchor in (
        "company", "payout-account", "import-filter", "import-overrides", "bookkeeping",
        "users", "activation", "audit",
    ):  # fmt: skip
        assert f'id="{anchor}"' in page and f'href="#{anchor}"' in page
    assert reverse("creditor-company", args=[creditor.pk]) in page
    # A creditor user reads the same sections, with no form to change them.
    client.force_login(user)
    page = client.get(reverse("creditor-settings", args=[creditor.pk])).content.decode()
    assert 'id="bookkeeping"' in page and "7830" in page
    assert reverse("creditor-company", args=[creditor.pk]) not in page
    assert reverse("creditor-activation", args=[creditor.pk]) not in page
    assert "only the creditor's admin changes them" in page


def test_company_details_are_saved_and_audited(client, admin_and_user):
    creditor, admin, user = admin_and_user
    client.force_login(admin)
    response = client.post(reverse("creditor-company", args=[creditor.pk]), COMPANY)
    assert response.status_code == 302 and response["Location"].endswith("#company")
    creditor.refresh_from_db()
    assert creditor.debt_description == "Rørleggerarbeid etter avtale"
    assert creditor.invoice_address == "Postboks 77\n5804 Bergen"
    assert creditor.address_lines == ("Bryggen 4", "5003 Bergen")
    [event] = audit(creditor, "company")
    assert event.actor == admin
    assert "address_line1=Storgata 1" in event.old_value
    assert "debt_description=Rørleggerarbeid etter avtale" in event.new_value
    # The same again changes nothing and writes no row.
    client.post(reverse("creditor-company", args=[creditor.pk]), COMPANY)
    assert len(audit(creditor, "company")) == 1


def test_company_details_are_validated_with_a_message(client, admin_and_user):
    creditor, admin, _ = admin_and_user
    client.force_login(admin)
    response = client.post(
        reverse("creditor-company", args=[creditor.pk]),
        {**COMPANY, "contact_email": "not an address"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Company details not saved" in page and "Enter a valid email address." in page
    creditor.refresh_from_db()
    assert creditor.debt_description == "" and audit(creditor, "company") == []


def test_a_creditor_user_may_not_change_company_or_accounts(client, admin_and_user):
    creditor, _, user = admin_and_user
    client.force_login(user)
    assert client.post(reverse("creditor-company", args=[creditor.pk]), COMPANY).status_code == 403
    response = client.post(reverse("creditor-account-setup", args=[creditor.pk]), ACCOUNTS)
    assert response.status_code == 403
    creditor.refresh_from_db()
    assert creditor.debt_description == ""
    assert AccountSetup.objects.get(creditor=creditor).receivable_account == 1500
    assert not CreditorAuditEvent.objects.for_creditor(creditor).exists()


def test_account_setup_is_saved_audited_and_checked(client, admin_and_user):
    creditor, admin, _ = admin_and_user
    client.force_login(admin)
    url = reverse("creditor-account-setup", args=[creditor.pk])
    response = client.post(url, {**ACCOUNTS, "loss_account": "1550"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Each account must be a different account number." in page
    assert AccountSetup.objects.get(creditor=creditor).loss_account == 7830

    client.post(url, {k: v for k, v in ACCOUNTS.items() if k != "enabled"})  # unticked: off
    setup = AccountSetup.objects.get(creditor=creditor)
    assert (setup.enabled, setup.receivable_account) == (False, 1510)
    [event] = audit(creditor, "account_setup")
    assert event.old_value == "enabled=True, receivable_account=1500"
    assert event.new_value == "enabled=False, receivable_account=1510"


def test_the_api_reads_and_changes_the_new_settings(client, admin_and_user):
    creditor, admin, user = admin_and_user
    url = reverse("api-creditor-settings", args=[creditor.pk])
    client.force_login(admin)
    body = {
        "company": {"debt_description": "Konsulenttimer"},
        "account_setup": {"loss_account": 7831},
    }
    response = client.patch(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["company"]["debt_description"] == "Konsulenttimer"
    assert data["account_setup"]["loss_account"] == 7831
    assert data["active"] is True
    assert {e.action for e in audit(creditor, "company") + audit(creditor, "account_setup")} == {
        "company",
        "account_setup",
    }
    # A refused part refuses the whole PATCH: nothing of it is kept.
    bad = {"company": {"debt_description": "Annet"}, "account_setup": {"loss_account": 1500}}
    response = client.patch(url, bad, content_type="application/json")
    assert response.status_code == 400
    creditor.refresh_from_db()
    assert creditor.debt_description == "Konsulenttimer"
    # Read-only for a creditor user.
    client.force_login(user)
    assert client.get(url).json()["company"]["debt_description"] == "Konsulenttimer"
    response = client.patch(url, {"active": False}, content_type="application/json")
    assert response.status_code == 403


def test_letters_say_what_the_debt_is_for(make_creditor, make_case):
    """The default debt description stands in for an invoice without text of its own."""
    creditor = make_creditor(debt_description="Rørleggerarbeid etter avtale")
    case = make_case(creditor)
    case_advance(case_id=case.pk, today=dt.date(2026, 11, 2))
    letter = Letter.objects.get(case=case)
    ctx = letter_context(letter=letter)
    assert [i.description for i in ctx.invoices] == ["Rørleggerarbeid etter avtale"]
    assert "Rørleggerarbeid etter avtale" in render_letter_html(ctx)

    case.invoices.update(text="Service av varmepumpe, mars")
    ctx = letter_context(letter=letter)
    assert [i.description for i in ctx.invoices] == ["Service av varmepumpe, mars"]


def onboarded(connection) -> Creditor:
    creditor = creditor_onboard(
        erp_kind="tripletex",
        connection=connection,
        country="NO",
        payout_account_kind="no_account",
        payout_account="8601 11 17947",
        contact_email="okonomi@example.no",
    )
    return agreement_signed(creditor)


def test_activating_says_what_will_be_imported_and_is_audited(
    tripletex_connection, client, make_user
):
    creditor = onboarded(tripletex_connection(0))
    assert creditor.status == Creditor.Status.ONBOARDING
    admin = make_user(creditor, role=Membership.Role.ADMIN)

    # The emulator's demo company on its day: 7 invoices 14 days or more overdue, 5 not yet.
    preview = activation_preview(creditor=creditor, today=TT_TODAY)
    assert (preview.imported, preview.backlog, preview.error) == (7, 0, "")
    assert preview.skipped == {"not overdue long enough yet": 5}
    # An earliest due date reaches back: whatever is overdue at activation is the backlog.
    creditor_settings_update(
        creditor=creditor, actor=admin, earliest_due_date=TT_TODAY - dt.timedelta(days=365)
    )
    preview = activation_preview(creditor=creditor, today=TT_TODAY)
    assert (preview.imported, preview.backlog) == (10, 10)
    assert preview.skipped == {"not overdue long enough yet": 2}

    client.force_login(admin)
    url = reverse("creditor-activation", args=[creditor.pk])
    page = client.get(url).content.decode()
    now = activation_preview(creditor=creditor)  # the page counts on the real today
    assert f"{now.imported} overdue invoices in Tripletex meet your import filter" in page
    assert "a reminder that carries no fee" in page
    assert "Check that your ledger is up to date first" in page

    # Not without the confirmation; then active, from now, audited.
    client.post(url, {})
    creditor.refresh_from_db()
    assert creditor.status == Creditor.Status.ONBOARDING
    response = client.post(url, {"confirm": "yes"})
    assert response["Location"].endswith("#activation")
    creditor.refresh_from_db()
    assert creditor.status == Creditor.Status.ACTIVE and creditor.activated_at is not None
    [event] = audit(creditor, "activation")
    assert (event.actor, event.old_value, event.new_value) == (admin, "onboarding", "active")


def test_deactivating_says_cases_pause_and_is_audited(client, admin_and_user, make_case):
    creditor, admin, user = admin_and_user
    make_case(creditor)
    make_case(creditor)
    client.force_login(user)
    url = reverse("creditor-activation", args=[creditor.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "yes"}).status_code == 403

    client.force_login(admin)
    page = client.get(url).content.decode()
    assert "The nightly import stops" in page
    assert "Your 2 ongoing cases pause where they stand" in page
    assert "still booked and paid out" in page
    client.post(url, {"confirm": "yes"})
    creditor.refresh_from_db()
    assert creditor.status == Creditor.Status.PAUSED
    [event] = audit(creditor, "activation")
    assert (event.old_value, event.new_value) == ("active", "paused")
    page = client.get(reverse("creditor-settings", args=[creditor.pk])).content.decode()
    assert "Not active" in page and "Activate…" in page


def test_activation_is_refused_without_a_signed_agreement(client, make_creditor, make_user):
    creditor = make_creditor(status="onboarding")
    admin = make_user(creditor, role="admin")
    client.force_login(admin)
    url = reverse("creditor-activation", args=[creditor.pk])
    response = client.post(url, {"confirm": "yes"}, follow=True)
    assert "Not activated: the agreement is not signed yet" in response.content.decode()
    creditor.refresh_from_db()
    assert creditor.status == "onboarding" and audit(creditor, "activation") == []
