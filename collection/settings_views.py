"""The creditor's settings page, entered here so it can offer the ERP's customers and classes in
the import filter's settings per customer (creditors/ does not speak to ERPs): the page itself
stays creditors.views.creditor_settings, given the list from collection.erp_customers."""

from django.contrib.auth.decorators import login_required

from collection.erp_customers import erp_customer_list
from creditors import views as creditor_views
from creditors.access import creditor_for_action
from creditors.permissions import Action, can


@login_required
def creditor_settings(request, creditor_id):
    # The tenant check (404) first; the view it hands to checks the action (403) itself.
    creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
    listed = None
    # Only who may change the settings sees the form, so only they make the ERP be asked.
    if request.method == "GET" and can(request.user, creditor, Action.SETTINGS):
        listed = erp_customer_list(creditor)
    return creditor_views.creditor_settings(request, creditor_id, erp_customers=listed)
