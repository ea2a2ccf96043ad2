"""Portal pages for a creditor's settings and users. Thin: the tenant check (404) and the
permission table (403) come first, the services in creditors.services / creditors.members do
the work and write the audit rows."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from creditors import import_settings, members, selectors
from creditors.access import creditor_for_action, creditors_for_user
from creditors.models import (
    FirmMembership,
    ImportFilter,
    ImportFilterAmount,
    ImportFilterOverride,
    Membership,
)
from creditors.permissions import Action, can_map
from creditors.services import IMPORT_FILTER_FIELDS, creditor_payout_account_set
from creditors.services import creditor_settings_update as settings_update

PAYOUT_KINDS = ["no_account", "se_account", "bankgiro", "plusgiro", "iban"]


class ImportFilterForm(forms.ModelForm):
    class Meta:
        model = ImportFilter
        fields = IMPORT_FILTER_FIELDS


class ImportOverrideForm(forms.ModelForm):
    class Meta:
        model = ImportFilterOverride
        fields = ["customer_erp_id", "customer_class", *import_settings.OVERRIDE_FIELDS]


class ImportAmountForm(forms.ModelForm):
    class Meta:
        model = ImportFilterAmount
        fields = ["currency", *import_settings.AMOUNT_FIELDS]


def _context(request, creditor, **extra):
    return {
        "creditor": creditor,
        "my_creditors": creditors_for_user(request.user),
        "can": can_map(request.user, creditor),
        **extra,
    }


@login_required
def creditor_settings(request, creditor_id):
    """GET: the import filter and payout account (everyone who sees the creditor); POST: change
    the import filter (the creditor's admin)."""
    action = Action.SETTINGS if request.method == "POST" else Action.VIEW
    creditor = creditor_for_action(request.user, creditor_id, action)
    rules = selectors.import_filter_get(creditor=creditor)
    form = ImportFilterForm(request.POST or None, instance=rules)
    if request.method == "POST":
        if form.is_valid():
            try:
                settings_update(creditor=creditor, actor=request.user, **form.cleaned_data)
                messages.success(request, "Settings saved.")
                return redirect("creditor-settings", creditor_id=creditor.pk)
            except ValueError as exc:
                messages.error(request, str(exc))
        else:
            messages.error(request, "Settings not saved: see the errors below.")
    return render(
        request,
        "portal/creditor_settings.html",
        _context(
            request,
            creditor,
            form=form,
            payout_kinds=PAYOUT_KINDS,
            audit=selectors.audit_events(creditor=creditor)[:50],
            overrides=selectors.import_overrides(creditor=creditor),
            override_form=ImportOverrideForm(prefix="override"),
            amounts=selectors.import_amounts(creditor=creditor),
            amount_form=ImportAmountForm(prefix="amount"),
        ),
    )


def _settings_section(creditor, anchor: str):
    """Back to one section of the settings page."""
    return redirect(f"{reverse('creditor-settings', args=[creditor.pk])}#{anchor}")


def _settings_post(request, creditor, form, service, done: str):
    """Run an import-settings service on a valid form; the outcome as a message."""
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        messages.error(request, f"Not saved: {errors}")
        return
    try:
        service(creditor=creditor, actor=request.user, **form.cleaned_data)
        messages.success(request, done)
    except ValueError as exc:
        messages.error(request, str(exc))


@login_required
@require_POST
def import_override_set(request, creditor_id):
    creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
    form = ImportOverrideForm(request.POST, prefix="override")
    _settings_post(request, creditor, form, import_settings.import_override_set, "Saved.")
    return _settings_section(creditor, "import-overrides")


@login_required
@require_POST
def import_override_remove(request, creditor_id, override_id):
    creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
    try:
        import_settings.import_override_remove(
            creditor=creditor, actor=request.user, override_id=override_id
        )
    except ImportFilterOverride.DoesNotExist:
        raise Http404("No such setting") from None
    messages.success(request, "Removed.")
    return _settings_section(creditor, "import-overrides")


@login_required
@require_POST
def import_amount_set(request, creditor_id):
    creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
    form = ImportAmountForm(request.POST, prefix="amount")
    _settings_post(request, creditor, form, import_settings.import_amount_set, "Saved.")
    return _settings_section(creditor, "import-amounts")


@login_required
@require_POST
def import_amount_remove(request, creditor_id, currency):
    creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
    try:
        import_settings.import_amount_remove(
            creditor=creditor, actor=request.user, currency=currency
        )
    except ImportFilterAmount.DoesNotExist:
        raise Http404("No such amount") from None
    messages.success(request, "Removed.")
    return _settings_section(creditor, "import-amounts")


@login_required
@require_POST
def payout_account_change(request, creditor_id):
    creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
    try:
        creditor_payout_account_set(
            creditor=creditor,
            actor=request.user,
            kind=request.POST.get("kind", ""),
            account=request.POST.get("account", ""),
        )
        messages.success(request, "Payout account changed.")
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("creditor-settings", creditor_id=creditor.pk)


@login_required
def creditor_users(request, creditor_id):
    creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
    return render(
        request,
        "portal/creditor_users.html",
        _context(
            request,
            creditor,
            members=selectors.members(creditor=creditor),
            firm_members=selectors.firm_members(creditor=creditor),
            roles=Membership.Role.choices,
        ),
    )


@login_required
@require_POST
def member_add(request, creditor_id):
    creditor = creditor_for_action(request.user, creditor_id, Action.MANAGE_USERS)
    user = selectors.user_by_username(request.POST.get("username", "").strip())
    try:
        if user is None:
            raise members.MembershipError("no user with that username")
        members.membership_add(
            creditor=creditor, actor=request.user, user=user, role=request.POST.get("role", "")
        )
        messages.success(request, f"{user} added.")
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("creditor-users", creditor_id=creditor.pk)


@login_required
@require_POST
def member_remove(request, creditor_id, membership_id):
    creditor = creditor_for_action(request.user, creditor_id, Action.MANAGE_USERS)
    try:
        membership = selectors.membership_get(creditor=creditor, membership_id=membership_id)
    except Membership.DoesNotExist:
        raise Http404("No such member") from None
    try:
        members.membership_remove(creditor=creditor, actor=request.user, membership=membership)
        messages.success(request, f"{membership.user} removed.")
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("creditor-users", creditor_id=creditor.pk)


@login_required
@require_POST
def firm_access_change(request, creditor_id, firm_membership_id, grant: bool):
    """Grant or revoke one accounting-firm user's access to this creditor."""
    action = Action.GRANT_FIRM_ACCESS if grant else Action.REVOKE_FIRM_ACCESS
    creditor = creditor_for_action(request.user, creditor_id, action)
    try:
        firm_member = selectors.firm_member_get(
            creditor=creditor, firm_membership_id=firm_membership_id
        )
    except FirmMembership.DoesNotExist:
        raise Http404("No such firm user") from None
    service = members.firm_access_grant if grant else members.firm_access_revoke
    try:
        service(creditor=creditor, actor=request.user, firm_membership=firm_member)
        messages.success(
            request, f"Access {'granted to' if grant else 'revoked for'} {firm_member}."
        )
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("creditor-users", creditor_id=creditor.pk)
