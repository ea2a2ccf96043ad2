"""Who works on a creditor: its own users (memberships with a role) and the accounting firm's users
given access to it. Each change is checked against the permission table and audited in the same
transaction; access is read on every request, so a change applies on the next one."""

from django.db import transaction

from creditors import permissions
from creditors.models import ApiKey, Creditor, FirmClientAccess, FirmMembership, Membership
from creditors.services import audit_add

Action = permissions.Action


class MembershipError(ValueError):
    """A change of users that is refused (shown to the user as it is)."""


@transaction.atomic
def membership_add(*, creditor: Creditor, actor, user, role: str) -> Membership:
    """Add a user to the creditor with a role, or change the role of a member."""
    permissions.require(actor, creditor, Action.MANAGE_USERS)
    if role not in Membership.Role.values:
        raise MembershipError(f"unknown role {role!r}")
    if user.pk == actor.pk:
        # Else support (who manages users but never the money settings) could make itself the
        # creditor's admin and then change where its payouts go.
        raise MembershipError("nobody gives themselves a role: ask the creditor's admin")
    membership = Membership.objects.select_for_update().filter(creditor=creditor, user=user).first()
    if membership is None:
        membership = Membership.objects.create(creditor=creditor, user=user, role=role)
        audit_add(creditor=creditor, actor=actor, action="member_added", new=f"{user} ({role})")
    elif membership.role != role:
        old_role = membership.role
        if old_role == Membership.Role.ADMIN:
            _keep_an_admin(creditor, leaving=membership)
        membership.role = role
        membership.save(update_fields=["role"])
        audit_add(
            creditor=creditor,
            actor=actor,
            action="member_role",
            old=f"{user} ({old_role})",
            new=f"{user} ({role})",
        )
    return membership


@transaction.atomic
def membership_remove(*, creditor: Creditor, actor, membership: Membership) -> None:
    permissions.require(actor, creditor, Action.MANAGE_USERS)
    if membership.creditor_id != creditor.pk:
        raise MembershipError("not a member of this creditor")
    if membership.role == Membership.Role.ADMIN:
        _keep_an_admin(creditor, leaving=membership)
    membership.delete()
    audit_add(
        creditor=creditor,
        actor=actor,
        action="member_removed",
        old=f"{membership.user} ({membership.role})",
    )


def _keep_an_admin(creditor: Creditor, *, leaving: Membership) -> None:
    """A creditor keeps at least one admin: nobody else may change its payout account."""
    # An API key with the admin role is no person: it cannot log in to change the account.
    # (A subquery, not a join: PostgreSQL locks no row on the nullable side of an outer join.)
    admins = (
        Membership.objects.select_for_update()
        .filter(creditor=creditor, role=Membership.Role.ADMIN)
        .exclude(user__in=ApiKey.objects.values("user"))
    )
    if not admins.exclude(pk=leaving.pk).exists():
        raise MembershipError("the creditor's last admin cannot be removed; add another first")


@transaction.atomic
def firm_access_grant(
    *, creditor: Creditor, actor, firm_membership: FirmMembership
) -> FirmClientAccess:
    """Give a user of the creditor's accounting firm access to this client."""
    permissions.require(actor, creditor, Action.GRANT_FIRM_ACCESS)
    if (
        creditor.accounting_firm_id is None
        or firm_membership.firm_id != creditor.accounting_firm_id
    ):
        raise MembershipError("not a user of this creditor's accounting firm")
    access, created = FirmClientAccess.objects.get_or_create(
        firm_membership=firm_membership, creditor=creditor, defaults={"granted_by": actor}
    )
    if created:
        audit_add(
            creditor=creditor, actor=actor, action="firm_access_granted", new=str(firm_membership)
        )
    return access


@transaction.atomic
def firm_access_revoke(*, creditor: Creditor, actor, firm_membership: FirmMembership) -> None:
    """Take a firm user off this client (the firm admin, support or the creditor's admin)."""
    permissions.require(actor, creditor, Action.REVOKE_FIRM_ACCESS)
    deleted, _ = FirmClientAccess.objects.filter(
        firm_membership=firm_membership, creditor=creditor
    ).delete()
    if deleted:
        audit_add(
            creditor=creditor, actor=actor, action="firm_access_revoked", old=str(firm_membership)
        )
