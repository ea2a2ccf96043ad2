"""HTTP client for the Visma.net ERP API (https://api.finance.visma.net/v1), on the shared HTTP
base.

Auth: Visma Connect client credentials, one token per company tenant (`tenant_id` in the token
request), cached by the base until shortly before `expires_in` and renewed once on a 401. Lists
are bare JSON arrays paged by the mandatory pageNumber/pageSize, each DTO carrying
`metadata.totalCount`. Rate limit per company and client (X-RateLimit-*, 429 with Retry-After).
Errors come in ON-IT's body shape (`message`, `ExceptionMessage`, ...). See the package
docstring for the decisions taken where the API is not documented.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import requests

from integrations.errors import (
    ErpAuthError,
    ErpConflict,
    ErpError,
    ErpMalformedResponse,
    ErpRateLimited,
    ErpRejected,
)
from integrations.http import (
    DEFAULT_TIMEOUT,
    ErpHttpClient,
    OAuth2ClientCredentials,
    RateLimit,
    RetryPolicy,
    ratelimit,
    seconds,
)
from integrations.visma.connection import PAGE_SIZE

ERP = "visma"
SCOPES = (
    "vismanet_erp_service_api:create vismanet_erp_service_api:delete "
    "vismanet_erp_service_api:read vismanet_erp_service_api:update"
)
RELEASED = ("Posted", "Unposted", "Released")
TENANT_HELP = (
    "use the Company tenant id, not the Customer tenant id "
    "(Visma Admin > Company > Configuration > Tenant id)"
)


class VismaTenantRefused(ErpAuthError):
    """Visma Connect gave a token for the tenant, but Visma.net refuses every call with it: the
    customer tenant id was given instead of the company's (doc "fix401error")."""


class VismaCredentialsRefused(ErpAuthError):
    """Visma Connect refused to give a token: our client, or the tenant's grant to it."""


def loads(text: str | bytes) -> Any:
    return json.loads(text, parse_float=Decimal)


def dumps(body) -> str:
    def default(value):
        if isinstance(value, Decimal):
            return float(value)
        raise TypeError(f"cannot write {type(value).__name__} as JSON")

    return json.dumps(body, default=default, ensure_ascii=False)


def wrap(**fields) -> dict:
    """An update DTO: every field as {"value": ...} (None fields left out)."""
    return {name: {"value": value} for name, value in fields.items() if value is not None}


class _ConnectToken(OAuth2ClientCredentials):
    def fetch(self):
        try:
            return super().fetch()
        except (ErpAuthError, ErpConflict) as exc:
            raise self._refused(exc) from None
        except ErpError as exc:
            if exc.status in (400, 403):  # invalid_client, invalid_grant, unauthorized_client
                raise self._refused(exc) from None
            raise

    def _refused(self, exc: ErpError) -> VismaCredentialsRefused:
        tenant = self.extra.get("tenant_id", "?")
        return VismaCredentialsRefused(
            f"Visma Connect gave no token for tenant {tenant} ({exc.args[0]}). Check that the "
            f"company's administrator granted AutoCollect access to it, and {TENANT_HELP}",
            erp=ERP,
            status=exc.status,
            detail=exc.detail,
        )


class PageCount:
    """pageNumber/pageSize (1-based), ended by metadata.totalCount: a pageSize over the API's
    maximum is capped, so a page shorter than asked is not the last one by itself. Without a
    count, a short (or empty) page ends it."""

    def __init__(self, size: int, observe: Callable[[int | None], None] | None = None):
        self.size, self.observe = size, observe

    def pages(self, fetch, rows) -> Iterator[list]:
        number, seen = 1, 0
        while True:
            page = rows(fetch({"pageNumber": number, "pageSize": self.size}))
            total = total_count(page)
            if self.observe:
                self.observe(total)
            yield page
            seen += len(page)
            if not page or (total is None and len(page) < self.size):
                return
            if total is not None and seen >= total:
                return
            number += 1


def total_count(page: list) -> int | None:
    meta = page[0].get("metadata") if page and isinstance(page[0], dict) else None
    count = meta.get("totalCount") if isinstance(meta, dict) else None
    return count if isinstance(count, int) and not isinstance(count, bool) else None


class VismaClient(ErpHttpClient):
    erp_name = ERP
    # "X requests per hour for each company and client combination", X not published; the
    # 2021 figure was 15 000 an hour: about 4 a second, in bursts. Beside this bucket (one
    # process's own calls), the X-RateLimit-Remaining/Reset of every answer stop each process
    # once the company's budget is spent by all of them (ratelimit.budget_*): bulk work (a
    # 10 000-case write-back, 2 calls a case) waits for a near reset in-process, or its task
    # comes back after it, instead of running into 429s.
    rate_limit = RateLimit(per_second=4, burst=40)
    retry = RetryPolicy(max_wait=60)

    def __init__(
        self,
        base_url: str,
        *,
        client_id: str,
        client_secret: str,
        tenant_id: str,
        token_url: str,
        page_size: int = PAGE_SIZE,
        timeout=DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimit | None = None,
    ):
        self.tenant_id = tenant_id
        self.page_size = page_size
        auth = _ConnectToken(
            token_url, client_id, client_secret, scope=SCOPES, extra={"tenant_id": tenant_id}
        )
        super().__init__(
            base_url.rstrip("/"),
            auth=auth,
            tenant=f"{client_id}:{tenant_id}",
            timeout=timeout,
            session=session,
            retry=retry,
            rate_limit=rate_limit,
        )

    # --- errors and JSON --------------------------------------------------------------------

    def error_reason(self, response: requests.Response) -> str:
        try:
            body = loads(response.text)
        except ValueError:
            body = None
        if isinstance(body, dict):
            text = next(
                (
                    str(body[k]).strip()
                    for k in ("message", "ExceptionMessage", "error_description", "error")
                    if body.get(k)
                ),
                "",
            )
            if text:
                kind = body.get("ExceptionType") or ""
                return f"{text} ({kind})" if kind else text
        return response.text[:300] or response.reason or "no body"

    def _send(self, prepared, method, path, attempt, timeout) -> requests.Response:
        wait = ratelimit.budget_wait(ERP, self.tenant)
        if wait > self.retry.max_wait:
            # Spent until long after: the task comes back then (collection.tasks), no call made.
            raise ErpRateLimited(
                f"the company's call budget is spent for {wait:.0f} s (X-RateLimit-Remaining 0)",
                retry_after=wait,
                erp=ERP,
                status=429,
            )
        if wait > 0:
            self.sleep(wait)
        response = super()._send(prepared, method, path, attempt, timeout)
        ratelimit.budget_note(
            ERP,
            self.tenant,
            response.headers.get("X-RateLimit-Remaining"),
            seconds(response.headers.get("X-RateLimit-Reset")),
        )
        return response

    def rate_limit_reset(self, response: requests.Response) -> float | None:
        found = super().rate_limit_reset(response)
        return found if found is not None else seconds(response.headers.get("X-RateLimit-Reset"))

    def request(self, method: str, path: str, *, authenticate: bool = True, **kwargs):
        try:
            return super().request(method, path, authenticate=authenticate, **kwargs)
        except VismaCredentialsRefused:
            raise
        except ErpAuthError as exc:
            if not authenticate or exc.status != 401:
                raise
            # The base renews a refused token once; a fresh token refused as well is the
            # tenant's doing: the customer tenant authenticates, then 401 on every call.
            raise VismaTenantRefused(
                f"Visma.net gave a token for tenant {self.tenant_id} but refuses every call "
                f"with it (401 on {method} {self.loggable(path)}): {TENANT_HELP}",
                erp=ERP,
                status=401,
                detail=exc.detail,
            ) from None

    def decode(self, response: requests.Response) -> Any:
        return loads(response.content)

    def send_json(self, method: str, path: str, body, **kwargs) -> requests.Response:
        headers = {"Content-Type": "application/json; charset=utf-8", **kwargs.pop("headers", {})}
        return self.request(
            method, path, data=dumps(body).encode("utf-8"), headers=headers, **kwargs
        )

    def get_object(self, path: str, params: dict | None = None) -> tuple[dict, str]:
        """A single DTO and its ETag."""
        response = self.request("GET", path, params=params)
        try:
            body = self.decode(response)
        except ValueError as exc:
            raise ErpMalformedResponse(
                f"GET {self.loggable(path)} did not answer JSON ({exc})",
                erp=ERP,
                detail=response.text[:2000],
            ) from exc
        if not isinstance(body, dict):
            raise ErpMalformedResponse(f"GET {path}: answer is not an object", erp=ERP)
        return body, response.headers.get("ETag", "")

    def iter_list(
        self,
        path: str,
        params: dict | None = None,
        *,
        page_size: int | None = None,
        observe: Callable[[int | None], None] | None = None,
    ) -> Iterator[dict]:
        """Every row of a list endpoint, a page at a time."""

        def rows(body) -> list:
            if not isinstance(body, list):
                raise ErpMalformedResponse(f"GET {path}: list answer is not an array", erp=ERP)
            return body

        paging = PageCount(page_size or self.page_size, observe)
        for page in self.iter_pages(path, params, paging=paging, rows=rows):
            yield from page

    # --- endpoints --------------------------------------------------------------------------

    def company_settings(self) -> dict:
        return self.get_object("/v1/companysettings")[0]

    def list_open_invoices(
        self, due_before: dt.date, observe: Callable | None = None, **filters
    ) -> Iterator[dict]:
        params = {
            "status": "Open",
            "documentDueDate": due_before.isoformat(),
            "documentDueDateCondition": "<",
            **filters,
        }
        return self.iter_list("/v1/customerinvoice", params, observe=observe)

    def get_invoice(self, number: str, *, applications: bool = False) -> tuple[dict, str]:
        params = {"expandApplications": "true"} if applications else None
        return self.get_object(f"/v1/customerinvoice/{number}", params)

    def update_invoice(self, number: str, body: dict, etag: str = "") -> requests.Response:
        """PUT customerinvoice/{n} (204); with the ETag as If-Match: 412 if it moved."""
        headers = {"If-Match": etag} if etag else {}
        return self.send_json(
            "PUT", f"/v1/customerinvoice/{number}", body, headers=headers, idempotent=True
        )

    def list_customers(self, **filters) -> Iterator[dict]:
        return self.iter_list("/v1/customer", filters)

    def get_customer(self, number: str) -> dict:
        return self.get_object(f"/v1/customer/{number}")[0]

    def customer_classes(self) -> list[dict]:
        body = self.json("GET", "/v1/customer/customerClass")
        if not isinstance(body, list):
            raise ErpMalformedResponse("GET /v1/customer/customerClass: not an array", erp=ERP)
        return body

    def list_credit_notes(self, **filters) -> Iterator[dict]:
        return self.iter_list("/v1/customerCreditNote", filters)

    def list_payments(self, **filters) -> Iterator[dict]:
        """GET customerpayment: filters customer, invoiceRefNbr, paymentType, ..."""
        return self.iter_list("/v1/customerpayment", filters)

    def create_payment(self, body: dict) -> str:
        """POST customerpayment (201, the number in Location), then its release action."""
        response = self.send_json("POST", "/v1/customerpayment", body)
        number = _location_key(response, "customerpayment")
        self.request("POST", f"/v1/customerpayment/{number}/action/release", json={})
        return number

    def create_journal_transaction(self, body: dict) -> str:
        """POST /v2/journaltransaction (201, the batch number in Location)."""
        response = self.send_json("POST", "/v2/journaltransaction", body)
        return _location_key(response, "journaltransaction")

    def release_journal_transaction(self, batch: str) -> None:
        """Release the batch (tried again on a lost answer); one released already is fine."""
        try:
            self.request(
                "POST", f"/v2/journaltransaction/{batch}/action/release", json={}, idempotent=True
            )
        except ErpRejected:
            found, _ = self.get_object(f"/v1/journaltransaction/{batch}")
            if found.get("status") not in RELEASED:
                raise

    def list_journal_transactions(self, created_from: dt.date) -> Iterator[dict]:
        params = {
            "createdDateTime": created_from.isoformat(),
            "createdDateTimeCondition": ">=",
        }
        return self.iter_list("/v1/journaltransaction", params)


def _location_key(response: requests.Response, resource: str) -> str:
    """The new record's key from the Location header (old or new base: the last segment)."""
    location = response.headers.get("Location", "")
    key = location.rstrip("/").rsplit("/", 1)[-1] if resource in location.lower() else ""
    if not key:
        raise ErpMalformedResponse(
            f"POST {resource} answered {response.status_code} without a Location", erp=ERP
        )
    return key
