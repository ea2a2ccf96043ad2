"""The creditor admin's page for API keys (the accounting programs that push invoices): the keys
with their prefix, role, creation and last use; a new key shown once, right after it is made;
revoking one. The same services as the API (creditors.apikeys), so the same permission (changing
settings: the creditor's own admin) and the same audit rows."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from creditors import apikeys
from creditors.access import creditor_for_action, creditors_for_user
from creditors.models import ApiKey, Membership
from creditors.permissions import Action, can_map

# The key just made, kept in the session for the one page that shows it and then dropped.
_SHOWN = "api_key_shown"


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("Which program uses it, e.g. Visma desktop"),
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=Membership.Role.choices, initial="user"
    )


@never_cache
@login_required
def api_key_list(request, creditor_id):
    """GET: the keys, and the new key once if one was just made; POST: make one."""
    creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            api_key, key = apikeys.api_key_create(
                creditor=creditor, actor=request.user, **form.cleaned_data
            )
            request.session[_SHOWN] = {"id": api_key.pk, "creditor": creditor.pk, "key": key}
            return redirect("creditor-api-keys", creditor_id=creditor.pk)
        messages.error(request, _("The key was not made: see the errors below."))
    shown = request.session.pop(_SHOWN, None)
    if shown is not None and shown.get("creditor") != creditor.pk:
        shown = None
    return render(
        request,
        "portal/creditor_api_keys.html",
        {
            "creditor": creditor,
            "my_creditors": creditors_for_user(request.user),
            "can": can_map(request.user, creditor),
            "keys": apikeys.api_keys(creditor=creditor).select_related("created_by"),
            "form": form if request.method == "POST" else ApiKeyForm(),
            "new_key": shown,
        },
    )


@login_required
@require_POST
def api_key_revoke(request, creditor_id, key_id):
    creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
    try:
        api_key = apikeys.api_key_get(creditor=creditor, key_id=key_id)
    except ApiKey.DoesNotExist:
        raise Http404("No such API key") from None
    apikeys.api_key_revoke(creditor=creditor, actor=request.user, api_key=api_key)
    messages.success(
        request, _("Key %(name)s revoked: it is refused from now on.") % {"name": api_key.name}
    )
    return redirect("creditor-api-keys", creditor_id=creditor.pk)
