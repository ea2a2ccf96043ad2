"""The Netvisor client: its MAC against published vectors, its XML against every vendored
reference answer, and its calls over real HTTP to the emulator (paging, companies, transaction
ids, ISO-8859-15 bodies, FAILED envelopes, one request at a time)."""

import datetime as dt
import hashlib
import hmac
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from netvisor_helpers import TODAY, client_for, keys_for

from integrations.errors import (
    ErpAuthError,
    ErpConflict,
    ErpMalformedResponse,
    ErpNotFound,
    ErpRejected,
    ErpUnavailable,
)
from integrations.netvisor import mapping, xmlcodec
from integrations.netvisor.auth import NetvisorKeys, NetvisorSigner, mac, plain_mac
from integrations.netvisor.client import NetvisorClient
from integrations.netvisor.emulator import HTTP_STATUS
from integrations.netvisor.envelope import CATEGORIES, envelope_error

REFERENCE = Path(__file__).resolve().parents[3] / "integrations" / "netvisor" / "reference"

# --- the MAC ------------------------------------------------------------------------------------

# Published vector: fastmonkeys/netvisor.py and Heltti/netvisor-api-client tests/test_auth.py
# (test_make_mac, commit 46cc022): the legacy digest over the nine fields
# url&sender&customerId&timestamp&language&organisationId&transactionId&customerKey&partnerKey.
# The same order is what SHA256 hashes and HMACSHA256 signs (with TimestampUnix before the keys),
# so reproducing this digest pins the field order.
PUBLISHED = NetvisorKeys(
    sender="Testiclient",
    customer_id="Integraatiokayttajan tunnus",
    customer_key="7cd680e89e880553358bc07cd28b0ee2",
    partner_id="xxx_yyy",
    partner_key="07f94228d149a96b2f25e3edad55096e",
    organisation_id="1967543-8",
    language="FI",
)
PUBLISHED_URL = "http://integrationdemo.netvisor.fi/accounting.nv"
PUBLISHED_TIMESTAMP = "2009-01-12 15:49:12.221"
PUBLISHED_MD5 = "6b2783906969630c1b6649bf5b0e6620"


def test_the_published_netvisor_vector_fixes_the_field_order():
    assert plain_mac(PUBLISHED, PUBLISHED_URL, PUBLISHED_TIMESTAMP, "123456", "MD5") == (
        PUBLISHED_MD5
    )
    fields = "&".join(
        [
            PUBLISHED_URL,
            "Testiclient",
            "Integraatiokayttajan tunnus",
            PUBLISHED_TIMESTAMP,
            "FI",
            "1967543-8",
            "123456",
            "7cd680e89e880553358bc07cd28b0ee2",
            "07f94228d149a96b2f25e3edad55096e",
        ]
    )
    assert plain_mac(PUBLISHED, PUBLISHED_URL, PUBLISHED_TIMESTAMP, "123456") == (
        hashlib.sha256(fields.encode("iso-8859-1")).hexdigest()
    )


def test_hmacsha256_follows_netvisors_recipe_for_helttis_worked_example():
    """What is published and what is ours, precisely (searched again in review, issue 12):

    - Published by Netvisor: the HMACSHA256 recipe in support.netvisor.fi article 77000557880
      "API authentication" (key = customerKey&partnerKey; message = url&sender&customerId
      &timestamp&language&organisationId&transactionId&timestampUnix&customerKey&partnerKey,
      ISO-8859-1, lowercase hex) with a Python example, but no expected output.
    - Published by the open-source clients: these inputs in Heltti/netvisor-api-client
      tests/test_auth.py::test_hmacsha256_headers_and_mac, others in the PHP Xi\\Netvisor
      RequestAuthTest::macShouldUseKeysAsHmacKeyNotData; but both recompute the expected value
      from the recipe at test time (Heltti's timestampUnix even depends on the machine's time
      zone); neither hard-codes an HMACSHA256 output.
    - So no published HMACSHA256 test vector exists that we could find. The hex pinned below is
      derived by us with Python's hmac from Netvisor's recipe over Heltti's inputs (unix time
      fixed at 2024-01-01 12:00 UTC); it guards the recipe against regressions. The only
      published hard-coded vector is the MD5 one above, which fixes the field order the three
      algorithms share.
    """
    keys = NetvisorKeys(
        "Testiclient", "customerid", "customerkey", "xxx_yyy", "partnerkey", "orgid", "FI"
    )
    url, stamp, unix = "https://integrationdemo.netvisor.fi", "2024-01-01 12:00:00.000", 1704110400
    msg = "&".join(
        [
            url,
            "Testiclient",
            "customerid",
            stamp,
            "FI",
            "orgid",
            "123456",
            str(unix),
            "customerkey",
            "partnerkey",
        ]
    )
    recipe = hmac.new(b"customerkey&partnerkey", msg.encode("iso-8859-1"), "sha256").hexdigest()
    assert mac(keys, url, stamp, "123456", unix) == recipe
    assert recipe == "09e41ddcb3b83e5fde80f799aaca5c9fefd33db2a15b43bae704b830dd3f5600"
    signer = NetvisorSigner(
        keys,
        now=lambda: dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC),
        new_transaction_id=lambda: "123456",
    )
    headers = signer("GET", url)
    assert headers["X-Netvisor-Authentication-MAC"] == recipe
    assert headers["X-Netvisor-Authentication-TimestampUnix"] == str(unix)
    assert headers["X-Netvisor-Organisation-ID"] == "orgid"


# --- XML ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(REFERENCE.glob("*.xml")), ids=lambda p: p.name)
def test_every_reference_answer_parses_with_the_clients_parser(path):
    root = xmlcodec.parse(path.read_bytes())
    assert root.tag == "Root"
    failed = envelope_error(path.read_bytes(), path.name)
    expected = {
        "AuthenticationFailed.xml": (ErpAuthError, "AUTHENTICATION_FAILED"),
        "GetCustomerNotFound.xml": (ErpRejected, "INVALID_DATA"),
    }
    if path.name in expected:
        kind, category = expected[path.name]
        assert isinstance(failed, kind) and failed.category == category
    elif root.find("ResponseStatus") is not None:
        assert failed is None


def test_reference_invoice_list_payments_and_vouchers_map_to_records():
    row = xmlcodec.parse((REFERENCE / "SalesInvoiceList.xml").read_bytes()).find(
        "SalesInvoiceList/SalesInvoice"
    )
    inv = xmlcodec.parse((REFERENCE / "GetSalesInvoice.xml").read_bytes()).find("SalesInvoice")
    invoice, facts = mapping.invoice_from_xml("165", inv, row)
    assert (invoice.number, invoice.currency, invoice.amount) == ("3", "EUR", Decimal("244.00"))
    assert invoice.outstanding == Decimal("45.67")  # OpenSum "45,67", a decimal comma
    assert invoice.customer.address.country == "FI"  # "FINLAND" in the fixture
    assert {"open", "overdue"} <= facts.statuses and not facts.match_partial  # "No"
    payments = xmlcodec.parse((REFERENCE / "SalesPaymentList.xml").read_bytes())
    rows = payments.findall("SalesPaymentList/SalesPayment")
    found = mapping.payments_from_xml(rows, invoice, facts)
    assert [(p.erp_id, p.amount, p.paid_on) for p in found] == [
        ("166", Decimal("200.00"), dt.date(2014, 3, 10))  # the FAILED bank payment never came
    ]
    vouchers = xmlcodec.parse((REFERENCE / "AccountingList.xml").read_bytes())
    assert [xmlcodec.decimal(s.text) for s in vouchers.iter("LineSum")][:2] == [
        Decimal("-17.18"),
        Decimal("-21.22"),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("123,45", "123.45"),
        ("6,9000", "6.9000"),
        ("244.12", "244.12"),
        ("-17,18", "-17.18"),
        ("1 234,50", "1234.50"),
        ("1.234,56", "1234.56"),
    ],
)
def test_amounts_with_decimal_comma_or_point(text, value):
    assert xmlcodec.decimal(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Yes", True),
        ("No", False),
        ("Kyllä", True),
        ("Ei", False),
        ("1", True),
        ("0", False),
        ("Ja", True),
        ("Nej", False),
        ("true", True),
    ],
)
def test_localised_booleans(text, value):
    assert xmlcodec.boolean(text) is value


def test_iso_8859_15_document_parses():
    body = "<Root><Name>Kärkkäinen €</Name></Root>".encode("iso-8859-15")
    declared = b'<?xml version="1.0" encoding="ISO-8859-15"?>' + body
    assert xmlcodec.parse(declared).findtext("Name") == "Kärkkäinen €"


# --- over HTTP ----------------------------------------------------------------------------------


def test_emulator_answers_parse_as_the_references_do(netvisor):
    """Each answer's element paths are the reference's (plus the fields the newer shapes add)."""
    client = client_for(netvisor)
    key = str(netvisor.seeded["invoices"]["collection"])
    extra = {
        "InvoiceDueDate",
        "SalesInvoiceNetvisorKey",
        "SalesInvoiceCollectionCost",
        "InvoicingCustomerNetvisorKey",
        "InvoicingCustomerCode",
        "ContactPersonEmail",
        "InvoicingCustomerOrganisationIdentifier",
        "ProcessHistory",
        "PaymentSource",
        "InvoicingCustomerInCollectionProhibitation",
        "Domicile",
    }
    answers = {
        "SalesInvoiceList.xml": client.xml("GET", "/salesinvoicelist.nv"),
        "GetSalesInvoice.xml": client.xml(
            "GET", "/getsalesinvoice.nv", params={"netvisorkey": key}
        ),
        "SalesPaymentList.xml": client.xml("GET", "/salespaymentlist.nv"),
        "GetCompanyInformation.xml": client.xml("GET", "/getcompanyinformation.nv"),
        "CompanyList.xml": client.xml("GET", "/companylist.nv"),
    }
    for name, answer in answers.items():
        reference = _paths(xmlcodec.parse((REFERENCE / name).read_bytes()))
        ours = {p for p in _paths(answer) if not extra & set(p.split("/"))}
        assert ours <= reference, (name, ours - reference)
    rows = answers["SalesInvoiceList.xml"].findall("SalesInvoiceList/SalesInvoice")
    inv = answers["GetSalesInvoice.xml"].find("SalesInvoice")
    row = next(r for r in rows if r.findtext("NetvisorKey") == key)
    invoice, _ = mapping.invoice_from_xml(key, inv, row)
    assert invoice.amount == Decimal("1225.00")  # 1240 less the 15 collection cost


def _paths(root, prefix="") -> set[str]:
    found = set()
    for child in root:
        path = f"{prefix}/{child.tag}"
        found.add(path)
        found |= _paths(child, path)
    return found


def test_invoice_list_pages_above_the_last_key_500_a_page(netvisor):
    for i in range(1200):
        netvisor.state.add_invoice(
            netvisor.seeded["organisation_id"],
            number=f"9{i:04}",
            customer={"name": "Bulk Oy"},
            amount="10",
            due=TODAY,
        )
    keys = [r.findtext("NetvisorKey") for r in client_for(netvisor).iter_sales_invoices()]
    assert len(keys) == len(set(keys)) == 1208
    asked = [r["query"].get("invoicesabovenetvisorkey") for r in netvisor.requests("/salesinv")]
    assert asked == [None, keys[499], keys[999]]


def test_fault_rows_shifting_between_pages_skip_nothing_and_repeat_nothing(netvisor):
    """The kit's shift_page fault: between the first and the second page, an invoice already
    read is deleted and new ones are added (one at the front of the store's order). Paging above
    the last key, not by offset, reads every invoice that was there throughout exactly once and
    the new ones too (their keys are higher)."""
    org = netvisor.seeded["organisation_id"]
    for i in range(700):
        netvisor.state.add_invoice(
            org, number=f"9{i:04}", customer={"name": "Bulk Oy"}, amount="10", due=TODAY
        )
    store = netvisor.state.store
    before = sorted(inv["id"] for inv in store.all("invoice", org))
    gone, added = before[10], []

    def shift():
        store.delete("invoice", gone, org)
        for n in ("80001", "80002"):
            row = netvisor.state.add_invoice(
                org, number=n, customer={"name": "Uusi Oy"}, amount="5", due=TODAY
            )
            added.append(row["id"])
        store.move_to_front("invoice", added[0])

    netvisor.faults.shift_page("/salesinvoicelist.nv", shift)
    keys = [int(r.findtext("NetvisorKey")) for r in client_for(netvisor).iter_sales_invoices()]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(before) | set(added)  # the deleted one was read on page 1
    assert len(netvisor.requests("/salesinvoicelist.nv")) == 2


def test_the_organisation_header_picks_the_company_for_one_user_key(netvisor):
    other = netvisor.seeded["other_organisation_id"]
    netvisor.state.add_invoice(
        other, number="7001", customer={"name": "Pohjoinen Oy"}, amount="55", due=TODAY
    )
    own = [r.findtext("InvoiceNumber") for r in client_for(netvisor).iter_sales_invoices()]
    theirs = [
        r.findtext("InvoiceNumber") for r in client_for(netvisor, other).iter_sales_invoices()
    ]
    assert theirs == ["7001"] and "7001" not in own
    with pytest.raises(ErpAuthError, match="Ei oikeutta"):
        client_for(netvisor, "9999999-9").company_list()


def test_every_request_has_a_new_transaction_id_and_a_reused_one_is_refused(netvisor):
    client = client_for(netvisor)
    for _ in range(3):
        client.company_list()
    assert len(netvisor.transactions) == 3
    fixed = NetvisorSigner(keys_for(netvisor), new_transaction_id=lambda: "same-id")
    repeat = NetvisorClient(netvisor.url, keys_for(netvisor), signer=fixed)
    repeat.company_list()
    with pytest.raises(ErpConflict) as err:
        repeat.company_list()
    assert err.value.category == "REQUEST_NOT_UNIQUE" and err.value.status == 409


def test_a_wrong_mac_or_timestamp_is_refused(netvisor):
    wrong_key = NetvisorClient(netvisor.url, keys_for(netvisor, customer_key="not-the-key"))
    with pytest.raises(ErpAuthError, match="MAC") as err:
        wrong_key.company_list()
    assert err.value.status == 401
    late = NetvisorSigner(
        keys_for(netvisor), now=lambda: dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    )
    with pytest.raises(ErpAuthError, match="Aikaleima"):
        NetvisorClient(netvisor.url, keys_for(netvisor), signer=late).company_list()


def test_sha256_is_accepted_too(netvisor):
    client = NetvisorClient(netvisor.url, keys_for(netvisor), algorithm="SHA256")
    assert client.company_list()


def test_a_body_is_sent_in_iso_8859_15(netvisor):
    key = str(netvisor.seeded["invoices"]["reminder"])
    client_for(netvisor).add_invoice_comment(key, "Perintä: Ääkköset € mukana")
    assert netvisor.last_body.startswith(b"<root>")
    assert "€ mukana".encode("iso-8859-15") in netvisor.last_body  # € is 0xA4 there
    history = netvisor.state.invoice(netvisor.seeded["organisation_id"], int(key))["history"]
    assert history[-1][2] == "Perintä: Ääkköset € mukana"


def test_an_unknown_invoice_is_not_found(netvisor):
    with pytest.raises(ErpNotFound):
        client_for(netvisor).get_sales_invoice("424242")


@pytest.mark.parametrize("category", sorted(CATEGORIES))
@pytest.mark.parametrize("http_status", [False, True], ids=["in-200", "with-status"])
def test_a_failed_envelope_is_the_categorys_typed_error(netvisor, category, http_status):
    netvisor.fail_with("/companylist.nv", category, "virhe", http_status=http_status, times=5)
    client = client_for(netvisor)
    client.sleep = lambda s: None
    with pytest.raises(CATEGORIES[category]) as err:
        client.company_list()
    assert err.value.category == category
    assert err.value.status == (HTTP_STATUS[category] if http_status else 200)
    if issubclass(CATEGORIES[category], ErpUnavailable):
        assert len(netvisor.requests("/companylist.nv")) == 3  # a safe call, tried again
    else:
        assert len(netvisor.requests("/companylist.nv")) == 1


def test_expected_error_kinds():
    assert CATEGORIES["INVALID_DATA"] is ErpRejected
    assert CATEGORIES["DUPLICATE_DATA"] is ErpConflict


# --- the kit's faults ---------------------------------------------------------------------------


def _quick(netvisor, **kw):
    client = client_for(netvisor, **kw)
    client.sleep = lambda s: None
    return client


def test_fault_timeout_then_the_answer(netvisor):
    netvisor.faults.timeout("/companylist.nv", seconds=0.5)
    assert _quick(netvisor, timeout=(1, 0.2)).company_list()  # timed out once, then answered
    time.sleep(0.5)  # the stalled first request is logged once the emulator has served it
    assert [r["fault"] for r in netvisor.requests("/companylist.nv")] == [None, "timeout"]


def test_fault_dropped_connection_is_retried_for_a_read(netvisor):
    netvisor.faults.drop("/companylist.nv")
    assert _quick(netvisor).company_list()


def test_fault_server_error_is_retried_then_raised(netvisor):
    netvisor.faults.server_error("/companylist.nv", status=503, times=5)
    with pytest.raises(ErpUnavailable):
        _quick(netvisor).company_list()
    assert len(netvisor.requests("/companylist.nv")) == 3


def test_fault_rate_limited_waits_and_goes_again(netvisor):
    netvisor.faults.rate_limited("/companylist.nv", retry_after=1)
    assert _quick(netvisor).company_list()


def test_fault_malformed_answer(netvisor):
    netvisor.faults.malformed("/companylist.nv")
    with pytest.raises(ErpMalformedResponse):
        _quick(netvisor).company_list()


def test_fault_a_write_that_times_out_is_not_sent_twice(netvisor):
    key = str(netvisor.seeded["invoices"]["reminder"])
    netvisor.faults.drop("/salesinvoicecomment.nv", after=True)
    with pytest.raises(ErpUnavailable):
        _quick(netvisor).add_invoice_comment(key, "kerran")
    assert len(netvisor.requests("/salesinvoicecomment.nv")) == 1


def test_one_request_at_a_time_per_company(netvisor):
    netvisor.faults.timeout("/companylist.nv", seconds=0.2, times=4)
    errors = []

    def call():
        try:
            client_for(netvisor).company_list()
        except Exception as exc:  # noqa: BLE001 - collected for the assert
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and netvisor.overlaps == 0
