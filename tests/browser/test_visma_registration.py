"""Registration from Visma Home in the browser (issue 11 item 3, seed 000), against the Visma.net
emulator served on 127.0.0.1, which plays Visma Connect (OpenID Connect, authorization code with
PKCE) and the Visma.net API: signed in through Visma Connect, the two companies checked and
registered as creditors, one agreement signed for each (PDF kept), the creditor picked, its
company settings and import settings filled in (one customer override, one customer-class
override, one exclusion), the activation's warnings read and the switch turned on; the first
import then brings in what the settings let through, and nothing else."""

import pytest

from cases.models import Invoice
from collection.sync import creditor_sync
from creditors.models import AgreementSignature, Creditor, ImportFilterOverride, Membership
from integrations.emulation.testing import running
from integrations.http import forget_process_state
from integrations.visma.emulator import CLIENT_ID, CLIENT_SECRET, VismaEmulator, seed_demo
from nordic.calendar import local_today
from tests.browser.conftest import shows

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def visma(settings, monkeypatch):
    forget_process_state()
    today = local_today("Europe/Stockholm")  # the activation page counts as of today
    with running(VismaEmulator(), seed=lambda e: seed_demo(e, today)) as emulator:
        settings.VISMA_CONNECT_URL = emulator.url
        settings.VISMA_API_URL = emulator.url
        settings.VISMA_CLIENT_ID, settings.VISMA_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
        # The case numbers' write-back is queued after commit; not this test's subject.
        monkeypatch.setattr("collection.tasks.write_case_references.delay", lambda *a: None)
        yield emulator
    forget_process_state()


def test_registration_from_visma_home_to_an_active_creditor(page, screenshot, visma):
    norrsken, vattern = visma.seeded["companies"]
    page.goto("/onboarding/visma/")  # the AutoCollect link in Visma Home
    # Visma Connect signed Anna in and sent her back with a code: the companies as Visma.net
    # has them, to check and tick.
    page.wait_for_url("**/onboarding/visma/register/")
    shows(page, "Signed in through Visma Connect as Anna Lind")
    text = page.inner_text("main")
    for company in (norrsken, vattern):
        assert company["name"] in text and company["org_number"] in text
    assert "Storgatan 12, 90326 Umeå" in text
    screenshot("1-register")
    page.uncheck(f"input[value='{norrsken['tenant_id']}']")
    page.uncheck(f"input[value='{vattern['tenant_id']}']")
    page.click("button[type=submit]")
    shows(page, "Tick at least one company to register")
    page.check(f"input[value='{norrsken['tenant_id']}']")
    page.check(f"input[value='{vattern['tenant_id']}']")
    page.click("button[type=submit]")

    page.wait_for_url("**/onboarding/visma/agreement/")
    shows(page, "Sign the 2 agreements")
    text = page.inner_text("main")
    assert "Norrsken Bygg AB" in text and "Vättern Konsult AB" in text
    pdf = page.request.get(page.get_attribute("a[href$='.pdf']", "href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    screenshot("2-agreements")
    page.fill("input[name=signer_name]", "Anna Lind")
    page.check("input[name=i_sign]")
    page.click("button[type=submit]")

    page.wait_for_url("**/onboarding/visma/login/")
    creditors = {c.erp_company_id: c for c in Creditor.objects.filter(erp_kind="visma")}
    assert set(creditors) == {norrsken["tenant_id"], vattern["tenant_id"]}
    for creditor in creditors.values():
        signature = AgreementSignature.objects.get(creditor=creditor)
        assert signature.signer_name == "Anna Lind" and signature.pdf
        assert creditor.status == Creditor.Status.ONBOARDING and creditor.payout_account == ""
        member = Membership.objects.get(creditor=creditor)
        assert (member.user.email, member.role) == (visma.seeded["user"]["email"], "admin")
    screenshot("3-login")
    creditor = creditors[norrsken["tenant_id"]]
    page.check(f"input[name=creditor][value='{creditor.pk}']")
    page.click("button[type=submit]")

    # Company settings: debt description, a payout option, the addresses as fetched.
    page.wait_for_url(f"**/c/{creditor.pk}/settings/**")
    shows(page, "Fill in the company settings")
    assert page.input_value("input[name=address_line1]") == "Storgatan 12"
    page.fill("input[name=debt_description]", "Byggtjänster enligt faktura")
    invoices_to = "Norrsken Bygg AB\nFakturaservice\nBox 45\n90102 Umeå"
    page.fill("textarea[name=invoice_address]", invoices_to)
    page.click("#company button")
    shows(page, "Byggtjänster enligt faktura")
    page.select_option("#payout-account select[name=kind]", "bankgiro")
    page.fill("#payout-account input[name=account]", "5050-1056")  # a wrong check digit
    page.click("#payout-account button")
    shows(page, "Payout account")
    page.select_option("#payout-account select[name=kind]", "bankgiro")
    page.fill("#payout-account input[name=account]", "50501055")  # without the hyphen
    page.click("#payout-account button")
    shows(page, "50501055")
    screenshot("4-company-settings")

    # Import settings: one customer override, one customer-class override, one exclusion.
    people, firms = norrsken["consumers"], norrsken["businesses"]
    override(page, customer=people[2], min_amount="1000")  # his 890.50 stays out
    override(page, klass="PRIVAT", days="30")  # Erik's invoice, 20 days past due, stays out
    override(page, customer=firms[1], excluded=True)  # Umeå Hyresbostäder: never
    assert ImportFilterOverride.objects.filter(creditor=creditor).count() == 3
    screenshot("5-import-settings")

    # Activation: the guide's warnings, then the switch.
    page.goto(f"/c/{creditor.pk}/settings/activation/")
    shows(page, "3 overdue invoices in Visma.net meet your import filter")
    screenshot("6-activation")
    text = page.inner_text("main")
    assert "an invoice that was paid but still stands as unpaid will be imported" in text
    assert "Do not send reminders with a fee yourself" in text
    assert "2 invoices stay out: excluded customer" in text  # Umeå Hyresbostäder's two
    assert "1 invoice stays out: below the minimum amount" in text  # the customer override
    page.check("input[name=confirm]")
    page.click("main form button")
    shows(page, "Activated: the import starts as described")
    creditor.refresh_from_db()
    assert creditor.status == Creditor.Status.ACTIVE
    assert (creditor.payout_account_kind, creditor.payout_account) == ("bankgiro", "50501055")
    assert creditor.debt_description == "Byggtjänster enligt faktura"
    assert creditor.invoice_address.splitlines() == invoices_to.splitlines()

    run = creditor_sync(creditor=creditor)
    imported = set(Invoice.objects.filter(creditor=creditor).values_list("erp_id", flat=True))
    wanted = {norrsken["open_invoices"][i] for i in (3, 6, 7)}  # Bergström, the sister, Kalles
    assert imported == wanted and run.cases_opened == 3


def override(page, *, customer="", klass="", excluded=False, days="", min_amount=""):
    form = page.locator("#import-overrides form.stacked")
    form.locator("[name=override-customer_erp_id]").fill(customer)
    form.locator("[name=override-customer_class]").fill(klass)
    if excluded:
        form.locator("[name=override-excluded]").check()
    form.locator("[name=override-days_after_due]").fill(days)
    form.locator("[name=override-min_amount]").fill(min_amount)
    form.locator("button").click()
    shows(page, f"customer {customer}" if customer else f"customer class {klass}")
