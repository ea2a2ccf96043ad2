"""Who may reach which creditor. The portal and the API resolve a creditor only through here."""

from django.db.models import Q, QuerySet
from django.http import Http404

from creditors.models import Creditor


def creditors_for_user(user) -> QuerySet[Creditor]:
    if not user.is_authenticated:
        return Creditor.objects.none()
    if user.is_staff:  # support staff reach every tenant
        return Creditor.objects.all()
    return Creditor.objects.filter(
        Q(memberships__user=user) | Q(accounting_firm__memberships__user=user)
    ).distinct()


def creditor_for_user(user, creditor_id) -> Creditor:
    """The creditor if the user may see it; a 404 otherwise, so that existence does not leak."""
    try:
        return creditors_for_user(user).get(pk=creditor_id)
    except (Creditor.DoesNotExist, ValueError, TypeError):
        raise Http404("No such creditor") from None
