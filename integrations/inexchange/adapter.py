"""Inexchange behind AutoCollect's adapter: it reads the company and the open invoices, and
nothing more, because that is all Inexchange's public API offers (erp-apis.md §4).

Invoices are the company's delivered outbound documents (POST documents/outbound/list, skip/take
until totalCount), each read as its Peppol BIS 3 file and parsed (integrations.inexchange.ubl).
A document that is not well-formed, breaks the UBL 2.1 schema or lacks what a case needs comes
as an ErpBadRecord with the reason and the file: the sync quarantines it and goes on.

There is no payment, credit-note, voucher or case-reference feature here: Inexchange reports
those to us through our partner API (collection.inexchange_api, our design), so the sync skips
them (callers ask `has(Feature...)`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cached_property

from django.conf import settings

from integrations.base import ErpBadRecord, ErpCompany, ErpInvoice
from integrations.errors import ErpAuthError, ErpMalformedResponse, ErpNotFound
from integrations.features import ErpAdapter, Feature
from integrations.inexchange import mapping, ubl
from integrations.inexchange.client import InexchangeClient, InexchangePartnerClient
from integrations.inexchange.connection import InexchangeConnection

PAYLOAD_LIMIT = 20000  # characters of a bad document kept with its quarantine row


def partner_client(base_url: str) -> InexchangePartnerClient:
    """Our partner client on the API at `base_url` (the key from the settings)."""
    if not settings.INEXCHANGE_PARTNER_API_KEY:
        raise ErpAuthError(
            "no Inexchange partner API key (INEXCHANGE_PARTNER_API_KEY in the environment)",
            erp="inexchange",
        )
    return InexchangePartnerClient(base_url, settings.INEXCHANGE_PARTNER_API_KEY)


class InexchangeAdapter(ErpAdapter):
    slug = "inexchange"
    label = "Inexchange"
    connection_type = InexchangeConnection
    features = frozenset({Feature.READ_COMPANY, Feature.LIST_OPEN_INVOICES})
    connection: InexchangeConnection

    @cached_property
    def client(self) -> InexchangeClient:
        conn = self.connection
        return InexchangeClient(
            conn.base_url, partner_client(conn.base_url), conn.erp_id, page_size=conn.page_size
        )

    def fetch_company(self) -> ErpCompany:
        return mapping.company_from_json(self.client.company_details())

    def list_open_invoices(self, *, as_of: dt.date) -> Iterator[ErpInvoice | ErpBadRecord]:
        """Delivered invoices, each once (a document listed again on a later page, because the
        list moved under the skip, is read once)."""
        seen: set[str] = set()
        for row in self.client.outbound_documents(documentType="Invoice"):
            erp_id = mapping.document_id(row)
            if erp_id in seen:
                continue
            seen.add(erp_id)
            if not isinstance(row, dict) or not mapping.is_invoice(row):
                continue
            if mapping.document_status(row) not in mapping.DELIVERED:
                continue
            record = self._read(row)
            if isinstance(record, ErpInvoice) and (
                record.is_credit_note or record.outstanding <= 0
            ):
                continue
            yield record

    def get_invoice(self, erp_id: str) -> ErpInvoice:
        row = self.client.document_status(erp_id)
        record = self._read(row)
        if isinstance(record, ErpBadRecord):
            raise ErpMalformedResponse(record.reason, erp="inexchange", detail=record.payload)
        return record

    def _read(self, row: dict) -> ErpInvoice | ErpBadRecord:
        erp_id = mapping.document_id(row)
        try:
            content = self.client.document_content(erp_id)
        except ErpNotFound as exc:
            return ErpBadRecord("invoice", erp_id, f"its file is missing ({exc})")
        try:
            return mapping.invoice_from_document(row, ubl.invoice_parse(content))
        except ErpMalformedResponse as exc:
            text = content.decode("utf-8", "replace")[:PAYLOAD_LIMIT]
            return ErpBadRecord("invoice", erp_id, str(exc), text)
