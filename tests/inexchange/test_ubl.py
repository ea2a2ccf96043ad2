"""BIS 3 documents: the vendored template and every document the emulator serves validate
against the UBL 2.1 Invoice schema, and parse into the invoice and customer they were built
from; broken ones are refused with the reason."""

import datetime as dt
from decimal import Decimal

import pytest

from integrations.inexchange import ubl
from integrations.inexchange.client import InexchangeClient, InexchangePartnerClient
from integrations.inexchange.emulator import DEFAULT_PARTNER_KEY
from integrations.inexchange.emulator.seed import CUSTOMERS, demo_document
from nordic.references import se_ocr
from tests.inexchange.conftest import ERP_ID, TODAY


def test_the_vendored_template_is_a_valid_ubl_invoice():
    assert ubl.schema_errors(ubl.TEMPLATE.read_bytes()) == []


def served(inexchange):
    partner = InexchangePartnerClient(inexchange.url, DEFAULT_PARTNER_KEY)
    client = InexchangeClient(inexchange.url, partner, ERP_ID)
    return [(row, client.document_content(row["id"])) for row in client.outbound_documents()]


def test_every_served_document_validates_and_parses_into_its_invoice(inexchange, connection):
    documents = served(inexchange)
    assert len(documents) == 8
    for _, content in documents:
        assert ubl.schema_errors(content) == []
    parsed = {i.number: i for i in (ubl.invoice_parse(content) for _, content in documents)}
    consumer, business = parsed["20260"], parsed["20261"]

    assert consumer.currency == "SEK"
    assert consumer.payable_amount == Decimal("12850.00")  # (12 x 650 + 2480) + 25 % VAT
    assert consumer.due_date == dt.date(2026, 10, 31)
    assert consumer.issue_date == dt.date(2026, 10, 1)
    assert consumer.payment_reference == "2026078"  # OCR: 20260, a length digit, Luhn
    assert consumer.note == "Fakturan avser utfört arbete enligt offert"
    anna = consumer.customer
    assert (anna.name, anna.is_business, anna.org_number) == ("Anna Lindqvist", False, "")
    assert (anna.endpoint_scheme, anna.endpoint_id) == ("EM", CUSTOMERS[0].email)
    assert (anna.email, anna.phone, anna.number) == (CUSTOMERS[0].email, "0701234567", "K1001")
    assert (anna.address.line1, anna.address.postal_code, anna.address.city) == (
        "Storgatan 4",
        "41301",
        "Göteborg",
    )
    assert anna.address.country == "SE"

    company = business.customer
    assert company.is_business
    assert (company.org_number, company.org_scheme) == ("5560000043", "0007")
    assert (company.endpoint_scheme, company.endpoint_id) == ("0007", "5560000043")
    assert company.email == "faktura@nordkvist.example"
    assert business.payable_amount == Decimal("4000.00")


def test_each_served_document_parses_into_the_invoice_and_customer_it_was_built_from(
    inexchange, connection
):
    parsed = [ubl.invoice_parse(content) for _, content in served(inexchange)]
    assert sorted(i.number for i in parsed) == [str(20260 + n) for n in range(8)]
    for invoice in parsed:
        n = int(invoice.number) - 20260
        built, party = demo_document(n, TODAY, due_days_ago=0), CUSTOMERS[n % len(CUSTOMERS)]
        assert (invoice.currency, invoice.payable_amount) == ("SEK", built.payable), n
        assert invoice.payment_reference == se_ocr(invoice.number)
        assert invoice.due_date - invoice.issue_date == dt.timedelta(days=30)
        customer = invoice.customer
        assert (customer.name, customer.number, customer.email) == (
            party.name,
            party.number,
            party.email,
        )
        assert customer.is_business is party.is_business
        if party.is_business:  # a Swedish org number, scheme 0007, as endpoint and legal id
            assert (customer.org_number, customer.org_scheme) == (party.org_number, "0007")
            assert (customer.endpoint_scheme, customer.endpoint_id) == ("0007", party.org_number)
        else:  # a private person: no org number, reached by e-mail
            assert (customer.org_number, customer.org_scheme) == ("", "")
            assert (customer.endpoint_scheme, customer.endpoint_id) == ("EM", party.email)
        assert (customer.address.postal_code, customer.address.city) == (
            party.postal_code,
            party.city,
        )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<Invoice><cbc:ID>1</Invoice>", "not well-formed XML"),
        (b"<Order xmlns='urn:x'/>", "not a UBL 2.1 Invoice or CreditNote"),
    ],
)
def test_broken_documents_are_refused_with_the_reason(content, reason):
    with pytest.raises(ubl.NotValid, match=reason):
        ubl.invoice_parse(content)


def test_a_schema_invalid_document_is_refused_naming_the_element():
    xml = ubl.TEMPLATE.read_text().replace(
        "<cbc:IssueDate>2017-11-13</cbc:IssueDate>", "<cbc:IssueDate>13.11.2017</cbc:IssueDate>"
    )
    with pytest.raises(ubl.NotValid, match="breaks the UBL 2.1 schema.*IssueDate"):
        ubl.invoice_parse(xml)
