"""Helpers of the Netvisor tests: keys, a client and an adapter for a served emulator."""

import datetime as dt

from integrations.netvisor.adapter import NetvisorAdapter
from integrations.netvisor.auth import NetvisorKeys
from integrations.netvisor.client import NetvisorClient
from integrations.netvisor.connection import NetvisorConnection

TODAY = dt.date(2026, 11, 25)


def keys_for(erp, organisation_id=None, **overrides) -> NetvisorKeys:
    s = erp.seeded
    fields = {
        "sender": "AutoCollect",
        "customer_id": s["user"]["customer_id"],
        "customer_key": s["user"]["customer_key"],
        "partner_id": s["partner"]["id"],
        "partner_key": s["partner"]["key"],
        "organisation_id": organisation_id or s["organisation_id"],
        "language": "EN",
        **overrides,
    }
    return NetvisorKeys(**fields)


def client_for(erp, organisation_id=None, **kw) -> NetvisorClient:
    return NetvisorClient(erp.url, keys_for(erp, organisation_id), **kw)


def connection_for(erp) -> dict:
    s = erp.seeded
    return {
        "base_url": erp.url,
        "customer_id": s["user"]["customer_id"],
        "customer_key": s["user"]["customer_key"],
        "organisation_id": s["organisation_id"],
    }


def adapter_for(erp) -> NetvisorAdapter:
    return NetvisorAdapter(NetvisorConnection.from_dict(connection_for(erp)))
