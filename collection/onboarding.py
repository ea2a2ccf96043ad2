"""Onboarding a creditor from its ERP: the company is read through the adapter (which checks the
key), then the creditors app creates or refreshes the creditor from that plain data."""

from creditors.models import AccountingFirm, Creditor
from creditors.services import Company, payout_account_clean
from creditors.services import creditor_onboard as creditor_create
from integrations.base import adapter_class


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
    """Create the creditor from the company data its ERP holds (see
    creditors.services.creditor_onboard for what a second onboarding of a company does). A bad
    payout account is refused before the ERP is called."""
    payout_account_clean(country=country, kind=payout_account_kind, account=payout_account)
    erp = adapter_class(erp_kind)(connection).fetch_company()
    return creditor_create(
        erp_kind=erp_kind,
        connection=connection,
        company=Company(
            erp_id=erp.erp_id,
            name=erp.name,
            org_number=erp.org_number,
            email=erp.email,
            address_line1=erp.address.line1,
            postal_code=erp.address.postal_code,
            city=erp.address.city,
        ),
        country=country,
        payout_account_kind=payout_account_kind,
        payout_account=payout_account,
        contact_email=contact_email,
        accounting_firm=accounting_firm,
    )
