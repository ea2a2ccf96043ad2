"""The Visma.net emulator's test hooks (seeding and reading its state from a test or the demo),
each under the emulator's lock: a mixin of integrations.visma.emulator.app.VismaEmulator."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from integrations.visma.emulator.shapes import invoice_dto, journal_dto


def _locked(name: str):
    def method(self, *args, **kwargs):
        with self.lock:
            return getattr(self.state, name)(*args, **kwargs)

    method.__name__ = name
    return method


class VismaTestHooks:
    add_client = _locked("add_client")
    add_user = _locked("add_user")
    grant = _locked("grant")

    def company(self, tenant_id: str):
        return self.state.companies[tenant_id.lower()]

    def add_company(self, tenant_id: str, name: str, corporate_id: str, **kw):
        with self.lock:
            return self.state.add_company(tenant_id, name, corporate_id, **kw)

    def add_customer(self, tenant_id: str, name: str, corporate_id: str, **kw) -> dict:
        with self.lock:
            return self.state.add_customer(self.company(tenant_id), name, corporate_id, **kw)

    def add_invoice(self, tenant_id: str, customer: str, amount, **kw) -> dict:
        with self.lock:
            return self.state.add_invoice(self.company(tenant_id), customer, amount, **kw)

    def direct_payment(self, tenant_id: str, invoice: str, amount, date: dt.date) -> str:
        """A payment the creditor got directly, registered and released in Visma.net."""
        with self.lock:
            return self.state.direct_payment(self.company(tenant_id), invoice, amount, date)

    def credit_note(self, tenant_id: str, invoice: str, amount, date: dt.date) -> str:
        with self.lock:
            return self.state.credit_note(self.company(tenant_id), invoice, amount, date)

    def remove_invoice(self, tenant_id: str, number: str) -> None:
        """Closed in Visma.net (e.g. paid): no longer listed as Open."""
        with self.lock:
            record = self.state.invoice(self.company(tenant_id), number)
            record["status"] = "Closed"
            self.state.stamp(record)

    def invoice(self, tenant_id: str, number: str) -> dict:
        """The invoice as GET customerinvoice/{n}?expandApplications=true answers it."""
        with self.lock:
            company = self.company(tenant_id)
            dto = invoice_dto(company, self.state.invoice(company, number), True)
            return json.loads(self.render(dto), parse_float=Decimal)

    def journal_transactions(self, tenant_id: str) -> list[dict]:
        with self.lock:
            rows = [journal_dto(j) for j in self.company(tenant_id).journal.values()]
            return json.loads(self.render(rows), parse_float=Decimal)

    def expire_tokens(self) -> None:
        with self.lock:
            self.expire_credentials()
