"""Visma.net ERP (Financials REST API on https://api.finance.visma.net/v1, Visma Connect).

`client` speaks the API on the shared HTTP base, `mapping` turns its DTOs into the platform's
plain records, `adapter` offers them by feature, `emulator` plays Visma.net and Visma Connect in
tests and the demo. Sources: ../shared/erp-apis.md section 2 (VN-OAS = api-evangelist/visma
openapi/*.yml; ON-IT/Visma.Net for the error body and scopes).

Decisions where the sources are UNCONFIRMED (erp-apis.md section 6):

- Scopes: ON-IT's `vismanet_erp_service_api:create/delete/read/update` (the docs show only a
  placeholder). Our client id and secret are ours as Visma's integration partner, the same for
  every creditor (settings.VISMA_CLIENT_ID / VISMA_CLIENT_SECRET); a creditor's connection holds
  its company tenant id only.
- `ipp-company-id` is not sent: on the new host the token's tenant picks the company.
- The customer-tenant-id pitfall: a token is issued, then every call answers 401. A 401 on a
  token made for that very call is reported as `VismaTenantRefused`, whose message tells the
  user to use the Company tenant id (Visma Admin > Company > Configuration > Tenant id).
- Case write-back: `PUT customerinvoice/{n}` on the released (Open) invoice with
  debtCollectionCaseNbr/Status/Type/Url, each `{"value": ...}`, `If-Match` with the ETag of the
  GET; a 412 is answered by reading again once. caseType is "DebtCollection"; caseStatus is one
  of Ongoing, Paid, Credited, Withdrawn, WrittenOff, Closed (casestatus.py).
- `paymentReference` is taken as the Swedish OCR / Norwegian KID.
- Error bodies (400, 401, 404, 412, 429, 5xx): `{"message": ...}` plus ON-IT's ExceptionType,
  ExceptionMessage, ExceptionMessageID, ExceptionFaultCode, ExceptionDetails; the client reads
  `message`, else `ExceptionMessage`, else the raw text.
- 429: Retry-After, else X-RateLimit-Reset (seconds to the window's end). The budget (15 000
  calls an hour per company and client, the 2021 figure; not published now) is spaced by our
  token bucket (4/s, burst 40) per process, and X-RateLimit-Remaining is read as counting all
  our processes together: once an answer says 0 is left, no call goes out before the reset
  (waited for when within the retry's 60 s, else ErpRateLimited with the wait, for the task).
- Direct payments and credit notes are the invoice's `applications` (expandApplications=true,
  ArAdjustDto): docType Payment/Prepayment -> payment, CreditNote -> credit note; the id is
  "<docType>:<refNbr>:<invoice>" (a payment may be applied to several invoices).
- Settlement vouchers: `POST /v2/journaltransaction` (201, the batch number in `Location`), then
  `POST /v2/journaltransaction/{batch}/action/release`. Our external number goes in the
  transaction's `description` ("AutoCollect <number>: ...") and every line's `referenceNumber`;
  a second post first looks for it with `GET /v1/journaltransaction` (created in the last
  `voucher_lookback_days`), so it posts once. A general-ledger transaction does not apply to
  the invoice in the customer ledger: the invoice's balance in Visma.net is left alone, so our
  own settlement never shows as a direct payment.
- The company: `GET /v1/company` is not in the researched tags; the company is read from
  `GET /v1/companysettings` (name, organisation number, address, as the emulator gives them).
- Consumers: a customer whose corporateId is a Swedish personal identity number (third digit
  0 or 1; organisation numbers have 2 or more) or whose class is named in the connection's
  `consumer_classes` is a private person.
- Customer classes: `customer_class` on our records is the Visma class id (e.g. "PRIVAT").
- Invoice listing: `status=Open`, `documentDueDate=<as_of>&documentDueDateCondition=<`: only
  overdue invoices; a case's invoice no longer listed is read on its own by the sync. Paging by
  pageNumber/pageSize, counted against `metadata.totalCount` (a capped pageSize gives shorter
  pages; the count, not a short page, ends the listing).
"""
