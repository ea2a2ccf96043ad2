"""Portal pages for a creditor's settings and users. Thin: the tenant check (404) and the
permission table (403) come first, the services in creditors.services / creditors.members do
the work and write the audit rows."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from creditors import company, import_settings, members, selectors
from creditors.access import creditor_for_action, creditors_for_user
from creditors.models import (
    AccountSetup,
    Creditor,
    FirmMembership,
    ImportFilter,
    ImportFilterAmount,
    ImportFilterOverride,
    Membership,
)
from creditors.permissions import Action, can_map
from creditors.services import IMPORT_FILTER_FIELDS, creditor_payout_account_set
from creditors.services import creditor_settings_update as settings_update
from creditors.signing import PAYOUT_KINDS
from nordic.accounts import payout_kinds

# The import settings' fields as the creditor reads them (the models' names are for us).
IMPORT_LABELS = {
    "enabled": gettext_lazy("Import switched on"),
    "days_after_due": gettext_lazy("Days after due"),
    "earliest_due_date": gettext_lazy("Earliest due date"),
    "min_amount": gettext_lazy("Minimum amount"),
    "max_amount": gettext_lazy("Maximum amount"),
    "currency": gettext_lazy("Currency"),
    "customer_erp_id": gettext_lazy("Customer id in the ERP"),
    "customer_class": gettext_lazy("Customer class"),
    "excluded": gettext_lazy("Excluded"),
}


class CompanyForm(forms.ModelForm):
    class Meta:
        model = Creditor
        fields = company.COMPANY_FIELDS
        labels = {
            "auxiliary_name": gettext_lazy("Auxiliary business name"),
            "debt_description": gettext_lazy("Default debt description"),
            "contact_email": gettext_lazy("Contact e-mail (settlement reports)"),
            "address_line1": gettext_lazy("Sender address"),
            "postal_code": gettext_lazy("Postal code"),
            "city": gettext_lazy("City"),
            "invoice_address": gettext_lazy("Invoice address"),
            "agreement_address": gettext_lazy("Agreement address"),
        }
        help_texts = {
            "auxiliary_name": gettext_lazy(
                "The registered name you trade under, if not your company name: letters name "
                "you by it, with the company name beside it."
            ),
            "debt_description": gettext_lazy(
                'Printed on letters as what the debt is for ("The claim concerns") when the '
                "invoice in your ERP has no text of its own."
            ),
            "invoice_address": gettext_lazy("Leave empty when it is the sender address."),
            "agreement_address": gettext_lazy("Leave empty when it is the sender address."),
        }
        widgets = {
            "invoice_address": forms.Textarea(attrs={"rows": 3}),
            "agreement_address": forms.Textarea(attrs={"rows": 3}),
        }


class AccountSetupForm(forms.ModelForm):
    class Meta:
        model = AccountSetup
        fields = company.ACCOUNT_FIELDS
        labels = {
            "enabled": gettext_lazy("Book settlements in the ERP automatically"),
            "receivable_account": gettext_lazy("Accounts receivable"),
            "clearing_account": gettext_lazy("Bank clearing account (counter entry)"),
            "interest_income_account": gettext_lazy("Interest income"),
            "fee_income_account": gettext_lazy("Fee income"),
            "loss_account": gettext_lazy("Bad-debt loss account"),
            "vat_cost_account": gettext_lazy("VAT cost account (interim)"),
            "vat_code": gettext_lazy("VAT code"),
        }


class ImportFilterForm(forms.ModelForm):
    class Meta:
        model = ImportFilter
        fields = IMPORT_FILTER_FIELDS
        labels = IMPORT_LABELS


class ImportOverrideForm(forms.ModelForm):
    class Meta:
        model = ImportFilterOverride
        fields = ["customer_erp_id", "customer_class", *import_settings.OVERRIDE_FIELDS]
        labels = IMPORT_LABELS

    def __init__(self, *args, erp_customers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if erp_customers is not None and erp_customers.available:
            # The ERP's customers and classes offered on the same inputs (<datalist>s in the
            # page): no JavaScript, the same fields saved, and an id the ERP left out still typed.
            self.fields["customer_erp_id"].widget.attrs["list"] = "erp-customers"
            self.fields["customer_class"].widget.attrs["list"] = "erp-classes"


class ImportAmountForm(forms.ModelForm):
    class Meta:
        model = ImportFilterAmount
        fields = ["currency", *import_settings.AMOUNT_FIELDS]
        labels = IMPORT_LABELS


def _context(request, creditor, **extra):
    return {
        "creditor": creditor,
        "my_creditors": creditors_for_user(request.user),
        "can": can_map(request.user, creditor),
        **extra,
    }


@login_required
def creditor_settings(request, creditor_id, erp_customers=None):
    """GET: every section of the company settings (everyone who sees the creditor; read-only
    unless they may change settings); POST: change the import filter (the creditor's admin).
    The other sections post to their own views and come back to their anchor.

    Routed through collection.settings_views, which gives `erp_customers` (the ERP's customers
    and classes for the settings per customer: creditors/ does not speak to ERPs)."""
    action = Action.SETTINGS if request.method == "POST" else Action.VIEW
    creditor = creditor_for_action(request.user, creditor_id, action)
    rules = selectors.import_filter_get(creditor=creditor)
    form = ImportFilterForm(request.POST or None, instance=rules)
    if request.method == "POST":
        if form.is_valid():
            try:
                settings_update(creditor=creditor, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Import filter saved."))
                return _settings_section(creditor, "import-filter")
            except ValueError as exc:
                messages.error(request, str(exc))
        else:
            messages.error(request, _("Import filter not saved: see the errors below."))
    return _settings_page(request, creditor, erp_customers=erp_customers, form=form)


def _settings_page(request, creditor, erp_customers=None, **forms_given):
    """The settings page; a form given (bound, with its errors) replaces the blank one.
    `erp_customers` (collection.erp_customers.ErpCustomerList, or None): the ERP's customers and
    classes offered in the settings per customer, and their names beside the settings made."""
    setup = selectors.account_setup_get(creditor=creditor)
    overrides = list(selectors.import_overrides(creditor=creditor))
    if erp_customers is not None:
        for o in overrides:
            o.erp_label = erp_customers.label_for(o.customer_erp_id, o.customer_class)
    context = {
        "form": ImportFilterForm(instance=selectors.import_filter_get(creditor=creditor)),
        "company_form": CompanyForm(instance=creditor),
        "account_form": AccountSetupForm(instance=setup),
        **forms_given,
    }
    return render(
        request,
        "portal/creditor_settings.html",
        _context(
            request,
            creditor,
            **context,
            account_setup=setup,
            # Only the kinds the creditor's country takes (a Swedish company: no Norwegian one).
            payout_kinds={
                k: v for k, v in PAYOUT_KINDS.items() if k in payout_kinds(creditor.country)
            },
            payout_kind=PAYOUT_KINDS.get(creditor.payout_account_kind, ""),
            agreement_types=Creditor._meta.get_field("agreement_type").choices,
            audit=selectors.audit_events(creditor=creditor)[:50],
            overrides=overrides,
            override_form=ImportOverrideForm(prefix="override", erp_customers=erp_customers),
            erp_customers=erp_customers,
            amounts=selectors.import_amounts(creditor=creditor),
            amount_form=ImportAmountForm(prefix="amount"),
            members=selectors.members(creditor=creditor),
            is_active=creditor.status == Creditor.Status.ACTIVE,
        ),
    )


@login_required
@require_POST
def company_change(request, creditor_id):
    creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
    form = CompanyForm(request.POST, instance=selectors.creditor_fresh(creditor=creditor))
    if not form.is_valid():
        messages.error(request, _("Company details not saved: see the errors below."))
        return _settings_page(request, creditor, company_form=form)
    try:
        company.creditor_company_update(creditor=creditor, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Company details saved."))
    except ValueError as exc:
        messages.error(request, str(exc))
    return _settings_section(creditor, "company")


@login_required
@require_POST
def agreement_type_change(request, creditor_id):
    """Support staff only (403 for the creditor's own roles): the agreement type."""
    creditor = creditor_for_action(request.user, creditor_id, Action.SUPPORT_CONSOLE)
    try:
        company.creditor_agreement_type_set(
            creditor=creditor, actor=request.user, agreement_type=request.POST.get("type", "")
        )
        messages.success(request, _("Agreement type saved."))
    except ValueError as exc:
        messages.error(request, str(exc))
    return _settings_section(creditor, "payout-account")


@login_required
@require_POST
def account_setup_change(request, creditor_id):
    creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
    form = AccountSetupForm(request.POST, instance=selectors.account_setup_get(creditor=creditor))
    if not form.is_valid():
        messages.error(request, _("Account setup not saved: see the errors below."))
        return _settings_page(request, creditor, account_form=form)
    try:
        company.account_setup_update(creditor=creditor, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Account setup saved."))
    except ValueError as exc:
        messages.error(request, str(exc))
    return _settings_section(creditor, "bookkeeping")


def _settings_section(creditor, anchor: str):
    """Back to one section of the settings page."""
    return redirect(f"{reverse('creditor-settings', args=[creditor.pk])}#{anchor}")


def _settings_post(request, creditor, form, service, done: str):
    """Run an import-settings service on a valid form; the outcome as a message."""
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        messages.error(request, _("Not saved: %s") % errors)
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
    _settings_post(
        request, creditor, form, import_settings.import_override_set, _("Customer setting saved.")
    )
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
    messages.success(request, _("Removed."))
    return _settings_section(creditor, "import-overrides")


@login_required
@require_POST
def import_amount_set(request, creditor_id):
    creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
    form = ImportAmountForm(request.POST, prefix="amount")
    _settings_post(request, creditor, form, import_settings.import_amount_set, _("Amounts saved."))
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
    messages.success(request, _("Removed."))
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
        messages.success(request, _("Payout account changed."))
    except ValueError as exc:
        messages.error(request, str(exc))
    return _settings_section(creditor, "payout-account")


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
            raise members.MembershipError(_("no user with that username or e-mail"))
        members.membership_add(
            creditor=creditor, actor=request.user, user=user, role=request.POST.get("role", "")
        )
        messages.success(request, _("%s added.") % user)
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
        messages.success(request, _("%s removed.") % membership.user)
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
        done = _("Access granted to %s.") if grant else _("Access revoked for %s.")
        messages.success(request, done % firm_member)
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("creditor-users", creditor_id=creditor.pk)
