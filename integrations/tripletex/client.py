"""HTTP client for the Tripletex API v2 (https://tripletex.no/v2), on the shared HTTP base.

Auth (integrations.http.SessionTokenAuth): PUT /token/session/:create with the consumer and
employee tokens gives a session token, shared by the process's clients for the same keys; every
other call sends HTTP Basic "<company_id>:<session token>". Company id 0 is the employee's own
company; any other id is an accountant client from GET /company/>withLoginAccess. Lists page by
from/count; retries, the rate limit per employee token and the log line come from the base.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

import requests

from integrations.errors import ErpMalformedResponse, ErpNotFound
from integrations.http import (
    DEFAULT_TIMEOUT,
    ErpHttpClient,
    OffsetPaging,
    RateLimit,
    RetryPolicy,
    SessionTokenAuth,
    basic,
    credential_key,
    seconds,
)
from integrations.tripletex import jsonutil
from integrations.tripletex.connection import PAGE_SIZE

SESSION_CREATE = "/token/session/:create"
CUSTOMER_FIELDS = "*,postalAddress(*,country(*)),physicalAddress(*,country(*)),category1(*)"
INVOICE_FIELDS = f"*,customer({CUSTOMER_FIELDS}),currency(*)"
# Each posting's voucher with the accounts it books on: a write-off against the loss account is
# told from a payment (seed 001: such postings are not reported to us).
INVOICE_WITH_POSTINGS_FIELDS = f"{INVOICE_FIELDS},postings(*,voucher(id,postings(account(number))))"
# The list call asks only for what mapping.invoice_from_json reads: it is nearly all of a
# sync's traffic (with `*` an invoice was 2.9 kB of JSON, with these about 0.7 kB).
_ADDRESS = "addressLine1,addressLine2,postalCode,city,country(isoAlpha2Code)"
INVOICE_LIST_FIELDS = (
    "id,invoiceNumber,invoiceDate,invoiceDueDate,amountCurrency,amountCurrencyOutstanding,"
    "comment,invoiceComment,kid,isCreditNote,creditedInvoice,voucher(id),currency(code),"
    "customer(id,customerNumber,name,organizationNumber,isPrivateIndividual,invoiceEmail,email,"
    f"phoneNumber,phoneNumberMobile,language,postalAddress({_ADDRESS}),physicalAddress({_ADDRESS}),"
    "category1(name,number))"
)
COMPANY_FIELDS = "*,address(*,country(*))"


class TripletexClient(ErpHttpClient):
    erp_name = "tripletex"
    # Counted per employee and API consumer; measured at about 100 calls per rolling 10 s, after
    # which every call answers 429 for the rest of the period (erp-apis.md 1.5).
    rate_limit = RateLimit(per_second=9, burst=90)
    retry = RetryPolicy(max_wait=15)  # X-Rate-Limit-Reset is at most the 10 s period
    secret_path = re.compile(r"(?<=/token/session/)(?![:>%])[^/?]+")

    def __init__(
        self,
        base_url: str,
        consumer_token: str,
        employee_token: str,
        company_id: int = 0,
        *,
        timeout=DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        page_size: int = PAGE_SIZE,
        session_days: int = 1,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimit | None = None,
    ):
        self.consumer_token = consumer_token
        self.employee_token = employee_token
        self.company_id = int(company_id or 0)
        self.page_size = page_size
        self.session_days = session_days
        self._account_ids: dict[int, int] = {}
        keys = (base_url.rstrip("/"), consumer_token, employee_token)
        # One session for every client in the process with the same keys (any company: the
        # Basic username picks the accountant client), renewed when Tripletex refuses it.
        auth = SessionTokenAuth(
            self.create_session, basic(str(self.company_id)), key=credential_key(*keys)
        )
        super().__init__(
            base_url,
            auth=auth,
            tenant=credential_key(*keys)[:16],
            timeout=timeout,
            session=session,
            retry=retry,
            rate_limit=rate_limit,
        )

    # --- session ----------------------------------------------------------------------------

    def create_session(self) -> str:
        expires = dt.date.today() + dt.timedelta(days=self.session_days)
        params = {
            "consumerToken": self.consumer_token,
            "employeeToken": self.employee_token,
            "expirationDate": expires.isoformat(),
        }
        body = self.json("PUT", SESSION_CREATE, params=params, authenticate=False, idempotent=True)
        token = _value(body, "PUT " + SESSION_CREATE).get("token")
        if not isinstance(token, str) or not token:
            raise ErpMalformedResponse("session answer has no value.token", erp=self.erp_name)
        return token

    # --- errors and JSON --------------------------------------------------------------------

    def error_reason(self, response: requests.Response) -> str:
        """A sentence from Tripletex's ApiError body, falling back to the raw text."""
        try:
            body = jsonutil.loads(response.text)
        except ValueError:
            body = None
        if not isinstance(body, dict) or not ({"message", "code"} & body.keys()):
            return response.text[:300] or response.reason or "no body"
        parts = [str(body.get("message") or "").strip() or "error"]
        developer = str(body.get("developerMessage") or "").strip()
        if developer and developer not in parts[0]:
            parts[0] += f" ({developer})"
        problems = [
            f"{m.get('field') or '?'}: {m.get('message') or ''}".strip()
            for m in body.get("validationMessages") or []
            if isinstance(m, dict)
        ]
        if problems:
            parts.append("; ".join(problems))
        tail = []
        if body.get("code"):
            tail.append(f"code {body['code']}")
        request_id = body.get("requestId") or response.headers.get("x-tlx-request-id")
        if request_id:
            tail.append(f"request {request_id}")
        text = ": ".join(parts)
        return f"{text} [{', '.join(tail)}]" if tail else text

    def rate_limit_reset(self, response: requests.Response) -> float | None:
        # Tripletex documents X-Rate-Limit-Reset (seconds left in the period); whether a 429
        # also carries Retry-After is unconfirmed, so either will do.
        found = super().rate_limit_reset(response)
        return found if found is not None else seconds(response.headers.get("X-Rate-Limit-Reset"))

    def decode(self, response: requests.Response) -> Any:
        return jsonutil.loads(response.content)  # amounts as Decimal

    def json(self, method: str, path: str, **kwargs) -> Any:
        if "json" in kwargs:
            kwargs["data"] = jsonutil.dumps(kwargs.pop("json")).encode("utf-8")
            kwargs.setdefault("headers", {})["Content-Type"] = "application/json; charset=utf-8"
        return super().json(method, path, **kwargs)

    def get_value(self, path: str, params: dict | None = None) -> dict:
        return _value(self.json("GET", path, params=params), f"GET {path}")

    def iter_pages(self, path: str, params: dict | None = None, *, page_size: int | None = None):
        """Every page of a list endpoint (from/count), one list of rows at a time. Stops on the
        first short page: fullResultSize is deprecated and not exact."""
        paging = OffsetPaging(size=page_size or self.page_size)

        def rows(body) -> list:
            values = body.get("values") if isinstance(body, dict) else None
            if not isinstance(values, list):
                raise ErpMalformedResponse(
                    f"GET {path}: list answer has no values array", erp=self.erp_name
                )
            return values

        return super().iter_pages(path, params, paging=paging, rows=rows)

    def iter_list(self, path: str, params: dict | None = None, *, page_size: int | None = None):
        """Every row of a list endpoint."""
        for page in self.iter_pages(path, params, page_size=page_size):
            yield from page

    # --- endpoints --------------------------------------------------------------------------

    def who_am_i(self) -> dict:
        return self.get_value("/token/session/>whoAmI", {"fields": "*,company(*)"})

    def get_company(self, company_id: int, fields: str = COMPANY_FIELDS) -> dict:
        return self.get_value(f"/company/{int(company_id)}", {"fields": fields})

    def with_login_access(self, fields: str = "*,address(*,country(*))") -> list[dict]:
        return list(self.iter_list("/company/>withLoginAccess", {"fields": fields}))

    def list_invoices(
        self, date_from: dt.date, date_to: dt.date, fields: str = INVOICE_FIELDS, **filters
    ) -> Iterator[dict]:
        """Charged outgoing invoices with invoiceDate in [date_from, date_to). Extra filters:
        id, invoiceNumber, kid, voucherId, customerId."""
        params = {
            "invoiceDateFrom": date_from.isoformat(),
            "invoiceDateTo": date_to.isoformat(),
            "fields": fields,
            **filters,
        }
        return self.iter_list("/invoice", params)

    def get_invoice(self, invoice_id: int, fields: str = INVOICE_FIELDS) -> dict:
        return self.get_value(f"/invoice/{int(invoice_id)}", {"fields": fields})

    def get_customer(self, customer_id: int, fields: str = CUSTOMER_FIELDS) -> dict:
        return self.get_value(f"/customer/{int(customer_id)}", {"fields": fields})

    def list_customers(self, fields: str = CUSTOMER_FIELDS, **filters) -> Iterator[dict]:
        """Filters as the API names them: organizationNumber, customerName, changedSince, ..."""
        return self.iter_list("/customer", {"fields": fields, **filters})

    def payment_types(self) -> list[dict]:
        return list(self.iter_list("/invoice/paymentType", {"fields": "*"}))

    def register_payment(
        self,
        invoice_id: int,
        *,
        paid_on: dt.date,
        payment_type_id: int,
        amount: Decimal,
        amount_currency: Decimal | None = None,
    ) -> dict:
        """PUT /invoice/{id}/:payment; `amount` is in company currency (NOK)."""
        params = {
            "paymentDate": paid_on.isoformat(),
            "paymentTypeId": payment_type_id,
            "paidAmount": str(amount),
        }
        if amount_currency is not None:
            params["paidAmountCurrency"] = str(amount_currency)
        path = f"/invoice/{int(invoice_id)}/:payment"
        return _value(self.json("PUT", path, params=params), f"PUT {path}")

    def ledger_account_id(self, number: int) -> int:
        if number not in self._account_ids:
            rows = list(self.iter_list("/ledger/account", {"number": str(number), "fields": "id"}))
            if not rows or not isinstance(rows[0].get("id"), int):
                raise ErpNotFound(f"ledger account {number} does not exist", erp=self.erp_name)
            self._account_ids[number] = rows[0]["id"]
        return self._account_ids[number]

    def post_voucher(self, body: dict) -> dict:
        path = "/ledger/voucher"
        answer = self.json("POST", path, params={"sendToLedger": "true"}, json=body)
        return _value(answer, f"POST {path}")

    def find_voucher_by_external_number(self, number: str) -> dict | None:
        rows = self.iter_list(
            "/ledger/voucher/>externalVoucherNumber",
            {"externalVoucherNumber": number, "fields": "*"},
        )
        return next((row for row in rows if row.get("externalVoucherNumber") == number), None)

    def post_voucher_status(self, body: dict) -> dict:
        return _value(self.json("POST", "/voucherStatus", json=body), "POST /voucherStatus")

    def list_voucher_status(self, voucher_ids: Iterable[int], **filters) -> list[dict]:
        ids = ",".join(str(int(v)) for v in voucher_ids)
        return list(self.iter_list("/voucherStatus", {"voucherIds": ids, "fields": "*", **filters}))


def _value(body: Any, what: str) -> dict:
    value = body.get("value") if isinstance(body, dict) else None
    if not isinstance(value, dict):
        raise ErpMalformedResponse(f"{what}: answer has no value object", erp="tripletex")
    return value
