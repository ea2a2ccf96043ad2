"""Onboarding in the browser (issue 9 item 1), against the Tripletex emulator over real HTTP:
a company from its API key to an active creditor, and an accounting firm onboarding two client
companies with its one key, logging in to the user it has."""

import pytest
from django.contrib.auth import get_user_model

from creditors.models import (
    AgreementSignature,
    Creditor,
    FirmClientAccess,
    FirmMembership,
    Membership,
)
from integrations.tripletex.emulator.seed import ACCOUNTANT_TOKEN
from tests.browser.conftest import PASSWORD, shows

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def erp(tripletex, settings):
    settings.TRIPLETEX_BASE_URL = tripletex.url
    return tripletex


def sign_and_finish(page, screenshot, name):
    page.wait_for_url("**/onboarding/agreement/")
    shows(page, "Collection agreement")
    screenshot("3-agreement")
    page.fill("input[name=signer_name]", name)
    page.check("input[name=i_sign]")
    page.click("button[type=submit]")
    page.wait_for_url("**/onboarding/finish/")
    screenshot("4-finish")
    page.click("text=Finish onboarding")
    page.wait_for_url("**/cases/**")


def test_a_company_onboards_from_its_tripletex_key_to_an_active_creditor(page, screenshot, erp):
    company = erp.seeded["companies"][0]
    page.goto("/onboarding/")
    screenshot("0-api-key")
    page.fill("input[name=api_key]", "test-employee-not-a-key")
    page.click("button[type=submit]")
    shows(page, "Tripletex did not accept this API key")
    screenshot("0-bad-key")

    page.fill("input[name=api_key]", company["employee_token"])
    page.click("button[type=submit]")
    page.wait_for_url("**/onboarding/contact/")
    page.fill("input[name=first_name]", "Kari")
    page.fill("input[name=last_name]", "Nordmann")
    page.fill("input[name=email]", "kari@fjordvik.example")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password_again]", PASSWORD)
    screenshot("1-contact")
    page.click("button[type=submit]")

    page.wait_for_url("**/onboarding/company/")
    text = page.inner_text("main")
    assert "Fjordvik Rørlegger AS" in text and company["organization_number"] in text
    page.fill("input[name=payout_account]", "8601 11 17948")  # a wrong check digit
    page.click("button[type=submit]")
    shows(page, "Not a valid Norwegian account number")
    page.fill("input[name=payout_account]", "8601 11 17947")
    screenshot("2-company")
    page.click("button[type=submit]")

    sign_and_finish(page, screenshot, "Kari Nordmann")
    shows(page, "AutoCollect is active for Fjordvik Rørlegger AS")
    screenshot("5-case-list")

    creditor = Creditor.objects.get(org_number=company["organization_number"])
    assert creditor.status == Creditor.Status.ACTIVE
    assert creditor.payout_account == "86011117947"
    user = get_user_model().objects.get(email="kari@fjordvik.example")
    assert Membership.objects.get(user=user, creditor=creditor).role == Membership.Role.ADMIN
    signature = AgreementSignature.objects.get(creditor=creditor)
    assert (signature.signer_name, signature.method) == ("Kari Nordmann", "development")


def test_an_accounting_firm_onboards_two_clients_with_one_key(page, screenshot, erp):
    get_user_model().objects.create_user(
        "per@vidde.example", "per@vidde.example", PASSWORD, first_name="Per"
    )
    page.goto("/onboarding/")
    page.fill("input[name=api_key]", ACCOUNTANT_TOKEN)
    page.click("button[type=submit]")
    page.wait_for_url("**/onboarding/contact/")
    page.fill("input[name=first_name]", "Per")
    page.fill("input[name=last_name]", "Revisor")
    page.fill("input[name=email]", "per@vidde.example")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password_again]", PASSWORD)
    page.click("button[type=submit]")
    shows(page, "You already have a user with this e-mail address")
    screenshot("1-existing-user")

    page.click("text=Log in to go on")  # the wizard goes on after the login
    page.wait_for_url("**/login/**")
    page.fill("input[name=username]", "per@vidde.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")

    page.wait_for_url("**/onboarding/company/")
    text = page.inner_text("main")
    assert "Fjordvik Rørlegger AS" in text and "Nordlys Elektro AS" in text
    clients = erp.seeded["companies"]
    for client, account in zip(clients, ("8601 11 17947", "1234 56 78903"), strict=True):
        page.check(f"input[name=pick-{client['id']}]")
        page.fill(f"input[name=account-{client['id']}]", account)
    screenshot("2-clients")
    page.click("button[type=submit]")

    sign_and_finish(page, screenshot, "Per Revisor")
    screenshot("5-case-list")

    creditors = Creditor.objects.filter(org_number__in=[c["organization_number"] for c in clients])
    assert sorted(c.status for c in creditors) == [Creditor.Status.ACTIVE] * 2
    membership = FirmMembership.objects.get(user__email="per@vidde.example")
    assert membership.role == FirmMembership.Role.ADMIN
    assert membership.firm.name == "Vidde Regnskap AS"
    reached = FirmClientAccess.objects.filter(firm_membership=membership)
    assert {a.creditor_id for a in reached} == {c.pk for c in creditors}
    assert AgreementSignature.objects.filter(signer_name="Per Revisor").count() == 2
    # the firm user's creditor switch offers both clients
    options = page.locator("#creditor-switch option").all_inner_texts()
    assert sorted(options) == ["Fjordvik Rørlegger AS", "Nordlys Elektro AS"]
