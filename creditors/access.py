"""Who may reach which creditor. The portal and the API resolve a creditor only through here."""

from django.db.models import F, Q, QuerySet
from django.http import Http404

from creditors import permissions
from creditors.audit import support_access_record
from creditors.models import Creditor


def creditors_for_user(user) -> QuerySet[Creditor]:
    if not user.is_authenticated:
        return Creditor.objects.none()
    if user.is_staff:  # support staff reach every tenant
        return Creditor.objects.all()
    # A firm user reaches only the clients they were given access to, and only while the client
    # is still served by that firm. One filter() call: both conditions hold on the same access row.
    firm_access = Q(
        firm_access__firm_membership__user=user,
        firm_access__firm_membership__firm=F("accounting_firm"),
    )
    return Creditor.objects.filter(Q(memberships__user=user) | firm_access).distinct()


def creditor_for_user(user, creditor_id) -> Creditor:
    """The creditor if the user may see it; a 404 otherwise, so that existence does not leak.
    A support user's view is written to the audit log here, the one place every view passes."""
    try:
        creditor = creditors_for_user(user).get(pk=creditor_id)
    except (Creditor.DoesNotExist, ValueError, TypeError):
        raise Http404("No such creditor") from None
    support_access_record(user=user, creditor=creditor)
    return creditor


def creditor_for_action(user, creditor_id, action: permissions.Action) -> Creditor:
    """The creditor if the user may see it (404 otherwise) and may do `action` on it (403)."""
    creditor = creditor_for_user(user, creditor_id)
    permissions.require(user, creditor, action)
    return creditor
