"""The Tripletex client and adapter against the emulator, over real HTTP on 127.0.0.1."""

import datetime as dt
import time
from decimal import Decimal

import pytest
import requests

from integrations import registry
from integrations.base import CaseStatus, ErpBadRecord, InvoiceRef, SettlementVoucher, VoucherLine
from integrations.errors import (
    ErpAuthError,
    ErpConflict,
    ErpConnectionInvalid,
    ErpMalformedResponse,
    ErpNotFound,
    ErpRateLimited,
    ErpRejected,
    ErpUnavailable,
)
from integrations.features import Feature
from integrations.http import NO_RETRY
from integrations.tripletex.adapter import TripletexAdapter
from integrations.tripletex.client import TripletexClient
from tests.integrations.conftest import TODAY


@pytest.fixture
def company(seeded):
    return seeded["companies"][0]


def connect(server, seeded, token=None, company_id=0, **extra) -> TripletexAdapter:
    token = token or seeded["companies"][0]["employee_token"]
    return registry.connect(
        "tripletex",
        {
            "base_url": server.url,
            "employee_token": token,
            "company_id": company_id,
            **extra,
        },
    )


def test_registered_with_every_feature():
    assert registry.adapter_class("tripletex") is TripletexAdapter
    assert TripletexAdapter.label == "Tripletex"
    assert TripletexAdapter.features == frozenset(Feature)
    assert ("tripletex", "Tripletex") in registry.choices()


# --- sessions and accountant clients --------------------------------------------------------


def test_one_session_then_basic_auth_on_every_call(server, emulator, seeded, company):
    adapter = connect(server, seeded)
    assert adapter.fetch_company().name == "Fjordvik Rørlegger AS"
    adapter.get_invoice(str(company["open_invoice_ids"][0]))
    creates = emulator.requests(":create")
    assert len(creates) == 1
    assert creates[0]["query"]["employeeToken"] == "test-employee-fjordvik"
    expires = dt.date.fromisoformat(creates[0]["query"]["expirationDate"])
    assert expires > dt.date.today()
    assert [r["status"] for r in emulator.log] == [200, 200, 200, 200]


def test_clients_with_the_same_keys_share_one_session(server, emulator, seeded, company):
    # Every task builds its own adapter; they must not each open a session.
    for _ in range(3):
        connect(server, seeded).get_invoice(str(company["open_invoice_ids"][0]))
    assert len(emulator.requests(":create")) == 1
    other = seeded["companies"][1]
    connect(server, seeded, token=other["employee_token"]).fetch_company()
    assert len(emulator.requests(":create")) == 2


def test_expired_session_is_recreated_once(server, emulator, seeded, company):
    adapter = connect(server, seeded)
    adapter.fetch_company()
    emulator.expire_sessions()
    invoice = adapter.get_invoice(str(company["open_invoice_ids"][0]))
    assert invoice.number == "1001"
    assert len(emulator.requests(":create")) == 2
    assert [r["status"] for r in emulator.requests("/invoice/")] == [401, 200]


def test_bad_employee_token_is_an_auth_error(server, emulator, seeded):
    adapter = connect(server, seeded, token="test-employee-wrong")
    with pytest.raises(ErpAuthError) as err:
        adapter.fetch_company()
    assert err.value.status == 401 and err.value.erp == "tripletex"
    assert "Ugyldig consumerToken eller employeeToken" in str(err.value)
    assert "test-employee-wrong" not in str(err.value)  # secrets stay out of messages
    assert len(emulator.requests(":create")) == 1  # no retry loop on bad credentials


def test_accountant_token_switches_client_by_basic_username(server, seeded):
    firm = seeded["accountant"]
    for client in seeded["companies"]:
        adapter = connect(server, seeded, token=firm["token"], company_id=client["client_id"])
        company = adapter.fetch_company()
        assert (company.erp_id, company.org_number) == (
            str(client["id"]),
            client["organization_number"],
        )
        numbers = {i.number for i in adapter.list_open_invoices(as_of=TODAY)}
        assert len(numbers) == len(client["open_invoice_ids"])
    own = connect(server, seeded, token=firm["token"], company_id=0)
    assert own.fetch_company().name == "Vidde Regnskap AS"
    clients = own.list_client_companies()
    assert [c.name for c in clients] == ["Fjordvik Rørlegger AS", "Nordlys Elektro AS"]


def test_company_the_token_cannot_reach_is_refused(server, seeded):
    other = seeded["companies"][1]["id"]
    adapter = connect(server, seeded, company_id=other)  # Fjordvik's own employee token
    with pytest.raises(ErpAuthError) as err:
        adapter.fetch_company()
    assert err.value.status == 403
    assert "code 9000" in str(err.value)


def test_incomplete_connection_is_refused_before_any_call():
    with pytest.raises(ErpConnectionInvalid, match="lacks employee_token") as err:
        registry.connect("tripletex", {"base_url": "http://127.0.0.1:9/v2"})
    assert isinstance(err.value, ErpAuthError)  # the creditor's key: not retried
    bad = {"base_url": "tripletex.no", "employee_token": "e", "company_id": "x", "pagesize": 5}
    with pytest.raises(ErpConnectionInvalid) as err:
        registry.connect("tripletex", bad)
    for problem in ("unknown settings pagesize", "not an http(s) URL", "company_id 'x'"):
        assert problem in str(err.value)
    with pytest.raises(TypeError, match="TripletexConnection"):
        TripletexAdapter({"base_url": "http://127.0.0.1:9/v2", "employee_token": "e"})


def test_who_am_i_answers_on_encoded_and_literal_paths(server, seeded, company):
    client = TripletexClient(server.url, seeded["consumer_token"], company["employee_token"])
    token = client.create_session()
    for path in ("/token/session/%3EwhoAmI", "/token/session/>whoAmI"):
        response = requests.get(server.url + path, auth=("0", token), timeout=5)
        assert response.status_code == 200
        assert response.json()["value"]["companyId"] == company["id"]


# --- paging and invoices --------------------------------------------------------------------


def _bulk(emulator, n):
    company = emulator.add_company("Bulk AS", "928775135")
    token = emulator.add_employee_token(company)
    customer = emulator.add_customer(company, "Kunde AS")
    for i in range(n):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=i)
        emulator.add_invoice(company, customer, day, day + dt.timedelta(days=14), Decimal(100 + i))
    return token


@pytest.mark.parametrize("n, pages", [(25, [0, 10, 20]), (20, [0, 10, 20]), (7, [0])])
def test_paging_stops_on_the_first_short_page(server, emulator, n, pages):
    token = _bulk(emulator, n)
    client = TripletexClient(server.url, emulator.consumer_token, token, page_size=10)
    rows = list(client.list_invoices(dt.date(2025, 1, 1), dt.date(2027, 1, 1)))
    assert [r["amountCurrency"] for r in rows] == [Decimal(100 + i) for i in range(n)]
    calls = emulator.requests("/invoice")
    assert [int(c["query"]["from"]) for c in calls] == pages
    assert {c["query"]["count"] for c in calls} == {"10"}


def test_open_invoices_exclude_paid_credited_and_credit_notes(server, seeded, company):
    invoices = list(connect(server, seeded).list_open_invoices(as_of=TODAY))
    assert sorted(int(i.erp_id) for i in invoices) == sorted(company["open_invoice_ids"])
    excluded = {company[k] for k in ("paid_invoice_id", "credited_invoice_id", "credit_note_id")}
    assert not excluded & {int(i.erp_id) for i in invoices}
    by_id = {int(i.erp_id): i for i in invoices}
    partly = by_id[company["partly_paid_invoice_id"]]
    assert (partly.amount, partly.outstanding) == (Decimal("9800.00"), Decimal("5800.00"))
    first = by_id[company["open_invoice_ids"][0]]
    assert first.amount == Decimal("18750.00") and isinstance(first.amount, Decimal)
    assert first.due_date == TODAY - dt.timedelta(days=90)
    assert first.invoice_date == first.due_date - dt.timedelta(days=30)
    assert first.currency == "NOK" and first.text == "Rehabilitering av bad, 3. etg"
    assert len(first.payment_reference) == 12 and first.locator
    customer = first.customer
    assert customer.name == "Bryggen Eiendom AS" and not customer.is_private
    assert customer.customer_class == "Storkunde" and customer.org_number == "924318767"
    assert (customer.address.postal_code, customer.address.city) == ("5003", "Bergen")
    private = next(i.customer for i in invoices if i.customer.name == "Kari Nordmann")
    assert private.is_private and private.email == "kari.nordmann@example.no"


def test_foreign_currency_and_window_edges(server, emulator):
    company = emulator.add_company("Valuta AS", "928775135")
    token = emulator.add_employee_token(company)
    customer = emulator.add_customer(company, "Kunde GmbH", country="DK")
    eur = emulator.add_invoice(
        company, customer, TODAY, TODAY + dt.timedelta(days=30), Decimal("1234.56"), "EUR"
    )
    emulator.add_invoice(company, customer, TODAY + dt.timedelta(days=1), TODAY, Decimal(1))
    emulator.add_invoice(company, customer, TODAY - dt.timedelta(days=1200), TODAY, Decimal(2))
    adapter = registry.connect("tripletex", {"base_url": server.url, "employee_token": token})
    invoices = list(adapter.list_open_invoices(as_of=TODAY))
    assert [i.erp_id for i in invoices] == [str(eur)]  # dated today: inside [from, to)
    assert (invoices[0].currency, invoices[0].amount) == ("EUR", Decimal("1234.56"))
    assert invoices[0].customer.address.country == "DK"
    assert emulator.invoice(company, eur)["amount"] == Decimal("14197.44")  # NOK at 11.50


def test_missing_date_params_answer_422(server, seeded, company):
    client = TripletexClient(server.url, seeded["consumer_token"], company["employee_token"])
    response = requests.get(f"{server.url}/invoice", auth=("0", client.create_session()), timeout=5)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == 15000 and body["status"] == 422
    assert {m["field"] for m in body["validationMessages"]} == {"invoiceDateFrom", "invoiceDateTo"}
    assert body["requestId"] == response.headers["x-tlx-request-id"]
    with pytest.raises(ErpRejected) as err:
        client.json("GET", "/invoice", params={"invoiceDateFrom": "2026-01-01"})
    assert err.value.status == 422
    assert "invoiceDateTo: Kan ikke være null" in str(err.value)
    assert "code 15000" in str(err.value)


# --- malformed replies and error types ------------------------------------------------------


def test_invoice_missing_due_date_is_malformed(server, emulator, seeded, company):
    adapter = connect(server, seeded)
    invoice_id = company["open_invoice_ids"][0]
    good = adapter.client.get_invoice(invoice_id)
    del good["invoiceDueDate"]
    emulator.fail_next(f"/invoice/{invoice_id}", status=200, body={"value": good})
    with pytest.raises(ErpMalformedResponse) as err:
        adapter.get_invoice(str(invoice_id))
    assert str(err.value) == f"tripletex: invoice {invoice_id}: invoiceDueDate missing"


def test_a_broken_invoice_in_a_list_page_comes_as_a_bad_record(server, emulator, seeded, company):
    """One unreadable record does not make the whole listing unreadable: the sync quarantines
    it and goes on (a page that is not JSON still raises, below)."""
    adapter = connect(server, seeded)
    good = adapter.client.get_invoice(company["open_invoice_ids"][0])
    page = {"fullResultSize": 3, "from": 0, "count": 2, "versionDigest": None}
    page["values"] = [{"id": 77, "invoiceNumber": 5, "invoiceDate": "2026-01-01"}, good]
    emulator.fail_next("/invoice?", status=200, body=page)
    # The other invoices the ERP has (the injected page left them out) come after, read by id.
    bad, invoice, *rest = list(adapter.list_open_invoices(as_of=TODAY))
    assert str(good["id"]) not in {r.erp_id for r in rest}
    assert isinstance(bad, ErpBadRecord) and (bad.kind, bad.erp_id) == ("invoice", "77")
    assert bad.reason == "tripletex: invoice 77: customer missing"
    assert '"invoiceNumber":5' in bad.payload
    assert invoice.erp_id == str(good["id"])


def test_an_amount_beyond_the_bound_makes_the_invoice_unreadable(server, emulator, seeded, company):
    adapter = connect(server, seeded)
    invoice_id = company["open_invoice_ids"][0]
    row = adapter.client.get_invoice(invoice_id) | {"amountCurrencyOutstanding": 10**12}
    emulator.fail_next(f"/invoice/{invoice_id}", status=200, body={"value": row})
    with pytest.raises(
        ErpMalformedResponse, match="amountCurrencyOutstanding: amount 1000000000000"
    ):
        adapter.get_invoice(str(invoice_id))
    half_cent = row | {"amountCurrencyOutstanding": Decimal("10.005")}
    emulator.fail_next(f"/invoice/{invoice_id}", status=200, body={"value": half_cent})
    assert adapter.get_invoice(str(invoice_id)).outstanding == Decimal("10.01")


@pytest.mark.parametrize(
    "raw", ["<html><body>Bad gateway</body></html>", '{"value": {"id": 1, "invoiceNu', ""]
)
def test_non_json_body_is_malformed(server, emulator, seeded, company, raw):
    adapter = connect(server, seeded)
    adapter.fetch_company()
    emulator.fail_next("/invoice/", status=200, raw=raw)
    with pytest.raises(ErpMalformedResponse) as err:
        adapter.get_invoice(str(company["open_invoice_ids"][0]))
    assert "did not answer JSON" in str(err.value)
    assert err.value.detail == raw[:2000]


def test_rate_limit_uses_x_rate_limit_reset(server, emulator, seeded):
    adapter = connect(server, seeded)
    adapter.client.retry = NO_RETRY  # the error as a task sees it once in-process tries are spent
    emulator.fail_next("whoAmI", status=429, headers={"X-Rate-Limit-Reset": "7"})
    with pytest.raises(ErpRateLimited) as err:
        adapter.fetch_company()
    assert err.value.retry_after == 7.0 and err.value.retryable


def test_a_wait_longer_than_the_in_process_limit_is_left_to_the_task(server, emulator, seeded):
    adapter = connect(server, seeded)
    emulator.fail_next("whoAmI", status=429, headers={"X-Rate-Limit-Reset": "60"})
    started = time.monotonic()
    with pytest.raises(ErpRateLimited) as err:
        adapter.fetch_company()
    assert err.value.retry_after == 60.0 and time.monotonic() - started < 1


def test_retry_after_header_wins_when_present(server, emulator, seeded):
    adapter = connect(server, seeded)
    adapter.client.retry = NO_RETRY
    emulator.fail_next(
        "whoAmI", status=429, headers={"Retry-After": "3", "X-Rate-Limit-Reset": "9"}
    )
    with pytest.raises(ErpRateLimited) as err:
        adapter.fetch_company()
    assert err.value.retry_after == 3.0


def test_emulator_rate_limit_is_waited_out_for_the_rest_of_the_period(server, emulator, seeded):
    emulator.rate_limit, emulator.rate_period = 3, 1.0
    adapter = connect(server, seeded)
    adapter.fetch_company()  # :create, whoAmI, company: three requests
    assert adapter.fetch_company().name  # the fourth is refused until the period is over
    statuses = [r["status"] for r in emulator.log]
    assert statuses[:4] == [200, 200, 200, 429] and statuses[-2:] == [200, 200]


def test_server_error_is_retryable_and_404_is_not_found(server, emulator, seeded):
    adapter = connect(server, seeded)
    adapter.client.retry = NO_RETRY
    emulator.fail_next("whoAmI", status=500)
    with pytest.raises(ErpUnavailable) as err:
        adapter.fetch_company()
    assert err.value.retryable and err.value.status == 500
    with pytest.raises(ErpNotFound) as missing:
        adapter.get_invoice("999")
    assert "Object not found" in str(missing.value)
    with pytest.raises(ErpNotFound):
        adapter.get_invoice("not-a-number")


def test_connection_refused_is_unavailable(seeded):
    adapter = registry.connect(
        "tripletex", {"base_url": "http://127.0.0.1:9/v2", "employee_token": "e"}
    )
    with pytest.raises(ErpUnavailable, match="could not connect"):
        adapter.fetch_company()


# --- write-backs ----------------------------------------------------------------------------


def _settlement(invoice, number="AC-SETTLEMENT-1", amount=Decimal("1500.00")):
    return SettlementVoucher(
        external_number=number,
        date=TODAY,
        description=f"Oppgjør faktura {invoice.number}",
        currency="NOK",
        lines=(
            VoucherLine(1920, amount - Decimal("250.00"), "Utbetalt fra inkasso"),
            VoucherLine(7770, Decimal("250.00"), "Inkassosalær"),
            VoucherLine(1500, -amount, "Innbetalt", invoice.customer.erp_id, invoice.number),
        ),
    )


def test_settlement_voucher_posts_once_and_reduces_outstanding(server, emulator, seeded, company):
    adapter = connect(server, seeded)
    invoice = adapter.get_invoice(str(company["open_invoice_ids"][0]))
    first = adapter.post_settlement_voucher(_settlement(invoice))
    second = adapter.post_settlement_voucher(_settlement(invoice))
    assert first == second
    posted = [v for v in emulator.vouchers(company["id"]) if v["externalVoucherNumber"]]
    assert [v["id"] for v in posted] == [int(first)]
    assert [p["row"] for p in posted[0]["postings"]] == [1, 2, 3]
    after = adapter.get_invoice(invoice.erp_id)
    assert after.outstanding == invoice.outstanding - Decimal("1500.00")
    # The settlement shows on the invoice as a payment posting carrying our voucher id, which is
    # how the sync tells it from a direct payment.
    payments = adapter.list_direct_payments(after)
    assert [(p.amount, p.voucher_id) for p in payments] == [(Decimal("1500.00"), first)]
    assert [r["path"] for r in emulator.log if r["method"] == "POST"] == ["/v2/ledger/voucher"]


def test_voucher_rejections_are_typed(server, seeded, company):
    client = connect(server, seeded).client
    bank, receivable = client.ledger_account_id(1920), client.ledger_account_id(1500)
    postings = [
        {"row": 1, "account": {"id": bank}, "amountGross": Decimal("10.00")},
        {"row": 2, "account": {"id": receivable}, "amountGross": Decimal("-9.99")},
    ]
    body = {"date": "2026-11-25", "description": "x", "postings": postings}
    with pytest.raises(ErpRejected, match="ikke i balanse"):
        client.post_voucher(body)
    postings[1]["amountGross"] = Decimal("-10.00")
    client.post_voucher({**body, "externalVoucherNumber": "dup-1"})
    with pytest.raises(ErpConflict, match="code 14000"):
        client.post_voucher({**body, "externalVoucherNumber": "dup-1"})
    with pytest.raises(ErpNotFound, match="ledger account 4242"):
        client.ledger_account_id(4242)


def test_case_reference_is_idempotent_and_readable(server, emulator, seeded, company):
    adapter = connect(server, seeded)
    invoice = adapter.get_invoice(str(company["open_invoice_ids"][1]))
    kwargs = dict(invoice=invoice.ref, case_number="2026-0042")
    url = "https://autocollect.example/c/1/cases/2026-0042/"
    adapter.write_case_reference(**kwargs, url=url)
    adapter.write_case_status(**kwargs, status=CaseStatus.ONGOING, url=url)
    connect(server, seeded).write_case_reference(**kwargs, url=url)  # a new adapter reads it
    statuses = adapter.client.list_voucher_status([int(invoice.locator)])
    assert len(statuses) == 1
    status = statuses[0]
    assert status["voucher"]["id"] == int(invoice.locator)
    assert (status["type"], status["status"], status["message"]) == (
        "DEBT_COLLECTION",
        "PROCESSING",
        "ONGOING",
    )
    assert status["referenceNumber"] == "2026-0042" and status["externalObjectUrl"] == url
    # A new state is written once; the voucher id is looked up when the caller has none.
    adapter.write_case_status(
        invoice=InvoiceRef(invoice.erp_id), case_number="2026-0042", status=CaseStatus.PAID
    )
    adapter.write_case_status(**kwargs, status=CaseStatus.CREDITED)  # says the same: SETTLED
    messages = [(s["status"], s["message"]) for s in emulator.voucher_statuses(company["id"])]
    assert messages == [("PROCESSING", "ONGOING"), ("DONE", "SETTLED")]
    with pytest.raises(ValueError, match="no Tripletex voucher status"):
        adapter.write_case_status(**kwargs, status="bogus")


def test_direct_payment_in_the_erp_is_listed(server, emulator, seeded, company):
    adapter = connect(server, seeded)
    invoice = adapter.get_invoice(str(company["open_invoice_ids"][2]))
    assert adapter.list_direct_payments(invoice) == []
    posting = emulator.register_direct_payment(
        company["id"], int(invoice.erp_id), Decimal("2500.25"), TODAY - dt.timedelta(days=2)
    )
    payments = adapter.list_direct_payments(invoice)
    assert len(payments) == 1
    payment = payments[0]
    assert payment.erp_id == str(posting) and payment.invoice_erp_id == invoice.erp_id
    assert payment.amount == Decimal("2500.25") and payment.currency == "NOK"
    assert payment.paid_on == TODAY - dt.timedelta(days=2)
    assert adapter.get_invoice(invoice.erp_id).outstanding == invoice.outstanding - Decimal(
        "2500.25"
    )


def test_payment_registered_over_http(server, seeded, company):
    adapter = connect(server, seeded)
    invoice_id = company["open_invoice_ids"][3]
    client = adapter.client
    payment_type = client.payment_types()[0]["id"]
    answer = client.register_payment(
        invoice_id, paid_on=TODAY, payment_type_id=payment_type, amount=Decimal("890.00")
    )
    assert answer["amountCurrencyOutstanding"] == Decimal("2000.00")
    payments = adapter.list_direct_payments(adapter.get_invoice(str(invoice_id)))
    assert [(p.amount, p.paid_on) for p in payments] == [(Decimal("890.00"), TODAY)]
    with pytest.raises(ErpRejected, match="paymentTypeId"):
        client.register_payment(invoice_id, paid_on=TODAY, payment_type_id=1, amount=Decimal(1))
