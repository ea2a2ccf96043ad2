"""The emulator kit on its own, over real HTTP: each fault answers as designed, the store pages
by offset, page number and token, the server falls back from a taken port, and the contract
checks catch what they should. A tiny ERP ("Shop", Bearer tokens, Visma-style rate-limit
headers) shows the kit needs nothing of Tripletex; Tripletex's own headers are checked too."""

import json
import socket
import time

import pytest
import requests

from integrations.emulation import EmulatorApp, ObjectStore, RateLimitHeaders, Route, serve
from integrations.emulation.contracts import UblContract, XsdContract
from integrations.emulation.store import (
    continuation_page,
    decode_token,
    number_page,
    offset_page,
)
from integrations.emulation.testing import emulator_fixture, running
from integrations.tripletex.emulator import TripletexEmulator, seed_demo
from tests.integrations.conftest import TODAY


class Refused(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class Shop(EmulatorApp):
    prefix = "/api"
    request_id_header = "X-Request-Id"
    rate_limit_headers = RateLimitHeaders(
        "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"
    )

    def __init__(self):
        super().__init__(rate_limit=1000)
        self.store = ObjectStore({"item": 100}, tenant_key="_shop")
        self.tokens = {"t-1"}
        for n in range(10):
            self.store.add("item", {"_shop": 1, "name": f"item {n}", "key": f"k{n}"})

    def routes(self):
        return [
            Route("GET", "/items", self.items),
            Route("GET", "/items/{id}", self.item),
            Route("POST", "/items", self.create),
            Route("POST", "/token", self.token, auth=False),
        ]

    def handle(self, request, route, params):
        if route.auth and request.headers.get("Authorization") not in {
            f"Bearer {t}" for t in self.tokens
        }:
            raise Refused(401, "token expired or unknown")
        status, body = route.handler(request, **params)
        return status, json.dumps(body)

    def failure(self, exc, request_id):
        if isinstance(exc, Refused):
            return exc.status, self.error(exc.status, str(exc), request_id=request_id)
        return None

    def error(self, status, message, *, request_id, detail=""):
        return json.dumps({"message": message, "status": status})

    def expire_credentials(self):
        self.tokens.clear()

    def token(self, request):
        self.tokens.add("t-2")
        return 200, {"access_token": "t-2"}

    def items(self, request):
        rows = self.store.all("item", 1)
        start, count = int(request.args.get("from", 0)), int(request.args.get("count", 100))
        return 200, [r["name"] for r in offset_page(rows, start, count)]

    def item(self, request, id):
        return 200, {"name": self.store.get("item", id, 1)["name"]}

    def create(self, request):
        body = json.loads(request.get_data())
        if self.faults.refuses_duplicates("item") and any(
            r["key"] == body["key"] for r in self.store.all("item", 1)
        ):
            raise Refused(409, "duplicate key")
        return 201, {"id": self.store.add("item", {"_shop": 1, **body})["id"]}


shop = emulator_fixture(Shop)
AUTH = {"Authorization": "Bearer t-1"}


def get(shop, path, **kw):
    kw.setdefault("timeout", 5)
    return requests.get(shop.url + path, headers=AUTH, **kw)


def post(shop, path, body, **kw):
    return requests.post(shop.url + path, json=body, headers=AUTH, timeout=5, **kw)


def test_timeout_stalls_past_the_client_timeout_then_serves(shop):
    shop.faults.timeout("/items", seconds=1.5)
    started = time.monotonic()
    with pytest.raises(requests.ReadTimeout):
        get(shop, "/items", timeout=0.3)
    assert time.monotonic() - started < 1.2
    assert get(shop, "/items").status_code == 200  # fired once
    time.sleep(1.5)
    assert [r["fault"] for r in shop.requests("/items")] == [None, "timeout"]  # served late


def test_a_stalled_request_does_not_hold_up_stopping():
    with running(Shop()) as erp:
        erp.faults.timeout("/items", seconds=30)
        with pytest.raises(requests.ReadTimeout):
            get(erp, "/items", timeout=0.3)
        started = time.monotonic()
    assert time.monotonic() - started < 3


def test_drop_before_loses_the_request_and_after_only_the_answer(shop):
    shop.faults.drop("/items", method="POST")
    with pytest.raises(requests.ConnectionError):
        post(shop, "/items", {"name": "lost", "key": "a"})
    assert len(shop.store.all("item", 1)) == 10
    shop.faults.drop("/items", method="POST", after=True)
    with pytest.raises(requests.ConnectionError):
        post(shop, "/items", {"name": "booked", "key": "b"})
    assert shop.store.all("item", 1)[-1]["name"] == "booked"
    assert post(shop, "/items", {"name": "next", "key": "c"}).status_code == 201


def test_rate_limited_answers_429_with_the_erps_headers(shop):
    shop.faults.rate_limited("/items", retry_after=7)
    limited = get(shop, "/items")
    assert limited.status_code == 429 and limited.json()["status"] == 429
    assert limited.headers["Retry-After"] == "7" and limited.headers["X-RateLimit-Reset"] == "7"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert limited.headers["X-RateLimit-Limit"] == "1000"
    fine = get(shop, "/items")
    assert fine.status_code == 200 and "Retry-After" not in fine.headers  # 429 only (Visma)
    assert "X-RateLimit-Limit" not in fine.headers


def test_tripletex_declares_its_own_rate_limit_headers():
    erp = TripletexEmulator()
    with running(erp, seed=lambda e: seed_demo(e, TODAY)):
        erp.faults.rate_limited("whoAmI", retry_after=4)
        answer = requests.get(erp.url + "/token/session/>whoAmI", timeout=5)
    assert answer.status_code == 429 and answer.json()["status"] == 429
    assert (answer.headers["Retry-After"], answer.headers["X-Rate-Limit-Reset"]) == ("4", "4")
    assert answer.headers["X-Rate-Limit-Remaining"] == "0"
    assert len(answer.headers["x-tlx-request-id"]) == 32


def test_server_error_by_method_count_and_skip(shop):
    shop.faults.server_error("/items", status=503, method="GET", skip=1, times=2)
    assert post(shop, "/items", {"name": "x", "key": "x"}).status_code == 201  # POST unmatched
    statuses = [get(shop, "/items").status_code for _ in range(4)]
    assert statuses == [200, 503, 503, 200]
    assert shop.requests("/items")[2]["response_text"] == json.dumps(
        {"message": "Injected 503", "status": 503}
    )


def test_expired_token_answers_401_until_a_new_one_is_taken(shop):
    shop.faults.expired_token("/items/")
    expired = get(shop, "/items/100")
    assert expired.status_code == 401 and expired.json()["message"].startswith("token expired")
    assert get(shop, "/items/100").status_code == 401  # the token is gone for good
    token = requests.post(shop.url + "/token", timeout=5).json()["access_token"]
    again = requests.get(shop.url + "/items/100", headers={"Authorization": f"Bearer {token}"})
    assert again.json() == {"name": "item 0"}


def test_malformed_cuts_the_real_answer(shop):
    shop.faults.malformed("/items/101")
    broken = get(shop, "/items/101")
    assert broken.status_code == 200
    with pytest.raises(ValueError):
        broken.json()
    assert json.dumps({"name": "item 1"}).startswith(broken.text)
    shop.faults.malformed("/items", text="<html>proxy</html>")
    assert get(shop, "/items").text == "<html>proxy</html>"


def test_shift_page_inserts_before_the_offset_between_two_reads(shop):
    def insert():
        shop.store.add("item", {"_shop": 1, "name": "new", "key": "n"}, front=True)

    shop.faults.shift_page("/items", insert)
    first = get(shop, "/items", params={"from": 0, "count": 4}).json()
    second = get(shop, "/items", params={"from": 4, "count": 4}).json()
    assert first == ["item 0", "item 1", "item 2", "item 3"]
    assert second == ["item 3", "item 4", "item 5", "item 6"]  # item 3 again; "new" unseen


def test_duplicates_are_refused_unless_the_fault_allows_them(shop):
    assert post(shop, "/items", {"name": "again", "key": "k1"}).status_code == 409
    shop.faults.allow_duplicates("item")
    assert post(shop, "/items", {"name": "again", "key": "k1"}).status_code == 201
    assert [r["key"] for r in shop.store.all("item", 1)].count("k1") == 2
    assert not TripletexEmulator(refuse_duplicate_vouchers=False).faults.refuses_duplicates(
        "voucher"
    )


def test_faults_are_logged_and_unmatched_requests_untouched(shop):
    shop.fail_next("/items/102", status=418, raw="teapot", headers={"X-Extra": "1"})
    answer = get(shop, "/items/102")
    assert (answer.status_code, answer.text, answer.headers["X-Extra"]) == (418, "teapot", "1")
    assert get(shop, "/items/103").json() == {"name": "item 3"}
    assert [r["fault"] for r in shop.log] == ["answer", None]
    assert shop.faults.pending() == []


# --- store and paging -------------------------------------------------------------------------


def test_store_keeps_tenants_apart_and_orders_lists():
    store = ObjectStore({"invoice": 500}, tenant_key="_company")
    a = store.add("invoice", {"_company": 1, "n": 1})
    store.add("invoice", {"_company": 2, "n": 2})
    c = store.add("invoice", {"_company": 1, "n": 3}, front=True)
    assert (a["id"], c["id"]) == (500, 502)
    assert [r["n"] for r in store.all("invoice", 1)] == [3, 1]
    assert store.get("invoice", 501, 2)["n"] == 2
    with pytest.raises(LookupError):
        store.get("invoice", 501, 1)  # another tenant's
    store.delete("invoice", 500)
    assert [r["n"] for r in store.all("invoice", 1)] == [3]
    assert store.next_number(1, "invoice", 1001) == 1001 and store.next_number(1, "invoice") == 1002


def test_paging_by_offset_number_and_continuation():
    rows = [{"id": i} for i in range(1, 8)]
    assert offset_page(rows, 5, 5) == [{"id": 6}, {"id": 7}]
    assert number_page(rows, 2, 3) == [{"id": 4}, {"id": 5}, {"id": 6}]
    assert number_page(rows, 4, 3) == []
    page, token = continuation_page(rows, None, 3)
    assert [r["id"] for r in page] == [1, 2, 3] and decode_token(token) == 3
    rows.insert(0, {"id": 0})  # inserted below the token: "above key" paging does not shift
    page, token = continuation_page(rows, token, 3)
    assert [r["id"] for r in page] == [4, 5, 6]
    page, token = continuation_page(rows, token, 3)
    assert [r["id"] for r in page] == [7] and token is None
    with pytest.raises(ValueError):
        decode_token("not*a*token")


# --- server -----------------------------------------------------------------------------------


def test_a_taken_port_falls_back_to_a_free_one_when_asked():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with serve(Shop(), port=port, fallback=True) as server:
            assert server.port != port and server.url == server.base_url + "/api"
            assert requests.get(server.url + "/items", headers=AUTH, timeout=5).ok
        with pytest.raises((OSError, SystemExit)):
            serve(Shop(), port=port)


# --- contracts --------------------------------------------------------------------------------

XSD = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="Root"><xs:complexType><xs:sequence>
    <xs:element name="Status" type="xs:string" maxOccurs="2"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>"""

UBL_INVOICE = """<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:ID>1001</cbc:ID><cbc:IssueDate>2026-11-01</cbc:IssueDate>
 <cbc:DocumentCurrencyCode>SEK</cbc:DocumentCurrencyCode>
 <cac:AccountingSupplierParty/><cac:AccountingCustomerParty/>
 <cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="SEK">100.00</cbc:PayableAmount>
 </cac:LegalMonetaryTotal></Invoice>"""


def test_xsd_contract_checks_netvisor_style_envelopes():
    contract = XsdContract(XSD)
    assert contract.errors("<Root><Status>OK</Status></Root>") == []
    failed = "<Root><Status>FAILED</Status><Status>INVALID_DATA :: x</Status></Root>"
    assert contract.errors(failed) == []
    assert contract.errors("<Root><Stat>OK</Stat></Root>")
    assert contract.errors("<Root><Status>OK</Status>")[0].startswith("not well-formed")


def test_ubl_contract_wants_a_ubl_invoice_with_what_a_case_reads():
    contract = UblContract()
    assert contract.errors(UBL_INVOICE) == []
    assert contract.errors(UBL_INVOICE.replace("<cbc:ID>1001</cbc:ID>", "")) == ["missing cbc:ID"]
    assert "not a UBL" in contract.errors("<Invoice/>")[0]
