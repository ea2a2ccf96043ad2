"""The Visma.net demo creditor for `make run`: Norrsken Bygg AB (Umeå, SEK, bankgiro payout),
onboarded from the company data Visma.net holds through its company tenant, with the guide's
import settings: customer class KONCERN (intra-group invoices) excluded, 5 days after due for
consumers (class PRIVAT), and a user who administers it, whose signature is the agreement's (an
AgreementSignature through creditors.signing, collection.demo.demo_agreement_sign). Idempotent,
as collection.demo is."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from collection.demo import DEMO_PASSWORD, demo_agreement_sign
from collection.onboarding import creditor_onboard
from creditors.models import Creditor, ImportFilterOverride, Membership
from creditors.services import creditor_activate
from integrations.visma.demo import connection as visma_connection

USER = "norrsken"
BANKGIRO = "50501055"  # written without hyphen, as the guide asks


@transaction.atomic
def load_visma_demo(*, erp_url: str, seeded: dict) -> Creditor:
    company = seeded["companies"][0]
    connection = visma_connection(erp_url, company["tenant_id"])
    creditor = creditor_onboard(
        erp_kind="visma",
        connection=connection,
        country="SE",
        payout_account_kind="bankgiro",
        payout_account=BANKGIRO,
        contact_email="ekonomi@norrskenbygg.example",
    )
    if creditor.erp_connection != connection:  # the emulator may listen on another port now
        creditor.erp_connection = connection
        creditor.save(update_fields=["erp_connection"])
    if not creditor.debt_description:
        creditor.debt_description = "Byggtjänster enligt faktura"
        creditor.save(update_fields=["debt_description"])
    setup = creditor.account_setup
    setup.receivable_account, setup.clearing_account = 1510, 1940  # BAS accounts
    setup.save(update_fields=["receivable_account", "clearing_account"])
    ImportFilterOverride.objects.update_or_create(
        creditor=creditor, customer_class="KONCERN", defaults={"excluded": True}
    )
    ImportFilterOverride.objects.update_or_create(
        creditor=creditor, customer_class="PRIVAT", defaults={"days_after_due": 5}
    )
    user, _ = get_user_model().objects.get_or_create(username=USER)
    user.set_password(DEMO_PASSWORD)
    user.save()
    Membership.objects.get_or_create(
        user=user, creditor=creditor, defaults={"role": Membership.Role.ADMIN}
    )
    # The company's admin signs, as in the activation (the development signer: no BankID).
    demo_agreement_sign(creditor=creditor, user=user, signer_name=f"{USER} ({creditor.legal_name})")
    creditor.refresh_from_db()
    creditor_activate(creditor=creditor)
    return creditor
