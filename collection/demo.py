"""The demo: an accounting firm whose one Tripletex key reaches two client companies, onboarded
from the Tripletex emulator (integrations.demo), with users for the portal."""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction

from collection.onboarding import creditor_onboard
from creditors import signing
from creditors.models import (
    AccountingFirm,
    AgreementSignature,
    Creditor,
    FirmClientAccess,
    FirmMembership,
    Membership,
)
from creditors.services import creditor_activate
from letters.rendering import html_to_pdf

logger = logging.getLogger("autocollect.demo")

DEMO_PASSWORD = "autocollect-demo"
DEMO_USERS = {
    "demo": "accounting-firm admin: client access to both demo creditors",
    "fjordvik": "creditor admin of Fjordvik Rørlegger AS only",
    "support": "support staff: every tenant and the admin",
}
PAYOUT_ACCOUNTS = ["8601 11 17947", "1234 56 78903"]  # valid Norwegian account numbers


@transaction.atomic
def load_demo(*, erp_url: str, seeded: dict) -> list[Creditor]:
    """Idempotent: a second run updates the same rows (and the emulator's address)."""
    accountant = seeded["accountant"]
    # The consumer token is ours, not the firm's: settings.TRIPLETEX_CONSUMER_TOKEN.
    connection = {"base_url": erp_url, "employee_token": accountant["token"]}
    firm, _ = AccountingFirm.objects.update_or_create(
        org_number="NO-DEMO-FIRM",
        defaults={
            "name": accountant["name"],
            "erp_kind": "tripletex",
            "erp_connection": connection,
        },
    )
    creditors = []
    for company, account in zip(seeded["companies"], PAYOUT_ACCOUNTS, strict=True):
        client_connection = {**connection, "company_id": company["client_id"]}
        creditor = creditor_onboard(
            erp_kind="tripletex",
            connection=client_connection,
            country="NO",
            payout_account_kind="no_account",
            payout_account=account,
            contact_email=f"okonomi@{company['employee_token'].split('-')[-1]}.example",
            accounting_firm=firm,
        )
        if creditor.erp_connection != client_connection:
            # A re-run: onboarding leaves an existing creditor's connection alone, but the demo's
            # emulator may listen on another port now.
            creditor.erp_connection = client_connection
            creditor.save(update_fields=["erp_connection"])
        creditors.append(creditor)
    users = {name: _user(name, staff=(name == "support")) for name in DEMO_USERS}
    signer_name = f"demo ({accountant['name']})"  # the firm's admin signs for its clients
    for creditor in creditors:
        demo_agreement_sign(creditor=creditor, user=users["demo"], signer_name=signer_name)
        creditor.refresh_from_db()
        creditor_activate(creditor=creditor)
    firm_user, _ = FirmMembership.objects.update_or_create(
        user=users["demo"], firm=firm, defaults={"role": FirmMembership.Role.ADMIN}
    )
    for creditor in creditors:  # client access ("Klienttilgang") to both companies
        FirmClientAccess.objects.get_or_create(firm_membership=firm_user, creditor=creditor)
    Membership.objects.get_or_create(
        user=users["fjordvik"], creditor=creditors[0], defaults={"role": Membership.Role.ADMIN}
    )
    return creditors


def demo_agreement_sign(*, creditor: Creditor, user, signer_name: str) -> None:
    """Sign a demo creditor's agreement as onboarding does (creditors.signing: its PDF, checksum,
    signer and time stored as an AgreementSignature), with the development signer whatever
    AUTOCOLLECT_SIGNER says (no BankID for demo data). Once: a re-run keeps the signature."""
    if AgreementSignature.objects.for_creditor(creditor).exists():
        return
    agreements = [signing.agreement_render(creditor, render=html_to_pdf)]
    signer = signing.DevelopmentSigner()
    signer.start(agreements, callback_url="")
    signature = signer.complete(agreements, {"signer_name": signer_name, "i_sign": "on"})
    signing.agreements_sign(agreements=agreements, signature=signature, user=user)


def _user(username: str, *, staff: bool):
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.is_staff = user.is_superuser = staff
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user
