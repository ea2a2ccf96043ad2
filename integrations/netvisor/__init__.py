"""Netvisor (Visma's Finnish ERP; XML API, `.nv` resources), end to end on the integration platform.

- `auth`: the MAC header on every request (HMACSHA256 over the final URL with its query string;
  SHA256 and the legacy MD5 too), a new transaction id per try, the organisation header that
  picks the company an (accounting firm's) user key reaches;
- `xmlcodec`: lxml in and out, ISO-8859-15 bodies, decimal commas and points, localised booleans;
- `envelope`: a FAILED envelope (in a 200 or with an HTTP status) as the platform's typed error
  by its category;
- `client`: the resources, `invoicesabovenetvisorkey` paging of 500-row pages, one request at a
  time per company, the 120 s read timeout;
- `mapping`, `adapter`: the plain records, the guide's transfer rules, write-backs, vouchers;
- `emulator`: the resources on the emulator kit, in the shapes of `reference/*.xml`.

Decisions on the points erp-apis.md leaves UNCONFIRMED:

1. **How a transfer reaches us.** Netvisor's transfer material to a collection service is not a
   public API. Our design: the creditor transfers an invoice in Netvisor ("Process overdue" ->
   "Transfer to the collection service", reminder or collection); the material is read by us
   with the same signed request as every other call, from `collectiontransferlist.nv` (rows
   `CollectionTransfer{TransferKey, TransferType reminder|collection, SalesInvoiceNetvisorKey,
   TransferDate}`), and acknowledged (POST `?acknowledge=<TransferKey>`) once taken or refused,
   so it is read once. The material is never trusted alone: every transfer is checked against
   the invoice as `getsalesinvoice.nv` and `salesinvoicelist.nv` show it now. Swapping in the
   real channel (an operator's delivery, a push to us) changes `client.collection_transfers` and
   `acknowledge_transfer` only.
2. **Which status says "with the collection agency".** `requested` while our case runs,
   `collected` when it ended paid or credited, `overdue` when the creditor has the claim back
   (adapter.STATUS). The case number goes into the processing history with
   `salesinvoicecomment.nv`, once (the history is read first).
3. **HTTP status codes with UseHTTPResponseStatusCodes=1.** We send the header; the envelope's
   category decides the error whatever the status (client.error_for). The emulator answers
   AUTHENTICATION_FAILED 401, SERVICE_ACCESS_ERROR 403, INVALID_DATA(_SIZE)/PERIOD_LOCK 400,
   DUPLICATE_DATA/REQUEST_NOT_UNIQUE 409, SYSTEM_MAINTANANCE 503, TECHNICAL_ERROR 500.
   Categories -> errors: auth and service access -> ErpAuthError; invalid data, size, period
   lock -> ErpRejected; duplicate data, request not unique -> ErpConflict; maintenance and
   technical errors -> ErpUnavailable (retried with back-off when the call is safe).
4. **Rate limits.** None documented: no client-side bucket; one request at a time per company
   (a lock per base URL and organisation id in the process).
5. **SHA256 field order.** The nine fields in the order of the published clients; their legacy
   MD5 test vector (same order) is reproduced in our tests, which fixes the order.
6. **Tag case** of getsalesinvoice elements: as the fixtures and the VRTFinland mock write them
   (`InvoicingCustomerOrganisationIdentifier`, `InvoicingCustomerInCollectionProhibitation`).
7. **Separate interest invoices**: known by their lines: every product line is an interest
   product (KORKO / Viivästyskorko / Interest). Never imported.
8. **Payment sources** in `salespaymentlist.nv` (`PaymentSource`): `collectionagency` ("payment
   is settlement from collection agency" ticked: ours, skipped), `creditloss` (not reported, as
   the guide says), `creditnote` (a credit invoice applied: a credit note on the case), anything
   else a payment the customer made to the creditor (manual without the tick, a matched reference
   payment): a direct payment. A negative sum corrects the latest earlier payment of that amount
   and reverses it on the case. On an invoice with "Match partial payments by default", a partial
   payment is an instalment of a payment plan: the case stays paused while they arrive.
9. **Currency**: the company's currency is EUR; any other invoice currency is refused with the
   guide's error.
"""
