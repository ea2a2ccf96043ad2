"""In the browser: a creditor's admin changes the company settings and the account setup,
deactivates the service after reading what happens; a user who forgot the password resets it by
e-mail and logs in with the e-mail address."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from creditors.models import AccountSetup, CreditorAuditEvent, Membership
from tests.browser.conftest import PASSWORD, log_in, shows

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_admin_changes_settings(page, screenshot, make_creditor, make_case):
    creditor = make_creditor("Fjordvik Rørlegger AS")
    make_case(creditor)
    user = get_user_model().objects.create_user("kari", "kari@fjordvik.no", PASSWORD)
    Membership.objects.create(user=user, creditor=creditor, role=Membership.Role.ADMIN)
    log_in(page, "kari@fjordvik.no")

    page.goto(f"/c/{creditor.pk}/settings/")
    page.fill("#id_debt_description", "Rørleggerarbeid etter avtale")
    page.fill("#id_invoice_address", "Postboks 77\n5804 Bergen")
    page.click("text=Save company details")
    page.wait_for_load_state()
    shows(page, "Company details saved.")
    assert page.input_value("#id_debt_description") == "Rørleggerarbeid etter avtale"

    page.fill("#id_loss_account", "1500")  # the receivable account too: refused
    page.click("text=Save account setup")
    page.wait_for_load_state()
    shows(page, "Each account must be a different account number.")
    page.fill("#id_loss_account", "7831")
    page.click("text=Save account setup")
    page.wait_for_load_state()
    assert AccountSetup.objects.get(creditor=creditor).loss_account == 7831
    screenshot("settings")

    page.click("text=Deactivate…")
    page.wait_for_load_state()
    shows(page, "Your 1 ongoing case pauses where it stands")
    screenshot("deactivate")
    page.check("input[name=confirm]")
    page.click("button:has-text('Deactivate')")
    page.wait_for_load_state()
    shows(page, "Not active")
    creditor.refresh_from_db()
    assert creditor.status == "paused"
    events = CreditorAuditEvent.objects.for_creditor(creditor)
    actions = set(events.values_list("action", flat=True))
    assert actions == {"company", "account_setup", "activation"}
    page.goto(f"/c/{creditor.pk}/settings/#audit")
    screenshot("changes")


def test_a_user_resets_the_password_by_email(page, screenshot, make_creditor):
    creditor = make_creditor("Fjordvik Rørlegger AS")
    user = get_user_model().objects.create_user("ola", "ola@fjordvik.no", "forgotten-password-1")
    Membership.objects.create(user=user, creditor=creditor)

    page.goto("/login/")
    page.click("text=Forgot your password?")
    page.fill("input[name=email]", "ola@fjordvik.no")
    screenshot("reset-form")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    shows(page, "Check your e-mail")
    screenshot("reset-sent")

    [message] = mail.outbox
    link = re.search(r"https?://\S+/password-reset/\S+/\S+/", message.body).group(0)
    page.goto(link)
    page.fill("input[name=new_password1]", "short")
    page.fill("input[name=new_password2]", "short")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    shows(page, "This password is too short")
    screenshot("reset-refused")
    page.fill("input[name=new_password1]", PASSWORD)
    page.fill("input[name=new_password2]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    shows(page, "Your new password is set")

    log_in(page, "ola@fjordvik.no")
    assert f"/c/{creditor.pk}/" in page.url
    page.goto("/no/such/page/")
    screenshot("not-found")
