"""The support console in a browser: a creditor's user writes a message on a case in the portal,
a support user answers it in the console, and the creditor sees the answer on the case; support
also books an unmatched payment on its case by hand. Screenshots of the console's pages."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from cases import ledger
from cases.rules import load_rule_tables
from collection.advance import case_advance
from collection.payments import incoming_payment_register
from creditors.models import Membership, SupportAccessLog
from settlements.models import IncomingPayment
from tests.browser.conftest import PASSWORD, log_in, shows

pytestmark = pytest.mark.django_db(transaction=True)
DAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _rule_tables(transactional_db):
    """A transactional test before this one flushed the rule tables its migration loaded."""
    load_rule_tables()


def test_support_answers_a_creditors_message(page, screenshot, make_creditor, make_case):
    creditor = make_creditor("Fjordvik Rørlegger AS")
    case = make_case(creditor, today=DAY)
    users = get_user_model().objects
    kari = users.create_user("kari", password=PASSWORD)
    Membership.objects.create(user=kari, creditor=creditor, role=Membership.Role.USER)
    users.create_user("siri", password=PASSWORD, is_staff=True)

    # the creditor's user writes on the case
    log_in(page, "kari")
    page.goto(f"/c/{creditor.pk}/cases/{case.number}/")
    page.fill("#message-body", "The debtor says he paid on Friday. Can you check?")
    page.click("#thread button")
    page.wait_for_load_state()
    assert "The debtor says he paid on Friday." in page.inner_text("#thread")
    page.context.clear_cookies()

    # support finds it in the console and answers
    log_in(page, "siri")
    page.goto("/support/")
    row = page.locator("#tickets tr[data-kind=message]")
    assert "The debtor says he paid on Friday." in row.inner_text()
    assert "Fjordvik Rørlegger AS" in row.inner_text()
    screenshot("tickets")
    row.locator("a").click()
    page.wait_for_load_state()
    page.click("button[value=me]")  # take it
    page.wait_for_load_state()
    page.fill("#reply-body", "We found it: 1 000 kr on Friday, booked on the case.")
    page.click("#send-reply")
    page.wait_for_load_state()
    shows(page, "Your answer was sent to the creditor.")
    assert "We found it" in page.inner_text("#thread")
    screenshot("ticket")
    page.click("#close-ticket")
    page.wait_for_load_state()
    page.goto("/support/")
    assert page.locator("#tickets tr[data-kind=message]").count() == 0
    assert SupportAccessLog.objects.filter(creditor=creditor).exists()
    page.context.clear_cookies()

    # the creditor sees the answer on the case
    log_in(page, "kari")
    page.goto(f"/c/{creditor.pk}/cases/{case.number}/")
    thread = page.inner_text("#thread")
    assert "We found it: 1 000 kr on Friday, booked on the case." in thread
    screenshot("creditor-sees-answer")


def test_support_matches_an_unmatched_payment_by_hand(page, screenshot, make_creditor, make_case):
    creditor = make_creditor("Fjordvik Rørlegger AS")
    case = make_case(creditor, today=DAY)
    case_advance(case_id=case.pk, today=DAY)
    incoming = incoming_payment_register(
        external_id="bank-2026-11-0042",
        reference=f"invoice {case.invoices.get().number}",
        amount=ledger.outstanding(case),
        currency=case.currency,
        paid_on=DAY,
        payer="Debtor AS",
    )
    get_user_model().objects.create_user("siri", password=PASSWORD, is_staff=True)

    log_in(page, "siri")
    page.goto("/support/payments/")
    assert "Debtor AS" in page.inner_text("#payments")
    screenshot("payments")
    page.click("#payments a")
    page.wait_for_load_state()
    page.fill("input[name=q]", case.debtor.name)
    page.click("form.filters button")
    page.wait_for_load_state()
    screenshot("payment-search")
    page.click(f"#found button:has-text('{case.number}')")
    page.wait_for_load_state()
    shows(page, f"The payment was booked on case {case.number}.")
    shows(page, "Every payment is matched.")
    incoming.refresh_from_db()
    assert incoming.status == IncomingPayment.Status.MATCHED
    assert ledger.outstanding(case) == 0
