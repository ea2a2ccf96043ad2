"""The Inexchange activation in the browser (issue 13, seed 004), against the Inexchange emulator
over real HTTP: from the Store ("Påminnelse & Inkasso", the company data, "Fortsätt") through the
signed hand-off to us, the business details, the users, review and signing, to an active creditor
whose portal reminds it that decisions and messages wait there."""

import hashlib

import pytest

from creditors.models import AgreementSignature, Creditor
from integrations.emulation.testing import running
from integrations.inexchange.emulator import InexchangeEmulator, seed_demo
from integrations.inexchange.emulator.seed import DEMO_COMPANY
from tests.browser.conftest import PASSWORD, shows
from tests.inexchange.conftest import TODAY

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "browser-handoff-secret"


@pytest.fixture
def store(live_server, settings):
    with running(InexchangeEmulator(), seed=lambda e: seed_demo(e, TODAY)) as emulator:
        settings.INEXCHANGE_BASE_URL = emulator.url
        settings.INEXCHANGE_HANDOFF_SECRET = SECRET
        emulator.store_configure(
            handoff_url=f"{live_server.url}/onboarding/inexchange/", secret=SECRET
        )
        yield emulator


def test_activation_from_the_inexchange_store_to_a_signed_agreement(page, screenshot, store):
    page.goto(f"{store.store_url}?org_no={DEMO_COMPANY.org_number}")
    screenshot("0-store")
    page.click("a:has-text('Påminnelse & Inkasso')")
    shows(page, "Denna företagsinformation hämtas")
    screenshot("0-store-company")
    page.click("text=Fortsätt")

    page.wait_for_url("**/onboarding/inexchange/start/")
    shows(page, "Get started with AutoCollect for Inexchange")
    assert DEMO_COMPANY.name in page.inner_text("main")
    screenshot("1-start")
    page.click("a:has-text('Get started')")

    page.wait_for_url("**/onboarding/inexchange/business/")
    issuer = page.inner_text("#invoice-issuer")
    assert DEMO_COMPANY.name in issuer and DEMO_COMPANY.org_number in issuer
    assert page.locator("input[name=legal_name]").count() == 0  # fixed by the integration
    assert page.locator("#id_address_line1").is_hidden()  # behind the pen until wanted
    page.check("input[value=plusgiro]")
    page.fill("input[name=payout_account]", "41 05 4-9")  # a wrong check digit
    page.fill("input[name=debt_description]", "Bygg- och fasadarbeten enligt faktura")
    page.click("button[type=submit]")
    shows(page, "Not a valid Plusgiro number")
    screenshot("2-business-error")
    page.check("input[value=bankgiro]")
    page.fill("input[name=payout_account]", "5050-1055")
    page.click("text=Change the address")
    page.fill("#id_address_line1", "Sveavägen 46")
    assert page.locator("#id_agreement_address").is_hidden()
    page.check("#id_other_addresses")
    page.fill("#id_agreement_address", "Box 123\n111 22 Stockholm")
    screenshot("2-business")
    page.click("button[type=submit]")

    page.wait_for_url("**/onboarding/inexchange/users/")
    page.fill("input[name=first_name]", "Lena")
    page.fill("input[name=last_name]", "Hagström")
    page.fill("input[name=email]", "lena@hagstrombygg.example")
    page.fill("input[name=phone]", "070-123 45 67")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password_again]", PASSWORD)
    page.fill("input[name=user-1-email]", "ekonomi@hagstrombygg.example")
    page.fill("input[name=user-1-phone]", "08-555 123 45")
    screenshot("3-users")
    page.click("button[type=submit]")

    page.wait_for_url("**/onboarding/inexchange/review/")
    review = page.inner_text("#review")
    for shown in ("Bankgiro 5050-1055", "Bygg- och fasadarbeten", "Sveavägen 46", "Box 123"):
        assert shown in review
    assert "ekonomi@hagstrombygg.example · 08-555 123 45" in review
    shows(page, "Collection agreement")
    screenshot("4-review")
    page.fill("input[name=signer_name]", "Lena Hagström")
    page.check("input[name=i_sign]")
    page.click("button:has-text('Sign')")

    page.wait_for_url("**/cases/")
    shows(page, "AutoCollect is active for Hagström Bygg & Fasad AB")
    shows(page, "Kronofogden")
    screenshot("5-case-list")

    creditor = Creditor.objects.get(country="SE", org_number=DEMO_COMPANY.org_number)
    assert creditor.status == Creditor.Status.ACTIVE
    assert (creditor.payout_account_kind, creditor.payout_account) == ("bankgiro", "50501055")
    signature = AgreementSignature.objects.get(creditor=creditor)
    assert hashlib.sha256(signature.pdf.read()).hexdigest() == signature.sha256
    assert signature.signer_name == "Lena Hagström"
    assert store.store_pages.activations == [DEMO_COMPANY.org_number]


def test_a_direct_payment_reported_on_the_case_page(page, screenshot, store, make_creditor):
    """An Inexchange creditor no partner reports for tells us of a payment it got directly."""
    from django.contrib.auth import get_user_model

    from cases.models import Invoice, Payment
    from collection.sync import creditor_sync
    from creditors.models import Membership
    from integrations.inexchange.enrol import company_enrol
    from tests.browser.conftest import log_in

    connection = company_enrol(
        base_url=store.url,
        erp_id="ac-browser-1",
        company={"Name": DEMO_COMPANY.name, "OrgNo": DEMO_COMPANY.org_number},
    )
    creditor = make_creditor(DEMO_COMPANY.name, country="SE", erp_connection=connection)
    creditor.erp_kind = "inexchange"
    creditor.save(update_fields=["erp_kind"])
    creditor_sync(creditor=creditor, today=TODAY)
    user = get_user_model().objects.create_user("lena", "lena@example.se", PASSWORD)
    Membership.objects.create(user=user, creditor=creditor, role="admin")
    invoice = Invoice.objects.select_related("case").get(erp_id=store.seeded["documents"][0])

    log_in(page, "lena")
    page.goto(f"/c/{creditor.pk}/cases/{invoice.case.number}/")
    form = page.locator("#report-payment")
    form.locator("input[name=payment-amount]").fill("1500")
    form.locator("input[name=payment-on]").fill("2026-11-20")
    screenshot("case-page-report")
    form.locator("button").click()
    shows(page, "The direct payment is booked on the case.")
    screenshot("case-page-reported")
    payment = Payment.objects.get(case=invoice.case)
    assert (payment.source, str(payment.amount)) == ("direct", "1500.00")
