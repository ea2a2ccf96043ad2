"""Onboarding: company data from the ERP, payout account, agreement, activation."""

from django.db import transaction
from django.utils import timezone

from cases.references import InvalidAccount, validate_payout_account
from creditors.models import (
    COUNTRY_CURRENCY,
    COUNTRY_TIMEZONE,
    AccountingFirm,
    AccountSetup,
    Creditor,
    ImportFilter,
)
from integrations.base import adapter_class


class OnboardingError(ValueError):
    pass


@transaction.atomic
def creditor_onboard(
    *,
    erp_kind: str,
    connection: dict,
    country: str,
    payout_account_kind: str,
    payout_account: str,
    contact_email: str,
    accounting_firm: AccountingFirm | None = None,
) -> Creditor:
    """Create the creditor from the company data its ERP holds. Its key is checked by the call."""
    try:
        account = validate_payout_account(country, payout_account_kind, payout_account)
    except InvalidAccount as exc:
        raise OnboardingError(f"Payout account: {exc}") from exc
    company = adapter_class(erp_kind)(connection).fetch_company()
    creditor, _ = Creditor.objects.update_or_create(
        country=country,
        org_number=company.org_number,
        defaults={
            "legal_name": company.name,
            "currency": COUNTRY_CURRENCY[country],
            "time_zone": COUNTRY_TIMEZONE[country],
            "erp_kind": erp_kind,
            "erp_connection": connection,
            "erp_company_id": company.erp_id,
            "payout_account_kind": payout_account_kind,
            "payout_account": account,
            "contact_email": contact_email or company.email,
            "accounting_firm": accounting_firm,
            "address_line1": company.address.line1,
            "postal_code": company.address.postal_code,
            "city": company.address.city,
        },
    )
    ImportFilter.objects.get_or_create(creditor=creditor)
    AccountSetup.objects.get_or_create(creditor=creditor)
    return creditor


def creditor_sign_agreement(*, creditor: Creditor) -> None:
    if creditor.agreement_signed_at is None:
        creditor.agreement_signed_at = timezone.now()
        creditor.save(update_fields=["agreement_signed_at"])


def creditor_activate(*, creditor: Creditor) -> None:
    if creditor.agreement_signed_at is None:
        raise OnboardingError("the agreement is not signed yet")
    if not creditor.payout_account:
        raise OnboardingError("no payout account")
    creditor.status = Creditor.Status.ACTIVE
    creditor.save(update_fields=["status"])
