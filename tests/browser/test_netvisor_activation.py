"""The Netvisor Store activation in the browser (issue 12 item 5), against the Netvisor emulator
over real HTTP: refused in the 22:00-05:00 maintenance break with the reason, then terms, the KYC
step filled by an accounting firm's person on position authorisation and the agreement signed;
an activation left for three days lapses and is begun again from the Store; the removal asks what
happens to the open cases. The Store's signed hand-off link is made here as the Store would
(integrations.netvisor.store); the activation's clock is set by the test (no sleeping)."""

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
from integrations.netvisor.store import handoff_sign, handoff_url
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
def store(settings, clock):
    forget_process_state()
    with running(NetvisorEmulator(), seed=lambda e: seed_demo(e, TODAY)) as erp:
        settings.NETVISOR_BASE_URL = erp.url
        settings.NETVISOR_HANDOFF_SECRET = SECRET
        settings.NETVISOR_STORE_CUSTOMER_ID = erp.seeded["user"]["customer_id"]
        settings.NETVISOR_STORE_CUSTOMER_KEY = erp.seeded["user"]["customer_key"]
        yield erp


def store_link(store, clock, action="activate") -> str:
    params = handoff_sign(
        secret=SECRET,
        now=clock.now.timestamp(),
        action=action,
        org=store.seeded["organisation_id"],
        email="aino@tilitoimisto.example",
        name="Aino Virtanen",
        phone="040 123 4567",
        role="TPK",
    )
    return handoff_url(reverse("netvisor-handoff"), params)


def test_activation_refused_at_night_then_done_by_an_accounting_firm_user(
    page, screenshot, store, clock
):
    clock.now = dt.datetime(2026, 11, 25, 22, 0, tzinfo=HKI)
    page.goto(store_link(store, clock))
    shows(page, "between 22:00 and 05:00 Finnish time")
    shows(page, "maintenance break")
    screenshot("0-refused-at-night")
    assert not NetvisorActivation.objects.exists()

    clock.now = dt.datetime(2026, 11, 26, 5, 0, tzinfo=HKI)
    page.goto(store_link(store, clock))
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
    assert (creditor.legal_name, creditor.status) == ("Saimaan Sähkö Oy", Creditor.Status.ACTIVE)
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
    page.goto(store_link(store, clock, action="remove"))
    page.wait_for_url("**/netvisor/removal/")
    shows(page, "3 cases are still open with us")
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
    page.goto(store_link(store, clock))
    page.check("input[name=accept]")
    page.click("button[type=submit]")
    page.wait_for_url("**/netvisor/kyc/")

    clock.now = MORNING + dt.timedelta(days=3)
    page.reload()
    shows(page, "was not finished within 3 days and has lapsed")
    shows(page, "Start it again from the Netvisor Store")
    screenshot("1-lapsed")
    assert NetvisorActivation.objects.get().status == "lapsed"

    page.goto(store_link(store, clock))
    page.wait_for_url("**/netvisor/terms/")
    shows(page, "Step 1 of 3")
    screenshot("2-begun-again")
    assert NetvisorActivation.objects.filter(status="waiting").count() == 1
