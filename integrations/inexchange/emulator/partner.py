"""Inexchange calling AutoCollect's partner API, as the emulator does it (our design: see
collection/inexchange_api.py and the published OpenAPI schema). Plain requests, no Django:

    api = emulator.partner_api("http://127.0.0.1:8000/api/partner/v1", key)
    api.report_payment("ac-42", document_id, payment_id="p-1", amount="500.00", ...)
    api.read_case("ac-42", document_id)     # kept in emulator.case_references[document_id]
"""

from __future__ import annotations

import datetime as dt

import requests

KEYWORD = "Partner-Key"


class PartnerApiError(Exception):
    def __init__(self, status: int, body):
        super().__init__(f"{status}: {body}")
        self.status, self.body = status, body


class PartnerApi:
    def __init__(self, base_url: str, key: str, emulator=None, *, timeout: float = 10.0):
        self.base_url, self.key, self.emulator = base_url.rstrip("/"), key, emulator
        self.timeout = timeout
        self.session = requests.Session()

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        response = self.session.request(
            method,
            f"{self.base_url}{path}",
            json=body,
            headers={"Authorization": f"{KEYWORD} {self.key}", "Accept": "application/json"},
            timeout=self.timeout,
        )
        try:
            answer = response.json()
        except ValueError:
            answer = response.text
        if response.status_code >= 400:
            raise PartnerApiError(response.status_code, answer)
        return answer

    @staticmethod
    def _path(erp_id: str, document_id: str, tail: str) -> str:
        return f"/companies/{erp_id}/documents/{document_id}/{tail}/"

    def read_case(self, erp_id: str, document_id: str) -> dict:
        """Our case on the invoice (reference, status, what is outstanding); kept beside the
        document in the emulator, as Inexchange shows it to its user."""
        answer = self._call("GET", self._path(erp_id, document_id, "case"))
        if self.emulator is not None:
            with self.emulator.lock:
                self.emulator.case_references[document_id] = answer
        return answer

    def report_payment(
        self,
        erp_id: str,
        document_id: str,
        *,
        payment_id: str,
        amount: str,
        currency: str,
        paid_on: dt.date,
    ) -> dict:
        """A payment the creditor received directly (matched in Inexchange's invoice list)."""
        body = {"id": payment_id, "amount": amount, "currency": currency, "paid_on": str(paid_on)}
        return self._call("POST", self._path(erp_id, document_id, "payments"), body)

    def report_credit_note(
        self,
        erp_id: str,
        document_id: str,
        *,
        credit_note_id: str,
        number: str,
        amount: str,
        currency: str,
        credited_on: dt.date,
    ) -> dict:
        """A credit note the creditor sent against the invoice through Inexchange."""
        body = {
            "id": credit_note_id,
            "number": number,
            "amount": amount,
            "currency": currency,
            "credited_on": str(credited_on),
        }
        return self._call("POST", self._path(erp_id, document_id, "credit-notes"), body)
