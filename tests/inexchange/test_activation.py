"""The Inexchange activation (seed 004) over real HTTP to the emulator: the Store's signed
hand-off, the company read from Inexchange, the business details and users, the agreement signed
(PDF + checksum) and the creditor active; forged, stale and reused hand-offs refused."""

import hashlib
import time

import pytest
import requests
from django.contrib.auth import get_user_model

from creditors.models import AgreementSignature, Creditor, CreditorAuditEvent, Membership
from integrations.inexchange.emulator.seed import DEMO_COMPANY
from integrations.inexchange.emulator.store import erp_id_for
from integrations.inexchange.handoff import handoff_sign

pytestmark = pytest.mark.django_db
SECRET = "test-handoff-secret"
PASSWORD = "a-long-activation-password"
HANDOFF = "http://testserver/onboarding/inexchange/"


@pytest.fixture
def store(inexchange, settings):
    settings.INEXCHANGE_BASE_URL = inexchange.url
    settings.INEXCHANGE_HANDOFF_SECRET = SECRET
    inexchange.store_configure(handoff_url=HANDOFF, secret=SECRET)
    return inexchange


def store_continue(store) -> str:
    """Through the Store as the user clicks it: the service, the company data, "Fortsätt"."""
    query = {"org_no": DEMO_COMPANY.org_number}
    front = requests.get(store.store_url, params=query, timeout=5)
    assert "Påminnelse &amp; Inkasso" in front.text
    details = requests.get(f"{store.store_url}/paminnelse-inkasso", params=query, timeout=5)
    assert DEMO_COMPANY.name.replace("&", "&amp;") in details.text
    answer = requests.post(
        f"{store.store_url}/paminnelse-inkasso", params=query, allow_redirects=False, timeout=5
    )
    assert answer.status_code == 303
    return answer.headers["Location"].removeprefix("http://testserver")


BUSINESS = {
    "payout_account_kind": "bankgiro",
    "payout_account": "5050-1055",
    "debt_description": "Byggtjänster enligt faktura",
    "address_line1": "Sveavägen 44",
    "postal_code": "11134",
    "city": "Stockholm",
}


def test_from_the_store_to_a_signed_agreement_and_an_active_creditor(client, store):
    answer = client.get(store_continue(store))
    assert answer.status_code == 302 and answer.url.endswith("/onboarding/inexchange/start/")
    page = client.get(answer.url).content.decode()
    assert "Hagström Bygg &amp; Fasad AB" in page and DEMO_COMPANY.org_number in page

    # the invoice issuer is shown, not a field; a wrong bankgiro is refused
    page = client.get("/onboarding/inexchange/business/").content.decode()
    assert 'id="invoice-issuer"' in page and 'name="legal_name"' not in page
    assert 'value="Sveavägen 44"' in page  # the sender address as Inexchange has it
    bad = client.post(
        "/onboarding/inexchange/business/", {**BUSINESS, "payout_account": "5050-1056"}
    )
    assert "Not a valid Bankgiro number" in bad.content.decode()
    ticked_but_empty = client.post(
        "/onboarding/inexchange/business/", {**BUSINESS, "other_addresses": "on"}
    )
    assert "Give the invoice address" in ticked_but_empty.content.decode()
    answer = client.post(
        "/onboarding/inexchange/business/",
        {
            **BUSINESS,
            "address_line1": "Sveavägen 46",  # corrected
            "other_addresses": "on",
            "agreement_address": "Box 123\n111 22 Stockholm",
        },
    )
    assert answer.url.endswith("/onboarding/inexchange/users/")

    answer = client.post(
        "/onboarding/inexchange/users/",
        {
            "first_name": "Lena",
            "last_name": "Hagström",
            "email": "lena@hagstrombygg.example",
            "password": PASSWORD,
            "password_again": PASSWORD,
            "phone": "070-123 45 67",
            "user-1-email": "ekonomi@hagstrombygg.example",
            "user-1-phone": "08-555 123 45",
        },
    )
    assert answer.status_code == 302 and answer.url.endswith("/onboarding/inexchange/review/")
    page = client.get(answer.url).content.decode()
    review = page.split('id="review"', 1)[1].split("</dl>", 1)[0]
    for shown in ("Bankgiro 5050-1055", "Byggtjänster enligt faktura", "Sveavägen 46", "Box 123"):
        assert shown in review  # the account written as the agreement writes it
    users = page.split('id="review"', 1)[1]
    assert users.index("lena@hagstrombygg.example · 070-123 45 67") < users.index(
        "ekonomi@hagstrombygg.example · 08-555 123 45"
    )  # the admin first
    assert "Collection agreement" in page

    answer = client.post(
        "/onboarding/inexchange/review/", {"signer_name": "Lena Hagström", "i_sign": "on"}
    )
    creditor = Creditor.objects.get(country="SE", org_number=DEMO_COMPANY.org_number)
    assert answer.url == f"/c/{creditor.pk}/cases/"
    assert creditor.status == Creditor.Status.ACTIVE and creditor.activated_at
    assert (creditor.legal_name, creditor.erp_kind) == (DEMO_COMPANY.name, "inexchange")
    assert creditor.erp_connection == {
        "base_url": store.url,
        "erp_id": erp_id_for(DEMO_COMPANY.org_number),
    }
    assert (creditor.payout_account_kind, creditor.payout_account) == ("bankgiro", "50501055")
    assert creditor.debt_description == "Byggtjänster enligt faktura"
    assert (creditor.address_line1, creditor.postal_code) == ("Sveavägen 46", "111 34")
    assert creditor.invoice_address == ""
    assert creditor.agreement_address == "Box 123\n111 22 Stockholm"
    members = {m.user.email: (m.role, m.phone) for m in creditor.memberships.all()}
    assert members == {
        "lena@hagstrombygg.example": ("admin", "070-123 45 67"),
        "ekonomi@hagstrombygg.example": ("user", "08-555 123 45"),
    }
    assert (
        not get_user_model().objects.get(email="ekonomi@hagstrombygg.example").has_usable_password()
    )
    signature = AgreementSignature.objects.get(creditor=creditor)
    pdf = signature.pdf.read()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == signature.sha256
    assert signature.signer_name == "Lena Hagström"
    assert CreditorAuditEvent.objects.filter(creditor=creditor, action="company").exists()

    # the portal reminds an Inexchange creditor that decisions and messages wait there
    cases = client.get(answer.url).content.decode()
    assert "AutoCollect is active for Hagström Bygg &amp; Fasad AB" in cases
    assert 'id="inexchange-notice"' in cases and "Kronofogden" in cases
    dashboard = client.get(f"/c/{creditor.pk}/").content.decode()
    assert 'id="inexchange-notice"' in dashboard


def test_a_logged_in_user_activates_with_their_phone_only(client, store):
    user = get_user_model().objects.create_user("lena", "lena@example.se", PASSWORD)
    client.force_login(user)
    client.get(store_continue(store))
    client.post("/onboarding/inexchange/business/", BUSINESS)
    page = client.get("/onboarding/inexchange/users/").content.decode()
    assert 'name="password"' not in page
    answer = client.post("/onboarding/inexchange/users/", {"phone": "nope"})
    assert "Give a phone number" in answer.content.decode()
    answer = client.post("/onboarding/inexchange/users/", {"phone": "+46 70 123 45 67"})
    assert answer.url.endswith("/review/")
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.phone) == ("admin", "+46 70 123 45 67")


def test_a_plusgiro_payout_and_the_default_text_of_a_creditor_we_have(client, store):
    """A company that began activating before (its creditor is with us, not active): the form
    offers the creditor's default debt description as the "invoice regarding" text."""
    Creditor.objects.create(
        legal_name=DEMO_COMPANY.name, org_number=DEMO_COMPANY.org_number, country="SE",
        currency="SEK", time_zone="Europe/Stockholm", erp_kind="inexchange",
        erp_company_id=erp_id_for(DEMO_COMPANY.org_number), debt_description="Takarbeten",
    )  # fmt: skip
    client.get(store_continue(store))
    form = client.get("/onboarding/inexchange/business/").content.decode()
    assert 'value="Takarbeten"' in form
    answer = client.post(
        "/onboarding/inexchange/business/",
        {**BUSINESS, "payout_account_kind": "plusgiro", "payout_account": "41 05 4-8"},
    )
    assert answer.status_code == 302, answer.content.decode()
    client.post(
        "/onboarding/inexchange/users/",
        {"first_name": "Lena", "last_name": "H", "email": "lena@example.se",
         "password": PASSWORD, "password_again": PASSWORD, "phone": "0701234567"},
    )  # fmt: skip
    creditor = Creditor.objects.get(org_number=DEMO_COMPANY.org_number)
    assert (creditor.payout_account_kind, creditor.payout_account) == ("plusgiro", "410548")
    assert creditor.debt_description == "Byggtjänster enligt faktura"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p: {**p, "sig": "0" * 64}, id="forged"),
        pytest.param(lambda p: {**p, "org_no": "5560000043"}, id="another-company"),
        pytest.param(lambda p: {k: v for k, v in p.items() if k != "nonce"}, id="incomplete"),
    ],
)
def test_a_hand_off_not_from_the_store_is_refused(client, store, change):
    params = dict(p.split("=", 1) for p in store_continue(store).split("?", 1)[1].split("&"))
    answer = client.get("/onboarding/inexchange/", change(params))
    assert answer.status_code == 400
    assert "Start from the Inexchange Store" in answer.content.decode()
    assert client.get("/onboarding/inexchange/business/").url.endswith("/start/")


def test_a_stale_or_reused_hand_off_is_refused(client, store):
    erp_id = erp_id_for(DEMO_COMPANY.org_number)
    store_continue(store)  # links the company in Inexchange
    stale = handoff_sign(
        secret=SECRET, erp_id=erp_id, org_no=DEMO_COMPANY.org_number, now=time.time() - 3600
    )
    assert client.get("/onboarding/inexchange/", stale).status_code == 400
    url = store_continue(store)
    assert client.get(url).status_code == 302
    assert client.get(url).status_code == 400  # the same link a second time


def test_a_hand_off_signed_right_for_a_company_inexchange_does_not_hold(client, store):
    """The signature is right, but Inexchange knows no such ErpId: no company, no flow."""
    params = handoff_sign(secret=SECRET, erp_id="ix-unknown", org_no=DEMO_COMPANY.org_number)
    answer = client.get("/onboarding/inexchange/", params)
    assert answer.status_code == 502
    assert "could not read your company from Inexchange" in answer.content.decode()


def test_the_activation_speaks_swedish(client, store):
    """Inexchange's users are Swedish: the steps read in the guide's words."""
    client.get(store_continue(store))
    page = client.get("/onboarding/inexchange/business/", HTTP_ACCEPT_LANGUAGE="sv").content
    text = page.decode()
    for words in ("Fakturautställare (borgenär)", "Fakturan avser", "Ändra adressen", "Bankgiro"):
        assert words in text
