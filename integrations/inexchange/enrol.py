"""Enrolling a company with Inexchange as our partner: its data registered under our ErpId for
it (POST companies/register), once. A company already registered (a client token can be made
for its ErpId) is not registered again, so enrolling twice is harmless even against an
Inexchange that would take a second registration."""

from __future__ import annotations

from integrations.errors import ErpConflict
from integrations.inexchange.adapter import partner_client
from integrations.inexchange.client import InexchangeRejected
from integrations.inexchange.connection import InexchangeConnection


def company_enrol(*, base_url: str, erp_id: str, company: dict) -> dict:
    """Register the company (fields as companies/register names them: Name, OrgNo, Email,
    CountryCode, StreetName, PostalZone, City, ...) unless it is; returns the connection to
    store on the creditor. The token made to check is revoked again."""
    InexchangeConnection.from_dict({"base_url": base_url, "erp_id": erp_id})  # checked first
    partner = partner_client(base_url)
    try:
        token = partner.create_client_token(erp_id)
    except InexchangeRejected:  # unknown ErpId: not registered yet
        body = {
            "ErpId": erp_id,
            "ErpProduct": "AutoCollect",
            "Processes": ["SendInvoices"],
            "CountryCode": "SE",
            **company,
        }
        try:
            partner.register_company(body)
        except ErpConflict:
            pass  # registered meanwhile (or the first answer was lost)
    else:
        partner.revoke_client_token(token)
    return {"base_url": base_url, "erp_id": erp_id}
