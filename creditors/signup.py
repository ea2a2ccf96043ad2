"""Who onboards: the person registering (their user), the creditor's first admin, and the
accounting firm a company uses or that onboards its clients. collection.onboarding_views calls
these between the wizard's steps."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from creditors.models import (
    AccountingFirm,
    Creditor,
    FirmClientAccess,
    FirmMembership,
    Membership,
)
from creditors.services import OnboardingError, audit_add
from nordic.orgnumbers import InvalidOrgNumber, validate_org_number


class ExistingUser(OnboardingError):
    """The e-mail address belongs to a user already: they log in instead."""


def user_exists(email: str) -> bool:
    email = email.strip()
    return (
        get_user_model().objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists()
    )


@transaction.atomic
def user_register(*, email: str, first_name: str, last_name: str, password: str):
    """A new user whose username is their e-mail address."""
    email = email.strip().lower()
    if user_exists(email):
        raise ExistingUser(_("You already have a user with this e-mail address: log in."))
    user = get_user_model()(
        username=email, email=email, first_name=first_name.strip(), last_name=last_name.strip()
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise OnboardingError(" ".join(exc.messages)) from exc
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def creditor_admin_add(*, creditor: Creditor, user) -> Membership:
    """The person who onboarded the company becomes its admin (its first, usually)."""
    membership, created = Membership.objects.get_or_create(
        creditor=creditor, user=user, defaults={"role": Membership.Role.ADMIN}
    )
    if created:
        if creditor.memberships.filter(role=Membership.Role.ADMIN).exclude(user=user).exists():
            # Holding the company's ERP key does not make one an admin of a creditor we have.
            raise OnboardingError(
                _("%(name)s is with AutoCollect already: its admin can add you as a user.")
                % {"name": creditor.legal_name}
            )
        audit_add(creditor=creditor, actor=user, action="member_added", new=f"{user} (admin)")
    elif membership.role != Membership.Role.ADMIN:
        # Onboarding an existing creditor again does not promote anyone: its admin decides.
        raise OnboardingError(
            _("%(name)s is with AutoCollect already; its admin gives you a role.")
            % {"name": creditor.legal_name}
        )
    return membership


def org_number_clean(*, country: str, org_number: str) -> str:
    try:
        return validate_org_number(country, org_number)
    except InvalidOrgNumber:
        raise OnboardingError(
            _("%(number)s is not a valid organisation number.") % {"number": org_number}
        ) from None


@transaction.atomic
def firm_for_client(*, country: str, org_number: str) -> AccountingFirm:
    """The accounting firm a company says it uses, by organisation number; registered by its
    number alone until the firm onboards itself (firm_register fills in the rest)."""
    number = org_number_clean(country=country, org_number=org_number)
    firm, _created = AccountingFirm.objects.get_or_create(
        org_number=number, defaults={"name": number}
    )
    return firm


@transaction.atomic
def firm_register(
    *, name: str, org_number: str, country: str, erp_kind: str, connection: dict, user
) -> AccountingFirm:
    """The firm behind an accountant key, with `user` as its admin. A firm that has admins
    already is not joined by whoever holds its key: one of its admins adds them."""
    number = org_number_clean(country=country, org_number=org_number)
    firm = AccountingFirm.objects.select_for_update().filter(org_number=number).first()
    if firm is None:
        firm = AccountingFirm.objects.create(org_number=number, name=name)
    admins = firm.memberships.filter(role=FirmMembership.Role.ADMIN)
    if admins.exists() and not admins.filter(user=user).exists():
        raise OnboardingError(
            _("%(firm)s is with AutoCollect already: ask its admin to add you.") % {"firm": name}
        )
    firm.name, firm.erp_kind, firm.erp_connection = name, erp_kind, connection
    firm.save(update_fields=["name", "erp_kind", "erp_connection"])
    membership, _created = FirmMembership.objects.update_or_create(
        firm=firm, user=user, defaults={"role": FirmMembership.Role.ADMIN}
    )
    # Companies that named this firm before it registered: its admin reaches them now.
    for creditor in firm.creditors.exclude(firm_access__firm_membership=membership):
        FirmClientAccess.objects.create(firm_membership=membership, creditor=creditor)
        audit_add(creditor=creditor, actor=user, action="firm_access_granted", new=str(membership))
    return firm
