"""The creditor admin's company settings beyond the import filter: the company details letters
print (auxiliary business name, default debt description, addresses, contact), the accounts
settlements are booked on (AccountSetup), and the activation switch. Each change is the creditor
admin's (permission SETTINGS), validated, and audited in the same transaction with the old and the
new values. The agreement type is not the creditor's to change: it is a term of the signed
agreement, changed by support only (creditor_agreement_type_set), audited the same way."""

from django.db import transaction
from django.utils.translation import gettext as _

from creditors import permissions
from creditors.models import AccountSetup, Creditor
from creditors.services import (
    OnboardingError,
    SettingsError,
    audit_add,
    creditor_activate,
    settings_change,
)

COMPANY_FIELDS = (
    "auxiliary_name",
    "debt_description",
    "contact_email",
    "address_line1",
    "postal_code",
    "city",
    "invoice_address",
    "agreement_address",
)
ACCOUNT_FIELDS = (
    "enabled",
    "receivable_account",
    "clearing_account",
    "interest_income_account",
    "fee_income_account",
    "loss_account",
    "vat_cost_account",
    "vat_code",
)
ACCOUNT_NUMBERS = ACCOUNT_FIELDS[1:-1]  # the ledger accounts (vat_code is a code)


@transaction.atomic
def creditor_agreement_type_set(*, creditor: Creditor, actor, agreement_type: str) -> Creditor:
    """Support changes how the money is split (Creditor.agreement_type, settlements.split) when
    the creditor has signed other terms. The split is cumulative per case, so each open case's
    next settlement re-splits what it was paid so far under the new type; closed cases stay as
    settled. Support staff only; audited with the old and the new type."""
    permissions.require(actor, creditor, permissions.Action.SUPPORT_CONSOLE)
    locked = Creditor.objects.select_for_update().get(pk=creditor.pk)
    settings_change(
        locked,
        {"agreement_type": agreement_type},
        creditor=locked,
        actor=actor,
        action="agreement_type",
        fields=("agreement_type",),
    )
    return locked


@transaction.atomic
def creditor_company_update(*, creditor: Creditor, actor, **changes) -> Creditor:
    """The company details: default debt description, contact e-mail and addresses."""
    permissions.require(actor, creditor, permissions.Action.SETTINGS)
    locked = Creditor.objects.select_for_update().get(pk=creditor.pk)
    settings_change(
        locked, changes, creditor=locked, actor=actor, action="company", fields=COMPANY_FIELDS
    )
    return locked


@transaction.atomic
def account_setup_update(*, creditor: Creditor, actor, **changes) -> AccountSetup:
    """The ledger accounts settlements are booked on in the ERP, and whether they are at all."""
    permissions.require(actor, creditor, permissions.Action.SETTINGS)
    AccountSetup.objects.get_or_create(creditor=creditor)
    setup = AccountSetup.objects.select_for_update().get(creditor=creditor)
    accounts = {name: changes.get(name, getattr(setup, name)) for name in ACCOUNT_NUMBERS}
    if any(a is None or int(a) <= 0 for a in accounts.values()):
        raise SettingsError(_("Every account needs a positive account number."))
    if len(set(accounts.values())) < len(accounts):
        # One account for two roles would net the settlement's lines against each other.
        raise SettingsError(_("Each account must be a different account number."))
    settings_change(
        setup,
        changes,
        creditor=creditor,
        actor=actor,
        action="account_setup",
        fields=ACCOUNT_FIELDS,
    )
    return setup


@transaction.atomic
def creditor_activation_set(*, creditor: Creditor, actor, active: bool) -> Creditor:
    """Switch the service on (the nightly import and the letters run) or off.

    Off pauses the creditor: the import stops and its ongoing cases pause where they stand (no
    letter, fee or step is taken; the engine and the sync only run active creditors), while
    payments that reach us are still booked and paid out. On again, the cases go on from where
    they stood, the steps that fell due meanwhile taken at the next run."""
    permissions.require(actor, creditor, permissions.Action.SETTINGS)
    locked = Creditor.objects.select_for_update().get(pk=creditor.pk)
    old = locked.status
    if locked.status == Creditor.Status.TERMINATED:
        raise SettingsError(_("The agreement has ended: contact support to start again."))
    if active and old != Creditor.Status.ACTIVE:
        try:
            creditor_activate(creditor=locked)
        except OnboardingError as exc:
            raise SettingsError(_("Not activated: %s") % exc) from exc
    elif not active and old == Creditor.Status.ACTIVE:
        locked.status = Creditor.Status.PAUSED
        locked.save(update_fields=["status"])
    if locked.status != old:
        audit_add(creditor=locked, actor=actor, action="activation", old=old, new=locked.status)
    return locked
