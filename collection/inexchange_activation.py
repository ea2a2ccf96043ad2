"""Activating AutoCollect from the Inexchange Store (seed 004): the services behind the steps in
collection.inexchange_activation_views.

1. `handoff_accept`: the Store's signed hand-off checked (integrations.inexchange.handoff, our
   design: signature, age, used once) and the company's data read from Inexchange with a client
   token for the ErpId in it; the org number must be the one Inexchange holds.
2. The person gives the business details (payout bankgiro or plusgiro, the "invoice regarding"
   text, the sender address as fetched or corrected, other invoice/agreement addresses) and the
   users (e-mail and phone each); `inexchange_creditor_onboard` then makes the creditor from the
   company data (its legal name is the invoice issuer, fixed by the integration: no field for it),
   its admin and users, in one transaction.
3. Review, sign and activate are the shared onboarding steps (collection.onboarding_steps)."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from collection import onboarding
from collection.inexchange_models import StoreHandoff
from creditors.company import creditor_company_update
from creditors.members import membership_add
from creditors.models import Creditor, Membership
from creditors.services import Company, OnboardingError, creditor_payout_account_set
from creditors.signup import creditor_admin_add, user_exists
from integrations.errors import ErpError
from integrations.inexchange.handoff import HandoffRefused, handoff_verify

ERP = "inexchange"
COUNTRY = "SE"


def connection_for(erp_id: str) -> dict:
    return {"base_url": settings.INEXCHANGE_BASE_URL, "erp_id": erp_id}


def handoff_accept(*, params) -> Company:
    """The company the Store handed over, as Inexchange has it. HandoffRefused if the hand-off
    is not genuine, stale or used before; OnboardingError if Inexchange cannot tell us."""
    handoff = handoff_verify(secret=settings.INEXCHANGE_HANDOFF_SECRET, params=params)
    try:
        with transaction.atomic():
            StoreHandoff.objects.create(
                nonce=handoff.nonce, erp_id=handoff.erp_id, org_number=handoff.org_no
            )
    except IntegrityError:
        raise HandoffRefused("the hand-off was used already") from None
    try:
        company = onboarding.erp_company_read(
            erp_kind=ERP, connection=connection_for(handoff.erp_id)
        )
    except ErpError:
        raise OnboardingError(
            _("We could not read your company from Inexchange just now. Try again in a minute.")
        ) from None
    if company.org_number != handoff.org_no:
        raise HandoffRefused("the hand-off's org number is not the one Inexchange holds")
    return dataclasses.replace(company, erp_id=handoff.erp_id)


@transaction.atomic
def inexchange_creditor_onboard(
    *, erp_id: str, business: dict, user, phone: str, others: list[dict]
) -> Creditor:
    """The creditor from Inexchange's company data, with the business details given, `user` as
    its admin and the other users (created without a password: they choose one through "Forgot
    your password?") as its users, each with their phone."""
    creditor = onboarding.creditor_onboard(
        erp_kind=ERP,
        connection=connection_for(erp_id),
        country=COUNTRY,
        payout_account_kind=business["payout_account_kind"],
        payout_account=business["payout_account"],
        contact_email=user.email,
    )
    creditor_admin_add(creditor=creditor, user=user)
    # A creditor we had (an activation begun before) keeps its account unless its admin, now
    # this user, gives another: changed as every payout account is, audited.
    creditor_payout_account_set(
        creditor=creditor,
        actor=user,
        kind=business["payout_account_kind"],
        account=business["payout_account"],
    )
    creditor = creditor_company_update(
        creditor=creditor,
        actor=user,
        **{
            name: business[name]
            for name in (
                "debt_description",
                "address_line1",
                "postal_code",
                "city",
                "invoice_address",
                "agreement_address",
            )
        },
    )
    Membership.objects.filter(creditor=creditor, user=user).update(phone=phone)
    for other in others:
        member = _user_for(other["email"])
        if member.pk == user.pk:
            continue
        if not Membership.objects.filter(creditor=creditor, user=member).exists():
            membership_add(creditor=creditor, actor=user, user=member, role=Membership.Role.USER)
        Membership.objects.filter(creditor=creditor, user=member).update(phone=other["phone"])
    return creditor


def _user_for(email: str):
    """The user with this e-mail address, or a new one who sets a password by the reset link."""
    users = get_user_model().objects
    if user_exists(email):
        return users.filter(email__iexact=email).first() or users.get(username__iexact=email)
    user = users.model(username=email, email=email)
    user.set_unusable_password()
    user.save()
    return user
