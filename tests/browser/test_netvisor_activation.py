"""The Netvisor Store activation in the browser (issue 12 item 5), against the Netvisor emulator
over real HTTP: refused in the 22:00-05:00 maintenance break with the reason, then terms, the KYC
step filled by an accounting firm's person on position authorisation and the agreement signed;
an activation left for three days lapses and is begun again from the Store; the removal asks what
happens to the open cases. Each begins in the emulator's Store pages (Activate, Proceed to
activation, Remove), which send the browser to us with the signed hand-off; the activation's clock
and the Store's signing time are set by the test (no sleeping)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from cases.models import Case
from collection import netvisor_activation as service
from collection.netvisor_models import NetvisorActivation, NetvisorKyc
from collection.netvisor_transfers import transfers_import
from creditors.models import AgreementSignature, Creditor
from integrations.emulation.testing import running
from integrations.http import forget_process_state
from integrations.netvisor.emulator import NetvisorEmulator, seed_demo
from tests.browser.conftest import shows

pytestmark = pytest.mark.django_db(transaction=True)
HKI = ZoneInfo("Europe/Helsinki")
SECRET = "browser-netvisor-handoff"
TODAY = dt.date(2026, 11, 25)
MORNING = dt.datetime(2026, 11, 25, 9, 30, tzinfo=HKI)


class Clock:
    now = MORNING


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(service, "clock", lambda: c.now)  # the live server's threads see it too
    return c


@pytest.fixture
def store(settings, clock, live_server):
    """The Netvisor emulator with its Store sending the browser to the live server."""
    forget_process_state()
    with running(NetvisorEmulator(), seed=lambda e: seed_demo(e, TODAY)) as erp:
        ours = erp.seeded["store"]["integration"]
        settings.NETVISOR_BASE_URL = erp.url
        settings.NETVISOR_HANDOFF_SECRET = SECRET
        settings.NETVISOR_STORE_CUSTOMER_ID = ours["customer_id"]
        settings.NETVISOR_STORE_CUSTOMER_KEY = ours["customer_key"]
        erp.store_configure(
            handoff_url=live_server.url + reverse("netvisor-handoff"),
            secret=SECRET,
            integration_user=ours["customer_id"],
        )
        erp.store_pages.clock = lambda: clock.now  # the Store signs with the test's time
        yield erp


def from_the_store(page, store, *, remove=False) -> None:
    """The Netvisor user in the Store: Activate, then Proceed to activation (or Remove)."""
    page.goto(store.store_url(store.seeded["store"]["person"]["email"]))
    if remove:
        page.click("text=Remove")
        return
    page.click("text=Activate")
    page.click("text=Proceed to activation")  # the Store's 303 to our hand-off URL


def test_activation_refused_at_night_then_done_by_an_accounting_firm_user(
    page, screenshot, store, clock
):
    clock.now = dt.datetime(2026, 11, 25, 22, 0, tzinfo=HKI)
    from_the_store(page, store)
    shows(page, "between 22:00 and 05:00 Finnish time")
    shows(page, "maintenance break")
    screenshot("0-refused-at-night")
    assert not NetvisorActivation.objects.exists()

    clock.now = dt.datetime(2026, 11, 26, 5, 0, tzinfo=HKI)
    from_the_store(page, store)
    page.wait_for_url("**/netvisor/terms/")
    shows(page, "the payments and credit invoices recorded on those invoices")
    page.click("button[type=submit]")
    shows(page, "This field is required")
    page.check("input[name=accept]")
    screenshot("1-terms")
    page.click("button[type=submit]")

    page.wait_for_url("**/netvisor/kyc/")
    shows(page, "customer due diligence")
    page.fill("input[name=payout_account]", "FI21 1234 5600 0007 85")
    page.check("input[name=authority][value=position]")
    page.fill("input[name=firm_name]", "Tilitoimisto Virtanen Oy")
    page.fill("input[name=firm_business_id]", "2737599-6")
    page.check("input[name=pep][value=False]")
    page.check("input[name=purpose][value=own_receivables]")
    page.click("button[type=submit]")  # no owners named, none confirmed
    shows(page, "Name the beneficial owners, or confirm that no one owns over 25 per cent")
    screenshot("2-kyc-owners-missing")
    page.fill("input[name=owner-1-name]", "Sanna Saimaa")
    page.fill("input[name=owner-1-birth_date]", "1970-04-02")
    page.fill("input[name=owner-1-nationality]", "FI")
    page.fill("input[name=owner-1-share]", "60")
    page.click("button[type=submit]")

    page.wait_for_url("**/netvisor/agreement/")
    shows(page, "Collection agreement")
    page.fill("input[name=signer_name]", "Aino Virtanen")
    page.check("input[name=i_sign]")
    screenshot("3-agreement")
    page.click("button[type=submit]")
    page.wait_for_url("**/netvisor/done/")
    shows(page, "The service is active")
    shows(page, "aino@tilitoimisto.example")
    screenshot("4-done")

    activation = NetvisorActivation.objects.get()
    assert activation.status == "active"
    creditor = activation.creditor
    assert (creditor.legal_name, creditor.status) == ("Kuopion Kala Oy", Creditor.Status.ACTIVE)
    kyc = NetvisorKyc.objects.get(activation=activation)
    assert (kyc.authority, kyc.firm_name, kyc.filled_by_name) == (
        "position",
        "Tilitoimisto Virtanen Oy",
        "Aino Virtanen",
    )
    assert AgreementSignature.objects.get(creditor=creditor).signer_name == "Aino Virtanen"

    # The first transfer sends the credentials; then the service is removed in the Store.
    transfers_import(creditor=creditor, today=TODAY)
    assert [m.to for m in mail.outbox] == [["aino@tilitoimisto.example"]]
    from_the_store(page, store, remove=True)
    page.wait_for_url("**/netvisor/removal/")
    shows(page, "One case is still open with us")
    screenshot("5-removal")
    page.check("input[name=choice][value=stop]")
    page.click("button[type=submit]")
    shows(page, "The open cases were stopped")
    screenshot("6-removal-answered")
    assert set(Case.objects.filter(creditor=creditor).values_list("outcome", flat=True)) == {
        "withdrawn"
    }
    assert transfers_import(creditor=creditor, today=TODAY) is None


def test_an_activation_left_for_three_days_lapses_and_is_begun_again(
    page, screenshot, store, clock
):
    from_the_store(page, store)
    page.check("input[name=accept]")
    page.click("button[type=submit]")
    page.wait_for_url("**/netvisor/kyc/")

    clock.now = MORNING + dt.timedelta(days=3)
    page.reload()
    shows(page, "was not finished within 3 days and has lapsed")
    shows(page, "Start it again from the Netvisor Store")
    screenshot("1-lapsed")
    assert NetvisorActivation.objects.get().status == "lapsed"

    from_the_store(page, store)
    page.wait_for_url("**/netvisor/terms/")
    shows(page, "Step 1 of 3")
    screenshot("2-begun-again")
    assert NetvisorActivation.objects.filter(status="waiting").count() == 1
