"""The Netvisor demo creditor for `make run`: a Finnish electricity firm (EUR, IBAN payout, Finnish
letters) onboarded from the company data Netvisor holds, through an accounting firm's API user
that reaches it and one other client (the organisation header picks the company), with the
transfers waiting in Netvisor taken: a reminder, a collection case at the collection stage, a
payment plan, and the refusals the guide gives, with their reasons. Its agreement is signed as
onboarding signs it (an AgreementSignature through creditors.signing,
collection.demo.demo_agreement_sign). Idempotent, as collection.demo is."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from collection.demo import DEMO_PASSWORD, demo_agreement_sign
from collection.netvisor_transfers import transfers_import
from collection.onboarding import creditor_onboard
from creditors.models import Creditor, Membership
from creditors.services import creditor_activate

USER = "saimaa"
IBAN = "FI21 1234 5600 0007 85"


def load_netvisor_demo(*, erp_url: str, seeded: dict, today) -> Creditor:
    with transaction.atomic():
        connection = {
            "base_url": erp_url,
            "customer_id": seeded["user"]["customer_id"],
            "customer_key": seeded["user"]["customer_key"],
            "organisation_id": seeded["organisation_id"],
            "language": "FI",
        }
        creditor = creditor_onboard(
            erp_kind="netvisor",
            connection=connection,
            country="FI",
            payout_account_kind="iban",
            payout_account=IBAN,
            contact_email="laskutus@saimaansahko.example",
        )
        if creditor.erp_connection != connection:  # the emulator may listen on another port
            creditor.erp_connection = connection
            creditor.save(update_fields=["erp_connection"])
        user, _ = get_user_model().objects.get_or_create(username=USER)
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.get_or_create(
            user=user, creditor=creditor, defaults={"role": Membership.Role.ADMIN}
        )
        # The company's admin signs, as in the activation (the development signer: no BankID).
        demo_agreement_sign(
            creditor=creditor, user=user, signer_name=f"{USER} ({creditor.legal_name})"
        )
        creditor.refresh_from_db()
        creditor_activate(creditor=creditor)
    transfers_import(creditor=creditor, today=today)  # each transfer in its own transaction
    return creditor
