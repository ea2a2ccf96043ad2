"""Onboarding a creditor from its ERP: the ERP and its connection are checked first (a known
slug, a typed connection), the company is read through the adapter (which checks the key), then
the creditors app creates or refreshes the creditor from that plain data."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from creditors.models import AccountingFirm, Creditor
from creditors.services import Company, OnboardingError, payout_account_clean
from creditors.services import creditor_onboard as creditor_create
from integrations import registry
from integrations.base import ErpCompany
from integrations.errors import ErpAuthError, ErpConnectionInvalid, ErpError
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
    return creditor_create(
        erp_kind=erp_kind,
        connection=connection,
        company=erp_company_read(erp_kind=erp_kind, connection=connection),
        country=country,
        payout_account_kind=payout_account_kind,
        payout_account=payout_account,
        contact_email=contact_email,
        accounting_firm=accounting_firm,
    )


def _company(erp: ErpCompany) -> Company:
    return Company(
        erp_id=erp.erp_id,
        name=erp.name,
        org_number=erp.org_number,
        email=erp.email,
        address_line1=erp.address.line1,
        postal_code=erp.address.postal_code,
        city=erp.address.city,
    )


def erp_company_read(*, erp_kind: str, connection: dict) -> Company:
    """The company behind the connection as its ERP has it (the ERP checks the key)."""
    return _company(erp_connect(erp_kind=erp_kind, connection=connection).fetch_company())


# --- the onboarding wizard: a pasted API key -------------------------------------------------


def connection_from_key(*, erp_kind: str, api_key: str, client_id: str | int = 0) -> dict:
    """The stored connection for an API key pasted into the wizard (Tripletex's employee token;
    a client of an accounting firm's key is reached by its company id)."""
    if erp_kind != "tripletex":
        raise OnboardingError(_("The wizard takes Tripletex API keys only."))
    return {
        "base_url": settings.TRIPLETEX_BASE_URL,
        "employee_token": api_key.strip(),
        "company_id": int(client_id),
    }


@dataclass(frozen=True)
class KeyCheck:
    """What an API key reaches: its own company, and for an accounting firm's key the client
    companies that gave the firm client access (empty for a company's own key)."""

    company: Company
    clients: list[Company]

    @property
    def is_firm(self) -> bool:
        return bool(self.clients)


def erp_key_check(*, erp_kind: str, connection: dict) -> KeyCheck:
    """OnboardingError with a message for the person who pasted the key if the ERP refuses it or
    cannot be reached."""
    label = registry.adapter_class(erp_kind).label
    try:
        adapter = erp_connect(erp_kind=erp_kind, connection=connection)
        company = _company(adapter.fetch_company())
        clients = []
        if adapter.has(Feature.LIST_CLIENT_COMPANIES):
            clients = [_company(c) for c in adapter.list_client_companies()]
    except ErpAuthError:
        raise OnboardingError(
            _(
                "%(erp)s did not accept this API key. Copy the whole key from %(erp)s "
                "(My profile → API access) and paste it again."
            )
            % {"erp": label}
        ) from None
    except ErpError:
        raise OnboardingError(
            _("We could not reach %(erp)s just now. Try again in a minute.") % {"erp": label}
        ) from None
    return KeyCheck(company=company, clients=clients)
