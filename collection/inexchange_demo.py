"""The Inexchange demo creditor for `make run`: a Swedish building firm that sends its invoices
through Inexchange, enrolled under our ErpId for it, onboarded from the company data Inexchange
holds (SEK, bankgiro payout, Swedish letters), its agreement signed as onboarding signs it (an
AgreementSignature through creditors.signing, collection.demo.demo_agreement_sign), and the
partner key Inexchange calls our partner API with. Idempotent, as collection.demo is."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from collection.demo import DEMO_PASSWORD, demo_agreement_sign
from collection.inexchange_models import Partner
from collection.inexchange_partners import partner_company_enrol, partner_key_set
from collection.onboarding import creditor_onboard
from creditors.models import Creditor, Membership
from creditors.services import creditor_activate
from integrations.inexchange.enrol import company_enrol

ERP_ID = "ac-demo-hagstrom"
USER = "hagstrom"
# The demo's partner key for Inexchange's calls to our partner API (never a production key).
DEMO_PARTNER_KEY = "acp_demo00inexch_autocollect-demo-partner-key"
BANKGIRO = "5050-1055"


@transaction.atomic
def load_inexchange_demo(*, erp_url: str, seeded: dict) -> Creditor:
    company = seeded["company"]
    connection = company_enrol(
        base_url=erp_url,
        erp_id=ERP_ID,
        company={
            "Name": company["name"],
            "OrgNo": company["org_number"],
            "Email": company["email"],
        },
    )
    creditor = creditor_onboard(
        erp_kind="inexchange",
        connection=connection,
        country="SE",
        payout_account_kind="bankgiro",
        payout_account=BANKGIRO,
        contact_email=company["email"],
    )
    if creditor.erp_connection != connection:  # the emulator may listen on another port now
        creditor.erp_connection = connection
        creditor.save(update_fields=["erp_connection"])
    user, _ = get_user_model().objects.get_or_create(username=USER)
    user.set_password(DEMO_PASSWORD)
    user.save()
    Membership.objects.get_or_create(
        user=user, creditor=creditor, defaults={"role": Membership.Role.ADMIN}
    )
    # The company's admin signs, as in the activation (the development signer: no BankID).
    demo_agreement_sign(creditor=creditor, user=user, signer_name=f"{USER} ({company['name']})")
    creditor.refresh_from_db()
    creditor_activate(creditor=creditor)
    partner, _ = Partner.objects.get_or_create(
        slug="inexchange", defaults={"name": "Inexchange", "prefix": "-", "key_hash": "-"}
    )
    partner_key_set(partner=partner, key=DEMO_PARTNER_KEY)
    partner_company_enrol(partner=partner, creditor=creditor, erp_id=ERP_ID)
    return creditor
