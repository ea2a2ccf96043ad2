"""Tripletex behind AutoCollect's ErpAdapter interface.

connection = {"base_url": "https://tripletex.no/v2", "employee_token": ...,
              "company_id": 0}   # 0 = the employee's own company, else an accountant client id
Optional keys: "lookback_days" (invoice window, default 1096), "page_size" (default 1000).
The consumer token is ours as Tripletex's integration partner, the same for every creditor: it
comes from settings.TRIPLETEX_CONSUMER_TOKEN, never from a creditor's stored connection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cached_property

from django.conf import settings

from integrations.base import (
    ErpAdapter,
    ErpBadRecord,
    ErpCompany,
    ErpInvoice,
    ErpPayment,
    SettlementVoucher,
    register,
)
from integrations.errors import ErpAuthError, ErpConflict, ErpMalformedResponse, ErpNotFound
from integrations.tripletex import jsonutil, mapping
from integrations.tripletex.client import (
    INVOICE_FIELDS,
    INVOICE_WITH_POSTINGS_FIELDS,
    PAGE_SIZE,
    TripletexClient,
)

DEFAULT_LOOKBACK_DAYS = 3 * 365 + 1
CASE_TYPE = "DEBT_COLLECTION"

# AutoCollect's case status (or a Tripletex message name) -> (VoucherStatus.status, .message).
STATUS_MAP = {
    "open": ("PROCESSING", "ONGOING"),
    "ongoing": ("PROCESSING", "ONGOING"),
    "paused": ("PROCESSING", "ONGOING"),
    "needs_approval": ("WAITING", "NEEDS_APPROVAL"),
    "paid": ("DONE", "SETTLED"),
    "settled": ("DONE", "SETTLED"),
    "closed": ("DONE", "SETTLED"),
    "withdrawn": ("DONE", "WITHDRAWN"),
    "credited": ("DONE", "WITHDRAWN"),
    "written_off": ("DONE", "WITHDRAWN"),
    "closed_unpaid": ("DONE", "WITHDRAWN"),
}


@register
class TripletexAdapter(ErpAdapter):
    slug = "tripletex"
    label = "Tripletex"
    capabilities = frozenset({"case_reference", "direct_payments", "vouchers", "accounting_firm"})

    @cached_property
    def client(self) -> TripletexClient:
        conn = self.connection or {}
        missing = [k for k in ("base_url", "employee_token") if not conn.get(k)]
        if not settings.TRIPLETEX_CONSUMER_TOKEN:
            missing.append("consumer_token (TRIPLETEX_CONSUMER_TOKEN in the environment)")
        if missing:
            raise ErpAuthError(
                f"the Tripletex connection lacks {', '.join(missing)}", erp="tripletex"
            )
        try:
            company_id = int(conn.get("company_id") or 0)
        except (TypeError, ValueError):
            raise ErpAuthError(
                f"company_id {conn.get('company_id')!r} is not a number", erp="tripletex"
            ) from None
        return TripletexClient(
            conn["base_url"],
            settings.TRIPLETEX_CONSUMER_TOKEN,
            conn["employee_token"],
            company_id,
            page_size=int(conn.get("page_size") or PAGE_SIZE),
        )

    def fetch_company(self) -> ErpCompany:
        me = self.client.who_am_i()
        company_id = me.get("companyId")
        if not isinstance(company_id, int):
            raise ErpMalformedResponse("whoAmI answer has no companyId", erp="tripletex")
        return mapping.company_from_json(self.client.get_company(company_id))

    def list_client_companies(self) -> list[ErpCompany]:
        """The accountant clients this key reaches; each `erp_id` is the company_id to connect."""
        return [mapping.company_from_json(c) for c in self.client.with_login_access()]

    def list_open_invoices(self, *, as_of: dt.date) -> Iterator[ErpInvoice | ErpBadRecord]:
        # /invoice cannot filter on due date or outstanding: read a wide window and filter here.
        lookback = int(self.connection.get("lookback_days") or DEFAULT_LOOKBACK_DAYS)
        rows = self.client.list_invoices(
            as_of - dt.timedelta(days=lookback), as_of + dt.timedelta(days=1), INVOICE_FIELDS
        )
        for row in rows:
            try:
                invoice = mapping.invoice_from_json(row)
            except ErpMalformedResponse as exc:
                # One unreadable record: the others still count (a broken page still raises).
                yield ErpBadRecord("invoice", mapping.record_id(row), str(exc), _json_text(row))
                continue
            if invoice.is_credit_note or invoice.outstanding <= 0:
                continue
            yield invoice

    def get_invoice(self, erp_id: str) -> ErpInvoice:
        return mapping.invoice_from_json(self.client.get_invoice(_int_id(erp_id), INVOICE_FIELDS))

    def list_direct_payments(self, invoice: ErpInvoice) -> list[ErpPayment]:
        data = self.client.get_invoice(_int_id(invoice.erp_id), INVOICE_WITH_POSTINGS_FIELDS)
        return mapping.payments_from_invoice_json(data)

    def write_case_reference(
        self, *, invoice_erp_id: str, voucher_id: str, case_number: str, status: str, url: str = ""
    ) -> None:
        try:
            state, message = STATUS_MAP[status.lower()]
        except KeyError:
            raise ValueError(f"no Tripletex voucher status for case status {status!r}") from None
        if not voucher_id:
            voucher_id = self.get_invoice(invoice_erp_id).voucher_id
            if not voucher_id:
                raise ErpMalformedResponse(
                    f"invoice {invoice_erp_id}: voucher missing", erp="tripletex"
                )
        voucher = _int_id(voucher_id)
        # Idempotent: skip when the newest collection status on the voucher already says this.
        existing = self.client.list_voucher_status([voucher], type=CASE_TYPE)
        mine = [s for s in existing if (s.get("voucher") or {}).get("id") == voucher]
        if mine:
            latest = max(mine, key=lambda s: (str(s.get("timestamp") or ""), s.get("id") or 0))
            if (
                latest.get("referenceNumber") == case_number
                and latest.get("message") == message
                and latest.get("status") == state
            ):
                return
        body = {
            "voucher": {"id": voucher},
            "type": CASE_TYPE,
            "status": state,
            "message": message,
            "referenceNumber": case_number,
        }
        if url:
            body["externalObjectUrl"] = url
        self.client.post_voucher_status(body)

    def find_settlement_voucher(self, external_number: str) -> str | None:
        found = self.client.find_voucher_by_external_number(external_number)
        return str(found["id"]) if found else None

    def post_settlement_voucher(self, voucher: SettlementVoucher) -> str:
        found = self.find_settlement_voucher(voucher.external_number)
        if found:
            return found
        numbers = sorted({line.account_number for line in voucher.lines})
        account_ids = {n: self.client.ledger_account_id(n) for n in numbers}
        body = mapping.voucher_to_json(voucher, account_ids)
        try:
            posted = self.client.post_voucher(body)
        except ErpConflict:
            # Posted concurrently (or the first answer was lost): the ERP has it, return that one.
            found = self.client.find_voucher_by_external_number(voucher.external_number)
            if not found:
                raise
            return str(found["id"])
        if not isinstance(posted.get("id"), int):
            raise ErpMalformedResponse("posted voucher has no id", erp="tripletex")
        return str(posted["id"])


def _json_text(data) -> str:
    try:
        return jsonutil.dumps(data)
    except (TypeError, ValueError):
        return repr(data)


def _int_id(erp_id: str) -> int:
    try:
        return int(erp_id)
    except (TypeError, ValueError):
        raise ErpNotFound(f"{erp_id!r} is not a Tripletex id", erp="tripletex") from None
