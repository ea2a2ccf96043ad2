"""The Tripletex emulator itself: its answers against the official OpenAPI schemas, the `fields`
rules, headers and errors, the demo seed and the command line."""

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from stdnum.no import orgnr

from integrations import registry
from integrations.base import CaseStatus, SettlementVoucher, VoucherLine
from integrations.emulation.contracts import OpenApiContract
from integrations.errors import ErpConflict, ErpNotFound, ErpRejected
from integrations.tripletex.client import TripletexClient
from integrations.tripletex.emulator import TripletexEmulator, seed_demo, serve
from integrations.tripletex.mapping import voucher_to_json
from tests.integrations.conftest import TODAY

REPO = Path(__file__).resolve().parents[2]


# Vendored in the repository (see its README), so the contract test runs on a fresh clone too.
SPEC_FILE = REPO / "integrations" / "tripletex" / "reference" / "openapi.json"


@pytest.fixture
def session(server, seeded):
    """A requests session with Basic auth for the first demo company."""
    company = seeded["companies"][0]
    client = TripletexClient(server.url, seeded["consumer_token"], company["employee_token"])
    http = requests.Session()
    http.auth = ("0", client.create_session())
    return http


# --- schema validation ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def spec():
    # The kit's contract: the spec's objects are closed (additionalProperties: false) so that a
    # field name the emulator invents fails.
    return OpenApiContract(SPEC_FILE)


def _exercise(server, emulator, seeded):
    """Drive every emulator endpoint the integration uses, successes and failures."""
    company = seeded["companies"][0]
    adapter = registry.connect(
        "tripletex", {"base_url": server.url, "employee_token": company["employee_token"]}
    )
    adapter.fetch_company()
    invoices = list(adapter.list_open_invoices(as_of=TODAY))
    invoice = adapter.get_invoice(str(company["partly_paid_invoice_id"]))
    adapter.list_direct_payments(invoice)
    client = adapter.client
    client.get_customer(int(invoice.customer.erp_id))
    list(client.list_customers(customerName="AS"))
    voucher = SettlementVoucher(
        "AC-1",
        TODAY,
        "Oppgjør",
        "NOK",
        (
            VoucherLine(1920, Decimal("500.00")),
            VoucherLine(1500, Decimal("-500.00"), "", invoice.customer.erp_id, invoice.number),
        ),
    )
    voucher_id = adapter.post_settlement_voucher(voucher)
    adapter.post_settlement_voucher(voucher)
    deep = "*,postings(*,account(*),customer(*,category1(*)),currency(*),voucher(*))"
    client.get_value(f"/ledger/voucher/{voucher_id}", {"fields": deep})
    posting = client.get_value(f"/ledger/voucher/{voucher_id}")["postings"][0]["id"]
    client.get_value(f"/ledger/posting/{posting}", {"fields": "*,account(*),voucher(*)"})
    url = "https://autocollect.example/c/1/cases/2026-0001/"
    adapter.write_case_reference(invoice=invoice.ref, case_number="2026-0001", url=url)
    for status in (CaseStatus.ONGOING, CaseStatus.PAID):
        adapter.write_case_status(
            invoice=invoice.ref, case_number="2026-0001", status=status, url=url
        )
    status_id = client.list_voucher_status([int(invoice.locator)])[0]["id"]
    client.get_value(f"/voucherStatus/{status_id}")
    ptype = client.payment_types()[0]["id"]
    client.register_payment(
        invoices[0].erp_id, paid_on=TODAY, payment_type_id=ptype, amount=Decimal("1.00")
    )
    client.get_value("/token/session/>whoAmI", {"fields": "*,employee(*),company(*,address(*))"})
    client.get_value(f"/invoice/{invoice.erp_id}", {"fields": "*,voucher(*),postings(*)"})
    list(client.iter_list("/ledger/account", {"fields": "*,currency(*)"}))
    bank, receivable = client.ledger_account_id(1920), client.ledger_account_id(1500)
    firm = TripletexClient(server.url, seeded["consumer_token"], seeded["accountant"]["token"])
    firm.with_login_access()
    for failing in (
        lambda: client.json("GET", "/invoice"),
        lambda: client.get_invoice(1),
        lambda: client.post_voucher({"date": "2026-11-25", "postings": []}),
        lambda: client.post_voucher(voucher_to_json(voucher, {1920: bank, 1500: receivable})),
        lambda: client.post_voucher_status({"voucher": {"id": 1}}),
    ):
        with pytest.raises((ErpRejected, ErpNotFound, ErpConflict)):
            failing()


def test_every_emulator_answer_matches_the_official_schemas(server, emulator, seeded, spec):
    _exercise(server, emulator, seeded)
    assert all(r["fault"] is None for r in emulator.log)  # every answer counts
    problems = spec.check(emulator.log)
    covered = spec.covered(emulator.log)
    assert problems == []
    wanted = {
        ("PUT", "/token/session/:create"),
        ("GET", "/token/session/>whoAmI"),
        ("GET", "/company/{id}"),
        ("GET", "/company/>withLoginAccess"),
        ("GET", "/invoice"),
        ("GET", "/invoice/{id}"),
        ("PUT", "/invoice/{id}/:payment"),
        ("GET", "/invoice/paymentType"),
        ("GET", "/customer"),
        ("GET", "/customer/{id}"),
        ("GET", "/ledger/account"),
        ("POST", "/ledger/voucher"),
        ("GET", "/ledger/voucher/{id}"),
        ("GET", "/ledger/voucher/>externalVoucherNumber"),
        ("GET", "/ledger/posting/{id}"),
        ("GET", "/voucherStatus"),
        ("POST", "/voucherStatus"),
        ("GET", "/voucherStatus/{id}"),
    }
    assert wanted <= {(m, p) for m, p, ok in covered if ok}
    assert {(m, p) for m, p, ok in covered if not ok} >= {
        ("GET", "/invoice"),
        ("GET", "/invoice/{id}"),
        ("POST", "/ledger/voucher"),
        ("POST", "/voucherStatus"),
    }


def test_schema_check_catches_invented_fields(spec):
    assert spec.errors("#/components/schemas/Invoice", {"id": 1, "dueDate": "2026-01-01"})
    assert spec.errors("#/components/schemas/Invoice", {"id": 1, "amount": "12.00"})
    assert not spec.errors("#/components/schemas/Invoice", {"id": 1, "amount": 12.5})


# --- fields, headers, errors ----------------------------------------------------------------


def test_nested_objects_are_stubs_unless_expanded(server, session, seeded):
    invoice_id = seeded["companies"][0]["open_invoice_ids"][0]
    url = f"{server.url}/invoice/{invoice_id}"
    plain = session.get(url, timeout=5).json()["value"]
    assert set(plain["customer"]) == {"id", "url"} and set(plain["currency"]) == {"id", "url"}
    assert plain["url"].endswith(f"/v2/invoice/{invoice_id}")
    assert plain["amount"] == 18750.0 and plain["invoiceDueDate"] == "2026-08-27"
    expanded = session.get(url, params={"fields": "*,customer(*),currency(*)"}, timeout=5)
    value = expanded.json()["value"]
    assert value["customer"]["name"] == "Bryggen Eiendom AS"
    assert set(value["customer"]["postalAddress"]) == {"id", "url"}
    assert value["currency"]["code"] == "NOK"
    only = session.get(url, params={"fields": "id,invoiceNumber"}, timeout=5).json()["value"]
    assert only == {"id": invoice_id, "invoiceNumber": 1001}
    assert '"amount":18750.00' in session.get(url, timeout=5).text  # money keeps its cents


def test_headers_on_every_answer(server, session, emulator):
    emulator.fail_next("/customer", status=503)
    for response in (
        session.get(f"{server.url}/token/session/>whoAmI", timeout=5),
        session.get(f"{server.url}/nothing/here", timeout=5),
        session.get(f"{server.url}/customer", timeout=5),
        requests.get(f"{server.url}/invoice", timeout=5),
    ):
        assert len(response.headers["x-tlx-request-id"]) == 32
        for header in ("X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"):
            assert response.headers[header].isdigit()
    assert [r["status"] for r in emulator.log[-4:]] == [200, 404, 503, 401]


def test_errors_are_api_errors(server, session):
    missing = session.get(f"{server.url}/nothing/here", timeout=5)
    assert missing.status_code == 404 and missing.json()["code"] == 6000
    wrong_method = session.delete(f"{server.url}/invoice", timeout=5)
    assert wrong_method.status_code == 405
    headers = {"Content-Type": "application/json"}
    bad_json = session.post(f"{server.url}/voucherStatus", data="{oops", headers=headers)
    assert bad_json.status_code == 422 and bad_json.json()["code"] == 22000
    bad_enum = session.post(
        f"{server.url}/voucherStatus", json={"voucher": {"id": 1}, "message": "DONE"}, timeout=5
    )
    assert bad_enum.status_code == 422
    assert bad_enum.json()["validationMessages"][0]["field"] == "voucher"
    no_auth = requests.get(f"{server.url}/token/session/>whoAmI", timeout=5)
    assert no_auth.status_code == 401 and no_auth.json()["code"] == 3000
    body = missing.json()
    assert set(body) == {
        "status",
        "code",
        "message",
        "link",
        "developerMessage",
        "validationMessages",
        "requestId",
    }


def test_fail_next_matches_once_and_by_method(server, session, emulator):
    emulator.fail_next("whoAmI", status=502, method="POST")
    emulator.fail_next("whoAmI", status=500, raw="oops")
    first = session.get(f"{server.url}/token/session/>whoAmI", timeout=5)
    second = session.get(f"{server.url}/token/session/>whoAmI", timeout=5)
    assert (first.status_code, first.text) == (500, "oops")
    assert second.status_code == 200


def test_serve_shuts_down(emulator):
    with serve(emulator) as handle:
        assert handle.url.startswith("http://127.0.0.1:") and handle.url.endswith("/v2")
        assert requests.get(handle.url + "/invoice", timeout=5).status_code == 401
    with pytest.raises(requests.ConnectionError):
        requests.get(handle.url + "/invoice", timeout=2)


# --- demo seed ------------------------------------------------------------------------------


def test_demo_seed_is_deterministic():
    first, second = TripletexEmulator(), TripletexEmulator()
    assert seed_demo(first, TODAY) == seed_demo(second, TODAY)
    company = seed_demo(TripletexEmulator(), TODAY)["companies"][1]
    ids = company["open_invoice_ids"] + [company["credit_note_id"]]
    assert [first.invoice(company["id"], i) for i in ids] == [
        second.invoice(company["id"], i) for i in ids
    ]


def test_demo_seed_has_the_cases_a_demo_needs(emulator, seeded):
    assert seeded["consumer_token"] == emulator.consumer_token
    assert len(seeded["companies"]) == 2
    firm = emulator.state.objects["company"][seeded["accountant"]["company_id"]]
    assert orgnr.is_valid(firm["organizationNumber"])
    for company in seeded["companies"]:
        assert orgnr.is_valid(company["organization_number"])
        customers = emulator.state.owned("customer", company["id"])
        assert 6 <= len(customers) <= 10
        assert {c["isPrivateIndividual"] for c in customers} == {True, False}
        assert all(
            orgnr.is_valid(c["organizationNumber"]) for c in customers if c["organizationNumber"]
        )
        assert all("category1" in c for c in customers)
        invoices = emulator.state.owned("invoice", company["id"])
        assert 10 <= len(invoices) <= 20
        assert {i["currency"].id for i in invoices} == {1}  # NOK
        overdue = [
            (TODAY - dt.date.fromisoformat(i["invoiceDueDate"])).days
            for i in invoices
            if i["amountCurrencyOutstanding"] > 0
        ]
        assert sum(15 <= d <= 90 for d in overdue) >= 3
        assert sum(0 < d < 14 for d in overdue) >= 2
        assert sum(d < 0 for d in overdue) >= 2
        paid = emulator.invoice(company["id"], company["paid_invoice_id"])
        assert paid["amountCurrencyOutstanding"] == 0 and not paid["isCreditNote"]
        note = emulator.invoice(company["id"], company["credit_note_id"])
        assert note["isCreditNote"] and note["creditedInvoice"] == company["credited_invoice_id"]
        credited = emulator.invoice(company["id"], company["credited_invoice_id"])
        assert credited["isCredited"] and credited["amountCurrencyOutstanding"] == 0


def test_command_line_serves_the_demo():
    process = subprocess.Popen(
        [sys.executable, "-m", "integrations.tripletex.emulator", "--port", "0", "--demo"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = process.stdout.readline().strip().rsplit(" ", 1)[-1]
        seeded = json.loads(process.stdout.readline())
        company = seeded["companies"][1]
        client = TripletexClient(url, seeded["consumer_token"], company["employee_token"])
        assert client.who_am_i()["companyId"] == company["id"]
    finally:
        process.terminate()
        process.wait(timeout=10)
