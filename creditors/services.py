"""Onboarding (company data as the ERP has it, payout account, agreement, activation) and the
creditor admin's settings. Every change a user makes here writes its audit row in the same
transaction."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditors import permissions
from creditors.models import (
    AccountingFirm,
    AccountSetup,
    Creditor,
    CreditorAuditEvent,
    FirmClientAccess,
    FirmMembership,
    ImportFilter,
)
from nordic.accounts import InvalidAccount, validate_payout_account
from nordic.countries import country as nordic_country


class OnboardingError(ValueError):
    pass


class SettingsError(ValueError):
    """A setting the creditor's admin asked for is refused (shown to them as it is)."""


@dataclass(frozen=True)
class Company:
    """The company as its ERP knows it (collection.onboarding reads it from the ERP)."""

    erp_id: str
    name: str
    org_number: str
    email: str = ""
    address_line1: str = ""
    postal_code: str = ""
    city: str = ""


def payout_account_clean(*, country: str, kind: str, account: str) -> str:
    """The account in its canonical form, or OnboardingError saying what is wrong with it."""
    try:
        return validate_payout_account(country, kind, account)
    except InvalidAccount as exc:
        raise OnboardingError(f"Payout account: {exc}") from exc


@transaction.atomic
def creditor_onboard(
    *,
    erp_kind: str,
    connection: dict,
    company: Company,
    country: str,
    payout_account_kind: str,
    payout_account: str,
    contact_email: str,
    accounting_firm: AccountingFirm | None = None,
    payout_later: bool = False,
) -> Creditor:
    """Create the creditor from the company data its ERP holds (the caller read it with the
    connection, which checked the key). `payout_later`: no payout account yet (the Visma.net
    registration asks for it in the company settings after signing); the creditor cannot be
    activated without one (creditor_activate).

    An organisation number is one tenant: another ERP company reporting a number we hold is
    refused (support merges by hand), never a takeover. Onboarding the same ERP company again
    refreshes only what the ERP owns (name, address); the payout account, connection, contact,
    users and firm link stay as they are (the payout account changes only through
    creditor_payout_account_set, audited)."""
    account = ""
    if not (payout_later and not payout_account):
        account = payout_account_clean(
            country=country, kind=payout_account_kind, account=payout_account
        )
    if not company.org_number:
        raise OnboardingError("the ERP reports no organisation number for this company")
    existing = (
        Creditor.objects.select_for_update()
        .filter(country=country, org_number=company.org_number)
        .first()
    )
    if existing is not None:
        if (existing.erp_kind, existing.erp_company_id) != (erp_kind, company.erp_id):
            raise OnboardingError(
                f"Organisation number {company.org_number} is already registered with "
                "AutoCollect for another ERP company. An existing creditor is never taken "
                "over: contact support, who can merge the two by hand."
            )
        return _creditor_refresh_from_erp(existing, company)
    creditor = Creditor.objects.create(
        country=country,
        org_number=company.org_number,
        legal_name=company.name,
        currency=nordic_country(country).currency,
        time_zone=nordic_country(country).time_zone,
        erp_kind=erp_kind,
        erp_connection=connection,
        erp_company_id=company.erp_id,
        payout_account_kind=payout_account_kind,
        payout_account=account,
        contact_email=contact_email or company.email,
        accounting_firm=accounting_firm,
        address_line1=company.address_line1,
        postal_code=company.postal_code,
        city=company.city,
    )
    ImportFilter.objects.create(creditor=creditor)
    AccountSetup.objects.create(creditor=creditor)
    if accounting_firm is not None:
        # The firm's admins reach a new client so that they can give their staff access to it.
        FirmClientAccess.objects.bulk_create(
            FirmClientAccess(firm_membership=m, creditor=creditor)
            for m in accounting_firm.memberships.filter(role=FirmMembership.Role.ADMIN)
        )
    return creditor


def _creditor_refresh_from_erp(creditor: Creditor, company: Company) -> Creditor:
    """The fields the ERP owns, as the ERP has them now."""
    creditor.legal_name = company.name
    creditor.address_line1 = company.address_line1
    creditor.postal_code = company.postal_code
    creditor.city = company.city
    creditor.save(update_fields=["legal_name", "address_line1", "postal_code", "city"])
    ImportFilter.objects.get_or_create(creditor=creditor)
    AccountSetup.objects.get_or_create(creditor=creditor)
    return creditor


def creditor_activate(*, creditor: Creditor) -> None:
    if creditor.agreement_signed_at is None:
        raise OnboardingError("the agreement is not signed yet")
    if not creditor.payout_account:
        raise OnboardingError("no payout account")
    creditor.status = Creditor.Status.ACTIVE
    # The first activation only: what was overdue then is the import's backlog.
    creditor.activated_at = creditor.activated_at or timezone.now()
    creditor.save(update_fields=["status", "activated_at"])


def audit_add(*, creditor: Creditor, actor, action: str, old="", new="") -> CreditorAuditEvent:
    return CreditorAuditEvent.objects.create(
        creditor=creditor, actor=actor, action=action, old_value=old, new_value=new
    )


@transaction.atomic
def creditor_payout_account_set(*, creditor: Creditor, actor, kind: str, account: str) -> Creditor:
    """Where settlements are paid: only the creditor's admin changes it, and every change is
    audited with the old and the new account."""
    permissions.require(actor, creditor, permissions.Action.SETTINGS)
    kind = str(kind).strip().lower()
    try:
        account = validate_payout_account(creditor.country, kind, account)
    except ValueError as exc:  # InvalidAccount, or an unknown kind
        raise SettingsError(f"Payout account: {exc}") from exc
    creditor = Creditor.objects.select_for_update().get(pk=creditor.pk)
    old = f"{creditor.payout_account_kind} {creditor.payout_account}".strip()
    if (creditor.payout_account_kind, creditor.payout_account) == (kind, account):
        return creditor
    creditor.payout_account_kind, creditor.payout_account = kind, account
    creditor.save(update_fields=["payout_account_kind", "payout_account"])
    audit_add(
        creditor=creditor, actor=actor, action="payout_account", old=old, new=f"{kind} {account}"
    )
    return creditor


IMPORT_FILTER_FIELDS = (
    "enabled",
    "days_after_due",
    "earliest_due_date",
    "min_amount",
    "max_amount",
)


def settings_change(obj, changes: dict, *, creditor, actor, action: str, fields) -> list[str]:
    """Set, validate and save the changed settings on obj (the caller holds its row lock), and
    audit them with the old and the new values. Returns the names that changed."""
    unknown = set(changes) - set(fields)
    if unknown:
        raise SettingsError(_("not a setting: %s") % ", ".join(sorted(unknown)))
    before = {name: getattr(obj, name) for name in changes}
    for name, value in changes.items():
        setattr(obj, name, value.strip() if isinstance(value, str) else value)
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise SettingsError("; ".join(exc.messages)) from exc
    changed = [name for name in changes if getattr(obj, name) != before[name]]
    if changed:
        obj.save(update_fields=changed)
        audit_add(
            creditor=creditor,
            actor=actor,
            action=action,
            old=", ".join(f"{n}={before[n]}" for n in changed),
            new=", ".join(f"{n}={getattr(obj, n)}" for n in changed),
        )
    return changed


@transaction.atomic
def creditor_settings_update(*, creditor: Creditor, actor, **changes) -> ImportFilter:
    """Change the import filter (which overdue invoices become cases)."""
    permissions.require(actor, creditor, permissions.Action.SETTINGS)
    rules = ImportFilter.objects.select_for_update().get(creditor=creditor)
    settings_change(
        rules,
        changes,
        creditor=creditor,
        actor=actor,
        action="import_filter",
        fields=IMPORT_FILTER_FIELDS,
    )
    return rules
