"""HTTP client for the Tripletex API v2 (https://tripletex.no/v2), one session per client object.

Auth: PUT /token/session/:create with the consumer and employee tokens gives a session token;
every other call sends HTTP Basic "<company_id>:<session token>". Company id 0 is the employee's
own company; any other id is an accountant client from GET /company/>withLoginAccess.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

import requests

from integrations.errors import ErpAuthError, ErpError, ErpMalformedResponse, ErpNotFound
from integrations.http import DEFAULT_TIMEOUT, ErpHttpClient, _seconds
from integrations.tripletex import jsonutil

SESSION_CREATE = "/token/session/:create"
CUSTOMER_FIELDS = "*,postalAddress(*,country(*)),physicalAddress(*,country(*)),category1(*)"
INVOICE_FIELDS = f"*,customer({CUSTOMER_FIELDS}),currency(*)"
INVOICE_WITH_POSTINGS_FIELDS = f"{INVOICE_FIELDS},postings(*)"
COMPANY_FIELDS = "*,address(*,country(*))"
PAGE_SIZE = 1000

# Session tokens shared by every client in this process for the same keys: each task builds its
# own adapter, and a new session per task would double the calls against the rate limit.
_SESSIONS: dict[tuple[str, str, str], str] = {}
_SESSIONS_LOCK = threading.Lock()


class TripletexClient(ErpHttpClient):
    erp_name = "tripletex"

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
    ):
        super().__init__(base_url, timeout=timeout, session=session)
        self.consumer_token = consumer_token
        self.employee_token = employee_token
        self.company_id = int(company_id or 0)
        self.page_size = page_size
        self.session_days = session_days
        self._token: str | None = None
        self._token_lock = threading.Lock()
        self._account_ids: dict[int, int] = {}

    # --- session and auth -------------------------------------------------------------------

    def create_session(self) -> str:
        expires = dt.date.today() + dt.timedelta(days=self.session_days)
        params = {
            "consumerToken": self.consumer_token,
            "employeeToken": self.employee_token,
            "expirationDate": expires.isoformat(),
        }
        body = self.json("PUT", SESSION_CREATE, params=params)
        token = _value(body, "PUT " + SESSION_CREATE).get("token")
        if not isinstance(token, str) or not token:
            raise ErpMalformedResponse("session answer has no value.token", erp=self.erp_name)
        self._token = token
        with _SESSIONS_LOCK:
            _SESSIONS[self._session_key] = token
        return token

    @property
    def _session_key(self) -> tuple[str, str, str]:
        return (self.base_url, self.consumer_token, self.employee_token)

    def _adopt_cached_session(self) -> None:
        with self._token_lock, _SESSIONS_LOCK:
            if self._token is None:
                self._token = _SESSIONS.get(self._session_key)

    def _session_token(self) -> str:
        self._adopt_cached_session()
        with self._token_lock:
            return self._token or self.create_session()

    def _forget_session(self) -> None:
        with _SESSIONS_LOCK:
            if _SESSIONS.get(self._session_key) == self._token:
                del _SESSIONS[self._session_key]
        self._token = None

    def prepare(self, method: str, url: str, kwargs: dict[str, Any]) -> None:
        if SESSION_CREATE in url:
            return
        kwargs["auth"] = (str(self.company_id), self._session_token())

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        if SESSION_CREATE in path:
            return super().request(method, path, **kwargs)
        self._adopt_cached_session()
        had_session = self._token is not None
        try:
            return super().request(method, path, **dict(kwargs))
        except ErpAuthError as exc:
            # An expired or revoked session answers 401: make a new one, once. A session made
            # for this very call that is refused means the credentials themselves are wrong.
            if exc.status != 401 or not had_session:
                raise
            self._forget_session()
            return super().request(method, path, **dict(kwargs))

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

    def error_for(self, response: requests.Response, method: str, path: str) -> ErpError:
        error = super().error_for(response, method, path)
        if response.status_code == 429 and getattr(error, "retry_after", 0) is None:
            # Tripletex documents X-Rate-Limit-Reset (seconds left in the period), not Retry-After.
            error.retry_after = _seconds(response.headers.get("X-Rate-Limit-Reset"))
        return error

    def json(self, method: str, path: str, **kwargs) -> Any:
        if "json" in kwargs:
            kwargs["data"] = jsonutil.dumps(kwargs.pop("json")).encode("utf-8")
            kwargs.setdefault("headers", {})["Content-Type"] = "application/json; charset=utf-8"
        response = self.request(method, path, **kwargs)
        try:
            return jsonutil.loads(response.content)
        except ValueError as exc:
            raise ErpMalformedResponse(
                f"{method} {path} did not answer JSON ({exc})",
                erp=self.erp_name,
                status=response.status_code,
                detail=response.text[:2000],
            ) from exc

    def get_value(self, path: str, params: dict | None = None) -> dict:
        return _value(self.json("GET", path, params=params), f"GET {path}")

    def iter_list(self, path: str, params: dict | None = None, *, page_size: int | None = None):
        """Yield every row of a list endpoint, paging with from/count. Stops on the first short
        page: fullResultSize is deprecated and not exact."""
        count = page_size or self.page_size
        start = 0
        while True:
            body = self.json("GET", path, params={**(params or {}), "from": start, "count": count})
            values = body.get("values") if isinstance(body, dict) else None
            if not isinstance(values, list):
                raise ErpMalformedResponse(
                    f"GET {path}: list answer has no values array", erp=self.erp_name
                )
            yield from values
            if len(values) < count:
                return
            start += len(values)

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
