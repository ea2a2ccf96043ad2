"""HTTP clients for the Inexchange REST API (https://api.inexchange.com/v1/api/), on the shared
HTTP base (integrations.http).

- `InexchangePartnerClient`: our partner API key in the `APIKey` header, for the partner calls:
  `POST companies/register`, `POST clienttokens/create` (per company `ErpId`) and
  `POST clienttokens/revoke`.
- `InexchangeClient`: one company's calls with its `ClientToken` header. The token is created
  through the partner client on first use, cached in the process per (API, ErpId), and created
  anew once when Inexchange refuses it (401): a revoked or expired token heals itself.

Lists: `POST documents/outbound/list` pages by `skip`/`take` in the body and says `totalCount`;
reading stops when as many as `totalCount` have come (or a page comes empty). A 400 is
ASP.NET's `{"message", "modelState": {field: [problems]}}`: `InexchangeRejected` keeps both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import requests

from integrations.errors import ErpError, ErpMalformedResponse, ErpRejected
from integrations.http import (
    DEFAULT_TIMEOUT,
    ErpHttpClient,
    RetryPolicy,
    SessionTokenAuth,
    credential_key,
)

ERP = "inexchange"
TOKEN_DAYS = 1  # a client token's ValidTo: a day; a new one is created when refused


class InexchangeRejected(ErpRejected):
    """Inexchange's 400: the request's `message` and `model_state` ({field: [problems]})."""

    def __init__(self, message: str, *, model_state: dict[str, list[str]] | None = None, **kw):
        super().__init__(message, **kw)
        self.model_state = model_state or {}


def model_state_of(body: Any) -> tuple[str, dict[str, list[str]]] | None:
    """(message, modelState) of an ASP.NET error body, or None if it is not one."""
    if not isinstance(body, dict):
        return None
    lowered = {str(k).lower(): v for k, v in body.items()}
    message = lowered.get("message")
    if not isinstance(message, str):
        return None
    state = lowered.get("modelstate") or {}
    if not isinstance(state, dict):
        state = {}
    problems = {
        str(field): [str(p) for p in (v if isinstance(v, list) else [v])]
        for field, v in state.items()
    }
    return message, problems


class _InexchangeHttp(ErpHttpClient):
    erp_name = ERP
    retry = RetryPolicy(max_wait=30)

    def error_reason(self, response: requests.Response) -> str:
        try:
            found = model_state_of(response.json())
        except ValueError:
            found = None
        if found is None:
            return response.text[:300] or response.reason or "no body"
        message, state = found
        details = "; ".join(f"{f}: {' '.join(p)}" for f, p in state.items())
        return f"{message} ({details})" if details else message

    def error_for(self, response: requests.Response, method: str, path: str) -> ErpError:
        error = super().error_for(response, method, path)
        if response.status_code != 400:
            return error
        try:
            found = model_state_of(response.json())
        except ValueError:
            found = None
        message, state = found or ("", {})
        return (
            InexchangeRejected(
                error.args[0],
                model_state=state,
                erp=ERP,
                status=400,
                detail=error.detail,
            )
            if found
            else error
        )

    def post_json(self, path: str, body: dict, *, idempotent: bool = False, **kw) -> Any:
        return self.json("POST", path, json=body, idempotent=idempotent, **kw)


class InexchangePartnerClient(_InexchangeHttp):
    """Our partner API key, for the partner calls only."""

    def __init__(self, base_url: str, api_key: str, *, timeout=DEFAULT_TIMEOUT, session=None):
        from integrations.http import HeaderAuth

        super().__init__(
            base_url,
            auth=HeaderAuth({"APIKey": api_key}),
            tenant=credential_key(base_url, api_key)[:16],
            timeout=timeout,
            session=session,
        )

    def register_company(self, company: dict) -> dict:
        """POST companies/register: ErpId, Name, OrgNo, CountryCode, Email, ... (the company as
        an Inexchange customer of ours). Answers the company as registered."""
        body = {k: v for k, v in company.items() if k != "ClientToken"}
        answer = self.post_json("/companies/register", body)
        return answer if isinstance(answer, dict) else {}

    def create_client_token(self, erp_id: str, *, valid_to: dt.datetime | None = None) -> str:
        """POST clienttokens/create {"ErpId", "ValidTo"} -> {"token"}: the company's token."""
        body = {"ErpId": erp_id, "ValidTo": valid_to.isoformat() if valid_to else None}
        answer = self.post_json("/clienttokens/create", body, idempotent=True)
        token = answer.get("token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise ErpMalformedResponse("clienttokens/create answered no token", erp=ERP)
        return token

    def revoke_client_token(self, token: str) -> None:
        """POST clienttokens/revoke {"ClientToken"}: refused from its next call on."""
        self.request("POST", "/clienttokens/revoke", json={"ClientToken": token}, idempotent=True)


class InexchangeClient(_InexchangeHttp):
    """One company's calls, with its client token (made through `partner` when needed)."""

    def __init__(
        self,
        base_url: str,
        partner: InexchangePartnerClient,
        erp_id: str,
        *,
        page_size: int = 100,
        timeout=DEFAULT_TIMEOUT,
        session=None,
    ):
        self.partner, self.erp_id, self.page_size = partner, erp_id, page_size

        def create() -> str:
            valid_to = dt.datetime.now(dt.UTC) + dt.timedelta(days=TOKEN_DAYS)
            return partner.create_client_token(erp_id, valid_to=valid_to.replace(microsecond=0))

        auth = SessionTokenAuth(
            create,
            lambda token: {"ClientToken": token},
            key=credential_key(base_url.rstrip("/"), "inexchange-client", erp_id),
        )
        super().__init__(
            base_url,
            auth=auth,
            tenant=credential_key(base_url, erp_id)[:16],
            timeout=timeout,
            session=session,
        )

    def company_details(self) -> dict:
        """GET companies/details (UNCONFIRMED path, SoftOne's connector): the company's data."""
        body = self.json("GET", "/companies/details")
        if not isinstance(body, dict):
            raise ErpMalformedResponse("companies/details is not an object", erp=ERP)
        return body

    def outbound_pages(self, **filters) -> Iterator[list[dict]]:
        """Every page of POST documents/outbound/list: skip/take until totalCount."""
        skip = 0
        while True:
            body = {"skip": skip, "take": self.page_size, **filters}
            answer = self.post_json("/documents/outbound/list", body, idempotent=True)
            documents = answer.get("documents") if isinstance(answer, dict) else None
            total = answer.get("totalCount") if isinstance(answer, dict) else None
            if (
                not isinstance(documents, list)
                or isinstance(total, bool)
                or not isinstance(total, int)
            ):
                raise ErpMalformedResponse(
                    "documents/outbound/list answered no documents array and totalCount", erp=ERP
                )
            yield documents
            skip += len(documents)
            if not documents or skip >= total:
                return

    def outbound_documents(self, **filters) -> Iterator[dict]:
        for page in self.outbound_pages(**filters):
            yield from page

    def document_status(self, document_id: str) -> dict:
        """GET invoices/outbound/{documentId} (the method is UNCONFIRMED; the emulator takes
        GET and POST): the document with its current status and status history."""
        body = self.json("GET", f"/invoices/outbound/{_segment(document_id)}")
        if not isinstance(body, dict):
            raise ErpMalformedResponse(f"document {document_id}: not an object", erp=ERP)
        return body

    def document_content(self, document_id: str) -> bytes:
        """GET documents/{documentId} (our reading of the `Location` that POST documents
        answers; UNCONFIRMED): the document's file, a BIS 3 invoice as sent."""
        return self.request("GET", f"/documents/{_segment(document_id)}").content


def _segment(value: str) -> str:
    text = str(value)
    if not text or "/" in text or "?" in text or text in (".", ".."):
        raise ErpRejected(f"{value!r} is not an Inexchange document id", erp=ERP)
    return text
