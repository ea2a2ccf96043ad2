"""Inexchange (Swedish e-invoicing operator) behind AutoCollect's adapter.

What rests on Inexchange's public API as its clients use it (../shared/erp-apis.md §4): the
partner API key (`APIKey`) for company registration and client tokens per company `ErpId`, the
company's `ClientToken` for its own calls, the outbound document list paged with skip/take until
`totalCount`, a document's status, and the invoices themselves as Peppol BIS Billing 3.0 (UBL 2.1)
documents, parsed here with lxml (`ubl`) and checked against the vendored UBL 2.1 XSD
(`schema/`).

What is OUR DESIGN, not Inexchange's: Inexchange has no public API for payments, outstanding
amounts, credit notes, vouchers or a case number. So the direction is turned round: Inexchange
(as the operator whose users switched on "Påminnelse & Inkasso") calls OUR partner API
(collection/inexchange_api.py, published in our OpenAPI schema) to report a payment or a credit
note against an invoice and to read our case reference and status. Also our design, marked
UNCONFIRMED where it is used: `GET documents/{id}` for a document's content (the URI that
`POST documents` answers in `Location`) and `GET companies/details` for the company's data.

Also OUR DESIGN: the hand-off from the Inexchange Store to our activation (`handoff`). The guide
(seed 004) says only that switching on "Påminnelse & Inkasso" sends the user to the collector
with the company data; we take a 303 redirect carrying the company's ErpId and org number,
signed with HMAC-SHA256 under a secret shared with Inexchange, valid ten minutes and used once,
and then read the company ourselves with a client token for that ErpId. The emulator's Store
pages (`emulator.store`) sign it as we would have Inexchange do.
"""
