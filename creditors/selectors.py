"""Reads on a creditor's settings and people, always for an explicitly given creditor."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet

from creditors.models import (
    AccountSetup,
    Creditor,
    CreditorAuditEvent,
    FirmClientAccess,
    FirmMembership,
    ImportFilter,
    ImportFilterAmount,
    ImportFilterOverride,
    Membership,
)


def import_filter_get(*, creditor: Creditor) -> ImportFilter:
    return ImportFilter.objects.get_or_create(creditor=creditor)[0]


def account_setup_get(*, creditor: Creditor) -> AccountSetup:
    return AccountSetup.objects.get_or_create(creditor=creditor)[0]


def creditor_fresh(*, creditor: Creditor) -> Creditor:
    """The creditor as stored now (a form edits a copy; the service saves under a lock)."""
    return Creditor.objects.get(pk=creditor.pk)


def import_amounts(*, creditor: Creditor) -> QuerySet[ImportFilterAmount]:
    return ImportFilterAmount.objects.filter(import_filter__creditor=creditor).order_by("currency")


def import_overrides(*, creditor: Creditor) -> QuerySet[ImportFilterOverride]:
    """Customer classes first, then customers (the order precedence runs up)."""
    return ImportFilterOverride.objects.for_creditor(creditor).order_by(
        "customer_erp_id", "customer_class"
    )


def members(*, creditor: Creditor) -> QuerySet[Membership]:
    """The creditor's people. An API key's own user (creditors.apikeys) is a member too, so the
    permission table holds for it, but it is listed and revoked under API keys, not here."""
    return (
        Membership.objects.filter(creditor=creditor, user__api_key__isnull=True)
        .select_related("user")
        .order_by("pk")
    )


def membership_get(*, creditor: Creditor, membership_id) -> Membership:
    return members(creditor=creditor).get(pk=membership_id)


def firm_members(*, creditor: Creditor) -> QuerySet[FirmMembership]:
    """The users of the creditor's accounting firm, each with `has_access` to this creditor."""
    if creditor.accounting_firm_id is None:
        return FirmMembership.objects.none()
    access = FirmClientAccess.objects.filter(firm_membership=OuterRef("pk"), creditor=creditor)
    return (
        FirmMembership.objects.filter(firm_id=creditor.accounting_firm_id)
        .select_related("user")
        .annotate(has_access=Exists(access))
        .order_by("pk")
    )


def firm_member_get(*, creditor: Creditor, firm_membership_id) -> FirmMembership:
    return firm_members(creditor=creditor).get(pk=firm_membership_id)


def audit_events(*, creditor: Creditor) -> QuerySet[CreditorAuditEvent]:
    return CreditorAuditEvent.objects.for_creditor(creditor).select_related("actor")


def user_by_username(username: str):
    """The user to add to a creditor, by username or by e-mail when exactly one user has it
    (users are created by support, or by signing up)."""
    users = get_user_model().objects.filter(api_key__isnull=True)  # no machine users
    user = users.filter(username=username).first()
    if user is None and "@" in username:
        by_email = list(users.filter(email__iexact=username)[:2])
        user = by_email[0] if len(by_email) == 1 else None
    return user
