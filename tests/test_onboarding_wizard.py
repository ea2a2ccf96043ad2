"""The onboarding wizard (issue 9 item 1) step by step through Django's test client, over real
HTTP to the Tripletex emulator (TRIPLETEX_BASE_URL points at it): each step, its errors, the
signing and the accounting firm's clients."""

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from creditors.models import (
    AccountingFirm,
    AgreementSignature,
    Creditor,
    FirmClientAccess,
    FirmMembership,
    Membership,
)
from integrations.tripletex.emulator.seed import ACCOUNTANT_TOKEN

pytestmark = pytest.mark.django_db

ACCOUNT, ACCOUNT_2 = "8601 11 17947", "1234 56 78903"
PASSWORD = "a-long-wizard-password-1"
FIRM_ORG = "931558722"  # a valid Norwegian organisation number (MOD11)


@pytest.fixture
def wizard(client, tripletex, settings):
    settings.TRIPLETEX_BASE_URL = tripletex.url
    return client


def key_step(client, key):
    return client.post(reverse("onboarding-start"), {"api_key": key})


def contact_step(client, email="kari@fjordvik.example"):
    return client.post(
        reverse("onboarding-contact"),
        {
            "first_name": "Kari",
            "last_name": "Nordmann",
            "email": email,
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )


def sign_step(client, name="Kari Nordmann", tick=True):
    assert client.get(reverse("onboarding-agreement")).status_code == 200  # signing starts
    data = {"signer_name": name, **({"i_sign": "on"} if tick else {})}
    return client.post(reverse("onboarding-agreement"), data)


def fjordvik_key(tripletex):
    return tripletex.seeded["companies"][0]["employee_token"]


def test_a_company_key_onboards_to_an_active_creditor(wizard, tripletex):
    response = key_step(wizard, fjordvik_key(tripletex))
    assert response.status_code == 302 and response["Location"] == reverse("onboarding-contact")
    assert fjordvik_key(tripletex) not in str(dict(wizard.session))  # the key is encrypted

    assert contact_step(wizard)["Location"] == reverse("onboarding-company")
    page = wizard.get(reverse("onboarding-company")).content.decode()
    assert "Fjordvik Rørlegger AS" in page and "Kokstadvegen 23" in page  # read from Tripletex

    response = wizard.post(reverse("onboarding-company"), {"payout_account": ACCOUNT})
    assert response["Location"] == reverse("onboarding-agreement")
    creditor = Creditor.objects.get()
    assert creditor.status == Creditor.Status.ONBOARDING
    assert creditor.erp_connection["base_url"] == tripletex.url
    assert creditor.contact_email == "kari@fjordvik.example"
    user = get_user_model().objects.get(email="kari@fjordvik.example")
    assert Membership.objects.get(creditor=creditor, user=user).role == Membership.Role.ADMIN

    response = sign_step(wizard)
    assert response["Location"] == reverse("onboarding-finish")
    signature = AgreementSignature.objects.get(creditor=creditor)
    pdf = signature.pdf.read()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == signature.sha256
    assert (signature.signer_name, signature.method, signature.signed_by) == (
        "Kari Nordmann",
        "development",
        user,
    )
    creditor.refresh_from_db()
    assert creditor.agreement_signed_at == signature.signed_at
    assert creditor.status == Creditor.Status.ONBOARDING  # not before step 4

    response = wizard.post(reverse("onboarding-finish"))
    assert response["Location"] == reverse("case-list", kwargs={"creditor_id": creditor.pk})
    creditor.refresh_from_db()
    assert creditor.status == Creditor.Status.ACTIVE and creditor.activated_at
    assert "onboarding" not in wizard.session


def test_a_bad_key_is_refused_with_a_clear_message(wizard):
    response = key_step(wizard, "test-employee-wrong")
    assert response.status_code == 200
    assert "Tripletex did not accept this API key" in response.content.decode()
    assert "onboarding" not in wizard.session
    # and the later steps send the person back to the key
    assert wizard.get(reverse("onboarding-company"))["Location"] == reverse("onboarding-start")


def test_an_existing_user_is_asked_to_log_in(wizard, tripletex, django_user_model):
    django_user_model.objects.create_user("kari@fjordvik.example", "Kari@Fjordvik.example", "x")
    key_step(wizard, fjordvik_key(tripletex))
    response = contact_step(wizard, email="KARI@fjordvik.example")
    page = response.content.decode()
    assert response.status_code == 200
    assert "You already have a user with this e-mail address" in page
    assert f"{reverse('login')}?next={reverse('onboarding-company')}" in page
    assert django_user_model.objects.count() == 1


def test_a_logged_in_user_skips_the_contact_step(wizard, tripletex, django_user_model):
    user = django_user_model.objects.create_user("ola", "ola@fjordvik.example", PASSWORD)
    wizard.force_login(user)
    assert key_step(wizard, fjordvik_key(tripletex))["Location"] == reverse("onboarding-company")
    wizard.post(reverse("onboarding-company"), {"payout_account": ACCOUNT})
    assert Membership.objects.get(user=user).role == Membership.Role.ADMIN


def test_company_step_errors(wizard, tripletex, make_creditor):
    key_step(wizard, fjordvik_key(tripletex))
    contact_step(wizard)
    url = reverse("onboarding-company")

    page = wizard.post(url, {"payout_account": "8601 11 17948"}).content.decode()
    assert "Not a valid Norwegian account number" in page
    page = wizard.post(url, {"payout_account": ACCOUNT, "uses_firm": "on"}).content.decode()
    assert "Give the accounting firm" in page
    data = {"payout_account": ACCOUNT, "uses_firm": "on", "firm_org_number": "931558721"}
    assert "is not a valid organisation number" in wizard.post(url, data).content.decode()
    assert not Creditor.objects.exists()

    # Another ERP company holds this organisation number: the OnboardingError, nothing taken over
    org = tripletex.seeded["companies"][0]["organization_number"]
    held = make_creditor("Fjordvik Holding", erp_company_id="777")
    Creditor.objects.filter(pk=held.pk).update(org_number=org)
    page = wizard.post(url, {"payout_account": ACCOUNT}).content.decode()
    assert f"Organisation number {org} is already registered with AutoCollect" in page
    held.delete()

    data = {"payout_account": ACCOUNT, "uses_firm": "on", "firm_org_number": "931 558 722"}
    assert wizard.post(url, data)["Location"] == reverse("onboarding-agreement")
    creditor = Creditor.objects.get()
    assert creditor.accounting_firm.org_number == FIRM_ORG


def test_an_existing_creditor_gets_no_new_admin(wizard, tripletex):
    key_step(wizard, fjordvik_key(tripletex))
    contact_step(wizard)
    wizard.post(reverse("onboarding-company"), {"payout_account": ACCOUNT})
    creditor = Creditor.objects.get()
    wizard.logout()

    # Someone else with the same company key onboards again
    key_step(wizard, fjordvik_key(tripletex))
    contact_step(wizard, email="mallory@example.com")
    page = wizard.post(reverse("onboarding-company"), {"payout_account": ACCOUNT_2})
    assert "is with AutoCollect already" in page.content.decode()
    creditor.refresh_from_db()
    assert creditor.payout_account == "86011117947"
    assert not Membership.objects.filter(user__email="mallory@example.com").exists()


def test_steps_cannot_be_skipped_and_signing_needs_name_and_tick(wizard, tripletex):
    assert wizard.get(reverse("onboarding-agreement"))["Location"] == reverse("onboarding-start")
    key_step(wizard, fjordvik_key(tripletex))
    assert wizard.get(reverse("onboarding-agreement"))["Location"] == reverse("onboarding-contact")
    contact_step(wizard)
    assert wizard.get(reverse("onboarding-finish"))["Location"] == reverse("onboarding-company")
    wizard.post(reverse("onboarding-company"), {"payout_account": ACCOUNT})
    assert wizard.get(reverse("onboarding-finish"))["Location"] == reverse("onboarding-agreement")
    assert wizard.post(reverse("onboarding-finish"))["Location"] == reverse("onboarding-agreement")

    assert sign_step(wizard, tick=False).status_code == 200
    assert sign_step(wizard, name="  ").status_code == 200
    assert not AgreementSignature.objects.exists()
    assert Creditor.objects.get().status == Creditor.Status.ONBOARDING


def test_an_agreement_changed_since_it_was_shown_is_not_signed(wizard, tripletex):
    key_step(wizard, fjordvik_key(tripletex))
    contact_step(wizard)
    wizard.post(reverse("onboarding-company"), {"payout_account": ACCOUNT})
    wizard.get(reverse("onboarding-agreement"))
    Creditor.objects.update(payout_account="12345678903")  # the PDF names the payout account
    response = wizard.post(
        reverse("onboarding-agreement"), {"signer_name": "Kari Nordmann", "i_sign": "on"}
    )
    assert "The agreement has changed since you opened it" in response.content.decode()
    assert not AgreementSignature.objects.exists()


def test_the_agreement_pdf_is_served_to_the_wizard_only(wizard, tripletex, client):
    key_step(wizard, fjordvik_key(tripletex))
    contact_step(wizard)
    wizard.post(reverse("onboarding-company"), {"payout_account": ACCOUNT})
    creditor = Creditor.objects.get()
    url = reverse("onboarding-agreement-pdf", kwargs={"creditor_id": creditor.pk})
    response = wizard.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        wizard.get(
            reverse("onboarding-agreement-pdf", kwargs={"creditor_id": creditor.pk + 1})
        ).status_code
        == 302
    )


def test_an_accounting_firm_onboards_two_clients_with_one_key(wizard, tripletex):
    assert key_step(wizard, ACCOUNTANT_TOKEN)["Location"] == reverse("onboarding-contact")
    contact_step(wizard, email="per@vidde.example")
    page = wizard.get(reverse("onboarding-company")).content.decode()
    assert "Fjordvik Rørlegger AS" in page and "Nordlys Elektro AS" in page

    clients = tripletex.seeded["companies"]
    ids = [str(c["id"]) for c in clients]
    page = wizard.post(
        reverse("onboarding-company"), {f"pick-{ids[0]}": "on", f"account-{ids[0]}": "123"}
    ).content.decode()
    assert "Not a valid Norwegian account number" in page
    assert (
        "Tick at least one company" in wizard.post(reverse("onboarding-company")).content.decode()
    )
    assert not Creditor.objects.exists()

    data = {
        f"pick-{ids[0]}": "on",
        f"account-{ids[0]}": ACCOUNT,
        f"pick-{ids[1]}": "on",
        f"account-{ids[1]}": ACCOUNT_2,
    }
    assert wizard.post(reverse("onboarding-company"), data)["Location"] == reverse(
        "onboarding-agreement"
    )
    creditors = list(Creditor.objects.order_by("legal_name"))
    assert [c.legal_name for c in creditors] == ["Fjordvik Rørlegger AS", "Nordlys Elektro AS"]
    firm = AccountingFirm.objects.get()
    assert firm.name == "Vidde Regnskap AS" and firm.erp_connection["company_id"] == 0
    assert {c.erp_connection["company_id"] for c in creditors} == {c["id"] for c in clients}
    user = get_user_model().objects.get(email="per@vidde.example")
    membership = FirmMembership.objects.get(user=user, firm=firm)
    assert membership.role == FirmMembership.Role.ADMIN
    assert set(
        FirmClientAccess.objects.filter(firm_membership=membership).values_list(
            "creditor", flat=True
        )
    ) == {c.pk for c in creditors}
    assert not Membership.objects.exists()  # the firm acts for them, it is not their admin

    # One signing act, one signature row per client, each with that client's own PDF
    assert sign_step(wizard, name="Per Revisor")["Location"] == reverse("onboarding-finish")
    signatures = list(AgreementSignature.objects.order_by("creditor__legal_name"))
    assert [s.creditor_id for s in signatures] == [c.pk for c in creditors]
    assert len({s.sha256 for s in signatures}) == 2
    assert len({(s.signer_name, s.signed_at) for s in signatures}) == 1

    response = wizard.post(reverse("onboarding-finish"))
    assert response.status_code == 302
    assert set(Creditor.objects.values_list("status", flat=True)) == {Creditor.Status.ACTIVE}

    # A client already with AutoCollect is shown as such and cannot be ticked again
    key_step(wizard, ACCOUNTANT_TOKEN)
    page = wizard.get(reverse("onboarding-company")).content.decode()
    assert page.count("Already with AutoCollect") == 2


def test_the_signer_is_chosen_by_setting(settings):
    from creditors import signing

    settings.AUTOCOLLECT_SIGNER = "development"
    assert isinstance(signing.signer(), signing.DevelopmentSigner)
    settings.AUTOCOLLECT_SIGNER = "bankid_no"  # not plugged in: refused, never a silent fallback
    with pytest.raises(signing.SigningError, match="bankid_no"):
        signing.signer()


def test_a_firm_with_an_admin_is_not_joined_by_whoever_holds_its_key(
    wizard, tripletex, django_user_model
):
    from creditors.services import OnboardingError
    from creditors.signup import firm_register

    def register(user):
        return firm_register(
            name="Vidde Regnskap AS",
            org_number=FIRM_ORG,
            country="NO",
            erp_kind="tripletex",
            connection={},
            user=user,
        )

    # A client named the firm before it registered: the firm's first admin reaches that client.
    key_step(wizard, fjordvik_key(tripletex))
    contact_step(wizard)
    data = {"payout_account": ACCOUNT, "uses_firm": "on", "firm_org_number": FIRM_ORG}
    wizard.post(reverse("onboarding-company"), data)
    creditor = Creditor.objects.get()
    admin = django_user_model.objects.create_user("per", "per@vidde.example", PASSWORD)
    firm = register(admin)
    assert creditor.accounting_firm == firm and firm.name == "Vidde Regnskap AS"
    assert FirmClientAccess.objects.filter(firm_membership__user=admin, creditor=creditor).exists()

    other = django_user_model.objects.create_user("eve", "eve@example.com", PASSWORD)
    with pytest.raises(OnboardingError, match="ask its admin"):
        register(other)
    assert not FirmMembership.objects.filter(user=other).exists()
