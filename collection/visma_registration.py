"""Registration from Visma Home (seed 000, issue 11 item 3): the person signs in through Visma
Connect (integrations.visma.connect), we read each company they reach with the "AutoCollect
user" role from Visma.net, they tick which companies (creditors) to register, sign one agreement
per creditor (collection.onboarding_steps), then pick the creditor to work in. The company
settings (default debt description, payout account, addresses), the import settings and the
activation switch are the portal's settings pages, as for every creditor.

Who the person is with us: see connect_user. An account of ours with the same e-mail address
is not taken over by the sign-in unless it already works for one of the person's companies:
else whoever controls a Visma Connect e-mail claim would reach that account."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from collection.onboarding import erp_company_read
from creditors.models import Creditor
from creditors.services import OnboardingError
from creditors.services import creditor_onboard as creditor_create
from creditors.signup import creditor_admin_add
from integrations.visma.connect import ConnectTenant, ConnectUser

ERP = "visma"
COUNTRY = "SE"
USERNAME = "visma-connect:{sub}"


def visma_connection(tenant_id: str) -> dict:
    """The stored connection of a company tenant (our client credentials reach it)."""
    return {
        "tenant_id": tenant_id,
        "base_url": settings.VISMA_API_URL,
        "token_url": f"{settings.VISMA_CONNECT_URL.rstrip('/')}/connect/token",
    }


@dataclass
class FetchedCompany:
    """A company as Visma.net has it, for the person to check before registering it."""

    tenant_id: str
    name: str
    org_number: str = ""
    email: str = ""
    address_line1: str = ""
    postal_code: str = ""
    city: str = ""
    error: str = ""  # why it cannot be registered now
    registered: bool = False  # with AutoCollect already (this person is among its users)

    as_dict = asdict


def companies_fetch(tenants: tuple[ConnectTenant, ...], user) -> list[FetchedCompany]:
    """Each company tenant read from Visma.net (its company settings); one that cannot be read
    says why and is not offered for registration."""
    found = []
    for tenant in tenants:
        try:
            company = erp_company_read(erp_kind=ERP, connection=visma_connection(tenant.tenant_id))
        except Exception as exc:  # any refusal: this company cannot be registered now
            found.append(FetchedCompany(tenant.tenant_id, tenant.name, error=str(exc)))
            continue
        fetched = FetchedCompany(
            tenant_id=tenant.tenant_id,
            name=company.name,
            org_number=company.org_number,
            email=company.email,
            address_line1=company.address_line1,
            postal_code=company.postal_code,
            city=company.city,
        )
        if not company.org_number:
            fetched.error = _("Visma.net has no organisation number for this company.")
        existing = Creditor.objects.filter(erp_kind=ERP, erp_company_id=tenant.tenant_id).first()
        if existing is not None:
            fetched.registered = existing.memberships.filter(user=user).exists()
            if not fetched.registered:  # registered by someone else: its admin adds this user
                fetched.error = _(
                    "%(name)s is with AutoCollect already: its admin can add you as a user."
                ) % {"name": existing.legal_name}
        found.append(fetched)
    return found


@transaction.atomic
def connect_user(person: ConnectUser):
    """Our user for the person Visma Connect signed in. At the first sign-in a user named by
    their e-mail address, without a password (they sign in through Visma Connect). A user of
    ours with that e-mail is the same person only if they are a member of a creditor that is
    one of the companies Visma Connect says this person works in; otherwise the person gets a
    user of their own ("visma-connect:<sub>") and the other account is left alone."""
    users = get_user_model()
    tenants = [t.tenant_id for t in person.tenants]
    by_email = users.objects.filter(
        Q(email__iexact=person.email) | Q(username__iexact=person.email)
    ).first()
    own = users.objects.filter(username=USERNAME.format(sub=person.sub)[:150]).first()
    if own is not None:
        user = own
    elif by_email is not None and (
        Creditor.objects.filter(
            erp_kind=ERP, erp_company_id__in=tenants, memberships__user=by_email
        ).exists()
    ):
        user = by_email
    elif by_email is None and person.email:
        user = users(username=person.email, email=person.email)
        user.set_unusable_password()
    else:
        user = users(username=USERNAME.format(sub=person.sub)[:150], email=person.email)
        user.set_unusable_password()
    first, _sep, last = person.name.partition(" ")
    changed = {"first_name": first[:150], "last_name": last[:150]}
    if user.pk is None or any(getattr(user, k) != v for k, v in changed.items()):
        for k, v in changed.items():
            setattr(user, k, v)
        user.save()
    return user


@transaction.atomic
def visma_creditors_register(*, user, tenant_ids: list[str]) -> list[Creditor]:
    """A creditor for each ticked company (read again from Visma.net), this person its admin.
    The payout account is given in the company settings before activating. All or none."""
    if not tenant_ids:
        raise OnboardingError(_("Tick at least one company to register."))
    creditors = []
    for tenant_id in tenant_ids:
        connection = visma_connection(tenant_id)
        creditor = creditor_create(
            erp_kind=ERP,
            connection=connection,
            company=erp_company_read(erp_kind=ERP, connection=connection),
            country=COUNTRY,
            payout_account_kind="",
            payout_account="",
            contact_email=user.email,
            payout_later=True,
        )
        creditor_admin_add(creditor=creditor, user=user)
        creditors.append(creditor)
    return creditors
