"""A case as a user may reach it: through the creditors the user may see (creditors.access)."""

from django.http import Http404

from cases import selectors
from cases.models import Case
from creditors import permissions
from creditors.access import creditor_for_user
from creditors.models import Creditor
from creditors.permissions import Action


def case_for_user(user, creditor_id, number, action=None) -> tuple[Creditor, Case]:
    """The creditor and its case if the user may see them (a 404 otherwise) and may do `action`
    (viewing by default) on the creditor (a 403 otherwise)."""
    creditor = creditor_for_user(user, creditor_id)
    try:
        case = selectors.case_get(creditor=creditor, number=number)
    except Case.DoesNotExist:
        raise Http404("No such case") from None
    permissions.require(user, creditor, action or Action.VIEW)
    return creditor, case
