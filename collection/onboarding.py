"""Onboarding a creditor from its ERP: the ERP and its connection are checked first (a known
slug, a typed connection), the company is read through the adapter (which checks the key), then
the creditors app creates or refreshes the creditor from that plain data."""

from creditors.models import AccountingFirm, Creditor
from creditors.services import Company, OnboardingError, payout_account_clean
from creditors.services import creditor_onboard as creditor_create
from integrations import registry
from integrations.errors import ErpConnectionInvalid
from integrations.features import ErpAdapter, Feature


def erp_connect(*, erp_kind: str, connection: dict) -> ErpAdapter:
    """The adapter on a connection being given to us; OnboardingError says what is wrong with
    the ERP or the connection, before anything is stored or the ERP is called."""
    try:
        adapter = registry.connect(erp_kind, connection)
    except LookupError:
        known = ", ".join(label for _, label in registry.choices())
        raise OnboardingError(
            f"AutoCollect does not connect to {erp_kind!r} (only {known})"
        ) from None
    except ErpConnectionInvalid as exc:
        raise OnboardingError(str(exc)) from exc
    if not adapter.has(Feature.READ_COMPANY):
        raise OnboardingError(f"{adapter.label} cannot tell us the company: onboard it by hand")
    return adapter


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
    erp = erp_connect(erp_kind=erp_kind, connection=connection).fetch_company()
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
