"""The creditor's and the debtor's address and organisation number on a letter are written as
the country writes them, as our own sender lines are ("111 22 Stockholm", "559312-4703"): a
Swedish creditor stored as "41301 Göteborg", "5591234561" prints "413 01 Göteborg" and
"Org.nr 559123-4561" in the PDF, read back with pypdf."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from cases.models import Debtor, Invoice
from cases.services import case_open
from collection.advance import case_advance
from letters.models import Letter
from letters.rendering import render_letter_pdf
from letters.services import letter_context
from nordic.formatting import format_postal_code, format_postal_line, normalize_space
from nordic.orgnumbers import format_org_number

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return normalize_space(" ".join(page.extract_text() for page in pages))


def test_a_swedish_letter_writes_postal_codes_and_org_numbers_as_sweden_does(make_creditor):
    creditor = make_creditor("Hagström Bygg AB", country="SE")
    creditor.org_number, creditor.address_line1 = "5591234561", "Storgatan 4"
    creditor.postal_code, creditor.city = "41301", "Göteborg"
    creditor.save()
    debtor = Debtor.objects.create(
        creditor=creditor, erp_id="d1", name="Åsa Öberg", kind="consumer",
        address_line1="Kvarngatan 12", postal_code="11847", city="Stockholm", country="SE",
    )  # fmt: skip
    invoice = Invoice.objects.create(
        creditor=creditor, debtor=debtor, erp_id="i1", number="5001",
        invoice_date=dt.date(2026, 9, 17), due_date=dt.date(2026, 10, 1), currency="SEK",
        original_amount=Decimal("1000.00"), outstanding_amount=Decimal("1000.00"),
    )  # fmt: skip
    case = case_open(
        creditor=creditor, debtor=debtor, invoices=[invoice], today=dt.date(2026, 11, 2)
    )
    case_advance(case_id=case.pk, today=dt.date(2026, 11, 2))
    ctx = letter_context(letter=Letter.objects.get(case=case))
    assert ctx.country == "SE" and ctx.language == "sv"
    assert ctx.creditor.address_lines == ("Storgatan 4", "413 01 Göteborg")
    assert ctx.creditor.org_number == "559123-4561"
    assert ctx.debtor.address_lines == ("Kvarngatan 12", "118 47 Stockholm")

    text = pdf_text(render_letter_pdf(ctx))
    assert "413 01 Göteborg" in text and "559123-4561" in text
    assert "118 47 Stockholm" in text
    assert "41301" not in text and "5591234561" not in text and "11847" not in text


def test_postal_codes_and_org_numbers_per_country():
    assert format_postal_code("SE", "41301") == "413 01"
    assert format_postal_code("SE", " 413 01 ") == "413 01"
    assert format_postal_code("SE", "4130") == "4130"  # not a Swedish code: as stored
    assert format_postal_code("NO", "0155") == "0155"
    assert format_postal_code("FI", "00101") == "00101"
    assert format_postal_code("DE", "10115") == "10115"
    assert format_postal_line("SE", "41301", "Göteborg") == "413 01 Göteborg"
    assert format_postal_line("NO", "", "") == ""
    assert format_org_number("SE", "5591234561") == "559123-4561"
    assert format_org_number("NO", "927145286") == "927 145 286"
    assert format_org_number("FI", "32198744") == "3219874-4"
    assert format_org_number("SE", "5591234562") == "5591234562"  # check digit wrong: as stored
    assert format_org_number("DE", "HRB 1234") == "HRB 1234"
