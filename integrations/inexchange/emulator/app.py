"""The Inexchange API emulator on the emulator kit: its routes, its two kinds of auth, ASP.NET's
error bodies, and BIS 3 documents as files.

- Partner calls with `APIKey`: POST companies/register (a second registration of an ErpId is a
  409 unless `faults.allow_duplicates("company")`), POST clienttokens/create and /revoke.
- The Store's pages (emulator.store): "Påminnelse & Inkasso" switched on sends the browser to us
  with a signed hand-off (integrations.inexchange.handoff, our design).
- Company calls with `ClientToken`: GET companies/details, POST documents/outbound/list
  (skip/take, totalCount), GET or POST invoices/outbound/{documentId} and .../byerpid/{id},
  GET documents/{documentId} (the file).

Test hooks are plain methods (add_company, add_invoice, add_raw_document, set_status); the
kit's faults are on `.faults`. `partner_api(url, key)` calls AutoCollect's partner API the way
Inexchange would (integrations.inexchange.emulator.partner)."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid

from werkzeug.wrappers import Request

from integrations.emulation.app import EmulatorApp, Route
from integrations.emulation.faults import RateLimitHeaders
from integrations.emulation.store import ObjectStore, offset_page
from integrations.inexchange.emulator.documents import BisDocument, bis3_invoice
from integrations.inexchange.emulator.store import Store

DEFAULT_PARTNER_KEY = "test-partner-autocollect"
DENIED = "Authorization has been denied for this request."
STATUSES = ("PendingInPlatform", "Pending", "Sent", "Delivered", "Error", "Stopped")
REGISTER_REQUIRED = ("ErpId", "Name", "OrgNo", "CountryCode")


class Refused(Exception):
    def __init__(self, status: int, message: str, model_state: dict | None = None):
        super().__init__(message)
        self.status, self.model_state = status, model_state


class InexchangeEmulator(EmulatorApp):
    prefix = "/v1/api"
    # No rate limit is documented (erp-apis.md 4.3, UNCONFIRMED): a 429 says Retry-After only.
    rate_limit_headers = RateLimitHeaders(retry_after="Retry-After")

    def __init__(self, partner_key: str = DEFAULT_PARTNER_KEY, *, rate_limit: int | None = None):
        super().__init__(rate_limit=rate_limit, rate_period=1.0)
        self.partner_key = partner_key
        self.store = ObjectStore(tenant_key="_company")
        # Inexchange's own users (companies sending invoices), by org number, and the ErpIds
        # partners registered them with: a registration links a partner's ErpId to the user.
        self.accounts: dict[str, dict] = {}  # OrgNo -> the company's data
        self.companies: dict[str, str] = {}  # ErpId -> OrgNo
        self.registrations = 0
        self.tokens: dict[str, dict] = {}  # token -> {"erp_id", "valid_to", "revoked"}
        self.case_references: dict[str, dict] = {}  # documentId -> our case, as read back
        self.now = lambda: dt.datetime.now(dt.UTC)
        self.store_pages = Store(self)  # the Store's pages, outside the API (emulator.store)

    def store_configure(self, *, handoff_url: str, secret: str) -> None:
        """Where "Fortsätt" in the Store sends the browser, and the secret it signs with."""
        self.store_pages.handoff_url, self.store_pages.secret = handoff_url, secret

    @property
    def store_url(self) -> str:
        """The Store's front page (outside the API's prefix); needs `url` (while served)."""
        return self.url.removesuffix(self.prefix) + "/store"

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path == "/store" or request.path.startswith("/store/"):
            return self.store_pages(request)(environ, start_response)
        return super().__call__(environ, start_response)

    # --- the kit's hooks -----------------------------------------------------------------

    def routes(self) -> list[Route]:
        return [
            Route("POST", "/companies/register", self.register, auth=False),
            Route("POST", "/clienttokens/create", self.token_create, auth=False),
            Route("POST", "/clienttokens/revoke", self.token_revoke, auth=False),
            Route("GET", "/companies/details", self.company_details),
            Route("POST", "/documents/outbound/list", self.outbound_list),
            Route("GET", "/invoices/outbound/byerpid/{erpDocumentId}", self.by_erp_id),
            Route("POST", "/invoices/outbound/byerpid/{erpDocumentId}", self.by_erp_id),
            Route("GET", "/invoices/outbound/{documentId}", self.document),
            Route("POST", "/invoices/outbound/{documentId}", self.document),
            Route("GET", "/documents/{documentId}", self.document_file),
        ]

    def handle(self, request: Request, route: Route, params: dict) -> tuple[int, str]:
        if route.auth:
            erp_id = self._company_of(request)
            # company_details answers for the ErpId; the documents are the account's (org no).
            details = route.handler == self.company_details
            params["company"] = erp_id if details else self.companies[erp_id]
        elif request.headers.get("APIKey") != self.partner_key:
            raise Refused(401, DENIED)
        body = None
        if request.method == "POST" and request.get_data():
            try:
                body = json.loads(request.get_data(as_text=True))
            except ValueError:
                raise Refused(400, "The request is invalid.", {"body": ["Not JSON."]}) from None
        status, answer = route.handler(body if isinstance(body, dict) else {}, **params)
        if isinstance(answer, bytes):
            return status, answer.decode("utf-8")
        return status, self.render(answer) if answer is not None else ""

    def _answer(self, request, path, fault, record):
        response = super()._answer(request, path, fault, record)
        if record.get("route") == "/documents/{documentId}" and response.status_code == 200:
            response.mimetype = "application/xml"
        return response

    def failure(self, exc: Exception, request_id: str) -> tuple[int, str] | None:
        if isinstance(exc, Refused):
            body = {"message": str(exc)}
            if exc.model_state:
                body["modelState"] = exc.model_state
            return exc.status, self.render(body)
        return None

    def error(self, status: int, message: str, *, request_id: str, detail: str = "") -> str:
        return self.render({"message": f"{message} {detail}".strip()})

    def expire_credentials(self) -> None:
        with self.lock:
            self.tokens.clear()

    def rate_key(self, request: Request) -> str:
        return request.headers.get("ClientToken") or request.headers.get("APIKey") or "anonymous"

    def _company_of(self, request: Request) -> str:
        token = self.tokens.get(request.headers.get("ClientToken", ""))
        if token is None or token["revoked"]:
            raise Refused(401, DENIED)
        if token["valid_to"] is not None and token["valid_to"] <= self.now():
            raise Refused(401, DENIED)
        return token["erp_id"]

    # --- partner calls -------------------------------------------------------------------

    def register(self, body: dict):
        missing = {f"company.{k}": [f"The {k} field is required."] for k in REGISTER_REQUIRED}
        missing = {k: v for k, v in missing.items() if not body.get(k.split(".")[1])}
        if missing:
            raise Refused(400, "The request is invalid.", missing)
        erp_id = str(body["ErpId"])
        if erp_id in self.companies and self.faults.refuses_duplicates("company"):
            raise Refused(409, f"A company with ErpId {erp_id} is registered already.")
        org_no = str(body["OrgNo"])
        account = self.accounts.setdefault(org_no, {})
        for key, value in body.items():
            if key not in ("ClientToken", "ErpId") and value not in (None, ""):
                account.setdefault(key, value)
        self.companies[erp_id] = org_no
        self.registrations += 1
        return 201, {"companyId": str(uuid.uuid5(uuid.NAMESPACE_URL, erp_id)), "erpId": erp_id}

    def token_create(self, body: dict):
        erp_id = str(body.get("ErpId") or "")
        if not erp_id:
            raise Refused(400, "The request is invalid.", {"ErpId": ["ErpId is required."]})
        if erp_id not in self.companies:
            raise Refused(400, "The request is invalid.", {"ErpId": [f"Unknown ErpId {erp_id}."]})
        valid_to = body.get("ValidTo")
        try:
            until = dt.datetime.fromisoformat(valid_to) if valid_to else None
        except (TypeError, ValueError):
            raise Refused(400, "The request is invalid.", {"ValidTo": ["Not a date."]}) from None
        if until is not None and until.tzinfo is None:
            until = until.replace(tzinfo=dt.UTC)
        token = secrets.token_hex(16)
        self.tokens[token] = {"erp_id": erp_id, "valid_to": until, "revoked": False}
        return 200, {"token": token}

    def token_revoke(self, body: dict):
        found = self.tokens.get(str(body.get("ClientToken") or ""))
        if found is None:
            raise Refused(400, "The request is invalid.", {"ClientToken": ["Unknown token."]})
        found["revoked"] = True
        return 200, None

    # --- company calls -------------------------------------------------------------------

    def company_details(self, body: dict, company: str):
        data = self.accounts[self.companies[company]]
        return 200, {
            "erpId": company,
            "name": data.get("Name"),
            "orgNo": data.get("OrgNo"),
            "vatNo": data.get("VatNo"),
            "email": data.get("Email"),
            "countryCode": data.get("CountryCode"),
            "streetName": data.get("StreetName"),
            "postalZone": data.get("PostalZone"),
            "city": data.get("City"),
            "gln": data.get("GLN"),
        }

    def outbound_list(self, body: dict, company: str):
        rows = self.store.all("document", company)
        kind = str(body.get("documentType") or "").lower()
        if kind:
            rows = [r for r in rows if r["documentType"].lower() == kind]
        ignore = set(body.get("ignoreStatuses") or [])
        rows = [r for r in rows if r["statusHistory"][-1]["status"] not in ignore]
        if body.get("status"):
            rows = [r for r in rows if r["statusHistory"][-1]["status"] == body["status"]]
        skip, take = body.get("skip") or 0, body.get("take") or 100
        if not all(isinstance(v, int) and v >= 0 for v in (skip, take)) or take > 1000:
            raise Refused(400, "The request is invalid.", {"take": ["From 1 to 1000."]})
        page = offset_page(rows, skip, take)
        return 200, {"documents": [self._render(r) for r in page], "totalCount": len(rows)}

    def document(self, body: dict, company: str, documentId: str):
        return 200, self._render(self._find(company, documentId))

    def by_erp_id(self, body: dict, company: str, erpDocumentId: str):
        for record in self.store.all("document", company):
            if record["erpDocumentId"] == erpDocumentId:
                return 200, self._render(record)
        raise Refused(404, f"No document with ErpDocumentId {erpDocumentId}.")

    def document_file(self, body: dict, company: str, documentId: str):
        return 200, self._find(company, documentId)["_content"]

    def _find(self, company: str, document_id: str) -> dict:
        for record in self.store.all("document", company):
            if record["guid"] == document_id:
                return record
        raise Refused(404, f"No document {document_id}.")

    @staticmethod
    def _render(record: dict) -> dict:
        history = record["statusHistory"]
        return {
            "id": record["guid"],
            "documentType": record["documentType"],
            "erpDocumentId": record["erpDocumentId"],
            "currentStatus": dict(history[-1]),
            "statusHistory": [dict(h) for h in history],
            "error": None,
        }

    # --- test hooks ----------------------------------------------------------------------

    def add_account(self, org_no: str, name: str, **fields) -> dict:
        """An Inexchange user (a company sending invoices), not yet registered by a partner.
        Fields as companies/register names them: Email, StreetName, PostalZone, City, VatNo."""
        with self.lock:
            self.accounts[org_no] = {"Name": name, "OrgNo": org_no, "CountryCode": "SE", **fields}
            return self.accounts[org_no]

    def add_raw_document(
        self,
        org_no: str,
        content: bytes,
        *,
        erp_document_id: str = "",
        status: str = "Delivered",
        sent: dt.datetime | None = None,
        document_type: str = "Invoice",
        front: bool = False,
    ) -> str:
        """A document with any content (a broken file for a test); returns its id."""
        sent = sent or self.now()
        history = [{"status": "Pending", "time": _time(sent)}]
        if status != "Pending":
            history.append({"status": status, "time": _time(sent + dt.timedelta(minutes=3))})
        with self.lock:
            record = self.store.add(
                "document",
                {
                    "_company": org_no,
                    "guid": str(uuid.uuid4()),
                    "documentType": document_type,
                    "erpDocumentId": erp_document_id or secrets.token_hex(4),
                    "statusHistory": history,
                    "_content": content,
                },
                front=front,
            )
        return record["guid"]

    def add_invoice(self, org_no: str, doc: BisDocument, **kw) -> str:
        """A BIS 3 invoice built from the template; returns the document id."""
        kw.setdefault("erp_document_id", f"inv-{doc.number}")
        sent = dt.datetime.combine(doc.issue_date, dt.time(9), tzinfo=dt.UTC)
        kw.setdefault("sent", sent)
        return self.add_raw_document(org_no, bis3_invoice(doc), **kw)

    def set_status(self, document_id: str, status: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        with self.lock:
            for record in self.store.all("document"):
                if record["guid"] == document_id:
                    record["statusHistory"].append({"status": status, "time": _time(self.now())})
                    return
        raise KeyError(document_id)

    def documents(self, org_no: str) -> list[dict]:
        with self.lock:
            return list(self.store.all("document", org_no))

    def partner_api(self, base_url: str, key: str):
        """A caller of AutoCollect's partner API as Inexchange; what it reads back about a case
        is kept in `case_references` (shown to the user beside the invoice)."""
        from integrations.inexchange.emulator.partner import PartnerApi

        return PartnerApi(base_url, key, self)


def _time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
