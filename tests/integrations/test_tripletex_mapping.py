"""Tripletex JSON -> AutoCollect records, and settlement -> Voucher body (pure functions)."""

import copy
import datetime as dt
from decimal import Decimal

import pytest

from integrations.base import SettlementVoucher, VoucherLine
from integrations.errors import ErpMalformedResponse
from integrations.tripletex import jsonutil
from integrations.tripletex.mapping import (
    company_from_json,
    customer_from_json,
    invoice_from_json,
    payments_from_invoice_json,
    voucher_to_json,
)

# The sandbox invoice from erp-apis.md 1.7 (verbatim keys and values), with customer(*) and
# currency(*) expanded the way the client asks for them.
SAMPLE_INVOICE = """{"id": 2147620942, "version": 3,
 "url": "kkpqfuj-amager.tripletex.dev/v2/invoice/2147620942",
 "invoiceNumber": 1, "invoiceDate": "2026-02-01",
 "customer": {"id": 108331094, "version": 1, "name": "Elvdal AS",
   "organizationNumber": "877501906", "customerNumber": 10001, "isCustomer": true,
   "isInactive": false, "isPrivateIndividual": false, "email": "post@elvdal.example",
   "invoiceEmail": "faktura@elvdal.example", "phoneNumber": "+47 22 00 00 00",
   "postalAddress": {"id": 1, "addressLine1": "Storgata 1", "addressLine2": "",
                     "postalCode": "0155", "city": "Oslo", "country": {"id": 161}},
   "category1": {"id": 5, "name": "Storkunde", "number": "1"}},
 "creditedInvoice": 0, "isCredited": false, "invoiceDueDate": "2026-03-01", "kid": "",
 "invoiceComment": "", "comment": "",
 "voucher": {"id": 609076259, "url": "kkpqfuj-amager.tripletex.dev/v2/ledger/voucher/609076259"},
 "deliveryDate": "2026-02-01", "amount": 23358.75, "amountCurrency": 23358.75,
 "amountExcludingVat": 18687, "amountExcludingVatCurrency": 18687,
 "amountOutstanding": 23358.75, "amountCurrencyOutstanding": 23358.75,
 "amountOutstandingTotal": 23358.75, "amountCurrencyOutstandingTotal": 23358.75, "sumRemits": 0,
 "currency": {"id": 1, "version": 0, "code": "NOK", "description": "Norge", "factor": 1},
 "isCreditNote": false, "isCharged": true, "isApproved": false,
 "postings": [{"id": 3845605906,
               "url": "kkpqfuj-amager.tripletex.dev/v2/ledger/posting/3845605906"}],
 "reminders": [], "invoiceRemarks": "", "invoiceRemark": null, "documentId": 1024270727}"""


@pytest.fixture
def invoice_json():
    return jsonutil.loads(SAMPLE_INVOICE)


def test_sample_invoice_maps_to_exact_decimals_and_dates(invoice_json):
    invoice = invoice_from_json(invoice_json)
    assert invoice.erp_id == "2147620942"
    assert invoice.number == "1"
    assert invoice.invoice_date == dt.date(2026, 2, 1)
    assert invoice.due_date == dt.date(2026, 3, 1)
    assert invoice.amount == Decimal("23358.75") and isinstance(invoice.amount, Decimal)
    assert invoice.outstanding == Decimal("23358.75")
    assert invoice.currency == "NOK"
    assert invoice.locator == "609076259"
    assert invoice.is_credit_note is False and invoice.credited_invoice_erp_id == ""
    customer = invoice.customer
    assert (customer.erp_id, customer.number, customer.name) == ("108331094", "10001", "Elvdal AS")
    assert customer.org_number == "877501906"
    assert customer.email == "faktura@elvdal.example"  # invoiceEmail wins over email
    assert customer.customer_class == "Storkunde"
    assert customer.address.line1 == "Storgata 1" and customer.address.country == "NO"


@pytest.mark.parametrize(
    "path, value, message",
    [
        (("invoiceDueDate",), None, "invoice 2147620942: invoiceDueDate missing"),
        (("invoiceDueDate",), "01.03.2026", "invoiceDueDate is not a date"),
        (("amountCurrencyOutstanding",), "23358.75", "amountCurrencyOutstanding is not a number"),
        (("amountCurrency",), 23358.75, "parse JSON with parse_float=Decimal"),
        (("invoiceNumber",), "1", "invoiceNumber is not an integer"),
        (("currency", "code"), None, "currency.code missing (request fields currency(*))"),
        (("customer", "name"), None, "customer is not expanded"),
        (("customer", "isPrivateIndividual"), "no", "customer 108331094: isPrivateIndividual"),
    ],
)
def test_missing_or_mistyped_field_names_field_and_invoice(invoice_json, path, value, message):
    target = invoice_json
    for key in path[:-1]:
        target = target[key]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    with pytest.raises(ErpMalformedResponse) as err:
        invoice_from_json(invoice_json)
    assert message in str(err.value)
    assert str(err.value).startswith("tripletex: invoice 2147620942")


def test_not_an_object_is_malformed():
    with pytest.raises(ErpMalformedResponse, match="expected an object"):
        invoice_from_json(["not", "an", "invoice"])


def test_credit_note_flags_and_text(invoice_json):
    invoice_json.update(
        isCreditNote=True,
        creditedInvoice=2147620900,
        amountCurrency=Decimal("-500.00"),
        comment="Kreditnota",
        invoiceComment="Fra ordre",
        kid="000123456785",
    )
    invoice = invoice_from_json(invoice_json)
    assert invoice.is_credit_note and invoice.credited_invoice_erp_id == "2147620900"
    assert invoice.amount == Decimal("-500.00")
    assert invoice.text == "Kreditnota\nFra ordre"
    assert invoice.payment_reference == "000123456785"


def test_customer_private_email_fallback_country_and_class():
    base = {"id": 7, "name": "Kari Nordmann", "isPrivateIndividual": True, "email": "k@x.no"}
    customer = customer_from_json(base)
    assert customer.is_private and customer.email == "k@x.no" and customer.number == ""
    assert customer.address.country == "NO"  # no address at all: Norway
    swedish = {**base, "postalAddress": {"city": "Malmö", "country": {"isoAlpha2Code": "se"}}}
    assert customer_from_json(swedish).address.country == "SE"
    by_number = {**base, "category1": {"id": 1, "number": "7"}}
    assert customer_from_json(by_number).customer_class == "7"
    physical = {
        **base,
        "postalAddress": {"id": 3, "url": "x"},  # a stub: fall back to the physical address
        "physicalAddress": {"addressLine1": "Gata 2", "postalCode": "0150", "city": "Oslo"},
    }
    assert customer_from_json(physical).address.line1 == "Gata 2"


def test_company_from_json():
    company = company_from_json(
        {
            "id": 5,
            "name": "Fjordvik AS",
            "organizationNumber": "928 775 135",
            "email": "post@f.no",
            "phoneNumber": "+47 1",
            "address": {"addressLine1": "Vei 1", "postalCode": "5003", "city": "Bergen"},
        }
    )
    assert company.erp_id == "5" and company.org_number == "928775135"
    assert company.address.city == "Bergen" and company.address.country == "NO"


def test_payments_are_the_negative_postings(invoice_json):
    invoice_json["postings"] = [
        {
            "id": 1,
            "date": "2026-02-01",
            "amountCurrency": Decimal("23358.75"),
            "voucher": {"id": 9},
        },
        {
            "id": 2,
            "date": "2026-03-05",
            "amountCurrency": Decimal("-1000.50"),
            "voucher": {"id": 10},
        },
        {"id": 3, "date": "2026-03-06", "amount": -200, "voucher": {"id": 11}},
        {
            "id": 4,
            "date": "2026-03-07",
            "amountCurrency": Decimal("-99.00"),
            "type": "OUTGOING_INVOICE_CUSTOMER_POSTING",  # a credit note, not a payment
        },
    ]
    payments = payments_from_invoice_json(invoice_json)
    assert [(p.erp_id, p.amount, p.paid_on, p.voucher_id, p.kind) for p in payments] == [
        ("2", Decimal("1000.50"), dt.date(2026, 3, 5), "10", "payment"),
        ("3", Decimal("200"), dt.date(2026, 3, 6), "11", "payment"),
        ("4", Decimal("99.00"), dt.date(2026, 3, 7), "", "credit_note"),
    ]
    assert {p.invoice_erp_id for p in payments} == {"2147620942"}
    assert {p.currency for p in payments} == {"NOK"}


def test_payments_need_expanded_postings(invoice_json):
    with pytest.raises(ErpMalformedResponse, match=r"postings\(\*\)"):
        payments_from_invoice_json(invoice_json)
    broken = copy.deepcopy(invoice_json)
    broken["postings"] = [{"id": 2, "amountCurrency": Decimal("-5")}]
    with pytest.raises(ErpMalformedResponse, match="posting 2: date missing"):
        payments_from_invoice_json(broken)


def _voucher():
    return SettlementVoucher(
        external_number="AC-S-17",
        date=dt.date(2026, 11, 20),
        description="Oppgjør sak 2026-0042",
        currency="NOK",
        lines=(
            VoucherLine(1920, Decimal("1400.00"), "Utbetalt"),
            VoucherLine(7770, Decimal("100.00"), "Salær"),
            VoucherLine(1500, Decimal("-1500.00"), "Faktura 1001", "10001", "1001"),
        ),
    )


def test_voucher_body_rows_from_one_with_decimal_gross_amounts():
    body = voucher_to_json(_voucher(), {1920: 11, 7770: 12, 1500: 13})
    assert body["externalVoucherNumber"] == "AC-S-17" and body["date"] == "2026-11-20"
    assert [p["row"] for p in body["postings"]] == [1, 2, 3]
    last = body["postings"][2]
    assert last["account"] == {"id": 13} and last["customer"] == {"id": 10001}
    assert last["invoiceNumber"] == "1001"
    assert last["amountGross"] == last["amountGrossCurrency"] == Decimal("-1500.00")
    assert "customer" not in body["postings"][0]
    text = jsonutil.dumps(body)
    assert '"amountGross":-1500.00' in text and '"amountGross":1400.00' in text


def test_voucher_body_needs_every_account_id():
    with pytest.raises(ValueError, match="account 7770"):
        voucher_to_json(_voucher(), {1920: 11, 1500: 13})


def test_json_keeps_money_exact():
    data = jsonutil.loads('{"a": 0.10, "b": 12, "c": [1e2, -0.005]}')
    assert data == {"a": Decimal("0.10"), "b": 12, "c": [Decimal("1E+2"), Decimal("-0.005")]}
    assert jsonutil.dumps(data) == '{"a":0.10,"b":12,"c":[100,-0.005]}'
    assert jsonutil.dumps({"s": "Rørlegger", "n": None, "t": True}) == (
        '{"s":"Rørlegger","n":null,"t":true}'
    )
    with pytest.raises(TypeError, match="float"):
        jsonutil.dumps({"a": 0.1})
    with pytest.raises(ValueError):
        jsonutil.loads('{"a": NaN}')
    with pytest.raises(ValueError):
        jsonutil.dumps(Decimal("Infinity"))
